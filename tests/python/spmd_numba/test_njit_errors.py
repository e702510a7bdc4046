"""Misuse inside @njit functions: what the compiler can see is a typing
error naming the routine and the argument; what only shows at run time (PE
out of range, size past the end, memory outside the symmetric heap) raises
ValueError naming the routine, the argument or the PE, and leaves the job
running."""
import numpy as np
import pytest
from numba import njit
from numba.core.errors import TypingError

from shmem4py import shmem

ME, NPES = shmem.my_pe(), shmem.n_pes()


@njit(cache=True)
def add(a, v, pe):
    shmem.atomic_add(a, v, pe)


@njit(cache=True)
def put(t, s, pe):
    shmem.put(t, s, pe)


@njit(cache=True)
def put_n(t, s, pe, n):
    shmem.put(t, s, pe, n)


@njit(cache=True)
def wait(a, cmp, v):
    shmem.wait_until(a, cmp, v)


@njit(cache=True)
def wait_ne(a, v):
    shmem.wait_until(a, "<>", v)


@njit(cache=True)
def wait_any_status(a, status):
    return shmem.wait_until_any(a, shmem.CMP_NE, 0, status)


@njit(cache=True)
def sig_wait(sig):
    return shmem.signal_wait_until(sig, shmem.CMP_GE, 1)


@njit(cache=True)
def put_ctx(t, s, pe, ctx):
    shmem.put(t, s, pe, ctx=ctx)


@njit(cache=True)
def reduce_team(t, s, team):
    shmem.sum_reduce(t, s, team=team)


def test_typing_errors():
    a = shmem.zeros(2, dtype=np.float64)
    i = shmem.zeros(2, dtype=np.int64)
    with pytest.raises(TypingError, match=r"atomic_add\(\): argument 'target' has dtype "
                                          r"float64, which atomic_add does not support"):
        add(a, 1.0, 0)
    with pytest.raises(TypingError, match=r"put\(\): arguments 'target' \(dtype float64\) "
                                          r"and 'source' \(dtype int64\)"):
        put(a, i, 0)
    with pytest.raises(TypingError, match=r"put\(\): argument 'pe' must be an integer"):
        put(a, a, 0.5)
    with pytest.raises(TypingError, match=r"put\(\): argument 'target' must be a NumPy array"):
        put(1, a, 0)
    with pytest.raises(TypingError, match=r"wait_until\(\): argument 'cmp' \('<>'\) is not"):
        wait_ne(i, 0)
    with pytest.raises(TypingError, match=r"wait_until\(\): argument 'ivar' has dtype float64"):
        wait(a, shmem.CMP_EQ, 0.0)
    with pytest.raises(TypingError, match=r"wait_until_any\(\): argument 'status' must be None "
                                          r"or an int32 array"):
        wait_any_status(i, np.zeros(2, dtype=np.int64))
    with pytest.raises(TypingError, match=r"signal_wait_until\(\): argument 'signal' must be a "
                                          r"uint64 array"):
        sig_wait(i)
    with pytest.raises(TypingError, match=r"put\(\): argument 'ctx' must be None"):
        put_ctx(a, a, 0, 1)
    with pytest.raises(TypingError, match=r"sum_reduce\(\): argument 'team' must be None"):
        reduce_team(a, a, 1)
    ro = np.frombuffer(b"\0" * 16, dtype=np.float64)
    with pytest.raises(TypingError, match=r"put\(\): argument 'target' is read-only"):
        put(ro, a, 0)
    shmem.free(a)
    shmem.free(i)


def test_runtime_errors():
    a = shmem.zeros(4, dtype=np.int64)
    local = np.zeros(4, dtype=np.int64)
    with pytest.raises(ValueError, match=rf"put\(\): PE {NPES} is out of range "
                                         rf"\(0 <= pe < {NPES}\)"):
        put(a, local, NPES)
    with pytest.raises(ValueError, match=r"atomic_add\(\): PE -1 is out of range"):
        add(a, 1, -1)
    with pytest.raises(ValueError, match=r"put\(\): argument 'target' is not symmetric"):
        put(local, a, 0)
    with pytest.raises(ValueError, match=r"put\(\): size 5 is larger than argument 'target' "
                                         r"\(4 elements\)"):
        put_n(a, np.zeros(8, dtype=np.int64), 0, 5)
    with pytest.raises(ValueError, match=r"put\(\): argument 'size' must not be negative"):
        put_n(a, local, 0, -1)
    with pytest.raises(ValueError, match=r"atomic_add\(\): argument 'target' is empty"):
        add(a[:0], 1, 0)
    with pytest.raises(ValueError, match=r"wait_until\(\): argument 'cmp' \(9\) is out of range"):
        wait(a, 9, 0)
    # the job goes on: a correct call still works
    put(a, local + ME, ME)
    assert (a == ME).all()
    shmem.free(a)
