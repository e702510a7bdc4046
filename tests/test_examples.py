"""Runs every Python example (examples/*.py) under shmemrun with 1, 2, 3 and
4 PEs.  The examples check their own results and exit non-zero when wrong."""
import sys

import pytest

from jobs import PE_COUNTS, ROOT, run_job

EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.py"))
# What each example prints (once, or once per PE).
EXPECT = {
    "hello.py": lambda npes: [f"Hello from PE {i} of {npes}" for i in range(npes)],
    "ring.py": lambda npes: [f"PE {i}: got" for i in range(npes)],
    "broadcast.py": lambda npes: [f"PE {i}:" for i in range(npes)],
    "collect.py": lambda npes: [f"PE {i}: collect" for i in range(npes)],
    "alltoall.py": lambda npes: [f"PE {i}:" for i in range(npes)],
    "lock.py": lambda npes: [f"counter = {50 * npes}"],
    "teams.py": lambda npes: [f"PE {i}: team of {('even', 'odd')[i % 2]} PEs, rank {i // 2}"
                              for i in range(npes)],
    "signal.py": lambda npes: [f"PE 0: the message went round {npes} PEs"],
    "deferred_init.py": lambda npes: [f"PE {i}: table {[10 * p for p in range(npes)]}"
                                      for i in range(npes)],
    "pi.py": lambda npes: [f"pi ~ 3.14159265"],
    "race_winner.py": lambda npes: ["won"],
}
NEEDS_COLLECTIVES = {"broadcast.py", "collect.py", "alltoall.py", "pi.py", "teams.py"}


def collectives_available():
    from shmem4py import _shmem
    return _shmem.has("collectives") and _shmem.has("reductions")


def test_every_example_is_checked():
    assert set(EXAMPLES) == set(EXPECT), "add the new example to EXPECT"


@pytest.mark.parametrize("npes", PE_COUNTS)
@pytest.mark.parametrize("example", EXAMPLES)
def test_example(example, npes, no_leaked_segments):
    if example in NEEDS_COLLECTIVES and not collectives_available():
        pytest.skip("the OpenSHMEM library lacks the team collectives this example uses")
    r = run_job([sys.executable, ROOT / "examples" / example], npes)
    out = f"stdout:\n{r.stdout[-4000:]}\nstderr:\n{r.stderr[-4000:]}"
    assert r.returncode == 0, f"{example} with {npes} PEs exited {r.returncode}\n{out}"
    for line in EXPECT[example](npes):
        assert line in r.stdout, f"{example}: {line!r} missing\n{out}"
