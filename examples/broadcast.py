"""Broadcast an array from the last PE to every PE.

    python -m shmem4py -n 4 examples/broadcast.py
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
root = npes - 1

source = shmem.array(np.linspace(0.0, 1.0, 5) * (me + 1))
target = shmem.zeros(5)
shmem.broadcast(target, source, root)
assert np.allclose(target, np.linspace(0.0, 1.0, 5) * (root + 1)), target
print(f"PE {me}: {target.tolist()}", flush=True)
shmem.free(target)
shmem.free(source)
