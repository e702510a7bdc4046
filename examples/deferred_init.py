"""Start OpenSHMEM by hand: rc.initialize = False before importing
shmem4py.shmem, then init() and finalize().  Memory from alloc() becomes
arrays with fromalloc(); new_array() does both.

    python -m shmem4py -n 4 examples/deferred_init.py
"""
import numpy as np

import shmem4py

shmem4py.rc.initialize = False     # must come before the import of shmem4py.shmem
from shmem4py import shmem         # noqa: E402

shmem.init()
me, npes = shmem.my_pe(), shmem.n_pes()

mem = shmem.alloc(npes, 8)         # npes * 8 bytes, zeroed
table = shmem.fromalloc(mem, dtype="i8")
assert table.shape == (npes,) and not table.any()
grid = shmem.new_array((2, npes), dtype="f", order="F")

# Every PE writes its number into slot `me` of every PE's table.
for pe in range(npes):
    shmem.put(table[me:me + 1], np.array([me * 10], dtype="i8"), pe)
shmem.barrier_all()
assert table.tolist() == [10 * pe for pe in range(npes)], table

grid[:] = me
shmem.barrier_all()
peer = np.empty_like(grid)
shmem.get(peer, grid, (me + 1) % npes)
assert (peer == (me + 1) % npes).all()
print(f"PE {me}: table {table.tolist()}", flush=True)

shmem.barrier_all()
shmem.del_array(grid)
shmem.free(mem)
shmem.finalize()
