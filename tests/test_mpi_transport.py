"""The mpi transport: C programs started by mpiexec (the mpich wheel's).
The ranks of one node reach each other through shared memory (the shm
transport's segments); the others through MPI-3 RMA (build/libshmem_mpi.so).

* The self-checking C test programs pass at 2, 3 and 4 ranks in three
  layouts, and tests/c/check.h expects shmem_ptr, SHMEM_TEAM_SHARED and the
  inline fast paths to tell each PE's place:
  - one node (the default): every PE by loads and stores;
  - SHMEM_MPI_ONNODE=0: every other PE through MPI RMA, as on a cluster;
  - SHMEMI_MPI_NODE_SIZE=2: "nodes" of two ranks, so that a job mixes PEs of
    this node (loads and stores) with PEs of others (MPI, which then owns
    every AMO).
* The same through MPICH's network layer (MPIR_CVAR_NOLOCAL=1), as ranks on
  other nodes are reached.
* The Python package (the installed wheel, which ships the plugin) under
  mpiexec: the SPMD suite of tests/python/spmd in the three layouts, a
  small application at 1-4 ranks, and mpi4py in the same program, imported
  before or after shmem4py.
* A job of one rank (mpiexec -n 1), and SHMEM_TRANSPORT=mpi without a
  launcher (an MPI singleton).
* Faults end the job promptly with a non-zero status: a rank that calls
  exit(0) without shmem_finalize, a signal, a diagnostic, shmem_global_exit
  (its status is the job's); a rank that calls _exit(0) ends it too (with
  MPICH's status 0, see below).
* The files MPICH leaves in /dev/shm when a job is aborted are removed.
"""
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from jobs import BUILD, ROOT, c_test_program, check_spmd_suite, mpich_shm_files, remove_unmapped_mpich_files

PLUGIN = BUILD / "libshmem_mpi.so"
VENV_BIN = ROOT / ".venv" / "bin"
TIMEOUT = 90

pytestmark = pytest.mark.skipif(
    not PLUGIN.exists() or not (VENV_BIN / "mpiexec").exists(),
    reason="no mpi transport plugin or no mpiexec (the mpich wheel of requirements-dev.txt)")

PROGRAMS = ["test_smoke", "test_amo", "test_collectives",
            "test_ctx", "test_generic_compile", "test_cxx_overloads_cxx", "test_invalid_handles",
            "test_lock", "test_ordering", "test_psync_static", "test_reductions",
            "test_start_pes", "test_sync", "test_team_concurrency", "test_teams",
            "test_threads", "test_thread_mix", "test_v16"]
SLOW_PROGRAMS = ["test_rma", "test_heap", "test_team_churn", "test_coll_edges", "test_active_set"]


@pytest.fixture
def mpich_cleanup():
    """MPICH leaves its shared-memory files behind when a job is aborted;
    the ones that appeared during the test and that no process maps (no job
    of anyone else's that is still running) are removed."""
    before = mpich_shm_files()
    yield
    remove_unmapped_mpich_files(mpich_shm_files() - before)


def mpiexec(argv, npes, env=None, timeout=TIMEOUT):
    cmd = [str(VENV_BIN / "mpiexec"), "-n", str(npes), *map(str, argv)]
    full = dict(os.environ)
    for k in ("SHMEMRUN_JOB", "SHMEMRUN_PE", "SHMEMRUN_NPES", "SHMEMRUN_CTRL_FD"):
        full.pop(k, None)
    full.update(env or {})
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{' '.join(cmd)} hung: no result within {timeout} s\n"
                    f"stdout: {e.stdout}\nstderr: {e.stderr}")


def run_ok(program, npes, env=None, timeout=TIMEOUT):
    r = mpiexec([BUILD / "tests" / "c" / program], npes, env=env, timeout=timeout)
    assert r.returncode == 0, (f"{program} at {npes} ranks ({env or 'one node'}) exited "
                               f"{r.returncode}\nstdout:\n{r.stdout[-3000:]}\n"
                               f"stderr:\n{r.stderr[-3000:]}")


