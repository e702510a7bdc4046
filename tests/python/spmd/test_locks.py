"""Distributed locks: the functions and the Lock class."""
import numpy as np
import pytest
from spmd_util import ME, NPES

from shmem4py import shmem


def test_lock_functions_protect_a_counter():
    lock = shmem.new_lock()
    counter = shmem.zeros(1, dtype="l")
    for _ in range(20):
        shmem.set_lock(lock)
        v = shmem.g(counter, 0)
        shmem.p(counter, v + 1, 0)
        shmem.quiet()
        shmem.clear_lock(lock)
    shmem.barrier_all()
    if ME == 0:
        assert counter[0] == 20 * NPES
    shmem.barrier_all()
    shmem.free(counter)
    shmem.del_lock(lock)


def test_test_lock_and_errors():
    lock = shmem.new_lock()
    if ME == 0:
        assert shmem.test_lock(lock) is False  # acquired
        assert shmem.test_lock(lock) is True   # held (by this PE)
        with pytest.raises(shmem.ShmemError, match="holds"):
            shmem.set_lock(lock)
        shmem.clear_lock(lock)
    shmem.barrier_all()
    with pytest.raises(shmem.ShmemError, match="does not hold"):
        shmem.clear_lock(lock)
    with pytest.raises(TypeError, match="int64"):
        shmem.set_lock(shmem.zeros(1, dtype="d"))
    with pytest.raises(ValueError, match="not symmetric"):
        shmem.set_lock(np.zeros(1, dtype="l"))
    shmem.barrier_all()
    shmem.del_lock(lock)
    with pytest.raises(ValueError, match="freed"):
        shmem.set_lock(lock)


def test_lock_class():
    lock = shmem.Lock()
    total = shmem.zeros(1, dtype="i")
    for _ in range(10):
        with lock:
            shmem.p(total, shmem.g(total, 0) + 1, 0)
            shmem.quiet()
    assert lock.acquire() is True
    lock.release()
    while not lock.acquire(blocking=False):
        pass
    lock.release()
    shmem.barrier_all()
    if ME == 0:
        assert total[0] == 10 * NPES
    shmem.barrier_all()
    lock.destroy()
    with pytest.raises(ValueError, match="destroyed"):
        lock.acquire()
    lock.destroy()  # again: nothing
    shmem.free(total)
