"""Mutual exclusion with a distributed lock: every PE increments a counter on
PE 0 with a non-atomic read-modify-write, inside the lock.

    python -m shmem4py -n 4 examples/lock.py
"""
from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
rounds = 50

lock = shmem.Lock()
counter = shmem.zeros(1, dtype="l")
for _ in range(rounds):
    with lock:
        value = shmem.g(counter, 0)
        shmem.p(counter, value + 1, 0)
        shmem.quiet()  # the update is complete before the next holder reads
shmem.barrier_all()
if me == 0:
    assert counter[0] == rounds * npes, counter
    print(f"counter = {counter[0]} = {rounds} x {npes} PEs", flush=True)
shmem.barrier_all()
lock.destroy()
shmem.free(counter)
