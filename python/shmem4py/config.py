"""Where the runtime's files are: used by the installed ``shmemcc``/``shmemc++``
and by :func:`shmem4py.get_include` / :func:`shmem4py.get_lib_dir`."""
import os
import sysconfig

_HERE = os.path.dirname(os.path.abspath(__file__))


def _runtime_dir():
    """The folder that holds include/shmem.h and lib/libshmem.so: beside this
    file in a wheel install; in an editable install (pip install -e .) the
    package is imported from the source tree while the built headers and
    library are in the environment's site-packages, so those are looked for
    too."""
    places = [_HERE]
    for key in ("platlib", "purelib"):
        places.append(os.path.join(sysconfig.get_paths()[key], "shmem4py"))
    for d in places:
        if os.path.isfile(os.path.join(d, "include", "shmem.h")):
            return d
    return _HERE


def get_include():
    """Return the directory that holds shmem.h, shmemx.h and shmem_type_table.h."""
    return os.path.join(_runtime_dir(), "include")


def get_lib_dir():
    """Return the directory that holds libshmem.so."""
    return os.path.join(_runtime_dir(), "lib")
