"""``python -m shmem4py``: the version, or a job of N PEs of this Python.

    python -m shmem4py --version
    python -m shmem4py -n 4 script.py [args...]
    python -m shmem4py -n 4 -m package.module [args...]
    python -m shmem4py -n 4 -c "from shmem4py import shmem; print(shmem.my_pe())"

Every PE runs this interpreter (sys.executable) under the ``shmemrun``
launcher that ships with shmem4py.  Launcher options may come before the
Python arguments: ``-n N`` (``-np N``, ``--np N``), ``-p``/``--prefix``,
``--tag-output``, ``-t S``/``--timeout S``.
"""
import os
import shutil
import sys
import sysconfig

from . import __version__

_USAGE = """\
usage: python -m shmem4py [--version] [-n N] [launcher options] (script.py | -m module | -c command) [args...]

Runs a job of N PEs (default 1), each this Python interpreter, under shmemrun.
launcher options: -p/--prefix, --tag-output, -t S/--timeout S
"""


def find_shmemrun():
    """Return the path of the shmemrun installed with shmem4py (or on PATH)."""
    override = os.environ.get("SHMEM4PY_SHMEMRUN")
    if override:
        return override
    candidates = [os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "shmemrun")]
    for scheme in (None, "posix_user"):
        try:
            path = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        candidates.append(os.path.join(path, "shmemrun"))
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return shutil.which("shmemrun")


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(_USAGE)
        return 0 if args else 2
    if args[0] == "--version":
        print(f"shmem4py {__version__}")
        return 0
    launcher = []
    npes = "1"
    while args:
        a = args[0]
        if a in ("-n", "-np", "--np", "--npes"):
            if len(args) < 2:
                sys.stderr.write(f"shmem4py: {a} needs a number of PEs\n")
                return 2
            npes = args[1]
            args = args[2:]
        elif a.startswith("-n") and a[2:].isdigit():
            npes = a[2:]
            args = args[1:]
        elif a.startswith("--np="):
            npes = a.split("=", 1)[1]
            args = args[1:]
        elif a in ("-p", "--prefix", "--tag-output"):
            launcher.append(a)
            args = args[1:]
        elif a in ("-t", "--timeout"):
            if len(args) < 2:
                sys.stderr.write(f"shmem4py: {a} needs a number of seconds\n")
                return 2
            launcher += args[:2]
            args = args[2:]
        elif a == "--":
            args = args[1:]
            break
        else:
            break
    if not npes.isdigit() or int(npes) < 1:
        sys.stderr.write(f"shmem4py: the number of PEs must be a positive integer, not {npes!r}\n")
        return 2
    if not args:
        sys.stderr.write("shmem4py: nothing to run (give a script, -m module or -c command)\n")
        return 2
    shmemrun = find_shmemrun()
    if not shmemrun:
        sys.stderr.write("shmem4py: cannot find the shmemrun launcher (is shmem4py installed?)\n")
        return 127
    cmd = [shmemrun, *launcher, "-n", npes, sys.executable, *args]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(shmemrun, cmd)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main())
