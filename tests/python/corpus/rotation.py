"""Rotate blocks of data around the PEs by every distance r = 0..npes-1, once
with puts (the sender pushes) and once with gets (the receiver pulls), in
the blocking, non-blocking, strided and context forms, then once through
shmem.ptr where the peer's memory is directly addressable.

Self-check: after a rotation by r, PE i must hold the block of PE (i - r) %
npes, which every PE can compute on its own.
"""
import numpy as np

from shmem4py import shmem

K = 12
me, npes = shmem.my_pe(), shmem.n_pes()


def block(pe):
    """What PE pe starts with."""
    return np.arange(K, dtype=np.float64) + 100.0 * pe


data = shmem.array(block(me))          # collective; ends with a barrier
recv = shmem.zeros(K)
strided = shmem.zeros(2 * K)
ctx = shmem.Ctx.create()

for r in range(npes):
    src, dst = (me - r) % npes, (me + r) % npes

    # Put form: push my block to the PE r places to the right.
    recv[...] = -1
    shmem.barrier_all()
    shmem.put(recv, data, dst)
    shmem.barrier_all()
    assert np.array_equal(recv, block(src)), (r, recv)

    # Get form: pull the block of the PE r places to the left.
    pulled = np.full(K, -1.0)
    shmem.get(pulled, data, src)
    assert np.array_equal(pulled, block(src)), (r, pulled)

    # Non-blocking put, completed by quiet before the barrier.
    recv[...] = -1
    shmem.barrier_all()
    shmem.put_nbi(recv, data, dst)
    shmem.quiet()
    shmem.barrier_all()
    assert np.array_equal(recv, block(src)), (r, recv)

    # Non-blocking get into a private buffer, half of the block.
    half = np.zeros(K // 2)
    shmem.get_nbi(half, data, src, size=K // 2)
    shmem.quiet()
    assert np.array_equal(half, block(src)[:K // 2]), (r, half)

    # Strided put: my block into every other slot of the receiver's buffer.
    strided[...] = -1
    shmem.barrier_all()
    shmem.iput(strided, data, dst, tst=2, sst=1, size=K)
    shmem.barrier_all()
    assert np.array_equal(strided[::2], block(src)), (r, strided)
    assert np.all(strided[1::2] == -1), (r, strided)

    # Strided get: every third element of the sender's block.
    third = np.empty(K // 3)
    shmem.iget(third, data, src, tst=1, sst=3)
    assert np.array_equal(third, block(src)[::3]), (r, third)

    # On a context of my own.
    recv[...] = -1
    shmem.barrier_all()
    shmem.put(recv, data, dst, ctx=ctx)
    ctx.quiet()
    shmem.barrier_all()
    assert np.array_equal(recv, block(src)), (r, recv)

    # Load/store: the peer's copy of `data`, when it is directly addressable.
    view = shmem.ptr(data, src)
    if view is not None:
        assert np.array_equal(view, block(src)), (r, view)
    shmem.barrier_all()

ctx.destroy()
for a in (data, recv, strided):
    shmem.free(a)
print(f"rotation: PE {me} of {npes} OK ({npes} rotations)", flush=True)
