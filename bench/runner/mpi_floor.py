"""bench/mpi_floor.c under bench/run --transport mpi: libshmem's mpi
transport against the MPI it runs on, in the same processes (issue 15,
"Everything through MPI"): put bandwidth at 1 MiB over MPI_Send/Recv's, and
fetch_add over a bare MPI_Fetch_and_op + MPI_Win_flush on a window made as
libshmem's heap is.  It runs once per configuration of CONFIGS, each with
every PE through MPI RMA (SHMEM_MPI_ONNODE=0)."""
import os
import re
import subprocess

from . import env
from .common import Job

BENCH = "mpi_floor"
VARIANT = "c-shmem"
# (name, environment): every PE through MPI RMA, once on MPICH's own
# shared-memory path and once through its network layer, as ranks on other
# nodes are reached.
CONFIGS = [("mpi-only", {"SHMEM_MPI_ONNODE": "0"}),
           ("mpi-only, MPICH netmod", {"SHMEM_MPI_ONNODE": "0", "MPIR_CVAR_NOLOCAL": "1"})]
# Alternating rounds and samples per figure and round, by --sizes.
ARGS = {"default": ["20", "10"], "quick": ["5", "5"]}
# ratio name in the program's output: (target label, op, threshold or None).
RATIOS = {
    "put_bw_1MiB_over_sendrecv": ("put bandwidth at 1 MiB / MPI_Send/Recv's", ">=", 1.0),
    "put_bw_4MiB_over_sendrecv": ("put bandwidth at 4 MiB / MPI_Send/Recv's", ">=", None),
    "fetch_add_over_mpi_fetch_and_op": (
        "fetch_add / bare MPI_Fetch_and_op + MPI_Win_flush", "<=", 1.2),
}


def build(build_dir):
    """Compiles bench/mpi_floor.c with the mpich wheel's mpicc against
    build/libshmem.so (found at run time through an rpath); returns the
    program's path or raises RuntimeError saying what is missing."""
    mpicc = env.mpicc()
    if not mpicc or not env.mpiexec():
        raise RuntimeError("mpicc/mpiexec of the mpich wheel not found (pip install mpich)")
    lib = env.BUILD / "libshmem.so"
    if not lib.exists() or not (env.BUILD / "libshmem_mpi.so").exists():
        raise RuntimeError("build/libshmem.so and its mpi plugin libshmem_mpi.so are not built "
                           "(scripts/setup.sh, with the mpich wheel installed)")
    exe = build_dir / "mpi_floor"
    exe.parent.mkdir(parents=True, exist_ok=True)
    cmd = [mpicc, "-O2", "-I", str(env.ROOT / "include"), str(env.BENCH / "mpi_floor.c"),
           "-L", str(env.BUILD), "-lshmem", f"-Wl,-rpath,{env.BUILD}", "-o", str(exe)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"mpicc mpi_floor.c: {r.stderr.strip()[-400:]}")
    return exe


def plan(transport, variants, sizes, record, build_dir):
    """One job per configuration; on the shm transport, or without the
    tools, none, and RECORD says why."""
    if VARIANT not in variants:
        return []
    if transport == "shm":
        record.skip(BENCH, VARIANT, "it measures the mpi transport against MPI: run "
                    "bench/run --transport mpi")
        return []
    try:
        exe = build(build_dir)
    except RuntimeError as e:
        record.skip(BENCH, VARIANT, str(e))
        return []
    jobs = []
    for name, extra_env in CONFIGS:
        job_env = dict(os.environ, SHMEM_TRANSPORT="mpi", **extra_env)
        if "MPIR_CVAR_NOLOCAL" not in extra_env:
            # A NOLOCAL of the caller's would make both configurations one.
            job_env.pop("MPIR_CVAR_NOLOCAL", None)
        jobs.append(Job(BENCH, VARIANT, [env.mpiexec(), "-n", "2", exe, *ARGS[sizes]], 2,
                        job_env, extra={"config": name, "env": extra_env}))
    return jobs


