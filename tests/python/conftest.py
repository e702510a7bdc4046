"""tests/python/spmd/ and spmd_numba/ hold pytest files that run inside every
PE of a job (tests/test_python.py and tests/test_numba.py start them under
shmemrun).  A plain `pytest tests` must not collect them in its own process:
they are collected only when the command line names the folder or a file in
it."""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
# layout.py (where the SPMD tests run) is shared by both SPMD folders.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
SPMD_DIRS = (HERE / "spmd", HERE / "spmd_numba")


def _within(p, folder):
    return p == folder or folder in p.parents


def _named(config, folder):
    return any(_within(pathlib.Path(arg.split("::")[0]).resolve(), folder)
               for arg in config.args)


def pytest_ignore_collect(collection_path, config):
    p = pathlib.Path(collection_path).resolve()
    for folder in SPMD_DIRS:
        if _within(p, folder) and not _named(config, folder):
            return True
    return None
