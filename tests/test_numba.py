"""shmem4py's API inside @numba.njit (shmem4py._numba): the SPMD tests of
tests/python/spmd_numba at 1-4 PEs, and in fresh processes the two ways the
overloads get registered and a cache=True function loaded from Numba's cache."""
import re
import sys
import textwrap

import pytest

from jobs import PE_COUNTS, ROOT, check_spmd_suite, run_job

pytest.importorskip("numba")

SPMD = ROOT / "tests" / "python" / "spmd_numba"
# Compiling the @njit functions takes each PE a while; 4 PEs share 2 cores.
TIMEOUT = 600


@pytest.mark.parametrize("npes", PE_COUNTS)
def test_njit_spmd(npes, numba_cache, no_leaked_segments):
    r = run_job([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--capture=sys", str(SPMD)], npes, timeout=TIMEOUT,
                env={"SHMEMRUN_PREFIX": "1", **numba_cache})
    check_spmd_suite(r, npes, f"(njit) with {npes} PEs", at_least=15)


@pytest.mark.parametrize("mode", ["1", "amo"])
def test_njit_spmd_routed(mode, numba_cache, no_leaked_segments):
    """The njit SPMD tests with the other PEs routed through libshmem's
    transport interface (all of it, or only the AMOs): compiled code leaves
    exactly those PEs to the library, and every result is the same."""
    r = run_job([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--capture=sys", str(SPMD)], 3, timeout=TIMEOUT,
                env={"SHMEMRUN_PREFIX": "1", "SHMEMI_NETWORK_LOOPBACK": mode, **numba_cache})
    report = f"stdout:\n{r.stdout[-12000:]}\nstderr:\n{r.stderr[-4000:]}"
    assert r.returncode == 0, f"the routed ({mode}) njit SPMD tests failed\n{report}"
    assert len(re.findall(r"\[PE \d+\] \d+ passed", r.stdout)) == 3, report


def test_fast_path_layout_matches_shmem_h():
    """_numba._fast reads libshmem's published struct in the layout that
    include/shmem.h declares: the same version, field order and flags."""
    from shmem4py._numba import _fast
    header = (ROOT / "include" / "shmem.h").read_text()
    define = dict(re.findall(r"#define (SHMEMI_\w+) (\d+)", header))
    assert int(define["SHMEMI_FASTPATH_VERSION"]) == _fast._VERSION
    assert f'__asm__("{_fast._SYMBOL}")' in header
    assert int(define["SHMEMI_REACH_LOAD_STORE"]) == _fast.REACH_LOAD_STORE
    assert int(define["SHMEMI_REACH_AMO"]) == _fast.REACH_AMO
    body = re.search(r"typedef struct shmemi_fastpath \{(.*?)\} shmemi_fastpath_t;", header,
                     re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    fields = re.findall(r"(\w+);", body)
    assert tuple(fields) == _fast._FIELDS, fields


SCRIPT = textwrap.dedent("""
    import sys
    import numpy as np
    if sys.argv[1] == "numba-first":
        # Numba compiles (and runs its entry points) before shmem4py.shmem exists
        from numba import njit
        njit(lambda x: x + 1)(1)
    from shmem4py import shmem
    from numba import njit

    @njit(cache=True)
    def ring(target, source, pe):
        shmem.put(target, source, pe)
        shmem.barrier_all()
        return shmem.atomic_fetch_add(target[:1], 1, 0)

    me, npes = shmem.my_pe(), shmem.n_pes()
    t = shmem.zeros(3, dtype=np.int64)
    ring(t, np.full(3, me + 1, dtype=np.int64), (me + 1) % npes)
    shmem.barrier_all()
    ok = t[1] == (me - 1) % npes + 1
    print("RESULT", me, int(ok), sum(ring.stats.cache_hits.values()),
          sum(ring.stats.cache_misses.values()))
""")


@pytest.mark.parametrize("order", ["shmem-first", "numba-first"])
def test_cache_in_fresh_processes(order, tmp_path, no_leaked_segments):
    script = tmp_path / "ring_cached.py"
    script.write_text(SCRIPT)
    env = {"NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    runs = []
    for _ in range(2):
        r = run_job([sys.executable, str(script), order], 2, timeout=TIMEOUT, env=env)
        assert r.returncode == 0, f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}"
        runs.append(sorted(re.findall(r"RESULT (\d) (\d) (\d+) (\d+)", r.stdout)))
    first, second = runs
    assert [ok for _, ok, _, _ in first + second] == ["1"] * 4, runs
    # the second job loads the compiled function from the cache, compiling nothing
    assert all(hits != "0" and misses == "0" for _, _, hits, misses in second), runs


def test_entry_point_installed():
    from importlib.metadata import entry_points
    eps = entry_points(group="numba_extensions")
    assert any(ep.value == "shmem4py._numba:_init" for ep in eps)


# The bench kernels with their whole time step in njit (bench/kernels/py/*_njit.py):
# they run at every PE count, validate and print the RESULT line of bench/.
KERNELS = ROOT / "bench" / "kernels" / "py"
RESULT = re.compile(r"^RESULT kernel=(\S+) variant=(\S+) npes=(\d+) valid=([01]) rate=(\S+) "
                    r"unit=(\S+) time_s=(\S+) args=(\S+)$")


@pytest.mark.parametrize("npes", PE_COUNTS)
@pytest.mark.parametrize("kernel, args", [("synch_p2p", ["4", "60", "40"]),
                                          ("stencil", ["4", "40", "2"])])
def test_njit_kernels(kernel, args, npes, numba_cache, no_leaked_segments):
    r = run_job([sys.executable, str(KERNELS / f"{kernel}_njit.py"), *args], npes,
                timeout=TIMEOUT, env=numba_cache)
    report = f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}"
    assert r.returncode == 0, report
    lines = r.stdout.strip().splitlines()
    assert "Solution validates" in lines, report
    m = RESULT.match(lines[-1])
    assert m, report
    name, variant, n, valid, rate, unit, time_s, argl = m.groups()
    assert (name, variant, int(n), valid, unit, argl) == (
        kernel, "njit-shmem", npes, "1", "MFlops/s", ",".join(args)), report
    assert float(rate) > 0 and float(time_s) > 0, report
    assert sum(line.startswith("RESULT ") for line in lines) == 1, report


def test_njit_kernel_refuses_pe_count(numba_cache):
    # m must exceed the PE count: a usage error, exit status 2, no RESULT
    r = run_job([sys.executable, str(KERNELS / "synch_p2p_njit.py"), "2", "3", "10"], 3,
                timeout=TIMEOUT, env=numba_cache)
    assert r.returncode == 2, f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}"
    assert "must exceed the PE count 3" in r.stderr and "RESULT" not in r.stdout


def test_pingpong_njit_runs(numba_cache):
    r = run_job([sys.executable, str(ROOT / "bench" / "pingpong_njit.py"), "64", "3"], 2,
                timeout=TIMEOUT, env=numba_cache)
    assert r.returncode == 0, f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}"
    rows = [line.split() for line in r.stdout.splitlines() if line[:1] == " "]
    rows = [row for row in rows if row[0].isdigit()]
    assert [int(row[0]) for row in rows] == [8, 16, 32, 64], r.stdout
    assert all(float(row[1]) > 0 for row in rows), r.stdout
