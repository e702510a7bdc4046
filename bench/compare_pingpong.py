"""Runs the C PingPong (bench/pingpong.c) and its Python mirror
(bench/pingpong.py) back to back, each under shmemrun with 2 PEs, and prints
Python against C per size: latency difference and ratio, bandwidth ratio.

    python bench/compare_pingpong.py [max_bytes] [reps] [--c PATH] [--rounds N]

The C binary defaults to build/bench/pingpong.  With --rounds N (default 3)
both run N times, alternating, and each size keeps its best time: on a
shared machine this filters out the rounds that other processes disturbed.
"""
import argparse
import os
import subprocess
import sys

from launch import ROOT, shmemrun


def table(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600).stdout
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdigit():
            rows[int(parts[0])] = float(parts[1])  # latency_us
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("max_bytes", nargs="?", default=str(16 << 20))
    ap.add_argument("reps", nargs="?", default="100")
    ap.add_argument("--c", default=str(ROOT / "build" / "bench" / "pingpong"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    run = shmemrun()
    if not run or not os.path.exists(args.c):
        sys.exit(f"compare_pingpong: need shmemrun and the C benchmark ({args.c})")
    best_c, best_py = {}, {}
    for _ in range(args.rounds):
        for best, cmd in ((best_c, [run, "-n", "2", args.c, args.max_bytes, args.reps]),
                          (best_py, [run, "-n", "2", sys.executable,
                                     str(ROOT / "bench" / "pingpong.py"), args.max_bytes,
                                     args.reps])):
            for size, lat in table(cmd).items():
                best[size] = min(lat, best.get(size, float("inf")))
    print(f"# PingPong one-way latency, C vs Python (shmem4py), best of {args.rounds} rounds")
    print(f"{'size_bytes':>12} {'C_us':>10} {'Python_us':>10} {'diff_us':>9} {'lat_ratio':>10} "
          f"{'bw_ratio':>9}")
    for size in sorted(best_c):
        if size not in best_py:
            continue
        c, p = best_c[size], best_py[size]
        print(f"{size:12d} {c:10.3f} {p:10.3f} {p - c:9.3f} {p / c:10.3f} {c / p:9.3f}")


if __name__ == "__main__":
    main()
