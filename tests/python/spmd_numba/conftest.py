"""Every PE runs these tests; a barrier before and after each keeps the PEs
in step, so that a test's collective calls meet their peers'."""
import pytest

from shmem4py import shmem


@pytest.fixture(autouse=True)
def _in_step():
    shmem.barrier_all()
    yield
    shmem.barrier_all()
