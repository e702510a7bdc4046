"""Symmetric memory: alloc/free/fromalloc/realloc, the constructors, hints
and alignment, heap exhaustion, use after free."""
import numpy as np
import pytest
from spmd_util import ME, NEAR_NEXT, NEAR_PREV, NEXT, NPES, PREV, SHARED_PES

from shmem4py import shmem


def test_alloc_fromalloc_free():
    mem = shmem.alloc(10, 8)
    assert isinstance(mem, memoryview) and mem.nbytes == 80 and not mem.readonly
    assert bytes(mem) == bytes(80)  # cleared by default
    a = shmem.fromalloc(mem, dtype="l")
    assert a.shape == (10,) and a.dtype == np.dtype("l")
    b = shmem.fromalloc(mem, (2, 5), "l", "F")
    assert b.flags.f_contiguous
    d = shmem.fromalloc(mem)  # float64 by default, as many as fit
    assert d.dtype == np.float64 and d.shape == (10,)
    shmem.barrier_all()  # every PE has seen its zeros before anyone writes
    shmem.put(a, np.full(10, ME, dtype="l"), NEXT)
    shmem.barrier_all()
    assert (a == PREV).all() and (b == PREV).all()
    with pytest.raises(ValueError, match="needs"):
        shmem.fromalloc(mem, 11, "l")
    with pytest.raises(TypeError, match="memoryview"):
        shmem.fromalloc(a)
    shmem.barrier_all()
    shmem.free(mem)
    with pytest.raises(ValueError, match="freed"):
        shmem.put(b, np.zeros((2, 5), "l"), NEXT)
    empty = shmem.alloc(0)
    assert empty.nbytes == 0
    shmem.free(empty)
    raw = shmem.alloc(count=3, size=5, clear=False)
    assert raw.nbytes == 15
    shmem.free(raw)


def test_alloc_align_and_hints():
    for align in (1, 64, 4096, np.int64(256)):
        mem = shmem.alloc(16, align=align)
        assert np.frombuffer(mem, np.uint8).ctypes.data % int(align) == 0
        shmem.free(mem)
    for hints in (shmem.MALLOC_ATOMICS_REMOTE, shmem.MALLOC.SIGNAL_REMOTE,
                  shmem.MALLOC_ATOMICS_REMOTE | shmem.MALLOC_SIGNAL_REMOTE, 0):
        mem = shmem.alloc(8, hints=hints)
        assert bytes(mem) == bytes(8)
        shmem.free(mem)
    a = shmem.zeros(4, dtype="i", align=128, hints=shmem.MALLOC_ATOMICS_REMOTE)
    assert a.ctypes.data % 128 == 0 and (a == 0).all()
    shmem.free(a)
    with pytest.raises(ValueError, match="align"):
        shmem.alloc(8, align=3)
    with pytest.raises(ValueError, match="align"):
        shmem.alloc(8, align=0)
    with pytest.raises(ValueError, match="hints"):
        shmem.alloc(8, hints=8)
    with pytest.raises(ValueError, match="negative"):
        shmem.alloc(-1)
    with pytest.raises(TypeError, match="count"):
        shmem.alloc(1.5)


def test_constructors():
    a = shmem.array([[1, 2], [3, 4]], dtype="f")
    assert a.shape == (2, 2) and a.dtype == np.float32 and a[1, 1] == 4
    f = shmem.array(np.asfortranarray(np.ones((2, 3))))
    assert f.flags.f_contiguous
    e = shmem.empty(5, dtype="i")
    z = shmem.zeros((2, 3))
    o = shmem.ones(4, dtype="u1")
    fl = shmem.full((3,), 7.5)
    fi = shmem.full(2, 3, dtype="h", order="F")
    n = shmem.new_array(3, "c16", clear=True)
    n2 = shmem.new_array((2, 2), order="F", align=256)
    assert e.shape == (5,) and e.dtype == np.int32
    assert z.shape == (2, 3) and z.dtype == np.float64 and (z == 0).all()
    assert (o == 1).all() and o.dtype == np.uint8
    assert (fl == 7.5).all() and fl.dtype == np.float64
    assert (fi == 3).all() and fi.dtype == np.int16
    assert n.dtype == np.complex128 and (n == 0).all()
    assert n2.flags.f_contiguous and n2.ctypes.data % 256 == 0
    for x in (a, f, e, z, o, fl, fi, n, n2):
        assert isinstance(x, np.ndarray)
        assert shmem.addr_accessible(x, NEXT)
    # Constructors end with a barrier: a neighbour's values are in place.
    v = shmem.full(2, ME, dtype="l")
    assert shmem.g(v, NEXT) == NEXT
    s = shmem.array(np.array([ME, ME]))
    assert shmem.g(s, PREV) == PREV
    shmem.barrier_all()
    for x in (a, f, e, z, o, fl, fi, n, v, s):
        shmem.free(x)
    shmem.del_array(n2)
    with pytest.raises(TypeError, match="objects"):
        shmem.zeros(2, dtype=object)
    with pytest.raises(ValueError, match="order"):
        shmem.empty(2, order="X")
    with pytest.raises(ValueError, match="negative"):
        shmem.zeros(-1)


