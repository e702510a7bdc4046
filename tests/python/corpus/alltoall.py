"""Distributed matrix transpose with alltoall, and a strided exchange with
alltoalls.

The (npes*B) x (npes*B) matrix A[i, j] = 1000*i + j is split into block rows
of B rows, one per PE.  Each PE cuts its block row into npes B x B blocks,
sends block q to PE q with one alltoall, then transposes each block it
received: the result is its block row of A.T.

Self-check: every PE compares with its block row of A.T, computed directly.
"""
import numpy as np

from shmem4py import shmem

B = 3
me, npes = shmem.my_pe(), shmem.n_pes()
n = npes * B

A = 1000.0 * np.arange(n)[:, None] + np.arange(n)[None, :]
myrows = A[me * B:(me + 1) * B]                       # B x n

# Block q of my rows goes to PE q, laid out contiguously.
send = shmem.array(np.ascontiguousarray(myrows.reshape(B, npes, B).transpose(1, 0, 2)))
recv = shmem.zeros((npes, B, B))
shmem.alltoall(recv, send)                            # size=None: B*B per PE pair
mine_t = recv.transpose(0, 2, 1).transpose(1, 0, 2).reshape(B, n)
assert np.array_equal(mine_t, A.T[me * B:(me + 1) * B]), (me, mine_t)

# An explicit size per PE pair gives the same exchange.
again = shmem.full((npes, B, B), -1.0)
shmem.alltoall(again, send, size=B * B)
assert np.array_equal(again, recv)

# alltoalls: every PE sends value 10*me + q to PE q, spaced by sst in the
# source and landing spaced by tst in the target.
tst, sst = 2, 3
ssrc = shmem.full(npes * sst, -5, dtype=np.int32)
ssrc[::sst] = 10 * me + np.arange(npes)
stgt = shmem.full(npes * tst, -7, dtype=np.int32)
shmem.alltoalls(stgt, ssrc, tst=tst, sst=sst, size=1)
assert stgt[::tst].tolist() == [10 * q + me for q in range(npes)], stgt
assert (stgt[1::tst] == -7).all(), stgt

shmem.barrier_all()
for a in (send, recv, again, ssrc, stgt):
    shmem.free(a)
print(f"alltoall: PE {me} of {npes} OK", flush=True)
