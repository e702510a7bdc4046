"""Point-to-point synchronization (wait_until/test in every form, CMP and
its strings), signals, fence and quiet."""
import numpy as np
import pytest
from spmd_util import DTYPES, ME, NEXT, NPES, PREV, SYNC_ONE, SYNC_VECTOR

from shmem4py import shmem

CMP_FORMS = [
    (shmem.CMP.EQ, "==", "eq"), (shmem.CMP.NE, "!=", "ne"), (shmem.CMP.GT, ">", "gt"),
    (shmem.CMP.LE, "<=", "le"), (shmem.CMP.LT, "<", "lt"), (shmem.CMP.GE, ">=", "ge"),
]


def holds(v, cmp, x):
    return [v == x, v != x, v > x, v <= x, v < x, v >= x][int(cmp)]


@pytest.mark.parametrize("dt", SYNC_ONE)
def test_wait_until_and_test_every_dtype(dt):
    flag = shmem.zeros(1, dtype=dt)
    for cmp, sym, name in CMP_FORMS:
        for x in (0, 1, 2):
            expect = holds(0, cmp, x)
            assert shmem.test(flag, cmp, x) is expect
            assert shmem.test(flag, sym, x) is expect
            assert shmem.test(flag, name.upper(), x) is expect
            assert shmem.test(ivar=flag, cmp=int(cmp), value=np.int16(x)) is expect
    shmem.barrier_all()
    shmem.p(flag, 5, NEXT)
    shmem.wait_until(flag, shmem.CMP_EQ, 5)
    shmem.wait_until(flag, ">=", 5)
    shmem.wait_until(ivar=flag, cmp="gt", value=4)
    assert flag[0] == 5
    shmem.barrier_all()
    shmem.free(flag)


@pytest.mark.parametrize("dt", SYNC_VECTOR)
def test_vector_forms_every_dtype(dt):
    n = 4
    ivars = shmem.zeros(n, dtype=dt)
    shmem.barrier_all()
    # Every PE sets element k of its successor to k + 1.
    for k in range(n):
        shmem.p(ivars[k:k + 1], k + 1, NEXT)
    shmem.wait_until_all(ivars, shmem.CMP_GT, 0)
    assert list(ivars) == [1, 2, 3, 4]
    assert shmem.test_all(ivars, "!=", 0) is True
    assert shmem.test_all(ivars, "==", 1) is False
    assert shmem.test_all(ivars, "==", 1, status=[0, 1, 1, 1]) is True
    assert shmem.wait_until_any(ivars, shmem.CMP_EQ, 3) == 2
    assert shmem.test_any(ivars, ">", 10) is None
    assert shmem.test_any(ivars, ">", 1, status=[0, 1, 0, 0]) in (0, 2, 3)
    assert shmem.wait_until_some(ivars, ">=", 3) == [2, 3]
    assert shmem.test_some(ivars, "<", 3, [1, 0, 0, 0]) == [1]
    assert shmem.test_some(ivars, ">", 100) == []
    values = [1, 0, 3, 0]
    assert shmem.test_all_vector(ivars, "==", values) is False
    assert shmem.test_all_vector(ivars, "==", values, status=[0, 1, 0, 1]) is True
    shmem.wait_until_all_vector(ivars, ">=", np.array(values, dtype=dt))
    assert shmem.wait_until_any_vector(ivars, "==", [9, 9, 3, 9]) == 2
    assert shmem.test_any_vector(ivars, "==", [9, 9, 9, 9]) is None
    assert shmem.wait_until_some_vector(ivars, "==", [1, 9, 3, 4]) == [0, 2, 3]
    assert shmem.test_some_vector(ivars, "<", [2, 2, 2, 2]) == [0]
    # Every element excluded: nothing to wait for.
    assert shmem.wait_until_any(ivars, "==", 0, status=[1, 1, 1, 1]) is None
    assert shmem.wait_until_some(ivars, "==", 0, status=np.ones(4, dtype="i")) == []
    shmem.wait_until_all(ivars, "==", 0, status=(1, 1, 1, 1))
    shmem.barrier_all()
    shmem.free(ivars)


@pytest.mark.parametrize("dt", [d for d in DTYPES if d not in SYNC_ONE])
def test_sync_dtypes_the_spec_does_not_allow(dt):
    ivar = shmem.zeros(2, dtype=dt)
    with pytest.raises(TypeError, match=f"wait_until.*dtype {np.dtype(dt)}"):
        shmem.wait_until(ivar, "==", 0)
    with pytest.raises(TypeError, match="test.*dtype"):
        shmem.test(ivar, "==", 0)
    with pytest.raises(TypeError, match="test_all.*dtype"):
        shmem.test_all(ivar, "==", 0)
    shmem.free(ivar)


def test_short_types_have_no_vector_forms():
    ivar = shmem.zeros(2, dtype="h")
    with pytest.raises(TypeError, match="wait_until_all"):
        shmem.wait_until_all(ivar, "==", 0)
    shmem.free(ivar)


