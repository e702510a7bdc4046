"""RMA: put/get, their nbi and strided forms, p/g, for every dtype; sizes,
keywords, NumPy integers, contexts and every error of the conventions."""
import numpy as np
import pytest
from spmd_util import DTYPES, ME, NEXT, NPES, PREV, scalar, values

from shmem4py import shmem


@pytest.mark.parametrize("dt", DTYPES)
def test_put_get_every_dtype(dt):
    t = shmem.zeros(8, dtype=dt)
    shmem.put(t, values(dt, 8, ME), NEXT)
    shmem.barrier_all()
    np.testing.assert_array_equal(t, values(dt, 8, PREV))
    out = np.zeros(8, dtype=dt)
    shmem.get(out, t, NEXT)
    np.testing.assert_array_equal(out, values(dt, 8, ME))
    shmem.barrier_all()
    # Non-blocking forms, completed by quiet.
    shmem.put_nbi(t, values(dt, 8, ME + 7), NEXT)
    shmem.quiet()
    shmem.barrier_all()
    np.testing.assert_array_equal(t, values(dt, 8, PREV + 7))
    out[:] = values(dt, 8, 99)
    shmem.get_nbi(out, t, PREV)
    shmem.quiet()
    np.testing.assert_array_equal(out, values(dt, 8, (PREV - 1) % NPES + 7))
    shmem.barrier_all()
    shmem.free(t)


@pytest.mark.parametrize("dt", DTYPES)
def test_iput_iget_every_dtype(dt):
    t = shmem.zeros(12, dtype=dt)
    src = values(dt, 12, ME)
    # target[i*3] = source[i*2] for i < 4
    shmem.iput(t, src, NEXT, tst=3, sst=2, size=4)
    shmem.barrier_all()
    expect = np.zeros(12, dtype=dt)
    expect[0:12:3] = values(dt, 12, PREV)[0:8:2]
    np.testing.assert_array_equal(t, expect)
    out = np.zeros(6, dtype=dt)
    shmem.iget(out, t, NEXT, 2, 3)  # default size: as many as both hold
    expect_out = np.zeros(6, dtype=dt)
    expect_out[0:6:2] = values(dt, 12, ME)[0:6:2]
    np.testing.assert_array_equal(out, expect_out)
    shmem.barrier_all()
    shmem.free(t)


@pytest.mark.parametrize("dt", DTYPES)
def test_p_g_every_dtype(dt):
    t = shmem.zeros(2, dtype=dt)
    v = np.asarray(values(dt, 1, ME)[0]).item()
    if np.dtype(dt).char in "egG":
        v = np.dtype(dt).type(v)
    shmem.p(t, v, NEXT)
    shmem.barrier_all()
    assert t[0] == np.asarray(values(dt, 1, PREV)[0])
    assert t[1] == 0
    got = shmem.g(t, PREV)
    assert got == values(dt, 1, (PREV - 1) % NPES)[0]
    shmem.barrier_all()
    shmem.free(t)


def test_g_returns_python_numbers():
    t = shmem.array([5], dtype="i")
    f = shmem.array([2.5], dtype="d")
    c = shmem.array([1 + 2j], dtype="D")
    b = shmem.array([True], dtype="?")
    assert type(shmem.g(t, ME)) is int and shmem.g(t, ME) == 5
    assert type(shmem.g(f, ME)) is float and shmem.g(f, ME) == 2.5
    assert type(shmem.g(c, ME)) is complex and shmem.g(c, ME) == 1 + 2j
    assert shmem.g(b, ME) is True
    for a in (t, f, c, b):
        shmem.free(a)


def test_sizes_keywords_and_numpy_integers():
    t = shmem.zeros(10, dtype="l")
    src = np.arange(100, 110, dtype="l")
    shmem.put(t, src, np.int32(NEXT), size=np.int64(3))
    shmem.barrier_all()
    assert list(t) == [100, 101, 102] + [0] * 7
    shmem.barrier_all()
    shmem.put(target=t, source=src, pe=NEXT, size=None, ctx=None)
    shmem.barrier_all()
    assert list(t) == list(range(100, 110))
    out = np.zeros(4, dtype="l")
    shmem.get(out, t, pe=np.uint8(PREV))  # as many as both hold: 4
    assert list(out) == [100, 101, 102, 103]
    shmem.get(source=t, target=out[:2], pe=PREV, size=0)  # nothing moves
    assert list(out) == [100, 101, 102, 103]
    shmem.barrier_all()
    shmem.iput(t, src[::-1].copy(), NEXT, tst=np.int16(2), sst=np.int8(1), size=np.uint32(5))
    shmem.barrier_all()
    assert list(t[0::2]) == [109, 108, 107, 106, 105]
    shmem.barrier_all()
    # Shorter source than target: the default size is the source's.
    shmem.put(t, np.array([7, 7], dtype="l"), NEXT)
    shmem.barrier_all()
    assert list(t[:3]) == [7, 7, 108]
    shmem.barrier_all()
    shmem.free(t)