def test_zero_size_arrays():
    z = shmem.zeros(0, dtype="i")
    assert z.size == 0
    shmem.put(z, np.zeros(0, "i"), NEXT)  # nothing to move
    shmem.free(z)


def test_views_free_the_block_and_use_after_free_raises():
    a = shmem.zeros((4, 4), dtype="d")
    v = a[1:3, ::2]
    shmem.free(v)
    for x in (a, a[0], a.T):
        with pytest.raises(ValueError, match="freed"):
            shmem.p(x, 1.0, NEXT)
    with pytest.raises(ValueError, match="freed"):
        shmem.free(a)
    with pytest.raises(ValueError, match="not symmetric"):
        shmem.free(np.zeros(3))
    with pytest.raises(TypeError):
        shmem.free([1, 2])


def test_realloc_keeps_contents():
    a = shmem.array(np.arange(4, dtype="i") + ME)
    b = shmem.realloc(a, 8)
    assert b.shape == (8,) and list(b[:4]) == list(np.arange(4) + ME)
    with pytest.raises(ValueError, match="freed"):
        shmem.put(a, np.zeros(4, "i"), NEXT)
    shmem.put(b[4:], np.full(4, ME, "i"), NEXT)
    shmem.barrier_all()
    assert list(b[4:]) == [PREV] * 4
    c = shmem.realloc(b, 2)
    assert list(c) == [ME, ME + 1]
    mem = shmem.alloc(4)
    mem[:] = b"abcd"
    mem2 = shmem.realloc(mem, 3, 4)
    assert isinstance(mem2, memoryview) and mem2.nbytes == 12 and bytes(mem2[:4]) == b"abcd"
    shmem.free(mem2)
    shmem.free(c)


def test_heap_exhausted_raises():
    with pytest.raises(shmem.ShmemError, match="heap"):
        shmem.alloc(1 << 46)
    # The heap still works afterwards.
    a = shmem.zeros(2)
    shmem.free(a)
    assert issubclass(shmem.ShmemError, RuntimeError)


def test_ptr_and_addr_accessible():
    # ptr reaches the PEs of this node (all of them under shmemrun).
    a = shmem.array(np.arange(6, dtype="i").reshape(2, 3) + 10 * ME)
    remote = shmem.ptr(a, NEAR_NEXT)
    assert remote is not None and remote.shape == (2, 3)
    assert (remote == np.arange(6).reshape(2, 3) + 10 * NEAR_NEXT).all()
    assert all((shmem.ptr(a, pe) is None) == (pe not in SHARED_PES) for pe in range(NPES))
    shmem.barrier_all()
    rv = shmem.ptr(a[:, 1], pe=np.int8(NEAR_NEXT))  # a strided view
    assert list(rv) == [10 * NEAR_NEXT + 1, 10 * NEAR_NEXT + 4]
    shmem.barrier_all()
    remote[0, 0] = -ME  # a store into the neighbour's copy
    shmem.barrier_all()
    assert a[0, 0] == -NEAR_PREV
    assert shmem.ptr(np.zeros(2), NEXT) is None
    assert shmem.ptr(a, NPES) is None
    assert shmem.addr_accessible(a, NEXT)
    assert not shmem.addr_accessible(np.zeros(2), NEXT)
    assert not shmem.addr_accessible(a, NPES)
    with pytest.raises(TypeError):
        shmem.ptr([1], 0)
    shmem.barrier_all()
    shmem.free(a)
    assert shmem.ptr(a, NEXT) is None
    assert not shmem.addr_accessible(a, NEXT)
