"""One PE failing takes a real SHMEM job down cleanly: shmemrun ends the
other PEs (blocked in a barrier) within seconds, names the PE and how it
failed, exits non-zero, and /dev/shm is clean."""
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from jobs import BUILD, run_job, shm_segments, shmemrun_path

PROGRAM = r"""
#include <shmem.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  shmem_init();
  long *x = shmem_malloc(1 << 20); /* touch the heap so segments exist */
  x[0] = 1;
  shmem_barrier_all();
  if (shmem_my_pe() == 1) {
    if (!strcmp(argv[1], "exit")) exit(3);
    if (!strcmp(argv[1], "segv")) raise(SIGSEGV);
    if (!strcmp(argv[1], "global_exit")) shmem_global_exit(7);
    if (!strcmp(argv[1], "abort")) abort();
  }
  shmem_barrier_all(); /* the other PEs wait here forever */
  shmem_finalize();
  return 0;
}
"""


@pytest.fixture(scope="module")
def failing_program(tmp_path_factory):
    d = tmp_path_factory.mktemp("fail")
    (d / "fail.c").write_text(PROGRAM)
    cc = subprocess.run([BUILD / "shmemcc", d / "fail.c", "-o", d / "fail"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    return d / "fail"


@pytest.mark.parametrize("npes", [2, 3, 4])
@pytest.mark.parametrize("mode,code,message", [
    ("exit", 3, "PE 1 exited with status 3"),
    ("segv", 139, "PE 1 was killed by signal 11"),
    ("abort", 134, "PE 1 was killed by signal 6"),
    ("global_exit", 7, "PE 1 called shmem_global_exit(7)"),
])
def test_failing_pe_ends_the_job(failing_program, npes, mode, code, message,
                                 no_leaked_segments):
    t0 = time.monotonic()
    r = run_job([failing_program, mode], npes, timeout=60)
    elapsed = time.monotonic() - t0
    assert r.returncode == code, r.stderr
    assert message in r.stderr, r.stderr
    assert elapsed < 10, f"the job took {elapsed:.1f} s to end"


def test_misuse_out_of_range_pe_aborts_the_job(tmp_path, no_leaked_segments):
    src = tmp_path / "badpe.c"
    src.write_text(r"""
#include <shmem.h>
int main(void) {
  shmem_init();
  long *x = shmem_malloc(8);
  if (shmem_my_pe() == 0) shmem_long_p(x, 1, shmem_n_pes());
  shmem_barrier_all();
  shmem_finalize();
  return 0;
}
""")
    exe = tmp_path / "badpe"
    cc = subprocess.run([BUILD / "shmemcc", src, "-o", exe], capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    r = run_job([exe], 3, timeout=60)
    assert r.returncode != 0
    assert "shmem_long_p" in r.stderr and "PE 3 is out of range" in r.stderr, r.stderr


DEADLOCKS = {
    # PE 0 enters one barrier more than the others, which finalize.
    "extra_barrier": ("""
#include <shmem.h>
int main(void) {
  shmem_init();
  if (shmem_my_pe() == 0) shmem_barrier_all();
  shmem_finalize();
  return 0;
}
""", "has called shmem_finalize while this PE waits for it in a barrier"),
    # PE 0 waits for a value no PE will ever write.
    "lonely_wait": ("""
#include <shmem.h>
int main(void) {
  shmem_init();
  long *x = shmem_calloc(1, sizeof(long));
  shmem_barrier_all();
  if (shmem_my_pe() == 0) shmem_long_wait_until(x, SHMEM_CMP_EQ, 5);
  shmem_finalize();
  return 0;
}
""", "every other PE is in shmem_finalize"),
}


@pytest.mark.parametrize("npes", [2, 3])
@pytest.mark.parametrize("case", sorted(DEADLOCKS))
def test_out_of_step_calls_are_diagnosed_not_hung(case, npes, tmp_path, no_leaked_segments):
    code, message = DEADLOCKS[case]
    (tmp_path / "p.c").write_text(code)
    cc = subprocess.run([BUILD / "shmemcc", tmp_path / "p.c", "-o", tmp_path / "p"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    r = run_job([tmp_path / "p"], npes, timeout=60)
    assert r.returncode != 0 and message in r.stderr, r.stderr


# --- PEs that leave without a word --------------------------------------
#
# A PE that exits with status 0 after shmem_init but without shmem_finalize
# (_exit, os._exit, a thread ending the process) leaves its peers waiting
# for it in a barrier or a wait_until; a PE that exits before shmem_init
# leaves its peers waiting for it in shmem_init.  shmemrun knows (the library
# tells it on the control pipe when a PE enters shmem_init and when it
# leaves the job), ends the job, names the PE and the cause, exits 1.
#
# The programs print "T EVENT SECONDS" (CLOCK_MONOTONIC, the clock of
# time.monotonic) at the fault and as each PE enters shmem_init; the job
# must end within END_LIMIT of the fault (measured generously: the promise
# is 2 s, the library's own start-up time-out is 60 s), and the measured
# time is printed (pytest -s shows it).

END_LIMIT = 10.0

LEAVING_C = r"""
#include <shmem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
static void mark(const char *what) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  printf("T %s %.6f\n", what, ts.tv_sec + ts.tv_nsec * 1e-9);
  fflush(stdout);
}
static void *end_process(void *arg) {
  (void)arg;
  mark("fault");
  _exit(0);
}
int main(int argc, char **argv) {
  const char *mode = argv[1];
  int pe = atoi(getenv("SHMEMRUN_PE"));
  if (!strcmp(mode, "before_init") && pe == 1) {
    mark("fault");
    return 0;
  }
  if (!strcmp(mode, "second_life")) { /* 1.6: a life, then the fault in the next */
    shmem_init();
    shmem_finalize();
  }
  mark("init");
  shmem_init();
  long *x = shmem_calloc(1, sizeof(long));
  shmem_barrier_all();
  if (pe == 1) {
    usleep(100000); /* the others are in their wait by now */
    if (!strcmp(mode, "exit")) { /* atexit finalizes: the others still wait */
      mark("fault");
      exit(0);
    }
    if (!strcmp(mode, "thread")) {
      pthread_t t;
      pthread_create(&t, NULL, end_process, NULL);
      pthread_join(t, NULL);
    } else {
      mark("fault");
      _exit(0);
    }
  }
  if (!strcmp(mode, "wait_until")) shmem_long_wait_until(x, SHMEM_CMP_EQ, 5);
  shmem_barrier_all();
  shmem_finalize();
  return 0;
}
"""

LEAVING_PY = r"""
import os, sys, threading, time
pe = int(os.environ["SHMEMRUN_PE"])
mode = sys.argv[1]
def mark(what):
    print(f"T {what} {time.monotonic():.6f}", flush=True)
if mode == "before_init" and pe == 1:
    mark("fault")
    sys.exit(0)
import numpy  # what shmem4py imports, so that "init" is marked just before
mark("init")
from shmem4py import shmem
x = shmem.zeros(1, dtype="l")
shmem.barrier_all()
if pe == 1:
    time.sleep(0.1)
    if mode == "exit":  # the interpreter's exit finalizes: the others still wait
        mark("fault")
        sys.exit(0)
    if mode == "thread":
        def end_process():
            mark("fault")
            os._exit(0)
        threading.Thread(target=end_process).start()
        time.sleep(60)
    else:
        mark("fault")
        os._exit(0)
if mode == "wait_until":
    shmem.wait_until(x, shmem.CMP.EQ, 5)
shmem.barrier_all()
shmem.free(x)
"""

NO_FINALIZE = "PE 1 exited with status 0 without calling shmem_finalize; ending the job"
NO_INIT = "PE 1 exited with status 0 without calling shmem_init, while PE {} waits for it in shmem_init"


@pytest.fixture(scope="module")
def leaving_program(tmp_path_factory):
    d = tmp_path_factory.mktemp("leave")
    (d / "leave.c").write_text(LEAVING_C)
    (d / "leave.py").write_text(LEAVING_PY)
    cc = subprocess.run([BUILD / "shmemcc", d / "leave.c", "-o", d / "leave", "-pthread"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    return {"c": [d / "leave"], "python": [sys.executable, d / "leave.py"]}


def marks(stdout, what):
    return [float(l.split()[2]) for l in stdout.splitlines()
            if l.startswith(f"T {what} ")]


def check_quick_end(r, t_end, what, since):
    """The job ended within END_LIMIT of `since` (the fault); says how long."""
    took = t_end - since
    print(f"\n{what}: the job ended {took:.3f} s after the fault")
    assert took < END_LIMIT, f"{what}: the job ended {took:.1f} s after the fault\n{r.stderr}"


@pytest.mark.parametrize("npes", [2, 3, 4])
@pytest.mark.parametrize("lang", ["c", "python"])
@pytest.mark.parametrize("mode", ["barrier", "wait_until", "thread"])
def test_exit_without_finalize_ends_the_job(leaving_program, lang, mode, npes,
                                            no_leaked_segments):
    r = run_job([*leaving_program[lang], mode], npes, timeout=60)
    t_end = time.monotonic()
    what = f"{lang} {mode} {npes} PEs"
    assert r.returncode == 1, f"{what}: exit {r.returncode}\n{r.stderr}"
    assert NO_FINALIZE in r.stderr, r.stderr
    assert r.stderr.count("shmemrun: PE") == 1, f"{what}: one report expected\n{r.stderr}"
    faults = marks(r.stdout, "fault")
    assert len(faults) == 1, r.stdout
    check_quick_end(r, t_end, what, faults[0])


@pytest.mark.parametrize("npes", [2, 3, 4])
@pytest.mark.parametrize("lang", ["c", "python"])
def test_exit_without_explicit_finalize_ends_the_job(leaving_program, lang, npes,
                                                     no_leaked_segments):
    """exit(0) / sys.exit(0) while the others wait in a barrier: the exit
    finalizes implicitly, so the launcher sees a clean leave; the PE whose
    barrier waits for the one that left says so, and the job ends."""
    r = run_job([*leaving_program[lang], "exit"], npes, timeout=60)
    t_end = time.monotonic()
    what = f"{lang} exit {npes} PEs"
    assert r.returncode != 0, f"{what}: exit {r.returncode}\n{r.stderr}"
    assert "PE 1" in r.stderr and "shmem_finalize" in r.stderr, r.stderr
    faults = marks(r.stdout, "fault")
    assert len(faults) == 1, r.stdout
    check_quick_end(r, t_end, what, faults[0])


@pytest.mark.parametrize("npes", [2, 3, 4])
@pytest.mark.parametrize("lang", ["c", "python"])
def test_exit_before_init_ends_the_job(leaving_program, lang, npes, no_leaked_segments):
    r = run_job([*leaving_program[lang], "before_init"], npes, timeout=60)
    t_end = time.monotonic()
    what = f"{lang} before_init {npes} PEs"
    assert r.returncode == 1, f"{what}: exit {r.returncode}\n{r.stderr}"
    # The PE named as waiting is the first to report itself in shmem_init.
    assert any(NO_INIT.format(pe) in r.stderr for pe in range(npes) if pe != 1), r.stderr
    assert r.stderr.count("shmemrun: PE") == 1, f"{what}: one report expected\n{r.stderr}"
    assert "did not appear" not in r.stderr, r.stderr
    # The fault is complete once PE 1 is gone and another PE is in shmem_init.
    faults, inits = marks(r.stdout, "fault"), marks(r.stdout, "init")
    assert len(faults) == 1 and inits, r.stdout
    check_quick_end(r, t_end, what, max(faults[0], min(inits)))


@pytest.mark.parametrize("npes", [2, 3])
def test_exit_without_finalize_in_a_second_life_ends_the_job(leaving_program, npes,
                                                             no_leaked_segments):
    """A PE initialized again after its last shmem_finalize (OpenSHMEM 1.6)
    is in the job again: leaving that second life without shmem_finalize
    ends the job like the first."""
    r = run_job([*leaving_program["c"], "second_life"], npes, timeout=60)
    assert r.returncode != 0 and NO_FINALIZE in r.stderr, r.stderr
    faults = marks(r.stdout, "fault")
    assert len(faults) == 1, r.stdout


def test_no_pe_calls_init_is_fine(tmp_path, no_leaked_segments):
    """A program that does not use SHMEM at all, with PEs ending at
    different times, is a successful job."""
    r = run_job([sys.executable, "-c",
                 "import os, time; time.sleep(0.2 * int(os.environ['SHMEMRUN_PE']))"], 3)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_finalize_then_exit_status_0_is_fine(leaving_program, no_leaked_segments):
    """_exit(0) after shmem_finalize, and returning from main without
    shmem_finalize (the library finalizes at exit), both count as leaving."""
    prog = r"""
#include <shmem.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
  shmem_init();
  shmem_barrier_all();
  if (!strcmp(argv[1], "finalize_then_exit")) {
    shmem_finalize();
    _exit(0);
  }
  return 0;
}
"""
    d = leaving_program["c"][0].parent
    (d / "fine.c").write_text(prog)
    cc = subprocess.run([BUILD / "shmemcc", d / "fine.c", "-o", d / "fine"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    for mode in ("finalize_then_exit", "return_from_main"):
        for npes in (1, 2, 3, 4):
            r = run_job([d / "fine", mode], npes, timeout=60)
            assert r.returncode == 0 and r.stderr == "", f"{mode} {npes} PEs:\n{r.stderr}"


# --- shmemrun killed during start-up -------------------------------------
#
# The segments' names exist only during start-up, but a launcher killed by
# SIGKILL then cannot remove them.  The PEs notice that the launcher is gone
# and remove them; names left by PEs that were killed too (before they could
# notice) carry the launcher's pid and start time, and the next shmemrun
# removes them.

STARTUP_C = r"""
#include <shmem.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static char data[8 << 20] = {1}; /* a data segment to copy: a longer start-up */
int main(int argc, char **argv) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%d", argv[1], (int)getpid());
  FILE *f = fopen(path, "w");
  if (f) fclose(f);
  if (argc > 2) sleep(60); /* never reaches shmem_init: the others wait */
  /* The last PE comes late: the others hold their names meanwhile. */
  if (atoi(getenv("SHMEMRUN_PE")) == atoi(getenv("SHMEMRUN_NPES")) - 1)
    usleep(1000 * atoi(getenv("LATE_MS")));
  shmem_init();
  long *x = shmem_malloc(1 << 20);
  x[0] = data[0];
  shmem_barrier_all();
  shmem_free(x);
  shmem_finalize();
  return 0;
}
"""

STARTUP_PY = r"""
import os, sys
import time
open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
if os.environ["SHMEMRUN_PE"] == str(int(os.environ["SHMEMRUN_NPES"]) - 1):
    time.sleep(int(os.environ["LATE_MS"]) / 1000)
from shmem4py import shmem
x = shmem.zeros(1 << 17, dtype="l")
shmem.barrier_all()
shmem.free(x)
"""


@pytest.fixture(scope="module")
def startup_program(tmp_path_factory):
    d = tmp_path_factory.mktemp("startup")
    (d / "startup.c").write_text(STARTUP_C)
    (d / "startup.py").write_text(STARTUP_PY)
    cc = subprocess.run([BUILD / "shmemcc", d / "startup.c", "-o", d / "startup"],
                        capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    return {"c": [d / "startup"], "python": [sys.executable, d / "startup.py"]}


def process_alive(pid):
    """Running (a zombie counts as gone: its parent may never reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def wait_gone(pid_dir, limit=15.0):
    """Waits until every process that wrote its pid into pid_dir is gone;
    returns those still alive after `limit` seconds."""
    deadline = time.monotonic() + limit
    while True:
        alive = [int(p) for p in os.listdir(pid_dir) if process_alive(int(p))]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.02)


def remove_ours(names):
    for name in names:
        try:
            os.unlink(os.path.join("/dev/shm", name))
        except FileNotFoundError:
            pass


# The launcher is killed at a random moment: every other run after a delay
# in [0, max_delay) from its start, the others within late_ms of the first
# name's creation, while the last PE, which reaches shmem_init late_ms late,
# keeps the others waiting in start-up.
@pytest.mark.parametrize("lang,npes,runs,max_delay,late_ms", [
    ("c", 4, 25, 0.3, 100),
    ("c", 2, 25, 0.3, 100),
    ("python", 3, 12, 1.5, 300),
])
def test_launcher_killed_during_startup_leaves_nothing(startup_program, tmp_path, lang, npes,
                                                       runs, max_delay, late_ms,
                                                       no_leaked_segments):
    rng = random.Random()
    base_tag = no_leaked_segments
    caught = 0  # runs killed while some segment existed, i.e. during start-up
    for run in range(runs):
        tag = f"{base_tag}k{run}"
        pid_dir = tmp_path / f"pids{run}"
        pid_dir.mkdir()
        env = dict(os.environ, SHMEM4PY_JOB_TAG=tag, LATE_MS=str(late_ms))
        proc = subprocess.Popen([shmemrun_path(), "-n", str(npes), *startup_program[lang],
                                 pid_dir], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if run % 2:
            time.sleep(rng.uniform(0, max_delay))
        else:
            # Into the names' lifetime: after the first appears, while the
            # last PE is late or after it.
            deadline = time.monotonic() + 30
            while not shm_segments(tag) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, late_ms / 1000))
        if shm_segments(tag):  # only start-up holds names
            caught += 1
        proc.kill()
        proc.wait()
        alive = wait_gone(pid_dir)
        left = shm_segments(tag)
        remove_ours(left)
        for pid in alive:
            os.kill(pid, signal.SIGKILL)
        assert not alive, f"run {run}: PEs {alive} outlived their launcher"
        # Checked before the next shmemrun starts, which would remove them.
        assert not left, f"run {run}: {left} left in /dev/shm after the launcher was killed"
    print(f"\n{lang} {npes} PEs: {caught} of {runs} runs killed during start-up")
    assert caught > 0, "no run was killed while the PEs held segments: the test tests nothing"


def test_next_shmemrun_removes_what_killed_jobs_left(startup_program, tmp_path,
                                                    no_leaked_segments):
    """Launcher and PEs killed at once, mid start-up (PE 3 never reaches
    shmem_init, so the others wait there holding their segments): nobody
    could clean up, and the next shmemrun does."""
    tag = no_leaked_segments
    pid_dir = tmp_path / "pids"
    pid_dir.mkdir()
    wrapper = ["sh", "-c", 'if [ "$SHMEMRUN_PE" = 3 ]; then exec "$@" late; else exec "$@"; fi',
               "sh", *startup_program["c"], pid_dir]
    proc = subprocess.Popen([shmemrun_path(), "-n", "4", *wrapper],
                            env=dict(os.environ, LATE_MS="0"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while (sum(n.endswith(".heap") for n in shm_segments(tag)) < 3 or
               len(os.listdir(pid_dir)) < 4):
            assert time.monotonic() < deadline, "the PEs did not create their segments"
            time.sleep(0.02)
        # The launcher stopped, it cannot end the job when the PEs die.
        os.kill(proc.pid, signal.SIGSTOP)
        for p in os.listdir(pid_dir):
            os.kill(int(p), signal.SIGKILL)
        assert not wait_gone(pid_dir)
        proc.kill()
        proc.wait()
        left = shm_segments(tag)
        assert len([n for n in left if n.endswith(".heap")]) == 3, left
    finally:
        proc.kill()
        proc.wait()
    r = run_job(["true"], 1)
    assert r.returncode == 0, r.stderr
    assert shm_segments(tag) == [], "the next shmemrun did not remove them"


def proc_start(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rpartition(")")[2].split()[19])


def test_next_shmemrun_removes_only_stale_segments(tmp_path, no_leaked_segments):
    """Which names count as stale: the owner (PID-START in the name) is gone,
    a zombie, or its pid now belongs to a later process.  Names of a live
    owner, of another pid namespace, or of another format stay."""
    tag = no_leaked_segments
    ns = os.stat("/proc/self/ns/pid").st_ino
    me = os.getpid()
    dead = subprocess.Popen(["true"])
    dead.wait()
    zombie = subprocess.Popen(["sleep", "0.2"])
    zombie_start = proc_start(zombie.pid)
    os.waitid(os.P_PID, zombie.pid, os.WEXITED | os.WNOWAIT)  # exited, not reaped
    names = {}
    try:
        names = {
            f"shmem4py.{dead.pid}-12345-{ns}-{tag}_dead.0.heap": "removed",
            f"shmem4py.{zombie.pid}-{zombie_start}-{ns}-{tag}_zombie.0.heap": "removed",
            f"shmem4py.{me}-{proc_start(me) + 1}-{ns}-{tag}_reused.1.data": "removed",
            f"shmem4py.{me}-{proc_start(me)}-{ns}-{tag}_live.0.heap": "kept",
            f"shmem4py.{dead.pid}-12345-{ns + 1}-{tag}_otherns.0.heap": "kept",
            f"shmem4py.{dead.pid}-{tag}_oldformat.0.heap": "kept",
        }
        for name in names:
            open(os.path.join("/dev/shm", name), "w").close()
        r = run_job(["true"], 2)
        assert r.returncode == 0, r.stderr
        left = set(shm_segments())
        wrong = {n: want for n, want in names.items() if (n in left) != (want == "kept")}
        assert not wrong, f"should have been: {wrong}"
    finally:
        zombie.wait()
        remove_ours(names)
