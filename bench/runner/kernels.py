"""The kernel variants, started exactly as bench/CONTRACT (the RESULT line)
says, and the RESULT lines they print."""
import contextlib
import importlib.util
import io
import pathlib
import re
import subprocess
import sys

from . import env
from .common import OURS, TIMED_OUT, Job

KERNELS = ["nstream", "stencil", "synch_p2p", "transpose", "transpose_put", "random", "reduce"]
# Benchmarks that run another kernel's program with an argument of its own:
# transpose_put is transpose's put-based variant.
PROGRAM = {"transpose_put": "transpose"}
VARIANTS = ["c-shmem", "c-mpi", "c-oshmem", "py-shmem", "py-mpi", "numba-shmem", "numba-mpi",
            "njit-shmem"]
DEFAULT_C_DIR = env.BENCH / "kernels" / "c"
PEER_VARIANTS = {"c-oshmem"}  # Open MPI's code: its failures do not fail the run
# Positional arguments per kernel: default sizes take 1-5 s at 2-4 PEs on a
# 2-core machine, quick ones well under 1 s.
ARGS = {
    "default": {"nstream": [20, 2_000_000], "stencil": [20, 1000], "synch_p2p": [10, 1000, 1000],
                "transpose": [10, 1024], "transpose_put": [10, 1024, "put"],
                "random": [20, 1 << 18], "reduce": [20, 1_000_000]},
    "quick": {"nstream": [5, 100_000], "stencil": [5, 200], "synch_p2p": [2, 200, 200],
              "transpose": [5, 256], "transpose_put": [5, 256, "put"],
              "random": [14, 4096], "reduce": [5, 10_000]},
}
RESULT_RE = re.compile(r"^RESULT\s+(.*)$", re.M)


def parse_result(text):
    """The fields of the last RESULT line in TEXT, or None."""
    found = RESULT_RE.findall(text)
    if not found:
        return None
    fields = dict(kv.split("=", 1) for kv in found[-1].split() if "=" in kv)
    for k in ("rate", "time_s"):
        try:
            fields[k] = float(fields[k])
        except (KeyError, ValueError):
            fields[k] = None
    fields["valid"] = fields.get("valid") == "1"
    try:
        fields["npes"] = int(fields.get("npes", -1))
    except ValueError:
        fields["npes"] = None
    return fields


class Builds:
    """The C kernels of the MPI and OSHMEM variants, built once per run by
    bench/kernels/c/build.py (imported where it is present)."""

    def __init__(self, build_dir, py_dir, c_dir=None):
        self.build_dir = build_dir
        self.default_c = c_dir is None or pathlib.Path(c_dir).resolve() == DEFAULT_C_DIR
        self.c_dir = DEFAULT_C_DIR if c_dir is None else pathlib.Path(c_dir).resolve()
        self.py_dir = py_dir
        self.done = {}

    def shmem_exe(self, kernel):
        """The c-shmem program: CMake's build/bench/kernels/<kernel>_shmem for
        the tree's own sources, else build.py shmem (other sources, or a
        build configured without the kernels)."""
        exe = env.BUILD / "bench" / "kernels" / f"{kernel}_shmem"
        if self.default_c and exe.exists():
            return exe
        exe = self.outdir("shmem") / f"{kernel}_shmem"
        if not exe.exists():
            raise RuntimeError(f"build.py shmem made no {exe.name}")
        return exe

    def _build_py(self):
        return self.c_dir / "build.py"

    def outdir(self, kind):
        """Builds KIND ("mpi" or "oshmem") once; returns the folder or raises
        RuntimeError saying why the variants are not available."""
        if kind in self.done:
            if isinstance(self.done[kind], Exception):
                raise self.done[kind]
            return self.done[kind]
        try:
            self.done[kind] = self._build(kind)
        except RuntimeError as e:
            self.done[kind] = e
            raise
        return self.done[kind]

    def _build(self, kind):
        script = self._build_py()
        if not script.exists():
            raise RuntimeError(f"no build.py in {self.c_dir} (the C kernels have not landed)")
        if kind == "mpi" and not env.mpicc():
            raise RuntimeError("mpicc of the mpich wheel not found (pip install mpich)")
        if kind == "shmem" and not env.shmemcc():
            raise RuntimeError("shmemcc not found (run scripts/setup.sh)")
        if kind == "oshmem" and not env.oshmem_tools():
            raise RuntimeError("Open MPI's OSHMEM is not installed (bash bench/setup.sh)")
        out = self.build_dir / f"kernels-{kind}"
        out.mkdir(parents=True, exist_ok=True)
        print(f"bench/run: building the {kind} C kernels into {out} (build.py; "
              "up-to-date ones are kept)", flush=True)
        spec = importlib.util.spec_from_file_location("bench_kernels_build", script)
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except Exception as e:  # noqa: BLE001 - a broken build.py is reported, not raised
            raise RuntimeError(f"bench/kernels/c/build.py does not import: {e}") from e
        # The command line of build.py is the contract; its function, where it
        # has one of that name, saves a process.
        if callable(getattr(mod, "build", None)):
            try:
                # Its lines ("built ...") would break into the progress.
                with contextlib.redirect_stdout(io.StringIO()):
                    mod.build(kind, str(out))
                return out
            except TypeError:
                pass
            except Exception as e:  # noqa: BLE001
                raise RuntimeError(f"build.py {kind}: {e}") from e
        r = subprocess.run([sys.executable, str(script), kind, str(out)], capture_output=True,
                           text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"build.py {kind} failed: {(r.stderr or r.stdout)[-400:]}")
        return out


