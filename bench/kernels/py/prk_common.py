"""What every Python kernel of bench/kernels/py shares: the command line,
the clock, the scalar reductions, the RESULT line and a thin layer over the
two communication libraries (shmem4py and mpi4py).

Every kernel is started as (bench contract, issue #17)

    shmemrun -n N python bench/kernels/py/<kernel>.py --comm shmem [--numba] ARGS
    mpiexec  -n N python bench/kernels/py/<kernel>.py --comm mpi   [--numba] ARGS

and, like the C kernels of bench/kernels/c, exits 0 when its result
validates, 1 when it does not (RESULT says valid=0), 2 when the arguments or
the PE count cannot be used (said on stderr by PE 0).

The layer here is deliberately thin: only what both libraries do alike
(barrier, scalar sum and max, array allocation) lives in it.  Each kernel
writes its own communication with each library's own calls, as a user of
that library would, so that a comparison of the two measures the libraries
and not an abstraction over them.
"""
import argparse
import os
import sys
import time

import numpy as np

EXIT_INVALID = 1
EXIT_USAGE = 2


def wtime():
    """Wall-clock seconds (CLOCK_MONOTONIC, the C kernels' clock)."""
    return time.perf_counter()


class UsageError(Exception):
    """An argument or the PE count that the kernel cannot use."""


class ShmemComm:
    """shmem4py: symmetric NumPy arrays, collectives on the world team."""

    name = "shmem"

    def __init__(self):
        from shmem4py import shmem

        self.shmem = shmem
        self.me = shmem.my_pe()
        self.npes = shmem.n_pes()
        # Two sets of scalar operands, alternated: a PE that already left
        # one reduction may enter the next and write into its source while
        # a slower PE still reads the previous one (the C kernels do so).
        self._scalars = [(shmem.zeros(1, dtype="d"), shmem.zeros(1, dtype="d")) for _ in range(2)]
        self._next = 0

    def barrier(self):
        """Synchronizes every PE (and completes their puts)."""
        self.shmem.barrier_all()

    def _reduce(self, value, reduce):
        src, dst = self._scalars[self._next]
        self._next ^= 1
        src[0] = value
        reduce(dst, src)
        return float(dst[0])

    def sum(self, value):
        """The sum over every PE of the float VALUE, on every PE."""
        return self._reduce(value, self.shmem.sum_reduce)

    def max(self, value):
        """The maximum over every PE of the float VALUE, on every PE."""
        return self._reduce(value, self.shmem.max_reduce)

    def zeros(self, shape, dtype="d", symmetric=False):
        """A zeroed array; symmetric (on the symmetric heap) when SYMMETRIC,
        page-aligned like the C kernels' allocations either way."""
        if symmetric:
            return self.shmem.zeros(shape, dtype=dtype, align=4096)
        return np.zeros(shape, dtype=dtype)

    def free(self, array):
        """Releases an array from zeros(..., symmetric=True)."""
        self.shmem.free(array)

    def finish(self):
        """Frees the layer's own symmetric memory; every PE calls it."""
        self.shmem.barrier_all()
        for src, dst in self._scalars:
            self.shmem.free(src)
            self.shmem.free(dst)
        self._scalars = []


class MpiComm:
    """mpi4py on MPI_COMM_WORLD with NumPy buffers."""

    name = "mpi"

    def __init__(self):
        from mpi4py import MPI

        self.MPI = MPI
        self.comm = MPI.COMM_WORLD
        self.me = self.comm.Get_rank()
        self.npes = self.comm.Get_size()
        self._in = np.zeros(1)
        self._out = np.zeros(1)

    def barrier(self):
        """Synchronizes every rank."""
        self.comm.Barrier()

    def _reduce(self, value, op):
        self._in[0] = value
        self.comm.Allreduce(self._in, self._out, op=op)
        return float(self._out[0])

    def sum(self, value):
        """The sum over every rank of the float VALUE, on every rank."""
        return self._reduce(value, self.MPI.SUM)

    def max(self, value):
        """The maximum over every rank of the float VALUE, on every rank."""
        return self._reduce(value, self.MPI.MAX)

    def zeros(self, shape, dtype="d", symmetric=False):
        """A zeroed NumPy array (SYMMETRIC means nothing to MPI)."""
        return np.zeros(shape, dtype=dtype)

    def free(self, array):
        """Nothing to do: NumPy owns the memory."""

    def finish(self):
        """Nothing to release; every rank calls it."""


