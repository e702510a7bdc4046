"""Pipelined wavefront (the "synch_p2p" kernel of the Parallel Research Kernels).

The grid is m x n with grid[0, j] = j and grid[i, 0] = i; every other point is
grid[i, j] = grid[i-1, j] + grid[i, j-1] - grid[i-1, j-1].  The columns are
split into one block per PE.  Row by row, a PE waits for the left neighbour's
last column value, computes its part of the row and hands its own last value
to the right neighbour: put the value, fence, then raise that row's flag.
The flags do not go back to zero between sweeps: the value that means "ready"
flips each sweep, and it is kept in a symmetric one-element array `expected`
that every wait compares against.  After each sweep the last PE sends the
negated corner back to PE 0 (grid[0, 0] = -grid[m-1, n-1]), which makes the
sweeps depend on one another.

Self-check: every PE compares its block with the same recurrence computed
serially with NumPy, and the corner with its closed form.
"""
import numpy as np

from shmem4py import shmem

M, N, SWEEPS = 24, 29, 4

me, npes = shmem.my_pe(), shmem.n_pes()
left, right = me - 1, me + 1

# Column block [lo, hi) of this PE; local column 0 holds global column lo-1.
bounds = np.linspace(0, N, npes + 1).astype(int)
lo, hi = int(bounds[me]), int(bounds[me + 1])
width = hi - lo
grid = np.zeros((M, width + 1))
grid[0, :] = np.arange(lo - 1, hi)
if lo == 0:
    grid[:, 1] = np.arange(M)

ghost = shmem.zeros(M)                  # column lo-1, filled in by the left PE
flag = shmem.zeros(M, dtype="i")        # one flag per row, set by the left PE
corner = shmem.zeros(1)                 # -grid[M-1, N-1], sent to PE 0
corner_flag = shmem.zeros(1, dtype="i")
expected = shmem.zeros(1, dtype="i")    # the flag value that means "ready"
last_corner = shmem.zeros(1)
shmem.barrier_all()                     # everyone's arrays are zeroed before any put

first = 2 if lo == 0 else 1             # global column 0 is a boundary
for sweep in range(SWEEPS):
    expected[0] = 1 - expected[0]       # flip: 1, 0, 1, ...
    for i in range(1, M):
        if me > 0:
            shmem.wait_until(flag[i:i + 1], shmem.CMP.EQ, expected)
            grid[i, 0] = ghost[i]
        for j in range(first, width + 1):
            grid[i, j] = grid[i - 1, j] + grid[i, j - 1] - grid[i - 1, j - 1]
        if me < npes - 1:
            shmem.put(ghost[i:i + 1], grid[i, width:width + 1], right)
            shmem.fence()
            shmem.put(flag[i:i + 1], expected, right)
    # The corner goes back to PE 0 before the next sweep starts there.
    if me == npes - 1:
        value = np.array([-grid[M - 1, width]])
        shmem.put(corner, value, 0)
        shmem.fence()
        shmem.atomic_set(corner_flag, expected, 0)
    if me == 0:
        shmem.wait_until(corner_flag[0:1], shmem.CMP.EQ, expected)
        grid[0, 1] = corner[0]

# PE 0 learns the last corner value from the last PE.
if me == npes - 1:
    shmem.put(last_corner, grid[M - 1, width:width + 1], 0)
shmem.barrier_all()

# Serial reference of the same recurrence.
ref = np.zeros((M, N))
ref[0, :] = np.arange(N)
ref[:, 0] = np.arange(M)
for sweep in range(SWEEPS):
    for i in range(1, M):
        for j in range(1, N):
            ref[i, j] = ref[i - 1, j] + ref[i, j - 1] - ref[i - 1, j - 1]
    ref[0, 0] = -ref[M - 1, N - 1]

mine, check = grid[:, 1:], ref[:, lo:hi]
assert np.array_equal(mine, check), (me, mine, check)
assert ref[M - 1, N - 1] == SWEEPS * (M + N - 2), ref[M - 1, N - 1]
if me == 0:
    assert last_corner[0] == SWEEPS * (M + N - 2), last_corner[0]
    assert grid[0, 1] == -SWEEPS * (M + N - 2), grid[0, 1]

for a in (ghost, flag, corner, corner_flag, expected, last_corner):
    shmem.free(a)
print(f"wavefront_p2p: PE {me} of {npes} OK (corner {SWEEPS * (M + N - 2)})", flush=True)
