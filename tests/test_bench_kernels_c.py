"""The C kernels of bench/kernels/c (issue #17): every kernel, on libshmem
(c-shmem), on MPI (c-mpi, where the mpich wheel's mpicc and mpiexec are
installed) and on Open MPI's OSHMEM (c-oshmem, where oshcc and oshrun
are), runs with quick sizes at 1-4 PEs and validates, printing the one
RESULT line of the bench contract last; a PE count a kernel cannot use
exits 2 with a message; and a deliberately broken kernel (a copy of the
source with one line changed) is caught by the kernel's own closed-form
validation.  Never a test of speed."""
import importlib.util
import math
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobs import BUILD, PE_COUNTS, ROOT, run_job

KDIR = ROOT / "bench" / "kernels" / "c"
_spec = importlib.util.spec_from_file_location("bench_kernels_c_build", KDIR / "build.py")
kbuild = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kbuild)

TIMEOUT = 60

UNITS = {"nstream": "MB/s", "stencil": "MFlops/s", "synch_p2p": "MFlops/s",
         "transpose": "MB/s", "random": "GUP/s", "reduce": "MB/s"}
# (kernel, quick arguments, unit): build.py's quick sizes, the ones the
# runner's --quick uses; the transpose twice, once per variant.
QUICK = kbuild.SIZES["quick"]
CASES = [(k, list(QUICK[k]), UNITS[k]) for k in kbuild.KERNELS]
CASES.insert(CASES.index(("transpose", list(QUICK["transpose"]), "MB/s")) + 1,
             ("transpose", [*QUICK["transpose"], "put"], "MB/s"))
CASE_IDS = [" ".join([k, *a]) for k, a, _ in CASES]

# Arguments some PE counts cannot use, and what the message must say.
UNSUPPORTED = [
    ("transpose", ["2", "98"], 3, "multiple of the PE count 3"),
    ("transpose", ["2", "98", "put"], 4, "multiple of the PE count 4"),
    ("stencil", ["2", "5"], 3, "thinner than the radius 2"),
    ("synch_p2p", ["2", "3", "50"], 3, "must exceed the PE count 3"),
    ("synch_p2p", ["2", "3", "50"], 4, "must exceed the PE count 4"),
]

RESULT_RE = re.compile(
    r"^RESULT kernel=(?P<kernel>\S+) variant=(?P<variant>\S+) npes=(?P<npes>\d+) "
    r"valid=(?P<valid>[01]) rate=(?P<rate>\S+) unit=(?P<unit>\S+) "
    r"time_s=(?P<time_s>\S+) args=(?P<args>\S*)$")

OSHMEM_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
              "OMPI_MCA_osc": "^rdma"}


def _have(kind):
    try:
        kbuild.find_compiler(kind)
    except kbuild.BuildError:
        return False
    return True


def _mpiexec():
    """The mpiexec of the same MPI as the mpicc build.py uses."""
    exe = Path(kbuild.find_compiler("mpi")).parent / "mpiexec"
    return str(exe) if exe.exists() else None


def _build_cli(kind, outdir):
    """build.py's command line for one kind: (exit status, stdout, stderr)."""
    r = subprocess.run([sys.executable, str(KDIR / "build.py"), kind, str(outdir), "--force"],
                       capture_output=True, text=True, timeout=600)
    return r.returncode, r.stdout, r.stderr


