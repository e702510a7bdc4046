"""Collectives and reductions on TEAM_WORLD and on split teams."""
import numpy as np
import pytest
from spmd_util import DTYPES, ME, NPES, REDUCE_ARITH, REDUCE_BITWISE, REDUCE_MINMAX, values

from shmem4py import _shmem, shmem

pytestmark = pytest.mark.skipif(not (_shmem.has("collectives") and _shmem.has("reductions")),
                                reason="the OpenSHMEM library lacks the team collectives or reductions")


def test_barriers_and_sync():
    shmem.barrier_all()
    shmem.sync_all()
    shmem.sync()
    shmem.sync(shmem.TEAM_WORLD)
    shmem.sync(team=shmem.TEAM_SHARED)
    shmem.TEAM_WORLD.sync()
    with pytest.raises(TypeError, match="team"):
        shmem.sync(0)
    with pytest.raises(ValueError, match="team"):
        shmem.sync(shmem.TEAM_INVALID)


@pytest.mark.parametrize("dt", DTYPES + ["M8[s]", "i2,f4", "S3"])
def test_broadcast_every_dtype_and_root(dt):
    dt = np.dtype(dt)
    src = shmem.zeros(5, dtype=dt)
    dst = shmem.zeros(5, dtype=dt)
    for root in range(NPES):
        raw = src.view(np.uint8)
        raw[:] = (np.arange(raw.size) + ME) % 200
        shmem.barrier_all()
        shmem.broadcast(dst, src, root)
        expect = np.zeros(5, dtype=dt)
        expect.view(np.uint8)[:] = (np.arange(raw.size) + root) % 200
        assert dst.tobytes() == expect.tobytes()
        shmem.barrier_all()
    shmem.broadcast(target=dst, source=src, root=np.int64(0), size=2, team=None)
    shmem.free(dst)
    shmem.free(src)


@pytest.mark.parametrize("dt", DTYPES)
def test_collect_fcollect_alltoall_every_dtype(dt):
    k = 3
    src = shmem.array(values(dt, k * NPES, ME))
    dst = shmem.zeros(k * NPES * NPES, dtype=dt)
    shmem.fcollect(dst, src, k)
    expect = np.concatenate([values(dt, k * NPES, pe)[:k] for pe in range(NPES)])
    np.testing.assert_array_equal(dst[:k * NPES], expect)
    # collect: PE i contributes i + 1 elements.
    dst[:] = 0
    shmem.collect(dst, src, size=ME + 1)
    expect = np.concatenate([values(dt, k * NPES, pe)[:pe + 1] for pe in range(NPES)])
    np.testing.assert_array_equal(dst[:len(expect)], expect)
    # alltoall: block j of PE i's source lands in block i of PE j's target.
    dst[:] = 0
    shmem.alltoall(dst, src, k)
    expect = np.concatenate([values(dt, k * NPES, pe)[ME * k:(ME + 1) * k] for pe in range(NPES)])
    np.testing.assert_array_equal(dst[:k * NPES], expect)
    dst2 = shmem.zeros(k * NPES, dtype=dt)
    shmem.alltoall(dst2, src)  # default size: len(source) // n
    np.testing.assert_array_equal(dst2, expect)
    shmem.free(dst2)
    shmem.free(dst)
    shmem.free(src)


@pytest.mark.parametrize("dt", ["i", "d", "D", "?", "M8[s]"])
def test_alltoalls(dt):
    k = 2
    src = shmem.array(values(dt, 2 * k * NPES, ME))
    dst = shmem.zeros(3 * k * NPES, dtype=dt)
    shmem.alltoalls(dst, src, tst=3, sst=2, size=k)
    for pe in range(NPES):
        for i in range(k):
            assert dst[3 * (pe * k + i)] == values(dt, 2 * k * NPES, pe)[2 * (ME * k + i)]
    shmem.barrier_all()
    dst.view(np.uint8)[:] = 0
    shmem.alltoalls(dst, src)  # strides 1, size: as many as fit
    size = (2 * k * NPES) // NPES
    expect = np.concatenate([values(dt, 2 * k * NPES, pe)[ME * size:(ME + 1) * size]
                             for pe in range(NPES)])
    np.testing.assert_array_equal(dst[:size * NPES], expect)
    shmem.free(dst)
    shmem.free(src)


def _reduce_expect(op, arrays):
    out = arrays[0].copy()
    for a in arrays[1:]:
        if op == "and":
            out = out & a
        elif op == "or":
            out = out | a
        elif op == "xor":
            out = out ^ a
        elif op == "max":
            out = np.maximum(out, a)
        elif op == "min":
            out = np.minimum(out, a)
        elif op == "sum":
            out = (out + a).astype(out.dtype)
        else:
            out = (out * a).astype(out.dtype)
    return out


OPS = [("and", REDUCE_BITWISE), ("or", REDUCE_BITWISE), ("xor", REDUCE_BITWISE),
       ("max", REDUCE_MINMAX), ("min", REDUCE_MINMAX), ("sum", REDUCE_ARITH),
       ("prod", REDUCE_ARITH)]


