#!/usr/bin/env bash
# Sets everything up, then runs every test (C runtime, launcher, Python).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
.venv/bin/python -m pytest tests "$@"
