"""synch_p2p (the PRK's pipelined wavefront) with each whole iteration,
communication included, inside one @numba.njit function: the waits, puts,
fences and atomics are shmem4py calls from compiled code (shmem4py._numba).

On an m x n grid with A(i,0) = i and A(0,j) = j, every other point is
A(i,j) = A(i-1,j) + A(i,j-1) - A(i-1,j-1).  The m columns are split in
blocks over the PEs; row by row, a PE waits for its left neighbour's last
value (p + fence + atomic_set of the row's flag, awaited with wait_until),
computes its part of the row and passes its own last value on.  The top
right corner, negated, goes back to A(0,0) and chains the iterations;
A(m-1,n-1) ends at (iterations+1)(m+n-2).

    shmemrun -n N python bench/kernels/py/synch_p2p_njit.py <iterations> <m> <n>

PE 0 prints the PRK lines and, last, the RESULT line of bench/ (variant
njit-shmem, unit MFlops/s).
"""
import sys

import numpy as np
from numba import njit, types

from shmem4py import shmem

KERNEL, VARIANT = "synch_p2p", "njit-shmem"


def block(n, p, k):
    """Start and size of part k of n items split over p parts (the PRK's split)."""
    q, r = divmod(n, p)
    return k * q + min(k, r), q + (1 if k < r else 0)


@njit(cache=True)
def sweep(grid, inbox, flag, seg, n, first, left, right, last, me, npes, stamp):
    """One iteration: every row j = 1..n-1 of this PE's columns, then the
    corner back to PE 0.  grid[:, 0] is the ghost column (the left
    neighbour's last value); grid[:, i + 1] is local column i."""
    for j in range(1, n):
        if left >= 0:
            shmem.wait_until(flag[j:j + 1], shmem.CMP_GE, stamp)
            grid[j, 0] = inbox[j]
        # the recurrence along the row, with the west and north-west values
        # carried in registers (as a C compiler keeps them)
        row, up = grid[j], grid[j - 1]
        west, northwest = row[first], up[first]
        for i in range(first + 1, seg + 1):
            north = up[i]
            west = west + north - northwest
            row[i] = west
            northwest = north
        if right >= 0:
            shmem.p(inbox[j:j + 1], grid[j, seg], right)
            shmem.fence()
            shmem.atomic_set(flag[j:j + 1], stamp, right)
    if npes == 1:
        grid[0, 1] = -grid[n - 1, seg]
    else:
        if me == last:
            shmem.p(inbox[0:1], -grid[n - 1, seg], 0)
            shmem.fence()
            shmem.atomic_set(flag[0:1], stamp, 0)
        if me == 0:
            shmem.wait_until(flag[0:1], shmem.CMP_GE, stamp)
            grid[0, 1] = inbox[0]


@njit(cache=True)
def run(grid, inbox, flag, seg, n, first, left, right, last, me, npes, iterations):
    """Iterations 0..iterations, the stamps counting from 1; iteration 0 is
    not timed, as in the PRK.  Returns this PE's seconds for the others."""
    ts = np.zeros(2, dtype=np.int64)
    t0 = 0.0
    for it in range(iterations + 1):
        if it == 1:
            shmem.barrier_all()
            t0 = _now(ts)
        sweep(grid, inbox, flag, seg, n, first, left, right, last, me, npes, it + 1)
    return _now(ts) - t0


# The monotonic clock from compiled code: libc's clock_gettime.
_clock_gettime = types.ExternalFunction("clock_gettime", types.int32(types.int32, types.uintp))


@njit(cache=True)
def _now(ts):
    _clock_gettime(1, ts.ctypes.data)    # CLOCK_MONOTONIC
    return ts[0] + ts[1] * 1e-9


def usage(me, msg):
    if me == 0:
        print(f"{KERNEL}_njit: {msg}\nusage: synch_p2p_njit.py <iterations> <m> <n>",
              file=sys.stderr)
    return 2


def main(argv):
    """Run the kernel; returns the exit status (0, 1 invalid, 2 usage)."""
    me, npes = shmem.my_pe(), shmem.n_pes()
    if len(argv) != 3:
        return usage(me, "expected 3 arguments")
    try:
        iterations, m, n = (int(a) for a in argv)
    except ValueError:
        return usage(me, "the arguments must be integers")
    if iterations < 1 or m < 2 or n < 2:
        return usage(me, "iterations must be >= 1, m and n >= 2")
    if m <= npes:
        return usage(me, f"the first grid dimension m = {m} must exceed the PE count {npes}")
    if me == 0:
        print("Parallel Research Kernels (shmem4py bench, njit)")
        print("OpenSHMEM pipeline execution on 2D grid")
        print(f"Number of PEs              = {npes}")
        print(f"Grid sizes                 = {m}, {n}")
        print("Synchronization            = put + fence + atomic_set + wait_until (in njit)")
        print(f"Number of iterations       = {iterations}")
        sys.stdout.flush()
    start, seg = block(m, npes, me)
    # row-major (n, seg + 1): a row j is contiguous, column 0 is the ghost
    grid = np.zeros((n, seg + 1))
    grid[0, :] = np.arange(start - 1, start + seg, dtype=np.float64)
    if me == 0:
        grid[:, 1] = np.arange(n, dtype=np.float64)
    first = 1 if me == 0 else 0
    inbox = shmem.zeros(n, dtype=np.float64)
    flag = shmem.zeros(n, dtype=np.int64)
    left = me - 1
    right = me + 1 if me + 1 < npes else -1
    last = npes - 1
    # compile outside the timed region: one sweep on a copy, then start over
    warm = grid.copy()
    shmem.barrier_all()
    sweep(warm, inbox, flag, seg, n, first, left, right, last, me, npes, 1)
    shmem.barrier_all()
    flag[:] = 0
    shmem.barrier_all()
    seconds = run(grid, inbox, flag, seg, n, first, left, right, last, me, npes, iterations)
    elapsed = shmem.array(np.array([seconds]))
    total = shmem.zeros(1)
    shmem.max_reduce(total, elapsed)
    corner = shmem.array(np.array([grid[n - 1, seg] if me == last else 0.0]))
    csum = shmem.zeros(1)
    shmem.sum_reduce(csum, corner)
    expected = (iterations + 1) * (m + n - 2)
    valid = abs(csum[0] - expected) / expected < 1e-8
    if me == 0:
        avg = total[0] / iterations
        rate = 1e-6 * 2.0 * (m - 1) * (n - 1) / avg
        if valid:
            print("Solution validates")
            print(f"Rate (MFlops/s): {rate:f} Avg time (s): {avg:f}")
        else:
            print(f"ERROR: checksum {csum[0]:f} does not match verification value {expected:f}")
            print("ERROR: solution does not validate")
        print(f"RESULT kernel={KERNEL} variant={VARIANT} npes={npes} valid={int(valid)} "
              f"rate={rate:.9g} unit=MFlops/s time_s={avg:.9g} args={','.join(argv)}")
        sys.stdout.flush()
    shmem.barrier_all()
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
