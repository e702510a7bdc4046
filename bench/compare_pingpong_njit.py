"""Runs the C PingPong (bench/pingpong.c), its Python mirror (bench/pingpong.py)
and the @njit one (bench/pingpong_njit.py) in turn, each under shmemrun with
2 PEs, and prints njit and Python latency against C per size (their tables); the
last line is the 8-byte njit/C ratio of the figure both print last, the
best one-way time over rounds of 10 * reps batches of 8-byte round trips
(the target of issue #18: at most 1.5).

    python bench/compare_pingpong_njit.py [max_bytes] [reps] [--c PATH] [--rounds N]

With --rounds N (default 3) the three run N times, alternating, and each size
keeps its best time, which filters out rounds that other processes disturbed.
"""
import argparse
import os
import sys

import re
import subprocess

from launch import ROOT, shmemrun

# The 8-byte figure both benchmarks print last (rounds of 10 * reps batches).
LIB8 = re.compile(r"put \+ fence \+ flag: ([\d.]+) us")


def output(cmd):
    """The standard output of one benchmark run."""
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=600).stdout


def table(out):
    """size -> one-way latency (us) from the benchmark's table."""
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdigit():
            rows[int(parts[0])] = float(parts[1])
    return rows


def main():
    """Run the three benchmarks and print the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("max_bytes", nargs="?", default=str(64 << 10))
    ap.add_argument("reps", nargs="?", default="100")
    ap.add_argument("--c", default=str(ROOT / "build" / "bench" / "pingpong"))
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    run = shmemrun()
    if not run or not os.path.exists(args.c):
        sys.exit(f"compare_pingpong_njit: need shmemrun and the C benchmark ({args.c})")
    py = [sys.executable, str(ROOT / "bench" / "pingpong.py")]
    nj = [sys.executable, str(ROOT / "bench" / "pingpong_njit.py")]
    best = {"C": {}, "njit": {}, "Python": {}}
    best8 = {"C": float("inf"), "njit": float("inf")}
    for _ in range(args.rounds):
        for name, cmd in (("C", [args.c]), ("njit", nj), ("Python", py)):
            out = output([run, "-n", "2", *cmd, args.max_bytes, args.reps])
            for size, lat in table(out).items():
                best[name][size] = min(lat, best[name].get(size, float("inf")))
            m = LIB8.search(out)
            if name in best8 and m:
                best8[name] = min(best8[name], float(m.group(1)))
    c, nj_, p = best["C"], best["njit"], best["Python"]
    print(f"# PingPong one-way latency (us), C vs @njit vs Python, best of {args.rounds} rounds")
    print(f"{'size_bytes':>12} {'C_us':>9} {'njit_us':>9} {'Python_us':>10} {'njit/C':>8} "
          f"{'Python/C':>9}")
    for size in sorted(c):
        if size in nj_ and size in p:
            print(f"{size:12d} {c[size]:9.3f} {nj_[size]:9.3f} {p[size]:10.3f} "
                  f"{nj_[size] / c[size]:8.3f} {p[size] / c[size]:9.3f}")
    if best8["C"] < float("inf") and best8["njit"] < float("inf"):
        print(f"8-byte put + fence + flag, best of the rounds of 10 * reps batches: "
              f"C {best8['C']:.3f} us, njit {best8['njit']:.3f} us")
        print(f"8-byte njit/C latency ratio: {best8['njit'] / best8['C']:.3f} (target <= 1.5)")


if __name__ == "__main__":
    main()
