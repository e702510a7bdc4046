"""random: GUPS-style random access (Python mirror of random_shmem.c and
random_mpi.c).  A table of npes * 2^log2 64-bit words, 2^log2 per PE,
starts as its global indices; every PE draws its stretch of one random
stream (the HPC Challenge RandomAccess generator: x -> x * t modulo
t^64 + t^2 + t + 1 over GF(2)) and XORs each value into the word it names,
on whichever PE that word lives.

    shmemrun -n N python random_access.py --comm shmem [--numba] <log2 table size per PE> <updates per PE>
    mpiexec  -n N python random_access.py --comm mpi   [--numba] <log2 table size per PE> <updates per PE>

shmem: one non-fetching shmem.atomic_xor per update, to the PE that owns
       the word (a call per update is what the kernel measures).
MPI:   as the PRK's MPI1 version, rounds of CHUNK updates sorted into
       buckets by owning rank, the bucket sizes exchanged by Alltoall and
       the buckets by Alltoallv, each rank XORing what it received.

The stream is drawn in blocks: NumPy steps LANES stretches of the stream
side by side (each lane STEPS consecutive elements, lane starts found by
multiplying by powers of t), so that the generator costs a few vector
operations per block, not a Python step per value; with --numba it is the
C loop, compiled.  Either way the values and their order within a PE's
stretch are those of the C kernels.

Rate: giga-updates per second over all PEs; time_s is the whole update
phase.  Validation: every PE rebuilds its part of the table from all PEs'
streams (XOR commutes, so the order does not matter) and compares word by
word; the updates are atomic, so no error is tolerated.
"""
import sys

import numpy as np

from prk_common import Kernel, njit, wtime

POLY = 0x7
MASK64 = (1 << 64) - 1
U64 = np.uint64
# Elements of a generated block: LANES lanes of STEPS steps each.
LANES, STEPS = 256, 256
# Updates per MPI exchange round, as random_mpi.c: the exchange's latency
# is spread, the buckets stay in cache.
CHUNK = 1024


def gups_next(x):
    """The stream's element after X (Python ints)."""
    return ((x << 1) & MASK64) ^ (POLY if x >> 63 else 0)


def gups_mulmod(a, b):
    """A * B modulo the stream's polynomial, for Python ints."""
    r = 0
    for bit in range(63, -1, -1):
        r = gups_next(r)
        if (b >> bit) & 1:
            r ^= a
    return r


def gups_start(n):
    """The stream's element number N (t^N), by square and multiply."""
    result, base = 1, 2
    while n:
        if n & 1:
            result = gups_mulmod(result, base)
        base = gups_mulmod(base, base)
        n >>= 1
    return result


def _next_vec(x, hi):
    """Steps every element of the uint64 array X once, in place (HI is
    scratch of the same shape)."""
    np.right_shift(x, U64(63), out=hi)
    np.left_shift(x, U64(1), out=x)
    np.multiply(hi, U64(POLY), out=hi)
    np.bitwise_xor(x, hi, out=x)


def _mulmod_vec(a, b):
    """A * B modulo the polynomial for a uint64 array A and a Python int B."""
    r = np.zeros_like(a)
    hi = np.empty_like(a)
    for bit in range(63, -1, -1):
        _next_vec(r, hi)
        if (b >> bit) & 1:
            np.bitwise_xor(r, a, out=r)
    return r


