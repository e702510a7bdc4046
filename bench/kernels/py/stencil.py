"""stencil: the PRK's star stencil of radius R on an n x n grid with a 2D
block decomposition (Python mirror of stencil_shmem.c and stencil_mpi.c):
every iteration out += the weighted differences of in along x and y
(weights +-1/(2kR) at distance k), then in += 1.

    shmemrun -n N python stencil.py --comm shmem [--numba] <iterations> <grid order n> [radius=2]
    mpiexec  -n N python stencil.py --comm mpi   [--numba] <iterations> <grid order n> [radius=2]

The grid is cut into npx x npy tiles, npx the largest divisor of the PE
count not above sqrt(npes + 1), PE me owning tile (me % npx, me // npx).
A tile is stored with R ghost layers on every side, y the row index.

Halos, shmem: each side's strip is packed into a private buffer and put
into the neighbour's receive slot for the opposite side; after a fence an
atomic increment of the neighbour's arrival counter for that side, which
the neighbour awaits with wait_until.  One counter per side: a neighbour one
iteration ahead must not make up for one still behind.  The receive slots
alternate by iteration parity (a neighbour can be one iteration ahead,
never two: going on needs this PE's next increment).
Halos, MPI: Irecv, pack, Isend, Waitall, unpack, as the PRK's MPI1 version.

Validation: with in(i, j) = i + j the result grows by exactly 2 per
iteration on the points at least R from the border: the L1 norm of out
over those points, divided by their count, must be 2 (iterations + 1).

The NumPy form applies the stencil by blocks of rows small enough for the
L2 cache: per block and per distance k, (up - down + right - left) is
formed in a scratch block, scaled by the weight and added to out, so that
in and out cross the memory bus about once per iteration, as in C; every
view is one-dimensional (a run through whole stored rows, numpy_stencil
says why) and made once, before the clock starts.  With --numba the
stencil is one compiled loop nest, the C one.
"""
import math
import sys

import numpy as np

from prk_common import Kernel, block_size, block_start, njit, wtime

LEFT, RIGHT, DOWN, UP = range(4)
SIDE_NAMES = ("left", "right", "down", "up")
# Elements of a row block of the NumPy stencil: 128 KiB of scratch, with
# the rows of in and out it touches well inside the L2 cache.
BLOCK_WORDS = 16384


def opposite(side):
    """The side a strip sent across SIDE arrives on."""
    return side ^ 1