class Kernel:
    """One run of a kernel: the parsed command line, the communication
    layer and the printing, the same for every kernel.

    Positional arguments are checked by int_arg / choice_arg; every PE
    reaches the same verdict, so no broadcast is needed and only PE 0
    speaks."""

    def __init__(self, name, usage, nmin, nmax, argv=None):
        parser = argparse.ArgumentParser(
            prog=f"{name}.py", add_help=True,
            description=f"PRK-style {name} kernel on shmem4py or mpi4py (bench contract, #17).")
        parser.add_argument("--comm", choices=("shmem", "mpi"), default="shmem",
                            help="communication library (default: shmem)")
        parser.add_argument("--numba", action="store_true",
                            help="compile the arithmetic with numba.njit")
        parser.add_argument("args", nargs="*", help=usage)
        ns = parser.parse_args(sys.argv[1:] if argv is None else argv)
        self.name = name
        self.numba = ns.numba
        self.args = ns.args
        self.comm = ShmemComm() if ns.comm == "shmem" else MpiComm()
        self.me, self.npes = self.comm.me, self.comm.npes
        self.variant = ("numba-" if ns.numba else "py-") + ns.comm
        if not nmin <= len(self.args) <= nmax:
            self.usage_error(f"usage: {name} {usage} (got {len(self.args)} arguments)")

    # -- arguments -----------------------------------------------------
    def usage_error(self, message):
        """Says MESSAGE on stderr (PE 0 only) and ends every PE with status 2."""
        if self.me == 0:
            print(f"{self.name}: {message}", file=sys.stderr, flush=True)
        self.comm.finish()
        sys.exit(EXIT_USAGE)

    def int_arg(self, index, what, lo, hi, default=None):
        """Positional argument INDEX (1-based) named WHAT, an integer in
        [LO, HI]; DEFAULT when optional and absent."""
        if index > len(self.args):
            return default
        text = self.args[index - 1]
        try:
            value = int(text, 10)
        except ValueError:
            self.usage_error(f"argument {index} ({what}) must be an integer, got '{text}'")
        if not lo <= value <= hi:
            self.usage_error(f"argument {index} ({what}) must be in [{lo}, {hi}], got {value}")
        return value

    def choice_arg(self, index, what, choices):
        """Positional argument INDEX (1-based) named WHAT, one of CHOICES;
        the first when absent."""
        if index > len(self.args):
            return choices[0]
        if self.args[index - 1] not in choices:
            self.usage_error(f"argument {index} ({what}) must be one of {'|'.join(choices)}, "
                             f"got '{self.args[index - 1]}'")
        return self.args[index - 1]

    # -- printing ------------------------------------------------------
    def banner(self, what, lines):
        """PE 0 prints the PRK's opening lines: the title, then LINES, a
        list of (label, value)."""
        if self.me != 0:
            return
        lib = {"shmem": "shmem4py", "mpi": "mpi4py"}[self.comm.name]
        flavour = "Python + Numba" if self.numba else "Python/NumPy"
        print(f"Parallel Research Kernels (shmem4py bench, {flavour} on {lib})")
        print(what)
        for label, value in lines:
            print(f"{label:<23}= {value}")
        sys.stdout.flush()

    def report(self, valid, rate, unit, time_s, error=None):
        """PE 0 prints the PRK's closing lines and the RESULT line, which the
        runner parses (bench contract); returns the exit status every PE
        passes to sys.exit."""
        if self.me == 0:
            if valid:
                print("Solution validates")
                print(f"Rate ({unit}): {rate:f} Avg time (s): {time_s:f}")
            else:
                if error:
                    print(error)
                print("ERROR: solution does not validate")
            print(f"RESULT kernel={self.name} variant={self.variant} npes={self.npes} "
                  f"valid={1 if valid else 0} rate={rate:.9g} unit={unit} time_s={time_s:.9g} "
                  f"args={','.join(self.args)}", flush=True)
        self.comm.finish()
        return 0 if valid else EXIT_INVALID


def block_start(n, p, k):
    """First item of part K when N items are split over P parts, the first
    N % P parts one item larger (the PRK's split of a grid dimension)."""
    q, r = divmod(n, p)
    return k * q + min(k, r)


def block_size(n, p, k):
    """Number of items of part K in block_start's split."""
    return n // p + (1 if k < n % p else 0)


def njit(*args, **kwargs):
    """numba.njit with the kernels' options: cached on disk (next to the
    kernel, in __pycache__) so that a run compiles only once per machine,
    and without fastmath, so that the results equal the NumPy ones."""
    import numba

    kwargs.setdefault("cache", True)
    return numba.njit(*args, **kwargs)
