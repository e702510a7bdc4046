"""Fixtures of the test suite."""
import os
import secrets

import pytest

from jobs import mpich_shm_files, remove_unmapped_mpich_files, shm_segments


@pytest.fixture
def no_leaked_segments(monkeypatch):
    """Fails the test if a job it started leaves a segment in /dev/shm.

    The test's jobs get a tag of their own (SHMEM4PY_JOB_TAG, which shmemrun
    and a PE without a launcher put into the job id and so into the segment
    names), and only their segments are looked at: jobs of other users of
    the machine neither fail the test nor are touched.  Yields the tag."""
    tag = "t" + secrets.token_hex(6)
    monkeypatch.setenv("SHMEM4PY_JOB_TAG", tag)
    yield tag
    leaked = shm_segments(tag)
    for name in leaked:  # ours: they must not fail the next tests as well
        try:
            os.unlink(os.path.join("/dev/shm", name))
        except FileNotFoundError:
            pass
    assert not leaked, f"segments left in /dev/shm: {leaked}"


@pytest.fixture(scope="session", autouse=True)
def no_mpich_files_left():
    """The MPI peers and the mpi transport run MPICH, which leaves files in
    /dev/shm when one of its jobs is killed (a timeout, a fault test): those
    of this session that nothing maps are removed at its end."""
    before = mpich_shm_files()
    yield
    remove_unmapped_mpich_files(mpich_shm_files() - before)


@pytest.fixture(scope="session")
def numba_cache(tmp_path_factory):
    """One Numba cache for every job of the session that compiles @njit
    functions with cache=True (the SPMD tests' and the kernels'): they
    compile in the first job, whatever launched it (shmemrun or mpiexec),
    and load in the others.  The cached code depends on neither the PE count
    nor the transport: the compiled calls read libshmem's routing at run
    time."""
    return {"NUMBA_CACHE_DIR": str(tmp_path_factory.mktemp("numba-cache"))}