def _cmake_kernels():
    """The CMake-built c-shmem kernels, or None where the bench is not built;
    a kernel older than its sources fails: the test would run stale code."""
    built = {k: BUILD / "bench" / "kernels" / f"{k}_shmem" for k in kbuild.KERNELS}
    if not (BUILD / "bench").is_dir():
        return None
    sources = {k: KDIR / f"{k}_shmem.c" for k in kbuild.KERNELS}
    stale = [str(p) for k, p in built.items()
             if not kbuild.up_to_date(p, [sources[k], *kbuild.local_includes(sources[k])])]
    assert not stale, f"older than their sources or missing (cmake --build build): {stale}"
    return {k: str(p) for k, p in built.items()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """kind -> (exit status, stdout, stderr, output directory) of build.py
    for every kind whose tools are installed: all the kernels compiled once
    per module."""
    out = {}
    for kind in kbuild.KINDS:
        if kind == "mpi" and not (_have("mpi") and _mpiexec()):
            continue
        if kind == "oshmem" and not (_have("oshmem") and shutil.which("oshrun")):
            continue
        d = tmp_path_factory.mktemp(kind)
        out[kind] = (*_build_cli(kind, d), d)
    return out


@pytest.fixture(scope="module")
def programs(builds):
    """variant -> {kernel: executable}; the variants whose tools are missing
    are absent (their tests skip).  c-shmem runs what CMake built, as the
    runner does, and build.py's programs where the bench is not built."""
    out = {}
    for kind, variant in (("shmem", "c-shmem"), ("mpi", "c-mpi"), ("oshmem", "c-oshmem")):
        if kind not in builds:
            continue
        rc, stdout, stderr, d = builds[kind]
        assert rc == 0, f"build.py {kind} failed:\n{stdout}{stderr}"
        suffix = "mpi" if kind == "mpi" else "shmem"
        out[variant] = {k: str(d / f"{k}_{suffix}") for k in kbuild.KERNELS}
    cmake = _cmake_kernels()
    if cmake:
        out["c-shmem"] = cmake
    return out


@pytest.mark.parametrize("kind", kbuild.KINDS)
def test_builds_without_warnings(builds, kind):
    """Every kernel compiles at -Wall -Wextra with no warning."""
    if kind not in builds:
        pytest.skip(f"no compiler for {kind}")
    rc, stdout, stderr, _ = builds[kind]
    assert rc == 0, stderr
    assert stdout.count("built ") == len(kbuild.KERNELS), stdout
    assert stderr == "", f"warnings from build.py {kind}:\n{stderr}"


def test_cmake_built_kernels_are_current():
    """bench/CMakeLists.txt builds every c-shmem kernel, none stale."""
    if _cmake_kernels() is None:
        pytest.skip("benchmarks not built (SHMEM_BUILD_BENCH=OFF)")


def launch(variant, exe, args, npes):
    """Run one kernel as the runner would; a hang fails the test."""
    if variant == "c-shmem":
        return run_job([exe, *args], npes, timeout=TIMEOUT)
    if variant == "c-mpi":
        cmd = [_mpiexec(), "-n", str(npes), exe, *args]
        env = dict(os.environ)
    else:
        cmd = ["oshrun", "--oversubscribe", "-n", str(npes), exe, *args]
        env = dict(os.environ, **OSHMEM_ENV)
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{' '.join(cmd)} hung: no result within {TIMEOUT} s\n"
                    f"stdout: {e.stdout}\nstderr: {e.stderr}")


def result_of(r):
    """The RESULT line's fields; it must be the only one and the last line."""
    lines = r.stdout.strip().splitlines()
    results = [line for line in lines if line.startswith("RESULT ")]
    assert len(results) == 1, f"expected one RESULT line:\n{r.stdout}\n{r.stderr}"
    assert lines[-1] == results[0], f"RESULT is not the last line:\n{r.stdout}"
    m = RESULT_RE.match(results[0])
    assert m, f"malformed RESULT line: {results[0]!r}"
    return m.groupdict()


