"""shmem4py's API called by name inside @njit functions (shmem4py._numba):
RMA, signals, ordering, ptr.  Every PE runs these; results are checked
against what the ring pattern must give."""
import numpy as np
from numba import njit, prange

from shmem4py import shmem
from shmem4py._numba import _ext, _fast

from layout import amo_by_cpu, shared_pes

ME, NPES = shmem.my_pe(), shmem.n_pes()
NEXT, PREV = (ME + 1) % NPES, (ME - 1) % NPES


@njit(cache=True)
def ring_put_get(target, source, back, nxt, prv):
    # put to the next PE, then read back what the previous PE put here
    shmem.put(target, source, nxt)
    shmem.barrier_all()
    shmem.get(back, target, prv)
    shmem.barrier_all()
    return shmem.my_pe(), shmem.n_pes()


def test_ring_put_get():
    for dt in (np.int64, np.float32, np.int8, np.complex128, np.bool_):
        t = shmem.zeros(6, dtype=dt)
        src = (np.arange(6) + 10 * ME).astype(dt)
        back = np.zeros(6, dtype=dt)
        assert ring_put_get(t, src, back, NEXT, PREV) == (ME, NPES)
        np.testing.assert_array_equal(t, (np.arange(6) + 10 * PREV).astype(dt))
        # the previous PE's target holds what its own previous PE put
        np.testing.assert_array_equal(back, (np.arange(6) + 10 * ((ME - 2) % NPES)).astype(dt))
        shmem.free(t)


@njit(cache=True)
def put_slices(target, source, pe):
    # single elements and partial sizes, as in Python
    for i in range(source.size):
        shmem.put(target[i:i + 1], source[i:i + 1], pe)
    shmem.put(target[4:], source[:2], pe, 2)
    shmem.quiet()
    shmem.barrier_all()


def test_put_slices_and_size():
    t = shmem.zeros(6, dtype=np.int32)
    src = np.arange(1, 5, dtype=np.int32) + 100 * ME
    put_slices(t, src, NEXT)
    want = np.concatenate([np.arange(1, 5) + 100 * PREV, np.arange(1, 3) + 100 * PREV])
    np.testing.assert_array_equal(t, want)
    shmem.free(t)


@njit(cache=True)
def nbi(target, source, back, nxt, prv):
    shmem.put_nbi(target, source, nxt)
    shmem.quiet()
    shmem.barrier_all()
    shmem.get_nbi(back, target, prv, 3)
    shmem.quiet()
    shmem.barrier_all()


def test_nbi():
    t = shmem.zeros(5, dtype=np.float64)
    src = np.arange(5, dtype=np.float64) * (ME + 1)
    back = np.zeros(5)
    nbi(t, src, back, NEXT, PREV)
    np.testing.assert_array_equal(t, np.arange(5) * (PREV + 1))
    np.testing.assert_array_equal(back[:3], np.arange(3) * ((ME - 2) % NPES + 1))
    assert (back[3:] == 0).all()
    shmem.free(t)


@njit(cache=True)
def strided(target, source, back, nxt, prv):
    shmem.iput(target, source, nxt, 2, 1)        # source[0..] -> target[0, 2, 4, ...]
    shmem.barrier_all()
    shmem.iget(back, target, prv, tst=1, sst=2, size=3)
    shmem.barrier_all()


def test_iput_iget():
    t = shmem.zeros(6, dtype=np.int16)
    src = np.arange(3, dtype=np.int16) + 7 * ME + 1
    back = np.zeros(3, dtype=np.int16)
    strided(t, src, back, NEXT, PREV)
    np.testing.assert_array_equal(t[::2], np.arange(3) + 7 * PREV + 1)
    assert (t[1::2] == 0).all()
    np.testing.assert_array_equal(back, np.arange(3) + 7 * ((ME - 2) % NPES) + 1)
    shmem.free(t)


@njit(cache=True)
def p_and_g(a, value, nxt, prv):
    shmem.p(a, value, nxt)
    shmem.barrier_all()
    got = shmem.g(a, prv)
    shmem.barrier_all()
    return got


