"""Pass a value around a ring of PEs with put, then read a neighbour's with get.

    python -m shmem4py -n 4 examples/ring.py
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
right, left = (me + 1) % npes, (me - 1) % npes

inbox = shmem.zeros(4, dtype="i")
message = np.arange(4, dtype="i") + 100 * me
shmem.put(inbox, message, right)      # my message lands in my right neighbour's inbox
shmem.barrier_all()
assert (inbox == np.arange(4) + 100 * left).all(), inbox

peek = np.empty(4, dtype="i")
shmem.get(peek, inbox, right)         # what did my right neighbour receive? mine
assert (peek == message).all(), peek
print(f"PE {me}: got {inbox.tolist()} from PE {left}", flush=True)
shmem.free(inbox)
