"""Runs every program of the user-style corpus (tests/python/corpus/*.py)
under shmemrun with 1, 2, 3 and 4 PEs.

The programs are written against the published shmem4py API (high-level
`shmem`, low-level `shmem4py.api`, or both) the way its users write them,
and check their own results: each asserts values it computes independently
and prints one "<program>: PE <i> of <n> OK" line per PE.  A program that
fails exits non-zero (an uncaught exception in a PE ends the job).
"""
import sys

import pytest

from jobs import PE_COUNTS, ROOT, run_job

CORPUS = ROOT / "tests" / "python" / "corpus"
PROGRAMS = sorted(p.name for p in CORPUS.glob("*.py"))


def test_corpus_is_not_empty():
    assert len(PROGRAMS) >= 8, PROGRAMS


@pytest.mark.parametrize("npes", PE_COUNTS)
@pytest.mark.parametrize("program", PROGRAMS)
def test_corpus_program(program, npes, no_leaked_segments):
    r = run_job([sys.executable, CORPUS / program], npes)
    out = f"stdout:\n{r.stdout[-4000:]}\nstderr:\n{r.stderr[-4000:]}"
    assert r.returncode == 0, f"{program} with {npes} PEs exited {r.returncode}\n{out}"
    name = program[:-len(".py")]
    for pe in range(npes):
        line = f"{name}: PE {pe} of {npes} OK"
        assert line in r.stdout, f"{program}: {line!r} missing\n{out}"
    # One OK line per PE, no more: a PE that ran the program twice is a bug too.
    assert r.stdout.count(f"{name}: PE ") == npes, out
