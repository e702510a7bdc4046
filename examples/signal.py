"""A pipeline along the ring of PEs: PE 0 starts a message, and every PE
waits for it, adds its number, and passes it on with put_signal.  Then a flag
round: every PE tells the next with an atomic and waits with wait_until.

    python -m shmem4py -n 4 examples/signal.py
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
nxt = (me + 1) % npes

message = shmem.zeros(3, dtype="d")
arrived = shmem.new_signal()       # a symmetric signal word, zero

if me != 0:
    got = shmem.signal_wait_until(arrived, shmem.CMP.GE, 1)
    assert got == 1
out = np.array(message + [1.0, me, me * me])
shmem.put_signal(message, out, nxt, arrived, 1, shmem.SIGNAL_SET)
if me == 0:
    shmem.signal_wait_until(arrived, ">=", 1)
    want = [npes, sum(range(npes)), sum(i * i for i in range(npes))]
    assert message.tolist() == want, message
    print(f"PE 0: the message went round {npes} PEs: {message.tolist()}", flush=True)

flag = shmem.zeros(1, dtype="i")
shmem.barrier_all()
shmem.atomic_op(flag, 1, shmem.AMO.SET, nxt)      # tell the next PE
shmem.fence()                                     # the set lands before the add below
shmem.wait_until(flag, shmem.CMP.GE, 1)           # and wait to be told
shmem.atomic_op(flag, 1, "add", nxt)
shmem.wait_until(flag, "==", 2)
assert shmem.signal_fetch(arrived) == 1
shmem.barrier_all()
shmem.wait_until(flag, shmem.CMP.EQ, 2)           # returns at once: it is 2 already
shmem.del_signal(arrived)
shmem.free(flag)
shmem.free(message)
