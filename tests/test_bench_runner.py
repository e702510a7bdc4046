"""bench/run: a short run writes results.json, results.md and the plots, and
a kernel that does not validate makes it fail, naming the variant.  Stand-in
kernels live in tests/fixtures/bench (good/ validates, bad/ does not)."""
import json
import os
import subprocess
import sys

import pytest

from jobs import BUILD, ROOT

RUN = ROOT / "bench" / "run"
FIXTURES = ROOT / "tests" / "fixtures" / "bench"


def bench_run(out, *args, timeout=240):
    """Runs bench/run with the test's Python (the .venv); a hang fails the test."""
    env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}")
    try:
        return subprocess.run([sys.executable, str(RUN), "--out", str(out), *args],
                              capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"bench/run hung: {e.stdout}\n{e.stderr}")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """One quick run: PingPong (ours, quick sizes, 3 reps) and the stand-in
    nstream at 2 and 3 PEs, plus the real kernels at 2 PEs where they have
    landed (at quick sizes)."""
    if not (BUILD / "bench" / "pingpong").exists():
        pytest.skip("benchmarks not built (SHMEM_BUILD_BENCH=OFF)")
    out = tmp_path_factory.mktemp("bench")
    r = bench_run(out, "--quick", "--bench", "pingpong,nstream", "--variants",
                  "c-shmem,py-shmem", "--npes", "2,3", "--reps", "3",
                  "--py-kernels", str(FIXTURES / "good"))
    return out, r


def test_quick_run_writes_results(quick_run):
    out, r = quick_run
    assert r.returncode == 0, r.stdout + r.stderr
    res = json.loads((out / "results.json").read_text())
    m = res["machine"]
    assert m["cores"] >= 1 and m["cpu"] and m["python"] and m["numpy"]
    assert m["versions"]["shmem4py"]
    pp = res["pingpong"]
    assert {"c-shmem", "py-shmem", "memcpy"} <= set(pp)
    for v in ("c-shmem", "py-shmem"):
        d = pp[v]
        assert d["sizes"][0] == 8 and d["sizes"][-1] == 4 << 20
        assert all(t > 0 for t in d["latency_us"])
        # Bandwidth is size / one-way time, in GB/s (1e9 bytes).
        assert d["bandwidth_GBps"][0] == pytest.approx(8 / d["latency_us"][0] / 1e3)
        assert all(x > 0 for x in d["bw_over_memcpy"])
    assert pp["py-shmem"]["latency_over_c"][0] > 0
    assert pp["c-shmem"]["extra"]["floor_us"] > 0
    rows = {(e["kernel"], e["variant"], e["npes"]): e for e in res["kernels"]}
    assert set(rows) == {("nstream", "py-shmem", 2), ("nstream", "py-shmem", 3)}
    three = rows[("nstream", "py-shmem", 3)]
    assert three["rate"] > 0 and three["unit"] == "MB/s" and three["args"] == ["5", "100000"]
    assert three["rate_per_pe"] == pytest.approx(three["rate"] / 3)
    assert three["per_pe_over_2pes"] > 0
    # c-shmem nstream is not built here (stand-in kernels only): skipped, said so.
    assert any(s["bench"] == "nstream" and s["variant"] == "c-shmem" for s in res["skipped"])
    assert "skipping nstream c-shmem" in r.stdout
    names = {t["name"]: t for t in res["targets"]}
    t = names["C PingPong bandwidth at 1 MiB / memcpy"]
    assert t["met"] in (True, False) and t["value"] > 0
    # No OSHMEM figures in this run: the targets that need them say so.
    assert names["C 1 MiB bandwidth: ours / OSHMEM"]["met"] is None
    assert res["failures"] == []


def test_quick_run_writes_markdown_and_plots(quick_run):
    out, r = quick_run
    md = (out / "results.md").read_text()
    assert "## PingPong" in md and "| 8 B |" in md and "| nstream | py-shmem | 3 |" in md
    assert "## Targets" in md
    for png in ("pingpong_bandwidth.png", "pingpong_latency.png", "kernels.png", "ratios.png"):
        data = (out / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, png
    assert "Missed targets:" in r.stdout and "Targets (ratio from this run)" in r.stdout
    assert "[1/" in r.stdout  # progress, one line per run


def test_failing_variant_fails_the_run(tmp_path):
    if not (BUILD / "shmemrun").exists():
        pytest.skip("shmemrun not built")
    r = bench_run(tmp_path, "--quick", "--bench", "nstream,stencil", "--variants", "py-shmem",
                  "--npes", "2", "--py-kernels", str(FIXTURES / "bad"), timeout=120)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "did not validate: nstream py-shmem, stencil py-shmem" in r.stderr
    assert "valid=0" in r.stderr and "no RESULT line" in r.stderr
    res = json.loads((tmp_path / "results.json").read_text())
    assert {(f["bench"], f["variant"]) for f in res["failures"]} == {
        ("nstream", "py-shmem"), ("stencil", "py-shmem")}


def test_bad_options_are_named(tmp_path):
    for args, msg in ((["--transport", "tcp"], "only shm is available"),
                      (["--bench", "pingpon"], "--bench: unknown pingpon"),
                      (["--variants", "c-shmemm"], "--variants: unknown c-shmemm"),
                      (["--npes", "2,x"], "--npes")):
        r = bench_run(tmp_path, *args, timeout=60)
        assert r.returncode == 2 and msg in r.stderr, (args, r.stderr)
