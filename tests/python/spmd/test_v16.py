"""The additions of OpenSHMEM 1.6: blocked strided RMA, signal_add and
signal_set, pe_quiet, query_initialized, the prefix sums, context sessions,
team-relative ptr, and shmem4py.api's new routines and constants."""
import functools

import numpy as np
import pytest
from spmd_util import DTYPES, ME, NEXT, NPES, PREV, REDUCE_ARITH, SHARED_PES, values

from shmem4py import _shmem, shmem

EXTERNAL = _shmem.EXTERNAL


def _need(what):
    return pytest.mark.skipif(not _shmem.has(what),
                              reason=f"the OpenSHMEM library lacks {what} (OpenSHMEM 1.6)")


# ---------------------------------------------------------------------------
# ibput / ibget


@_need("ibput")
@pytest.mark.parametrize("dt", DTYPES + ["M8[s]", "i2,f4", "S3"])
def test_ibput_ibget_every_dtype(dt):
    dt = np.dtype(dt)
    t = shmem.zeros(12, dtype=dt)
    src = np.zeros(12, dtype=dt)
    raw = src.view(np.uint8)
    raw[:] = (np.arange(raw.size) + 7 * ME + 1) % 200

    def pattern(pe):
        a = np.zeros(12, dtype=dt)
        a.view(np.uint8)[:] = (np.arange(raw.size) + 7 * pe + 1) % 200
        return a

    # Blocks of 2: target[0:2], [5:7], [10:12] on NEXT get source[0:2], [4:6], [8:10].
    shmem.ibput(t, src, NEXT, 5, 4, 2, 3)
    shmem.barrier_all()
    expect = np.zeros(12, dtype=dt)
    p = pattern(PREV)
    for i in range(3):
        expect[5 * i:5 * i + 2] = p[4 * i:4 * i + 2]
    assert t.tobytes() == expect.tobytes()
    # Default nblocks: as many whole blocks as both hold ((8-2)//3+1 = 3 in out,
    # (12-2)//5+1 = 3 in t).
    out = np.zeros(8, dtype=dt)
    shmem.ibget(out, t, NEXT, tst=3, sst=5, bsize=2)
    mine = pattern(ME)  # what NEXT's t holds
    expect_out = np.zeros(8, dtype=dt)
    for i in range(3):
        expect_out[3 * i:3 * i + 2] = mine[4 * i:4 * i + 2]
    assert out.tobytes() == expect_out.tobytes()
    shmem.barrier_all()
    shmem.free(t)


@_need("ibput")
def test_ibput_on_a_context_and_edge_cases():
    t = shmem.full(10, -1, dtype="i")
    src = np.arange(10, dtype="i") + 100 * ME
    with shmem.Ctx.create() as ctx:
        # Blocks of 3, 4 apart in target, 3 apart in source (one run of 6, then 3).
        shmem.ibput(t, src, NEXT, 4, 3, 3, 2, ctx=ctx)
        ctx.quiet()
    shmem.barrier_all()
    exp = np.full(10, -1, dtype="i")
    exp[0:3] = np.arange(0, 3) + 100 * PREV
    exp[4:7] = np.arange(3, 6) + 100 * PREV
    assert list(t) == list(exp)
    # Zero blocks, or empty blocks, move nothing (nor check the strides' reach).
    shmem.ibput(t, src, NEXT, 50, 50, 3, 0)
    shmem.ibget(src, t, NEXT, 1, 1, 0)
    assert list(src) == list(np.arange(10) + 100 * ME)
    # bsize larger than both: no whole block by default.
    shmem.ibget(src, t, NEXT, 1, 1, 11)
    assert list(src) == list(np.arange(10) + 100 * ME)
    shmem.barrier_all()
    shmem.free(t)


