"""Shared data of the SPMD tests."""
import numpy as np

from shmem4py import shmem

ME = shmem.my_pe()
NPES = shmem.n_pes()
NEXT = (ME + 1) % NPES
PREV = (ME - 1) % NPES


def _shared_pes():
    # The world PEs this PE should reach by loads and stores (its node's,
    # SHMEM_TEAM_SHARED), from how the job was started, not from the library:
    # every PE under shmemrun; under the mpi transport (mpiexec) only itself
    # with SHMEM_MPI_ONNODE=0, or its "node" of SHMEMI_MPI_NODE_SIZE ranks.
    import os
    if os.environ.get("SHMEMI_NETWORK_LOOPBACK") == "1":
        return [ME]
    under_mpi = os.environ.get("SHMEM_TRANSPORT") == "mpi" or (
        not os.environ.get("SHMEMRUN_JOB") and ("PMI_RANK" in os.environ or
                                                "PMIX_RANK" in os.environ))
    if under_mpi and os.environ.get("SHMEM_MPI_ONNODE") == "0":
        return [ME]
    k = int(os.environ.get("SHMEMI_MPI_NODE_SIZE", "0") or 0) if under_mpi else 0
    if k > 0:
        return [pe for pe in range(NPES) if pe // k == ME // k]
    return list(range(NPES))


SHARED_PES = _shared_pes()
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
