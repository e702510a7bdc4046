#!/usr/bin/env bash
# Sets everything up, then runs every test (C runtime, launcher, Python).
#
# Two legs: the whole suite with NumPy 2 (.venv), then the Python suite again
# with NumPy 1.26 (.venv-numpy1) and the same wheel.  Every leg runs even
# when an earlier one fails; the summary at the end lists them all, and the
# exit status is non-zero when any failed.  Arguments go to the first leg's
# pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "test: setup failed" >&2; exit 1; }
export PATH="$PWD/.venv/bin:$PATH"

results=()
failed=0
leg() {  # leg NAME COMMAND...: runs one leg and records how it ended
  local name=$1 rc
  shift
  echo "=== $name"
  "$@"
  rc=$?
  if [ $rc -eq 0 ]; then
    results+=("passed  $name")
  else
    results+=("FAILED  $name (exit $rc)")
    failed=1
  fi
}

leg "NumPy 2: the whole suite" .venv/bin/python -m pytest tests "$@"

# The package supports NumPy 1.26 as well as 2.x: the Python suite again, in
# a second environment with NumPy 1.26 and the same wheel.
numpy1_env() {
  if [ ! -x .venv-numpy1/bin/python ]; then
    python3 -m venv .venv-numpy1 || return 1
  fi
  .venv-numpy1/bin/python -m pip install -q --disable-pip-version-check \
    "numpy==1.26.*" "cffi>=1.15" numba pytest pytest-timeout || return 1
  # Reinstalled only when the wheel changed (its stamp, see scripts/setup.sh).
  local stamp
  stamp=$(cat build/wheel/stamp 2>/dev/null)
  if [ -z "$stamp" ] || [ "$(cat .venv-numpy1/shmem4py-wheel-stamp 2>/dev/null)" != "$stamp" ]; then
    .venv-numpy1/bin/python -m pip install -q --disable-pip-version-check --force-reinstall \
      --no-deps build/wheel/shmem4py-*.whl || return 1
    echo "$stamp" >.venv-numpy1/shmem4py-wheel-stamp
  fi
  .venv-numpy1/bin/python -c 'import numpy; print("NumPy", numpy.__version__)'
}
numpy1_suite() {
  numpy1_env || { echo "test: cannot set up .venv-numpy1" >&2; return 1; }
  .venv-numpy1/bin/python -m pytest tests/test_python.py tests/test_examples.py tests/test_corpus.py \
    tests/test_numba.py -q
}
leg "NumPy 1.26: the Python suite" numpy1_suite

echo "=== summary"
printf '%s\n' "${results[@]}"
exit $failed
