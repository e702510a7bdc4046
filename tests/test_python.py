"""Runs the SPMD tests of tests/python/spmd inside every PE of a job, under
shmemrun with 1, 2, 3 and 4 PEs.  Every PE runs pytest on the same files; the
job passes when every PE's pytest passes."""
import re
import sys

import pytest

from jobs import PE_COUNTS, ROOT, check_spmd_suite, run_job

SPMD = ROOT / "tests" / "python" / "spmd"


@pytest.mark.parametrize("npes", PE_COUNTS)
def test_spmd_suite(npes, no_leaked_segments):
    # --capture=sys leaves file descriptor 2 alone, so that a message the C
    # runtime prints before it ends the job is not lost in pytest's capture.
    r = run_job([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--capture=sys", str(SPMD)], npes, env={"SHMEMRUN_PREFIX": "1"})
    check_spmd_suite(r, npes, f"with {npes} PEs")


def test_spmd_suite_under_python_O(no_leaked_segments):
    # The argument checks are no asserts: the suite passes with them stripped.
    r = run_job([sys.executable, "-O", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--capture=sys", "-W", "ignore::pytest.PytestConfigWarning", str(SPMD)], 2,
                env={"SHMEMRUN_PREFIX": "1"})
    report = f"stdout:\n{r.stdout[-12000:]}\nstderr:\n{r.stderr[-4000:]}"
    assert r.returncode == 0, f"the SPMD tests failed under python -O\n{report}"
    assert sorted(int(pe) for pe in re.findall(r"\[PE (\d+)\] \d+ passed", r.stdout)) == [0, 1]
