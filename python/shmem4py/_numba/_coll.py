"""The reductions on the world team inside compiled code."""
from numba.core.extending import overload

from shmem4py import shmem as _shmem

from . import _common as C
from . import _ext as E
from . import _fast as F


def _reduction(fname):
    chk = C.checks(fname)
    sym_t, sym_s = chk.symmetric("target", True), chk.symmetric("source", True)
    fit_t, fit_s = chk.fits("target"), chk.fits("source")
    nonneg = chk.nonneg("size")
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
        contig_t = chk.contiguous("target", target)
        contig_s = chk.contiguous("source", source)
        c_func = table[dt]

        def impl(target, source, size=None, team=None):
            if size is None:
                n = min(target.size, source.size)
            else:
                nonneg(size)
                n = size
                fit_t(n, 1, target.size)
                fit_s(n, 1, source.size)
            contig_t(target)
            contig_s(source)
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
