"""A histogram built two ways: a global one on PE 0 updated under a
shmem.Lock (get, add, put, quiet inside `with lock:`), and a distributed one
where bin b lives on PE b % npes and is updated with atomic_add.

Self-check: every PE regenerates every PE's data (seeded by PE number) and
counts the bins with NumPy.
"""
import numpy as np

from shmem4py import shmem

NBINS, NDATA = 10, 200
me, npes = shmem.my_pe(), shmem.n_pes()


def data(pe):
    """The values PE pe contributes."""
    return np.random.default_rng(99 + pe).integers(0, NBINS, size=NDATA)


want = np.bincount(np.concatenate([data(p) for p in range(npes)]), minlength=NBINS)
mine = np.bincount(data(me), minlength=NBINS).astype(np.int64)

# 1. Global histogram on PE 0, one locked read-modify-write per PE.
hist = shmem.zeros(NBINS, dtype=np.int64)
lock = shmem.Lock()
shmem.barrier_all()
with lock:
    current = np.empty(NBINS, dtype=np.int64)
    shmem.get(current, hist, 0)
    shmem.put(hist, current + mine, 0)
    shmem.quiet()
shmem.barrier_all()
if me == 0:
    assert (hist == want).all(), (hist, want)

# 2. Distributed histogram: bin b on PE b % npes, slot b // npes there.
slots = (NBINS + npes - 1) // npes
owned = shmem.zeros(slots, dtype=np.int64)
shmem.barrier_all()
for b in range(NBINS):
    if mine[b]:
        shmem.atomic_add(owned[b // npes:b // npes + 1], int(mine[b]), b % npes)
shmem.barrier_all()
for s in range(slots):
    b = s * npes + me
    if b < NBINS:
        assert owned[s] == want[b], (b, owned[s], want[b])
    else:
        assert owned[s] == 0, (s, owned[s])

# Every PE reads the whole distributed histogram back with atomic_fetch.
back = [shmem.atomic_fetch(owned[b // npes:b // npes + 1], b % npes) for b in range(NBINS)]
assert back == want.tolist(), (back, want)

shmem.barrier_all()
lock.destroy()
shmem.free(hist)
shmem.free(owned)
print(f"histogram_lock: PE {me} of {npes} OK ({int(want.sum())} values)", flush=True)
