"""The Python kernels of bench/kernels/py (issue #17): every kernel, on
shmem4py (under shmemrun) and on mpi4py (under mpiexec, where mpi4py is
importable), with NumPy or with --numba (where numba is importable), at
1-4 PEs and quick sizes, validates its result and ends with the one RESULT
line of the bench contract; a PE count or an argument it cannot use ends
it with status 2 and a message saying why.  Never a test of speed."""
import importlib.util
import os
import pathlib
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest

from jobs import JOB_TIMEOUT, PE_COUNTS, ROOT, run_job

KERNELS_DIR = ROOT / "bench" / "kernels" / "py"
# The kernel "random" is random_access.py: a random.py would stand in for the
# standard library's random module in every script of the folder.
PY_FILE = {"random": "random_access.py"}
HAVE_MPI4PY = importlib.util.find_spec("mpi4py") is not None
HAVE_NUMBA = importlib.util.find_spec("numba") is not None

# Quick sizes: each run well under a second of work, sizes that divide
# unevenly among 3 PEs where the kernel allows it, and large enough that
# the NumPy forms work on several blocks (nstream's BLOCK, stencil's
# BLOCK_WORDS).
QUICK = {
    "nstream": ["4", "70001"],
    "stencil": ["3", "401"],
    "synch_p2p": ["3", "37", "29"],
    "transpose": ["3", "96"],
    "transpose-put": ["3", "96", "put"],
    "random": ["10", "2500"],
    "reduce": ["3", "1001"],
}
UNITS = {"nstream": "MB/s", "stencil": "MFlops/s", "synch_p2p": "MFlops/s",
         "transpose": "MB/s", "random": "GUP/s", "reduce": "MB/s"}


def mpiexec_path():
    """The mpiexec beside the interpreter (the mpich wheel's), else the PATH's."""
    exe = pathlib.Path(sys.executable).parent / "mpiexec"
    return str(exe) if exe.exists() else shutil.which("mpiexec")


def run_kernel(kernel, comm, npes, args, numba=False, timeout=JOB_TIMEOUT):
    """Runs bench/kernels/py/KERNEL.py as the runner does; returns the
    CompletedProcess.  A hang fails the test."""
    argv = [sys.executable, str(KERNELS_DIR / PY_FILE.get(kernel, f"{kernel}.py")), "--comm", comm,
            *(["--numba"] if numba else []), *args]
    if comm == "shmem":
        return run_job(argv, npes, timeout=timeout)
    mpiexec = mpiexec_path()
    if not mpiexec:
        pytest.skip("no mpiexec (pip install mpich)")
    cmd = [mpiexec, "-n", str(npes), *argv]
    # A session of its own, so that a hung job is ended with all its ranks.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"job {' '.join(cmd)} hung: no result within {timeout} s\n"
                    f"stdout: {out}\nstderr: {err}")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def result_fields(stdout):
    """The fields of the RESULT line, which must be the last line."""
    lines = stdout.strip().splitlines()
    assert lines and lines[-1].startswith("RESULT "), stdout
    assert sum(line.startswith("RESULT ") for line in lines) == 1, stdout
    return dict(kv.split("=", 1) for kv in lines[-1].split()[1:])


def variants():
    """(comm, numba) pairs, each skipped where its library is missing."""
    out = []
    for comm in ("shmem", "mpi"):
        for numba in (False, True):
            marks = []
            if comm == "mpi" and not HAVE_MPI4PY:
                marks.append(pytest.mark.skip(reason="mpi4py is not installed"))
            if numba and not HAVE_NUMBA:
                marks.append(pytest.mark.skip(reason="numba is not installed"))
            name = ("numba-" if numba else "py-") + comm
            out.append(pytest.param(comm, numba, id=name, marks=marks))
    return out


def runs():
    """(comm, numba, npes): the NumPy shmem variant, whose communication is
    ours, at every PE count; the others (MPI's, and Numba's, which takes
    seconds to start each PE) at an even and an odd one."""
    out = []
    for v in variants():
        comm, numba = v.values
        for npes in (PE_COUNTS if (comm, numba) == ("shmem", False) else (2, 3)):
            out.append(pytest.param(comm, numba, npes, id=f"{v.id}-{npes}", marks=v.marks))
    return out


@pytest.mark.parametrize("comm,numba,npes", runs())
@pytest.mark.parametrize("case", list(QUICK))
def test_kernel_validates(case, comm, numba, npes):
    """The kernel runs, validates, and its RESULT line is last and says so."""
    kernel = case.split("-")[0]
    args = QUICK[case]
    r = run_kernel(kernel, comm, npes, args, numba=numba)
    assert r.returncode == 0, f"stdout: {r.stdout}\nstderr: {r.stderr}"
    f = result_fields(r.stdout)
    assert f["kernel"] == kernel
    assert f["variant"] == ("numba-" if numba else "py-") + comm
    assert f["npes"] == str(npes)
    assert f["valid"] == "1"
    assert float(f["rate"]) > 0 and float(f["time_s"]) > 0
    assert f["unit"] == UNITS[kernel]
    assert f["args"] == ",".join(args)
    assert "Solution validates" in r.stdout


@pytest.mark.parametrize("comm,numba", variants())
def test_random_across_stream_blocks(comm, numba):
    """More updates than one block of the generator (random.LANES * STEPS):
    the stream's state carried from block to block."""
    r = run_kernel("random", comm, 2, ["8", "70000"], numba=numba)
    assert r.returncode == 0, f"stdout: {r.stdout}\nstderr: {r.stderr}"
    assert result_fields(r.stdout)["valid"] == "1"


