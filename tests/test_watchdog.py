"""The hang watchdog: with SHMEM_HANG_TIMEOUT=S (or shmemrun --hang-timeout
S), a job whose PEs have all waited S seconds without progress ends with a
report of where each PE waits (routine and arguments) and a non-zero exit
status; a job where some PE is still working is left alone."""
import re
import subprocess
import time

import pytest

from jobs import BUILD, run_job

PROGRAMS = {
    # PE 0 waits for a value no PE writes; the others wait for PE 0 in a
    # barrier.
    "wait_barrier": r"""
#include <shmem.h>
static int flag = 3;
int main(void) {
  shmem_init();
  shmem_barrier_all();
  if (shmem_my_pe() == 0) shmem_int_wait_until(&flag, SHMEM_CMP_EQ, 5);
  shmem_barrier_all();
  shmem_finalize();
  return 0;
}
""",
    # PE 0 holds a lock and waits on a vector; the others queue for the lock.
    "lock": r"""
#include <shmem.h>
static long lock, v[3] = {1, 2, 3};
int main(void) {
  shmem_init();
  if (shmem_my_pe() == 0) shmem_set_lock(&lock);
  shmem_barrier_all();
  if (shmem_my_pe() == 0)
    shmem_long_wait_until_all(v, 3, NULL, SHMEM_CMP_GT, 7);
  else
    shmem_set_lock(&lock);
  shmem_finalize();
  return 0;
}
""",
    # Not a hang: PE 0 computes for longer than the timeout while the
    # others wait for it in a barrier, then all finish.
    "slow_pe": r"""
#include <shmem.h>
#include <stdio.h>
#include <time.h>
int main(void) {
  shmem_init();
  if (shmem_my_pe() == 0) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    volatile double x = 0;
    do {
      for (int i = 0; i < 100000; ++i) x += i;
      clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) * 1e-9 < 2.5);
  }
  shmem_barrier_all();
  printf("PE %d done\n", shmem_my_pe());
  shmem_finalize();
  return 0;
}
""",
}


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    d = tmp_path_factory.mktemp("watchdog")
    out = {}
    for name, code in PROGRAMS.items():
        (d / f"{name}.c").write_text(code)
        cc = subprocess.run([BUILD / "shmemcc", d / f"{name}.c", "-o", d / name],
                            capture_output=True, text=True)
        assert cc.returncode == 0, cc.stderr
        out[name] = d / name
    return out


def run_hung(argv, npes, env=None, via_option=False):
    """Run a job expected to hang; return (result, seconds it took)."""
    if via_option:
        argv = ["--hang-timeout", "1", *argv]
    else:
        env = {"SHMEM_HANG_TIMEOUT": "1", **(env or {})}
    t0 = time.monotonic()
    r = run_job(argv, npes, timeout=60, env=env)
    return r, time.monotonic() - t0


def check_report(r, elapsed, npes):
    assert r.returncode != 0, f"exited 0\nstderr:\n{r.stderr}"
    assert "every PE has waited 1 s or more without progress" in r.stderr, r.stderr
    for pe in range(npes):
        assert re.search(rf"shmem:   PE {pe} waits in \S", r.stderr), (
            f"PE {pe} not reported:\n{r.stderr}")
    # One second of waiting, then the report: well within a few seconds,
    # even with 4 PEs on 2 cores.
    assert elapsed < 8, f"the job took {elapsed:.1f} s to end\n{r.stderr}"


@pytest.mark.parametrize("via_option", [False, True], ids=["env", "shmemrun-option"])
@pytest.mark.parametrize("npes", [1, 2, 3, 4])
def test_wait_and_barrier_hang_is_reported(programs, npes, via_option, no_leaked_segments):
    r, elapsed = run_hung([programs["wait_barrier"]], npes, via_option=via_option)
    check_report(r, elapsed, npes)
    assert re.search(r"PE 0 waits in shmem_int_wait_until\(ivar=0x[0-9a-f]+, "
                     r"cmp=SHMEM_CMP_EQ, value=5\), current value 3", r.stderr), r.stderr
    for pe in range(1, npes):
        assert re.search(rf"PE {pe} waits in shmem_barrier_all on SHMEM_TEAM_WORLD "
                         rf"\(call #\d+\), waiting for PE \d+", r.stderr), r.stderr


@pytest.mark.parametrize("npes", [2, 3, 4])
def test_lock_hang_is_reported(programs, npes, no_leaked_segments):
    r, elapsed = run_hung([programs["lock"]], npes)
    check_report(r, elapsed, npes)
    assert re.search(r"PE 0 waits in shmem_long_wait_until_all\(ivars=0x[0-9a-f]+, "
                     r"nelems=3, status=\(nil\), cmp=SHMEM_CMP_GT, value=7\), "
                     r"current values 1, 2, 3", r.stderr), r.stderr
    for pe in range(1, npes):
        assert re.search(rf"PE {pe} waits in shmem_set_lock\(lock=0x[0-9a-f]+\), holding "
                         rf"ticket \d+, now serving 0", r.stderr), r.stderr


@pytest.mark.parametrize("npes", [2, 3, 4])
def test_a_working_pe_is_no_hang(programs, npes, no_leaked_segments):
    r = run_job([programs["slow_pe"]], npes, timeout=60, env={"SHMEM_HANG_TIMEOUT": "1"})
    assert r.returncode == 0, r.stderr
    assert "hang" not in r.stderr, r.stderr
    assert sorted(r.stdout.split("\n")[:-1]) == sorted(f"PE {pe} done" for pe in range(npes))


def test_bad_timeout_is_refused():
    r = subprocess.run([BUILD / "shmemrun", "--hang-timeout", "soon", "true"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and "bad hang timeout 'soon'" in r.stderr, r.stderr


PY_HANG = """
from shmem4py import shmem
flag = shmem.full(1, 3, dtype="i")
shmem.barrier_all()
if shmem.my_pe() == 0:
    shmem.wait_until(flag, shmem.CMP.EQ, 5)
shmem.barrier_all()
"""


@pytest.mark.parametrize("npes", [1, 2, 3, 4])
def test_python_wait_hang_is_reported(tmp_path, npes, no_leaked_segments):
    # The Python package waits in its own loop (so that Ctrl-C works); it
    # tells the library's watchdog through shmemx_wait_poll.
    script = tmp_path / "hang.py"
    script.write_text(PY_HANG)
    import sys
    r, elapsed = run_hung([sys.executable, script], npes)
    check_report(r, elapsed, npes)
    assert re.search(r"PE 0 waits in shmem\.wait_until\(ivar=0x[0-9a-f]+, 1 elements, "
                     r"cmp=CMP\.EQ\) in Python", r.stderr), r.stderr
