"""shmem4py: OpenSHMEM for Python.

The API is the module :mod:`shmem4py.shmem`::

    from shmem4py import shmem
    a = shmem.zeros(10, dtype='i')
    shmem.put(a, ..., (shmem.my_pe() + 1) % shmem.n_pes())

The OpenSHMEM runtime (libshmem) and its launcher ``shmemrun`` ship inside
the package: ``python -m shmem4py -n 4 script.py`` runs a job of 4 PEs.
Runtime options are in :mod:`shmem4py.rc`, read when ``shmem4py.shmem`` is
first imported.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "get_include", "get_lib_dir", "rc", "shmem"]


def get_include():
    """Return the directory of shmem.h (for building C code with shmem4py's runtime)."""
    from .config import get_include as _get_include

    return _get_include()


def get_lib_dir():
    """Return the directory of libshmem.so."""
    from .config import get_lib_dir as _get_lib_dir

    return _get_lib_dir()


def __getattr__(name):
    # `rc` and `shmem` are imported on first use: importing shmem4py alone
    # neither reads the options nor starts the runtime.  `Rc` is the class
    # of the options object `rc`.
    if name in ("rc", "shmem", "Rc"):
        import importlib

        obj = importlib.import_module(f".{'shmem' if name == 'shmem' else 'rc'}", __name__)
        return type(obj) if name == "Rc" else obj
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"rc", "shmem", "Rc"})
