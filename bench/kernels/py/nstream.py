"""nstream: the PRK's stream triad a += b + scalar * c on every PE's own
vectors: memory bandwidth, no communication but the start of the clock and
the sums of the time and the check (Python mirror of nstream_shmem.c and
nstream_mpi.c).

    shmemrun -n N python nstream.py --comm shmem [--numba] <iterations> <length per PE> [offset]
    mpiexec  -n N python nstream.py --comm mpi   [--numba] <iterations> <length per PE> [offset]

Bandwidth counts four words per element and iteration (a read and written,
b and c read), over all PEs.  Validation: the sum of a on each PE against
its closed form.

NumPy has no fused triad, and `a += b + scalar * c` makes two temporaries
and twice the memory traffic of the C loop.  So the NumPy form works on
blocks small enough for the L2 cache: per block one multiply into a small
scratch vector and two in-place adds, so that each vector crosses the memory
bus once per iteration, as in C.  With --numba the triad is one compiled
loop.
"""
import sys

import numpy as np

from prk_common import Kernel, njit, wtime

SCALAR = 3.0
# Elements per block of the NumPy triad: 3 x 256 KiB (a, b's and c's
# blocks are streamed; the block of a and the scratch stay in L2) and few
# enough blocks that the per-call cost of NumPy stays near 1 %.
BLOCK = 32768


def make_triad_numpy(a, b, c, scalar):
    """a += b + scalar * c, blockwise with in-place ufuncs (no temporaries),
    as a function of no arguments.  b + scalar * c is formed in a scratch
    block first, so that each block of a is read and written once; the
    blocks' views are made here once, not per iteration."""
    n = a.shape[0]
    scratch = np.empty(min(BLOCK, n))
    blocks = [(a[lo:lo + BLOCK], b[lo:lo + BLOCK], c[lo:lo + BLOCK], scratch[:min(BLOCK, n - lo)])
              for lo in range(0, n, BLOCK)]
    multiply, add = np.multiply, np.add

    def triad():
        for ab, bb, cb, s in blocks:
            multiply(cb, scalar, s)
            add(s, bb, s)
            add(ab, s, ab)

    return triad


def make_triad_numba():
    """The triad as one loop compiled by numba."""

    @njit
    def triad(a, b, c, scalar):
        for j in range(a.shape[0]):
            a[j] += b[j] + scalar * c[j]

    return triad


def main():
    """Runs the kernel; returns the exit status."""
    k = Kernel("nstream", "<iterations> <vector length per PE> [offset]", 2, 3)
    iterations = k.int_arg(1, "iterations", 1, 2**31 - 1)
    length = k.int_arg(2, "vector length per PE", 1, 2**57 - 1)
    offset = k.int_arg(3, "offset", 0, 1 << 20, 0)
    comm = k.comm
    k.banner("Stream triad: A = B + scalar*C", [
        ("Number of PEs", k.npes), ("Vector length", f"{length} per PE"), ("Offset", offset),
        ("Number of iterations", iterations)])

    # One allocation with `offset` words between the vectors, as the PRK do,
    # to move them against each other in the caches.
    try:
        space = np.empty(3 * length + 2 * offset)
        ok = 1.0
    except MemoryError:
        ok = 0.0
    if comm.sum(1.0 - ok) > 0:
        k.usage_error(f"cannot allocate the vectors ({length} doubles)")
    a = space[:length]
    b = space[length + offset:2 * length + offset]
    c = space[2 * (length + offset):2 * (length + offset) + length]
    a.fill(0.0)
    b.fill(2.0)
    c.fill(2.0)

    if k.numba:
        triad = make_triad_numba()
        triad(a[:1].copy(), b[:1], c[:1], SCALAR)  # compile before any timing
        step = lambda: triad(a, b, c, SCALAR)  # noqa: E731
    else:
        step = make_triad_numpy(a, b, c, SCALAR)

    t0 = 0.0
    for it in range(iterations + 1):
        if it == 1:  # the first iteration warms up, untimed
            comm.barrier()
            t0 = wtime()
        step()
    elapsed = comm.max(wtime() - t0)

    expected_a = 0.0
    for _ in range(iterations + 1):
        expected_a += 2.0 + SCALAR * 2.0
    expected = expected_a * length
    total = float(a.sum())
    bad = abs(total - expected) / expected > 1e-8
    if bad:
        print(f"nstream: PE {k.me}: checksum {total:f}, expected {expected:f}", file=sys.stderr)
    valid = comm.sum(float(bad)) == 0

    avgtime = elapsed / iterations
    rate = 1e-6 * 4.0 * 8 * length * k.npes / avgtime
    return k.report(valid, rate, "MB/s", avgtime)


if __name__ == "__main__":
    sys.exit(main())
