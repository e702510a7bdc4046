"""Argument conversions as shmem4py 1.0 does them, on NumPy 2.x and 1.26
alike: fill values, single values given as NumPy scalars or one-element
arrays, status and _vector values of other kinds, empty aligned blocks,
alltoall's default size, and the kinds of shapes and PEs."""
from fractions import Fraction

import numpy as np
import pytest
from spmd_util import ME, NEXT, NPES, PREV

from shmem4py import shmem


def test_full_casts_the_fill_value_as_numpy_array():
    cases = [
        ((2,), -1, "u1", [255, 255]),
        ((3,), 300, "u1", [44, 44, 44]),
        ((2,), np.int64(-2), "u2", [65534, 65534]),
        ((2,), True, "i", [1, 1]),
        ((2,), 2.9, "i", [2, 2]),
        ((2,), np.array([7]), "f", [7.0, 7.0]),
        ((2,), -1, "i1", [-1, -1]),
    ]
    for shape, fill, dt, expect in cases:
        a = shmem.full(shape, fill, dtype=dt)
        assert a.dtype == np.dtype(dt) and a.tolist() == expect, (fill, dt, a)
        # full ends with a barrier: the neighbour's copy is filled too.
        assert shmem.g(a, NEXT) == expect[0]
        shmem.barrier_all()
        shmem.free(a)
    rows = shmem.full((2, 3), [1, 2, ME])  # a fill value that broadcasts
    assert rows.tolist() == [[1, 2, ME], [1, 2, ME]] and rows.dtype == np.array([1]).dtype
    z = shmem.full(2, 1 + 2j, dtype="D", order="F")
    assert z.tolist() == [1 + 2j, 1 + 2j]
    shmem.free(z)
    shmem.free(rows)


def test_amo_values_as_numpy_scalars_and_one_element_arrays():
    x = shmem.zeros(1, dtype="l")
    shmem.barrier_all()
    shmem.atomic_set(x, np.True_, NEXT)
    shmem.atomic_add(x, np.array([2]), NEXT)                # one-element array
    shmem.atomic_add(x, np.array(3, dtype="i2"), NEXT)      # 0-d array of another dtype
    shmem.atomic_add(x, np.uint8(4), NEXT)                  # NumPy scalar of another dtype
    assert shmem.atomic_fetch_add(x, np.array([[5]]), NEXT) == 10
    old = shmem.atomic_compare_swap(x, np.array([15]), np.int8(-7), NEXT)
    assert old == 15
    assert shmem.atomic_swap(x, np.bool_(False), NEXT) == -7
    shmem.barrier_all()
    assert x[0] == 0
    u = shmem.zeros(1, dtype="I")
    shmem.atomic_set(u, np.int64(-1), ME)  # a NumPy integer converts as NumPy casts it
    assert u[0] == 2**32 - 1
    f = shmem.zeros(1, dtype="d")
    shmem.atomic_set(f, np.float32(1.5), ME)
    assert shmem.atomic_swap(f, np.array([2.5]), ME) == 1.5
    assert shmem.atomic_fetch(f, ME) == 2.5
    shmem.atomic_set(f, np.True_, ME)
    assert f[0] == 1.0
    shmem.atomic_set(f, Fraction(3, 4), ME)  # objects with __float__, as CFFI takes them
    assert f[0] == 0.75
    # The array's own dtype (copied as is), and the same type in the other
    # byte order (converted).
    i = shmem.zeros(1, dtype="i")
    for value, expect in ((np.int32(-5), -5), (np.array([6], "i"), 6), (np.array([7], ">i4"), 7),
                          (np.array(8, "<i4"), 8), (np.array([[9]], "i")[:, :1], 9)):
        shmem.atomic_set(i, value, ME)
        assert i[0] == expect, value
    tf = shmem.zeros(1, "f")
    for k, value in enumerate((np.float32(0.25), np.array([0.5], "f"), np.array([0.75], ">f4"))):
        shmem.p(tf, value, ME)
        assert tf[0] == 0.25 * (k + 1)
    shmem.free(tf)
    shmem.free(i)
    fetch = np.zeros(1, dtype="l")
    shmem.atomic_fetch_add_nbi(fetch, x, np.array([1]), NEXT)
    shmem.atomic_compare_swap_nbi(fetch[0:1], x, cond=np.array(99), value=np.True_, pe=ME)
    shmem.quiet()
    shmem.barrier_all()
    assert x[0] == 1
    shmem.atomic_op(x, np.array([2]), shmem.AMO.ADD, ME)
    assert shmem.atomic_fetch_op(x, np.int16(0), "set", ME) == 3
    shmem.barrier_all()
    for a in (x, u, f):
        shmem.free(a)


