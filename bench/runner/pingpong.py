"""The PingPong variants: one table (size, one-way latency, bandwidth) each,
best of --rounds runs, memcpy from the C runs' own column."""
import sys

from . import env
from .common import Job

QUICK_MAX = 4 << 20  # still holds the 1 and 4 MiB sizes the targets read
DEFAULT_MAX = 16 << 20
# name: (label, peer?) - a peer is another project's code, whose failure is
# reported but does not fail the run.
VARIANTS = {
    "c-shmem": ("C, libshmem (ours)", False),
    "py-shmem": ("Python, shmem4py (ours)", False),
    "njit-shmem": ("Python, the loop in one numba.njit function, shmem4py (ours)", False),
    "c-mpi": ("C, MPI Send/Recv (MPICH wheel)", True),
    "py-mpi": ("Python, mpi4py Send/Recv (MPICH wheel)", True),
    "c-oshmem": ("C, Open MPI OSHMEM", True),
    "py-shmem4py1": ("Python, shmem4py 1.0 on OSHMEM", True),
}


def parse_table(text):
    """{size: [latency_us, bandwidth_GBps, memcpy_GBps or None]} from a table."""
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdigit():
            try:
                vals = [float(p) for p in parts[1:4]]
            except ValueError:
                continue
            rows[int(parts[0])] = [vals[0], vals[1], vals[2] if len(vals) > 2 else None]
    return rows


def _build(cc, source, exe, extra=()):
    import subprocess
    exe.parent.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([cc, "-O2", *extra, str(source), "-o", str(exe)], capture_output=True,
                       text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"{cc} {source.name}: {r.stderr.strip()[-400:]}")
    return exe


def plan(variants, record, build_dir, max_bytes, reps):
    """The jobs for the chosen variants; those not installed go to RECORD."""
    jobs = []
    args = [str(max_bytes), str(reps)]
    for v in variants:
        try:
            cmd, job_env = _command(v, build_dir)
        except RuntimeError as e:
            record.skip("pingpong", v, str(e))
            continue
        # Both Python bindings run the same calls: the published one has no
        # shmem.p, so the flag is written with atomic_set in both.
        flag = ["atomic_set"] if v in ("py-shmem", "py-shmem4py1") else []
        jobs.append(Job("pingpong", v, cmd + args + flag, 2, job_env))
    return jobs


def _command(v, build_dir):
    py, src = sys.executable, env.BENCH
    if v in ("c-shmem", "py-shmem", "njit-shmem"):
        run = env.shmemrun()
        if not run:
            raise RuntimeError("shmemrun not found (run scripts/setup.sh)")
        if v == "c-shmem":
            exe = env.BUILD / "bench" / "pingpong"
            if not exe.exists():
                raise RuntimeError(f"{exe} is not built (scripts/setup.sh)")
            return [run, "-n", "2", exe], None
        if v == "njit-shmem":
            script = src / "pingpong_njit.py"
            if not script.exists():
                raise RuntimeError("bench/pingpong_njit.py is not there (the Numba issue, #18)")
            if not env.has_module("shmem4py._numba"):
                raise RuntimeError("shmem4py._numba (shmem4py inside numba.njit) is not "
                                   "installed")
            return [run, "-n", "2", py, script], None
        return [run, "-n", "2", py, src / "pingpong.py"], None
    if v in ("c-mpi", "py-mpi"):
        mpiexec = env.mpiexec()
        if not mpiexec:
            raise RuntimeError("mpiexec of the mpich wheel not found (pip install mpich)")
        if v == "py-mpi":
            if not env.has_module("mpi4py"):
                raise RuntimeError("mpi4py is not installed (pip install mpi4py)")
            return [mpiexec, "-n", "2", py, src / "pingpong_mpi4py.py"], None
        if not env.mpicc():
            raise RuntimeError("mpicc of the mpich wheel not found (pip install mpich)")
        exe = _build(env.mpicc(), src / "pingpong_mpi.c", build_dir / "pingpong_mpi")
        return [mpiexec, "-n", "2", exe], None
    if v in ("c-oshmem", "py-shmem4py1"):
        if not env.oshmem_tools():
            raise RuntimeError("Open MPI's OSHMEM is not installed (bash bench/setup.sh)")
        if v == "c-oshmem":
            exe = _build(env.oshmem_tools()[0], src / "pingpong.c",
                         build_dir / "pingpong_oshmem", ["-I", str(src)])
            return env.oshrun_cmd(2) + [exe], env.oshmem_environ()
        if not env.SHMEM4PY1_PYTHON.exists():
            raise RuntimeError("shmem4py 1.0 is not installed (bash bench/setup.sh)")
        return env.oshrun_cmd(2) + [env.SHMEM4PY1_PYTHON, src / "pingpong.py"], \
            env.oshmem_environ()
    raise RuntimeError(f"unknown PingPong variant {v!r}")


