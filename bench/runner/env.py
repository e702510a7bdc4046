"""Where bench/run finds the project's tools and the peers', and what it
records about the machine."""
import functools
import importlib.metadata
import os
import pathlib
import platform
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
BUILD = ROOT / "build"
# shmem4py 1.0 from PyPI over Open MPI's OSHMEM, installed by bench/setup.sh.
SHMEM4PY1_PYTHON = ROOT / ".venv-shmem4py1" / "bin" / "python"
# As ../shared/PEERS.md says: root allowed, more PEs than cores, and the osc
# rdma component off (Debian 12's build crashes in shmem_finalize with it).
OSHMEM_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
              "OMPI_MCA_osc": "^rdma"}


def _bin(name):
    """NAME beside the running Python (the .venv), else on PATH; None if neither."""
    here = pathlib.Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    return shutil.which(name)


def shmemrun():
    """Our launcher: the .venv's, else build/'s, else one on PATH that is not
    Open MPI's (which installs its oshrun as shmemrun too)."""
    here = pathlib.Path(sys.executable).parent / "shmemrun"
    if here.exists():
        return str(here)
    build = BUILD / "shmemrun"
    if build.exists():
        return str(build)
    found = shutil.which("shmemrun")
    if found and "orterun" not in os.path.realpath(found) and "prterun" not in \
            os.path.realpath(found):
        return found
    return None


def mpiexec():
    """mpiexec of the .venv (the mpich wheel, which mpi4py loads); a system
    mpiexec is not used, since mpi4py would not run under it."""
    here = pathlib.Path(sys.executable).parent / "mpiexec"
    return str(here) if here.exists() else None


def shmemcc():
    """Our C compiler wrapper: the .venv's, else build/'s; None if neither."""
    for cand in (pathlib.Path(sys.executable).parent / "shmemcc", BUILD / "shmemcc"):
        if cand.exists():
            return str(cand)
    return None


def mpicc():
    """mpicc of the .venv's mpich wheel, None where it is missing."""
    here = pathlib.Path(sys.executable).parent / "mpicc"
    return str(here) if here.exists() else None


def oshmem_tools():
    """(oshcc, oshrun) of Open MPI's OSHMEM, or None where one is missing."""
    oshcc, oshrun = shutil.which("oshcc"), shutil.which("oshrun")
    return (oshcc, oshrun) if oshcc and oshrun else None


def oshrun_cmd(npes):
    """The start of an oshrun command line for NPES PEs (PEERS.md's flags)."""
    tools = oshmem_tools()
    return [tools[1], "--oversubscribe", "-n", str(npes)] if tools else None


def oshmem_environ():
    """The environment to start OSHMEM programs in."""
    return dict(os.environ, **OSHMEM_ENV)


@functools.lru_cache(maxsize=None)
def has_module(name):
    """Whether NAME imports in the Python that runs the Python variants
    (asked once per run: importing numba takes a second)."""
    r = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True,
                       timeout=120)
    return r.returncode == 0


def _version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _run_text(cmd, **kw):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def _cpu_model():
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _os_name():
    try:
        for line in pathlib.Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"') + f" (Linux {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def load():
    """The 1-minute load average (None where unknown): figures taken while
    other jobs run on the cores are not comparable with a quiet run's."""
    try:
        return float(pathlib.Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def others_runnable():
    """Tasks of other jobs ready to run now (None where unknown), sampled
    between two of our runs: /proc/loadavg's count of runnable tasks, less
    the runner that reads it.  Unlike the load average, which counts our
    own PEs, this says whether other jobs took cores from the measurement."""
    try:
        running = int(pathlib.Path("/proc/loadavg").read_text().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(running - 1, 0)


def machine():
    """The machine and the versions of everything measured, for results.json."""
    versions = {"shmem4py": _version("shmem4py"), "numpy": _version("numpy"),
                "mpich": _version("mpich"), "mpi4py": _version("mpi4py"),
                "numba": _version("numba"), "matplotlib": _version("matplotlib")}
    tools = oshmem_tools()
    if tools:
        # oshmem_info prints "Open MPI: 4.1.4" among its many lines.
        info = _run_text(["oshmem_info", "--parsable"]) or ""
        for line in info.splitlines():
            if line.startswith("ompi:version:full:"):
                versions["oshmem"] = "Open MPI " + line.rsplit(":", 1)[1]
        versions.setdefault("oshmem", "installed")
    else:
        versions["oshmem"] = None
    versions["shmem4py_1.0"] = (_run_text([str(SHMEM4PY1_PYTHON), "-c",
                                           "import shmem4py; print(shmem4py.__version__)"])
                                if SHMEM4PY1_PYTHON.exists() else None)
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "os": _os_name(),
            "python": platform.python_version(), "numpy": versions["numpy"],
            "load_at_end": load(),
            "versions": versions}
