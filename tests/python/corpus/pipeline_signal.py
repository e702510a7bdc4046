"""A pipeline around the ring with put_signal: PE 0 produces NCHUNK chunks,
every other PE adds its number to each chunk as it arrives and passes it
on, and PE 0 receives the finished chunks at the end.

Each chunk goes with put_signal, which sets the receiver's signal word to
the chunk's sequence number (1, 2, ...) once the data is there; the
receiver waits with signal_wait_until(sig, CMP.GE, k).  The sequence
numbers come from a NumPy uint64 array, so the signal values and the wait
values are NumPy scalars.

Self-check: every PE knows what each chunk must hold when it reaches it.
"""
import numpy as np

from shmem4py import shmem

NCHUNK, CH = 6, 5
me, npes = shmem.my_pe(), shmem.n_pes()
right = (me + 1) % npes

inbox = shmem.zeros((NCHUNK, CH), dtype=np.int64)
sig = shmem.new_signal()
shmem.barrier_all()

seq = np.arange(1, NCHUNK + 1, dtype=np.uint64)
produced = np.arange(NCHUNK * CH, dtype=np.int64).reshape(NCHUNK, CH)


def expected_at(pe, k):
    """Chunk k as PE pe receives it: every PE before pe (but PE 0) added its number."""
    return produced[k] + sum(range(1, pe if pe else npes))


if me == 0:
    for k, s in enumerate(seq):
        shmem.put_signal(inbox[k], produced[k], right, sig, s, shmem.SIGNAL.SET)
    for k, s in enumerate(seq):
        got = shmem.signal_wait_until(sig, shmem.CMP.GE, s)
        assert got >= s, (got, s)
        assert np.array_equal(inbox[k], expected_at(0, k)), (k, inbox[k])
else:
    for k, s in enumerate(seq):
        shmem.signal_wait_until(sig, shmem.CMP.GE, s)
        assert np.array_equal(inbox[k], expected_at(me, k)), (me, k, inbox[k])
        out = inbox[k] + me
        shmem.put_signal(inbox[k], out, right, sig, s, shmem.SIGNAL.SET)
        shmem.quiet()

assert shmem.signal_fetch(sig) == NCHUNK
shmem.barrier_all()
shmem.free(inbox)
shmem.del_signal(sig)
print(f"pipeline_signal: PE {me} of {npes} OK", flush=True)
