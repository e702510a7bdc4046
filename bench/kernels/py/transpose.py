"""transpose: the PRK's B += A^T, A += 1 on an order x order matrix of
doubles (Python mirror of transpose_shmem.c and transpose_mpi.c).  Each PE
owns a block of order/npes columns of A and of B, stored row-major as
order rows of bo = order/npes words, so that the square block bound for
PE k (rows k*bo ..) is contiguous.

    shmemrun -n N python transpose.py --comm shmem [--numba] <iterations> <order> [alltoall|put]
    mpiexec  -n N python transpose.py --comm mpi   [--numba] <iterations> <order> [alltoall|put]

alltoall: the blocks go out as they are with one alltoall (shmem.alltoall
          on symmetric arrays, Comm.Alltoall) and the receiver adds them
          transposed to B, as the PRK's MPI alltoall version.
put:      the sender transposes each block into a private buffer and puts
          it into the receiver's landing area: shmem.put, then one
          barrier_all; with MPI, Win.Put into a window, then Win.Fence.
The landing areas alternate by iteration parity: a PE can run one
iteration ahead of a slower one, never two.

Validation: B(i, c) = (order*c + i)(iterations+1) + iterations(iterations+1)/2
exactly, summed absolute error below 1e-8.

The NumPy transposes are one ufunc call per block (NumPy picks the loop
order); the numba ones are the C loops, tiled TILE x TILE.
"""
import sys

import numpy as np

from prk_common import Kernel, njit, wtime

TILE = 64


def add_transposed_numpy(dst, src):
    """dst += src.T for square bo x bo blocks, in one call: NumPy orders the
    loops of a transposed operand itself, and measured as fast as or faster
    than a Python loop over tiles at every block size tried."""
    np.add(dst, src.T, out=dst)


def transpose_into_numpy(dst, src):
    """dst = src.T for square bo x bo blocks, in one call (as above)."""
    np.copyto(dst, src.T)


def make_numba():
    """The two block transposes as loops compiled by numba (tiled the same
    way as the NumPy ones)."""

    @njit
    def add_transposed(dst, src):
        bo = dst.shape[0]
        for it in range(0, bo, TILE):
            for jt in range(0, bo, TILE):
                for i in range(it, min(it + TILE, bo)):
                    for j in range(jt, min(jt + TILE, bo)):
                        dst[i, j] += src[j, i]

    @njit
    def transpose_into(dst, src):
        bo = dst.shape[0]
        for it in range(0, bo, TILE):
            for jt in range(0, bo, TILE):
                for i in range(it, min(it + TILE, bo)):
                    for j in range(jt, min(jt + TILE, bo)):
                        dst[i, j] = src[j, i]

    @njit
    def bump(a):
        for k in range(a.shape[0]):
            a[k] += 1.0

    return add_transposed, transpose_into, bump


