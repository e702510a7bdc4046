"""Ring demos: a shift around the ring with put, then a token passed hand to
hand with put + fence + a flag that the receiver waits on.

Self-check: each PE knows what its left neighbour sent and what the token
must hold when it comes back to PE 0 (the sum of all PE numbers, each PE
adding its own).
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
right, left = (me + 1) % npes, (me - 1) % npes

# 1. Shift: everybody sends a message to the right at once.
inbox = shmem.zeros(8, dtype=np.int32)
shmem.barrier_all()
message = np.arange(8, dtype=np.int32) * (me + 1)
shmem.put(inbox, message, right)
shmem.barrier_all()
assert np.array_equal(inbox, np.arange(8) * (left + 1)), inbox

# 2. A token goes round: PE 0 starts, each PE adds its number and passes it on.
token = shmem.zeros(1, dtype=np.int64)
arrived = shmem.zeros(1, dtype=np.int32)
shmem.barrier_all()
if me == 0:
    token[0] = 1000
else:
    shmem.wait_until(arrived, shmem.CMP.EQ, 1)
token[0] += me
shmem.put(token, token, right)
shmem.fence()
shmem.atomic_set(arrived, 1, right)
if me == 0:
    shmem.wait_until(arrived, shmem.CMP.EQ, 1)
    assert token[0] == 1000 + npes * (npes - 1) // 2, token[0]

# 3. The same trip with a fetch: each PE reads the left neighbour's value
#    once the neighbour has published it (the flag counts up by one).
seen = shmem.zeros(1, dtype=np.int64)
ready = shmem.zeros(1, dtype=np.int64)
shmem.barrier_all()
value = np.array([me * me], dtype=np.int64)
shmem.put(seen, value, me)      # publish: a put completed by quiet is visible to all
shmem.quiet()
shmem.atomic_inc(ready, right)
shmem.wait_until(ready, shmem.CMP.GE, 1)
got = np.empty(1, dtype=np.int64)
shmem.get(got, seen, left)
assert got[0] == left * left, (got, left)
assert shmem.atomic_fetch(seen, left) == left * left

shmem.barrier_all()
for a in (inbox, token, arrived, seen, ready):
    shmem.free(a)
print(f"ring: PE {me} of {npes} OK", flush=True)
