"""PingPong between 2 PEs with the whole timed loop inside one @numba.njit
function: shmem.put, shmem.fence, shmem.p and shmem.wait_until are called by
name from compiled code (shmem4py._numba), so the protocol runs without the
interpreter.  The mirror of bench/pingpong.py and bench/pingpong.c (same
protocol, sizes, batches and best-of rule).

    shmemrun -n 2 python bench/pingpong_njit.py [max_bytes] [reps]

Prints the columns of the C benchmark: size_bytes latency_us bandwidth_GBps.
"""
import sys

import numpy as np
from numba import njit, types

from shmem4py import shmem

BATCH = 10
# The monotonic clock from compiled code: libc's clock_gettime.
_clock_gettime = types.ExternalFunction("clock_gettime",
                                        types.int32(types.int32, types.uintp))
_CLOCK_MONOTONIC = 1


@njit(cache=True)
def _now(ts):
    _clock_gettime(_CLOCK_MONOTONIC, ts.ctypes.data)
    return ts[0] + ts[1] * 1e-9


@njit(cache=True)
def best_one_way(target, data, flag, me, peer, seq, samples, batch):
    """Best one-way time over `samples` samples of `batch` round trips (each
    sample starts with one untimed round trip, as in the C benchmark)."""
    ts = np.zeros(2, dtype=np.int64)
    best = 1e30
    for _ in range(samples):
        shmem.barrier_all()
        t0 = 0.0
        for b in range(-1, batch):
            if b == 0:
                t0 = _now(ts)
            seq += 1
            if me == 0:
                shmem.put(target, data, peer)
                shmem.fence()
                shmem.p(flag, seq, peer)
                shmem.wait_until(flag, shmem.CMP_EQ, seq)
            else:
                shmem.wait_until(flag, shmem.CMP_EQ, seq)
                shmem.put(target, data, peer)
                shmem.fence()
                shmem.p(flag, seq, peer)
        t = (_now(ts) - t0) / (2 * batch)
        best = min(best, t)
    return best, seq


def main():
    """Run the PingPong and print PE 0's table."""
    max_bytes = int(sys.argv[1], 0) if len(sys.argv) > 1 else 16 << 20
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    me, npes = shmem.my_pe(), shmem.n_pes()
    if npes != 2:
        if me == 0:
            print("pingpong_njit: run with 2 PEs (shmemrun -n 2)", file=sys.stderr)
        return 2
    peer = 1 - me
    buf = shmem.zeros(max_bytes, dtype=np.uint8, align=4096)
    flag = shmem.zeros(1, dtype=np.int64)
    src = np.ones(max_bytes, dtype=np.uint8)
    seq = 0
    # compile (and warm up) once before timing
    _, seq = best_one_way(buf[:8], src[:8], flag, me, peer, seq, 2, 2)
    rows = []
    n = 8
    while n <= max_bytes:
        reps_here = min(reps, 30) if n >= 1 << 20 else reps
        batch = BATCH if n < 64 << 10 else 1
        best, seq = best_one_way(buf[:n], src[:n], flag, me, peer, seq, reps_here, batch)
        rows.append((n, best))
        n *= 2
    if me == 0:
        print(f"# shmem4py @njit PingPong, 2 PEs: put + fence + flag, one-way time, best of "
              f"{reps} (below 64 KiB: best of {reps} batches of {BATCH} round trips)")
        print(f"{'size_bytes':>12} {'latency_us':>12} {'bandwidth_GBps':>14}")
        for n, t in rows:
            print(f"{n:12d} {t * 1e6:12.3f} {n / t / 1e9:14.3f}")
    shmem.barrier_all()
    shmem.free(flag)
    shmem.free(buf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