def test_more_than_one_element_or_lossy_kinds_raise_naming_the_argument():
    x = shmem.zeros(1, dtype="i")
    with pytest.raises(TypeError, match=r"atomic_set\(\): argument 'value'.*2 elements"):
        shmem.atomic_set(x, np.array([1, 2]), ME)
    with pytest.raises(TypeError, match=r"atomic_compare_swap\(\): argument 'cond'"):
        shmem.atomic_compare_swap(x, np.zeros(3, "i"), 1, ME)
    with pytest.raises(TypeError, match=r"wait_until\(\): argument 'value'"):
        shmem.wait_until(x, "==", np.zeros(2, "i"))
    with pytest.raises(TypeError, match=r"atomic_add\(\): argument 'value'"):
        shmem.atomic_add(x, np.float64(1.0), ME)          # floats do not truncate
    with pytest.raises(TypeError, match=r"atomic_add\(\): argument 'value'"):
        shmem.atomic_add(x, np.array([1.5]), ME)
    with pytest.raises(TypeError, match=r"atomic_add\(\): argument 'value'"):
        shmem.atomic_add(x, np.array(["1"]), ME)
    with pytest.raises(TypeError, match=r"atomic_add\(\): argument 'value'"):
        shmem.atomic_add(x, np.array([], "i"), ME)
    with pytest.raises(TypeError, match=r"put\(\): argument 'pe'"):
        shmem.put(x, np.zeros(1, "i"), np.array([0, 0]))
    with pytest.raises(TypeError, match=r"put\(\): argument 'pe'"):
        shmem.put(x, np.zeros(1, "i"), np.array([0.0]))
    d = shmem.zeros(1, dtype="d")
    with pytest.raises(TypeError, match=r"p\(\): argument 'value'"):
        shmem.p(d, np.complex64(1j), ME)                  # complex into float64
    with pytest.raises(TypeError, match=r"p\(\): argument 'value'"):
        shmem.p(d, None, ME)
    shmem.barrier_all()
    shmem.free(d)
    shmem.free(x)


def test_pe_as_numpy_scalar_bool_and_arrays():
    a = shmem.zeros(4, dtype="i")
    src = np.full(4, ME, dtype="i")
    shmem.barrier_all()
    for k, pe in enumerate((np.array(NEXT), np.array([NEXT]), np.uint8(NEXT),
                            np.array([[NEXT]], dtype="u2"))):
        shmem.put(a[k:k + 1], src[k:k + 1], pe)
    shmem.barrier_all()
    assert a.tolist() == [PREV] * 4
    if NPES > 1:
        b = shmem.zeros(1, dtype="i")
        shmem.barrier_all()
        if ME == 0:
            shmem.p(b, 5, np.True_)  # PE 1
        shmem.barrier_all()
        assert b[0] == (5 if ME == 1 else 0)
        shmem.free(b)
    assert shmem.g(a, np.array([ME])) == PREV
    out = np.zeros(1, "i")
    shmem.get(out, a, np.array(PREV))
    assert out[0] == (PREV - 1) % NPES
    assert shmem.pe_accessible(np.array([NEXT])) and not shmem.pe_accessible(2**70)
    assert shmem.addr_accessible(a, np.int8(NEXT)) and not shmem.addr_accessible(a, -1)
    shmem.broadcast(a[2:], a[:2], root=np.array([0]))
    shmem.barrier_all()
    shmem.free(a)


