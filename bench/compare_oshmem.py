"""Runs the same C PingPong source (bench/pingpong.c) on libshmem (shmemrun)
and on Open MPI's OSHMEM (built with oshcc, started with oshrun), alternating,
and prints the ratios each run measured against its own physical limits.

    python bench/compare_oshmem.py [max_bytes] [reps] [--rounds N]

Needs Open MPI's OSHMEM (apt-get install libopenmpi-dev openmpi-bin); exits
with a message where oshcc or oshrun is missing.  OSHMEM is started as
../shared/PEERS.md says: as root allowed, oversubscribed, and with the osc
rdma component off (Debian 12's build crashes in shmem_finalize without it).
Each line is one run; ratios are taken within that run only.
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys

from launch import ROOT, shmemrun
SOURCE = ROOT / "bench" / "pingpong.c"
OSHMEM_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
              "OMPI_MCA_osc": "^rdma"}


def build_oshmem(out_dir):
    oshcc = shutil.which("oshcc")
    if not oshcc or not shutil.which("oshrun"):
        sys.exit("compare_oshmem: Open MPI's oshcc/oshrun are not installed "
                 "(apt-get install -y libopenmpi-dev openmpi-bin)")
    out_dir.mkdir(parents=True, exist_ok=True)
    exe = out_dir / "pingpong-oshmem"
    subprocess.run([oshcc, "-O2", "-I", str(SOURCE.parent), str(SOURCE), "-o", str(exe)],
                   check=True)
    return exe


def figures(output):
    """The ratios of one run of bench/pingpong.c, parsed from its output."""
    f = {}
    m = re.search(r"# floor .*: ([\d.]+) us", output)
    f["floor_us"] = float(m.group(1))
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[0].isdigit():
            size = int(parts[0])
            if size in (1 << 20, 4 << 20):
                f[f"bw/memcpy {size >> 20}MiB"] = float(parts[4])
    m = re.search(r"put \+ fence \+ flag: ([\d.]+) us = ([\d.]+) x floor", output)
    f["8B_us"], f["8B/floor"] = float(m.group(1)), float(m.group(2))
    m = re.search(r"raw two-flag protocol .*?= ([\d.]+) x floor; put \+ fence \+ flag = "
                  r"([\d.]+) x that", output)
    f["raw/floor"], f["8B/raw"] = (float(m.group(1)), float(m.group(2))) if m else (None, None)
    f["fetch_add/floor"] = float(re.search(r"fetch_add to peer: .*= ([\d.]+) x", output).group(1))
    f["barrier/floor"] = float(re.search(r"barrier_all .*= ([\d.]+) x", output).group(1))
    return f


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("max_bytes", nargs="?", default=str(4 << 20))
    ap.add_argument("reps", nargs="?", default="100")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--build-dir", default=str(ROOT / "build" / "bench-oshmem"))
    args = ap.parse_args()
    ours = ROOT / "build" / "bench" / "pingpong"
    run = shmemrun()
    if not run or not ours.exists():
        sys.exit(f"compare_oshmem: need shmemrun and the C benchmark ({ours}); "
                 "run scripts/setup.sh first")
    theirs = build_oshmem(pathlib.Path(args.build_dir))
    env = dict(os.environ, **OSHMEM_ENV)
    cmds = {"libshmem": [run, "-n", "2", str(ours), args.max_bytes, args.reps],
            "OSHMEM": ["oshrun", "--oversubscribe", "-n", "2", str(theirs), args.max_bytes,
                       args.reps]}
    keys = ["floor_us", "8B_us", "8B/floor", "raw/floor", "8B/raw", "fetch_add/floor",
            "barrier/floor", "bw/memcpy 1MiB", "bw/memcpy 4MiB"]
    print("# bench/pingpong.c on two implementations, one line per run "
          f"({args.rounds} rounds, alternating)")
    print(f"{'impl':>9} " + " ".join(f"{k:>15}" for k in keys))
    for _ in range(args.rounds):
        for name, cmd in cmds.items():
            out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
            if out.returncode != 0:
                print(f"{name:>9} failed (exit {out.returncode}): {out.stderr.strip()[-300:]}")
                continue
            f = figures(out.stdout)
            cells = (f"{f.get(k):15.3f}" if f.get(k) is not None else f"{'n/a':>15}"
                     for k in keys)
            print(f"{name:>9} " + " ".join(cells))


if __name__ == "__main__":
    main()
