"""Split the PEs into teams of even and odd PEs, then reduce, broadcast and
put inside each team, with team-relative PE numbers.

    python -m shmem4py -n 4 examples/teams.py
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
world = shmem.TEAM_WORLD

# Every PE calls both splits; a PE outside a team gets TEAM_INVALID (falsy).
evens = world.split_strided(start=0, stride=2, num_contexts=1)
odds = world.split_strided(1, 2) if npes > 1 else shmem.Team()
team = evens if me % 2 == 0 else odds
assert team and not (odds if me % 2 == 0 else evens)
assert team.get_config()["num_contexts"] in (0, 1)

size, rank = team.n_pes(), team.my_pe()
assert team.translate_pe(rank, world) == me and world.translate_pe(me, team) == rank

src = shmem.array([me, 1], dtype="i")
total = shmem.zeros(2, dtype="i")
shmem.reduce(total, src, op="sum", team=team)     # [sum of the members, number of members]
assert total.tolist() == [sum(range(me % 2, npes, 2)), size], total

first = shmem.zeros(2, dtype="i")
shmem.broadcast(first, src, 0, team=team)         # root 0 of the team: world PE 0 or 1
assert first[0] == me % 2, first

# A context on the team: its PE numbers are the team's.
box = shmem.zeros(1, dtype="i")
with team.create_ctx() as ctx:
    shmem.put(box, np.array([me], dtype="i"), (rank + 1) % size, ctx=ctx)
    ctx.quiet()
team.sync()
assert box[0] == team.translate_pe((rank - 1) % size, world), box

print(f"PE {me}: team of {'even' if me % 2 == 0 else 'odd'} PEs, rank {rank} of {size}, "
      f"sum {total[0]}", flush=True)
for t in (evens, odds):
    t.destroy()
shmem.barrier_all()
for a in (box, first, total, src):
    shmem.free(a)