@pytest.mark.parametrize("kernel,npes,args,message", [
    ("transpose", 3, ["2", "100"], "the matrix order 100 must be a multiple of the PE count 3"),
    ("synch_p2p", 4, ["2", "4", "10"], "m = 4 must exceed the PE count 4"),
    ("stencil", 4, ["2", "6", "3"], "the radius 3 needs a grid of at least 7 points a side"),
    ("stencil", 3, ["2", "9", "4"], "3 PEs make 1 x 3 tiles, some thinner than the radius 4"),
])
def test_unusable_pe_count_exits_2(kernel, npes, args, message):
    """A PE count the decomposition cannot use: status 2, said once on stderr."""
    r = run_kernel(kernel, "shmem", npes, args)
    assert r.returncode == 2, f"stdout: {r.stdout}\nstderr: {r.stderr}"
    assert f"{kernel}: " in r.stderr and message in r.stderr, r.stderr
    assert "RESULT" not in r.stdout
    # Said once, by PE 0, not once per PE.
    assert r.stderr.count(message) == 1, r.stderr


@pytest.mark.skipif(not HAVE_MPI4PY, reason="mpi4py is not installed")
def test_unusable_pe_count_exits_2_mpi():
    """The same under mpiexec, where every rank exits on its own."""
    r = run_kernel("transpose", "mpi", 3, ["2", "100", "put"])
    assert r.returncode == 2, f"stdout: {r.stdout}\nstderr: {r.stderr}"
    assert "the matrix order 100 must be a multiple of the PE count 3" in r.stderr


@pytest.mark.parametrize("kernel,args,message", [
    ("nstream", ["0", "100"], "argument 1 (iterations) must be in [1, "),
    ("reduce", ["2", "x"], "argument 2 (vector length) must be an integer, got 'x'"),
    ("transpose", ["2", "64", "get"], "argument 3 (variant) must be one of alltoall|put, got 'get'"),
    ("random", ["10"], "usage: random <log2 table size per PE> <updates per PE> (got 1 arguments)"),
    ("synch_p2p", ["1", "10", "1"], "argument 3 (n) must be in [2, "),
])
def test_bad_argument_exits_2(kernel, args, message):
    """A bad positional argument: status 2, the message naming it, once."""
    r = run_kernel(kernel, "shmem", 2, args)
    assert r.returncode == 2, f"stdout: {r.stdout}\nstderr: {r.stderr}"
    assert r.stderr.count(f"{kernel}: {message}") == 1, r.stderr


def load_random_kernel():
    """bench/kernels/py/random_access.py as a module (named so as not to be the
    standard library's random), its numba functions not cached: a cache
    entry written from this module would name it, and the kernel run as a
    script could not load it."""
    sys.path.insert(0, str(KERNELS_DIR))
    try:
        spec = importlib.util.spec_from_file_location("bench_kernel_random",
                                                      KERNELS_DIR / "random_access.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        if str(KERNELS_DIR) in sys.path:
            sys.path.remove(str(KERNELS_DIR))
    njit = mod.njit
    mod.njit = lambda *args, **kwargs: njit(*args, **{**kwargs, "cache": False})
    return mod


def test_gups_stream_matches_the_scalar_generator():
    """The vectorised stream (lanes, powers of t) yields the same values in
    the same order as stepping the generator one value at a time, from any
    starting element, across block boundaries."""
    rk = load_random_kernel()
    x = 1
    steps = [x]
    for _ in range(3 * rk.LANES * rk.STEPS + 50):
        x = rk.gups_next(x)
        steps.append(x)
    # t^63 is the top bit; t^64 = t^2 + t + 1, the polynomial.
    assert steps[63] == 1 << 63 and steps[64] == 0x7 and steps[65] == 0xE
    for n in (0, 1, 63, 64, 65, 1000, 70000):
        assert rk.gups_start(n) == steps[n]
    for first, count in ((0, 5), (7, 300), (1000, rk.LANES * rk.STEPS + 17),
                         (3, 2 * rk.LANES * rk.STEPS + 1)):
        got = np.concatenate(list(rk.stream_numpy(first, count)))
        assert got.dtype == np.uint64 and got.shape == (count,)
        assert got.tolist() == steps[first + 1:first + 1 + count], (first, count)


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba is not installed")
def test_gups_stream_numba_matches_numpy():
    """The numba generator draws the same values as the NumPy one."""
    rk = load_random_kernel()
    stream = rk.make_stream_numba()
    # Past the first block, where the generator's state goes back to numba
    # (and the top bit has been set along the way).
    for first, count in ((0, 10), (12345, 2 * rk.LANES * rk.STEPS + 300)):
        a = np.concatenate([v.copy() for v in stream(first, count)])
        b = np.concatenate(list(rk.stream_numpy(first, count)))
        assert np.array_equal(a, b)


def test_gups_reference_counts_a_lost_update():
    """The validation of random_access.py is not blind: a table missing one update
    or with one update too many shows as an error."""
    rk = load_random_kernel()
    log2, updates, npes = 6, 500, 2
    tables = []
    for me in range(npes):
        t = np.uint64(me << log2) + np.arange(1 << log2, dtype=np.uint64)
        tables.append(t)
    for q in range(npes):
        for v in rk.stream_numpy(q * updates, updates):
            for val in v.tolist():
                pe = (val >> log2) % npes
                tables[pe][val & ((1 << log2) - 1)] ^= np.uint64(val)
    assert all(rk.reference_errors(tables[me], log2, updates, me, npes) == 0
               for me in range(npes))
    tables[1][5] ^= np.uint64(rk.gups_start(3))
    assert rk.reference_errors(tables[1], log2, updates, 1, npes) == 1