@_need("ibput")
def test_ibput_ibget_bad_input():
    t = shmem.zeros(8, dtype="l")
    src = np.zeros(8, dtype="l")
    with pytest.raises(ValueError, match=r"ibput\(\): argument 'tst' must be at least 1, not 0"):
        shmem.ibput(t, src, NEXT, 0, 1, 2)
    with pytest.raises(ValueError, match=r"ibget\(\): argument 'sst' must be at least 1, not -2"):
        shmem.ibget(src, t, NEXT, 1, -2, 2)
    with pytest.raises(ValueError, match=r"ibput\(\): argument 'bsize' must not be negative"):
        shmem.ibput(t, src, NEXT, 2, 2, -1)
    with pytest.raises(ValueError, match=r"ibput\(\): argument 'nblocks' must not be negative"):
        shmem.ibput(t, src, NEXT, 2, 2, 1, -1)
    with pytest.raises(ValueError, match=r"ibput\(\): 3 blocks of bsize=2 with strides tst=4, "
                                         r"sst=2 run past the end of 'target' \(10 elements"):
        shmem.ibput(t, src, NEXT, 4, 2, 2, 3)
    with pytest.raises(ValueError, match=r"ibget\(\).*run past the end of 'source'"):
        shmem.ibget(src, t, NEXT, 2, 4, 2, 3)
    with pytest.raises(TypeError, match=r"ibput\(\): arguments 'target' \(dtype int64\) and "
                                        r"'source' \(dtype float64\) must have the same dtype"):
        shmem.ibput(t, np.zeros(8), NEXT, 2, 2, 1)
    with pytest.raises(ValueError, match=r"ibput\(\): argument 'target' is not symmetric"):
        shmem.ibput(np.zeros(8, dtype="l"), src, NEXT, 2, 2, 1)
    with pytest.raises(ValueError, match=r"ibput\(\): PE %d is out of range" % NPES):
        shmem.ibput(t, src, NPES, 2, 2, 1)
    with pytest.raises(TypeError, match=r"ibput\(\) missing required argument 'bsize'"):
        shmem.ibput(t, src, NEXT, 2, 2)
    with pytest.raises(TypeError, match=r"ibput\(\): argument 'tst' must be an integer"):
        shmem.ibput(t, src, NEXT, 1.5, 2, 1)
    with pytest.raises(ValueError, match=r"ibput\(\): argument 'ctx' is not a valid context"):
        shmem.ibput(t, src, NEXT, 2, 2, 1, ctx=shmem.CTX_INVALID)
    shmem.barrier_all()
    shmem.free(t)


# ---------------------------------------------------------------------------
# signal_add / signal_set


@_need("signal_add")
def test_signal_add_from_every_pe_and_signal_set():
    sig = shmem.new_signal()
    shmem.barrier_all()
    for target in range(NPES):
        shmem.signal_add(sig, ME + 1, target)
    shmem.barrier_all()
    total = NPES * (NPES + 1) // 2
    assert shmem.signal_fetch(sig) == total
    shmem.barrier_all()
    # On a context, with NumPy integers, by keyword.
    with shmem.Ctx.create() as ctx:
        shmem.signal_add(signal=sig, value=np.uint64(2), pe=np.int32(NEXT), ctx=ctx)
        ctx.quiet()
    shmem.barrier_all()
    assert shmem.signal_wait_until(sig, ">=", total + 2) == total + 2
    shmem.barrier_all()
    shmem.signal_set(sig, 1000 + ME, NEXT)
    assert shmem.signal_wait_until(sig, "==", 1000 + PREV) == 1000 + PREV
    shmem.barrier_all()
    shmem.signal_set(sig, 2**64 - 1, ME)
    assert shmem.signal_fetch(sig) == 2**64 - 1
    shmem.signal_add(sig, 1, ME)  # wraps, as uint64 does
    assert shmem.signal_fetch(sig) == 0
    shmem.barrier_all()
    shmem.del_signal(sig)


@_need("signal_add")
def test_signal_add_bad_input():
    sig = shmem.new_signal()
    wrong = shmem.zeros(1, dtype="i8")
    with pytest.raises(TypeError, match=r"signal_add\(\): argument 'signal' must be a uint64"):
        shmem.signal_add(wrong, 1, NEXT)
    with pytest.raises(ValueError, match=r"signal_set\(\): argument 'signal' is not symmetric"):
        shmem.signal_set(np.zeros(1, dtype=np.uint64), 1, NEXT)
    with pytest.raises(OverflowError, match=r"signal_add\(\): argument 'value' is out of range"):
        shmem.signal_add(sig, -1, NEXT)
    with pytest.raises(ValueError, match=r"signal_set\(\): PE -1 is out of range"):
        shmem.signal_set(sig, 1, -1)
    with pytest.raises(ValueError, match=r"signal_add\(\): argument 'ctx' is not a valid"):
        shmem.signal_add(sig, 1, NEXT, ctx=shmem.CTX_INVALID)
    shmem.barrier_all()
    shmem.free(wrong)
    shmem.del_signal(sig)


# ---------------------------------------------------------------------------
# pe_quiet