@pytest.mark.parametrize("op,allowed", OPS, ids=[o for o, _ in OPS])
def test_reductions_every_dtype(op, allowed):
    for dt in DTYPES:
        src = shmem.array(values(dt, 6, ME))
        dst = shmem.zeros(6, dtype=dt)
        if dt not in allowed:
            with pytest.raises(TypeError, match=f"{op}_reduce.*dtype {np.dtype(dt)}"):
                shmem.reduce(dst, src, op)
            with pytest.raises(TypeError, match="dtype"):
                getattr(shmem, f"{op}_reduce")(dst, src)
        else:
            expect = _reduce_expect(op, [values(dt, 6, pe) for pe in range(NPES)])
            shmem.reduce(dst, src, getattr(shmem, f"OP_{op.upper()}"))
            np.testing.assert_array_equal(dst, expect)
            dst[:] = 0
            getattr(shmem, f"{op}_reduce")(dst, src, size=np.int32(4))
            np.testing.assert_array_equal(dst[:4], expect[:4])
            assert (dst[4:] == 0).all()
            shmem.reduce(target=src, source=src, op=op, team=shmem.TEAM_WORLD)  # in place
            np.testing.assert_array_equal(src, expect)
        shmem.free(dst)
        shmem.free(src)


def test_reduce_op_forms_and_errors():
    src = shmem.array(np.arange(4, dtype="i") + ME)
    dst = shmem.zeros(4, dtype="i")
    for op in (shmem.OP.SUM, "sum", "SUM"):
        shmem.reduce(dst, src, op)
        assert dst[0] == sum(range(NPES))
    shmem.reduce(dst, src)  # OP_SUM by default
    assert dst[0] == sum(range(NPES))
    with pytest.raises(ValueError, match="op"):
        shmem.reduce(dst, src, "avg")
    with pytest.raises(TypeError, match="op"):
        shmem.reduce(dst, src, 5)
    with pytest.raises(ValueError, match="size"):
        shmem.sum_reduce(dst, src, size=5)
    with pytest.raises(ValueError, match="overlap"):
        shmem.sum_reduce(src[1:], src[:3])
    with pytest.raises(ValueError, match="not symmetric"):
        shmem.sum_reduce(np.zeros(4, "i"), src)
    with pytest.raises(TypeError, match="same dtype"):
        shmem.sum_reduce(shmem.zeros(4, "l"), src)
    with pytest.raises(ValueError, match="read-only"):
        ro = dst.view()
        ro.flags.writeable = False
        shmem.sum_reduce(ro, src)
    shmem.free(dst)
    shmem.free(src)


def test_collective_errors():
    src = shmem.zeros(4, dtype="i")
    dst = shmem.zeros(4, dtype="i")
    with pytest.raises(ValueError, match="root"):
        shmem.broadcast(dst, src, NPES)
    with pytest.raises(ValueError, match="root"):
        shmem.broadcast(dst, src, -1)
    with pytest.raises(TypeError, match="root"):
        shmem.broadcast(dst, src, 0.0)
    with pytest.raises(ValueError, match="overlap"):
        shmem.broadcast(src, src, 0)
    with pytest.raises(ValueError, match="size"):
        shmem.broadcast(dst, src, 0, size=5)
    if NPES > 1:
        with pytest.raises(ValueError, match="target"):
            shmem.fcollect(dst, src)  # needs 4 * NPES elements
    with pytest.raises(ValueError, match="target"):
        shmem.collect(dst[:1], src, size=2)
    with pytest.raises(ValueError, match="source"):
        shmem.collect(dst, src, size=5)
    with pytest.raises(ValueError, match="not symmetric"):
        shmem.alltoall(np.zeros(4 * NPES, "i"), src, 1)
    with pytest.raises(ValueError, match="tst"):
        shmem.alltoalls(dst, src, tst=0)
    with pytest.raises(TypeError, match="team"):
        shmem.broadcast(dst, src, 0, team="world")
    shmem.free(dst)
    shmem.free(src)


def test_collectives_on_a_split_team():
    # The even PEs, and (on a second split) the odd ones.
    even = shmem.TEAM_WORLD.split_strided(0, 2)
    odd = shmem.TEAM_WORLD.split_strided(1, 2) if NPES > 1 else shmem.Team()
    mine = even if ME % 2 == 0 else odd
    assert mine and not (odd if ME % 2 == 0 else even)
    n = mine.n_pes()
    assert n == len(range(ME % 2, NPES, 2))
    src = shmem.array([ME] * 2, dtype="l")
    dst = shmem.zeros(2 * NPES, dtype="l")
    shmem.fcollect(dst, src, 1, team=mine)
    assert list(dst[:n]) == list(range(ME % 2, NPES, 2))
    shmem.sum_reduce(dst[:2], src, team=mine)
    assert dst[0] == sum(range(ME % 2, NPES, 2))
    shmem.broadcast(dst, src, n - 1, size=1, team=mine)
    assert dst[0] == max(range(ME % 2, NPES, 2))
    shmem.collect(dst, src, size=1, team=mine)
    assert list(dst[:n]) == list(range(ME % 2, NPES, 2))
    full = shmem.full(NPES, ME, dtype="l")
    shmem.alltoall(dst, full[:n], team=mine)
    assert list(dst[:n]) == list(range(ME % 2, NPES, 2))
    shmem.sync(mine)
    mine.sync()
    shmem.free(full)
    shmem.free(dst)
    shmem.free(src)
    even.destroy()
    odd.destroy()
    with pytest.raises(ValueError, match="team"):
        shmem.sum_reduce(dst, src, team=mine)