def test_p_g_dtypes():
    for dt in (np.int8, np.uint16, np.int32, np.uint64, np.float32, np.float64, np.bool_):
        a = shmem.zeros(3, dtype=dt)
        value = dt(ME % 2 == 0) if dt is np.bool_ else dt(ME + 3)
        got = p_and_g(a[1:], value, NEXT, PREV)
        want_here = dt(PREV % 2 == 0) if dt is np.bool_ else dt(PREV + 3)
        assert a[1] == want_here and a[0] == 0 and a[2] == 0
        assert got == (dt((ME - 2) % NPES % 2 == 0) if dt is np.bool_ else dt((ME - 2) % NPES + 3))
        shmem.free(a)


@njit(cache=True)
def signal_ring(target, source, sig, nxt, round_):
    shmem.put_signal(target, source, nxt, sig, round_, shmem.SIGNAL_SET)
    seen = shmem.signal_wait_until(sig, shmem.CMP_GE, round_)
    fetched = shmem.signal_fetch(sig)
    shmem.put_signal_nbi(target, source, nxt, sig, 1, "add")
    shmem.quiet()
    shmem.barrier_all()
    return seen, fetched


def test_put_signal():
    t = shmem.zeros(4, dtype=np.int64)
    sig = shmem.new_signal()
    src = np.full(4, ME + 1, dtype=np.int64)
    seen, fetched = signal_ring(t, src, sig, NEXT, 5)
    # the previous PE's 'add' may land before this PE looks
    assert seen in (5, 6) and fetched in (5, 6) and fetched >= seen
    assert sig[0] == 6
    np.testing.assert_array_equal(t, np.full(4, PREV + 1))
    shmem.del_signal(sig)
    shmem.free(t)


@njit(cache=True)
def through_ptr(a, nxt):
    v = shmem.ptr(a, nxt)
    reached = v is not None
    if v is not None:
        v[1:] = shmem.my_pe() + 1  # stores straight into the next PE's memory
    shmem.barrier_all()            # every PE, reached or not
    return reached


def test_ptr():
    a = shmem.zeros(4, dtype=np.int32)
    # ptr tells the truth per PE: the next PE is mapped here where it shares
    # this PE's node and the job does not route it through the transport
    routed = NEXT not in shared_pes(ME, NPES)
    assert (shmem.ptr(a, NEXT) is not None) == (not routed)
    assert through_ptr(a, NEXT) == (not routed)
    if PREV in shared_pes(ME, NPES):  # the previous PE reached this one
        np.testing.assert_array_equal(a, [0] + [PREV + 1] * 3)
    shmem.barrier_all()
    shmem.free(a)


@njit
def fast_addresses(a, pe):
    # where the compiled fast path finds a's bytes at PE pe for a copy and
    # for an AMO (0: it leaves the call to the library)
    # (the flag must be a literal: 2 is _fast.REACH_AMO, checked below)
    addr = _fast.address(a)
    return _fast.remote_addr(addr, 8, pe, 0), _fast.remote_addr(addr, 8, pe, 2)


def test_fast_path_follows_reach_flags():
    """The compiled fast path reads libshmem's published struct, and takes
    a PE only where its reach flags allow: every PE in a job on one node; in
    a routed job (SHMEMI_NETWORK_LOOPBACK) only what the library maps."""
    assert _ext.FAST, "the compiled fast path does not read libshmem's struct"
    assert _fast.REACH_AMO == 2
    a = shmem.zeros(2, dtype=np.int64)
    copy, amo = fast_addresses(a, ME)
    assert copy == a.ctypes.data and amo == (a.ctypes.data if amo_by_cpu(ME, NPES, ME) else 0)
    if NPES > 1:
        copy, amo = fast_addresses(a, NEXT)
        near = NEXT in shared_pes(ME, NPES)
        assert (copy != 0) == near, (near, copy)
        assert (amo != 0) == amo_by_cpu(ME, NPES, NEXT), (near, amo)
    assert fast_addresses(a, NPES) == (0, 0)
    shmem.free(a)


@njit(parallel=True, cache=True)
def parallel_then_put(target, source, nxt):
    # the arithmetic in a prange loop, the communication outside it
    tmp = np.empty_like(source)
    for i in prange(source.size):
        tmp[i] = source[i] * 2.0
    shmem.put(target, tmp, nxt)
    shmem.barrier_all()
    return tmp.sum()


def test_parallel_function():
    t = shmem.zeros(100, dtype=np.float64)
    src = np.arange(100, dtype=np.float64) + ME
    assert parallel_then_put(t, src, NEXT) == 2 * src.sum()
    np.testing.assert_array_equal(t, 2 * (np.arange(100) + PREV))
    shmem.free(t)