def test_wavefront_flag_flip_with_a_symmetric_expected_value():
    # The pattern of pipelined wavefront kernels: a 1-element flag array
    # flipped every iteration, waited on with a symmetric 1-element
    # `expected` array as the value.
    flag = shmem.zeros(2, dtype="i")
    expected = shmem.zeros(1, dtype="i")
    data = shmem.zeros(3, dtype="d")
    shmem.barrier_all()
    for it in range(1, 6):
        expected[0] = it
        shmem.put(data, np.full(3, 10.0 * it + ME), NEXT)
        shmem.fence()
        shmem.atomic_set(flag[0:1], expected, NEXT)
        shmem.wait_until(flag[0:1], shmem.CMP.GE, expected)
        shmem.wait_until(flag[0:1], ">=", np.array(it, dtype="i8"))
        assert shmem.test(flag[0:1], shmem.CMP.GE, expected[0])
        # The put was fenced before the flag: this iteration's data is here.
        assert data.tolist() == [10.0 * it + PREV] * 3
        shmem.barrier_all()
    assert flag[0] == 5
    shmem.barrier_all()
    for x in (flag, expected, data):
        shmem.free(x)


def test_signal_values_and_sigop_kinds():
    sig = shmem.new_signal()
    data = shmem.zeros(2, dtype="i")
    shmem.barrier_all()
    shmem.put_signal(data, np.array([ME, ME], "i"), NEXT, sig, np.array([3], "u8"), np.int8(0))
    assert shmem.signal_wait_until(sig, shmem.CMP.EQ, np.array(3)) == 3
    assert data.tolist() == [PREV, PREV]
    shmem.barrier_all()
    shmem.put_signal(data, np.array([ME, ME], "i"), NEXT, sig, np.True_, shmem.SIGNAL.ADD)
    assert shmem.signal_wait_until(sig, ">=", np.uint16(4)) == 4
    with pytest.raises(TypeError, match=r"put_signal\(\): argument 'value'"):
        shmem.put_signal(data, data, ME, sig, np.array([1, 2]), shmem.SIGNAL_SET)
    with pytest.raises(TypeError, match=r"signal_wait_until\(\): argument 'value'"):
        shmem.signal_wait_until(sig, "==", 1.0)
    shmem.barrier_all()
    shmem.free(data)
    shmem.del_signal(sig)


@pytest.mark.parametrize("dt", ["i", "q", "L"])
def test_status_and_vector_values_of_other_kinds(dt):
    ivars = shmem.array([1, 2, 3, 4], dtype=dt)
    for status in (np.array([False, True, True, True]), [0, True, 1, 1], (False, 1, 1, 1),
                   np.array([0, 1, 1, 1], dtype="u1"), [np.False_, np.True_, 1, 1],
                   np.array([[0, 1], [1, 1]]), np.array([0, 9, 1, 1, 0, 0])[:4]):
        assert shmem.test_all(ivars, "==", 1, status=status) is True
        assert shmem.test_some(ivars, ">", 0, status) == [0]
    assert shmem.test_any(ivars, "==", 2, status=np.array([1, 0, 1, 1], "?")) == 1
    # A float mask (numpy.zeros) truncates to int, as numpy.asarray(status, 'i').
    for status in (np.array([0.0, 1.0, 1.0, 1.0]), np.array([0.5, 1.0, -1.5, 2.0]), [0.0, 1, 1, 1]):
        assert shmem.test_some(ivars, ">", 0, status=status) == [0]
    # A Fortran-ordered array is read in memory order, as shmem4py 1.0 reads
    # it; a reversed view in its own order.
    fs = np.asfortranarray(np.array([[1, 0], [1, 1]]))
    assert shmem.test_some(ivars, ">", 0, status=fs) == [2]
    assert shmem.test_some(ivars, ">", 0, status=np.array([1, 1, 1, 0])[::-1]) == [0]
    assert shmem.test_all_vector(ivars, "==", np.asfortranarray([[1, 3], [2, 4]])) is True
    for values in ([1.0, 2.0, 3.0, 4.0], np.array([1, 2, 3, 4], dtype="i2"),
                   np.array([1.9, 2.2, 3.0, 4.7]), (np.int8(1), 2, np.uint64(3), 4),
                   np.array([1, 2, 3, 4, 99], dtype="u8"), np.repeat(np.arange(1, 5), 2)[::2]):
        assert shmem.test_all_vector(ivars, "==", values) is True, values
        assert shmem.wait_until_some_vector(ivars, "==", values) == [0, 1, 2, 3]
    assert shmem.test_any_vector(ivars, "!=", [1, 2, 0, 4], np.array([0, 0, 0, 0], bool)) == 2
    with pytest.raises(TypeError, match=r"test_all\(\): argument 'status'"):
        shmem.test_all(ivars, "==", 1, status=["0", "1", "1", "1"])
    with pytest.raises(TypeError, match=r"test_all\(\): argument 'status'"):
        shmem.test_all(ivars, "==", 1, status="0111")
    with pytest.raises(ValueError, match=r"test_all\(\): argument 'status'"):
        shmem.test_all(ivars, "==", 1, status=np.zeros(3, bool))
    with pytest.raises(TypeError, match=r"test_all_vector\(\): argument 'values'"):
        shmem.test_all_vector(ivars, "==", np.array([1j, 2, 3, 4]))
    with pytest.raises(ValueError, match=r"test_all_vector\(\): argument 'values'"):
        shmem.test_all_vector(ivars, "==", np.array([1.0, 2.0]))
    shmem.free(ivars)


