"""Helpers of the test suite: where the build is, how to run a job under
shmemrun, which segments are in /dev/shm.  (Not in conftest.py: a second
conftest.py in tests/python would shadow it for `import`.)"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("SHMEM_BUILD_DIR", ROOT / "build"))
PE_COUNTS = (1, 2, 3, 4)
JOB_TIMEOUT = int(os.environ.get("SHMEM_TEST_TIMEOUT", "120"))


def shmemrun_path():
    exe = BUILD / "shmemrun"
    if exe.exists():
        return str(exe)
    found = shutil.which("shmemrun")
    if not found:
        pytest.fail("shmemrun not found: build it first (bash scripts/setup.sh)")
    return found


def c_test_program(name):
    """The path of the C test program NAME (tests/c/**/NAME.c), built by
    scripts/setup.sh into build/tests; the test fails if it was not built."""
    for candidate in (BUILD / "tests" / "c" / name, BUILD / "tests" / "c" / "misuse" / name):
        if candidate.exists():
            return candidate
    found = sorted((BUILD / "tests").rglob(name))
    assert found, f"{name} was not built (tests/c/**/{name}.c)"
    return found[0]


def run_job(argv, npes, timeout=JOB_TIMEOUT, env=None, input=None):
    """Run argv as a job of npes PEs; a hang fails the test with a message."""
    cmd = [shmemrun_path(), "-n", str(npes), *map(str, argv)]
    full_env = dict(os.environ)
    full_env.update(env or {})
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=full_env, input=input)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"job {' '.join(cmd)} hung: no result within {timeout} s\n"
                    f"stdout: {e.stdout}\nstderr: {e.stderr}")


def shm_segments(tag=None):
    """The names of shmem4py segments in /dev/shm; with `tag`, only those of
    jobs started with SHMEM4PY_JOB_TAG=tag (their job id reads
    PID-START-PIDNS-TAG_RANDOM, see shmemrun --help)."""
    try:
        names = [p for p in os.listdir("/dev/shm") if p.startswith("shmem4py.")]
    except FileNotFoundError:
        return []
    if tag is not None:
        names = [p for p in names if f"-{tag}_" in p.split(".")[1]]
    return sorted(names)


def check_spmd_suite(r, npes, what, at_least=100, label=r"\[PE (\d+)\]"):
    """Asserts that a job that ran pytest inside every PE (r, its completed
    process) passed on each of its npes PEs, the same number of tests
    (at_least), each PE's summary line prefixed by `label` (shmemrun's
    SHMEMRUN_PREFIX; mpiexec -l prints "[rank]")."""
    report = f"stdout:\n{r.stdout[-12000:]}\nstderr:\n{r.stderr[-4000:]}"
    assert r.returncode == 0, f"the SPMD tests failed {what}\n{report}"
    passed = re.findall(label + r" (\d+) passed", r.stdout)
    assert sorted(int(pe) for pe, _ in passed) == list(range(npes)), report
    assert len({n for _, n in passed}) == 1 and int(passed[0][1]) >= at_least, report


# MPICH's files in /dev/shm, and the removal of those a killed job left:
# bench/run's own (bench/runner/common.py), which ends MPI jobs too.
sys.path.insert(0, str(ROOT / "bench"))
from runner.common import mpich_files as mpich_shm_files  # noqa: E402
from runner.common import remove_unmapped_mpich_files  # noqa: E402