def collect(jobs, record):
    """{variant: {"label", "sizes", "latency_us", "bandwidth_GBps", "runs"}} with the
    best time per size over the jobs of each variant; memcpy as its own entry."""
    from .figures import c_extras
    best, extras, memcpy = {}, {}, {}
    for job in jobs:
        rows = parse_table(job.stdout)
        peer = VARIANTS[job.variant][1]
        if job.returncode != 0 or not rows:
            why = (f"exit status {job.returncode}" if job.returncode != 0
                   else "printed no table") + f": {job.tail()}"
            record.fail("pingpong", job.variant, 2, why, peer)
            continue
        b = best.setdefault(job.variant, {})
        for size, (lat, _bw, mcpy) in rows.items():
            b[size] = min(lat, b.get(size, float("inf")))
            if mcpy:
                m = memcpy.setdefault(job.variant, {})
                m[size] = max(mcpy, m.get(size, 0.0))
        if job.variant in ("c-shmem", "c-oshmem"):
            mine = extras.setdefault(job.variant, {})
            for k, val in c_extras(job.stdout).items():
                # Best of the rounds: the highest ratio, the lowest time.
                keep = max if k.startswith("one-way") else min
                if val is not None:
                    mine[k] = keep(val, mine.get(k, val))
    out = {}
    for v, b in best.items():
        sizes = sorted(b)
        out[v] = {"label": VARIANTS[v][0], "peer": VARIANTS[v][1], "sizes": sizes,
                  "latency_us": [b[s] for s in sizes],
                  "bandwidth_GBps": [s / b[s] / 1e3 for s in sizes],
                  "runs": sum(1 for j in jobs if j.variant == v)}
        if v in extras:
            out[v]["extra"] = extras[v]
    # memcpy as the C PingPong on libshmem measured it (on OSHMEM's where
    # ours did not run): the same source times it beside each size.
    src = "c-shmem" if "c-shmem" in memcpy else "c-oshmem"
    if src in memcpy:
        m = memcpy[src]
        sizes = sorted(m)
        out["memcpy"] = {"label": f"memcpy (same run, measured by {src}'s PE 0)", "peer": False,
                         "sizes": sizes, "bandwidth_GBps": [m[s] for s in sizes]}
    _ratios(out)
    return out


def _ratios(out):
    """Each figure's ratio: bandwidth / memcpy, and latency / the same
    language's C on the same library (Python / C, shmem4py 1.0 / C OSHMEM)."""
    mc = dict(zip(out["memcpy"]["sizes"], out["memcpy"]["bandwidth_GBps"])) \
        if "memcpy" in out else {}
    base = {"py-shmem": "c-shmem", "njit-shmem": "c-shmem", "py-mpi": "c-mpi",
            "py-shmem4py1": "c-oshmem"}
    for v, d in out.items():
        if v == "memcpy":
            continue
        d["bw_over_memcpy"] = [bw / mc[s] if s in mc else None
                               for s, bw in zip(d["sizes"], d["bandwidth_GBps"])]
        ref = out.get(base.get(v))
        if ref:
            lat = dict(zip(ref["sizes"], ref["latency_us"]))
            d["latency_over_c"] = [t / lat[s] if s in lat else None
                                   for s, t in zip(d["sizes"], d["latency_us"])]
