"""Every PE sends a distinct block to every PE (a transpose of blocks).

    python -m shmem4py -n 4 examples/alltoall.py
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
block = 2

# Block j of PE i's source, for PE j, holds 100 * i + j.
source = shmem.array(np.repeat(100 * me + np.arange(npes), block).astype("l"))
target = shmem.zeros(block * npes, dtype="l")
shmem.alltoall(target, source, block)
# Block i of PE j's target came from PE i.
expect = np.repeat(100 * np.arange(npes) + me, block)
assert (target == expect).all(), target
print(f"PE {me}: {target.tolist()}", flush=True)
shmem.free(target)
shmem.free(source)
