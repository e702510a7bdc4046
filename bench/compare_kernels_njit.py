"""Runs a C kernel (<kernel>_shmem, bench/kernels/c) and its @njit version
(bench/kernels/py/<kernel>_njit.py) in alternation under shmemrun and prints
the rates of every round, the best of each and their ratio njit/C (issue
#18's target for synch_p2p: at least 1 / 1.5 = 0.67).

    python bench/compare_kernels_njit.py synch_p2p 10 1000 1000 [-n 2] [--rounds 5] [--c PATH]

Taking the best of several alternating rounds filters out the rounds that
other processes of a shared machine disturbed.
"""
import argparse
import os
import re
import subprocess
import sys

from launch import ROOT, shmemrun

RESULT = re.compile(r"^RESULT .*valid=(\d) rate=(\S+) ", re.M)


def rate(cmd):
    """The rate of the RESULT line of one run (None when invalid or absent)."""
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    m = RESULT.search(r.stdout)
    if r.returncode != 0 or not m or m.group(1) != "1":
        print(f"# failed: {' '.join(cmd)}\n{r.stdout}{r.stderr}", file=sys.stderr)
        return None
    return float(m.group(2))


def main():
    """Run the two versions in alternation and print the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kernel", choices=["synch_p2p", "stencil"])
    ap.add_argument("args", nargs="+")
    ap.add_argument("-n", "--npes", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--c", help="the C kernel (default build/bench/kernels/<kernel>_shmem)")
    a = ap.parse_args()
    c_exe = a.c or str(ROOT / "build" / "bench" / "kernels" / f"{a.kernel}_shmem")
    run = shmemrun()
    if not run or not os.path.exists(c_exe):
        sys.exit(f"compare_kernels_njit: need shmemrun and the C kernel ({c_exe})")
    launch = [run, "-n", str(a.npes)]
    versions = {"C": [*launch, c_exe, *a.args],
                "njit": [*launch, sys.executable,
                         str(ROOT / "bench" / "kernels" / "py" / f"{a.kernel}_njit.py"), *a.args]}
    rates = {name: [] for name in versions}
    rate(versions["njit"])             # compiles into Numba's cache before the rounds
    for _ in range(a.rounds):
        for name, cmd in versions.items():
            got = rate(cmd)
            if got is not None:
                rates[name].append(got)
    print(f"# {a.kernel} {' '.join(a.args)}, {a.npes} PEs, {a.rounds} alternating rounds "
          "(rate, MFlops/s)")
    for name, got in rates.items():
        print(f"{name:>5}: " + " ".join(f"{x:.1f}" for x in got))
    if rates["C"] and rates["njit"]:
        c, nj = max(rates["C"]), max(rates["njit"])
        print(f"best: C {c:.1f}, njit {nj:.1f}; njit/C rate ratio {nj / c:.3f} "
              "(target for synch_p2p >= 0.667, i.e. within 1.5x)")


if __name__ == "__main__":
    main()
