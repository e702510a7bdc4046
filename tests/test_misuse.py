"""Misuse of the core API ends the job with a diagnostic.

Each program in tests/c/misuse/ (built as misuse_<name>, see
tests/c/CMakeLists.txt) does one bad thing -- an out-of-range PE, a
non-symmetric or out-of-bounds address, a bad free, a call before
shmem_init or after shmem_finalize, PEs allocating out of step, an invalid
argument -- and must then:

* end with a non-zero exit status, promptly (no hang),
* say on stderr which routine was misused and what is wrong,
* leave nothing behind in /dev/shm.

A program that gets past its bad call prints "misuse not detected" and
exits 0, which fails the test with that message.
"""
import time

import pytest

from jobs import BUILD, run_job

TIMEOUT = 30      # seconds before run_job declares a hang
PROMPT = 20       # a diagnosed misuse must end the job well within this

# (program, argument, PE counts, routine named on stderr, message on stderr;
# a tuple: any one of them)
CASES = [
    ("put_out_of_range", None, (1, 2), "shmem_long_put", "out of range"),
    ("put_stack", None, (1, 2), "shmem_long_put", "not symmetric"),
    ("free_not_malloc", "libc", (1, 2), "shmem_free", "not in the symmetric heap"),
    ("free_not_malloc", "realloc_libc", (1, 2), "shmem_realloc", "not in the symmetric heap"),
    ("free_not_malloc", "interior", (1, 2), "shmem_free", "not returned by shmem_malloc"),
    ("free_not_malloc", "twice", (1, 2), "shmem_free", "freed already"),
    ("free_not_malloc", "out_of_step", (2,), "shmem_free", "out of step"),
    ("my_pe_before_init", None, (1, 2), "shmem_my_pe", "before shmem_init"),
    ("put_after_finalize", "put", (1, 2), "shmem_long_put", "after shmem_finalize"),
    ("put_after_finalize", "heap", (1, 2), "shmem_long_p", "after shmem_finalize"),
    ("put_after_finalize", "amo", (1, 2), "shmem_long_atomic_inc", "after shmem_finalize"),
    ("put_after_finalize", "barrier", (1, 2), "shmem_barrier_all", "after shmem_finalize"),
    ("put_after_finalize", "malloc", (1, 2), "shmem_malloc", "after shmem_finalize"),
    # Whichever PE compares first reports: PE 0 in shmem_malloc or PE 1 in
    # shmem_align.
    ("malloc_out_of_step", None, (2, 3), ("shmem_malloc", "shmem_align"), "out of step"),
    ("putmem_huge", "putmem", (1, 2), "shmem_putmem", "past the end"),
    ("putmem_huge", "getmem", (1, 2), "shmem_getmem", "past the end"),
    ("putmem_huge", "iput", (1, 2), "shmem_long_iput", ("past the end", "not symmetric")),
    ("bad_args", "cmp", (1, 2), "shmem_long_wait_until", "cmp 42 is not one of"),
    ("bad_args", "test_cmp", (1, 2), "shmem_long_test_any", "cmp -1 is not one of"),
    ("bad_args", "align", (1, 2), "shmem_align", "not a power of two"),
    ("bad_args", "clear_lock", (1, 2), "shmem_clear_lock", "not held"),
    ("bad_args", "sig_op", (1, 2), "shmem_long_put_signal", "sig_op 7"),
    ("bad_args", "amo_stack", (1, 2), "shmem_long_atomic_inc", "not symmetric"),
    ("bad_args", "amo_pe", (1, 2), "shmem_long_atomic_inc", "out of range"),
    ("bad_args", "g_pe", (1, 2), "shmem_long_g", "out of range"),
    ("bad_args", "ibput_stride", (1, 2), "shmem_long_ibput", "dst 0 is not a stride"),
    ("bad_args", "ibget_pe", (1, 2), "shmem_long_ibget", "out of range"),
    ("bad_args", "signal_add_stack", (1, 2), "shmem_signal_add", "not symmetric"),
    ("bad_args", "pe_quiet_pe", (1, 3), "shmem_pe_quiet", "out of range"),
    ("bad_args", "session_mask", (1, 2), "shmem_ctx_session_start", "config_mask 0x10"),
    ("bad_args", "team_after_reinit", (1, 3), ("shmem_team_n_pes", "shmem_team_sync"),
     "destroyed"),
]

PARAMS = [
    pytest.param(prog, arg, npes, routine, message,
                 id=f"{prog}{'-' + arg if arg else ''}-{npes}pe")
    for prog, arg, counts, routine, message in CASES
    for npes in counts
]


@pytest.mark.parametrize("program,arg,npes,routine,message", PARAMS)
def test_misuse_is_diagnosed(program, arg, npes, routine, message, no_leaked_segments):
    exe = BUILD / "tests" / "c" / f"misuse_{program}"
    assert exe.exists(), f"{exe} was not built (tests/c/misuse/{program}.c)"
    argv = [exe] + ([arg] if arg else [])
    t0 = time.monotonic()
    r = run_job(argv, npes, timeout=TIMEOUT)
    elapsed = time.monotonic() - t0
    what = f"misuse_{program} {arg or ''} with {npes} PEs"
    assert "unknown mode" not in r.stderr, r.stderr
    assert "misuse not detected" not in r.stderr, (
        f"{what}: the bad call returned (exit {r.returncode})\nstderr:\n{r.stderr}")
    assert r.returncode != 0, f"{what} exited 0\nstderr:\n{r.stderr}"
    routines = routine if isinstance(routine, tuple) else (routine,)
    assert any(f"{x}:" in r.stderr for x in routines), (
        f"{what}: none of the routines {routines} named:\n{r.stderr}")
    messages = message if isinstance(message, tuple) else (message,)
    assert any(m in r.stderr for m in messages), (
        f"{what}: none of {messages} in stderr:\n{r.stderr}")
    assert elapsed < PROMPT, f"{what}: the job took {elapsed:.1f} s to end"