def test_empty_blocks_keep_their_alignment():
    for align in (64, 256, 4096, 1 << 16):
        mem = shmem.alloc(0, 8, align)
        assert mem.nbytes == 0
        assert shmem._shmem.owner(mem).address % align == 0
        assert np.asarray(mem).__array_interface__["data"][0] % align == 0
        a = shmem.new_array(0, "d", align=align)
        assert a.size == 0 and a.ctypes.data % align == 0
        assert shmem.addr_accessible(a, NEXT)
        shmem.free(a)
        shmem.free(mem)
    mem = shmem.alloc(0)
    grown = shmem.realloc(mem, 4, 2)
    assert grown.nbytes == 8
    shmem.free(grown)


def test_alltoall_default_size_must_divide_evenly():
    src = shmem.array(np.arange(2 * NPES + 1, dtype="i") + 100 * ME)
    dst = shmem.zeros(2 * NPES + 1, dtype="i")
    if NPES > 1:
        with pytest.raises(ValueError, match=r"alltoall\(\).*divide evenly"):
            shmem.alltoall(dst, src)
        with pytest.raises(ValueError, match=r"alltoalls\(\).*divide evenly"):
            shmem.alltoalls(dst, src)
    shmem.alltoall(dst, src, size=2)  # an explicit size is fine
    assert dst[:2 * NPES].tolist() == [100 * pe + 2 * ME + k for pe in range(NPES) for k in (0, 1)]
    shmem.barrier_all()
    shmem.alltoalls(dst, src, size=np.int64(1))
    assert dst[:NPES].tolist() == [100 * pe + ME for pe in range(NPES)]
    shmem.barrier_all()
    shmem.free(dst)
    shmem.free(src)


def test_shapes_dtypes_and_orders_of_the_constructors():
    for shape, expect in ((np.array([2, 3]), (2, 3)), ([2, np.int8(3)], (2, 3)),
                          ((np.uint8(2), 3), (2, 3)), (np.int64(6), (6,)), (np.array(6), (6,)),
                          (range(1, 3), (1, 2)), (np.array([True]), (1,))):
        a = shmem.zeros(shape, dtype=np.int16)
        assert a.shape == expect and (a == 0).all()
        shmem.free(a)
    f = shmem.empty((2, 3), "f8", "F")
    assert f.flags.f_contiguous
    o = shmem.ones((2, 2), np.dtype("u1"), order="F")
    assert o.flags.f_contiguous and o.tolist() == [[1, 1], [1, 1]]
    s = shmem.zeros(3, "S")  # an unsized string dtype: one character, as NumPy
    assert s.dtype == np.dtype("S1")
    # Fortran-ordered and 0-d sources of array(), in both orders.
    src = np.asfortranarray(np.arange(6, dtype="i").reshape(2, 3))
    for order, fortran in (("K", True), ("A", True), ("C", False), ("F", True)):
        b = shmem.array(src, order=order)
        assert b.flags.f_contiguous == fortran and (b == src).all()
        shmem.free(b)
    z = shmem.array(np.float32(2.5))
    assert z.shape == () and z.dtype == np.float32 and z[()] == 2.5
    # put/get between Fortran-ordered arrays move memory order, as 1.0 does.
    t = shmem.zeros((2, 3), "i", order="F")
    shmem.put(t, src, NEXT)
    shmem.barrier_all()
    assert (t == src).all()
    shmem.barrier_all()
    for x in (f, o, s, z, t):
        shmem.free(x)
