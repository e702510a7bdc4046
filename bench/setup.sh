#!/usr/bin/env bash
# Installs the optional peers that bench/run measures shmem4py against
# (../shared/PEERS.md explains each):
#  - Debian's Open MPI with its OSHMEM (oshcc, oshrun, mpicc, mpirun);
#  - the published shmem4py 1.0 from PyPI, built against that OSHMEM with
#    oshcc, in a virtual environment of its own (.venv-shmem4py1) with
#    NumPy < 2 (its shmem.array fails on NumPy 2).
# MPICH and mpi4py come from requirements-dev.txt (scripts/setup.sh).
# bench/run skips, and names, every peer this script did not install.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v oshcc >/dev/null || ! command -v oshrun >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenmpi-dev openmpi-bin >/dev/null
  else
    echo "bench/setup: as root, or install by hand: libopenmpi-dev openmpi-bin" >&2
    exit 1
  fi
fi

venv=.venv-shmem4py1
if ! "$venv/bin/python" -c 'import shmem4py, numpy; assert shmem4py.__version__ == "1.0.0"' \
    2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "numpy<2"
  # shmem4py's build looks for $OSHCC, then oshcc on the PATH.
  OSHCC="$(command -v oshcc)" "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    --no-cache-dir --no-binary shmem4py "shmem4py==1.0.0"
fi
echo "bench/setup: OSHMEM $(command -v oshrun); shmem4py 1.0 in $venv"
