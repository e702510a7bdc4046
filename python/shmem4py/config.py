"""Where the runtime's files are: used by the installed ``shmemcc``/``shmemc++``."""
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def get_include():
    """Return the directory that holds shmem.h, shmemx.h and shmem_type_table.h."""
    return os.path.join(_HERE, "include")


def get_lib_dir():
    """Return the directory that holds libshmem.so."""
    return os.path.join(_HERE, "lib")