def parse(text):
    """(figures, ratios, path, checked) from the program's output: figures
    {name: [libshmem, mpi, unit]}, ratios {name: value}, checked the numbers
    of fetch_add results it verified [libshmem's, MPI's] (None without its
    "valid 1" line)."""
    figures, ratios, path, checked = {}, {}, None, None
    for line in text.splitlines():
        parts = line.split()
        try:
            if len(parts) == 5 and parts[0] == "figure":
                figures[parts[1]] = [float(parts[2]), float(parts[3]), parts[4]]
            elif len(parts) >= 3 and parts[0] == "ratio":
                ratios[parts[1]] = float(parts[2])
        except ValueError:
            continue
        if len(parts) == 2 and parts[0] == "path":
            path = parts[1]
        elif parts[:2] == ["valid", "1"]:
            # valid 1 (..., A + B fetch_add results)
            m = re.search(r"(\d+) \+ (\d+) fetch_add results", line)
            checked = [int(m.group(1)), int(m.group(2))] if m else [0, 0]
    return figures, ratios, path, checked


def collect(jobs, record):
    """[{config, env, runs, path, figures, ratios, fetch_adds_checked}] per
    configuration that validated: each figure the best of the runs (highest
    GB/s, lowest time), the ratios recomputed from those.  A run that does
    not validate goes to RECORD as a failure of ours."""
    out = {}
    for job in jobs:
        name = job.extra["config"]
        figures, _ratios, path, checked = parse(job.stdout)
        if job.returncode != 0 or checked is None or not figures:
            why = (f"exit status {job.returncode}" if job.returncode != 0
                   else "no 'valid 1' line") + f" ({name}): {job.tail()}"
            record.fail(BENCH, VARIANT, 2, why, False)
            continue
        c = out.setdefault(name, {"config": name, "env": job.extra["env"], "runs": 0,
                                  "path": path, "figures": {}, "fetch_adds_checked": [0, 0]})
        c["runs"] += 1
        c["fetch_adds_checked"] = [a + b for a, b in zip(c["fetch_adds_checked"], checked)]
        if path != "mpi-rma":
            c["path"] = path
        for fig, (ours, mpi, unit) in figures.items():
            keep = max if unit == "GB/s" else min
            old = c["figures"].get(fig)
            c["figures"][fig] = ([keep(ours, old[0]), keep(mpi, old[1]), unit] if old
                                 else [ours, mpi, unit])
    for c in out.values():
        f = c["figures"]
        c["ratios"] = {}
        for size in (1, 4):
            if f"put_{size}MiB_GBps" in f:
                ours, mpi, _ = f[f"put_{size}MiB_GBps"]
                c["ratios"][f"put_bw_{size}MiB_over_sendrecv"] = ours / mpi
        if "fetch_add_us" in f:
            ours, mpi, _ = f["fetch_add_us"]
            c["ratios"]["fetch_add_over_mpi_fetch_and_op"] = ours / mpi
    return [out[name] for name, _ in CONFIGS if name in out]


def targets(floor, target):
    """Issue 15's two figures per configuration, as target rows (TARGET
    makes one); a configuration that did not run, or whose puts took the
    on-node path, gives no verdict."""
    rows = []
    by = {c["config"]: c for c in floor}
    for name, extra_env in CONFIGS:
        c = by.get(name)
        for key, (label, op, threshold) in RATIOS.items():
            if threshold is None:
                continue
            full = f"libshmem on MPI ({name}): {label}"
            if c is None or key not in c["ratios"]:
                rows.append(target(full, None, op, threshold, f"bench/mpi_floor run with "
                                   + " ".join(f"{k}={v}" for k, v in extra_env.items())))
                continue
            ours, mpi, unit = c["figures"]["put_1MiB_GBps" if key.startswith("put")
                                           else "fetch_add_us"]
            detail = f"libshmem {ours:.3f} {unit}, MPI {mpi:.3f} {unit}"
            row = target(full, c["ratios"][key], op, threshold, None, detail)
            if c["path"] != "mpi-rma":
                row["met"] = None
                row["missing"] = "every PE through MPI RMA (shmem_ptr reached the peer: " \
                                 "SHMEM_MPI_ONNODE=0 not honoured)"
            rows.append(row)
    return rows
