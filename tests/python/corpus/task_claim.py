"""Dynamic task claiming and completion tracking, the way a master/worker
code does it.

1. A table of NT task slots on PE 0 starts "unclaimed" (the all-ones value
   of uint32, written as full(..., -1, dtype='u4')).  Every PE walks the
   table and claims slots with atomic_compare_swap(slot, UNCLAIMED, me, 0);
   the cond is a 0-d array of the table's dtype.
2. Every PE checks its own work, puts the result into PE 0's results table
   and raises its completion flag with the outcome of the check (a NumPy
   bool).  PE 0 collects the results in completion order with
   wait_until_any, excluding the finished PEs with a bool status array.

Self-check: every task is claimed exactly once and by the PE the table
names; every result is the one PE 0 computes for that PE; the completion
order covers every PE once.
"""
import numpy as np

from shmem4py import shmem

NT = 20
me, npes = shmem.my_pe(), shmem.n_pes()

UNCLAIMED = np.array(np.iinfo(np.uint32).max, dtype=np.uint32)
table = shmem.full(NT, -1, dtype="u4")
assert (table == UNCLAIMED).all(), table
shmem.barrier_all()                        # nobody claims before everybody checked

mine = []
for t in range((me * 7) % NT, (me * 7) % NT + NT):     # every PE starts elsewhere
    slot = table[t % NT:t % NT + 1]
    old = shmem.atomic_compare_swap(slot, UNCLAIMED, me, 0)
    if old == UNCLAIMED:
        mine.append(t % NT)
shmem.barrier_all()

claimed = np.empty(NT, dtype=np.uint32)
shmem.get(claimed, table, 0)
assert set(claimed.tolist()) <= set(range(npes)), claimed
assert sorted(np.flatnonzero(claimed == me).tolist()) == sorted(mine), (claimed, mine)
counts = shmem.zeros(1, dtype=np.int64)
shmem.barrier_all()
for pe in np.arange(npes):                 # NumPy integers as PE numbers
    shmem.atomic_add(counts, len(mine), pe)
shmem.barrier_all()
assert counts[0] == NT, counts

# 2. Completion tracking.
flags = shmem.zeros(npes, dtype=np.int32)
results = shmem.zeros(npes, dtype=np.int64)
shmem.barrier_all()


def work(pe):
    """The result of PE pe's tasks (what PE 0 expects back)."""
    return sum(t * t for t in np.flatnonzero(claimed == pe).tolist()) + pe


answer = np.array([work(me)], dtype=np.int64)
ok = np.all(answer >= 0)                   # a NumPy bool
shmem.put(results[me:me + 1], answer, 0)
shmem.fence()
shmem.atomic_set(flags[me:me + 1], ok, 0)

if me == 0:
    done = np.zeros(npes, dtype=bool)
    order = []
    while not done.all():
        idx = shmem.wait_until_any(flags, shmem.CMP.EQ, 1, status=done)
        assert idx is not None and not done[idx], (idx, done)
        done[idx] = True
        order.append(idx)
        assert results[idx] == work(idx), (idx, results[idx])
    assert sorted(order) == list(range(npes)), order
    assert shmem.test_all(flags, shmem.CMP.EQ, 1)
    assert shmem.test_any(flags, shmem.CMP.EQ, 1, status=done) is None
    shmem.wait_until_all_vector(flags, shmem.CMP.EQ, [True] * npes)
    assert shmem.test_some_vector(flags, shmem.CMP.EQ, np.ones(npes, dtype=np.int64)) \
        == list(range(npes))
shmem.barrier_all()

for a in (table, counts, flags, results):
    shmem.free(a)
print(f"task_claim: PE {me} of {npes} OK ({len(mine)} tasks)", flush=True)
