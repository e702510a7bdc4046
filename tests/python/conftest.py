"""tests/python/spmd/ holds pytest files that run inside every PE of a job
(tests/test_python.py starts them under shmemrun).  A plain `pytest tests`
must not collect them in its own process: they are collected only when the
command line names spmd/ or a file in it."""
import pathlib

SPMD = pathlib.Path(__file__).resolve().parent / "spmd"


def _named(config):
    for arg in config.args:
        p = pathlib.Path(arg.split("::")[0]).resolve()
        if p == SPMD or SPMD in p.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    p = pathlib.Path(collection_path).resolve()
    if (p == SPMD or SPMD in p.parents) and not _named(config):
        return True
    return None