# The Python file of a kernel, where it is not KERNEL.py: random.py would be
# the standard library's random module for every script of its folder.
PY_FILE = {"random": "random_access.py"}


def command(bench, variant, npes, args, builds):
    """(argv, environment) of one run of BENCH; RuntimeError says why it is
    not available here."""
    kernel = PROGRAM.get(bench, bench)
    py_file = builds.py_dir / PY_FILE.get(kernel, f"{kernel}.py")
    n = str(npes)
    if variant in ("c-shmem", "py-shmem", "numba-shmem", "njit-shmem"):
        run = env.shmemrun()
        if not run:
            raise RuntimeError("shmemrun not found (run scripts/setup.sh)")
    if variant in ("c-mpi", "py-mpi", "numba-mpi"):
        mpiexec = env.mpiexec()
        if not mpiexec:
            raise RuntimeError("mpiexec of the mpich wheel not found (pip install mpich)")
    if variant == "c-shmem":
        return [run, "-n", n, builds.shmem_exe(kernel), *args], None
    if variant == "c-mpi":
        exe = builds.outdir("mpi") / f"{kernel}_mpi"
        if not exe.exists():
            raise RuntimeError(f"build.py mpi made no {exe.name}")
        return [mpiexec, "-n", n, exe, *args], None
    if variant == "c-oshmem":
        exe = builds.outdir("oshmem") / f"{kernel}_shmem"
        if not exe.exists():
            raise RuntimeError(f"build.py oshmem made no {exe.name}")
        return env.oshrun_cmd(npes) + [exe, *args], env.oshmem_environ()
    if variant == "njit-shmem":
        f = builds.py_dir / f"{kernel}_njit.py"
        if not f.exists():
            raise RuntimeError(f"no {f.name} in {builds.py_dir}")
        if not env.has_module("shmem4py._numba"):
            raise RuntimeError("shmem4py._numba (shmem4py inside numba.njit) is not installed")
        return [run, "-n", n, sys.executable, f, *args], None
    if not py_file.exists():
        raise RuntimeError(f"no {py_file.name} in {builds.py_dir}")
    numba = ["--numba"] if variant.startswith("numba") else []
    if numba and not env.has_module("numba"):
        raise RuntimeError("numba is not installed")
    if variant.endswith("-mpi"):
        if not env.has_module("mpi4py"):
            raise RuntimeError("mpi4py is not installed")
        return [mpiexec, "-n", n, sys.executable, py_file, "--comm", "mpi", *numba, *args], None
    return [run, "-n", n, sys.executable, py_file, "--comm", "shmem", *numba, *args], None


def plan(kernels, variants, npes_for, sizes, record, builds):
    """One job per (kernel, variant, npes), the PE counts of a variant being
    npes_for(variant); the unavailable ones go to RECORD."""
    jobs = []
    for kernel in kernels:
        args = [str(a) for a in ARGS[sizes][kernel]]
        program = PROGRAM.get(kernel, kernel)
        for variant in variants:
            if variant == "njit-shmem" and not (builds.py_dir / f"{program}_njit.py").exists():
                continue  # njit variants exist for some kernels only (issue #18)
            for npes in npes_for(variant):
                try:
                    cmd, job_env = command(kernel, variant, npes, args, builds)
                except RuntimeError as e:
                    record.skip(kernel, variant, str(e))
                    break
                job = Job(kernel, variant, cmd, npes, job_env)
                job.extra["args"] = args
                jobs.append(job)
    return jobs


def collect(jobs, record):
    """One entry per (kernel, variant, npes) with the best rate of its runs;
    a run that fails or does not validate goes to RECORD."""
    best = {}
    for job in jobs:
        key = (job.bench, job.variant, job.npes)
        # A run of ours on MPICH that times out is MPICH spinning on
        # oversubscribed cores: reported, but a peer's failure.  A result
        # that does not validate is ours whatever the runtime.
        peer = job.variant in PEER_VARIANTS or (job.returncode == TIMED_OUT
                                                and job.variant not in OURS)
        res = parse_result(job.stdout)
        if job.returncode == 2 and not (res and res["valid"]):
            record.skip(job.bench, job.variant, f"cannot run at {job.npes} PEs: {job.tail(200)}",
                        job.npes)
            continue
        if res is None:
            record.fail(job.bench, job.variant, job.npes,
                        f"no RESULT line (exit status {job.returncode}): {job.tail()}", peer)
            continue
        if not res["valid"] or job.returncode != 0:
            record.fail(job.bench, job.variant, job.npes,
                        f"valid={int(res['valid'])}, exit status {job.returncode}: "
                        f"{job.tail()}", peer)
            continue
        entry = best.get(key)
        if entry is None:
            entry = best[key] = {"kernel": job.bench, "variant": job.variant, "npes": job.npes,
                                 "args": job.extra["args"], "unit": res.get("unit"),
                                 "rate": res["rate"], "time_s": res["time_s"], "runs": []}
        entry["runs"].append(res["rate"])
        if res["rate"] is not None and (entry["rate"] is None or res["rate"] > entry["rate"]):
            entry["rate"], entry["time_s"] = res["rate"], res["time_s"]
    out = list(best.values())
    for e in out:
        e["rate_per_pe"] = e["rate"] / e["npes"] if e["rate"] else None
        ref = best.get((e["kernel"], "c-shmem", e["npes"]))
        e["ratio_to_c"] = (e["rate"] / ref["rate"]) if ref and ref["rate"] and e["rate"] \
            else None
        two = best.get((e["kernel"], e["variant"], 2))
        e["per_pe_over_2pes"] = (e["rate_per_pe"] / (two["rate"] / 2)) \
            if two and two["rate"] and e["rate"] and e["npes"] != 2 else None
    return out
