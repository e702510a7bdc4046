"""The wheel, installed as a user installs it, builds and runs C and C++.

The wheel that scripts/setup.sh builds (build/wheel/shmem4py-*.whl) is
installed into a fresh virtual environment in a temporary folder outside
the source tree.  That environment's own `shmemcc`/`shmemc++` compile a C
and a C++ program at -O0, at -O2 (where shmem.h pulls in the inlined fast
paths of shmem_inline.h) and at -O2 with SHMEM_NO_INLINE, and that
environment's `shmemrun` runs each at 2 PEs.  Nothing but the wheel file
is taken from build/: a header, library or launcher the wheel does not
ship fails these tests instead of being found in the build tree.
"""
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from jobs import ROOT

WHEEL_DIR = ROOT / "build" / "wheel"
NPES = 2
TIMEOUT = 120

# One program, compiled as C and as C++.  It goes through the routines that
# shmem_inline.h inlines (put, p, g and the standard AMOs, by typed and
# generic names) on symmetric heap memory, where the fast paths apply, checks
# the results itself (exit 1 and a message on failure) and prints one line
# per PE for the test to check as well.
PROGRAM = r"""
#include <shmem.h>
#include <shmemx.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef HAVE_SHMEMX_WTIME
#error "shmemx.h does not define HAVE_SHMEMX_WTIME"
#endif

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
                       exit(1); } while (0)

int main(void) {
  shmem_init();
  int me = shmem_my_pe(), n = shmem_n_pes();
  int right = (me + 1) % n, left = (me + n - 1) % n;
  long *ring = (long *)shmem_malloc(2 * sizeof(long));
  int *flag = (int *)shmem_malloc(sizeof(int));
  long *counter = (long *)shmem_calloc(2, sizeof(long));
  if (!ring || !flag || !counter) FAIL("shmem_malloc failed");
  ring[0] = ring[1] = -1;
  *flag = -1;
  shmem_barrier_all();

  long mine[2] = {10L * me, 10L * me + 1};
  shmem_long_put(ring, mine, 2, right);
  shmem_p(flag, me + 100, right);
  shmem_long_atomic_add(&counter[0], me + 1, 0);
  long before = shmem_atomic_fetch_inc(&counter[1], 0);
  if (before < 0 || before >= n) FAIL("fetch_inc gave %ld", before);
  shmem_barrier_all(); /* every increment is done: exactly one swap matches n */
  long won = shmem_long_atomic_compare_swap(&counter[1], (long)n, -5L, 0);
  shmem_quiet();
  shmem_barrier_all();

  if (ring[0] != 10L * left || ring[1] != 10L * left + 1)
    FAIL("PE %d: ring %ld %ld, expected %d %d", me, ring[0], ring[1], 10 * left,
         10 * left + 1);
  if (*flag != left + 100) FAIL("PE %d: flag %d", me, *flag);
  long seen = shmem_long_g(&ring[0], right); /* what this PE put there */
  if (seen != 10L * me) FAIL("PE %d: g gave %ld", me, seen);
  long sum = shmem_long_atomic_fetch(&counter[0], 0);
  long last = shmem_atomic_fetch(&counter[1], 0);
  if (last != -5) FAIL("PE %d: compare_swap left %ld", me, last);
  long winners = won == n;
  shmem_barrier_all();
  double t = shmemx_wtime();
  if (!(t > 0)) FAIL("shmemx_wtime gave %f", t);
  printf("PE %d of %d: ring %ld %ld flag %d g %ld sum %ld winner %ld\n", me, n, ring[0],
         ring[1], *flag, seen, sum, winners);
  shmem_free(counter);
  shmem_free(flag);
  shmem_free(ring);
  shmem_finalize();
  return 0;
}
"""

LEVELS = {
    "O0": ["-O0"],
    "O2": ["-O2"],
    "O2-noinline": ["-O2", "-DSHMEM_NO_INLINE"],
}
LANGS = {"c": ("shmemcc", "prog.c"), "c++": ("shmemc++", "prog.cpp")}


