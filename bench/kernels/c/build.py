#!/usr/bin/env python3
"""Build the C kernels of bench/kernels/c with one of three compilers.

    python bench/kernels/c/build.py {shmem,mpi,oshmem} OUTDIR [kernel ...]

shmem   the <kernel>_shmem.c sources with shmemcc (the one on the PATH,
        else the build tree's build/shmemcc): variant c-shmem.
mpi     the <kernel>_mpi.c sources with mpicc (the mpich wheel's in the
        running Python's bin directory, else the one on the PATH): c-mpi.
oshmem  the <kernel>_shmem.c sources with Open MPI's oshcc: c-oshmem.

Every program is compiled at -O3 -Wall -Wextra into OUTDIR/<kernel>_shmem
or OUTDIR/<kernel>_mpi and is rebuilt only when a source or header is
newer than it; the compiler's warnings, if any, are printed.  The module
is importable: build(kind, outdir, kernels=None) returns {kernel: path},
and SIZES holds each kernel's default and quick positional arguments.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

KERNELS = ("nstream", "stencil", "synch_p2p", "transpose", "random", "reduce")
KINDS = ("shmem", "mpi", "oshmem")
# -O3, as the PRK's own builds: GCC's -O2 vectorizes only the loops it can
# without a remainder, so the stencil's sweep stays scalar there and runs at
# a third of its -O3 rate - a C baseline that NumPy beats, which would make
# every Python/C ratio flatter than the truth.
CFLAGS = ("-O3", "-Wall", "-Wextra")

# The positional arguments of each kernel (bench contract): "default" runs
# take about 1-5 s at 2-4 PEs on a 2-core machine (with libshmem; MPICH's
# busy-polling collectives are far slower with more ranks than cores),
# "quick" ones well under 1 s, for --quick and the tests.  The transpose
# takes its variant (alltoall|put) as a third argument after these.
SIZES = {
    "default": {
        "nstream": ("100", "2000000"),
        "stencil": ("50", "2000"),
        "synch_p2p": ("50", "2000", "2000"),
        "transpose": ("20", "2048"),
        "random": ("18", "1048576"),
        "reduce": ("200", "100000"),
    },
    "quick": {
        "nstream": ("10", "100000"),
        "stencil": ("10", "200"),
        "synch_p2p": ("10", "200", "200"),
        "transpose": ("10", "96"),
        "random": ("12", "10000"),
        "reduce": ("10", "1000"),
    },
}


class BuildError(RuntimeError):
    """A kernel could not be built: no compiler of that kind, or it failed."""


def _source_suffix(kind: str) -> str:
    return "mpi" if kind == "mpi" else "shmem"


def find_compiler(kind: str) -> str:
    """The compiler driver used for `kind`, as an absolute path.

    Raises BuildError naming what was looked for when there is none.
    """
    if kind not in KINDS:
        raise BuildError(f"build: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "shmem":
        # Ours before the PATH's: Open MPI's OSHMEM installs a shmemcc too,
        # and what it builds cannot run under our shmemrun.
        candidates = [Path(sys.executable).parent / "shmemcc", ROOT / "build" / "shmemcc",
                      shutil.which("shmemcc")]
        where = ("shmemcc beside the Python interpreter, build/shmemcc "
                 "(bash scripts/setup.sh) or on the PATH")
    elif kind == "mpi":
        # The mpich wheel puts mpicc beside the interpreter of its venv,
        # which may not be on the PATH when the venv is not activated.
        candidates = [Path(sys.executable).parent / "mpicc", shutil.which("mpicc")]
        where = "mpicc beside the Python interpreter (pip install mpich) or on the PATH"
    else:
        candidates = [shutil.which("oshcc")]
        where = "oshcc on the PATH (apt-get install libopenmpi-dev openmpi-bin)"
    for c in candidates:
        if c and os.access(c, os.X_OK) and Path(c).is_file():
            return str(Path(c).absolute())
    raise BuildError(f"build: no compiler for kind {kind!r}: looked for {where}")


def local_includes(source: Path) -> list[Path]:
    """The headers of this directory that `source` includes, directly or
    through another one: what a change of makes the program stale."""
    found, todo = [], [Path(source)]
    while todo:
        for line in todo.pop().read_text().splitlines():
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and (HERE / m[1]).exists() and HERE / m[1] not in found:
                found.append(HERE / m[1])
                todo.append(HERE / m[1])
    return sorted(found)


def up_to_date(target: Path, inputs: list[Path]) -> bool:
    """True when `target` exists and is newer than every one of `inputs`."""
    if not target.exists():
        return False
    built = target.stat().st_mtime
    return all(p.stat().st_mtime <= built for p in inputs)


def build(kind: str, outdir, kernels=None, force: bool = False, verbose: bool = False) -> dict:
    """Compile the kernels of `kind` into `outdir`; return {kernel: path}.

    kind: "shmem", "mpi" or "oshmem" (see the module's docstring).
    kernels: names among KERNELS; all of them when None.
    force: recompile even when the program is newer than its sources.
    verbose: print each compiler command before running it.
    Prints one line per kernel built.  Raises BuildError when the compiler
    is missing, a kernel name is unknown or a compilation fails (with the
    compiler's messages).
    """
    cc = find_compiler(kind)
    names = list(KERNELS if kernels is None else kernels)
    unknown = [k for k in names if k not in KERNELS]
    if unknown:
        raise BuildError(
            f"build: unknown kernel(s) {', '.join(unknown)}; known: {', '.join(KERNELS)}"
        )
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    suffix = _source_suffix(kind)
    built = {}
    for k in names:
        src = HERE / f"{k}_{suffix}.c"
        exe = out / f"{k}_{suffix}"
        # This file too: it holds the flags.
        if force or not up_to_date(exe, [src, *local_includes(src), Path(cc), Path(__file__)]):
            cmd = [cc, *CFLAGS, "-I", str(HERE), "-o", str(exe), str(src), "-lm"]
            if verbose:
                print(" ".join(cmd), flush=True)
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise BuildError(
                    f"build: {Path(cc).name} failed on {src.name} "
                    f"(exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
                )
            # Warnings go to stderr with the program they concern, so that a
            # warning-free build stays checkable (the tests ask for one).
            if proc.stdout.strip() or proc.stderr.strip():
                print(f"{src.name}: {proc.stdout}{proc.stderr}", end="", file=sys.stderr, flush=True)
            print(f"built {exe} ({kind}, {Path(cc).name})", flush=True)
        else:
            print(f"up to date {exe}", flush=True)
        built[k] = str(exe)
    return built


def main(argv=None) -> int:
    """Command line: build.py {shmem,mpi,oshmem} OUTDIR [kernel ...]."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("kind", choices=KINDS)
    p.add_argument("outdir")
    p.add_argument("kernels", nargs="*", metavar="kernel", help=f"among {', '.join(KERNELS)}")
    p.add_argument("--force", action="store_true", help="rebuild even when up to date")
    p.add_argument("-v", "--verbose", action="store_true", help="print the compiler commands")
    a = p.parse_args(argv)
    try:
        build(a.kind, a.outdir, a.kernels or None, force=a.force, verbose=a.verbose)
    except BuildError as e:
        print(e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
