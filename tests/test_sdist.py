"""The sdist builds a wheel the way a fresh machine would: `python -m build
--sdist`, then `pip wheel` of that sdist in an isolated build environment
(its build requirements from PyPI), and the wheel holds every part of the
package."""
import subprocess
import sys
import zipfile

from jobs import ROOT


def test_sdist_builds_a_complete_wheel(tmp_path):
    r = subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir", tmp_path, ROOT],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    (sdist,) = tmp_path.glob("shmem4py-*.tar.gz")
    # No optimization (build type None: -O0, no -g): what is tested is that
    # the sdist holds every file the build needs and the wheel every part.
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check",
                        "--no-deps", "-C", "cmake.build-type=None", "-w", tmp_path / "wheel",
                        sdist],
                       capture_output=True, text=True, timeout=1200, cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    (wheel,) = (tmp_path / "wheel").glob("shmem4py-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    for part in ("shmem4py/_shmem.", "shmem4py/api.", "shmem4py/lib/libshmem.so",
                 "shmem4py/include/shmem.h", "shmem4py/include/shmem_inline.h",
                 "shmem4py/shmem.py", "shmem4py/api.pyi", "/scripts/shmemrun",
                 "/scripts/shmemcc"):
        assert any(part in n for n in names), f"the wheel lacks {part}: {names}"
