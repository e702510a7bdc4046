#!/usr/bin/env bash
# Sets everything up, then runs the demos: C programs and Python scripts on 4 PEs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
run() { echo "\$ $*"; "$@"; echo; }
run build/shmemrun -n 4 build/examples/hello
run build/shmemrun -n 4 build/examples/ring_put
run build/shmemrun -n 4 build/examples/atomic_counter
for py in examples/hello.py examples/ring.py examples/pi.py; do
  [ -f "$py" ] && run .venv/bin/python -m shmem4py -n 4 "$py"
done
run build/shmemrun -n 2 build/bench/pingpong 4194304
