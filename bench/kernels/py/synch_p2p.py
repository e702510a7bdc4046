"""synch_p2p: the PRK's pipelined wavefront (Python mirror of
synch_p2p_shmem.c and synch_p2p_mpi.c).  On an m x n grid with A(i, 0) = i
and A(0, j) = j, every other point is A(i, j) = A(i-1, j) + A(i, j-1) -
A(i-1, j-1); the m columns are split in blocks over the PEs and the rows
j = 1 .. n-1 sweep through them, each PE waiting, row by row, for its left
neighbour's last value.  After each sweep the top right corner, negated,
goes back to A(0, 0), which chains the iterations; A(m-1, n-1) ends at
(iterations + 1)(m + n - 2).

    shmemrun -n N python synch_p2p.py --comm shmem [--numba] <iterations> <m> <n>
    mpiexec  -n N python synch_p2p.py --comm mpi   [--numba] <iterations> <m> <n>

shmem: the value travels by shmem.p into the right neighbour's slot for
the row, then (after a fence) an atomic set of the row's flag to the
iteration's stamp, which the receiver awaits with wait_until.  A slot is not
written again before it was read: the next sweep cannot start before the
corner came back, which needs every PE to be done with the current one.
MPI: Send and Recv of the one value, as the PRK's MPI1 version.

Within a PE's row the recurrence is a prefix sum: A(i, j) = A(i-1, j) +
(A(i, j-1) - A(i-1, j-1)), so the NumPy form is one subtraction and one
cumulative sum (a sequential scan from the row's known first value, the
recurrence's own order of additions) per row; the values are integers below
2^53, exact either way.  With
--numba the row is the C loop, compiled.  Communication stays in Python,
one wait and one send per row, as in the published paper's Numba version.
"""
import sys

import numpy as np

from prk_common import Kernel, block_size, block_start, njit, wtime


def make_row_numpy(grid, lo):
    """A function computing row j of GRID from column LO on with NumPy
    (columns lo-1 of row j and all of row j-1 known)."""
    width = grid.shape[1] - lo
    # scan[0] is the row's known value in column lo-1, scan[1:] the previous
    # row's differences: their running sum is the row from column lo-1 on,
    # added in the recurrence's own order.
    scan = np.empty(width + 1)
    diff = scan[1:]
    subtract, cumsum = np.subtract, np.add.accumulate
    # Every row's views, made once: a short row costs NumPy's calls more than
    # its arithmetic, and slicing per row would add half again.
    views = [(grid[j - 1, lo:], grid[j - 1, lo - 1:-1], grid[j, lo - 1:])
             for j in range(1, grid.shape[0])]

    def row(j):
        prev_hi, prev_lo, cur = views[j - 1]
        subtract(prev_hi, prev_lo, diff)
        scan[0] = cur[0]
        cumsum(scan, out=cur)

    return row


def make_row_numba(grid, lo):
    """The same as make_row_numpy, the C loop compiled by numba."""

    @njit
    def sweep_row(a, j, lo):
        for i in range(lo, a.shape[1]):
            a[j, i] = a[j, i - 1] + a[j - 1, i] - a[j - 1, i - 1]

    sweep_row(np.zeros((2, 2)), 1, 1)  # compile before any timing

    def row(j):
        sweep_row(grid, j, lo)

    return row