@_need("pe_quiet")
def test_pe_quiet_completes_puts_to_the_named_pes():
    t = shmem.full(NPES, -1, dtype="l")
    me = np.array([ME], dtype="l")
    for pe in range(NPES):
        shmem.put_nbi(t[ME:ME + 1], me, pe)
    shmem.pe_quiet(list(range(NPES)))
    # sync_all orders nothing: only pe_quiet completed the puts.
    shmem.sync_all()
    assert list(t) == list(range(NPES))
    shmem.sync_all()
    # One PE, NumPy forms, an empty set, a context (team-relative PEs).
    shmem.put_nbi(t[ME:ME + 1], me + 10, NEXT)
    shmem.pe_quiet(NEXT)
    shmem.pe_quiet(np.int64(NEXT))
    shmem.pe_quiet(np.array([NEXT, PREV], dtype="i"))
    shmem.pe_quiet(())
    shmem.sync_all()
    assert t[PREV] == PREV + 10
    shmem.sync_all()
    with shmem.Ctx.create() as ctx:
        shmem.put_nbi(t[ME:ME + 1], me + 20, NEXT, ctx=ctx)
        ctx.pe_quiet([NEXT])
        shmem.sync_all()
        assert t[PREV] == PREV + 20
        shmem.pe_quiet(pes=(NEXT,), ctx=ctx)
    shmem.barrier_all()
    shmem.free(t)


@_need("pe_quiet")
def test_pe_quiet_bad_input():
    with pytest.raises(ValueError, match=r"pe_quiet\(\): PE %d is out of range" % NPES):
        shmem.pe_quiet([0, NPES])
    with pytest.raises(ValueError, match=r"pe_quiet\(\): PE -1 is out of range"):
        shmem.pe_quiet(-1)
    with pytest.raises(TypeError, match=r"pe_quiet\(\): argument 'pes' must be a PE number"):
        shmem.pe_quiet("0")
    with pytest.raises(TypeError, match=r"pe_quiet\(\): argument 'pe' must be an integer"):
        shmem.pe_quiet([0, 1.5])
    with pytest.raises(ValueError, match=r"pe_quiet\(\): argument 'ctx' is not a valid"):
        shmem.pe_quiet(0, ctx=shmem.CTX_INVALID)
    with pytest.raises(ValueError, match="not a valid context"):
        shmem.CTX_INVALID.pe_quiet(0)


@pytest.mark.skipif(not (_shmem.has("ibput") and _shmem.has("signal_add")
                          and _shmem.has("pe_quiet") and _shmem.has("team_ctx")),
                    reason="the OpenSHMEM library lacks the 1.6 RMA or team contexts")
def test_team_context_pe_numbers():
    # On a context of a split team, PEs are team-relative, and a PE outside
    # the team is refused before anything moves.
    even = shmem.TEAM_WORLD.split_strided(0, 2)
    odd = shmem.TEAM_WORLD.split_strided(1, 2) if NPES > 1 else shmem.Team()
    mine = even if ME % 2 == 0 else odd
    members = list(range(ME % 2, NPES, 2))
    n, me = len(members), members.index(ME)
    right, left = (me + 1) % n, (me - 1) % n
    t = shmem.zeros(4, dtype="i")
    sig = shmem.new_signal()
    src = np.array([ME, ME, -1, ME], dtype="i")
    with mine.create_ctx() as ctx:
        shmem.ibput(t, src, right, 2, 3, 1, 2, ctx=ctx)  # t[0], t[2] = src[0], src[3]
        ctx.pe_quiet([right])
        shmem.signal_add(sig, ME + 1, right, ctx=ctx)
        for bad in (n, -1):
            with pytest.raises(ValueError, match=fr"ibput\(\): PE {bad} is out of range "
                                                 fr"\(0 <= pe < {n}\)"):
                shmem.ibput(t, src, bad, 2, 3, 1, ctx=ctx)
            with pytest.raises(ValueError, match=fr"pe_quiet\(\): PE {bad} is out of range"):
                ctx.pe_quiet([0, bad])
            with pytest.raises(ValueError, match=fr"signal_set\(\): PE {bad} is out of range"):
                shmem.signal_set(sig, 1, bad, ctx=ctx)
        ctx.quiet()
    shmem.barrier_all()
    w = members[left]
    assert list(t) == [w, 0, w, 0]
    assert shmem.signal_fetch(sig) == w + 1
    shmem.barrier_all()
    even.destroy()
    odd.destroy()
    shmem.del_signal(sig)
    shmem.free(t)


# ---------------------------------------------------------------------------
# query_initialized, version


