"""Concatenate a different number of elements from every PE (collect), and
the same number from every PE (fcollect).

    python -m shmem4py -n 4 examples/collect.py
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()

# PE i contributes i + 1 copies of i.
source = shmem.full(max(npes, 2), me, dtype="i")
target = shmem.zeros(npes * (npes + 1) // 2, dtype="i")
shmem.collect(target, source, size=me + 1)
expect = np.concatenate([[pe] * (pe + 1) for pe in range(npes)])
assert (target == expect).all(), target

both = shmem.zeros(2 * npes, dtype="i")
shmem.fcollect(both, source, 2)
assert (both == np.repeat(np.arange(npes), 2)).all(), both
print(f"PE {me}: collect {target.tolist()} fcollect {both.tolist()}", flush=True)
for a in (both, target, source):
    shmem.free(a)
