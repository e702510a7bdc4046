"""Teams and contexts."""
import numpy as np
import pytest
from spmd_util import ME, NEXT, NPES, SHARED_PES

from shmem4py import _shmem, shmem

pytestmark = pytest.mark.skipif(not (_shmem.has("teams") and _shmem.has("ctx")),
                                reason="the OpenSHMEM library lacks teams or contexts")


def test_predefined_teams():
    w = shmem.TEAM_WORLD
    assert w.my_pe() == ME and w.n_pes() == NPES
    assert shmem.TEAM_SHARED.n_pes() == len(SHARED_PES)
    assert shmem.TEAM_SHARED.my_pe() == SHARED_PES.index(ME)
    assert w and shmem.TEAM_SHARED and not shmem.TEAM_INVALID
    assert w == shmem.TEAM_WORLD and w != shmem.TEAM_SHARED and w != shmem.TEAM_INVALID
    assert shmem.Team(w) == w and hash(shmem.Team(w)) == hash(w)
    assert shmem.Team() == shmem.TEAM_INVALID and shmem.Team(None) == shmem.TEAM_INVALID
    assert w.translate_pe() == ME
    assert w.translate_pe(SHARED_PES[-1], shmem.TEAM_SHARED) == len(SHARED_PES) - 1
    # As shmem4py 1.0: what C reports as -1 raises a RuntimeError.
    with pytest.raises(RuntimeError, match="out of range"):
        w.translate_pe(NPES)
    for call in (shmem.TEAM_INVALID.my_pe, shmem.TEAM_INVALID.n_pes,
                 lambda: shmem.TEAM_INVALID.translate_pe(0),
                 lambda: w.translate_pe(0, shmem.TEAM_INVALID)):
        with pytest.raises(shmem.ShmemValueError, match="invalid"):
            call()
    assert isinstance(w.get_config(), dict) and "num_contexts" in w.get_config()
    w.destroy()  # destroying a predefined team does nothing
    shmem.TEAM_SHARED.destroy()
    shmem.TEAM_INVALID.destroy()
    assert w and shmem.TEAM_SHARED and w.n_pes() == NPES
    with w:  # predefined teams survive a with block
        pass
    assert w.n_pes() == NPES
    assert "WORLD" in repr(w) and "INVALID" in repr(shmem.TEAM_INVALID)


def test_split_strided():
    # Every other PE from 0, with a config.
    team = shmem.TEAM_WORLD.split_strided(0, 2, config={"num_contexts": 2})
    members = list(range(0, NPES, 2))
    if ME in members:
        assert team and team.n_pes() == len(members)
        assert team.my_pe() == members.index(ME)
        assert team.get_config() == {"num_contexts": 2}
        assert team.translate_pe() == ME
        assert team.translate_pe(0, shmem.TEAM_WORLD) == 0
        assert shmem.TEAM_WORLD.translate_pe(ME, team) == members.index(ME)
        team.sync()
    else:
        assert not team and team == shmem.TEAM_INVALID
        with pytest.raises(RuntimeError):
            team.n_pes()
        with pytest.raises(RuntimeError):
            shmem.TEAM_WORLD.translate_pe(ME, team)
    if ME in members and len(members) > 1:
        # A PE of the world outside the team: translate_pe raises, as in shmem4py 1.0.
        with pytest.raises(RuntimeError, match="not a member"):
            shmem.TEAM_WORLD.translate_pe(1, team)
    team.destroy()
    assert not team
    team.destroy()  # destroying an invalid (destroyed) team is a no-op
    # Defaults: every PE, keyword arguments, NumPy integers, num_contexts kwarg.
    with shmem.TEAM_WORLD.split_strided(start=np.int32(0), stride=np.int64(1),
                                        num_contexts=1) as all_pes:
        assert all_pes.n_pes() == NPES and all_pes.my_pe() == ME
        assert all_pes != shmem.TEAM_WORLD
        sub = all_pes.split_strided(NPES - 1, size=1)  # a team of the last PE
        assert bool(sub) == (ME == NPES - 1)
        if sub:
            assert sub.n_pes() == 1 and sub.my_pe() == 0
        sub.destroy()
    assert not all_pes
    # Negative stride: from the last PE down.
    down = shmem.TEAM_WORLD.split_strided(NPES - 1, -1)
    assert down.n_pes() == NPES and down.my_pe() == NPES - 1 - ME
    down.destroy()


