"""shmem4py.api's routines called from Numba-compiled code: the module is an
out-of-line CFFI module, which Numba calls directly once registered."""
import numpy as np
from numba import njit
from numba.core.typing import cffi_utils
from spmd_util import ME, NEXT, NPES, PREV

import shmem4py.api
from shmem4py import shmem
from shmem4py.api import ffi, lib

cffi_utils.register_module(shmem4py.api)


@njit(cache=False)
def _ring(target, source, pe):
    # Arrays pass as pointers (ffi.from_buffer); the result of a query is an int.
    me = lib.shmem_my_pe()
    lib.shmem_long_put(ffi.from_buffer(target), ffi.from_buffer(source), source.size, pe)
    lib.shmem_barrier_all()
    return me


@njit(cache=False)
def _count(counter, rounds):
    total = 0
    for _ in range(rounds):
        total += lib.shmem_long_atomic_fetch_inc(ffi.from_buffer(counter), 0)
    lib.shmem_barrier_all()
    return total, lib.shmem_long_g(ffi.from_buffer(counter), 0)


@njit(cache=False)
def _wait_flag(flag, value):
    lib.shmem_int_wait_until(ffi.from_buffer(flag), lib.SHMEM_CMP_EQ, value)
    return flag[0]


def test_put_and_barrier_in_njit():
    t = shmem.zeros(5, dtype=np.int64)
    src = np.arange(5, dtype=np.int64) + 10 * ME
    assert _ring(t, src, NEXT) == ME
    np.testing.assert_array_equal(t, np.arange(5) + 10 * PREV)
    shmem.barrier_all()
    shmem.free(t)


def test_atomics_in_njit():
    c = shmem.zeros(1, dtype=np.int64)
    shmem.barrier_all()
    _, final = _count(c, 7)
    assert final == 7 * NPES
    shmem.barrier_all()
    shmem.free(c)


def test_wait_until_in_njit():
    flag = shmem.zeros(1, dtype=np.int32)
    shmem.barrier_all()
    shmem.atomic_set(flag, ME + 1, NEXT)
    assert _wait_flag(flag, PREV + 1) == PREV + 1
    shmem.barrier_all()
    shmem.free(flag)
