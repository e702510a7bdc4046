"""Runs every self-checking C test program (tests/c/test_*.c[pp]) under
shmemrun with 1, 2, 3 and 4 PEs, on the load/store paths and again with
the other PEs routed through the transport interface.  A program passes
when every PE exits 0.
Also checks that shmemx.h defines a HAVE_SHMEMX_<NAME> macro for each of
its extensions."""
import pathlib
import re
import subprocess

import pytest

from jobs import BUILD, PE_COUNTS, ROOT, run_job, shm_segments

SOURCES = sorted((ROOT / "tests" / "c").glob("test_*.c")) + sorted(
    (ROOT / "tests" / "c").glob("test_*.cpp"))


def exe_name(src: pathlib.Path) -> str:
    return src.stem + ("_cxx" if src.suffix == ".cpp" else "")


@pytest.mark.parametrize("npes", PE_COUNTS)
@pytest.mark.parametrize("program", [exe_name(s) for s in SOURCES])
def test_c_program(program, npes, no_leaked_segments):
    exe = BUILD / "tests" / "c" / program
    assert exe.exists(), f"{exe} was not built"
    r = run_job([exe], npes)
    assert r.returncode == 0, (
        f"{program} with {npes} PEs exited {r.returncode}\n"
        f"stdout:\n{r.stdout[-4000:]}\nstderr:\n{r.stderr[-4000:]}")


@pytest.mark.parametrize("npes", PE_COUNTS)
@pytest.mark.parametrize("program", [exe_name(s) for s in SOURCES])
@pytest.mark.parametrize("loopback", ("1", "amo"))
def test_c_program_through_the_transport_interface(program, npes, loopback, no_leaked_segments):
    """The same programs with the other PEs routed through the transport
    interface, as PEs of another node would be (SHMEMI_NETWORK_LOOPBACK:
    =1 everything, =amo only the atomics; the shm transport serves the
    interface).  The programs check that shmem_ptr, SHMEM_TEAM_SHARED and
    the inline fast paths follow the routing (tests/c/check.h)."""
    exe = BUILD / "tests" / "c" / program
    assert exe.exists(), f"{exe} was not built"
    r = run_job([exe], npes, env={"SHMEMI_NETWORK_LOOPBACK": loopback})
    assert r.returncode == 0, (
        f"{program} with {npes} PEs, SHMEMI_NETWORK_LOOPBACK={loopback}, exited "
        f"{r.returncode}\nstdout:\n{r.stdout[-4000:]}\nstderr:\n{r.stderr[-4000:]}")


def test_bad_loopback_value_is_diagnosed(no_leaked_segments):
    """A value of the knob that means nothing is an error at init, not a
    silent fallback to the load/store paths."""
    r = run_job([BUILD / "tests" / "c" / "test_smoke"], 2,
                env={"SHMEMI_NETWORK_LOOPBACK": "yes"})
    assert r.returncode != 0 and "SHMEMI_NETWORK_LOOPBACK=yes" in r.stderr, r.stderr


def shmemx_declarations():
    """The shmemx_ routines that include/shmemx.h declares, and the
    HAVE_SHMEMX_ macros it defines (comments left out)."""
    text = (ROOT / "include" / "shmemx.h").read_text()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    code = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    functions = sorted(set(re.findall(r"\b(shmemx_\w+)\s*\(", code)))
    macros = sorted(set(re.findall(r"^\s*#\s*define\s+(HAVE_SHMEMX_\w+)\s+1\s*$", text,
                                   flags=re.M)))
    return functions, macros


def test_shmemx_have_macros(tmp_path):
    """Every extension in shmemx.h has its HAVE_SHMEMX_<NAME> macro (value 1),
    and every such macro names a declared extension: a program that tests
    each macro with #if and takes each routine's address compiles and links
    with shmemcc."""
    functions, macros = shmemx_declarations()
    assert functions, "no shmemx_ routine found in include/shmemx.h"
    wanted = ["HAVE_SHMEMX_" + f[len("shmemx_"):].upper() for f in functions]
    assert sorted(wanted) == macros, (
        f"routines {functions} want macros {sorted(wanted)}; shmemx.h defines {macros}")
    checks = "".join(f"#if !defined({m}) || {m} != 1\n#error {m} is not 1\n#endif\n"
                     for m in wanted)
    uses = "".join(f"  addr[n++] = (void (*)(void))&{f};\n" for f in functions)
    src = tmp_path / "have_macros.c"
    src.write_text(f"#include <shmemx.h>\n{checks}\nint main(void) {{\n"
                   f"  void (*addr[{len(functions)}])(void);\n  int n = 0;\n{uses}"
                   f"  for (int i = 0; i < n; ++i) if (!addr[i]) return 1;\n  return 0;\n}}\n")
    exe = tmp_path / "have_macros"
    r = subprocess.run([str(BUILD / "shmemcc"), "-Wall", "-Werror", str(src), "-o", str(exe)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"shmemcc failed:\n{r.stderr}\n{src.read_text()}"
    assert subprocess.run([str(exe)], timeout=60).returncode == 0
