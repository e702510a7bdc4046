"""stencil (the PRK's star stencil on a 2D block decomposition) with each
whole iteration, halo exchange included, inside one @numba.njit function:
the puts, fence, atomic increments and wait are shmem4py calls from compiled
code (shmem4py._numba).

The n x n grid is cut into npx x npy tiles (npx the largest divisor of the
PE count not above sqrt(npes + 1)); a tile keeps R ghost layers a side.  Per
iteration each PE packs its four edge strips, puts them into the
neighbours' receive slots (two sets, by iteration parity), fences, adds one
to each neighbour's arrival counter for that side and waits for its own
counter of each side; then it unpacks,
applies the stencil (out += weighted differences of in along x and y) and
adds 1 to in.  With in(i,j) = i + j the L1 norm of out over the active
points grows by 2 per iteration: the check.

    shmemrun -n N python bench/kernels/py/stencil_njit.py <iterations> <grid order n> [radius=2]

PE 0 prints the PRK lines and, last, the RESULT line of bench/ (variant
njit-shmem, unit MFlops/s).
"""
import math
import sys

import numpy as np
from numba import njit, types

from shmem4py import shmem

KERNEL, VARIANT = "stencil", "njit-shmem"
LEFT, RIGHT, DOWN, UP = 0, 1, 2, 3

# The monotonic clock from compiled code: libc's clock_gettime.
_clock_gettime = types.ExternalFunction("clock_gettime", types.int32(types.int32, types.uintp))


@njit(cache=True)
def _now(ts):
    _clock_gettime(1, ts.ctypes.data)    # CLOCK_MONOTONIC
    return ts[0] + ts[1] * 1e-9


def block(n, p, k):
    """Start and size of part k of n items split over p parts (the PRK's split)."""
    q, r = divmod(n, p)
    return k * q + min(k, r), q + (1 if k < r else 0)


@njit(cache=True)
def strip_box(side, ghost, R, w, h):
    """Local rectangle (x0, x1, y0, y1) of the strip along `side`, in the
    tile's storage (ghost layers included): own points going out, ghost
    points coming in."""
    x0, x1, y0, y1 = R, R + w, R, R + h
    if side == 0:
        x0 = 0 if ghost else R
        x1 = x0 + R
    elif side == 1:
        x0 = R + w if ghost else w
        x1 = x0 + R
    elif side == 2:
        y0 = 0 if ghost else R
        y1 = y0 + R
    else:
        y0 = R + h if ghost else h
        y1 = y0 + R
    return x0, x1, y0, y1


@njit(cache=True)
def iteration(a, out, send, recv, arrived, nbr, it, R, w, h, act, weights):
    """One time step: halo exchange, stencil, bump."""
    slot = it & 1
    for s in range(4):
        pe = nbr[s]
        if pe < 0:
            continue
        x0, x1, y0, y1 = strip_box(s, False, R, w, h)
        k = 0
        for y in range(y0, y1):
            for x in range(x0, x1):
                send[s, k] = a[y, x]
                k += 1
        shmem.put(recv[slot, s ^ 1, :k], send[s, :k], pe)
    shmem.fence()
    for s in range(4):
        if nbr[s] >= 0:
            shmem.atomic_inc(arrived[s ^ 1:(s ^ 1) + 1], nbr[s])
    for s in range(4):
        if nbr[s] < 0:
            continue
        # one counter per side: with a single one, a neighbour one iteration
        # ahead could make up for another one's late strip
        shmem.wait_until(arrived[s:s + 1], shmem.CMP_GE, it + 1)
        x0, x1, y0, y1 = strip_box(s, True, R, w, h)
        k = 0
        for y in range(y0, y1):
            for x in range(x0, x1):
                a[y, x] = recv[slot, s, k]
                k += 1
    x0, x1, y0, y1 = act
    # row by row, the points of a row in the innermost loop (it vectorizes)
    for y in range(y0, y1):
        orow, here = out[y - R], a[y]
        for k in range(1, R + 1):
            wk = weights[k]
            north, south = a[y + k], a[y - k]
            for x in range(x0, x1):
                orow[x - R] += (wk * north[x] - wk * south[x]) + (wk * here[x + k]
                                                                   - wk * here[x - k])
    for y in range(R, R + h):
        row = a[y]
        for x in range(R, R + w):
            row[x] += 1.0


@njit(cache=True)
def run(a, out, send, recv, arrived, nbr, iterations, R, w, h, act, weights):
    """Iterations 0..iterations; iteration 0 is not timed, as in the PRK.
    Returns this PE's seconds for the others."""
    ts = np.zeros(2, dtype=np.int64)
    t0 = 0.0
    for it in range(iterations + 1):
        if it == 1:
            shmem.barrier_all()
            t0 = _now(ts)
        iteration(a, out, send, recv, arrived, nbr, it, R, w, h, act, weights)
    return _now(ts) - t0