def main():
    """Runs the kernel; returns the exit status."""
    k = Kernel("synch_p2p", "<iterations> <m> <n>", 3, 3)
    iterations = k.int_arg(1, "iterations", 1, 2**31 - 1)
    m = k.int_arg(2, "m", 2, 1 << 30)
    n = k.int_arg(3, "n", 2, 1 << 30)
    comm, me, npes = k.comm, k.me, k.npes
    if m <= npes:
        k.usage_error(f"the first grid dimension m = {m} must exceed the PE count {npes}")
    shmem_comm = comm.name == "shmem"
    k.banner("Pipeline execution on 2D grid", [
        ("Number of PEs", npes), ("Grid sizes", f"{m}, {n}"),
        ("Synchronization", "p + fence + atomic_set + wait_until" if shmem_comm
         else "Send + Recv"),
        ("Number of iterations", iterations)])

    # Columns [start, start + seg) are this PE's, stored after one ghost
    # column: grid[j, 1 + i] is global column start + i, i >= -1.
    start, seg = block_start(m, npes, me), block_size(m, npes, me)
    try:
        grid = np.zeros((n, seg + 1))
        ok = 1.0
    except MemoryError:
        ok = 0.0
    if comm.sum(1.0 - ok) > 0:
        k.usage_error(f"cannot allocate the grid ({m} x {n})")
    grid[0, :] = np.arange(start - 1, start + seg, dtype=np.float64)
    if me == 0:
        grid[:, 1] = np.arange(n, dtype=np.float64)
    # The boundary column belongs to PE 0 and is never recomputed.
    lo = 2 if me == 0 else 1
    row = (make_row_numba if k.numba else make_row_numpy)(grid, lo)

    left = me - 1 if me > 0 else -1
    right = me + 1 if me + 1 < npes else -1
    last = npes - 1
    if shmem_comm:
        shmem = comm.shmem
        inbox = comm.zeros(n, symmetric=True)
        flag = comm.zeros(n, dtype=np.int64, symmetric=True)
        p, fence, atomic_set, wait_until = shmem.p, shmem.fence, shmem.atomic_set, \
            shmem.wait_until
        GE = shmem.CMP.GE
        # One-element views, made once: the wait and the atomics take buffers.
        slot = [inbox[j:j + 1] for j in range(n)]
        flags = [flag[j:j + 1] for j in range(n)]
        comm.barrier()

        def sweep(stamp):
            for j in range(1, n):
                if left >= 0:
                    wait_until(flags[j], GE, stamp)
                    grid[j, 0] = inbox[j]
                row(j)
                if right >= 0:
                    p(slot[j], grid[j, seg], right)
                    fence()
                    atomic_set(flags[j], stamp, right)

        def close(stamp):
            if me == last:
                p(slot[0], -grid[n - 1, seg], 0)
                fence()
                atomic_set(flags[0], stamp, 0)
            if me == 0:
                wait_until(flags[0], GE, stamp)
                grid[0, 1] = inbox[0]
    else:
        mpi = comm.comm
        Send, Recv = mpi.Send, mpi.Recv
        ghosts = [grid[j, 0:1] for j in range(n)]
        edges = [grid[j, seg:seg + 1] for j in range(n)]
        corner_out = np.zeros(1)

        def sweep(stamp):
            for j in range(1, n):
                if left >= 0:
                    Recv(ghosts[j], left, 1)
                row(j)
                if right >= 0:
                    Send(edges[j], right, 1)

        def close(stamp):
            if me == last:
                corner_out[0] = -grid[n - 1, seg]
                Send(corner_out, 0, 2)
            if me == 0:
                Recv(grid[0, 1:2], last, 2)

    t0 = 0.0
    for it in range(iterations + 1):
        if it == 1:
            comm.barrier()
            t0 = wtime()
        sweep(it + 1)
        # The corner closes the loop: from the last PE back to PE 0.
        if npes == 1:
            grid[0, 1] = -grid[n - 1, seg]
        else:
            close(it + 1)
    elapsed = comm.max(wtime() - t0)

    # The corner lives on the last PE; a sum brings it to every PE.
    corner = comm.sum(float(grid[n - 1, seg]) if me == last else 0.0)
    expected = float(iterations + 1) * float(m + n - 2)
    valid = abs(corner - expected) / expected < 1e-8

    avgtime = elapsed / iterations
    rate = 1e-6 * 2.0 * (m - 1) * (n - 1) / avgtime
    status = k.report(valid, rate, "MFlops/s", avgtime,
                      error=f"ERROR: checksum {corner:f} does not match verification value "
                            f"{expected:f}")
    if shmem_comm:
        comm.shmem.barrier_all()
        comm.free(flag)
        comm.free(inbox)
    return status


if __name__ == "__main__":
    sys.exit(main())