@_need("query_initialized")
def test_query_initialized():
    assert shmem.query_initialized() is True


def test_init_finalize_nest():
    """init() inside the life nests (OpenSHMEM 1.6): the inner finalize() is
    a barrier, and arrays, teams and contexts stay usable."""
    a = shmem.zeros(1, dtype="l")
    shmem.init()
    shmem.init_thread(shmem.THREAD_SINGLE)
    shmem.finalize()
    shmem.finalize()
    assert _shmem.state() == 1
    if _shmem.has("query_initialized"):
        assert shmem.query_initialized() is True
    shmem.atomic_add(a, ME + 1, 0)
    shmem.barrier_all()
    if ME == 0:
        assert a[0] == NPES * (NPES + 1) // 2
    shmem.barrier_all()
    shmem.free(a)


@pytest.mark.skipif(EXTERNAL, reason="another OpenSHMEM's version")
def test_version_is_1_6():
    assert shmem.info_get_version() == (1, 6)
    assert shmem.MINOR_VERSION == 6


# ---------------------------------------------------------------------------
# sum_inscan / sum_exscan


def _prefix(dt, k, upto):
    parts = [values(dt, k, pe) for pe in range(upto)]
    if not parts:
        return np.zeros(k, dtype=dt)
    return functools.reduce(np.add, parts).astype(dt)


@_need("scan")
def test_scans_every_dtype():
    for dt in DTYPES:
        src = shmem.array(values(dt, 5, ME))
        dst = shmem.zeros(5, dtype=dt)
        if dt not in REDUCE_ARITH:
            with pytest.raises(TypeError, match=fr"sum_inscan\(\): argument 'target' has dtype "
                                                fr"{np.dtype(dt)}.*supported: int8"):
                shmem.sum_inscan(dst, src)
            with pytest.raises(TypeError, match="sum_exscan.*dtype"):
                shmem.sum_exscan(dst, src)
        else:
            shmem.sum_inscan(dst, src)
            np.testing.assert_array_equal(dst, _prefix(dt, 5, ME + 1), err_msg=dt)
            shmem.sum_exscan(dst, src)
            np.testing.assert_array_equal(dst, _prefix(dt, 5, ME), err_msg=dt)
        shmem.barrier_all()
        shmem.free(dst)
        shmem.free(src)


@_need("scan")
def test_scans_in_place_size_and_complex():
    a = shmem.array(values("D", 4, ME))
    shmem.sum_inscan(a, a)
    np.testing.assert_array_equal(a, _prefix("D", 4, ME + 1))
    b = shmem.array(values("d", 6, ME))
    shmem.sum_exscan(b, b, size=3)  # the rest stays
    np.testing.assert_array_equal(b[:3], _prefix("d", 3, ME))
    np.testing.assert_array_equal(b[3:], values("d", 6, ME)[3:])
    shmem.sum_inscan(b, b, size=0)
    shmem.sum_inscan(target=b, source=b, size=np.int64(0), team=shmem.TEAM_WORLD)
    shmem.barrier_all()
    shmem.free(b)
    shmem.free(a)


@_need("scan")
def test_scans_on_a_split_team():
    even = shmem.TEAM_WORLD.split_strided(0, 2)
    odd = shmem.TEAM_WORLD.split_strided(1, 2) if NPES > 1 else shmem.Team()
    mine = even if ME % 2 == 0 else odd
    members = list(range(ME % 2, NPES, 2))
    src = shmem.array([ME + 1, 10 * (ME + 1)], dtype="i")
    dst = shmem.zeros(2, dtype="i")
    shmem.sum_inscan(dst, src, team=mine)
    before = members[:members.index(ME) + 1]
    assert list(dst) == [sum(p + 1 for p in before), sum(10 * (p + 1) for p in before)]
    shmem.sum_exscan(dst, src, team=mine)
    before = members[:members.index(ME)]
    assert list(dst) == [sum(p + 1 for p in before), sum(10 * (p + 1) for p in before)]
    shmem.barrier_all()
    even.destroy()
    odd.destroy()
    with pytest.raises(shmem.ShmemValueError, match=r"sum_inscan\(\): argument 'team' is invalid"):
        shmem.sum_inscan(dst, src, team=mine)
    shmem.free(dst)
    shmem.free(src)