def find_wheel():
    found = sorted(WHEEL_DIR.glob("shmem4py-*.whl"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def clean_env(venv):
    """The environment of a user who activated `venv`: nothing of this source
    tree (its .venv or build/) on PATH or in the variables the tools read."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SHMEM", "PYTHON", "LD_LIBRARY_PATH", "VIRTUAL_ENV"))
           and k not in ("CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "LIBRARY_PATH")}
    keep = [p for p in os.environ.get("PATH", "").split(os.pathsep)
            if p and not pathlib.Path(p).resolve().is_relative_to(ROOT.resolve())]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *keep])
    env["VIRTUAL_ENV"] = str(venv)
    return env


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    """A fresh virtual environment, outside the source tree, with the wheel
    installed (no dependencies: shmemcc and shmemrun do not need NumPy)."""
    wheel = find_wheel()
    if wheel is None:
        pytest.skip(f"no shmem4py-*.whl in {WHEEL_DIR}: scripts/setup.sh builds it")
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT.resolve()), base
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # This interpreter's pip installs into the new environment: faster than
    # bootstrapping pip there, and the install is the same.
    r = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--no-deps", "--no-index", "--disable-pip-version-check", "-q", str(wheel)],
        capture_output=True, text=True)
    assert r.returncode == 0, f"pip install {wheel.name} failed:\n{r.stdout}\n{r.stderr}"
    for tool in ("shmemcc", "shmemc++", "shmemrun"):
        assert (venv / "bin" / tool).exists(), f"the wheel does not install bin/{tool}"
    return venv


@pytest.fixture(scope="module")
def sources(wheel_venv):
    src = wheel_venv.parent / "src"
    src.mkdir()
    for _, name in LANGS.values():
        (src / name).write_text(PROGRAM)
    return src


def compile_program(venv, sources, lang, flags, out):
    tool, name = LANGS[lang]
    cmd = [str(venv / "bin" / tool), *flags, str(sources / name), "-o", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(venv),
                       cwd=sources, timeout=TIMEOUT)
    assert r.returncode == 0, f"{' '.join(cmd)} failed:\n{r.stdout}\n{r.stderr}"


def test_wheel_ships_every_header(wheel_venv):
    """Every header of include/ is in the installed package."""
    r = subprocess.run([str(wheel_venv / "bin" / "python"), "-c",
                        "import shmem4py.config as c; print(c.get_include())"],
                       capture_output=True, text=True, env=clean_env(wheel_venv), check=True)
    installed = pathlib.Path(r.stdout.strip())
    assert installed.resolve().is_relative_to(wheel_venv.resolve()), installed
    headers = sorted(p.relative_to(ROOT / "include") for p in (ROOT / "include").rglob("*.h"))
    missing = [str(h) for h in headers if not (installed / h).is_file()]
    assert not missing, f"the wheel lacks {missing} (install rules in CMakeLists.txt)"


@pytest.mark.parametrize("lang", list(LANGS))
def test_o2_uses_the_inline_fast_paths(wheel_venv, sources, lang):
    """-O2 includes shmem_inline.h; -O0 and SHMEM_NO_INLINE do not (so the
    runs below cover both the inlined and the library paths)."""
    tool, name = LANGS[lang]
    def headers_seen(flags):
        r = subprocess.run([str(wheel_venv / "bin" / tool), *flags, "-E", str(sources / name)],
                           capture_output=True, text=True, env=clean_env(wheel_venv),
                           timeout=TIMEOUT)
        assert r.returncode == 0, r.stderr
        return r.stdout
    out = headers_seen(["-O2"])
    assert "shmem_inline.h" in out, "-O2 did not include shmem_inline.h"
    assert str(ROOT) not in out, "a header came from the source tree, not the wheel"
    assert "shmem_inline.h" not in headers_seen(["-O0"])
    assert "shmem_inline.h" not in headers_seen(["-O2", "-DSHMEM_NO_INLINE"])


@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("lang", list(LANGS))
def test_wheel_compiles_and_runs(wheel_venv, sources, lang, level, no_leaked_segments):
    exe = sources / f"prog-{'cxx' if lang == 'c++' else 'c'}-{level}"
    compile_program(wheel_venv, sources, lang, LEVELS[level], exe)
    if shutil.which("ldd"):
        r = subprocess.run(["ldd", str(exe)], capture_output=True, text=True, check=True)
        lib = [ln for ln in r.stdout.splitlines() if "libshmem" in ln]
        assert lib and str(wheel_venv.resolve()) in lib[0], (
            f"{exe.name} does not load libshmem from the wheel:\n{r.stdout}")
    cmd = [str(wheel_venv / "bin" / "shmemrun"), "-n", str(NPES), str(exe)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=clean_env(wheel_venv),
                           timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{exe.name} at {NPES} PEs did not end within {TIMEOUT} s")
    assert r.returncode == 0, (f"{exe.name} at {NPES} PEs exited {r.returncode}\n"
                               f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}")
    total = sum(range(1, NPES + 1))
    expected = sorted(
        f"PE {me} of {NPES}: ring {10 * ((me - 1) % NPES)} {10 * ((me - 1) % NPES) + 1} "
        f"flag {(me - 1) % NPES + 100} g {10 * me} sum {total} winner "
        for me in range(NPES))
    got = sorted(ln.rsplit(" ", 1)[0] + " " for ln in r.stdout.splitlines() if ln.strip())
    assert got == expected, f"output of {exe.name}:\n{r.stdout}\nstderr:\n{r.stderr}"
    winners = sum(int(ln.rsplit(" ", 1)[1]) for ln in r.stdout.splitlines() if ln.strip())
    assert winners == 1, f"compare_swap succeeded on {winners} PEs, not one:\n{r.stdout}"
