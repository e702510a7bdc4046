"""Misuse of teams, contexts and collectives ends the job: every program in
tests/c/misuse/misuse_coll_*.c, run with a mode, must exit non-zero quickly
(no hang), name the routine and say what is wrong on stderr, and leave
nothing in /dev/shm."""
import re
import sys
import time

import pytest

from jobs import c_test_program, run_job

CASES = [
    # program, mode, PEs, routine, message
    ("team", "invalid", 2, "shmem_long_broadcast", "SHMEM_TEAM_INVALID"),
    ("team", "destroyed", 2, "shmem_team_sync", "the team was destroyed"),
    ("team", "destroyed_query", 2, "shmem_team_n_pes", "the team was destroyed"),
    ("team", "root", 2, "shmem_long_broadcast", "PE_root 2 is not a member"),
    ("team", "destroy_world", 1, "shmem_team_destroy", "cannot be destroyed"),
    ("team", "destroy_twice", 2, "shmem_team_destroy", "already destroyed"),
    ("team", "reduce_invalid", 3, "shmem_long_sum_reduce", "SHMEM_TEAM_INVALID"),
    ("team", "scan_invalid", 2, "shmem_long_sum_inscan", "SHMEM_TEAM_INVALID"),
    ("team", "scan_destroyed", 3, "shmem_long_sum_exscan", "the team was destroyed"),
    ("team", "scan_overlap", 2, "shmem_long_sum_inscan", "overlap"),
    ("ctx", "destroy_default", 1, "shmem_ctx_destroy", "SHMEM_CTX_DEFAULT cannot be destroyed"),
    ("ctx", "use_destroyed", 2, "shmem_ctx_long_p", "destroyed"),
    ("ctx", "destroy_twice", 1, "shmem_ctx_destroy", "already destroyed"),
    ("ctx", "team_pe_range", 2, "shmem_ctx_long_atomic_add", "out of range"),
    # Undefined in OpenSHMEM 1.5, so diagnosed: RMA, AMO and signals on
    # SHMEM_CTX_INVALID, fence/quiet on a destroyed (not an invalid) context,
    # team collectives on SHMEM_TEAM_INVALID, a destroyed team anywhere.
    ("ctx", "put_invalid", 1, "shmem_ctx_long_put", "ctx is SHMEM_CTX_INVALID"),
    ("ctx", "put_invalid", 2, "shmem_ctx_long_put", "ctx is SHMEM_CTX_INVALID"),
    ("ctx", "amo_invalid", 2, "shmem_ctx_long_atomic_fetch_add", "ctx is SHMEM_CTX_INVALID"),
    ("ctx", "signal_invalid", 2, "shmem_ctx_putmem_signal", "ctx is SHMEM_CTX_INVALID"),
    ("ctx", "nonmember_put", 2, "shmem_ctx_long_p", "PE 1: shmem_ctx_long_p: ctx is SHMEM_CTX_INVALID"),
    ("ctx", "quiet_destroyed", 1, "shmem_ctx_quiet", "the context was destroyed"),
    ("ctx", "fence_team_destroyed", 2, "shmem_ctx_fence", "the context was destroyed"),
    ("team", "sync_invalid", 2, "shmem_team_sync", "SHMEM_TEAM_INVALID"),
    ("team", "ptr_destroyed", 2, "shmem_team_ptr", "the team was destroyed"),
    ("team", "split_destroyed", 2, "shmem_team_split_strided", "the team was destroyed"),
    ("overlap", "broadcast", 2, "shmem_long_broadcast", "overlap"),
    ("overlap", "collect", 2, "shmem_long_collect", "overlap"),
    ("overlap", "fcollect", 2, "shmem_long_fcollect", "overlap"),
    ("overlap", "alltoall", 2, "shmem_long_alltoall", "overlap"),
    ("overlap", "reduce_partial", 2, "shmem_long_sum_reduce", "overlap"),
    ("overlap", "to_all_partial", 2, "shmem_long_max_to_all", "overlap"),
    ("bounds", "fcollect", 2, "shmem_long_fcollect", "run past the end"),
    ("bounds", "reduce", 2, "shmem_long_sum_reduce", "run past the end"),
    ("bounds", "alltoall", 2, "shmem_long_alltoall", "run past the end"),
    ("bounds", "broadcast_local", 2, "shmem_long_broadcast", "is not symmetric"),
    ("bounds", "alltoalls_stride", 2, "shmem_long_alltoalls", "must be at least 1"),
    ("psync", "uninit", 2, "shmem_barrier",
     "pSync is not initialized to SHMEM_SYNC_VALUE"),
    ("psync", "uninit_after_use", 2, "shmem_fcollect64",
     "pSync is not initialized to SHMEM_SYNC_VALUE"),
    ("psync", "not_member", 2, "shmem_broadcast64", "is not in the active set"),
    ("psync", "past_end", 3, "shmem_collect32", "the job has 3 PEs"),
    ("psync", "local", 2, "shmem_sync", "is not a symmetric array"),
    ("psync", "root", 2, "shmem_broadcast32", "PE_root 2 is not a member"),
]