def test_multidimensional_and_fortran_order_move_as_flat_memory():
    t = shmem.zeros((3, 4), dtype="f")
    src = np.arange(12, dtype="f").reshape(3, 4) + ME
    shmem.put(t, src, NEXT)
    shmem.barrier_all()
    np.testing.assert_array_equal(t, np.arange(12, dtype="f").reshape(3, 4) + PREV)
    tf = shmem.zeros((3, 4), dtype="f", order="F")
    assert tf.flags.f_contiguous
    shmem.put(tf, np.asfortranarray(src), NEXT)
    shmem.barrier_all()
    np.testing.assert_array_equal(tf, np.arange(12, dtype="f").reshape(3, 4) + PREV)
    shmem.barrier_all()
    shmem.free(tf)
    shmem.free(t)


def test_views_of_symmetric_arrays_are_symmetric():
    t = shmem.zeros(10, dtype="i")
    shmem.put(t[4:7], np.array([1, 2, 3], dtype="i"), NEXT)
    shmem.p(t[9:], 42, NEXT)
    shmem.barrier_all()
    assert list(t) == [0, 0, 0, 0, 1, 2, 3, 0, 0, 42]
    shmem.barrier_all()
    shmem.free(t)


@pytest.mark.parametrize("dt", ["M8[s]", "m8[ms]", "S5", "U3", "i4,f8", "V12", ">i4", "<f8"])
def test_other_dtypes_move_as_bytes(dt):
    dt = np.dtype(dt)
    t = shmem.zeros(6, dtype=dt)
    src = np.zeros(6, dtype=dt)
    raw = src.view(np.uint8)
    raw[:] = (np.arange(raw.size) + ME) % 251
    shmem.put(t, src, NEXT)
    shmem.barrier_all()
    expect = np.zeros(6, dtype=dt)
    expect.view(np.uint8)[:] = (np.arange(raw.size) + PREV) % 251
    assert t.tobytes() == expect.tobytes()
    out = np.zeros(3, dtype=dt)
    shmem.iget(out, t, ME, sst=2)
    assert out.tobytes() == expect[0::2].tobytes()
    shmem.barrier_all()
    shmem.free(t)


def test_memoryview_from_alloc_works_as_target():
    mem = shmem.alloc(16)
    shmem.put(mem, np.full(16, ME, dtype=np.uint8), NEXT)
    shmem.barrier_all()
    assert bytes(mem) == bytes([PREV]) * 16
    shmem.barrier_all()
    shmem.free(mem)


def test_contexts():
    ctx = shmem.Ctx.create()
    t = shmem.zeros(4, dtype="d")
    shmem.put(t, np.full(4, ME + 0.5), NEXT, ctx=ctx)
    shmem.p(t[3:], -1.0, NEXT, ctx)
    shmem.quiet(ctx)
    shmem.fence(ctx=ctx)
    shmem.barrier_all()
    assert list(t) == [PREV + 0.5] * 3 + [-1.0]
    assert shmem.g(t, NEXT, ctx=ctx) == ME + 0.5
    out = np.zeros(4)
    shmem.get_nbi(out, t, NEXT, ctx=shmem.CTX_DEFAULT)
    shmem.quiet(shmem.CTX_DEFAULT)
    assert out[0] == ME + 0.5
    shmem.barrier_all()
    ctx.destroy()
    with pytest.raises(ValueError, match="ctx"):
        shmem.put(t, out, NEXT, ctx=ctx)
    with pytest.raises(ValueError, match="ctx"):
        shmem.put(t, out, NEXT, ctx=shmem.CTX_INVALID)
    with pytest.raises(TypeError, match="ctx"):
        shmem.put(t, out, NEXT, ctx=0)
    shmem.free(t)


