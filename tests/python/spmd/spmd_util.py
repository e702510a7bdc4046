"""Shared data of the SPMD tests."""
import numpy as np
from layout import shared_pes

from shmem4py import shmem

ME = shmem.my_pe()
NPES = shmem.n_pes()
NEXT = (ME + 1) % NPES
PREV = (ME - 1) % NPES


# The world PEs this PE reaches by loads and stores (layout.py).
SHARED_PES = shared_pes(ME, NPES)
# This PE's neighbours in a ring of the PEs of its node (itself when alone).
NEAR_NEXT = SHARED_PES[(SHARED_PES.index(ME) + 1) % len(SHARED_PES)]
NEAR_PREV = SHARED_PES[(SHARED_PES.index(ME) - 1) % len(SHARED_PES)]

# Every NumPy dtype with an OpenSHMEM C type (and float16, which moves as bytes).
DTYPES = list("?bhilqBHILQefdgFDG")
# The spec's AMO type tables, by NumPy dtype char.
AMO_EXTENDED = list("ilqILQfd")   # fetch, set, swap
AMO_STANDARD = list("ilqILQ")     # compare_swap, inc, add and their fetching forms
AMO_BITWISE = list("ilqILQ")      # and, or, xor (int32/int64 are fixed-width types)
SYNC_ONE = list("ilqILQhH")       # wait_until / test (short, ushort: deprecated forms)
SYNC_VECTOR = list("ilqILQ")      # the _all/_any/_some (and _vector) forms
REDUCE_BITWISE = list("?bhilqBHILQ")
REDUCE_MINMAX = list("?bhilqBHILQfdg")
REDUCE_ARITH = list("bhilqBHILQfdgFD")


def values(dtype, count, base=0):
    """`count` distinct values of `dtype` that depend on `base` (e.g. a PE)."""
    dt = np.dtype(dtype)
    a = (np.arange(count) + 3 * base + 1) % 50
    if dt.kind == "b":
        return ((a + base) % 2).astype(dt)
    if dt.kind == "c":
        return (a + 1j * (a + 1)).astype(dt)
    return a.astype(dt)


def scalar(dtype, k):
    """A Python value of kind `dtype` (k: a small integer)."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return bool(k % 2)
    if dt.kind == "c":
        return complex(k, k + 1)
    if dt.kind == "f":
        return float(k) + 0.5
    return int(k)
