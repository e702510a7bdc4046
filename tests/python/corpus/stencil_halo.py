"""1-D heat equation on a periodic rod, halo exchange by put + atomic_inc + wait_until.

Each PE owns NLOC cells.  Every step it puts its first cell into the left
neighbour's right halo and its last cell into the right neighbour's left
halo, fences, and increments that neighbour's arrival counter for its
side.  It then waits until both of its counters show this step's halo, and
updates its cells.  (One counter per side: a single counter of both would
let a neighbour that runs ahead stand in for one that is late.)  The halos are double-buffered by step parity: a neighbour that
runs one step ahead writes the other buffer.

Self-check: the whole rod is computed serially with the same formula and
every PE compares its cells with its slice of it.
"""
import numpy as np

from shmem4py import shmem

NLOC, STEPS, ALPHA = 16, 50, 0.25

me, npes = shmem.my_pe(), shmem.n_pes()
left, right = (me - 1) % npes, (me + 1) % npes

x = np.arange(me * NLOC, (me + 1) * NLOC)
u = np.sin(2 * np.pi * x / (NLOC * npes)) + (x % 3 == 0)

halo = shmem.zeros((2, 2))               # [parity, 0 = from left / 1 = from right]
arrived = shmem.zeros(2, dtype=np.int64)   # halos received: [from left, from right]
shmem.barrier_all()

for step in range(STEPS):
    p = step % 2
    shmem.put(halo[p, 1:2], u[0:1], left)      # my first cell is left's right halo
    shmem.put(halo[p, 0:1], u[-1:], right)     # my last cell is right's left halo
    shmem.fence()
    shmem.atomic_inc(arrived[1:2], left)       # I am left's right neighbour
    shmem.atomic_inc(arrived[0:1], right)
    shmem.wait_until_all(arrived, shmem.CMP.GE, step + 1)
    ext = np.concatenate((halo[p, 0:1], u, halo[p, 1:2]))
    u = ext[1:-1] + ALPHA * (ext[:-2] - 2 * ext[1:-1] + ext[2:])

# Serial reference on the whole rod.
xg = np.arange(NLOC * npes)
ug = np.sin(2 * np.pi * xg / (NLOC * npes)) + (xg % 3 == 0)
for step in range(STEPS):
    ext = np.concatenate((ug[-1:], ug, ug[:1]))
    ug = ext[1:-1] + ALPHA * (ext[:-2] - 2 * ext[1:-1] + ext[2:])

mine = ug[me * NLOC:(me + 1) * NLOC]
assert np.allclose(u, mine, rtol=0, atol=1e-12), (me, u, mine)
assert arrived.tolist() == [STEPS, STEPS], arrived

# Heat is conserved on a periodic rod: the total over all PEs stays put.
total = shmem.zeros(1)
local = shmem.full(1, u.sum())
shmem.sum_reduce(total, local)
assert abs(total[0] - ug.sum()) < 1e-9, (total[0], ug.sum())

shmem.barrier_all()
for a in (halo, arrived, total, local):
    shmem.free(a)
print(f"stencil_halo: PE {me} of {npes} OK (total heat {ug.sum():.6f})", flush=True)
