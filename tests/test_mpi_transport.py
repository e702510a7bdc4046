"""The mpi transport: C programs started by mpiexec (the mpich wheel's)
reach every other PE through MPI-3 RMA (build/libshmem_mpi.so).

* The self-checking C test programs pass at 2, 3 and 4 ranks; tests/c/check.h
  expects shmem_ptr, SHMEM_TEAM_SHARED and the inline fast paths to treat
  every other PE as off-node.  The slowest programs run at 2 and 3 ranks
  only (4 ranks share 2 cores, and MPI's progress yields the core often).
* The same through MPICH's network layer (MPIR_CVAR_NOLOCAL=1), as ranks on
  other nodes are reached.
* A job of one rank (mpiexec -n 1), and SHMEM_TRANSPORT=mpi without a
  launcher (an MPI singleton).
* Faults end the job promptly with a non-zero status: a rank that calls
  exit(0) without shmem_finalize, a signal, a diagnostic, shmem_global_exit
  (its status is the job's); a rank that calls _exit(0) ends it too (with
  MPICH's status 0, see below).
* The files MPICH leaves in /dev/shm when a job is aborted are removed.
"""
import os
import subprocess
import time
from pathlib import Path

import pytest

from jobs import BUILD, ROOT

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


def mpich_shm_files():
    try:
        return {n for n in os.listdir("/dev/shm") if n.startswith("mpich_shm_")}
    except FileNotFoundError:
        return set()


def mapped_shm_files():
    """The /dev/shm files some process maps now (a job still running)."""
    names = set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/maps") as f:
                names.update(line.rsplit("/dev/shm/", 1)[1].split()[0]
                             for line in f if "/dev/shm/mpich_shm_" in line)
        except OSError:
            pass
    return names


@pytest.fixture
def mpich_cleanup():
    """MPICH leaves its shared-memory files behind when a job is aborted;
    the ones that appeared during the test and that no process maps (no job
    of anyone else's that is still running) are removed."""
    before = mpich_shm_files()
    yield
    for name in mpich_shm_files() - before - mapped_shm_files():
        try:
            os.unlink(os.path.join("/dev/shm", name))
        except FileNotFoundError:
            pass


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


@pytest.mark.parametrize("npes", (2, 3, 4))
@pytest.mark.parametrize("program", PROGRAMS)
def test_c_program_under_mpiexec(program, npes, mpich_cleanup):
    r = mpiexec([BUILD / "tests" / "c" / program], npes)
    assert r.returncode == 0, (f"{program} at {npes} ranks exited {r.returncode}\n"
                               f"stdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-3000:]}")


@pytest.mark.parametrize("npes", (2, 3))
@pytest.mark.parametrize("program", SLOW_PROGRAMS)
def test_slow_c_program_under_mpiexec(program, npes, mpich_cleanup):
    r = mpiexec([BUILD / "tests" / "c" / program], npes, timeout=240)
    assert r.returncode == 0, (f"{program} at {npes} ranks exited {r.returncode}\n"
                               f"stdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-3000:]}")


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


def test_python_without_the_plugin_stays_one_pe_per_rank(mpich_cleanup):
    """The installed wheel does not ship the plugin yet: a Python program
    under mpiexec (an mpi4py program that imports shmem4py) is what it was,
    one job of one PE per rank, not an error."""
    import sys
    r = mpiexec([sys.executable, "-c", "from shmem4py import shmem; "
                 "print(shmem.n_pes(), shmem.my_pe())"], 2)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["1 0", "1 0"], r.stdout


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