def main():
    """Runs the kernel; returns the exit status."""
    k = Kernel("transpose", "<iterations> <matrix order> [alltoall|put]", 2, 3)
    iterations = k.int_arg(1, "iterations", 1, 2**31 - 1)
    order = k.int_arg(2, "matrix order", 1, 1 << 20)
    variant = k.choice_arg(3, "variant", ("alltoall", "put"))
    comm, me, npes = k.comm, k.me, k.npes
    if order % npes:
        k.usage_error(f"the matrix order {order} must be a multiple of the PE count {npes}")
    shmem_comm = comm.name == "shmem"
    how = {("shmem", "alltoall"): "shmem.alltoall", ("shmem", "put"): "shmem.put + barrier_all",
           ("mpi", "alltoall"): "Comm.Alltoall", ("mpi", "put"): "Win.Put + Win.Fence"}
    k.banner("Matrix transpose: B = A^T", [
        ("Number of PEs", npes), ("Matrix order", order), ("Number of iterations", iterations),
        ("Communication", how[comm.name, variant])])

    bo = order // npes
    colblock = order * bo
    # The alltoall's source must be symmetric; the put's need not be.
    a = comm.zeros((order, bo), symmetric=True)
    b = np.zeros((order, bo))
    win = None
    if shmem_comm:
        land = comm.zeros((2, colblock), symmetric=True)
    else:
        MPI = comm.MPI
        if variant == "put":
            win = MPI.Win.Allocate(2 * colblock * 8, 8, comm=comm.comm)
            land = np.frombuffer(win.tomemory(), dtype=np.float64).reshape(2, colblock)
            land.fill(0.0)
        else:
            land = np.zeros((2, colblock))
    # A(i, me*bo + j) = i*order + me*bo + j
    a[...] = (np.arange(order, dtype=np.float64)[:, None] * order
              + (me * bo + np.arange(bo, dtype=np.float64))[None, :])
    a_flat = a.reshape(-1)
    b_blocks = b.reshape(npes, bo, bo)
    b_flat = b.reshape(-1)
    a_blocks = a.reshape(npes, bo, bo)
    work = None
    if variant == "put":
        work = np.zeros((bo, bo)) if shmem_comm else np.zeros((npes, bo, bo))

    if k.numba:
        add_transposed, transpose_into, bump = make_numba()
        tiny = np.zeros((1, 1))
        add_transposed(tiny, tiny)  # compile before any timing
        transpose_into(tiny, tiny)
        bump(tiny.reshape(-1))
    else:
        add_transposed, transpose_into = add_transposed_numpy, transpose_into_numpy

        def bump(x):
            np.add(x, 1.0, out=x)

    if shmem_comm:
        shmem = comm.shmem
        alltoall, put, barrier_all = shmem.alltoall, shmem.put, shmem.barrier_all

        def exchange_alltoall(t):
            alltoall(t, a_flat)

        def exchange_put(t):
            # Starting at the next PE spreads the traffic over the receivers.
            for phase in range(1, npes + 1):
                to = (me + phase) % npes
                transpose_into(work, a_blocks[to])
                put(t[me * bo * bo:(me + 1) * bo * bo], work, to)
            barrier_all()
    else:
        Alltoall = comm.comm.Alltoall

        def exchange_alltoall(t):
            Alltoall(a_flat, t)

        if win is not None:
            Put, Fence = win.Put, win.Fence
            Fence(MPI.MODE_NOPRECEDE)

            def exchange_put(t, parity=[0]):
                disp = parity[0] * colblock + me * bo * bo
                parity[0] ^= 1
                # One work block per target: an origin buffer may not be
                # written again before the fence that completes its put.
                for phase in range(1, npes + 1):
                    to = (me + phase) % npes
                    transpose_into(work[to], a_blocks[to])
                    Put(work[to], to, target=(disp, bo * bo, MPI.DOUBLE))
                Fence(0)

    comm.barrier()
    t0 = 0.0
    for it in range(iterations + 1):
        if it == 1:
            comm.barrier()
            t0 = wtime()
        t = land[it & 1]
        if variant == "alltoall":
            exchange_alltoall(t)
            t_blocks = t.reshape(npes, bo, bo)
            for q in range(npes):
                add_transposed(b_blocks[q], t_blocks[q])
        else:
            exchange_put(t)
            np.add(b_flat, t, out=b_flat)
        bump(a_flat)
    elapsed = comm.max(wtime() - t0)

    addit = 0.5 * iterations * (iterations + 1)
    i = np.arange(order, dtype=np.float64)[:, None]
    c = (me * bo + np.arange(bo, dtype=np.float64))[None, :]
    abserr = float(np.abs(b - ((order * c + i) * (iterations + 1) + addit)).sum())
    abserr = comm.sum(abserr)
    valid = abserr < 1e-8

    avgtime = elapsed / iterations
    rate = 1e-6 * 2.0 * 8 * order * order / avgtime
    status = k.report(valid, rate, "MB/s", avgtime,
                      error=f"ERROR: aggregate absolute error {abserr:f} exceeds threshold 1e-8")
    if shmem_comm:
        comm.free(land)
        comm.free(a)
    elif win is not None:
        win.Fence(MPI.MODE_NOSUCCEED)
        win.Free()
    return status


if __name__ == "__main__":
    sys.exit(main())
