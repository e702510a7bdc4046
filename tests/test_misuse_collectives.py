"""Misuse of teams, contexts and collectives ends the job: every program in
tests/c/misuse/misuse_coll_*.c, run with a mode, must exit non-zero quickly
(no hang), name the routine and say what is wrong on stderr, and leave
nothing in /dev/shm."""
import time

import pytest

from jobs import BUILD, run_job

CASES = [
    # program, mode, PEs, routine, message
    ("team", "invalid", 2, "shmem_long_broadcast", "SHMEM_TEAM_INVALID"),
    ("team", "destroyed", 2, "shmem_team_sync", "the team was destroyed"),
    ("team", "destroyed_query", 2, "shmem_team_n_pes", "the team was destroyed"),
    ("team", "root", 2, "shmem_long_broadcast", "PE_root 2 is not a member"),
    ("team", "destroy_world", 1, "shmem_team_destroy", "cannot be destroyed"),
    ("team", "destroy_twice", 2, "shmem_team_destroy", "already destroyed"),
    ("team", "reduce_invalid", 3, "shmem_long_sum_reduce", "SHMEM_TEAM_INVALID"),
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


def program_path(name):
    exe = f"misuse_coll_{name}"
    for candidate in (BUILD / "tests" / "c" / exe, BUILD / "tests" / "c" / "misuse" / exe):
        if candidate.exists():
            return candidate
    found = sorted((BUILD / "tests").rglob(exe))
    assert found, f"{exe} was not built (tests/c/misuse/{exe}.c)"
    return found[0]


@pytest.mark.parametrize("program,mode,npes,routine,message", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}pe" for c in CASES])
def test_collective_misuse_is_diagnosed(program, mode, npes, routine, message,
                                        no_leaked_segments):
    exe = program_path(program)
    t0 = time.monotonic()
    r = run_job([exe, mode], npes, timeout=60)
    elapsed = time.monotonic() - t0
    assert r.returncode != 0, f"{program} {mode} exited 0\nstderr:\n{r.stderr}"
    assert "unknown mode" not in r.stderr, r.stderr
    assert f"{routine}:" in r.stderr, f"routine {routine} not named:\n{r.stderr}"
    assert message in r.stderr, f"message {message!r} missing:\n{r.stderr}"
    assert elapsed < 20, f"the job took {elapsed:.1f} s to end"