@_need("scan")
def test_scans_bad_input():
    src = shmem.zeros(4, dtype="l")
    dst = shmem.zeros(4, dtype="l")
    with pytest.raises(ValueError, match=r"sum_inscan\(\): size 5 is larger than argument "
                                         r"'target' \(4 elements\)"):
        shmem.sum_inscan(dst, src, 5)
    with pytest.raises(TypeError, match=r"sum_exscan\(\): arguments 'target' \(dtype int64\) "
                                        r"and 'source' \(dtype int32\) must have the same"):
        shmem.sum_exscan(dst, shmem.zeros(4, dtype="i"))
    with pytest.raises(ValueError, match=r"sum_inscan\(\): arguments 'target' and 'source' "
                                         r"overlap"):
        shmem.sum_inscan(dst[1:], dst[:3])
    with pytest.raises(ValueError, match=r"sum_exscan\(\): argument 'source' is not symmetric"):
        shmem.sum_exscan(dst, np.zeros(4, dtype="l"))
    with pytest.raises(TypeError, match=r"sum_inscan\(\): argument 'team' must be a Team"):
        shmem.sum_inscan(dst, src, team=0)
    with pytest.raises(shmem.ShmemValueError, match=r"sum_exscan\(\): argument 'team' is invalid"):
        shmem.sum_exscan(dst, src, team=shmem.TEAM_INVALID)
    shmem.barrier_all()
    shmem.free(dst)
    shmem.free(src)


# ---------------------------------------------------------------------------
# Sessions


@_need("session")
def test_session_start_stop_and_with_block():
    t = shmem.zeros(NPES, dtype="l")
    one = np.array([ME + 1], dtype="l")
    with shmem.Ctx.create() as ctx:
        ctx.session_start(shmem.CTX_SESSION_BATCH, total_ops=NPES)
        for pe in range(NPES):
            shmem.put(t[ME:ME + 1], one, pe, ctx=ctx)
        ctx.session_stop()
        ctx.quiet()
        shmem.barrier_all()
        assert list(t) == list(range(1, NPES + 1))
        shmem.barrier_all()
        with ctx.session(shmem.CTX_SESSION.BATCH, total_ops=np.int64(1)) as same:
            assert same is ctx
            shmem.atomic_add(t[ME:ME + 1], 100, NEXT, ctx=ctx)
        ctx.quiet()
        assert ctx  # a session block does not destroy the context
        # Restarting adds options; a session without options or a count.
        ctx.session_start()
        ctx.session_start(shmem.CTX_SESSION_BATCH)
        ctx.session_stop()
        ctx.session_stop()  # no session: nothing to do
        # The block ends the session when it raises, too.
        with pytest.raises(KeyError):
            with ctx.session(options=1):
                raise KeyError("out")
    shmem.barrier_all()
    assert t[PREV] == PREV + 1 + 100
    shmem.barrier_all()
    # The default context, and (as the specification says) CTX_INVALID, a no-op.
    with shmem.CTX_DEFAULT.session(shmem.CTX_SESSION_BATCH):
        shmem.p(t[ME:ME + 1], 7, NEXT)
    shmem.barrier_all()
    assert t[PREV] == 7
    shmem.CTX_INVALID.session_start(shmem.CTX_SESSION_BATCH)
    shmem.CTX_INVALID.session_stop()
    with shmem.CTX_INVALID.session():
        pass
    # A destroyed context is invalid: its session calls do nothing either.
    ctx = shmem.Ctx.create()
    ctx.session_start()
    ctx.destroy()
    ctx.session_stop()
    shmem.barrier_all()
    shmem.free(t)


@_need("session")
def test_session_bad_input():
    ctx = shmem.CTX_DEFAULT
    with pytest.raises(ValueError, match=r"Ctx.session_start\(\): argument 'options' \(2\) is "
                                         r"not a combination of CTX_SESSION flags"):
        ctx.session_start(2)
    with pytest.raises(ValueError, match=r"Ctx.session_start\(\): argument 'total_ops' must "
                                         r"not be negative"):
        ctx.session_start(total_ops=-1)
    with pytest.raises(TypeError, match=r"Ctx.session_start\(\): argument 'options' must be an "
                                        r"integer, not str"):
        ctx.session_start("batch")
    with pytest.raises(ValueError, match="CTX_SESSION"):
        with ctx.session(-1):
            pass
    assert int(shmem.CTX_SESSION_BATCH) == 1


# ---------------------------------------------------------------------------
# Team-relative ptr


