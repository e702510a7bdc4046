"""One PE failing takes a real SHMEM job down cleanly: shmemrun ends the
other PEs (blocked in a barrier) within seconds, names the PE and how it
failed, exits non-zero, and /dev/shm is clean."""
import subprocess
import time

import pytest

from jobs import BUILD, run_job

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
