#!/usr/bin/env bash
# Sets up everything on a fresh machine: Debian packages the project needs,
# a virtual environment in .venv with the Python build and test tools, the
# C build in build/ and the shmem4py package installed into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v g++ >/dev/null || need_apt+=(g++)
command -v ninja >/dev/null || need_apt+=(ninja-build)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
  else
    echo "setup: please install: ${need_apt[*]}" >&2; exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

export PATH="$PWD/.venv/bin:$PATH"
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S . -B build "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DSHMEM_BUILD_TESTS=ON \
  -DSHMEM_BUILD_BENCH=ON -DSHMEM_BUILD_EXAMPLES=ON -DSHMEM_BUILD_PYTHON=OFF >/dev/null
cmake --build build -j 2
# The wheel is built once (build/wheel) and installed here; scripts/test.sh
# installs the same wheel beside NumPy 1.26 too.
rm -rf build/wheel
.venv/bin/python -m pip wheel -q --disable-pip-version-check --no-build-isolation --no-deps \
  -w build/wheel .
.venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
  build/wheel/shmem4py-*.whl
