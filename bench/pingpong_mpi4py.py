"""PingPong between 2 processes with mpi4py Send/Recv on NumPy buffers: the
MPI side of bench/pingpong.py, as the shmem4py paper measured it.

Rank 0 sends n bytes, rank 1 receives them and sends n bytes back.  One-way
time = round trip / 2, best of REPS (sizes below 64 KiB: best of REPS
batches of 10 round trips), 8 B to MAX_BYTES (16 MiB).

    mpiexec -n 2 python bench/pingpong_mpi4py.py [max_bytes] [reps]

Prints the columns of the C benchmark: size_bytes latency_us bandwidth_GBps.
"""
import sys
import time

import numpy as np
from mpi4py import MPI

BATCH = 10


def main():
    """Runs the PingPong and prints the table on rank 0; returns the exit status."""
    max_bytes = max(8, int(sys.argv[1], 0) if len(sys.argv) > 1 else 16 << 20)
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    comm = MPI.COMM_WORLD
    me, npes = comm.Get_rank(), comm.Get_size()
    if npes != 2:
        if me == 0:
            print("pingpong_mpi4py: run with 2 processes (mpiexec -n 2)", file=sys.stderr)
        return 2
    peer = 1 - me
    sbuf = np.ones(max_bytes, dtype=np.uint8)
    rbuf = np.zeros(max_bytes, dtype=np.uint8)
    send, recv, barrier = comm.Send, comm.Recv, comm.Barrier
    clock = time.perf_counter
    rows = []
    n = 8
    while n <= max_bytes:
        reps_here = min(reps, 30) if n >= 1 << 20 else reps
        batch = BATCH if n < 64 << 10 else 1
        # Buffer specs built once per size, as an application would keep them.
        out, into = [sbuf[:n], MPI.BYTE], [rbuf[:n], MPI.BYTE]
        best = float("inf")
        for _ in range(reps_here):
            barrier()
            t0 = clock()
            if me == 0:
                for _ in range(batch):
                    send(out, peer, 0)
                    recv(into, peer, 0)
            else:
                for _ in range(batch):
                    recv(into, peer, 0)
                    send(out, peer, 0)
            best = min(best, (clock() - t0) / (2 * batch))
        rows.append((n, best))
        n *= 2
    if me == 0:
        library = " ".join(MPI.Get_library_version().splitlines()[0].split())
        print(f"# mpi4py PingPong ({library}), "
              f"2 processes: Send/Recv, one-way time, best of {reps} "
              f"(below 64 KiB: best of {reps} batches of {BATCH} round trips)")
        print(f"{'size_bytes':>12} {'latency_us':>12} {'bandwidth_GBps':>14}")
        for n, t in rows:
            print(f"{n:12d} {t * 1e6:12.3f} {n / t / 1e9:14.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
