"""Compute pi by integrating 4 / (1 + x^2) over [0, 1]: every PE sums a
slice of the midpoints, and a sum reduction adds the slices.

    python -m shmem4py -n 4 examples/pi.py [intervals]
"""
import math
import sys

import numpy as np

from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
h = 1.0 / n

x = h * (np.arange(me, n, npes, dtype="d") + 0.5)
partial = shmem.array([np.sum(4.0 / (1.0 + x * x)) * h])
pi = shmem.zeros(1)
shmem.sum_reduce(pi, partial)
assert abs(pi[0] - math.pi) < 1e-8, pi[0]
if me == 0:
    print(f"pi ~ {pi[0]:.15f} (error {abs(pi[0] - math.pi):.1e}) with {npes} PEs", flush=True)
shmem.free(pi)
shmem.free(partial)
