"""The reductions on the world team inside compiled code."""
from numba.core.extending import overload

from shmem4py import shmem as _shmem

from . import _common as C
from . import _ext as E
from . import _fast as F


def _reduction(fname):
    chk = C.checks(fname)
    sym_t, sym_s = chk.symmetric("target", True), chk.symmetric("source", True)
    table = E.TYPED[fname]
    overlap = (f"{fname}(): arguments 'target' and 'source' overlap (they may be the same "
               "array, but not partly overlap)")
    failed = f"{fname}(): the OpenSHMEM routine failed (return code "

    @overload(getattr(_shmem, fname))
    def ol(target, source, size=None, team=None):
        dt = C.array(fname, "target", target, writable=True, table=table)
        C.array(fname, "source", source)
        C.same_dtype(fname, "target", target, "source", source)
        C.integer(fname, "size", size, optional=True)
        C.no_team(fname, team)
        count = chk.transfer(target, source)
        c_func = table[dt]

        def impl(target, source, size=None, team=None):
            n = count(target, source, size)
            nbytes = n * target.itemsize
            t, s = F.address(target), F.address(source)
            sym_t(t, nbytes, 0)
            sym_s(s, nbytes, 0)
            if t != s and t < s + nbytes and s < t + nbytes:
                raise ValueError(overlap)
            rc = c_func(E.team_world(), t, s, n)
            if rc != 0:
                raise RuntimeError(failed + str(rc) + ")")
        return impl


def register():
    """Register the overloads of this module."""
    for op in ("and", "or", "xor", "max", "min", "sum", "prod"):
        _reduction(f"{op}_reduce")