@pytest.mark.parametrize("program,mode,npes,routine,message", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}pe" for c in CASES])
def test_collective_misuse_is_diagnosed(program, mode, npes, routine, message,
                                        no_leaked_segments):
    exe = c_test_program(f"misuse_coll_{program}")
    t0 = time.monotonic()
    r = run_job([exe, mode], npes, timeout=60)
    elapsed = time.monotonic() - t0
    assert r.returncode != 0, f"{program} {mode} exited 0\nstderr:\n{r.stderr}"
    assert "unknown mode" not in r.stderr, r.stderr
    assert f"{routine}:" in r.stderr, f"routine {routine} not named:\n{r.stderr}"
    assert message in r.stderr, f"message {message!r} missing:\n{r.stderr}"
    assert elapsed < 20, f"the job took {elapsed:.1f} s to end"


# PEs in different collectives (tests/c/misuse/misuse_coll_mismatch.c: PE 0
# makes the first call, every other PE the second).  The job must end at
# once, the message must name the team, both calls and both PEs, and no PE
# may get past its call.
MISMATCHES = [
    # mode, team named, PE 0's routine, the other PEs' routine
    ("reduce_barrier", "SHMEM_TEAM_WORLD", "shmem_int_sum_reduce", "shmem_barrier_all"),
    ("broadcast_fcollect_team", "the team of {n} PEs", "shmem_long_broadcast",
     "shmem_long_fcollect"),
    ("alltoall_collect_shared", "SHMEM_TEAM_SHARED", "shmem_long_alltoall",
     "shmem_long_collect"),
    ("split_barrier", "SHMEM_TEAM_WORLD", "shmem_team_split_strided", "shmem_barrier_all"),
    ("malloc_sync", "SHMEM_TEAM_WORLD", "shmem_malloc", "shmem_sync_all"),
    ("destroy_sync", "the team of {n} PEs", "shmem_team_destroy", "shmem_team_sync"),
    # At 2 PEs the active set spans the job (the world team's words); from
    # 3 PEs on it is PEs 0 .. n-2, synchronizing through pSync.
    ("active_set", None, "shmem_broadcast64", "shmem_long_sum_to_all"),
]


def check_mismatch_report(r, elapsed, npes, team, first, other):
    assert r.returncode != 0, f"exited 0\nstderr:\n{r.stderr}"
    assert "mismatch not detected" not in r.stderr, r.stderr
    if team is None:
        team = ("SHMEM_TEAM_WORLD" if npes == 2 else
                rf"the active set \(PE_start 0, logPE_stride 0, PE_size {npes - 1}\)"
                r" with pSync 0x[0-9a-f]+")
    else:
        team = re.escape(team.format(n=npes))
    pattern = (rf"shmem: PE (\d+): ({first}|{other}): collective mismatch on {team}"
               rf"[^:]*?(?: \(call #\d+\))?: PE 0 is in {first}, PE (\d+) is in {other};")
    found = re.findall(pattern, r.stderr)
    assert found, f"no message matching {pattern!r}:\n{r.stderr}"
    for reporter, routine, pe in found:
        # The reporter names its own call; the other PE is a real PE that
        # made the other call.
        assert routine == (first if reporter == "0" else other), r.stderr
        assert 1 <= int(pe) < npes and reporter in ("0", pe), r.stderr
    assert re.search(r"shmemrun: PE \d+ aborted", r.stderr), r.stderr
    assert elapsed < 10, f"the job took {elapsed:.1f} s to end"


@pytest.mark.parametrize("npes", [2, 3, 4])
@pytest.mark.parametrize("mode,team,first,other", MISMATCHES, ids=[m[0] for m in MISMATCHES])
def test_collective_mismatch_is_diagnosed(mode, team, first, other, npes,
                                          no_leaked_segments):
    t0 = time.monotonic()
    r = run_job([c_test_program("misuse_coll_mismatch"), mode], npes, timeout=60)
    check_mismatch_report(r, time.monotonic() - t0, npes, team, first, other)


# The extension reduces dtype 'i' with shmem_int32_sum_reduce.
PY_MISMATCH = """
import numpy as np
from shmem4py import shmem
src = shmem.array(np.arange(4, dtype='i') + shmem.my_pe())
dst = shmem.zeros(4, dtype='i')
shmem.barrier_all()
if shmem.my_pe() == 0:
    shmem.sum_reduce(dst, src)
else:
    shmem.barrier_all()
print("mismatch not detected", flush=True)
"""


@pytest.mark.parametrize("npes", [2, 3, 4])
def test_python_collective_mismatch_is_diagnosed(npes, tmp_path, no_leaked_segments):
    script = tmp_path / "mismatch.py"
    script.write_text(PY_MISMATCH)
    t0 = time.monotonic()
    r = run_job([sys.executable, script], npes, timeout=60)
    assert "mismatch not detected" not in r.stdout, r.stdout + r.stderr
    check_mismatch_report(r, time.monotonic() - t0, npes, "SHMEM_TEAM_WORLD",
                          "shmem_int32_sum_reduce", "shmem_barrier_all")
