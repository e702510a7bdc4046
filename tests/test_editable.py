"""`pip install -e .` (an editable install, as developers make) gives a
working package and working wrappers: the Python files come from the
source tree, the built headers, library and extensions from site-packages,
and shmem4py.config finds them there (so do shmemcc and get_include()).

It builds the whole package once into a fresh virtual environment outside
the source tree (a few minutes on 2 cores), with the build tools of the
project's .venv taken from PyPI (pip's cache makes that quick)."""
import os
import subprocess
import sys

import pytest

from jobs import PE_COUNTS, ROOT

BUILD_TOOLS = ["scikit-build-core>=0.10", "nanobind>=2.0", "cffi>=1.15", "numpy", "cmake", "ninja"]
PROGRAM = r"""
#include <shmem.h>
#include <stdio.h>
int main(void) {
  shmem_init();
  static long x;
  shmem_long_p(&x, shmem_my_pe() + 1, (shmem_my_pe() + 1) % shmem_n_pes());
  shmem_barrier_all();
  printf("PE %d got %ld\n", shmem_my_pe(), x);
  shmem_finalize();
  return 0;
}
"""


@pytest.fixture(scope="module")
def editable_env(tmp_path_factory):
    d = tmp_path_factory.mktemp("editable")
    venv = d / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
    py = venv / "bin" / "python"
    pip = [py, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    r = subprocess.run([*pip, *BUILD_TOOLS], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHMEM", "PYTHON"))}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    # No optimization (build type None: -O0, no -g): what is tested is where
    # the files come from, and it compiles a minute faster on 2 cores.
    r = subprocess.run([*pip, "--no-build-isolation", "--no-deps", "-C", "cmake.build-type=None",
                        "-e", ROOT],
                       capture_output=True, text=True, timeout=1200, env=env, cwd=d)
    assert r.returncode == 0, r.stdout + r.stderr
    return venv, env, d


def test_editable_install_imports_from_the_source_tree(editable_env):
    venv, env, d = editable_env
    r = subprocess.run([venv / "bin" / "python", "-c",
                        "import shmem4py, shmem4py.shmem as s, shmem4py.api as a; "
                        "print(s.__file__); print(shmem4py.get_include()); "
                        "print(a.lib.shmem_n_pes())"],
                       capture_output=True, text=True, timeout=120, env=env, cwd=d)
    assert r.returncode == 0, r.stderr
    src, inc, npes = r.stdout.split()
    assert src.startswith(str(ROOT / "python")), src
    assert os.path.isfile(os.path.join(inc, "shmem.h")) and not inc.startswith(str(ROOT)), inc
    assert npes == "1"


@pytest.mark.parametrize("npes", PE_COUNTS)
def test_editable_shmemcc_builds_and_runs(editable_env, npes):
    venv, env, d = editable_env
    exe = d / "ring"
    if not exe.exists():
        (d / "ring.c").write_text(PROGRAM)
        r = subprocess.run([venv / "bin" / "shmemcc", "-O2", d / "ring.c", "-o", exe],
                           capture_output=True, text=True, timeout=120, env=env)
        assert r.returncode == 0, r.stderr
    r = subprocess.run([venv / "bin" / "shmemrun", "-n", str(npes), exe],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    want = sorted(f"PE {pe} got {(pe - 1) % npes + 1}" for pe in range(npes))
    assert sorted(r.stdout.splitlines()) == want, r.stdout
