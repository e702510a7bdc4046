"""shmemcc / shmemc++ as users of mpicc and oshcc expect them.

Both wrappers are checked: the build tree's (build/shmemcc, absolute paths)
and the installed one (`cmake --install` of the same build into a
temporary prefix, which finds its folders next to itself).  The wheel's
copy of the installed wrapper is checked by tests/test_wheel_portable.py.

Also here: one version number for the package, libshmem and the launcher.
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from jobs import BUILD, PE_COUNTS, ROOT, run_job, shmemrun_path

# A ring: every PE puts its number to the right and checks what came from
# the left, so a program that links but does not run fails.
RING_C = r"""
#include <shmem.h>
#include <stdio.h>
static int got = -1;
int main(void) {
  shmem_init();
  int me = shmem_my_pe(), n = shmem_n_pes();
  shmem_int_p(&got, me, (me + 1) % n);
  shmem_barrier_all();
  int ok = got == (me + n - 1) % n;
  printf("PE %d got %d %s\n", me, got, ok ? "ok" : "WRONG");
  shmem_finalize();
  return !ok;
}
"""
RING_CXX = RING_C.replace("#include <stdio.h>", "#include <cstdio>")


def package_version():
    text = (ROOT / "python" / "shmem4py" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    """The C build installed into a temporary prefix, as `cmake --install` does."""
    if not (BUILD / "CMakeCache.txt").exists():
        pytest.fail("no build in build/: run bash scripts/setup.sh")
    where = tmp_path_factory.mktemp("prefix")
    r = subprocess.run(["cmake", "--install", str(BUILD), "--prefix", str(where)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return where


@pytest.fixture(params=["build", "installed"])
def wrappers(request, prefix):
    """(shmemcc, shmemc++, the folder of shmem.h) of one kind of wrapper."""
    if request.param == "build":
        return BUILD / "shmemcc", BUILD / "shmemc++", ROOT / "include"
    return prefix / "bin" / "shmemcc", prefix / "bin" / "shmemc++", prefix / "include"


def run(argv, **kw):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                          timeout=120, **kw)


def check_ring(exe):
    for n in PE_COUNTS:
        r = run_job([exe], n)
        assert r.returncode == 0, f"{n} PEs: {r.stdout}{r.stderr}"
        lines = sorted(r.stdout.splitlines())
        assert lines == sorted(f"PE {i} got {(i + n - 1) % n} ok" for i in range(n)), r.stdout


@pytest.mark.parametrize("spelling", ["-show", "--showme", "-showme"])
def test_show_prints_the_command_and_runs_nothing(wrappers, tmp_path, spelling):
    cc, _, inc = wrappers
    (tmp_path / "ring.c").write_text(RING_C)
    r = run([cc, spelling, "ring.c", "-O2", "-o", "ring"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "ring").exists(), f"{spelling} compiled instead of printing"
    words = shlex.split(r.stdout)
    assert r.stdout.count("\n") == 1, r.stdout
    assert f"-I{inc.resolve()}" in words and "-lshmem" in words, r.stdout
    assert words.index("ring.c") < words.index("-lshmem"), "libraries go after the sources"
    # What it shows is what it runs: the printed command builds the program.
    r2 = run(words, cwd=tmp_path)
    assert r2.returncode == 0, r2.stderr
    check_ring(tmp_path / "ring")


def test_show_without_link_flags_when_compiling_only(wrappers, tmp_path):
    cc, _, _ = wrappers
    words = shlex.split(run([cc, "-show", "-c", "ring.c"], cwd=tmp_path).stdout)
    assert "-c" in words and "-lshmem" not in words and not any(
        w.startswith("-L") for w in words), words


def test_show_quotes_what_the_shell_would_split(wrappers, tmp_path):
    cc, _, _ = wrappers
    r = run([cc, "-show", "my ring.c", "-DNAME=it's", "-o", "out"], cwd=tmp_path)
    words = shlex.split(r.stdout)
    assert "my ring.c" in words and "-DNAME=it's" in words, r.stdout


def test_showme_compile_and_link_build_in_two_steps(wrappers, tmp_path):
    cc, cxx, inc = wrappers
    for tool, name, src in ((cc, "ring.c", RING_C), (cxx, "ring.cpp", RING_CXX)):
        compile_flags = run([tool, "--showme:compile"])
        link_flags = run([tool, "-showme:link"])
        command = run([tool, "--showme:command"])
        assert compile_flags.returncode == link_flags.returncode == command.returncode == 0
        cflags, lflags = shlex.split(compile_flags.stdout), shlex.split(link_flags.stdout)
        assert cflags == [f"-I{inc.resolve()}"], cflags
        assert "-lshmem" in lflags and any(w.startswith("-Wl,-rpath,") for w in lflags)
        libdir = run([tool, "--showme:libdirs"]).stdout.strip()
        assert (pathlib.Path(libdir) / "libshmem.so").exists(), libdir
        assert run([tool, "--showme:incdirs"]).stdout.strip() == str(inc.resolve())
        # The way external builds (src/python/CMakeLists.txt) use oshcc.
        (tmp_path / name).write_text(src)
        base = shlex.split(command.stdout)
        r = run([*base, *cflags, "-O2", "-c", name, "-o", "ring.o"], cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        r = run([*base, "ring.o", *lflags, "-o", "ring"], cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        check_ring(tmp_path / "ring")


def test_unknown_showme_is_an_error(wrappers):
    cc, _, _ = wrappers
    r = run([cc, "--showme:everything"])
    assert r.returncode == 2 and "--showme:everything" in r.stderr and "shmemcc" in r.stderr


def test_version_names_package_and_compiler(wrappers):
    cc, cxx, _ = wrappers
    for tool in (cc, cxx):
        r = run([tool, "--version"])
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert lines[0] == f"{tool.name} (shmem4py) {package_version()}", lines
        underlying = shlex.split(run([tool, "--showme:command"]).stdout)
        first = run([*underlying, "--version"]).stdout.splitlines()[0]
        assert lines[1] == first and len(lines) == 2, lines


def test_the_wrappers_compile_and_run_cxx(wrappers, tmp_path):
    _, cxx, _ = wrappers
    (tmp_path / "ring.cpp").write_text(RING_CXX)
    r = run([cxx, "-O2", "ring.cpp", "-o", "ring"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    check_ring(tmp_path / "ring")


VERSION_C = r"""
#include <shmem.h>
#include <stdio.h>
int main(void) {
  char name[SHMEM_MAX_NAME_LEN];
  shmem_init();
  shmem_info_get_name(name);
  if (shmem_my_pe() == 0) printf("%s\n%s\n", name, SHMEM_VENDOR_STRING);
  shmem_finalize();
  return 0;
}
"""


def test_one_version_everywhere(tmp_path, prefix):
    """__version__ is the one source; every other place reports the same."""
    v = package_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", v), v
    (tmp_path / "v.c").write_text(VERSION_C)
    r = run([BUILD / "shmemcc", "v.c", "-o", "v"], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for n in (1, 2):
        r = run_job([tmp_path / "v"], n)
        assert r.returncode == 0, r.stderr
        assert r.stdout.splitlines() == [f"shmem4py libshmem {v} (OpenSHMEM 1.6)"] * 2, r.stdout
    for exe in (shmemrun_path(), prefix / "bin" / "shmemrun"):
        r = run([exe, "--version"])
        assert r.returncode == 0 and r.stdout == f"shmemrun (shmem4py) {v}\n", r.stdout
    cff = (ROOT / "CITATION.cff").read_text()
    assert re.search(r'^version: "?([^"\n]+)"?$', cff, re.M).group(1) == v
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## {v}" in changelog, "CHANGELOG.md has no section for the version"


def test_installed_package_has_the_same_version():
    """The package installed into .venv (its metadata and the module)."""
    code = ("import importlib.metadata as m, shmem4py; "
            "print(m.version('shmem4py')); print(shmem4py.__version__)")
    r = run([sys.executable, "-c", code], cwd="/")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [package_version()] * 2, r.stdout
    r = run([sys.executable, "-m", "shmem4py", "--version"], cwd="/")
    assert package_version() in r.stdout, r.stdout + r.stderr