class Tile:
    """PE me's tile of the n x n grid with R ghost layers (prk_stencil.h's
    geometry): own points [istart, iend) x [jstart, jend)."""

    def __init__(self, n, R, me, npes):
        self.n, self.R = n, R
        x = int(math.sqrt(npes + 1.0))
        while npes % x:
            x -= 1
        self.npx, self.npy = x, npes // x
        self.ix, self.iy = me % self.npx, me // self.npx
        self.istart = block_start(n, self.npx, self.ix)
        self.width = block_size(n, self.npx, self.ix)
        self.iend = self.istart + self.width
        self.jstart = block_start(n, self.npy, self.iy)
        self.height = block_size(n, self.npy, self.iy)
        self.jend = self.jstart + self.height
        self.nbr = [me - 1 if self.ix > 0 else -1,
                    me + 1 if self.ix < self.npx - 1 else -1,
                    me - self.npx if self.iy > 0 else -1,
                    me + self.npx if self.iy < self.npy - 1 else -1]
        wmax, hmax = -(-n // self.npx), -(-n // self.npy)
        self.strip_max = R * max(wmax, hmax)

    def too_thin(self):
        """Whether some tile of the decomposition is thinner than R (the
        same verdict on every PE)."""
        return self.n // self.npx < self.R or self.n // self.npy < self.R

    def strip(self, side, ghost):
        """The (rows, columns) slices of the stored tile for the strip along
        SIDE: own points when not GHOST (what goes out), ghost points when
        GHOST (what comes in)."""
        R, w, h = self.R, self.width, self.height
        rows, cols = slice(R, R + h), slice(R, R + w)
        if side == LEFT:
            cols = slice(0, R) if ghost else slice(R, 2 * R)
        elif side == RIGHT:
            cols = slice(R + w, 2 * R + w) if ghost else slice(w, w + R)
        elif side == DOWN:
            rows = slice(0, R) if ghost else slice(R, 2 * R)
        else:
            rows = slice(R + h, 2 * R + h) if ghost else slice(h, h + R)
        return rows, cols

    def strip_words(self, side):
        """Words in the strip along SIDE (the same both ways)."""
        return self.R * (self.height if side in (LEFT, RIGHT) else self.width)

    def active(self):
        """The tile's points at least R from the grid's border, as local
        (row, column) bounds into out: (r0, r1, c0, c1)."""
        R, n = self.R, self.n
        i0, i1 = max(self.istart, R), min(self.iend, n - R)
        j0, j1 = max(self.jstart, R), min(self.jend, n - R)
        return (j0 - self.jstart, max(j1 - self.jstart, j0 - self.jstart),
                i0 - self.istart, max(i1 - self.istart, i0 - self.istart))


def numpy_stencil(tile, inp, out):
    """The stencil as a list of NumPy calls over precomputed views: returns
    a function that applies it once.

    Every operand is a one-dimensional view of the flattened tile, running
    from the block's first active point to its last across whole stored
    rows: NumPy's contiguous loops are several times faster than its
    strided two-dimensional ones.  The points in between that are not
    active (ghost columns, and own points within R of the grid's border)
    are computed too and never read: OUT holds the same columns as INP
    for that, and only its active points are the result."""
    R = tile.R
    ld = inp.shape[1]
    r0, r1, c0, c1 = tile.active()
    if r1 <= r0 or c1 <= c0:
        return lambda: None
    flat_in, flat_out = inp.reshape(-1), out.reshape(-1)
    rows_per_block = max(1, BLOCK_WORDS // ld)
    scratch = np.empty(rows_per_block * ld)
    blocks = []
    for b0 in range(r0, r1, rows_per_block):
        b1 = min(b0 + rows_per_block, r1)
        # out row r is row r + R of inp; column c of either is own column c - R.
        first, count = b0 * ld + R + c0, (b1 - b0 - 1) * ld + (c1 - c0)
        centre = first + R * ld
        terms = []
        for k in range(1, R + 1):
            terms.append((1.0 / (2.0 * k * R),
                          flat_in[centre + k * ld:centre + k * ld + count],
                          flat_in[centre - k * ld:centre - k * ld + count],
                          flat_in[centre + k:centre + k + count],
                          flat_in[centre - k:centre - k + count]))
        blocks.append((flat_out[first:first + count], scratch[:count], terms))
    add, subtract, multiply = np.add, np.subtract, np.multiply

    def apply():
        for o, t, terms in blocks:
            for w, up, down, right, left in terms:
                subtract(up, down, out=t)
                add(t, right, out=t)
                subtract(t, left, out=t)
                multiply(t, w, out=t)
                add(o, t, out=o)

    return apply


def make_numba_stencil():
    """The stencil compiled by numba: per row of out, one pass per
    distance k, so that the innermost loop runs along the row with a
    constant weight and compiles to vector instructions (the C kernel gets
    the same from unrolling its loop over k, R being a constant there)."""

    @njit
    def apply(inp, out, R, r0, r1, c0, c1):
        for r in range(r0, r1):
            o = out[r]
            mid = inp[r + R]
            for k in range(1, R + 1):
                w = 1.0 / (2.0 * k * R)
                up, down = inp[r + R + k], inp[r + R - k]
                for c in range(c0 + R, c1 + R):
                    o[c] += w * (up[c] - down[c] + mid[c + k] - mid[c - k])

    return apply


def main():
    """Runs the kernel; returns the exit status."""
    k = Kernel("stencil", "<iterations> <grid order n> [radius]", 2, 3)
    iterations = k.int_arg(1, "iterations", 1, 2**31 - 2)
    n = k.int_arg(2, "grid order n", 1, 1 << 30)
    R = k.int_arg(3, "radius", 1, 15, 2)
    comm, me, npes = k.comm, k.me, k.npes
    if 2 * R + 1 > n:
        k.usage_error(f"the radius {R} needs a grid of at least {2 * R + 1} points a side, "
                      f"got {n}")
    tile = Tile(n, R, me, npes)
    if tile.too_thin():
        k.usage_error(f"{npes} PEs make {tile.npx} x {tile.npy} tiles, some thinner than the "
                      f"radius {R} of a {n} x {n} grid; use fewer PEs or a larger grid")
    shmem_comm = comm.name == "shmem"
    k.banner("Stencil execution on 2D grid", [
        ("Number of PEs", npes), ("Grid size", n), ("Radius of stencil", R),
        ("Tiles in x/y-direction", f"{tile.npx}/{tile.npy}"), ("Type of stencil", "star"),
        ("Data type", "double precision"),
        ("Halo exchange", "put + fence + atomic_inc + wait_until" if shmem_comm
         else "Irecv + Isend + Waitall"),
        ("Number of iterations", iterations)])

    h, w = tile.height, tile.width
    inp = np.zeros((h + 2 * R, w + 2 * R))
    # out has inp's columns (numpy_stencil says why); its own points are
    # out[:, R:R + w].
    out = np.zeros((h, w + 2 * R))
    own = inp[R:R + h, R:R + w]
    own[...] = (np.arange(tile.jstart, tile.jend, dtype=np.float64)[:, None]
                + np.arange(tile.istart, tile.iend, dtype=np.float64)[None, :])
    sides = [s for s in range(4) if tile.nbr[s] >= 0]
    smax = tile.strip_max
    send = np.zeros((4, smax))
    # Per side: the strip going out and the ghost strip coming in, as
    # views of the tile, and the part of a buffer they fill.
    out_strips = {s: inp[tile.strip(s, False)] for s in sides}
    in_strips = {s: inp[tile.strip(s, True)] for s in sides}
    words = {s: tile.strip_words(s) for s in sides}
    packed = {s: send[s, :words[s]].reshape(out_strips[s].shape) for s in sides}

    if k.numba:
        stencil_numba = make_numba_stencil()
        r0, r1, c0, c1 = tile.active()
        stencil_numba(np.zeros((2 * R + 1, 2 * R + 1)), np.zeros((1, 2 * R + 1)), R, 0, 1, 0, 1)

        def apply():
            stencil_numba(inp, out, R, r0, r1, c0, c1)
    else:
        apply = numpy_stencil(tile, inp, out)

    if k.numba:
        def bump():
            np.add(own, 1.0, out=own)
    else:
        # One contiguous run from the first own point to the last, as in
        # numpy_stencil: it also bumps the left and right ghost columns
        # between, which the next halo exchange overwrites before any read,
        # and which at the grid's border only inactive points read.
        ld = w + 2 * R
        run = inp.reshape(-1)[R * ld + R:(R + h - 1) * ld + R + w]

        def bump():
            np.add(run, 1.0, out=run)

    copyto = np.copyto
    if shmem_comm:
        shmem = comm.shmem
        recv = comm.zeros((2, 4, smax), symmetric=True)
        arrived = comm.zeros(4, dtype=np.int32, symmetric=True)
        put, fence, atomic_inc, wait_until = shmem.put, shmem.fence, shmem.atomic_inc, \
            shmem.wait_until
        GE = shmem.CMP.GE
        # Every view made once: the slot each side's strip lands in on the
        # neighbour (per parity), the slot it arrives in here, the counters.
        remote_slot = [{s: recv[p, opposite(s), :words[s]] for s in sides} for p in range(2)]
        local_slot = [{s: recv[p, s, :words[s]].reshape(in_strips[s].shape) for s in sides}
                      for p in range(2)]
        remote_counter = {s: arrived[opposite(s):opposite(s) + 1] for s in sides}
        counter = {s: arrived[s:s + 1] for s in sides}
        comm.barrier()  # the counters are zero everywhere before any increment

        def exchange(it):
            parity = it & 1
            slots = remote_slot[parity]
            for s in sides:
                copyto(packed[s], out_strips[s])
                put(slots[s], send[s, :words[s]], tile.nbr[s])
            fence()  # each neighbour sees the data before the increment
            for s in sides:
                atomic_inc(remote_counter[s], tile.nbr[s])
            stamp = it + 1
            slots = local_slot[parity]
            for s in sides:
                wait_until(counter[s], GE, stamp)
                copyto(in_strips[s], slots[s])
    else:
        MPI = comm.MPI
        mpi = comm.comm
        recv = np.zeros((4, smax))
        landing = {s: recv[s, :words[s]].reshape(in_strips[s].shape) for s in sides}
        Irecv, Isend, Waitall = mpi.Irecv, mpi.Isend, MPI.Request.Waitall

        def exchange(it):
            reqs = [Irecv(recv[s, :words[s]], tile.nbr[s], s) for s in sides]
            for s in sides:
                copyto(packed[s], out_strips[s])
                reqs.append(Isend(send[s, :words[s]], tile.nbr[s], opposite(s)))
            Waitall(reqs)
            for s in sides:
                copyto(in_strips[s], landing[s])

    comm.barrier()
    t0 = 0.0
    for it in range(iterations + 1):
        if it == 1:
            comm.barrier()
            t0 = wtime()
        if sides:
            exchange(it)
        apply()
        bump()
    elapsed = comm.max(wtime() - t0)

    r0, r1, c0, c1 = tile.active()
    norm = comm.sum(float(np.abs(out[r0:r1, c0 + R:c1 + R]).sum()))
    active_points = float(n - 2 * R) ** 2
    norm /= active_points
    reference = (iterations + 1) * 2.0
    valid = abs(norm - reference) <= 1e-8 * reference

    avgtime = elapsed / iterations
    flops = (2.0 * (4 * R + 1) + 1.0) * active_points
    rate = 1e-6 * flops / avgtime
    status = k.report(valid, rate, "MFlops/s", avgtime,
                      error=f"ERROR: L1 norm = {norm:.12f}, Reference L1 norm = {reference:.12f}")
    if shmem_comm:
        comm.shmem.barrier_all()  # no PE frees while a neighbour may still put
        comm.free(arrived)
        comm.free(recv)
    return status


if __name__ == "__main__":
    sys.exit(main())
