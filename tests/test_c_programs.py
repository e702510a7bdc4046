"""Runs every self-checking C test program (tests/c/test_*.c[pp]) under
shmemrun with 1, 2, 3 and 4 PEs.  A program passes when every PE exits 0."""
import pathlib

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
