"""bench/run: a short run writes results.json, results.md and the plots, and
a kernel that does not validate makes it fail, naming the variant.  Stand-in
kernels live in tests/fixtures/bench (good/ validates, bad/ does not)."""
import json
import os
import pathlib
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
    nstream at 2 and 3 PEs; the C kernels are looked for in a folder without
    them, so that c-shmem is skipped whether or not they have landed."""
    if not (BUILD / "bench" / "pingpong").exists():
        pytest.skip("benchmarks not built (SHMEM_BUILD_BENCH=OFF)")
    out = tmp_path_factory.mktemp("bench")
    r = bench_run(out, "--quick", "--bench", "pingpong,nstream", "--variants",
                  "c-shmem,py-shmem", "--npes", "2,3", "--reps", "3",
                  "--py-kernels", str(FIXTURES / "good"), "--c-kernels", str(FIXTURES / "good"))
    return out, r


def test_quick_run_writes_results(quick_run):
    out, r = quick_run
    assert r.returncode == 0, r.stdout + r.stderr
    res = json.loads((out / "results.json").read_text())
    m = res["machine"]
    assert m["cores"] >= 1 and m["cpu"] and m["python"] and m["numpy"]
    assert m["versions"]["shmem4py"]
    # Other jobs' runnable tasks, sampled before each of the run's jobs
    # (PingPong: c-shmem, py-shmem; nstream py-shmem at 2 and 3 PEs).
    others = m["others_runnable"]
    assert others["samples"] == 4 and 0 <= others["mean"] <= others["max"], others
    assert "other jobs' runnable tasks between the runs" in (out / "results.md").read_text()
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
    # No C kernels in the folder given: c-shmem skipped, and said so.
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
    root = tmp_path / "root"
    (root / "docs").mkdir(parents=True)
    (root / "README.md").write_text("# x\n")
    r = bench_run(tmp_path, "--quick", "--bench", "nstream,stencil", "--variants", "py-shmem",
                  "--npes", "2", "--py-kernels", str(FIXTURES / "bad"), "--publish",
                  "--publish-root", str(root), timeout=120)
    assert r.returncode == 1, r.stdout + r.stderr
    # Nothing published from a run that failed.
    assert "not published: a variant of ours failed" in r.stderr
    assert (root / "README.md").read_text() == "# x\n" and not (root / "docs" / "img").exists()
    assert "did not validate: nstream py-shmem, stencil py-shmem" in r.stderr
    assert "valid=0" in r.stderr and "no RESULT line" in r.stderr
    res = json.loads((tmp_path / "results.json").read_text())
    assert {(f["bench"], f["variant"]) for f in res["failures"]} == {
        ("nstream", "py-shmem"), ("stencil", "py-shmem")}


def test_failed_mpich_job_leaves_no_files(tmp_path):
    """A job that fails (here: one that leaves a file named as MPICH's and
    exits 1, as a killed MPICH job does) has its unmapped MPICH files
    removed; files that were there before the job are left alone."""
    sys.path.insert(0, str(ROOT / "bench"))
    from runner.common import Job
    older = pathlib.Path(f"/dev/shm/mpich_shm_test{os.getpid()}_older")
    left = pathlib.Path(f"/dev/shm/mpich_shm_test{os.getpid()}_left")
    older.write_bytes(b"x")
    try:
        job = Job("nstream", "c-mpi", ["sh", "-c", f"echo x > {left}; exit 1"]).run(30)
        assert job.returncode == 1
        assert not left.exists() and older.exists()
    finally:
        for p in (older, left):
            p.unlink(missing_ok=True)


def test_bad_options_are_named(tmp_path):
    for args, msg in ((["--transport", "tcp"], "invalid choice: 'tcp'"),
                      (["--bench", "pingpon"], "--bench: unknown pingpon"),
                      (["--variants", "c-shmemm"], "--variants: unknown c-shmemm"),
                      (["--npes", "2,x"], "--npes")):
        r = bench_run(tmp_path, *args, timeout=60)
        assert r.returncode == 2 and msg in r.stderr, (args, r.stderr)


@pytest.mark.parametrize("transport", ["mpi", "mpi-rma"])
def test_transport_mpi(tmp_path, transport):
    """--transport mpi and mpi-rma: our C and Python variants run under the
    mpich wheel's mpiexec on the mpi transport (the PEs of one node through
    shared memory, or every PE through MPI RMA) and validate; the peers run
    as ever."""
    if not (BUILD / "libshmem_mpi.so").exists() or not (BUILD / "bench" / "pingpong").exists():
        pytest.skip("no mpi transport plugin or benchmarks not built")
    r = bench_run(tmp_path, "--quick", "--transport", transport, "--bench", "pingpong,stencil",
                  "--variants", "c-shmem,py-shmem,c-mpi", "--npes", "2", timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    assert "skipping" not in r.stdout, r.stdout
    res = json.loads((tmp_path / "results.json").read_text())
    assert res["options"]["transport"] == transport, res["options"]
    assert {"c-shmem", "py-shmem"} <= set(res["pingpong"]), res["pingpong"].keys()
    ran = {(k["kernel"], k["variant"]) for k in res["kernels"]}
    assert {("stencil", "c-shmem"), ("stencil", "py-shmem"), ("stencil", "c-mpi")} <= ran, ran
    assert not res["failures"], res["failures"]


def test_mpi_floor(tmp_path):
    """bench/mpi_floor.c under --transport mpi: libshmem's puts and
    fetch_adds beside bare MPI's in one program, every PE through MPI RMA,
    once on MPICH's shared memory and once through its netmod; every byte and
    fetch_add result checked by the program, the ratios of issue 15 in
    results.json and results.md as targets."""
    if not (BUILD / "libshmem_mpi.so").exists() or \
            not (pathlib.Path(sys.executable).parent / "mpicc").exists():
        pytest.skip("no mpi transport plugin or no mpicc of the mpich wheel")
    r = bench_run(tmp_path, "--quick", "--transport", "mpi", "--bench", "mpi_floor", timeout=120)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    res = json.loads((tmp_path / "results.json").read_text())
    assert not res["failures"], res["failures"]
    floor = {c["config"]: c for c in res["mpi_floor"]}
    assert set(floor) == {"mpi-only", "mpi-only, MPICH netmod"}, floor.keys()
    assert floor["mpi-only, MPICH netmod"]["env"]["MPIR_CVAR_NOLOCAL"] == "1"
    for c in floor.values():
        assert c["env"]["SHMEM_MPI_ONNODE"] == "0" and c["runs"] == 1
        assert c["path"] == "mpi-rma", c  # shmem_ptr gave no pointer to the peer
        # --quick: 5 rounds of 5 samples of 10 fetch_adds, each result checked.
        assert c["fetch_adds_checked"] == [250, 250], c
        f = c["figures"]
        assert set(f) == {"put_1MiB_GBps", "put_4MiB_GBps", "fetch_add_us"}
        assert all(ours > 0 and mpi > 0 for ours, mpi, _ in f.values()), f
        assert c["ratios"]["put_bw_1MiB_over_sendrecv"] == pytest.approx(
            f["put_1MiB_GBps"][0] / f["put_1MiB_GBps"][1])
        assert c["ratios"]["fetch_add_over_mpi_fetch_and_op"] == pytest.approx(
            f["fetch_add_us"][0] / f["fetch_add_us"][1])
    rows = {t["name"]: t for t in res["targets"]}
    for config in floor:
        put = rows[f"libshmem on MPI ({config}): put bandwidth at 1 MiB / MPI_Send/Recv's"]
        amo = rows[f"libshmem on MPI ({config}): fetch_add / bare MPI_Fetch_and_op + "
                   "MPI_Win_flush"]
        assert put["op"] == ">=" and put["threshold"] == 1.0 and put["met"] in (True, False)
        assert amo["op"] == "<=" and amo["threshold"] == 1.2 and amo["met"] in (True, False)
        assert put["value"] == pytest.approx(floor[config]["ratios"]["put_bw_1MiB_over_sendrecv"])
        verdict = "met" if amo["met"] else "MISSED"
        assert f"{amo['name']}: {amo['value']:.3f} (wanted <= 1.2) -> {verdict}" in r.stdout
    md = (tmp_path / "results.md").read_text()
    assert "## libshmem on MPI against bare MPI" in md and "| mpi-only | put 1 MiB (GB/s) |" in md
    # Two processes only: other counts are told so, not measured.
    exe = BUILD / "bench-run" / "mpi_floor"
    for n in (1, 3):
        p = subprocess.run([str(pathlib.Path(sys.executable).parent / "mpiexec"), "-n", str(n),
                            str(exe)], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, SHMEM_TRANSPORT="mpi"))
        assert p.returncode == 2 and "run with 2 processes" in p.stderr, (n, p.stderr)


def test_mpi_floor_skipped_on_shm(tmp_path):
    """On the shm transport mpi_floor is not run, and bench/run says why."""
    r = bench_run(tmp_path, "--quick", "--bench", "mpi_floor", timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "skipping mpi_floor c-shmem: it measures the mpi transport" in r.stdout, r.stdout
    res = json.loads((tmp_path / "results.json").read_text())
    assert res["mpi_floor"] == [] and res["targets"] == []


def test_mpi_floor_collect_and_targets():
    """The runner's reading of mpi_floor's output: the best figure of the
    runs, a run that did not validate is a failure of ours, and puts that
    took the on-node path give no verdict."""
    sys.path.insert(0, str(ROOT / "bench"))
    from runner import common, mpi_floor, targets

    def job(config, stdout, rc=0):
        return common.Job("mpi_floor", "c-shmem", [], 2, None, rc, stdout, "",
                          extra={"config": config, "env": {}})

    def out(put, mpi_put, fadd, mpi_fadd, path="mpi-rma"):
        return (f"figure put_1MiB_GBps {put} {mpi_put} GB/s\nfigure fetch_add_us {fadd} "
                f"{mpi_fadd} us\npath {path}\nvalid 1 (sequences and bytes, 20 + 20 fetch_add "
                "results)\n")

    record = common.Record()
    floor = mpi_floor.collect([job("mpi-only", out(8.0, 10.0, 0.5, 0.3)),
                               job("mpi-only", out(12.0, 9.0, 0.4, 0.35)),
                               job("mpi-only, MPICH netmod", out(5.0, 4.0, 2.0, 2.0, "on-node")),
                               job("mpi-only, MPICH netmod", "INVALID: 1 checks failed\n", 1)],
                              record)
    assert [f["variant"] for f in record.failures] == ["c-shmem"]
    assert not record.failures[0]["peer"] and "exit status 1" in record.failures[0]["reason"]
    one, net = floor
    assert one["runs"] == 2 and one["fetch_adds_checked"] == [40, 40]
    assert one["ratios"]["put_bw_1MiB_over_sendrecv"] == pytest.approx(12.0 / 10.0)
    assert one["ratios"]["fetch_add_over_mpi_fetch_and_op"] == pytest.approx(0.4 / 0.3)
    rows = {t["name"]: t for t in targets.mpi_floor_targets(floor)}
    assert rows["libshmem on MPI (mpi-only): put bandwidth at 1 MiB / MPI_Send/Recv's"]["met"]
    amo = rows["libshmem on MPI (mpi-only): fetch_add / bare MPI_Fetch_and_op + MPI_Win_flush"]
    assert amo["met"] is False and amo["value"] == pytest.approx(4 / 3)
    put = rows["libshmem on MPI (mpi-only, MPICH netmod): put bandwidth at 1 MiB / "
               "MPI_Send/Recv's"]
    assert put["met"] is None and "SHMEM_MPI_ONNODE=0 not honoured" in put["missing"]


def test_quick_all_variants_validate(tmp_path):
    """What CI checks: `bench/run --quick` with every benchmark and variant
    exits 0 (every variant of ours present validates), and every kernel of
    ours that has landed in bench/kernels was run, not skipped."""
    if not (BUILD / "bench" / "pingpong").exists():
        pytest.skip("benchmarks not built (SHMEM_BUILD_BENCH=OFF)")
    r = bench_run(tmp_path, "--quick", timeout=540)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    res = json.loads((tmp_path / "results.json").read_text())
    assert res["failures"] == [] or all(f["peer"] for f in res["failures"]), res["failures"]
    assert {"c-shmem", "py-shmem", "memcpy"} <= set(res["pingpong"])
    ran = {(e["kernel"], e["variant"]) for e in res["kernels"]}
    kernels_dir = ROOT / "bench" / "kernels"
    for kernel in ("nstream", "stencil", "synch_p2p", "transpose", "random", "reduce"):
        if (kernels_dir / "c" / f"{kernel}_shmem.c").exists():
            assert (kernel, "c-shmem") in ran, (kernel, res["skipped"])
        if (kernels_dir / "py" / f"{kernel}.py").exists():
            assert (kernel, "py-shmem") in ran, (kernel, res["skipped"])
    assert "Missed targets:" in r.stdout


def _runner():
    """bench/runner, imported as bench/run imports it."""
    sys.path.insert(0, str(ROOT / "bench"))
    from runner import publish, targets
    return publish, targets


def test_publish_writes_readme_docs_and_images(quick_run, tmp_path):
    publish, _ = _runner()
    out, r = quick_run
    assert r.returncode == 0, r.stdout + r.stderr
    results = json.loads((out / "results.json").read_text())
    (tmp_path / "docs").mkdir()
    readme = ("# x\n\nbefore\n\n" + publish.MARK_BEGIN + "\nold table\n" + publish.MARK_END
              + "\n\nafter\n")
    (tmp_path / "README.md").write_text(readme)
    written = publish.publish(out, results, tmp_path)
    assert "docs/img/bench_pingpong_bandwidth.png" in written
    text = (tmp_path / "README.md").read_text()
    assert text.startswith("# x\n\nbefore\n") and text.endswith("\n\nafter\n")
    assert "old table" not in text and "| 8 B |" in text and "| 1 MiB |" in text
    assert "](docs/img/bench_pingpong_bandwidth.png)" in text
    assert "](docs/img/bench_kernels.png)" in text
    for png in results["plots"]:
        data = (tmp_path / "docs" / "img" / f"bench_{png}").read_bytes()
        assert data == (out / png).read_bytes()
    inc = (tmp_path / "docs" / "bench_results.inc").read_text()
    assert ".. figure:: img/bench_pingpong_bandwidth.png" in inc and ".. list-table::" in inc
    assert json.loads((tmp_path / "docs" / "bench_results.json").read_text())["started"] == \
        results["started"]
    # A second publish replaces the first, markers kept once each.
    publish.publish(out, results, tmp_path)
    text = (tmp_path / "README.md").read_text()
    assert text.count(publish.MARK_BEGIN) == 1 and text.count(publish.MARK_END) == 1
    (tmp_path / "README.md").write_text("# no markers\n")
    with pytest.raises(ValueError, match="README.md has no"):
        publish.publish(out, results, tmp_path)


def test_readme_has_the_publish_markers():
    publish, _ = _runner()
    text = (ROOT / "README.md").read_text()
    assert text.count(publish.MARK_BEGIN) == 1 and text.count(publish.MARK_END) == 1
    assert text.index(publish.MARK_BEGIN) < text.index(publish.MARK_END)
    assert "bench/run" in text[:text.index(publish.MARK_BEGIN)]


def _table(rows):
    """A PingPong entry of results.json from (size, latency_us) rows."""
    return {"sizes": [s for s, _ in rows], "latency_us": [t for _, t in rows],
            "bandwidth_GBps": [s / t / 1e3 for s, t in rows]}


def test_targets_python_overhead_and_mpi():
    _, targets = _runner()
    pp = {"c-shmem": dict(_table([(8, 2.0), (1 << 20, 40.0)]),
                          extra={"8B_interleaved_us": 0.1, "floor_us": 0.05}),
          "py-shmem": _table([(8, 0.5), (1 << 20, 45.0)]),
          "c-oshmem": dict(_table([(8, 0.3), (1 << 20, 41.0)]),
                           extra={"8B_interleaved_us": 0.4, "floor_us": 0.1}),
          "py-shmem4py1": _table([(8, 5.3), (1 << 20, 60.0)]),
          "py-mpi": _table([(8, 3.0), (1 << 20, 44.0)])}
    got = {t["name"]: t for t in targets.pingpong_targets(pp)}
    t = got["Python overhead at 8 B (Python - C): ours / shmem4py 1.0's"]
    # C's 8 B time is the lower of its table and its interleaved figure:
    # ours 0.5 - 0.1, theirs 5.3 - 0.3.
    assert t["value"] == pytest.approx(0.4 / 5.0) and t["met"] is True
    # Each over its own run's floor: OSHMEM 0.4 / 0.1, ours 0.1 / 0.05.
    t = got["C 8 B latency: OSHMEM / ours (each over its run's floor)"]
    assert t["value"] == pytest.approx(2.0) and t["met"] is True
    t = got["C 1 MiB bandwidth: ours / OSHMEM"]
    assert t["value"] == pytest.approx(41 / 40) and t["met"] is True
    # 44 us for mpi4py against 45 for ours at 1 MiB: missed, and where.
    t = [x for n, x in got.items() if n.startswith("shmem4py faster than mpi4py")][0]
    assert t["met"] is False and t["value"] == pytest.approx(44 / 45)
    assert "1048576" in t["detail"]
    # Python faster than C: a disturbed run gives no verdict, not a pass.
    pp["py-shmem"] = _table([(8, 0.05), (1 << 20, 45.0)])
    got = {t["name"]: t for t in targets.pingpong_targets(pp)}
    t = got["Python overhead at 8 B (Python - C): ours / shmem4py 1.0's"]
    assert t["met"] is None and "disturbed" in t["missing"]


def test_targets_kernels_ratios_and_collapse():
    _, targets = _runner()

    def entry(kernel, variant, npes, rate, ratio, per_pe):
        return {"kernel": kernel, "variant": variant, "npes": npes, "rate": rate,
                "ratio_to_c": ratio, "per_pe_over_2pes": per_pe}

    entries = [entry("stencil", "py-shmem", 2, 90.0, 0.9, None),
               entry("stencil", "py-shmem", 4, 80.0, 0.8, 0.44),
               entry("nstream", "py-shmem", 2, 85.0, 0.85, None),
               entry("synch_p2p", "njit-shmem", 2, 70.0, 0.7, None),
               entry("reduce", "c-mpi", 4, 1.0, 0.01, 0.001)]  # a peer's collapse
    got = {t["name"]: t for t in targets.kernel_targets(entries, [2, 4])}
    assert got["stencil Python/C rate at 2 PEs"]["met"] is True
    assert got["stencil Python/C rate at 4 PEs"]["met"] is False
    assert got["nstream Python/C rate at 2 PEs"]["met"] is False  # needs 0.90
    assert got["transpose Python/C rate at 2 PEs"]["met"] is None
    assert got["synch_p2p njit/C rate at 2 PEs"]["met"] is True  # 0.7 >= 1/1.5
    t = got["4 PEs: worst rate per PE / at 2 PEs (ours)"]
    assert t["value"] == pytest.approx(0.44) and t["met"] is True
    assert t["detail"] == "stencil py-shmem"
    # At quick sizes the ratios are shown, with no verdict.
    quick = {t["name"]: t for t in targets.kernel_targets(entries, [2, 4], "quick")}
    assert all(t["met"] is None for t in quick.values())
    t = quick["stencil Python/C rate at 4 PEs"]
    assert t["value"] == pytest.approx(0.8) and "default sizes" in t["missing"]


def _processes_running(needle):
    """PIDs whose command line contains NEEDLE (read from /proc)."""
    found = []
    for proc in os.listdir("/proc"):
        if not proc.isdigit():
            continue
        try:
            with open(f"/proc/{proc}/cmdline", "rb") as f:
                if needle.encode() in f.read():
                    found.append(int(proc))
        except OSError:
            pass
    return found


def test_timeout_ends_every_pe(tmp_path):
    """A run past --timeout fails, says so, and leaves no PE behind; on MPI
    (when the mpich wheel is there) it is MPICH's failure, not ours."""
    if not (BUILD / "shmemrun").exists():
        pytest.skip("shmemrun not built")
    hang = FIXTURES / "hang"
    r = bench_run(tmp_path, "--quick", "--bench", "nstream", "--variants", "py-shmem,py-mpi",
                  "--npes", "3", "--py-kernels", str(hang), "--timeout", "8", timeout=120)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "timed out after 8 s" in r.stderr and "did not validate: nstream py-shmem" in r.stderr
    assert "nstream py-mpi" not in r.stderr.split("did not validate:")[1]
    res = json.loads((tmp_path / "results.json").read_text())
    fails = {f["variant"]: f for f in res["failures"]}
    assert not fails["py-shmem"]["peer"]
    if (pathlib.Path(sys.executable).parent / "mpiexec").exists():
        assert fails["py-mpi"]["peer"] and "timed out" in fails["py-mpi"]["reason"]
    import time
    deadline = time.monotonic() + 10
    while _processes_running(str(hang)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_running(str(hang)) == []