@_need("team_ptr")
def test_team_ptr():
    a = shmem.array(np.arange(3, dtype="i") + 10 * ME)
    # A view of the PEs of this node (all of them under shmemrun), else None.
    world = shmem.TEAM_WORLD.ptr(a, NEXT)
    if NEXT in SHARED_PES:
        assert world is not None and list(world) == [10 * NEXT, 10 * NEXT + 1, 10 * NEXT + 2]
    else:
        assert world is None
    even = shmem.TEAM_WORLD.split_strided(0, 2)
    odd = shmem.TEAM_WORLD.split_strided(1, 2) if NPES > 1 else shmem.Team()
    mine = even if ME % 2 == 0 else odd
    members = list(range(ME % 2, NPES, 2))
    for i, w in enumerate(members):
        v = mine.ptr(a, i)
        if w not in SHARED_PES:
            assert v is None
            continue
        assert v is not None and list(v) == [10 * w, 10 * w + 1, 10 * w + 2]
        assert mine.ptr(target=a[1:], pe=np.int8(i))[1] == 10 * w + 2
    assert mine.ptr(a, len(members)) is None  # a PE outside the team
    assert mine.ptr(a, -1) is None
    assert mine.ptr(np.zeros(3), 0) is None  # not symmetric
    shmem.barrier_all()
    # A store through the view lands in that PE's copy (a put where no view).
    nxt = (members.index(ME) + 1) % len(members)
    view = mine.ptr(a, nxt)
    if view is not None:
        view[0] = -1
    else:
        shmem.put(a[:1], np.array([-1], dtype="i"), members[nxt])
    shmem.barrier_all()
    assert a[0] == -1
    shmem.barrier_all()
    even.destroy()
    odd.destroy()
    with pytest.raises(shmem.ShmemValueError, match=r"Team.ptr\(\): the team is invalid"):
        mine.ptr(a, 0)
    with pytest.raises(shmem.ShmemValueError, match=r"Team.ptr\(\): the team is invalid"):
        shmem.TEAM_INVALID.ptr(a, 0)
    with pytest.raises(TypeError, match=r"Team.ptr\(\): argument 'target' must be a NumPy"):
        shmem.TEAM_WORLD.ptr([1], 0)
    with pytest.raises(TypeError, match=r"Team.ptr\(\): argument 'pe' must be an integer"):
        shmem.TEAM_WORLD.ptr(a, "0")
    shmem.barrier_all()
    shmem.free(a)


# ---------------------------------------------------------------------------
# shmem4py.api: the 1.6 routines and constants come from the headers


@pytest.mark.skipif(shmem.lib is None, reason="no shmem4py.api (another OpenSHMEM)")
def test_api_has_the_1_6_routines_and_constants():
    from test_lowlevel import _spec_functions

    from shmem4py.api import ffi, lib

    names = _spec_functions("1.6")
    assert len(names) > 1600
    missing = [n for n in names if not hasattr(lib, n)]
    assert not missing, f"lib lacks {len(missing)} routines, e.g. {missing[:10]}"
    assert lib.SHMEM_MINOR_VERSION == 6
    assert lib.SHMEM_CTX_SESSION_BATCH == shmem.CTX_SESSION_BATCH == 1
    assert lib.SHMEM_CTX_SESSION_TOTAL_OPS == 1
    cfg = ffi.new("shmem_ctx_session_config_t *", {"total_ops": 5})
    lib.shmem_ctx_session_start(lib.SHMEM_CTX_DEFAULT, lib.SHMEM_CTX_SESSION_BATCH, cfg,
                                lib.SHMEM_CTX_SESSION_TOTAL_OPS)
    lib.shmem_ctx_session_stop(lib.SHMEM_CTX_DEFAULT)
    flag = ffi.new("int *")
    lib.shmem_query_initialized(flag)
    assert flag[0] == 1
    # A call through the low-level API, with a real result.
    src = shmem.array([ME + 1, 2 * (ME + 1)], dtype="l")
    dst = shmem.zeros(2, dtype="l")
    d, n, _ = shmem._getbuffer(dst)
    s, _, _ = shmem._getbuffer(src, readonly=True)
    assert lib.shmem_long_sum_inscan(lib.SHMEM_TEAM_WORLD, d, s, n) == 0
    k = (ME + 1) * (ME + 2) // 2
    assert list(dst) == [k, 2 * k]
    sig = shmem.new_signal()
    shmem.barrier_all()
    lib.shmem_signal_add(ffi.cast("uint64_t *", shmem._getbuffer(sig)[0]), 3, NEXT)
    shmem.barrier_all()
    assert sig[0] == 3
    shmem.barrier_all()
    shmem.del_signal(sig)
    shmem.free(dst)
    shmem.free(src)
