"""Mutual exclusion with a distributed lock: every PE increments a counter on
PE 0 with a non-atomic read-modify-write (get, add, put), inside the lock.
The first half uses a Lock object with ``with``; the second the lock word
routines (new_lock, set_lock/test_lock, clear_lock).

    python -m shmem4py -n 4 examples/lock.py
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
rounds = 25

counter = shmem.zeros(1, dtype="l")
value = np.zeros(1, dtype="l")     # a private buffer for the read-modify-write

lock = shmem.Lock()                # collective: every PE makes the same lock
for _ in range(rounds):
    with lock:
        shmem.get(value, counter, 0)
        value += 1
        shmem.put(counter, value, 0)
        shmem.quiet()              # the update is complete before the next holder reads
lock.destroy()

word = shmem.new_lock()
for i in range(rounds):
    if i % 2:
        shmem.set_lock(word)
    else:
        while shmem.test_lock(word):   # True: someone else holds it; try again
            pass
    shmem.get(value, counter, 0)
    value += 1
    shmem.put(counter, value, 0)
    shmem.quiet()
    shmem.clear_lock(word)
shmem.barrier_all()
shmem.del_lock(word)

if me == 0:
    assert counter[0] == 2 * rounds * npes, counter
    print(f"counter = {counter[0]} = 2 x {rounds} x {npes} PEs", flush=True)
shmem.barrier_all()
shmem.free(counter)
