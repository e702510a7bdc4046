"""Reductions, broadcast, collect and fcollect, on the world team and on a
team of the even PEs: a small statistics job where each PE holds a few
samples.

Self-check: every PE can generate every other PE's samples (they are
seeded by the PE number), so each result is recomputed with NumPy.
"""
import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
NS = 5


def samples(pe):
    """The samples PE pe holds."""
    rng = np.random.default_rng(1234 + pe)
    return rng.integers(0, 1000, size=NS).astype(np.int64)


everyone = np.array([samples(p) for p in range(npes)])

mine = shmem.array(samples(me))
out = shmem.zeros(NS, dtype=np.int64)

# Element-wise reductions with every operator, by name and with reduce(op=).
checks = {
    "sum": everyone.sum(axis=0),
    "prod": np.prod(everyone % 7 + 1, axis=0),
    "max": everyone.max(axis=0),
    "min": everyone.min(axis=0),
    "and": np.bitwise_and.reduce(everyone, axis=0),
    "or": np.bitwise_or.reduce(everyone, axis=0),
    "xor": np.bitwise_xor.reduce(everyone, axis=0),
}
small = shmem.array(samples(me) % 7 + 1)
for op, want in checks.items():
    src = small if op == "prod" else mine
    getattr(shmem, f"{op}_reduce")(out, src)
    assert (out == want).all(), (op, out, want)
    out[...] = 0
    shmem.reduce(out, src, op=shmem.OP(op))
    assert (out == want).all(), (op, out, want)

# A mean over all samples, in floating point.
fsum = shmem.zeros(1)
flocal = shmem.full(1, float(samples(me).sum()))
shmem.sum_reduce(fsum, flocal)
assert np.isclose(fsum[0] / (NS * npes), everyone.mean()), fsum

# Broadcast from the last PE (OpenSHMEM 1.5: the root's target gets it too).
bcast = shmem.full(NS, -1, dtype=np.int64)
shmem.broadcast(bcast, mine, npes - 1)
assert (bcast == samples(npes - 1)).all(), bcast

# fcollect: every PE contributes the same count.
gathered = shmem.zeros((npes, NS), dtype=np.int64)
shmem.fcollect(gathered, mine)
assert (gathered == everyone).all(), gathered

# collect: PE p contributes its first p + 1 samples.
count = min(me + 1, NS)
part = shmem.array(samples(me)[:count])
total = sum(min(p + 1, NS) for p in range(npes))
varied = shmem.zeros(total, dtype=np.int64)
shmem.collect(varied, part, size=count)
want = np.concatenate([samples(p)[:min(p + 1, NS)] for p in range(npes)])
assert (varied == want).all(), (varied, want)

# The same on the team of even PEs; the odd PEs are not in it.
evens = shmem.TEAM_WORLD.split_strided(0, 2, (npes + 1) // 2)
tsize = (npes + 1) // 2
team_out = shmem.zeros(NS, dtype=np.int64)
team_gathered = shmem.zeros((tsize, NS), dtype=np.int64)   # every PE allocates
if evens:
    shmem.max_reduce(team_out, mine, team=evens)
    assert (team_out == everyone[::2].max(axis=0)).all(), team_out
    shmem.broadcast(team_out, mine, 0, team=evens)
    assert (team_out == samples(0)).all(), team_out
    assert evens.n_pes() == tsize
    shmem.fcollect(team_gathered, mine, team=evens)
    assert (team_gathered == everyone[::2]).all(), team_gathered
evens.destroy()

shmem.barrier_all()
for a in (mine, out, small, fsum, flocal, bcast, gathered, part, varied, team_out,
          team_gathered):
    shmem.free(a)
print(f"reduce_collect: PE {me} of {npes} OK", flush=True)