@pytest.mark.parametrize("npes", (2, 3, 4))
@pytest.mark.parametrize("program", PROGRAMS + SLOW_PROGRAMS)
def test_c_program_on_one_node(program, npes, mpich_cleanup):
    run_ok(program, npes)


@pytest.mark.parametrize("npes", (2, 3, 4))
@pytest.mark.parametrize("program", PROGRAMS)
def test_c_program_through_mpi(program, npes, mpich_cleanup):
    run_ok(program, npes, env={"SHMEM_MPI_ONNODE": "0"})


@pytest.mark.parametrize("npes", (2, 3))
@pytest.mark.parametrize("program", SLOW_PROGRAMS)
def test_slow_c_program_through_mpi(program, npes, mpich_cleanup):
    run_ok(program, npes, env={"SHMEM_MPI_ONNODE": "0"}, timeout=240)


# test_rma at 3 ranks on two nodes is left out: it takes 50 s there (every
# remote operation waits for the target's MPI progress, on 3 ranks over 2
# cores), and its 3-rank paths run on one node and through MPI, its two-node
# ones at 4 ranks, the uneven layout with every other program.
TWO_NODE_CASES = [(p, n) for p in PROGRAMS + SLOW_PROGRAMS for n in (3, 4)
                  if (p, n) != ("test_rma", 3)]


@pytest.mark.parametrize("program,npes", TWO_NODE_CASES, ids=[f"{p}-{n}" for p, n in TWO_NODE_CASES])
def test_c_program_on_two_nodes(program, npes, mpich_cleanup):
    """Nodes of two ranks (3 ranks: {0, 1} and {2}): loads and stores
    within a node, MPI between them, every AMO through MPI."""
    run_ok(program, npes, env={"SHMEMI_MPI_NODE_SIZE": "2"}, timeout=240)


def test_bad_onnode_value_is_diagnosed(mpich_cleanup):
    r = mpiexec([BUILD / "tests" / "c" / "test_smoke"], 2, env={"SHMEM_MPI_ONNODE": "yes"})
    assert r.returncode != 0
    assert "SHMEM_MPI_ONNODE=yes is not one of 0, 1" in r.stderr, r.stderr


PLACES = r"""
#include <shmem.h>
#include <stdio.h>
int main(void) {
  shmem_init();
  static long x;
  int me = shmem_my_pe(), n = shmem_n_pes(), at = 0;
  char line[256]; /* one write per rank: mpiexec interleaves the ranks' output */
  at += snprintf(line + at, sizeof line - at, "PE %d:", me);
  for (int pe = 0; pe < n; ++pe)
    at += snprintf(line + at, sizeof line - at, " %d", shmem_ptr(&x, pe) != NULL);
  snprintf(line + at, sizeof line - at, " shared %d\n", shmem_team_n_pes(SHMEM_TEAM_SHARED));
  fputs(line, stdout);
  fflush(stdout);
  shmem_finalize();
  return 0;
}
"""


