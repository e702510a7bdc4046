#!/usr/bin/env bash
# Sets everything up, then runs every test (C runtime, launcher, Python).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
.venv/bin/python -m pytest tests "$@"

# The package supports NumPy 1.26 as well as 2.x: the Python suite again, in
# a second environment with NumPy 1.26 and the same wheel.
if [ ! -x .venv-numpy1/bin/python ]; then
  python3 -m venv .venv-numpy1
fi
.venv-numpy1/bin/python -m pip install -q --disable-pip-version-check "numpy==1.26.*" pytest pytest-timeout
.venv-numpy1/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
  build/wheel/shmem4py-*.whl
.venv-numpy1/bin/python -c 'import numpy; print("NumPy", numpy.__version__)'
.venv-numpy1/bin/python -m pytest tests/test_python.py tests/test_examples.py tests/test_corpus.py -q
