"""Every atomic of the Python API inside compiled code: the target is the
first element of a (one-element, or sliced) symmetric array, as in Python;
the dtype picks the C entry point while compiling."""
from numba.core.extending import overload

from shmem4py import shmem as _shmem

from . import _common as C
from . import _ext as E


def _prepare(fname, target_arg, target, pe, ctx, writable=True):
    table = E.TYPED[fname]
    dt = C.array(fname, target_arg, target, writable=writable, table=table)
    C.integer(fname, "pe", pe)
    C.no_ctx(fname, ctx)
    return table[dt]


def _no_value(fname, target_arg="target"):
    """atomic_fetch(source, pe), atomic_fetch_inc/atomic_inc(target, pe)."""
    chk = C.checks(fname)
    check_pe = chk.pe
    elem = chk.element(target_arg)
    func = getattr(_shmem, fname)

    if target_arg == "source":
        @overload(func)
        def ol(source, pe, ctx=None):
            c_func = _prepare(fname, "source", source, pe, ctx, writable=False)

            def impl(source, pe, ctx=None):
                addr = elem(source)
                check_pe(pe)
                return c_func(addr, pe)
            return impl
    else:
        @overload(func)
        def ol(target, pe, ctx=None):
            c_func = _prepare(fname, "target", target, pe, ctx)

            def impl(target, pe, ctx=None):
                addr = elem(target)
                check_pe(pe)
                return c_func(addr, pe)
            return impl


def _one_value(fname):
    """atomic_set/swap/add/and/or/xor and their fetching forms: (target, value, pe)."""
    chk = C.checks(fname)
    check_pe = chk.pe
    elem = chk.element("target")

    @overload(getattr(_shmem, fname))
    def ol(target, value, pe, ctx=None):
        c_func = _prepare(fname, "target", target, pe, ctx)
        val = C.scalar(fname, "value", value)

        def impl(target, value, pe, ctx=None):
            addr = elem(target)
            check_pe(pe)
            return c_func(addr, val(value), pe)
        return impl


def _compare_swap():
    fname = "atomic_compare_swap"
    chk = C.checks(fname)
    check_pe = chk.pe
    elem = chk.element("target")

    @overload(_shmem.atomic_compare_swap)
    def ol(target, cond, value, pe, ctx=None):
        c_func = _prepare(fname, "target", target, pe, ctx)
        get_cond = C.scalar(fname, "cond", cond)
        val = C.scalar(fname, "value", value)

        def impl(target, cond, value, pe, ctx=None):
            addr = elem(target)
            check_pe(pe)
            return c_func(addr, get_cond(cond), val(value), pe)
        return impl


def register():
    """Register the overloads of this module."""
    _no_value("atomic_fetch", "source")
    _no_value("atomic_fetch_inc")
    _no_value("atomic_inc")
    for name in ("atomic_set", "atomic_swap", "atomic_fetch_add", "atomic_add"):
        _one_value(name)
    for op in ("and", "or", "xor"):
        _one_value(f"atomic_fetch_{op}")
        _one_value(f"atomic_{op}")
    _compare_swap()