def test_sync_errors():
    ivars = shmem.zeros(3, dtype="i")
    with pytest.raises(ValueError, match="cmp"):
        shmem.test(ivars, "=", 0)
    with pytest.raises(ValueError, match="cmp"):
        shmem.test(ivars, 6, 0)
    with pytest.raises(TypeError, match="cmp"):
        shmem.test(ivars, 1.0, 0)
    with pytest.raises(TypeError, match="value"):
        shmem.test(ivars, "==", "0")
    with pytest.raises(ValueError, match="status"):
        shmem.test_all(ivars, "==", 0, status=[0, 0])
    with pytest.raises(TypeError, match="status"):
        shmem.test_all(ivars, "==", 0, status=5)
    with pytest.raises(ValueError, match="values"):
        shmem.test_all_vector(ivars, "==", [0, 0])
    with pytest.raises(TypeError, match="values"):
        shmem.test_all_vector(ivars, "==", [0, 0, "x"])
    with pytest.raises(ValueError, match="not symmetric"):
        shmem.wait_until(np.zeros(1, "i"), "==", 0)
    with pytest.raises(ValueError, match="empty"):
        shmem.wait_until(ivars[:0], "==", 0)
    with pytest.raises(TypeError, match="missing"):
        shmem.wait_until(ivars, "==")
    shmem.free(ivars)
    with pytest.raises(ValueError, match="freed"):
        shmem.test(ivars, "==", 0)


def test_signals():
    sig = shmem.new_signal()
    assert sig.dtype == np.uint64 and sig.shape == (1,)
    assert shmem.signal_fetch(sig) == 0
    data = shmem.zeros(8, dtype="d")
    src = np.arange(8.0) + ME
    shmem.barrier_all()
    shmem.put_signal(data, src, NEXT, sig, 1, shmem.SIGNAL_SET)
    assert shmem.signal_wait_until(sig, shmem.CMP_EQ, 1) == 1
    np.testing.assert_array_equal(data, np.arange(8.0) + PREV)
    shmem.barrier_all()
    # ADD from every PE into PE 0, with the nbi form and keywords.
    shmem.put_signal_nbi(target=data, source=src, pe=0, signal=sig, value=2,
                         sigop=shmem.SIGNAL.ADD, size=np.int64(2), ctx=None)
    shmem.quiet()
    if ME == 0:
        assert shmem.signal_wait_until(sig, ">=", 1 + 2 * NPES) == 1 + 2 * NPES
    shmem.barrier_all()
    shmem.put_signal(data, src, ME, sig, 7, "set")
    assert shmem.signal_fetch(signal=sig) == 7
    shmem.put_signal(data, src, ME, sig, 1, "add", size=0)
    assert shmem.signal_fetch(sig) == 8
    # Errors.
    i64 = shmem.zeros(1, dtype="i8")
    with pytest.raises(TypeError, match="signal"):
        shmem.put_signal(data, src, ME, i64, 1, "set")
    with pytest.raises(ValueError, match="signal"):
        shmem.put_signal(data, src, ME, sig[:0], 1, "set")
    with pytest.raises(TypeError, match="uint64"):
        shmem.signal_fetch(i64)
    with pytest.raises(ValueError, match="sigop"):
        shmem.put_signal(data, src, ME, sig, 1, 2)
    with pytest.raises(ValueError, match="sigop"):
        shmem.put_signal(data, src, ME, sig, 1, "mul")
    with pytest.raises(OverflowError, match="value"):
        shmem.put_signal(data, src, ME, sig, -1, "set")
    with pytest.raises(ValueError, match="PE"):
        shmem.put_signal(data, src, NPES, sig, 1, "set")
    with pytest.raises(ValueError, match="not symmetric"):
        shmem.signal_fetch(np.zeros(1, dtype=np.uint64))
    shmem.barrier_all()
    shmem.free(i64)
    shmem.free(data)
    shmem.del_signal(sig)
    with pytest.raises(ValueError, match="freed"):
        shmem.signal_fetch(sig)


def test_fence_and_quiet():
    t = shmem.zeros(2, dtype="l")
    shmem.put(t[:1], np.array([1]), NEXT)
    shmem.fence()
    shmem.p(t[1:], 2, NEXT)
    shmem.quiet()
    shmem.wait_until(t[1:], "==", 2)
    assert t[0] == 1
    ctx = shmem.Ctx.create(shmem.CTX_PRIVATE)
    shmem.fence(ctx)
    shmem.quiet(ctx=ctx)
    ctx.fence()
    ctx.quiet()
    ctx.destroy()
    with pytest.raises(ValueError, match="ctx"):
        shmem.fence(ctx)
    with pytest.raises(TypeError, match="ctx"):
        shmem.quiet("ctx")
    shmem.barrier_all()
    shmem.free(t)
