"""bench/run's command line: plans the jobs, runs them round after round
with progress, writes the results and says which targets are missed."""
import argparse
import datetime
import os
import pathlib
import sys
import time

from . import env, kernels, mpi_floor, pingpong, publish, report, targets
from .common import OURS, Record



def parse_args(argv):
    """The options; --quick sets sizes, reps and rounds for a short run."""
    ap = argparse.ArgumentParser(
        prog="bench/run", description="shmem4py benchmarks: PingPong and the PRK-style kernels "
        "against C, MPI and the published shmem4py, with results.json, results.md and plots.")
    ap.add_argument("--bench", default="all",
                    help="comma list of: pingpong, " + ", ".join(kernels.KERNELS) +
                    ", mpi_floor (libshmem's mpi transport against bare MPI in one program; "
                    "--transport mpi only) (default: all)")
    ap.add_argument("--variants", default="all",
                    help="comma list of variants (PingPong: " + ", ".join(pingpong.VARIANTS) +
                    "; kernels: " + ", ".join(kernels.VARIANTS) + "; default: all)")
    ap.add_argument("--npes", default=None, help="PE counts of the kernels (default 2,4; "
                    "with --quick, 2,4 for c-shmem and py-shmem and 2 for the others); "
                    "the PingPong always uses 2")
    ap.add_argument("--sizes", choices=["default", "quick"], default=None,
                    help="problem sizes: default (1-5 s a run) or quick (under 1 s)")
    ap.add_argument("--transport", choices=sorted(TRANSPORTS), default="shm",
                    help="the libshmem transport of our variants: shm (shmemrun), mpi (started "
                    "by the mpich wheel's mpiexec: the PEs of one node through shared memory, "
                    "as on a cluster node) or mpi-rma (mpiexec, every other PE through MPI-3 "
                    "RMA: SHMEM_MPI_ONNODE=0, the network path on one machine)")
    ap.add_argument("--reps", type=int, default=None,
                    help="PingPong repetitions per size, best kept (default 100; quick 10)")
    ap.add_argument("--rounds", type=int, default=None,
                    help="runs of every job, alternating; best kept (default 2; quick 1)")
    ap.add_argument("--quick", action="store_true",
                    help="quick sizes, 10 reps, 1 round: under two minutes")
    ap.add_argument("--out", default=str(env.BENCH / "results"),
                    help="folder for results.json, results.md and the plots "
                    "(default bench/results/)")
    ap.add_argument("--py-kernels", default=str(env.BENCH / "kernels" / "py"),
                    help="folder of the Python kernels (default bench/kernels/py)")
    ap.add_argument("--c-kernels", default=str(kernels.DEFAULT_C_DIR),
                    help="folder of the C kernels and their build.py (default bench/kernels/c); "
                    "another folder's libshmem kernels are built by its build.py")
    ap.add_argument("--publish", action="store_true",
                    help="also copy the run for the README and the docs: the plots to "
                    "docs/img/bench_*.png, the tables to docs/bench_results.inc, results.json "
                    "to docs/bench_results.json, and a short table and two plots into "
                    "README.md's Benchmarks section")
    # Where --publish writes (the source tree; tests give another folder).
    ap.add_argument("--publish-root", default=str(env.ROOT), help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds allowed per run (default 120); a run of ours past it fails, "
                    "one on MPI is counted as MPICH's failure")
    args = ap.parse_args(argv)
    args.sizes = args.sizes or ("quick" if args.quick else "default")
    args.reps = args.reps or (10 if args.quick else 100)
    args.rounds = args.rounds or (1 if args.quick else 2)
    known = {"pingpong", *kernels.KERNELS, mpi_floor.BENCH}
    args.bench = ["pingpong", *kernels.KERNELS, mpi_floor.BENCH] if args.bench == "all" \
        else args.bench.split(",")
    if bad := [b for b in args.bench if b not in known]:
        ap.error(f"--bench: unknown {', '.join(bad)} (known: {', '.join(sorted(known))})")
    every = [*pingpong.VARIANTS, *kernels.VARIANTS]
    args.variants = list(dict.fromkeys(every)) if args.variants == "all" \
        else args.variants.split(",")
    if bad := [v for v in args.variants if v not in every]:
        ap.error(f"--variants: unknown {', '.join(bad)} (known: {', '.join(dict.fromkeys(every))})")
    args.npes_given = args.npes is not None
    try:
        args.npes = [int(n) for n in (args.npes or "2,4").split(",")]
    except ValueError:
        ap.error(f"--npes: {args.npes!r} is not a comma list of PE counts")
    if any(n < 1 for n in args.npes):
        ap.error("--npes: PE counts must be at least 1")
    return args