@pytest.mark.parametrize("env,want", [
    ({}, ["1 1 1 1 shared 4"] * 4),
    ({"SHMEM_MPI_ONNODE": "0"}, ["1 0 0 0 shared 1", "0 1 0 0 shared 1",
                                 "0 0 1 0 shared 1", "0 0 0 1 shared 1"]),
    ({"SHMEMI_MPI_NODE_SIZE": "2"}, ["1 1 0 0 shared 2"] * 2 + ["0 0 1 1 shared 2"] * 2),
])
def test_which_pes_are_reached_by_loads_and_stores(tmp_path, env, want, mpich_cleanup):
    (tmp_path / "places.c").write_text(PLACES)
    cc = subprocess.run([BUILD / "shmemcc", tmp_path / "places.c", "-o", tmp_path / "places"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    r = mpiexec([tmp_path / "places"], 4, env=env)
    assert r.returncode == 0, r.stderr
    got = sorted(re.findall(r"PE \d+:[ \d]* shared \d+", r.stdout))
    assert got == [f"PE {pe}: {w}" for pe, w in enumerate(want)], r.stdout


@pytest.mark.parametrize("npes", (2, 3))
@pytest.mark.parametrize("program", ["test_amo", "test_v16"])
def test_through_mpich_network_layer(program, npes, mpich_cleanup):
    """MPIR_CVAR_NOLOCAL=1: MPICH sends even the ranks of one node through
    its network layer, as ranks of other nodes go."""
    r = mpiexec([BUILD / "tests" / "c" / program], npes, env={"MPIR_CVAR_NOLOCAL": "1"})
    assert r.returncode == 0, (f"{program} at {npes} ranks exited {r.returncode}\n"
                               f"stdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-3000:]}")


@pytest.mark.parametrize("program", ["test_smoke", "test_v16"])
def test_one_rank(program, mpich_cleanup):
    exe = BUILD / "tests" / "c" / program
    r = mpiexec([exe], 1)
    assert r.returncode == 0, r.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHMEMRUN_", "PMI_"))}
    env["SHMEM_TRANSPORT"] = "mpi"
    s = subprocess.run([exe], capture_output=True, text=True, timeout=TIMEOUT, env=env)
    assert s.returncode == 0, s.stderr


PY_APP = r"""
import sys
order, layout = sys.argv[1], sys.argv[2]
if order == "mpi4py-first":
    from mpi4py import MPI
from shmem4py import shmem
import numpy as np
if order == "shmem4py-first":
    from mpi4py import MPI
me, n = shmem.my_pe(), shmem.n_pes()
# A ring of puts, an atomic counter on PE 0 and a reduction, checked.
box = shmem.zeros(2, dtype="i8")
count = shmem.zeros(1, dtype="i8")
shmem.put(box[:1], np.array([100 + me], dtype="i8"), (me + 1) % n)
shmem.atomic_add(count, me + 1, 0)
shmem.barrier_all()
assert box[0] == 100 + (me - 1) % n, (me, box)
total = shmem.zeros(1, dtype="i8")
shmem.sum_reduce(total, shmem.array([me + 1], dtype="i8"))
assert total[0] == n * (n + 1) // 2, total
if me == 0:
    assert count[0] == n * (n + 1) // 2, count
# Which PEs this one reaches by loads and stores (shmem.ptr).
near = [int(shmem.ptr(box, pe) is not None) for pe in range(n)]
if order != "no-mpi4py":
    # One MPI, one COMM_WORLD: the same rank and size.
    assert (MPI.COMM_WORLD.Get_rank(), MPI.COMM_WORLD.Get_size()) == (me, n)
    assert MPI.COMM_WORLD.allreduce(me + 1) == n * (n + 1) // 2
print(f"PE {me} of {n}: ok near {near}", flush=True)
"""


@pytest.fixture(scope="module")
def py_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("py_mpi") / "app.py"
    path.write_text(PY_APP)
    return path


def python_under_mpiexec(app, npes, order, env=None):
    import sys
    r = mpiexec([sys.executable, app, order, "layout"], npes, env=env, timeout=120)
    assert r.returncode == 0, (f"{order} at {npes} ranks ({env}) exited {r.returncode}\n"
                               f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    # Each rank writes one line, but mpiexec may join the ranks' lines.
    return sorted(re.findall(r"PE \d+ of \d+: ok near \[[\d, ]*\]", r.stdout))


@pytest.mark.parametrize("npes", (1, 2, 3, 4))
def test_python_under_mpiexec(py_app, npes, mpich_cleanup):
    """The installed package under mpiexec: one job of N PEs, the ranks of
    one node reaching each other by loads and stores."""
    got = python_under_mpiexec(py_app, npes, "no-mpi4py")
    assert got == [f"PE {pe} of {npes}: ok near {[1] * npes}" for pe in range(npes)], got


@pytest.mark.parametrize("env,near", [
    ({"SHMEM_MPI_ONNODE": "0"}, lambda pe: [int(p == pe) for p in range(3)]),
    ({"SHMEMI_MPI_NODE_SIZE": "2"}, lambda pe: [int(p // 2 == pe // 2) for p in range(3)]),
])
def test_python_through_mpi(py_app, env, near, mpich_cleanup):
    got = python_under_mpiexec(py_app, 3, "no-mpi4py", env=env)
    assert got == [f"PE {pe} of 3: ok near {near(pe)}" for pe in range(3)], got


@pytest.mark.parametrize("order", ["mpi4py-first", "shmem4py-first"])
@pytest.mark.parametrize("npes", (2, 3))
def test_python_with_mpi4py(py_app, order, npes, mpich_cleanup):
    """mpi4py and shmem4py in one program share MPI (and COMM_WORLD),
    whichever starts it; whoever started MPI finalizes it, after SHMEM."""
    pytest.importorskip("mpi4py")
    got = python_under_mpiexec(py_app, npes, order)
    assert got == [f"PE {pe} of {npes}: ok near {[1] * npes}" for pe in range(npes)], got


SPMD = ROOT / "tests" / "python" / "spmd"


@pytest.mark.parametrize("npes,env", [
    (1, {}), (2, {}), (3, {}), (4, {}),
    (2, {"SHMEM_MPI_ONNODE": "0"}), (3, {"SHMEM_MPI_ONNODE": "0"}), (4, {"SHMEM_MPI_ONNODE": "0"}),
    (3, {"SHMEMI_MPI_NODE_SIZE": "2"}), (4, {"SHMEMI_MPI_NODE_SIZE": "2"}),
], ids=lambda v: (",".join(f"{k}={x}" for k, x in v.items()) or "one-node")
    if isinstance(v, dict) else str(v))
def test_python_spmd_suite_under_mpiexec(npes, env, mpich_cleanup):
    """The SPMD tests of tests/python/spmd inside every rank: on one node,
    through MPI RMA, and on "nodes" of two ranks (spmd_util.SHARED_PES
    knows which PEs each layout reaches by loads and stores)."""
    import sys
    r = mpiexec(["-l", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--capture=sys", SPMD], npes, env=env, timeout=300)
    check_spmd_suite(r, npes, f"at {npes} ranks ({env or 'one node'})", label=r"\[(\d+)\]")


@pytest.mark.parametrize("npes,env", [(2, {}), (3, {"SHMEM_MPI_ONNODE": "0"})],
                         ids=["one-node-2", "through-mpi-3"])
def test_njit_spmd_suite_under_mpiexec(npes, env, numba_cache, mpich_cleanup):
    """The njit SPMD tests (tests/python/spmd_numba) inside every rank."""
    import sys
    pytest.importorskip("numba")
    r = mpiexec(["-l", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--capture=sys", SPMD.parent / "spmd_numba"], npes, env={**env, **numba_cache},
                timeout=400)
    check_spmd_suite(r, npes, f"(njit) at {npes} ranks ({env or 'one node'})", at_least=15,
                     label=r"\[(\d+)\]")


def test_python_with_shm_transport_is_one_pe_per_rank(mpich_cleanup):
    """SHMEM_TRANSPORT=shm under mpiexec: every rank is a job of one PE
    (what an mpi4py program that uses shmem4py on its own node asks for)."""
    import sys
    r = mpiexec([sys.executable, "-c", "from shmem4py import shmem; "
                 "print(shmem.n_pes(), shmem.my_pe())"], 2, env={"SHMEM_TRANSPORT": "shm"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["1 0", "1 0"], r.stdout


def test_python_rank_failure_ends_the_job(mpich_cleanup):
    """An uncaught exception in one rank ends every rank (global_exit, then
    MPI_Abort), with the traceback."""
    import sys
    t0 = time.monotonic()
    r = mpiexec([sys.executable, "-c", "from shmem4py import shmem\n"
                 "if shmem.my_pe() == 1: raise RuntimeError('rank 1 fails')\n"
                 "shmem.barrier_all()"], 3, timeout=60)
    assert r.returncode != 0
    assert "RuntimeError: rank 1 fails" in r.stderr, r.stderr
    assert time.monotonic() - t0 < 20


MPI_FIRST = r"""
#include <mpi.h>
#include <shmem.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  /* The program starts MPI itself, at a thread level of its choice. */
  int provided;
  MPI_Init_thread(&argc, &argv, !strcmp(argv[1], "single") ? MPI_THREAD_SINGLE
                                                          : MPI_THREAD_MULTIPLE, &provided);
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  shmem_init_thread(SHMEM_THREAD_MULTIPLE, &provided);
  static long x;
  shmem_long_atomic_add(&x, rank + 1, 0);
  shmem_barrier_all();
  if (shmem_my_pe() == 0) printf("sum %ld\n", x);
  shmem_finalize();
  MPI_Barrier(MPI_COMM_WORLD); /* MPI outlives SHMEM: the program finalizes it */
  MPI_Finalize();
  return 0;
}
"""


@pytest.mark.parametrize("level", ["multiple", "single"])
def test_mpi_started_by_the_program(tmp_path, level, mpich_cleanup):
    """MPI_Init before shmem_init: libshmem uses that MPI and leaves its
    finalization to the program; a thread level below what shmem_init_thread
    asks for is a clear error naming both."""
    (tmp_path / "mpi_first.c").write_text(MPI_FIRST)
    venv = ROOT / ".venv"
    cc = subprocess.run([BUILD / "shmemcc", tmp_path / "mpi_first.c", "-o", tmp_path / "mpi_first",
                         f"-I{venv / 'include'}", f"-L{venv / 'lib'}", "-lmpi",
                         f"-Wl,-rpath,{venv / 'lib'}"], capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    r = mpiexec([tmp_path / "mpi_first", level], 3)
    if level == "multiple":
        assert r.returncode == 0 and "sum 6" in r.stdout, r.stdout + r.stderr
    else:
        assert r.returncode != 0, r.stdout
        assert ("asks for SHMEM_THREAD_MULTIPLE but the MPI provides only MPI_THREAD_SINGLE"
                in r.stderr), r.stderr


def test_bad_transport_name_is_diagnosed():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHMEMRUN_")}
    env["SHMEM_TRANSPORT"] = "infiniband"
    r = subprocess.run([BUILD / "tests" / "c" / "test_smoke"], capture_output=True, text=True,
                       timeout=TIMEOUT, env=env)
    assert r.returncode != 0 and "SHMEM_TRANSPORT=infiniband is not one of shm, mpi" in r.stderr


def test_missing_plugin_is_diagnosed(mpich_cleanup):
    r = mpiexec([BUILD / "tests" / "c" / "test_smoke"], 2,
                env={"SHMEM_MPI_PLUGIN": "/nonexistent/libshmem_mpi.so"})
    assert r.returncode != 0
    assert "the mpi transport cannot be loaded" in r.stderr, r.stderr


FAULTS = r"""
#include <shmem.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
  static long x;
  shmem_init();
  shmem_barrier_all();
  if (shmem_my_pe() == 1) {
    if (!strcmp(argv[1], "_exit0")) _exit(0);
    if (!strcmp(argv[1], "exit0")) exit(0);
    if (!strcmp(argv[1], "segv")) raise(SIGSEGV);
    if (!strcmp(argv[1], "bad_pe")) shmem_long_p(&x, 1, 99);
    if (!strcmp(argv[1], "global_exit")) shmem_global_exit(5);
  }
  shmem_barrier_all(); /* the others wait here for PE 1 */
  shmem_finalize();
  return 0;
}
"""


@pytest.fixture(scope="module")
def faults_program(tmp_path_factory):
    d = tmp_path_factory.mktemp("mpi_faults")
    (d / "faults.c").write_text(FAULTS)
    cc = subprocess.run([BUILD / "shmemcc", d / "faults.c", "-o", d / "faults"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    return d / "faults"


# _exit(0) skips everything of the library: MPICH's mpiexec then ends the
# other ranks (SIGKILL) and itself exits 0, its own rule for a rank that
# exits 0 without MPI_Finalize; the job ends, but only shmemrun can say it
# failed.  status "any": the job just has to end promptly.
@pytest.mark.parametrize("mode,status,says", [
    ("_exit0", "any", None),
    # PE 1 says so, or a PE waiting for it in the barrier sees it leave first.
    ("exit0", 1, ("PE 1: exited without calling shmem_finalize", "PE 1 has called shmem_finalize")),
    ("segv", None, None),
    ("bad_pe", 1, "shmem_long_p: PE 99 is out of range"),
    ("global_exit", 5, None),
])
def test_a_failing_rank_ends_the_job(faults_program, mode, status, says, mpich_cleanup):
    t0 = time.monotonic()
    r = mpiexec([faults_program, mode], 3, timeout=60)
    took = time.monotonic() - t0
    print(f"\n{mode}: the job ended after {took:.2f} s")
    # The status is the aborting rank's when mpiexec hears it first, else
    # that of the ranks mpiexec killed (9): non-zero either way.
    assert status == "any" or r.returncode != 0, r.stderr
    if status not in (None, "any"):
        assert r.returncode in (status, 9), (r.returncode, r.stderr)
    if says:
        assert any(s in r.stderr for s in ((says,) if isinstance(says, str) else says)), r.stderr
    assert took < 20, f"{mode}: the job took {took:.1f} s to end"


# ---- Collectives on MPI's own ------------------------------------------------
# In a job of several nodes every team's collectives are MPI's, on the team's
# communicator (src/runtime/core/coll_net.hpp).  Each call starts with an
# agreement on the call, its root and its size, so that PEs in different
# collectives are diagnosed by name as on one node, and different roots or
# sizes too.  (The programs that check results, on every layout, are above.)
MPI_LAYOUTS = {"two_nodes": {"SHMEMI_MPI_NODE_SIZE": "2"},
               "through_mpi": {"SHMEM_MPI_ONNODE": "0"}}


def mismatch_program():
    return c_test_program("misuse_coll_mismatch")


def check_diagnosed(r, took, pattern):
    assert r.returncode != 0, f"exited 0\nstderr:\n{r.stderr}"
    assert "mismatch not detected" not in r.stderr, r.stderr
    assert re.search(pattern, r.stderr), f"no message matching {pattern!r}:\n{r.stderr}"
    assert took < 10, f"the job took {took:.1f} s to end"


# mode (tests/c/misuse/misuse_coll_mismatch.c), team named, PE 0's call, the others'
MPI_MISMATCHES = [
    ("reduce_barrier", "SHMEM_TEAM_WORLD", "shmem_int_sum_reduce", "shmem_barrier_all"),
    ("broadcast_fcollect_team", "the team of {n} PEs", "shmem_long_broadcast",
     "shmem_long_fcollect"),
    ("split_barrier", "SHMEM_TEAM_WORLD", "shmem_team_split_strided", "shmem_barrier_all"),
    ("malloc_sync", "SHMEM_TEAM_WORLD", "shmem_malloc", "shmem_sync_all"),
    ("destroy_sync", "the team of {n} PEs", "shmem_team_destroy", "shmem_team_sync"),
]


@pytest.mark.parametrize("npes", (3, 4))
@pytest.mark.parametrize("layout", MPI_LAYOUTS)
@pytest.mark.parametrize("mode,team,first,other", MPI_MISMATCHES,
                         ids=[m[0] for m in MPI_MISMATCHES])
def test_collective_mismatch_on_mpi_collectives(mode, team, first, other, layout, npes,
                                                 mpich_cleanup):
    t0 = time.monotonic()
    r = mpiexec([mismatch_program(), mode], npes, env=MPI_LAYOUTS[layout], timeout=60)
    check_diagnosed(r, time.monotonic() - t0,
                    rf"shmem: PE \d+: ({first}|{other}): collective mismatch on "
                    rf"{re.escape(team.format(n=npes))}[^:]*?(?: \(call #\d+\))?: "
                    rf"PE 0 is in {first}, PE \d+ is in {other};")


@pytest.mark.parametrize("layout", MPI_LAYOUTS)
@pytest.mark.parametrize("mode,pattern", [
    ("broadcast_root", r"shmem_long_broadcast: PE_root differs on SHMEM_TEAM_WORLD "
                       r"\(call #\d+\): PE 0 passes 0, PE 1 passes 1;"),
    ("reduce_size", r"shmem_int_sum_reduce: the size differs on SHMEM_TEAM_WORLD "
                    r"\(call #\d+\): PE 0 passes 16 bytes, PE 1 passes 12;"),
])
def test_different_root_or_size_on_mpi_collectives(mode, pattern, layout, mpich_cleanup):
    t0 = time.monotonic()
    r = mpiexec([mismatch_program(), mode], 3, env=MPI_LAYOUTS[layout], timeout=60)
    check_diagnosed(r, time.monotonic() - t0, pattern)


# ---- Two hosts ------------------------------------------------------------
# Two network namespaces joined by a veth pair act as two hosts: mpiexec
# runs in the first and starts the second host's ranks through a launcher
# that enters the other namespace (hydra's -launcher-exec, in place of ssh).
# MPICH then sees two nodes, so libshmem maps the PEs of each "host" and
# reaches the others through MPI; UCX_TLS=tcp,self makes that MPICH over TCP.
# Needs root (ip netns); skipped elsewhere.

HOSTS = {"10.77.0.1": "a", "10.77.0.2": "b"}
NETNS_LAUNCHER = r"""#!/bin/sh
# hydra calls: LAUNCHER [options] HOST COMMAND...
while [ $# -gt 0 ]; do case "$1" in -*) shift;; *) break;; esac; done
host=$1; shift
case "$host" in
  10.77.0.1) ns=@A@;; 10.77.0.2) ns=@B@;;
  *) echo "no namespace for host $host" >&2; exit 1;;
esac
exec ip netns exec "$ns" sh -c "$*"
"""


@pytest.fixture(scope="module")
def two_hosts(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("two hosts need network namespaces (ip netns): run as root")
    tag = f"shm{os.getpid()}"
    ns = {"a": f"{tag}a", "b": f"{tag}b"}
    steps = [["ip", "netns", "add", ns["a"]], ["ip", "netns", "add", ns["b"]],
             ["ip", "link", "add", f"{tag}va", "type", "veth", "peer", "name", f"{tag}vb"],
             ["ip", "link", "set", f"{tag}va", "netns", ns["a"]],
             ["ip", "link", "set", f"{tag}vb", "netns", ns["b"]]]
    for ip, side in HOSTS.items():
        dev = f"{tag}v{side}"
        steps += [["ip", "-n", ns[side], "addr", "add", f"{ip}/24", "dev", dev],
                  ["ip", "-n", ns[side], "link", "set", dev, "up"],
                  ["ip", "-n", ns[side], "link", "set", "lo", "up"]]
    try:
        for step in steps:
            r = subprocess.run(step, capture_output=True, text=True)
            if r.returncode != 0:
                pytest.skip(f"cannot make two hosts here: {' '.join(step)}: {r.stderr.strip()}")
        launcher = tmp_path_factory.mktemp("hosts") / "netns_launcher.sh"
        launcher.write_text(NETNS_LAUNCHER.replace("@A@", ns["a"]).replace("@B@", ns["b"]))
        launcher.chmod(0o755)
        yield {"netns": ns["a"], "launcher": launcher}
    finally:
        for side in ns.values():
            subprocess.run(["ip", "netns", "del", side], capture_output=True)


def on_two_hosts(hosts, argv, npes, env=None, timeout=120):
    """mpiexec in host a, npes ranks two per host (-ppn 2), over TCP."""
    cmd = ["ip", "netns", "exec", hosts["netns"], VENV_BIN / "mpiexec",
           "-launcher", "ssh", "-launcher-exec", hosts["launcher"],
           "-hosts", ",".join(HOSTS), "-ppn", "2", "-n", str(npes), *argv]
    full = {k: v for k, v in os.environ.items() if not k.startswith("SHMEMRUN_")}
    full.update({"UCX_TLS": "tcp,self"}, **(env or {}))
    try:
        return subprocess.run(list(map(str, cmd)), capture_output=True, text=True,
                              timeout=timeout, env=full)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{' '.join(map(str, cmd))} hung: no result within {timeout} s\n"
                    f"stdout: {e.stdout}\nstderr: {e.stderr}")


def test_two_hosts_are_two_nodes(two_hosts, tmp_path, mpich_cleanup):
    """libshmem finds the nodes itself: PEs 0, 1 on host a and 2, 3 on host
    b reach their host's PEs by loads and stores, the others through MPI."""
    (tmp_path / "places.c").write_text(PLACES)
    cc = subprocess.run([BUILD / "shmemcc", tmp_path / "places.c", "-o", tmp_path / "places"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    r = on_two_hosts(two_hosts, [tmp_path / "places"], 4)
    assert r.returncode == 0, r.stdout + r.stderr
    got = sorted(re.findall(r"PE \d+:[ \d]* shared \d+", r.stdout))
    assert got == ["PE 0: 1 1 0 0 shared 2", "PE 1: 1 1 0 0 shared 2",
                   "PE 2: 0 0 1 1 shared 2", "PE 3: 0 0 1 1 shared 2"], r.stdout


# The collectives are MPI's here: test_collectives took a minute at 4 ranks
# with the core's algorithms over one-sided TCP round trips, and takes a
# second on MPI's.  test_active_set stays out (its active sets that are not
# the world keep the core's algorithms: 20-30 s).
@pytest.mark.parametrize("program,npes", [
    ("test_smoke", 3), ("test_v16", 3), ("test_collectives", 3), ("test_smoke", 4),
    ("test_amo", 4), ("test_v16", 4), ("test_teams", 4), ("test_lock", 4), ("test_ctx", 4),
    ("test_collectives", 4), ("test_reductions", 4), ("test_coll_edges", 4)])
def test_c_program_on_two_hosts(two_hosts, program, npes, mpich_cleanup):
    # check.h learns the layout from SHMEMI_MPI_NODE_SIZE=2, which splits
    # nothing here: MPI's nodes are already the hosts' two ranks.
    r = on_two_hosts(two_hosts, [BUILD / "tests" / "c" / program], npes,
                     env={"SHMEMI_MPI_NODE_SIZE": "2"}, timeout=180)
    assert r.returncode == 0, (f"{program} at {npes} ranks on two hosts exited "
                               f"{r.returncode}\nstdout:\n{r.stdout[-3000:]}\n"
                               f"stderr:\n{r.stderr[-3000:]}")


def test_python_on_two_hosts(two_hosts, py_app, mpich_cleanup):
    """shmem4py and mpi4py in one program on two hosts."""
    import sys
    pytest.importorskip("mpi4py")
    r = on_two_hosts(two_hosts, [sys.executable, py_app, "mpi4py-first", "layout"], 4)
    assert r.returncode == 0, r.stdout + r.stderr
    got = sorted(re.findall(r"PE \d+ of \d+: ok near \[[\d, ]*\]", r.stdout))
    assert got == [f"PE {pe} of 4: ok near {[int(p // 2 == pe // 2) for p in range(4)]}"
                   for pe in range(4)], r.stdout