def expected_rate(kernel, args, npes, time_s):
    """The rate the PRK print for `time_s` seconds per iteration (for random,
    for the whole run): the work of one iteration over the time."""
    a = [int(x) for x in args if x.lstrip("-").isdigit()]
    if kernel == "nstream":  # a, b and c read, a written: 4 words per element
        return 1e-6 * 4 * 8 * a[1] * npes / time_s
    if kernel == "stencil":  # 2 flops per stencil point and 1 for the update
        n, r = a[1], (a[2] if len(a) > 2 else 2)
        return 1e-6 * (2 * (4 * r + 1) + 1) * (n - 2 * r) ** 2 / time_s
    if kernel == "synch_p2p":
        return 1e-6 * 2 * (a[1] - 1) * (a[2] - 1) / time_s
    if kernel == "transpose":  # the matrix read and written
        return 1e-6 * 2 * 8 * a[1] ** 2 / time_s
    if kernel == "random":
        return 1e-9 * a[1] * npes / time_s
    assert kernel == "reduce"
    return 1e-6 * 8 * a[1] * npes / time_s


def check_valid_run(r, variant, kernel, args, npes, unit, wall):
    """A run that validated: its RESULT line names it, its rate is the
    PRK's work over its time, and its timed part fits in its wall time."""
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    f = result_of(r)
    assert (f["kernel"], f["variant"], int(f["npes"]), f["unit"], f["args"]) == \
        (kernel, variant, npes, unit, ",".join(args)), f
    assert f["valid"] == "1", r.stdout
    rate, time_s = float(f["rate"]), float(f["time_s"])
    assert math.isfinite(rate) and rate > 0, f
    assert math.isfinite(time_s) and time_s > 0, f
    # The timed part lies within the run, and the rate is the work over it.
    timed = time_s * (1 if kernel == "random" else int(args[0]))
    assert timed < wall, (f, wall)
    assert rate == pytest.approx(expected_rate(kernel, args, npes, time_s), rel=1e-6), f
    assert "Solution validates" in r.stdout
    human = re.search(r"^Rate \((\S+)\): (\S+) Avg time \(s\): (\S+)$", r.stdout, re.M)
    assert human and human[1] == unit, r.stdout
    assert float(human[2]) == pytest.approx(rate, rel=1e-5, abs=1e-6), r.stdout  # %lf


def _variant_programs(programs, variant):
    if variant not in programs:
        pytest.skip({"c-mpi": "no mpicc/mpiexec (pip install mpich)",
                     "c-oshmem": "Open MPI's OSHMEM (oshcc, oshrun) is not installed"}[variant])
    return programs[variant]


@pytest.mark.parametrize("npes", PE_COUNTS)
@pytest.mark.parametrize("kernel,args,unit", CASES, ids=CASE_IDS)
@pytest.mark.parametrize("variant", ["c-shmem", "c-mpi", "c-oshmem"])
def test_kernel_validates(programs, variant, kernel, args, unit, npes):
    exe = _variant_programs(programs, variant)[kernel]
    start = time.monotonic()
    r = launch(variant, exe, args, npes)
    check_valid_run(r, variant, kernel, args, npes, unit, time.monotonic() - start)


@pytest.mark.parametrize("kernel,args,npes,message", UNSUPPORTED,
                         ids=[f"{k} {' '.join(a)} at {n}" for k, a, n, _ in UNSUPPORTED])
@pytest.mark.parametrize("variant", ["c-shmem", "c-mpi", "c-oshmem"])
def test_unsupported_pe_count_exits_2(programs, variant, kernel, args, npes, message):
    exe = _variant_programs(programs, variant)[kernel]
    r = launch(variant, exe, args, npes)
    assert r.returncode == 2, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    assert f"{kernel}: " in r.stderr and message in r.stderr, r.stderr
    assert "RESULT" not in r.stdout


