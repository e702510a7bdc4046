"""Fixtures of the test suite."""
import pytest

from jobs import shm_segments


@pytest.fixture
def no_leaked_segments():
    before = set(shm_segments())
    yield
    leaked = set(shm_segments()) - before
    assert not leaked, f"segments left in /dev/shm: {sorted(leaked)}"
