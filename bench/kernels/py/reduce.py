"""reduce: a vector sum reduction to all PEs after the PRK's reduce kernel
(Python mirror of reduce_shmem.c and reduce_mpi.c): each iteration a local
vector operation, then the reduction, each iteration depending on the one
before:

    vec[i] = sum[i] / npes + addend_me[i];   sum = allreduce(vec)

so that every iteration adds sum_p addend_p[i] to sum[i], with
addend_p[i] = p + 1 + i % 7.

    shmemrun -n N python reduce.py --comm shmem [--numba] <iterations> <vector length>
    mpiexec  -n N python reduce.py --comm mpi   [--numba] <iterations> <vector length>

shmem: shmem.sum_reduce on symmetric arrays; mpi: Comm.Allreduce on NumPy
arrays.  Rate: MB/s of vectors reduced, 8 bytes per element per PE per
iteration.  Validation: every element of every PE's result against its
closed form.
"""
import sys

import numpy as np

from prk_common import Kernel, njit, wtime


def expected_sum(iterations, npes, length):
    """The value every element of the result must hold (reduce_*.c's closed form)."""
    i = np.arange(length)
    per_iter = 0.5 * npes * (npes + 1.0) + npes * (i % 7).astype(np.float64)
    return (iterations + 1) * per_iter


def make_local_numba():
    """vec = total * scale + addend as one compiled loop."""

    @njit
    def local(vec, total, scale, addend):
        for i in range(vec.shape[0]):
            vec[i] = total[i] * scale + addend[i]

    return local


def main():
    """Runs the kernel; returns the exit status."""
    k = Kernel("reduce", "<iterations> <vector length>", 2, 2)
    iterations = k.int_arg(1, "iterations", 1, 2**31 - 1)
    length = k.int_arg(2, "vector length", 1, 2**30 - 1)
    comm, me, npes = k.comm, k.me, k.npes
    k.banner("Vector reduction (sum to all)", [
        ("Number of PEs", npes), ("Vector length", length), ("Number of iterations", iterations),
        ("Reduction", "shmem.sum_reduce" if comm.name == "shmem" else "Comm.Allreduce")])

    vec = comm.zeros(length, symmetric=True)
    total = comm.zeros(length, symmetric=True)
    addend = me + 1.0 + (np.arange(length) % 7).astype(np.float64)
    scale = 1.0 / npes

    if k.numba:
        local_numba = make_local_numba()
        local_numba(vec[:1], total[:1], scale, addend[:1])  # compile before any timing

        def local():
            local_numba(vec, total, scale, addend)
    else:
        def local():
            np.multiply(total, scale, out=vec)
            np.add(vec, addend, out=vec)

    if comm.name == "shmem":
        sum_reduce = comm.shmem.sum_reduce

        def reduce():
            sum_reduce(total, vec)
    else:
        allreduce, SUM = comm.comm.Allreduce, comm.MPI.SUM

        def reduce():
            allreduce(vec, total, op=SUM)

    comm.barrier()
    t0 = 0.0
    for it in range(iterations + 1):
        if it == 1:
            comm.barrier()
            t0 = wtime()
        local()
        reduce()
    elapsed = comm.max(wtime() - t0)

    expected = expected_sum(iterations, npes, length)
    wrong = np.abs(total - expected) > 1e-8 * expected
    bad = int(np.count_nonzero(wrong))
    if bad:
        first = int(np.argmax(wrong))
        print(f"reduce: PE {me}: {bad} wrong elements, the first at {first}: {total[first]:f}, "
              f"expected {expected[first]:f}", file=sys.stderr)
    valid = comm.sum(float(bad)) == 0

    avgtime = elapsed / iterations
    rate = 1e-6 * 8.0 * length * npes / avgtime
    status = k.report(valid, rate, "MB/s", avgtime)
    if comm.name == "shmem":
        comm.free(total)
        comm.free(vec)
    return status


if __name__ == "__main__":
    sys.exit(main())
