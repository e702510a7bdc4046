"""Cost of one call through the low-level API (shmem4py.api, CFFI) against
the same call through shmem4py.shmem, in one run, one PE, best of 7
repetitions.  Prints each time and the ratios api / high-level.

    .venv/bin/python bench/lowlevel_cost.py

CFFI's API-mode wrappers release the GIL and save errno around every call
(as the published shmem4py's do); the high-level calls go straight into the
extension, which keeps the GIL for calls that cannot block."""
import timeit

import numpy as np

from shmem4py import shmem
from shmem4py.api import ffi, lib

N = 200_000


def best(stmt, env):
    return min(timeit.repeat(stmt, number=N, repeat=7, globals=env)) / N * 1e9


def main():
    a = shmem.zeros(1, dtype="l")
    src = np.ones(1, dtype="l")
    env = {"shmem": shmem, "lib": lib, "a": a, "src": src,
           "pa": ffi.from_buffer("long*", a), "ps": ffi.from_buffer("long*", src)}
    rows = [
        ("p, 8 B", "shmem.p(a, 1, 0)", "lib.shmem_long_p(pa, 1, 0)"),
        ("put, 8 B", "shmem.put(a, src, 0)", "lib.shmem_long_put(pa, ps, 1, 0)"),
        ("my_pe", "shmem.my_pe()", "lib.shmem_my_pe()"),
        # A wait whose condition already holds, as a pipeline's usually does.
        ("wait_until", "shmem.wait_until(a, shmem.CMP.GE, 0)",
         "lib.shmem_long_wait_until(pa, lib.SHMEM_CMP_GE, 0)"),
    ]
    print(f"{'call':10s} {'shmem4py.shmem':>16s} {'shmem4py.api':>14s} {'api / shmem':>12s}")
    for name, high, low in rows:
        h, l = best(high, env), best(low, env)
        print(f"{name:10s} {h:13.1f} ns {l:11.1f} ns {l / h:12.2f}")
    shmem.free(a)


if __name__ == "__main__":
    main()