class TestErrors:
    def setup_method(self):
        self.t = shmem.zeros(4, dtype="i")
        self.src = np.arange(4, dtype="i")

    def teardown_method(self):
        shmem.free(self.t)

    def test_size_past_the_end(self):
        with pytest.raises(ValueError, match="size 5 is larger than argument 'target'"):
            shmem.put(self.t, np.arange(8, dtype="i"), NEXT, 5)
        with pytest.raises(ValueError, match="source"):
            shmem.put(self.t, self.src[:2], NEXT, size=3)
        with pytest.raises(ValueError, match="size"):
            shmem.get(np.zeros(2, "i"), self.t, NEXT, size=3)
        with pytest.raises(ValueError, match="negative"):
            shmem.put(self.t, self.src, NEXT, size=-1)
        with pytest.raises(TypeError, match="size"):
            shmem.put(self.t, self.src, NEXT, size=1.0)
        with pytest.raises(ValueError, match="runs past the end"):
            shmem.iput(self.t, self.src, NEXT, tst=2, size=3)
        with pytest.raises(ValueError, match="runs past the end"):
            shmem.iget(np.zeros(8, "i"), self.t, NEXT, sst=3, size=3)

    def test_bad_strides(self):
        for bad in (0, -1):
            with pytest.raises(ValueError, match="tst"):
                shmem.iput(self.t, self.src, NEXT, tst=bad)
            with pytest.raises(ValueError, match="sst"):
                shmem.iget(np.zeros(4, "i"), self.t, NEXT, sst=bad)
        with pytest.raises(TypeError, match="tst"):
            shmem.iput(self.t, self.src, NEXT, tst=1.5)

    def test_read_only_and_non_contiguous(self):
        ro = self.t.view()
        ro.flags.writeable = False
        with pytest.raises(ValueError, match="read-only"):
            shmem.put(ro, self.src, NEXT)
        local = np.zeros(4, "i")
        local.flags.writeable = False
        with pytest.raises(ValueError, match="read-only"):
            shmem.get(local, self.t, NEXT)
        with pytest.raises(ValueError, match="contiguous"):
            shmem.put(self.t[::2], self.src[:2], NEXT)
        with pytest.raises(ValueError, match="contiguous"):
            shmem.put(self.t, np.arange(8, dtype="i")[::2], NEXT)

    def test_dtype_mismatch(self):
        with pytest.raises(TypeError, match="same dtype"):
            shmem.put(self.t, self.src.astype("f"), NEXT)
        with pytest.raises(TypeError, match="same dtype"):
            shmem.get(np.zeros(4, ">i4"), self.t, NEXT)
        with pytest.raises(TypeError, match="objects"):
            shmem.put(self.t, np.array([1, 2], dtype=object), NEXT)

    def test_pe_out_of_range(self):
        for pe in (-1, NPES, np.int64(NPES), 2**40, -(2**70)):
            with pytest.raises(ValueError, match="PE|pe"):
                shmem.put(self.t, self.src, pe)
            with pytest.raises(ValueError, match="PE|pe"):
                shmem.g(self.t, pe)
        for pe in (1.0, "0", None):
            with pytest.raises(TypeError, match="pe"):
                shmem.put(self.t, self.src, pe)

    def test_not_symmetric(self):
        private = np.zeros(4, "i")
        with pytest.raises(ValueError, match="'target' is not symmetric"):
            shmem.put(private, self.src, NEXT)
        with pytest.raises(ValueError, match="'source' is not symmetric"):
            shmem.get(private, self.src, NEXT)
        with pytest.raises(ValueError, match="not symmetric"):
            shmem.p(private, 1, NEXT)
        with pytest.raises(ValueError, match="not symmetric"):
            shmem.iput(private, self.src, NEXT)

    def test_wrong_kinds_of_objects(self):
        with pytest.raises(TypeError, match="target"):
            shmem.put([0, 0], self.src, NEXT)
        with pytest.raises(TypeError, match="source"):
            shmem.put(self.t, 5, NEXT)
        with pytest.raises(TypeError, match="value"):
            shmem.p(self.t, "x", NEXT)
        with pytest.raises(TypeError, match="value"):
            shmem.p(self.t, 1.5, NEXT)
        with pytest.raises(OverflowError, match="value"):
            shmem.p(self.t, 2**40, NEXT)
        with pytest.raises(ValueError, match="empty"):
            shmem.p(self.t[:0], 1, NEXT)

    def test_argument_binding(self):
        with pytest.raises(TypeError, match="missing required argument 'pe'"):
            shmem.put(self.t, self.src)
        with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
            shmem.put(self.t, self.src, NEXT, bogus=1)
        with pytest.raises(TypeError, match="multiple values for argument 'pe'"):
            shmem.put(self.t, self.src, NEXT, pe=NEXT)
        with pytest.raises(TypeError, match="at most"):
            shmem.put(self.t, self.src, NEXT, None, None, None)

    def test_freed_arrays_raise(self):
        a = shmem.zeros(4, dtype="i")
        view = a[1:3]
        shmem.free(view)  # a view frees the whole block
        with pytest.raises(ValueError, match="freed"):
            shmem.put(a, self.src, NEXT)
        with pytest.raises(ValueError, match="freed"):
            shmem.get(self.src.copy(), view, NEXT)
        with pytest.raises(ValueError, match="freed"):
            shmem.put(self.t, a, NEXT)  # a freed local source too
        with pytest.raises(ValueError, match="freed"):
            shmem.g(a, NEXT)
        with pytest.raises(ValueError, match="freed"):
            shmem.free(a)