def usage(me, msg):
    if me == 0:
        print(f"{KERNEL}_njit: {msg}\nusage: stencil_njit.py <iterations> <grid order n> "
              "[radius=2]", file=sys.stderr)
    return 2


def main(argv):
    """Run the kernel; returns the exit status (0, 1 invalid, 2 usage)."""
    me, npes = shmem.my_pe(), shmem.n_pes()
    if len(argv) not in (2, 3):
        return usage(me, "expected 2 or 3 arguments")
    try:
        iterations, n = int(argv[0]), int(argv[1])
        R = int(argv[2]) if len(argv) > 2 else 2
    except ValueError:
        return usage(me, "the arguments must be integers")
    if iterations < 1 or n < 1 or not 1 <= R <= 15:
        return usage(me, "iterations and n must be >= 1, the radius 1..15")
    if 2 * R + 1 > n:
        return usage(me, f"the radius {R} needs a grid of at least {2 * R + 1} points a side, "
                         f"got {n}")
    npx = int(math.sqrt(npes + 1.0))
    while npes % npx:
        npx -= 1
    npy = npes // npx
    if n // npx < R or n // npy < R:
        return usage(me, f"{npes} PEs make {npx} x {npy} tiles, some thinner than the radius "
                         f"{R} of an {n} x {n} grid; use fewer PEs or a larger grid")
    ix, iy = me % npx, me // npx
    istart, w = block(n, npx, ix)
    jstart, h = block(n, npy, iy)
    nbr = np.array([me - 1 if ix > 0 else -1, me + 1 if ix < npx - 1 else -1,
                    me - npx if iy > 0 else -1, me + npx if iy < npy - 1 else -1])
    strip_max = R * max(-(-n // npx), -(-n // npy))
    if me == 0:
        print("Parallel Research Kernels (shmem4py bench, njit)")
        print("OpenSHMEM stencil execution on 2D grid")
        print(f"Number of PEs          = {npes}")
        print(f"Grid size              = {n}")
        print(f"Radius of stencil      = {R}")
        print(f"Tiles in x/y-direction = {npx}/{npy}")
        print("Type of stencil        = star")
        print("Data type              = double precision")
        print("Halo exchange          = put + fence + atomic_inc + wait_until (in njit)")
        print(f"Number of iterations   = {iterations}")
        sys.stdout.flush()
    # a[y, x]: local storage with R ghost layers; global point (istart+x-R, jstart+y-R)
    a = np.zeros((h + 2 * R, w + 2 * R))
    gi = np.arange(istart, istart + w, dtype=np.float64)
    gj = np.arange(jstart, jstart + h, dtype=np.float64)
    a[R:R + h, R:R + w] = gj[:, None] + gi[None, :]
    out = np.zeros((h, w))
    send = np.zeros((4, strip_max))
    recv = shmem.zeros((2, 4, strip_max))
    arrived = shmem.zeros(4, dtype=np.int32)
    # the active points (at least R from the border), in local storage coordinates
    act = (max(istart, R) - istart + R, min(istart + w, n - R) - istart + R,
           max(jstart, R) - jstart + R, min(jstart + h, n - R) - jstart + R)
    weights = np.zeros(R + 1)
    weights[1:] = [1.0 / (2.0 * k * R) for k in range(1, R + 1)]
    shmem.barrier_all()    # the counters are zero everywhere before any increment
    seconds = run(a, out, send, recv, arrived, nbr, iterations, R, w, h, act, weights)
    elapsed = shmem.array(np.array([seconds]))
    total = shmem.zeros(1)
    shmem.max_reduce(total, elapsed)
    x0, x1, y0, y1 = act
    local = shmem.array(np.array([np.abs(out[y0 - R:y1 - R, x0 - R:x1 - R]).sum()
                                  if x1 > x0 and y1 > y0 else 0.0]))
    norm = shmem.zeros(1)
    shmem.sum_reduce(norm, local)
    active = float(n - 2 * R) ** 2
    l1 = norm[0] / active
    reference = (iterations + 1) * 2.0
    valid = abs(l1 - reference) <= 1e-8 * reference
    if me == 0:
        avg = total[0] / iterations
        rate = 1e-6 * (2.0 * (4 * R + 1) + 1.0) * active / avg
        if valid:
            print("Solution validates")
            print(f"Rate (MFlops/s): {rate:f} Avg time (s): {avg:f}")
        else:
            print(f"ERROR: L1 norm = {l1:.12f}, Reference L1 norm = {reference:.12f}")
            print("ERROR: solution does not validate")
        print(f"RESULT kernel={KERNEL} variant={VARIANT} npes={npes} valid={int(valid)} "
              f"rate={rate:.9g} unit=MFlops/s time_s={avg:.9g} args={','.join(argv)}")
        sys.stdout.flush()
    shmem.barrier_all()    # no PE frees while a neighbour may still put
    for x in (norm, local, total, elapsed, arrived, recv):
        shmem.free(x)
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
