"""The type stubs against the code, with mypy (skipped when mypy is not
installed): stubtest compares shmem.pyi with the module, and a script in the
style of shmem4py's documentation type-checks with --strict."""
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("mypy")

# What stubtest reports for reasons outside the stubs: the str-based enums
# inherit str.__new__'s signature, and Ctx's metaclass is nanobind's.
ALLOWLIST = """\
shmem4py.shmem.AMO.__new__
shmem4py.shmem.OP.__new__
shmem4py.shmem.Ctx
"""

USAGE = """\
import numpy as np
import shmem4py
import shmem4py.rc
from shmem4py import rc

rc.initialize = True
rc(threads=False, thread_level="single")
shmem4py.rc.finalize = None
threads: bool = shmem4py.rc.threads
from shmem4py import shmem

me: int = shmem.my_pe()
npes: int = shmem.n_pes()
a = shmem.new_array(4, dtype="i")
b = shmem.array([1, 2, 3], dtype=np.int32)
c = shmem.full((2, 2), 7.0)
d = shmem.zeros(3, dtype=float, order="F", align=64)
mem: memoryview = shmem.alloc(4, 8, clear=False)
f = shmem.fromalloc(mem, (2, 2), np.float64)
shmem.put(a, np.arange(4, dtype="i"), (me + 1) % npes, size=np.int64(2))
shmem.get(a, a, me, ctx=shmem.CTX_DEFAULT)
v = shmem.atomic_fetch_add(a[:1], 1, me)
w = shmem.atomic_fetch_op(a[:1], 1, shmem.AMO.ADD, me)
shmem.atomic_op(a[:1], 1, "add", me)
shmem.wait_until(a[:1], shmem.CMP.GE, 0)
shmem.wait_until(a[:1], ">=", 0)
i = shmem.test_any(a, "==", 1)
if i is not None:
    print(i + 1)
some: list[int] = shmem.test_some(a, shmem.CMP_EQ, 0, status=[0, 0, 1, 0])
shmem.reduce(a, a, op="sum")
shmem.sum_reduce(a, a, team=shmem.TEAM_WORLD)
team = shmem.TEAM_WORLD.split_strided(0, 2, num_contexts=1)
with team:
    if team:
        print(team.my_pe(), team.n_pes(), team.translate_pe(0, shmem.TEAM_WORLD))
        with team.create_ctx(shmem.CTX.PRIVATE) as ctx:
            ctx.quiet()
x, y = shmem.TEAM_WORLD.split_2d(2)
alias = shmem.Team(x)
cd = shmem.Ctx(shmem.CTX_DEFAULT)
ok: bool = shmem.addr_accessible(a, 0)
view = shmem.ptr(a, 0)
sig = shmem.new_signal()
shmem.put_signal(a, a, me, sig, 1, shmem.SIGNAL_SET)
val: int = shmem.signal_wait_until(sig, "==", 1)
shmem.signal_add(sig, 1, me)
shmem.signal_set(sig, np.uint64(2), me, ctx=cd)
shmem.ibput(a, a, me, 2, 2, 1, nblocks=2)
shmem.ibget(a, a, me, tst=2, sst=2, bsize=1)
shmem.pe_quiet(me)
shmem.pe_quiet([me], ctx=cd)
cd.pe_quiet(np.array([me]))
shmem.sum_inscan(a, a, team=shmem.TEAM_WORLD)
shmem.sum_exscan(a, a, size=2)
initialized: bool = shmem.query_initialized()
with cd.session(shmem.CTX_SESSION_BATCH, total_ops=4) as sctx:
    sctx.quiet()
cd.session_start(shmem.CTX_SESSION.BATCH)
cd.session_stop()
tv = shmem.TEAM_WORLD.ptr(a, 0)
lock = shmem.Lock()
with lock:
    pass
got: bool = lock.acquire(blocking=False)
word = shmem.new_lock()
held: bool = shmem.test_lock(word)
level: shmem.THREAD = shmem.query_thread()
major, minor = shmem.info_get_version()
try:
    shmem.free(mem)
except shmem.ShmemError:
    pass
shmem.free(f)
"""


def run(argv, cwd):
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=cwd)


def test_stubtest(tmp_path, no_leaked_segments):
    allow = tmp_path / "allowlist.txt"
    allow.write_text(ALLOWLIST)
    r = run([sys.executable, "-m", "mypy.stubtest", "shmem4py.shmem", "--allowlist", str(allow)],
            tmp_path)
    assert r.returncode == 0, f"{r.stdout[-6000:]}\n{r.stderr[-2000:]}"


def test_strict_usage(tmp_path):
    (tmp_path / "usage.py").write_text(textwrap.dedent(USAGE))
    r = run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
             "usage.py"], tmp_path)
    assert r.returncode == 0, f"{r.stdout[-6000:]}\n{r.stderr[-2000:]}"