def npes_for(args):
    """The PE counts of each kernel variant: --npes, but with --quick (and no
    --npes) only our two main variants run at every count, the others at the
    first, which keeps --quick under two minutes (a Numba run alone takes
    seconds to start)."""
    if args.quick and not args.npes_given:
        return lambda v: args.npes if v in ("c-shmem", "py-shmem") else args.npes[:1]
    return lambda v: args.npes


class Progress:
    """A tqdm bar on a terminal, one line per finished run in any case."""

    def __init__(self, total):
        self.total, self.done, self.bar = total, 0, None
        try:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="run", file=sys.stderr, disable=None,
                            dynamic_ncols=True)
        except ImportError:
            pass

    def step(self, line):
        """One run finished: LINE says which and how it went."""
        self.done += 1
        text = f"[{self.done}/{self.total}] {line}"
        if self.bar is not None and not self.bar.disable:
            self.bar.write(text)
            self.bar.update(1)
        else:
            print(text, flush=True)

    def close(self):
        """Ends the bar."""
        if self.bar is not None:
            self.bar.close()


# What libshmem is told for each --transport.
TRANSPORTS = {
    "shm": {"SHMEM_TRANSPORT": "shm"},
    "mpi": {"SHMEM_TRANSPORT": "mpi", "SHMEM_MPI_ONNODE": "1"},
    "mpi-rma": {"SHMEM_TRANSPORT": "mpi", "SHMEM_MPI_ONNODE": "0"},
}


def on_transport(job, transport, record):
    """JOB as it runs on TRANSPORT: our variants, C and Python, keep
    shmemrun on shm and are started by the mpich wheel's mpiexec on the
    others.  Peers run as they are."""
    if job.variant not in OURS:
        return job
    job.env = dict(job.env or os.environ, **TRANSPORTS[transport])
    if transport == "shm":
        return job
    mpiexec = env.mpiexec()
    if mpiexec is None:
        record.skip(job.bench, job.variant, f"transport {transport}: mpiexec of the mpich "
                    "wheel not found", job.npes)
        return None
    cmd = list(job.cmd)
    assert cmd[1] == "-n", cmd  # [shmemrun, -n, N, program, ...]
    job.cmd = [mpiexec, *cmd[1:]]
    return job


