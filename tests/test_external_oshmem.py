"""The extension builds against another OpenSHMEM library (Open MPI's OSHMEM,
from Debian's libopenmpi-dev) with SHMEM4PY_EXTERNAL_SHMEM=ON, runs there,
and raises NotImplementedError for the 1.5 and 1.6 routines that library lacks.
Skipped where oshcc/oshrun are not installed."""
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from jobs import ROOT

pytestmark = pytest.mark.skipif(not (shutil.which("oshcc") and shutil.which("oshrun")),
                                reason="Open MPI's OSHMEM (oshcc, oshrun) is not installed")

SCRIPT = textwrap.dedent("""
    import numpy as np
    from shmem4py import shmem
    me, n = shmem.my_pe(), shmem.n_pes()
    major, minor = shmem.info_get_version()
    a = shmem.zeros(4, dtype='i8')
    shmem.put(a, np.arange(4, dtype='i8') + 10 * me, (me + 1) % n)
    x = shmem.zeros(1, dtype='i8')
    shmem.atomic_add(x, 1, 0)
    shmem.barrier_all()
    left = (me - 1) % n
    assert (a == np.arange(4) + 10 * left).all(), a
    if me == 0:
        assert x[0] == n, x
    try:
        shmem.put_signal(a, a, me, shmem.new_signal(), 1, shmem.SIGNAL_SET)
        missing = "no"
    except NotImplementedError:
        missing = "yes"
    # The routines of OpenSHMEM 1.6, which that library lacks: each raises
    # NotImplementedError naming the routine, the C name and the version.
    sig = shmem.new_signal()
    b = shmem.zeros(4, dtype='i8')
    calls = {
        "ibput": lambda: shmem.ibput(a, b, me, 2, 2, 1),
        "ibget": lambda: shmem.ibget(b, a, me, 2, 2, 1),
        "signal_add": lambda: shmem.signal_add(sig, 1, me),
        "signal_set": lambda: shmem.signal_set(sig, 1, me),
        "pe_quiet": lambda: shmem.pe_quiet([me]),
        "query_initialized": lambda: shmem.query_initialized(),
        "sum_inscan": lambda: shmem.sum_inscan(a, b),
        "sum_exscan": lambda: shmem.sum_exscan(a, b),
        "Ctx.session_start": lambda: shmem.CTX_DEFAULT.session_start(shmem.CTX_SESSION_BATCH),
        "Ctx.session_stop": lambda: shmem.CTX_DEFAULT.session_stop(),
    }
    for name, call in calls.items():
        try:
            call()
        except NotImplementedError as e:
            text = str(e)
            assert text.startswith(name + "(): ") and "is not available in the OpenSHMEM " \
                "library shmem4py was built with" in text, text
        else:
            raise AssertionError(f"{name} did not raise NotImplementedError")
    shmem.barrier_all()
    print(f"PE {me}: OpenSHMEM {major}.{minor} ok, put_signal missing: {missing}, "
          f"1.6 missing: {len(calls)}")
""")


def test_build_and_run_on_oshmem(tmp_path):
    env = dict(os.environ, SHMEM4PY_EXTERNAL_SHMEM="ON", SHMEM4PY_SHMEM_CC="oshcc")
    wheel_dir = tmp_path / "wheel"
    # No optimization (build type None: -O0, no -g): what is tested is that
    # the extension builds and runs on another OpenSHMEM.
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation",
                            "--no-deps", "-C", "cmake.build-type=None", "-w", str(wheel_dir),
                            str(ROOT)],
                           env=env, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stderr[-3000:]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)
    py = venv / "bin" / "python"
    if subprocess.run([str(py), "-c", "import numpy"], capture_output=True).returncode:
        subprocess.run([str(py), "-m", "pip", "install", "-q", "numpy"], check=True, timeout=600)
    wheels = list(wheel_dir.glob("shmem4py-*.whl"))
    inst = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps",
                           "--force-reinstall", *map(str, wheels)],
                          capture_output=True, text=True, timeout=300)
    assert inst.returncode == 0, inst.stderr[-3000:]
    (tmp_path / "app.py").write_text(SCRIPT)
    run_env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                   OMPI_MCA_osc="^rdma", PYTHONPATH="")
    try:
        r = subprocess.run(["oshrun", "--oversubscribe", "-n", "2", str(py), str(tmp_path / "app.py")],
                           env=run_env, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"the OSHMEM job hung: {e.stdout}\n{e.stderr}")
    out = r.stdout
    assert r.returncode == 0, out + r.stderr[-3000:]
    for pe in (0, 1):
        assert f"PE {pe}: OpenSHMEM 1.4 ok, put_signal missing: yes, 1.6 missing: 10" in out, out
