"""PingPong between 2 PEs with shmem4py: the Python mirror of bench/pingpong.c.

Put of the data, fence, p of a flag; the peer waits on the flag and answers
the same way.  One-way time = round trip / 2, best of REPS repetitions per
size (sizes below 64 KiB time batches of 10 round trips, like the C
benchmark), 8 B to MAX_BYTES (16 MiB).

    shmemrun -n 2 python bench/pingpong.py [max_bytes] [reps] [p|atomic_set]

The flag is written with shmem.p where the binding has it, else with
shmem.atomic_set (the published shmem4py 1.0 has no shmem.p); the third
argument picks one, so that the same calls can run on both bindings.

Prints a table with the columns of the C benchmark: size_bytes latency_us
bandwidth_GBps (GB = 1e9 bytes).
"""
import sys
import time

import numpy as np

from shmem4py import shmem

BATCH = 10


def main():
    """Runs the PingPong and prints the table on PE 0; returns the exit status."""
    max_bytes = int(sys.argv[1], 0) if len(sys.argv) > 1 else 16 << 20
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    default_flag = "p" if hasattr(shmem, "p") else "atomic_set"
    flag_call = sys.argv[3] if len(sys.argv) > 3 else default_flag
    if flag_call not in ("p", "atomic_set"):
        print(f"pingpong: the flag is written with p or atomic_set, not {flag_call!r}",
              file=sys.stderr)
        return 2
    me, npes = shmem.my_pe(), shmem.n_pes()
    if npes != 2:
        if me == 0:
            print("pingpong: run with 2 PEs (shmemrun -n 2)", file=sys.stderr)
        return 2
    peer = 1 - me
    # Page-aligned, like the C benchmark's first allocation: memcpy slows
    # down by up to 1.5x when the target lies a few bytes past the source
    # modulo 4 KiB (4K aliasing), so both benchmarks place their buffers alike.
    buf = shmem.zeros(max_bytes, dtype=np.uint8, align=4096)
    flag = shmem.zeros(1, dtype=np.int64)
    src = np.ones(max_bytes, dtype=np.uint8)
    put, fence, wait_until, EQ = shmem.put, shmem.fence, shmem.wait_until, shmem.CMP_EQ
    p = getattr(shmem, flag_call)
    clock = time.perf_counter
    seq = 0
    rows = []
    shmem.barrier_all()
    n = 8
    while n <= max_bytes:
        reps_here = min(reps, 30) if n >= 1 << 20 else reps
        batch = BATCH if n < 64 << 10 else 1
        data, target = src[:n], buf[:n]
        best = float("inf")
        for _ in range(reps_here):
            shmem.barrier_all()
            t0 = clock()
            if me == 0:
                for _ in range(batch):
                    seq += 1
                    put(target, data, peer)
                    fence()
                    p(flag, seq, peer)
                    wait_until(flag, EQ, seq)
            else:
                for _ in range(batch):
                    seq += 1
                    wait_until(flag, EQ, seq)
                    put(target, data, peer)
                    fence()
                    p(flag, seq, peer)
            t = (clock() - t0) / (2 * batch)
            best = min(best, t)
        rows.append((n, best))
        n *= 2
    if me == 0:
        print(f"# shmem4py PingPong, 2 PEs: put + fence + flag ({flag_call}), one-way time, "
              f"best of {reps} "
              f"(below 64 KiB: best of {reps} batches of {BATCH} round trips)")
        print(f"{'size_bytes':>12} {'latency_us':>12} {'bandwidth_GBps':>14}")
        for n, t in rows:
            print(f"{n:12d} {t * 1e6:12.3f} {n / t / 1e9:14.3f}")
    shmem.free(flag)
    shmem.free(buf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
