"""Every PE races to claim a word on PE 0 with compare-and-swap: exactly one
wins, and every PE learns who.

    python -m shmem4py -n 4 examples/race_winner.py
"""
from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
NOBODY = -1

winner = shmem.full(1, NOBODY, dtype="i")   # ends with a barrier: everyone sees -1
old = shmem.atomic_compare_swap(winner, NOBODY, me, 0)
won = old == NOBODY
shmem.barrier_all()
champion = shmem.atomic_fetch(winner, 0)
assert 0 <= champion < npes and won == (champion == me), (champion, won)
print(f"PE {me}: {'I won' if won else f'PE {champion} won'}", flush=True)
shmem.barrier_all()
shmem.free(winner)
