"""The wheel is portable and works from its installed files alone.

scripts/setup.sh repairs the wheel with auditwheel (build/wheel).  Here:
its tag is manylinux_*, auditwheel agrees, and a fresh virtual environment
outside the source tree that installs it (with its dependencies, as a user
does) runs a Python job, prints `shmemcc -show` and compiles and runs a C
job at -O2, with nothing of build/ or .venv on its PATH.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from jobs import PE_COUNTS, ROOT

WHEEL_DIR = ROOT / "build" / "wheel"
TIMEOUT = 120
MANYLINUX = re.compile(r"-manylinux_(\d+)_(\d+)_x86_64(\.manylinux\S*)?\.whl$")


def find_wheel():
    wheels = sorted(WHEEL_DIR.glob("shmem4py-*.whl"))
    if len(wheels) != 1:
        pytest.fail(f"want one wheel in {WHEEL_DIR} (bash scripts/setup.sh builds it): {wheels}")
    return wheels[0]


def test_the_wheel_is_manylinux():
    wheel = find_wheel()
    assert MANYLINUX.search(wheel.name), f"not a manylinux wheel: {wheel.name}"
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/WHEEL"))).decode()
        names = z.namelist()
    tags = re.findall(r"^Tag: (\S+)$", meta, re.M)
    assert tags and all("-manylinux_" in t for t in tags), meta
    # libshmem is shipped once, where shmemcc links against it: auditwheel
    # must not have grafted a second, renamed copy.
    assert "shmem4py/lib/libshmem.so" in names
    assert not [n for n in names if ".libs/" in n], [n for n in names if ".libs/" in n]
    auditwheel = shutil.which("auditwheel")
    if auditwheel is None:
        pytest.fail("auditwheel is not installed (requirements-dev.txt)")
    r = subprocess.run([auditwheel, "show", "--json", str(wheel)], capture_output=True,
                       text=True, timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    said = json.loads(r.stdout)
    # Its symbols allow a manylinux tag, and the one library from outside
    # is the MPI that the mpi transport's plugin links (excluded from the
    # wheel on purpose: the user's, or the mpich wheel of shmem4py[mpi]).
    assert re.fullmatch(r"manylinux_\d+_\d+_x86_64", said["sym_tag"]), said
    assert set(said["external_libs"]) <= {"libmpi.so.12"}, said["external_libs"]
    if "shmem4py/lib/libshmem_mpi.so" in names:
        assert "libmpi.so.12" in said["external_libs"], said


def test_the_wheel_metadata():
    with zipfile.ZipFile(find_wheel()) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
        names = z.namelist()
    head, _, body = meta.partition("\n\n")
    assert re.search(r"^Requires-Python: >=3\.9$", head, re.M)
    assert "Description-Content-Type: text/markdown" in head
    assert body.startswith("# shmem4py"), body[:200]
    for classifier in ("License :: OSI Approved :: BSD License",
                       "Programming Language :: Python :: 3.9",
                       "Programming Language :: Python :: 3.13",
                       "Intended Audience :: Science/Research",
                       "Operating System :: POSIX :: Linux",
                       "Programming Language :: C++"):
        assert f"Classifier: {classifier}" in head, classifier
    assert re.search(r"^Requires-Dist: numpy>=1\.26$", head, re.M), head
    assert re.search(r"^Keywords: .*OpenSHMEM", head, re.M), head
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), names


def clean_env(venv):
    """A user who activated `venv`: nothing of this source tree on PATH."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SHMEM4PY_SHMEMRUN", "CC", "CXX")}
    keep = [p for p in env.get("PATH", "").split(os.pathsep)
            if p and not p.startswith(str(ROOT))]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *keep])
    env["VIRTUAL_ENV"] = str(venv)
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    where = tmp_path_factory.mktemp("portable") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(where / "bin" / "python"),
                        "install", "-q", "--disable-pip-version-check", str(find_wheel())],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"pip install failed:\n{r.stdout}\n{r.stderr}"
    return where


def run(argv, venv, cwd, **kw):
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                          env=clean_env(venv), cwd=cwd, timeout=TIMEOUT, **kw)


PY_JOB = """
import numpy as np
from shmem4py import shmem
me, n = shmem.my_pe(), shmem.n_pes()
box = shmem.zeros(1, dtype="l")
shmem.atomic_add(box, me + 1, 0)
shmem.barrier_all()
if me == 0:
    print("sum", int(shmem.g(box, 0)), "of", n)
"""


@pytest.mark.parametrize("npes", PE_COUNTS)
def test_installed_wheel_runs_a_python_job(venv, tmp_path, npes):
    (tmp_path / "job.py").write_text(PY_JOB)
    r = run([venv / "bin" / "python", "-m", "shmem4py", "-n", npes, "job.py"], venv, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"sum {npes * (npes + 1) // 2} of {npes}\n", r.stdout


RING_C = r"""
#include <shmem.h>
#include <stdio.h>
int main(void) {
  shmem_init();
  int me = shmem_my_pe(), n = shmem_n_pes();
  int *x = shmem_malloc(sizeof(int));
  *x = -1;
  shmem_barrier_all();
  shmem_int_p(x, me, (me + 1) % n);
  shmem_barrier_all();
  int ok = *x == (me + n - 1) % n;
  printf("PE %d %s\n", me, ok ? "ok" : "WRONG");
  shmem_free(x);
  shmem_finalize();
  return !ok;
}
"""


def test_installed_wheel_shows_compiles_and_runs_c(venv, tmp_path):
    (tmp_path / "ring.c").write_text(RING_C)
    shmemcc = venv / "bin" / "shmemcc"
    shown = run([shmemcc, "-show", "-O2", "ring.c", "-o", "ring"], venv, tmp_path)
    assert shown.returncode == 0, shown.stderr
    inc = os.path.realpath(next(venv.rglob("shmem4py/include")))
    assert f"-I{inc}" in shown.stdout and "-lshmem" in shown.stdout, shown.stdout
    assert not (tmp_path / "ring").exists()
    r = run([shmemcc, "-O2", "ring.c", "-o", "ring"], venv, tmp_path)
    assert r.returncode == 0, r.stderr
    for n in PE_COUNTS:
        r = run([venv / "bin" / "shmemrun", "-n", n, "./ring"], venv, tmp_path)
        assert r.returncode == 0, r.stderr
        assert sorted(r.stdout.splitlines()) == [f"PE {i} ok" for i in range(n)]