def main(argv=None):
    """Runs bench/run; returns 1 when one of our variants failed, else 0."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    build_dir = env.BUILD / "bench-run"
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    t0 = time.monotonic()
    record = Record()
    print(f"bench/run: {', '.join(args.bench)}; transport {args.transport}; sizes {args.sizes}; "
          f"{args.rounds} round(s); results in {out}", flush=True)
    busy = env.load()
    if busy is not None and busy >= 0.5 * (os.cpu_count() or 1):
        print(f"bench/run: load average {busy:.2f} on {os.cpu_count()} cores before the run: "
              "other jobs share the cores, so the figures and ratios may be off", flush=True)
    pp_jobs, k_jobs = [], []
    if "pingpong" in args.bench:
        pv = [v for v in args.variants if v in pingpong.VARIANTS]
        max_bytes = pingpong.QUICK_MAX if args.sizes == "quick" else pingpong.DEFAULT_MAX
        pp_jobs = pingpong.plan(pv, record, build_dir, max_bytes, args.reps)
    ks = [k for k in kernels.KERNELS if k in args.bench]
    builds = kernels.Builds(build_dir, pathlib.Path(args.py_kernels), args.c_kernels)
    if ks:
        kv = [v for v in args.variants if v in kernels.VARIANTS]
        k_jobs = kernels.plan(ks, kv, npes_for(args), args.sizes, record, builds)
    plan = [j for j in (on_transport(job, args.transport, record) for job in pp_jobs + k_jobs)
            if j is not None]
    if mpi_floor.BENCH in args.bench:
        # Started by mpiexec on the mpi transport already: not on_transport's.
        plan += mpi_floor.plan(args.transport, args.variants, args.sizes, record, build_dir)
    for s in record.skipped:
        print(f"bench/run: skipping {s['bench']} {s['variant']}: {s['reason']}", flush=True)
    progress = Progress(len(plan) * args.rounds)
    done = []
    others = []  # other jobs' runnable tasks, sampled before each of our runs
    for _ in range(args.rounds):
        for job in plan:
            sample = env.others_runnable()
            if sample is not None:
                others.append(sample)
            ran = type(job)(job.bench, job.variant, job.cmd, job.npes, job.env,
                            extra=dict(job.extra)).run(args.timeout)
            done.append(ran)
            how = "ok" if ran.returncode == 0 else f"exit {ran.returncode}"
            progress.step(f"{ran.bench} {ran.variant} {ran.npes} PEs: {how} ({ran.seconds:.1f} s)")
    progress.close()
    pp = pingpong.collect([j for j in done if j.bench == "pingpong"], record)
    ke = kernels.collect([j for j in done if j.bench not in ("pingpong", mpi_floor.BENCH)],
                         record)
    floor = mpi_floor.collect([j for j in done if j.bench == mpi_floor.BENCH], record)
    floor_wanted = mpi_floor.BENCH in args.bench and args.transport != "shm" and \
        mpi_floor.VARIANT in args.variants
    results = {
        "schema": 1, "started": started, "options": {
            "argv": " ".join(["bench/run", *(sys.argv[1:] if argv is None else argv)]),
            "bench": args.bench, "variants": args.variants, "npes": args.npes,
            "sizes": args.sizes, "transport": args.transport, "reps": args.reps,
            "rounds": args.rounds, "kernel_args": {k: kernels.ARGS[args.sizes][k] for k in ks}},
        "machine": dict(env.machine(), load_before=busy, others_runnable=(
            {"mean": round(sum(others) / len(others), 2), "max": max(others),
             "samples": len(others)} if others else None)),
        "pingpong": pp, "kernels": ke,
        "targets": (targets.pingpong_targets(pp) if pp_jobs or "pingpong" in args.bench else [])
        + (targets.kernel_targets(ke, args.npes, args.sizes) if ks else [])
        + (targets.mpi_floor_targets(floor) if floor_wanted else []),
        "mpi_floor": floor,
        "skipped": record.skipped, "failures": record.failures,
    }
    results["duration_s"] = round(time.monotonic() - t0, 1)
    report.write_json(out / "results.json", results)
    (out / "results.md").write_text(report.markdown(results))
    (out / "results.rst").write_text(report.rst(results))
    results["plots"] = report.plots(out, results)
    report.write_json(out / "results.json", results)
    if args.publish:
        if any(not f["peer"] for f in results["failures"]):
            # A table with a failed variant of ours is not one to show.
            print("bench/run --publish: not published: a variant of ours failed (below)",
                  file=sys.stderr, flush=True)
        else:
            written = publish.publish(out, results, args.publish_root)
            print("bench/run --publish: wrote " + ", ".join(written), flush=True)
    return summarize(results, out)


def summarize(results, out):
    """Prints the ratios and the missed targets; the exit status."""
    print(f"\nbench/run: {results['duration_s']} s; wrote {out / 'results.json'}, "
          f"{out / 'results.md'}, {', '.join(results['plots'])}")
    print("Targets (ratio from this run):")
    missed = []
    for t in results["targets"]:
        val = "n/a" if t["value"] is None else f"{t['value']:.3f}"
        state = {True: "met", False: "MISSED", None: f"not measured: needs {t['missing']}"
                 if t["value"] is None else f"no verdict: needs {t['missing']}"}[t["met"]]
        print(f"  {t['name']}: {val} (wanted {t['op']} {t['threshold']:.3g}) -> {state}")
        if t["met"] is False:
            missed.append(t["name"])
    print("Missed targets: " + ("; ".join(missed) if missed else "none"))
    others = results["machine"].get("others_runnable")
    if others and others["mean"] >= 0.5:
        print(f"bench/run: other jobs ran during the measurement (their runnable tasks between "
              f"our runs: mean {others['mean']:.2f}, max {others['max']}): the figures, the 4-PE "
              f"ones most, are not a quiet machine's", flush=True)
    for f in results["failures"]:
        kind = "peer failed (not ours, not counted)" if f["peer"] else "FAILED"
        print(f"bench/run: {kind}: {f['bench']} {f['variant']} at {f['npes']} PEs: {f['reason']}",
              file=sys.stderr)
    ours = [f for f in results["failures"] if not f["peer"]]
    if ours:
        names = ", ".join(sorted({f"{f['bench']} {f['variant']}" for f in ours}))
        print(f"bench/run: did not validate: {names}", file=sys.stderr)
        return 1
    return 0