@pytest.mark.parametrize("variant", ["c-shmem", "c-mpi"])
@pytest.mark.parametrize("argv,message", [
    (["reduce", "10"], "usage: reduce <iterations> <vector length> (got 1 arguments)"),
    (["nstream", "0", "100"], "argument 1 (iterations) must be in [1,"),
    (["stencil", "2", "x"], "argument 2 (grid order n) must be an integer, got 'x'"),
    (["transpose", "2", "96", "gather"], "argument 3 (variant) must be one of alltoall|put"),
    (["random", "0", "10"], "argument 1 (log2 table size per PE) must be in [1, 40]"),
])
def test_bad_arguments_exit_2(programs, variant, argv, message):
    exe = _variant_programs(programs, variant)[argv[0]]
    r = launch(variant, exe, argv[1:], 2)
    assert r.returncode == 2, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    assert message in r.stderr, r.stderr
    assert r.stderr.count(message) == 1, "said once, by PE 0 only:\n" + r.stderr


# One line of each source changed so that the result is wrong; the
# kernel's own validation must say valid=0 and exit 1.  The change must
# match exactly once, so that an edit of the source shows here.
BREAKAGES = [
    ("nstream", ["3", "1000"],
     "a[j] += b[j] + scalar * c[j];", "a[j] += b[j] + scalar * c[j] + (j == 7);"),
    ("stencil", ["3", "40"],  # a halo that never arrives in the ghost cells
     "      prk_unpack(&t, in, s, slot + s * t.strip_max);",
     "      if (s != PRK_UP) prk_unpack(&t, in, s, slot + s * t.strip_max);"),
    ("synch_p2p", ["3", "20", "20"],  # the corner no longer chains the sweeps
     "        A(0, 0) = inbox[0];", "        A(0, 0) = 0.0;"),
    ("transpose", ["3", "16"],  # the blocks from the wrong PE
     "add_transposed(bo, b + k * block, t + k * block);",
     "add_transposed(bo, b + k * block, t + ((k + 1) % npes) * block);"),
    ("transpose", ["3", "16", "put"],
     "shmem_putmem(t + me * block, work,", "shmem_putmem(t + to * block, work,"),
    ("random", ["8", "1000"],  # one update lost
     "for (long k = 0; k < updates; ++k) {", "for (long k = 1; k < updates; ++k) {"),
    ("reduce", ["3", "100"],  # one PE's contribution of one element lost
     "vec[i] = sum[i] * scale + addend[i];",
     "vec[i] = sum[i] * scale + (i == 5 && me == 1 ? 0.0 : addend[i]);"),
]


@pytest.mark.parametrize("kernel,args,old,new", BREAKAGES,
                         ids=[" ".join([b[0], *b[1]]) for b in BREAKAGES])
def test_broken_kernel_does_not_validate(tmp_path, kernel, args, old, new):
    source = (KDIR / f"{kernel}_shmem.c").read_text()
    assert source.count(old) == 1, f"{kernel}_shmem.c changed: {old!r} not found once"
    broken = tmp_path / f"{kernel}_shmem.c"
    broken.write_text(source.replace(old, new))
    exe = tmp_path / f"{kernel}_broken"
    cc = kbuild.find_compiler("shmem")
    c = subprocess.run([cc, "-O2", "-I", str(KDIR), "-o", str(exe), str(broken), "-lm"],
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert c.returncode == 0, c.stderr
    r = run_job([exe, *args], 2, timeout=TIMEOUT)
    assert r.returncode == 1, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    f = result_of(r)
    assert f["valid"] == "0" and f["npes"] == "2", f
    assert "Solution validates" not in r.stdout


def test_build_py_command_line(tmp_path):
    """build.py prints what it built, rebuilds only what is out of date, and
    refuses an unknown kernel with exit 2."""
    cmd = [sys.executable, str(KDIR / "build.py"), "shmem", str(tmp_path), "nstream", "reduce"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("built ") == 2 and (tmp_path / "nstream_shmem").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nstream_shmem", "reduce_shmem"]
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    assert again.returncode == 0 and again.stdout.count("up to date") == 2, again.stdout
    bad = subprocess.run([*cmd[:4], "gemm"], capture_output=True, text=True, timeout=TIMEOUT)
    assert bad.returncode == 2 and "unknown kernel(s) gemm" in bad.stderr, bad.stderr
