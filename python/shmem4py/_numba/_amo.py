"""Every atomic of the Python API inside compiled code: the target is the
first element of a (one-element, or sliced) symmetric array, as in Python;
the dtype picks the C entry point while compiling.  On the integer dtypes
the atomic is a CPU atomic on the peer's memory when the fast path reaches
it (sequentially consistent, as in libshmem and shmem_inline.h)."""
from numba.core import types
from numba.core.extending import overload

from shmem4py import shmem as _shmem

from . import _common as C
from . import _ext as E
from . import _fast as F

# The read-modify-write of each AMO (LLVM's atomicrmw operation), by name;
# the fetching and non-fetching forms share it.
_RMW = {"atomic_swap": "xchg", "atomic_fetch_add": "add", "atomic_add": "add",
        "atomic_fetch_and": "and", "atomic_and": "and", "atomic_fetch_or": "or",
        "atomic_or": "or", "atomic_fetch_xor": "xor", "atomic_xor": "xor"}


def _prepare(fname, target_arg, target, pe, ctx, writable=True):
    table = E.TYPED[fname]
    dt = C.array(fname, target_arg, target, writable=writable, table=table)
    C.integer(fname, "pe", pe)
    C.no_ctx(fname, ctx)
    return dt, table[dt]


def _inline(dt):
    """CPU atomics for the integer dtypes; floats go to the library."""
    return isinstance(dt, types.Integer)


def _fetch():
    fname = "atomic_fetch"
    elem = C.checks(fname).element("source", amo=True)

    @overload(_shmem.atomic_fetch)
    def ol(source, pe, ctx=None):
        dt, c_func = _prepare(fname, "source", source, pe, ctx, writable=False)
        if _inline(dt):
            def impl(source, pe, ctx=None):
                addr, r = elem(F.address(source), source.size, source.itemsize, pe)
                if r != 0:
                    return F.load(r, source, True)
                return c_func(addr, pe)
        else:
            def impl(source, pe, ctx=None):
                addr, r = elem(F.address(source), source.size, source.itemsize, pe)
                return c_func(addr, pe)
        return impl


def _inc(fname, fetching):
    """atomic_fetch_inc / atomic_inc(target, pe)."""
    elem = C.checks(fname).element("target", amo=True)

    @overload(getattr(_shmem, fname))
    def ol(target, pe, ctx=None):
        dt, c_func = _prepare(fname, "target", target, pe, ctx)
        one = C.caster(fname, "value", dt)
        if fetching:
            def impl(target, pe, ctx=None):
                addr, r = elem(F.address(target), target.size, target.itemsize, pe)
                if r != 0:
                    return F.rmw("add", r, one(1))
                return c_func(addr, pe)
        else:
            def impl(target, pe, ctx=None):
                addr, r = elem(F.address(target), target.size, target.itemsize, pe)
                if r != 0:
                    F.rmw("add", r, one(1))
                else:
                    c_func(addr, pe)
        return impl


def _one_value(fname):
    """atomic_set/swap/add/and/or/xor and their fetching forms: (target, value, pe)."""
    elem = C.checks(fname).element("target", amo=True)
    op = _RMW.get(fname)
    fetching = fname == "atomic_swap" or fname.startswith("atomic_fetch_")

    @overload(getattr(_shmem, fname))
    def ol(target, value, pe, ctx=None):
        dt, c_func = _prepare(fname, "target", target, pe, ctx)
        val = C.scalar(fname, "value", value)
        cast = C.caster(fname, "value", dt)
        if not _inline(dt):          # floats: the library
            def impl(target, value, pe, ctx=None):
                addr, r = elem(F.address(target), target.size, target.itemsize, pe)
                return c_func(addr, cast(val(value)), pe)
        elif op is None:             # atomic_set
            def impl(target, value, pe, ctx=None):
                addr, r = elem(F.address(target), target.size, target.itemsize, pe)
                v = cast(val(value))
                if r != 0:
                    F.store(r, v, True)
                else:
                    c_func(addr, v, pe)
        elif fetching:
            def impl(target, value, pe, ctx=None):
                addr, r = elem(F.address(target), target.size, target.itemsize, pe)
                v = cast(val(value))
                if r != 0:
                    return F.rmw(op, r, v)
                return c_func(addr, v, pe)
        else:
            def impl(target, value, pe, ctx=None):
                addr, r = elem(F.address(target), target.size, target.itemsize, pe)
                v = cast(val(value))
                if r != 0:
                    F.rmw(op, r, v)
                else:
                    c_func(addr, v, pe)
        return impl


def _compare_swap():
    fname = "atomic_compare_swap"
    elem = C.checks(fname).element("target", amo=True)

    @overload(_shmem.atomic_compare_swap)
    def ol(target, cond, value, pe, ctx=None):
        dt, c_func = _prepare(fname, "target", target, pe, ctx)
        get_cond = C.scalar(fname, "cond", cond)
        val = C.scalar(fname, "value", value)
        cast = C.caster(fname, "value", dt)

        def impl(target, cond, value, pe, ctx=None):
            addr, r = elem(F.address(target), target.size, target.itemsize, pe)
            c, v = cast(get_cond(cond)), cast(val(value))
            if r != 0:
                return F.cas(r, c, v)
            return c_func(addr, c, v, pe)
        return impl


def register():
    """Register the overloads of this module."""
    _fetch()
    _inc("atomic_fetch_inc", True)
    _inc("atomic_inc", False)
    for name in ("atomic_set", "atomic_swap", "atomic_fetch_add", "atomic_add"):
        _one_value(name)
    for op in ("and", "or", "xor"):
        _one_value(f"atomic_fetch_{op}")
        _one_value(f"atomic_{op}")
    _compare_swap()
