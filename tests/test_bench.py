"""The C benchmarks run and print every figure the bench drivers read:
a smoke test of their output, never of their speed."""
import shutil
import subprocess
import sys

import pytest

from jobs import BUILD, ROOT, run_job

sys.path.insert(0, str(ROOT / "bench"))
import compare_oshmem  # noqa: E402


def bench_exe(name):
    """build/bench/<name>, or a skip where the benchmarks are not built."""
    exe = BUILD / "bench" / name
    if not exe.exists():
        pytest.skip("benchmarks not built (SHMEM_BUILD_BENCH=OFF)")
    return exe


def test_pingpong_prints_every_ratio():
    exe = bench_exe("pingpong")
    r = run_job([exe, 1 << 20, 3], 2)
    assert r.returncode == 0, r.stderr
    f = compare_oshmem.figures(r.stdout)
    for key in ("floor_us", "8B_us", "8B/floor", "raw/floor", "8B/raw", "fetch_add/floor",
                "barrier/floor", "bw/memcpy 1MiB"):
        assert f[key] is not None and f[key] > 0, (key, r.stdout)


def test_pingpong_needs_two_pes():
    r = run_job([bench_exe("pingpong"), 64, 1], 3)
    assert r.returncode != 0 and "run with 2 PEs" in r.stderr


def test_collectives_bench_runs():
    exe = bench_exe("collectives")
    for npes in (2, 3):
        r = run_job([exe, 3], npes)
        assert r.returncode == 0, r.stderr
        assert "barrier" in r.stdout


@pytest.mark.skipif(not (shutil.which("oshcc") and shutil.which("oshrun")),
                    reason="Open MPI's OSHMEM (oshcc, oshrun) is not installed")
def test_compare_oshmem_runs_both(tmp_path):
    """bench/compare_oshmem.py builds pingpong.c with oshcc and prints one line
    of ratios per implementation."""
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "compare_oshmem.py"), "65536", "3",
                        "--rounds", "1", "--build-dir", str(tmp_path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = [line.split() for line in r.stdout.splitlines() if not line.startswith("#")]
    impls = {row[0]: row for row in rows[1:]}
    assert set(impls) == {"libshmem", "OSHMEM"}, r.stdout
    for row in impls.values():
        assert "failed" not in row and float(row[3]) > 0, r.stdout  # 8B/floor
