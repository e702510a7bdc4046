"""The C examples run and report correct results with 1 to 4 PEs."""
import re

import pytest

from jobs import BUILD, PE_COUNTS, ROOT, run_job


@pytest.mark.parametrize("npes", PE_COUNTS)
def test_hello(npes, no_leaked_segments):
    r = run_job([BUILD / "examples" / "hello"], npes)
    assert r.returncode == 0, r.stderr
    pes = sorted(int(m) for m in re.findall(r"Hello from PE (\d+) of %d" % npes, r.stdout))
    assert pes == list(range(npes)), r.stdout
    assert "OpenSHMEM 1.6" in r.stdout


@pytest.mark.parametrize("npes", PE_COUNTS)
def test_ring_put(npes, no_leaked_segments):
    r = run_job([BUILD / "examples" / "ring_put"], npes)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count(": ok") == npes and "WRONG" not in r.stdout


@pytest.mark.parametrize("npes", PE_COUNTS)
def test_atomic_counter(npes, no_leaked_segments):
    r = run_job([BUILD / "examples" / "atomic_counter"], npes)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"counter = {10000 * npes} (expected {10000 * npes}): ok" in r.stdout


def test_shmemcc_builds_a_program(tmp_path, no_leaked_segments):
    """shmemcc adds the include path, the library and an rpath."""
    import subprocess
    exe = tmp_path / "ring"
    src = ROOT / "examples" / "ring_put.c"
    cc = subprocess.run([BUILD / "shmemcc", src, "-o", exe], capture_output=True, text=True)
    assert cc.returncode == 0, cc.stderr
    r = run_job([exe], 3)
    assert r.returncode == 0 and r.stdout.count(": ok") == 3, r.stdout + r.stderr