def stream_numpy(first, count):
    """Yields the stream's elements FIRST+1 .. FIRST+COUNT in order, as
    uint64 arrays of at most LANES * STEPS elements."""
    lanes = max(1, min(LANES, -(-count // STEPS)))
    block = lanes * STEPS
    # lane l starts at element first + l * STEPS: doubling from lane 0.
    starts = np.empty(lanes, dtype=U64)
    starts[0] = gups_start(first)
    have = 1
    while have < lanes:
        more = min(have, lanes - have)
        starts[have:have + more] = _mulmod_vec(starts[:more], gups_start(have * STEPS))
        have += more
    hop = gups_start(block)  # from one block's lane starts to the next's
    x = starts.copy()
    hi = np.empty_like(x)
    out = np.empty((STEPS, lanes), dtype=U64)
    done = 0
    while done < count:
        for s in range(STEPS):
            _next_vec(x, hi)
            out[s] = x
        take = min(block, count - done)
        yield out.T.reshape(-1)[:take]
        done += take
        if done < count:
            starts = _mulmod_vec(starts, hop)
            x[...] = starts


def make_stream_numba():
    """stream_numpy's contract, the generator compiled by numba as the C
    loop (one step per element)."""

    @njit
    def fill(out, ran):
        for k in range(out.shape[0]):
            hi = ran >> np.uint64(63)
            ran = (ran << np.uint64(1)) ^ (hi * np.uint64(POLY))
            out[k] = ran
        return ran

    fill(np.empty(1, dtype=U64), U64(1))  # compile before any timing

    def stream(first, count):
        ran = U64(gups_start(first))
        buf = np.empty(min(count, LANES * STEPS), dtype=U64)
        done = 0
        while done < count:
            take = min(buf.shape[0], count - done)
            # numba hands a uint64 back as a Python int, which it would
            # type as int64 on the next call.
            ran = U64(fill(buf[:take], ran))
            yield buf[:take]
            done += take

    return stream


def reference_errors(table, log2, updates, me, npes):
    """The words of this PE's TABLE that differ from its part of the table
    rebuilt from every PE's stream (PE q draws elements q*updates+1 ..
    (q+1)*updates)."""
    local = 1 << log2
    ref = U64(me * local) + np.arange(local, dtype=U64)
    mask = U64(local - 1)
    for q in range(npes):
        for vals in stream_numpy(q * updates, updates):
            mine = vals[(vals >> U64(log2)) % U64(npes) == U64(me)]
            np.bitwise_xor.at(ref, mine & mask, mine)
    return int(np.count_nonzero(table != ref))


def main():
    """Runs the kernel; returns the exit status."""
    k = Kernel("random", "<log2 table size per PE> <updates per PE>", 2, 2)
    log2 = k.int_arg(1, "log2 table size per PE", 1, 40)
    updates = k.int_arg(2, "updates per PE", 1, 1 << 40)
    comm, me, npes = k.comm, k.me, k.npes
    shmem_comm = comm.name == "shmem"
    local = 1 << log2
    k.banner("Random access", [
        ("Number of PEs", npes), ("Table size", f"{local} words per PE, {local * npes} in all"),
        ("Update count", f"{updates} per PE, {updates * npes} in all"),
        ("Update", "uint64 atomic_xor" if shmem_comm
         else f"buckets of {CHUNK}, Alltoall + Alltoallv")])

    table = comm.zeros(local, dtype=U64, symmetric=True)
    table[...] = U64(me * local) + np.arange(local, dtype=U64)
    stream = make_stream_numba() if k.numba else stream_numpy
    shift, mask, npes_u = U64(log2), U64(local - 1), U64(npes)

    if shmem_comm:
        shmem = comm.shmem
        atomic_xor = shmem.atomic_xor

        def run():
            for vals in stream(me * updates, updates):
                pes = ((vals >> shift) % npes_u).tolist()
                where = (vals & mask).tolist()
                for v, q, i in zip(vals.tolist(), pes, where):
                    atomic_xor(table[i:i + 1], v, q)
            shmem.quiet()
    else:
        MPI = comm.MPI
        mpi = comm.comm
        UINT64 = MPI.UINT64_T
        counts = np.zeros(npes, dtype=np.int32)
        rcounts = np.zeros(npes, dtype=np.int32)
        sdispl = np.zeros(npes, dtype=np.int32)
        rdispl = np.zeros(npes, dtype=np.int32)
        incoming = np.empty(CHUNK * npes, dtype=U64)
        Alltoall, Alltoallv = mpi.Alltoall, mpi.Alltoallv
        xor_at, bincount, cumsum = np.bitwise_xor.at, np.bincount, np.cumsum

        def run():
            # Every rank makes the same number of rounds, the last one short.
            for vals in stream(me * updates, updates):
                for lo in range(0, vals.shape[0], CHUNK):
                    drawn = vals[lo:lo + CHUNK]
                    owner = ((drawn >> shift) % npes_u).astype(np.intp)
                    counts[:] = bincount(owner, minlength=npes)
                    ordered = drawn[np.argsort(owner, kind="stable")]
                    cumsum(counts[:-1], out=sdispl[1:])
                    Alltoall(counts, rcounts)
                    cumsum(rcounts[:-1], out=rdispl[1:])
                    Alltoallv([ordered, (counts, sdispl), UINT64],
                              [incoming, (rcounts, rdispl), UINT64])
                    got = incoming[:int(rcounts.sum())]
                    xor_at(table, got & mask, got)

    comm.barrier()
    t0 = wtime()
    run()
    comm.barrier()
    elapsed = comm.max(wtime() - t0)

    errors = comm.sum(float(reference_errors(table, log2, updates, me, npes)))
    valid = errors == 0
    rate = 1e-9 * updates * npes / elapsed
    status = k.report(valid, rate, "GUP/s", elapsed,
                      error=f"ERROR: {errors:.0f} of {local * npes} table words differ from "
                            f"the reference")
    if shmem_comm:
        comm.free(table)
    return status


if __name__ == "__main__":
    sys.exit(main())
