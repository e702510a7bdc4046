"""AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer.

The CI leg: libshmem and the self-checking C tests are built once per
session in build-asan/ with -DSHMEM_SANITIZE=address,undefined (-O1), and
every test program runs at 2 and 4 PEs with halt_on_error, leak detection
on, and UBSan stack traces, and at 3 PEs with the other PEs routed through
the transport interface.  A program passes when every PE exits 0 and no
sanitizer reported anything.

Also the case of the user: a program built with ``shmemcc
-fsanitize=address,undefined`` against the ordinary library starts and runs
(shmem_init copies the program's data segment, ASan's redzones included,
without tripping ASan)."""
import os
import re
import shutil
import subprocess

import pytest

from jobs import BUILD, ROOT, run_job

ASAN_BUILD = ROOT / "build-asan"
SANITIZE = "address,undefined"
SAN_ENV = {
    "ASAN_OPTIONS": "halt_on_error=1:detect_leaks=1:abort_on_error=0",
    "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
    "LSAN_OPTIONS": "exitcode=23",
}
SAN_REPORT = re.compile(r"ERROR: (?:Address|Leak)Sanitizer|runtime error:|"
                        r"SUMMARY: (?:Address|UndefinedBehavior|Leak)Sanitizer")
BUILD_TIMEOUT = 1800

SOURCES = sorted((ROOT / "tests" / "c").glob("test_*.c")) + sorted(
    (ROOT / "tests" / "c").glob("test_*.cpp"))


def exe_name(src):
    return src.stem + ("_cxx" if src.suffix == ".cpp" else "")


PROGRAMS = [exe_name(s) for s in SOURCES]


@pytest.fixture(scope="session")
def asan_build():
    """build-asan/, configured and built once per session (only the
    library and the test programs; ninja rebuilds only what changed)."""
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    cfg = ["cmake", "-S", str(ROOT), "-B", str(ASAN_BUILD), *gen,
           "-DCMAKE_BUILD_TYPE=Release", f"-DSHMEM_SANITIZE={SANITIZE}",
           "-DCMAKE_C_FLAGS_RELEASE=-O1", "-DCMAKE_CXX_FLAGS_RELEASE=-O1",
           "-DSHMEM_BUILD_TESTS=ON", "-DSHMEM_BUILD_BENCH=OFF",
           "-DSHMEM_BUILD_EXAMPLES=OFF", "-DSHMEM_BUILD_PYTHON=OFF"]
    r = subprocess.run(cfg, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"configuring build-asan failed:\n{r.stdout}\n{r.stderr}"
    jobs = os.environ.get("SHMEM_BUILD_JOBS", "2")
    r = subprocess.run(["cmake", "--build", str(ASAN_BUILD), "-j", jobs, "--target",
                        *PROGRAMS], capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert r.returncode == 0, f"building build-asan failed:\n{r.stdout[-6000:]}\n{r.stderr[-6000:]}"
    return ASAN_BUILD


def check_clean(r, what):
    report = f"stdout:\n{r.stdout[-4000:]}\nstderr:\n{r.stderr[-8000:]}"
    assert not SAN_REPORT.search(r.stderr), f"{what}: a sanitizer reported\n{report}"
    assert r.returncode == 0, f"{what} exited {r.returncode}\n{report}"


@pytest.mark.parametrize("npes", (2, 4))
@pytest.mark.parametrize("program", PROGRAMS)
def test_c_program_under_sanitizers(asan_build, program, npes, no_leaked_segments):
    exe = asan_build / "tests" / "c" / program
    assert exe.exists(), f"{exe} was not built"
    r = run_job([exe], npes, env=SAN_ENV, timeout=240)
    check_clean(r, f"{program} (ASan+UBSan) with {npes} PEs")


@pytest.mark.parametrize("program", PROGRAMS)
def test_c_program_through_the_transport_interface_under_sanitizers(asan_build, program,
                                                                    no_leaked_segments):
    """The routed paths too (every other PE through the transport interface,
    SHMEMI_NETWORK_LOOPBACK=1), at 3 PEs: a count that is not a power of
    two, so the reductions' chunks are uneven."""
    exe = asan_build / "tests" / "c" / program
    assert exe.exists(), f"{exe} was not built"
    r = run_job([exe], 3, env={**SAN_ENV, "SHMEMI_NETWORK_LOOPBACK": "1"}, timeout=240)
    check_clean(r, f"{program} (ASan+UBSan, SHMEMI_NETWORK_LOOPBACK=1) with 3 PEs")


def test_sanitizers_catch_a_bug(asan_build, tmp_path, no_leaked_segments):
    """The leg can fail: a use after free in a program built like the
    tests is reported, and ends the job with a non-zero status."""
    src = tmp_path / "use_after_free.c"
    src.write_text("#include <shmem.h>\n#include <stdlib.h>\n"
                   "int main(int argc, char **argv) {\n  shmem_init();\n"
                   "  volatile char *p = malloc(8);\n  free((void *)p);\n"
                   "  p[argc] = 1;\n  shmem_finalize();\n  return 0;\n}\n")
    exe = tmp_path / "use_after_free"
    r = subprocess.run([str(asan_build / "shmemcc"), f"-fsanitize={SANITIZE}", "-O1",
                        str(src), "-o", str(exe)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = run_job([exe], 2, env=SAN_ENV, timeout=120)
    assert r.returncode != 0 and "heap-use-after-free" in r.stderr, r.stderr


@pytest.mark.parametrize("npes", (1, 2, 3, 4))
def test_user_program_with_asan_on_the_plain_library(tmp_path, npes, no_leaked_segments):
    """The issue's case: a user program built with shmemcc
    -fsanitize=address,undefined against the ordinary libshmem; its
    globals (redzones and all) become symmetric and it runs cleanly."""
    src = tmp_path / "ring.c"
    src.write_text(r'''
#include <shmem.h>
#include <stdio.h>
#include <stdlib.h>
static long ring[8];          /* globals with redzones between them */
static int counter;
static char name[13] = "asan-global";
int main(void) {
  shmem_init();
  int me = shmem_my_pe(), n = shmem_n_pes();
  long *heap = shmem_malloc(8 * sizeof(long));
  for (int i = 0; i < 8; ++i) heap[i] = 0;
  shmem_barrier_all();
  for (int i = 0; i < 8; ++i) {
    shmem_long_p(&ring[i], 100 * me + i, (me + 1) % n);
    shmem_long_p(&heap[i], 100 * me + i, (me + 1) % n);
  }
  shmem_int_atomic_inc(&counter, 0);
  shmem_barrier_all();
  int prev = (me + n - 1) % n;
  for (int i = 0; i < 8; ++i)
    if (ring[i] != 100 * prev + i || heap[i] != 100 * prev + i) {
      fprintf(stderr, "PE %d: element %d is %ld/%ld\n", me, i, ring[i], heap[i]);
      return 1;
    }
  if (me == 0 && counter != n) { fprintf(stderr, "counter %d\n", counter); return 1; }
  if (name[0] != 'a') return 1;
  shmem_free(heap);
  shmem_finalize();
  return 0;
}
''')
    exe = tmp_path / "ring"
    r = subprocess.run([str(BUILD / "shmemcc"), f"-fsanitize={SANITIZE}", "-g", "-O1",
                        str(src), "-o", str(exe)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = run_job([exe], npes, env=SAN_ENV, timeout=120)
    check_clean(r, f"ring.c built with -fsanitize={SANITIZE}, {npes} PEs")