def test_split_errors():
    w = shmem.TEAM_WORLD
    with pytest.raises(ValueError, match="start"):
        w.split_strided(NPES)
    with pytest.raises(ValueError, match="size"):
        w.split_strided(0, 1, 0)
    with pytest.raises(ValueError, match="out of range"):
        w.split_strided(0, 1, NPES + 1)
    with pytest.raises(TypeError, match="stride"):
        w.split_strided(0, 1.5)
    with pytest.raises(TypeError, match="option"):
        w.split_strided(0, 1, bogus=3)
    with pytest.raises(ValueError, match="num_contexts"):
        w.split_strided(0, 1, num_contexts=-1)
    with pytest.raises(ValueError, match="invalid"):
        shmem.TEAM_INVALID.split_strided()
    with pytest.raises(ValueError, match="xrange"):
        w.split_2d(0)


def test_split_2d():
    xrange = 2
    x, y = shmem.TEAM_WORLD.split_2d(xrange, {"num_contexts": 1}, None)
    row, col = ME // xrange, ME % xrange
    assert x.my_pe() == col and x.n_pes() == min(xrange, NPES - row * xrange)
    assert y.my_pe() == row and y.n_pes() == len(range(col, NPES, xrange))
    assert x.translate_pe(0) == row * xrange
    a = shmem.array([ME], dtype="i")
    b = shmem.zeros(1, dtype="i")
    shmem.sum_reduce(b, a, team=x)
    assert b[0] == sum(range(row * xrange, min(NPES, row * xrange + xrange)))
    shmem.sum_reduce(b, a, team=y)
    assert b[0] == sum(range(col, NPES, xrange))
    shmem.free(b)
    shmem.free(a)
    x.destroy()
    y.destroy()


def test_contexts():
    ctx = shmem.Ctx.create()
    assert ctx and ctx != shmem.CTX_DEFAULT and ctx.get_team() == shmem.TEAM_WORLD
    assert shmem.CTX_DEFAULT and not shmem.CTX_INVALID
    assert shmem.CTX_DEFAULT.get_team() == shmem.TEAM_WORLD
    with pytest.raises(RuntimeError, match="invalid"):
        shmem.CTX_INVALID.get_team()
    shmem.CTX_DEFAULT.destroy()  # a no-op, as in shmem4py 1.0
    assert shmem.CTX_DEFAULT
    shmem.CTX_INVALID.destroy()  # a no-op
    ctx.destroy()
    assert not ctx and ctx == shmem.CTX_INVALID
    ctx.destroy()  # again: a no-op
    for options in (shmem.CTX_SERIALIZED, shmem.CTX.PRIVATE, shmem.CTX_NOSTORE,
                    shmem.CTX_PRIVATE | shmem.CTX_SERIALIZED, 0):
        with shmem.Ctx.create(options) as c:
            assert c
        assert not c
    with pytest.raises(ValueError, match="options"):
        shmem.Ctx.create(64)
    with pytest.raises(TypeError, match="team"):
        shmem.Ctx.create(0, team=0)
    with pytest.raises(ValueError, match="invalid"):
        shmem.Ctx.create(0, shmem.TEAM_INVALID)
    with pytest.raises(RuntimeError, match="invalid"):  # ShmemValueError is both
        shmem.Ctx.create(0, shmem.TEAM_INVALID)
    assert "DEFAULT" in repr(shmem.CTX_DEFAULT)


def test_team_contexts_use_team_relative_pes():
    team = shmem.TEAM_WORLD.split_strided(0, 2)
    t = shmem.zeros(1, dtype="l")
    if team:
        ctx = team.create_ctx()
        assert ctx.get_team() == team
        n = team.n_pes()
        dest = (team.my_pe() + 1) % n
        shmem.p(t, ME, dest, ctx=ctx)  # team PE dest is world PE 2 * dest
        shmem.atomic_add(t, 0, dest, ctx=ctx)
        with pytest.raises(ValueError, match="PE"):
            shmem.p(t, ME, n, ctx=ctx)
        ctx.quiet()
        team.sync()
        assert t[0] == (ME - 2) % (2 * n) if n > 1 else t[0] == ME
        team.destroy()  # also destroys ctx
        assert not ctx
        with pytest.raises(ValueError, match="ctx"):
            shmem.p(t, ME, 0, ctx=ctx)
    shmem.barrier_all()
    shmem.free(t)


def test_shared_team_context():
    # A context's PE numbers are those of its team: the next PE of this node.
    shared = shmem.TEAM_SHARED
    with shared.create_ctx() as ctx:
        t = shmem.zeros(1, dtype="i")
        shmem.p(t, 1, (shared.my_pe() + 1) % shared.n_pes(), ctx)
        shmem.quiet(ctx)
        shmem.barrier_all()
        assert t[0] == 1
        shmem.barrier_all()
        shmem.free(t)
