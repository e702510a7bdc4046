#!/usr/bin/env bash
# Tests of shmemrun alone: the PEs are shell commands, so no OpenSHMEM
# runtime is needed.
#
#   bash tests/launcher/test_launcher.sh path/to/shmemrun
#
# Prints "ok - NAME" / "not ok - NAME" per check, then "N passed, M failed";
# exits non-zero when a check failed.
set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 PATH_TO_SHMEMRUN" >&2
  exit 2
fi
SHMEMRUN=$1
if [ ! -x "$SHMEMRUN" ]; then
  echo "$0: '$SHMEMRUN' is not an executable" >&2
  exit 2
fi
case $SHMEMRUN in /*) ;; *) SHMEMRUN=$PWD/$SHMEMRUN ;; esac

ulimit -c 0  # the signal checks crash PEs on purpose: no core files
TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_launcher.XXXXXX")

# Whatever a failed check left behind (PEs, segments) must not outlive us.
cleanup() {
  if [ -f "$TMP/all_pids" ]; then
    while read -r p; do kill -KILL "$p" 2>/dev/null; done <"$TMP/all_pids"
  fi
  if [ -f "$TMP/all_jobs" ]; then
    while read -r j; do
      case $j in *[!A-Za-z0-9_-]* | '') continue ;; esac
      rm -f /dev/shm/shmem4py."$j".*
    done <"$TMP/all_jobs"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

passed=0
failed=0
why=""

now_ms() { date +%s%3N; }

# run ARGS...: runs shmemrun under `timeout 60`, stdin from $STDIN (default
# /dev/null); sets rc and ms (elapsed) and leaves $TMP/out and $TMP/err.
run() {
  local t0
  t0=$(now_ms)
  timeout 60 "$SHMEMRUN" "$@" <"${STDIN:-/dev/null}" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  ms=$(($(now_ms) - t0))
}

check() {
  local name=$1
  shift
  why=""
  rm -f "$TMP/out" "$TMP/err" "$TMP/pids" "$TMP/job" "$TMP/launcher"
  if "$@"; then
    echo "ok - $name"
    passed=$((passed + 1))
  else
    echo "not ok - $name"
    [ -n "$why" ] && printf '%s\n' "$why" | sed 's/^/#   /'
    failed=$((failed + 1))
  fi
}

fail() {
  why="$*"
  if [ -f "$TMP/err" ]; then why="$why
stderr: $(head -c 1500 "$TMP/err")"; fi
  return 1
}

expect_rc() { [ "$rc" = "$1" ] || fail "exit code $rc, expected $1"; }
expect_err() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks '$1'"; }
expect_err_re() { grep -qE -- "$1" "$TMP/err" || fail "stderr matches no '$1'"; }
expect_faster() { [ "$ms" -lt "$1" ] || fail "took $ms ms, expected under $1 ms"; }
expect_out() {
  local want=$1
  [ "$(cat "$TMP/out")" = "$want" ] || fail "stdout was:
$(head -c 1500 "$TMP/out")
expected:
$want"
}
expect_sorted_out() {
  local want=$1
  [ "$(sort "$TMP/out")" = "$want" ] || fail "sorted stdout was:
$(sort "$TMP/out" | head -c 1500)
expected:
$want"
}
# One failure message, not one per PE.
expect_one_report() {
  local n
  n=$(grep -c '^shmemrun: PE' "$TMP/err")
  [ "$n" = 1 ] || fail "expected one 'shmemrun: PE' line on stderr, got $n"
}

remember_pids() { [ -f "$TMP/pids" ] && cat "$TMP/pids" >>"$TMP/all_pids"; return 0; }
remember_job() { [ -f "$TMP/job" ] && head -n 1 "$TMP/job" >>"$TMP/all_jobs"; return 0; }

alive() {
  local st
  [ -r "/proc/$1/stat" ] || return 1
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Every pid in $TMP/pids gone (zombies count as gone), within 3 s.
expect_pids_gone() {
  local tries=0 p left
  remember_pids
  [ -s "$TMP/pids" ] || fail "the PEs recorded no pids" || return 1
  while :; do
    left=""
    while read -r p; do alive "$p" && left="$left $p"; done <"$TMP/pids"
    [ -z "$left" ] && return 0
    tries=$((tries + 1))
    [ $tries -ge 30 ] && break
    sleep 0.1
  done
  fail "PE processes still alive after the launcher exited:$left"
}

expect_no_segments() {
  local job
  remember_job
  job=$(head -n 1 "$TMP/job" 2>/dev/null)
  [ -n "$job" ] || fail "the PEs recorded no job id" || return 1
  if compgen -G "/dev/shm/shmem4py.$job.*" >/dev/null; then
    fail "segments left behind: $(ls /dev/shm/shmem4py."$job".*)"
  fi
}

# --- the checks ------------------------------------------------------------

t_environment() {
  run -n 3 sh -c 'echo "pe $SHMEMRUN_PE of $SHMEMRUN_NPES"'
  expect_rc 0 && expect_sorted_out "pe 0 of 3
pe 1 of 3
pe 2 of 3"
}

t_job_id() {
  run -n 2 sh -c 'echo "$SHMEMRUN_JOB"; [ "$SHMEMRUN_CTRL_FD" -gt 2 ] && echo "ctrl ok"'
  expect_rc 0 || return 1
  local ids
  ids=$(grep -v '^ctrl ok$' "$TMP/out" | sort -u)
  [ "$(grep -c '^ctrl ok$' "$TMP/out")" = 2 ] || fail "SHMEMRUN_CTRL_FD not set to an fd > 2" || return 1
  [ "$(printf '%s\n' "$ids" | wc -l)" = 1 ] || fail "PEs got different job ids: $ids" || return 1
  [[ $ids =~ ^[A-Za-z0-9_-]+$ ]] || fail "bad job id '$ids'"
}

t_default_one_pe() {
  run sh -c 'echo "$SHMEMRUN_PE/$SHMEMRUN_NPES"'
  expect_rc 0 && expect_out "0/1"
}

t_exit_status() {
  run -n 3 sh -c 'echo $$ >>"$1/pids"
    if [ "$SHMEMRUN_PE" = 1 ]; then exit 3; fi
    sleep 30 & echo $! >>"$1/pids"; wait' sh "$TMP"
  expect_rc 3 && expect_err "shmemrun: PE 1 exited with status 3; ending the job" &&
    expect_one_report && expect_faster 5000 && expect_pids_gone
}

t_killed_by_signal() {
  run -n 3 sh -c 'if [ "$SHMEMRUN_PE" = 2 ]; then kill -SEGV $$; fi; sleep 30'
  expect_rc 139 && expect_err "shmemrun: PE 2 was killed by signal 11 (" &&
    expect_one_report && expect_faster 5000
}

t_global_exit() {
  run -n 3 sh -c 'if [ "$SHMEMRUN_PE" = 1 ]; then
      echo "exit $SHMEMRUN_PE 7" >&"$SHMEMRUN_CTRL_FD"; exit 7; fi; sleep 30'
  expect_rc 7 && expect_err "shmemrun: PE 1 called shmem_global_exit(7); ending the job" &&
    expect_one_report && expect_faster 5000
}

t_global_exit_zero() {
  run -n 3 sh -c 'if [ "$SHMEMRUN_PE" = 0 ]; then
      echo "exit 0 0" >&"$SHMEMRUN_CTRL_FD"; exit 0; fi; sleep 30'
  expect_rc 0 && expect_err "shmemrun: PE 0 called shmem_global_exit(0); ending the job" &&
    expect_one_report && expect_faster 5000
}

t_abort() {
  run -n 3 sh -c 'if [ "$SHMEMRUN_PE" = 2 ]; then
      echo "PE 2: fatal: boom" >&2; echo "abort 2 1" >&"$SHMEMRUN_CTRL_FD"; exit 1; fi; sleep 30'
  expect_rc 1 && expect_err "shmemrun: PE 2 aborted (see its message above); ending the job" &&
    expect_one_report && expect_faster 5000 || return 1
  # The PE's diagnostic comes before the launcher's line.
  [ "$(grep -n 'fatal: boom' "$TMP/err" | cut -d: -f1)" -lt \
    "$(grep -n 'aborted' "$TMP/err" | cut -d: -f1)" ] || fail "diagnostic after the launcher's message"
}

t_term_ignored() {
  # PEs that ignore SIGTERM get SIGKILL about 2 s after the failure.
  run -n 3 sh -c 'trap "" TERM; echo $$ >>"$1/pids"
    if [ "$SHMEMRUN_PE" = 0 ]; then sleep 0.2; exit 2; fi
    sleep 30 & echo $! >>"$1/pids"; wait' sh "$TMP"
  expect_rc 2 && expect_one_report && expect_faster 5000 && expect_pids_gone
}

t_np_prefix() {
  run -np 2 --prefix sh -c 'echo hello; echo oops >&2'
  expect_rc 0 && expect_sorted_out "[PE 0] hello
[PE 1] hello" || return 1
  [ "$(sort "$TMP/err")" = "[PE 0] oops
[PE 1] oops" ] || fail "stderr not prefixed"
}

t_option_forms() {
  local form
  for form in "-n=2" "--n=2" "--np 2" "-np=2" "-n 2"; do
    # shellcheck disable=SC2086
    run $form --tag-output sh -c 'echo x'
    expect_rc 0 && expect_sorted_out "[PE 0] x
[PE 1] x" || { why="with $form: $why"; return 1; }
  done
  SHMEMRUN_PREFIX=1 run -n 2 sh -c 'echo y'
  expect_rc 0 && expect_sorted_out "[PE 0] y
[PE 1] y" || { why="with SHMEMRUN_PREFIX=1: $why"; return 1; }
}

t_stdin_pe0() {
  printf 'hi\n' >"$TMP/in"
  STDIN=$TMP/in run -n 2 sh -c 'if [ "$SHMEMRUN_PE" = 0 ]; then cat; fi'
  expect_rc 0 && expect_out "hi" || return 1
  # The others read /dev/null, so "hi" comes out once.
  STDIN=$TMP/in run -n 3 cat
  expect_rc 0 && expect_out "hi"
}

t_stdin_pipe() {
  # The way the brief states it: a pipe into the launcher.
  local out
  out=$(echo hi | timeout 60 "$SHMEMRUN" -n 2 sh -c 'if [ $SHMEMRUN_PE = 0 ]; then cat; fi')
  rc=$?
  expect_rc 0 && { [ "$out" = hi ] || fail "got '$out'"; }
}

t_not_found() {
  run -n 3 /nonexistent/program arg
  expect_rc 127 && expect_err "shmemrun: cannot run '/nonexistent/program': No such file or directory" || return 1
  [ "$(grep -c 'cannot run' "$TMP/err")" = 1 ] || fail "expected one message" || return 1
  run -n 2 no-such-program-on-path-xyz
  expect_rc 127 && expect_err "cannot run 'no-such-program-on-path-xyz'"
}

t_not_executable() {
  printf 'not a program\n' >"$TMP/plain"
  chmod -x "$TMP/plain"
  run -n 2 "$TMP/plain"
  expect_rc 127 && expect_err "cannot run '$TMP/plain': Permission denied"
}

t_usage_errors() {
  local args
  for args in "-n 0 true" "-n -1 true" "-n abc true" "-n 2" "-n" "--bogus true" "-t x true" ""; do
    # shellcheck disable=SC2086
    run $args
    expect_rc 2 && expect_err "usage:" || { why="with '$args': $why"; return 1; }
  done
  run --help
  expect_rc 0 && grep -q "usage:" "$TMP/out" || fail "--help"
}

t_stray_segment_failure() {
  run -n 2 sh -c 'echo "$SHMEMRUN_JOB" >"$1/job"
    touch "/dev/shm/shmem4py.$SHMEMRUN_JOB.$SHMEMRUN_PE.heap"
    [ "$SHMEMRUN_PE" = 1 ] && exit 1; sleep 30' sh "$TMP"
  expect_rc 1 && expect_no_segments
}

t_stray_segment_success() {
  run -n 2 sh -c 'echo "$SHMEMRUN_JOB" >"$1/job"
    touch "/dev/shm/shmem4py.$SHMEMRUN_JOB.$SHMEMRUN_PE.heap" "/dev/shm/shmem4py.$SHMEMRUN_JOB.$SHMEMRUN_PE.data"' sh "$TMP"
  expect_rc 0 && expect_no_segments
}

t_sigterm() {
  local t0 bg tries=0 launcher
  t0=$(now_ms)
  timeout 60 "$SHMEMRUN" -n 3 sh -c 'echo "$SHMEMRUN_JOB" >"$1/job"; echo "$PPID" >"$1/launcher"
    touch "/dev/shm/shmem4py.$SHMEMRUN_JOB.$SHMEMRUN_PE.heap"
    echo $$ >>"$1/pids"; sleep 30 & echo $! >>"$1/pids"; wait' sh "$TMP" \
    </dev/null >"$TMP/out" 2>"$TMP/err" &
  bg=$!
  # Wait until all three PEs and their sleeps are up.
  while [ "$(cat "$TMP/pids" 2>/dev/null | wc -l)" -lt 6 ] && [ $tries -lt 200 ]; do
    sleep 0.05
    tries=$((tries + 1))
  done
  remember_pids
  remember_job
  launcher=$(head -n 1 "$TMP/launcher" 2>/dev/null)
  [ -n "$launcher" ] || { kill "$bg"; wait "$bg"; fail "the PEs did not start"; return 1; }
  t0=$(now_ms)
  kill -TERM "$launcher"
  wait "$bg"
  rc=$?
  ms=$(($(now_ms) - t0))
  expect_rc 143 && expect_faster 5000 && expect_pids_gone && expect_no_segments
}

# The library says "init PE PID" on the control pipe as shmem_init begins
# and "fini PE PID" as the PE leaves the job; here the shell says it.
SAY_INIT='echo "init $SHMEMRUN_PE $$" >&"$SHMEMRUN_CTRL_FD"'
SAY_FINI='echo "fini $SHMEMRUN_PE $$" >&"$SHMEMRUN_CTRL_FD"'

t_exit_without_finalize() {
  run -n 3 sh -c "$SAY_INIT"'
    if [ "$SHMEMRUN_PE" = 1 ]; then exit 0; fi; sleep 30'
  expect_rc 1 &&
    expect_err "shmemrun: PE 1 exited with status 0 without calling shmem_finalize; ending the job" &&
    expect_one_report && expect_faster 5000
}

t_finalized_pes_exit_fine() {
  run -n 3 sh -c "$SAY_INIT"'; [ "$SHMEMRUN_PE" = 1 ] && sleep 0.3; '"$SAY_FINI"
  expect_rc 0 && { [ ! -s "$TMP/err" ] || fail "unexpected stderr"; }
}

t_exit_before_others_init() {
  # PE 1 is gone before PEs 0 and 2 say they are in shmem_init; the report
  # names the one that said so first, whichever the scheduler ran first.
  run -n 3 sh -c 'if [ "$SHMEMRUN_PE" = 1 ]; then exit 0; fi; sleep 0.3; '"$SAY_INIT"'; sleep 30'
  expect_rc 1 &&
    expect_err_re "shmemrun: PE 1 exited with status 0 without calling shmem_init, while PE [02] waits for it in shmem_init; ending the job" &&
    expect_one_report && expect_faster 5000
}

t_exit_while_others_in_init() {
  # PE 0 is in shmem_init before PE 1 goes.
  run -n 2 sh -c 'if [ "$SHMEMRUN_PE" = 0 ]; then '"$SAY_INIT"'; sleep 30; fi; sleep 0.3'
  expect_rc 1 &&
    expect_err "shmemrun: PE 1 exited with status 0 without calling shmem_init, while PE 0 waits for it in shmem_init; ending the job" &&
    expect_one_report && expect_faster 5000
}

t_no_pe_inits() {
  # Not a SHMEM program: PEs ending at different times are a good job.
  run -n 3 sh -c 'sleep "0.$SHMEMRUN_PE"'
  expect_rc 0 && { [ ! -s "$TMP/err" ] || fail "unexpected stderr"; }
}

t_job_tag() {
  SHMEM4PY_JOB_TAG=my_Tag7 run -n 2 sh -c 'echo "$SHMEMRUN_JOB $PPID"'
  expect_rc 0 || return 1
  local id ppid
  read -r id ppid <"$TMP/out"
  [[ $id =~ ^([0-9]+)-[0-9]+-[0-9]+-my_Tag7_[0-9a-f]{8}$ ]] || fail "job id '$id'" || return 1
  [ "${BASH_REMATCH[1]}" = "$ppid" ] || fail "job id '$id' does not start with the launcher's pid $ppid" || return 1
  SHMEM4PY_JOB_TAG='a/b' run -n 2 true
  expect_rc 2 && expect_err "SHMEM4PY_JOB_TAG='a/b' is not a tag"
}

t_timeout() {
  run -n 2 -t 1 sleep 30
  expect_rc 124 && expect_err "shmemrun: job timed out after 1 s" && expect_faster 5000
}

# 4 PEs x 2000 lines of 100 characters, written in big blocks (awk buffers
# its output), so lines are split across writes; each must come out whole.
MAKE_LINES='awk -v pe="$SHMEMRUN_PE" "BEGIN { for (j = 0; j < 2000; j++) {
  s = sprintf(\"pe %d line %d \", pe, j); while (length(s) < 100) s = s \"x\"; print s } }"'
check_lines() {  # $1: the prefix each line must carry ("" or "tag")
  awk -v tag="$1" '
    {
      line = $0
      if (tag != "") {
        if (match(line, /^\[PE [0-9]+\] /) == 0) { print "no tag: " $0; bad = 1; exit }
        tpe = substr(line, 5, RLENGTH - 6); line = substr(line, RLENGTH + 1)
      }
      if (length(line) != 100 || line !~ /^pe [0-3] line [0-9]+ x+$/) { print "mangled: " $0; bad = 1; exit }
      split(line, f, " ")
      if (tag != "" && tpe != f[2]) { print "wrong tag: " $0; bad = 1; exit }
      if (f[4] != next_line[f[2]] + 0) { print "out of order: " $0; bad = 1; exit }
      next_line[f[2]] = f[4] + 1; n++
    }
    END {
      if (bad) exit 1
      if (n != 8000) { print "got " n " lines, expected 8000"; exit 1 }
      for (p = 0; p < 4; p++) if (next_line[p] != 2000) { print "PE " p " short"; exit 1 }
    }' "$TMP/out"
}

t_interleaving() {
  run -n 4 sh -c "$MAKE_LINES"
  expect_rc 0 || return 1
  local res
  res=$(check_lines "") || fail "$res"
}

t_interleaving_prefix() {
  run -n 4 -p sh -c "$MAKE_LINES"
  expect_rc 0 || return 1
  local res
  res=$(check_lines tag) || fail "$res"
}

t_partial_line() {
  run -n 1 sh -c 'printf "no newline"'
  expect_rc 0 || return 1
  [ "$(od -An -c "$TMP/out" | tr -d ' \n')" = "nonewline" ] || fail "got '$(cat "$TMP/out")'" || return 1
  run -n 1 -p sh -c 'printf "no newline"'
  expect_rc 0 && expect_out "[PE 0] no newline"
}

t_long_line() {
  run -n 1 sh -c 'head -c 300000 /dev/zero | tr "\0" a; echo; echo after'
  expect_rc 0 || return 1
  [ "$(wc -c <"$TMP/out")" = 300007 ] || fail "got $(wc -c <"$TMP/out") bytes, expected 300007" || return 1
  [ "$(head -n 1 "$TMP/out" | tr -d a)" = "" ] && [ "$(tail -n 1 "$TMP/out")" = after ] ||
    fail "long line changed"
}

check "PEs get SHMEMRUN_PE and SHMEMRUN_NPES" t_environment
check "one job id and a control fd for all PEs" t_job_id
check "one PE without -n" t_default_one_pe
check "exit status passes through and the others are ended" t_exit_status
check "a PE killed by a signal gives 128+signal" t_killed_by_signal
check "control pipe: global_exit status" t_global_exit
check "control pipe: global_exit(0) ends the job with 0" t_global_exit_zero
check "control pipe: abort" t_abort
check "PEs ignoring SIGTERM are killed" t_term_ignored
check "-np and --prefix" t_np_prefix
check "option forms and SHMEMRUN_PREFIX" t_option_forms
check "stdin goes to PE 0 only" t_stdin_pe0
check "stdin through a pipe" t_stdin_pipe
check "program not found gives 127" t_not_found
check "program not executable gives 127" t_not_executable
check "usage errors give 2" t_usage_errors
check "stray segments removed after a failure" t_stray_segment_failure
check "stray segments removed after success" t_stray_segment_success
check "SIGTERM to the launcher ends the job" t_sigterm
check "timeout" t_timeout
check "a PE that exits 0 after init without finalize ends the job" t_exit_without_finalize
check "PEs that finalize and exit 0 are a good job" t_finalized_pes_exit_fine
check "a PE gone before another enters init ends the job" t_exit_before_others_init
check "a PE that exits 0 while another is in init ends the job" t_exit_while_others_in_init
check "a job where no PE calls init is fine" t_no_pe_inits
check "SHMEM4PY_JOB_TAG goes into the job id" t_job_tag
check "lines of 4 PEs stay whole" t_interleaving
check "lines of 4 PEs stay whole with --prefix" t_interleaving_prefix
check "partial last line is passed on" t_partial_line
check "lines over 64 KiB pass through" t_long_line

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
