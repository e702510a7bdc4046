"""Waits and tests, ordering, barriers, the PE queries and ptr inside
compiled code."""
import numpy as np
from numba.core import types
from numba.core.cgutils import is_nonelike
from numba.core.extending import intrinsic, overload, register_jitable
from numba.core.imputils import impl_ret_borrowed

from shmem4py import shmem as _shmem

from . import _common as C
from . import _ext as E
from . import _fast as F

_NONE_FOUND = np.uint64(np.iinfo(np.uint64).max)   # SIZE_MAX: no element matched


def _one(fname, waits):
    """wait_until / test on the first element of `ivar`."""
    chk = C.checks(fname)
    elem = chk.element("ivar", True)
    c_table = E.TYPED[fname]

    @overload(getattr(_shmem, fname), prefer_literal=True)
    def ol(ivar, cmp, value):
        dt = C.array(fname, "ivar", ivar, table=c_table)
        code = C.cmp_code(fname, cmp)
        val = C.scalar(fname, "value", value)
        c_func = c_table[dt]
        if waits:
            def impl(ivar, cmp, value):
                c = code(cmp)
                addr = elem(F.address(ivar), ivar.size, ivar.itemsize, 0)[0]
                c_func(addr, c, val(value))
        else:
            def impl(ivar, cmp, value):
                c = code(cmp)
                addr = elem(F.address(ivar), ivar.size, ivar.itemsize, 0)[0]
                return c_func(addr, c, val(value)) != 0
        return impl


def _many(fname, kind):
    """wait_until_all/_any and test_all/_any over every element of `ivars`;
    `status` is None or an int32 array (one entry per element, non-zero
    excludes that element)."""
    chk = C.checks(fname)
    sym = chk.symmetric("ivars", True)
    status_len = (f"{fname}(): argument 'status' has a different length than 'ivars' "
                  "(one entry per element)")
    c_table = E.TYPED[fname]

    @overload(getattr(_shmem, fname), prefer_literal=True)
    def ol(ivars, cmp, value, status=None):
        dt = C.array(fname, "ivars", ivars, table=c_table)
        code = C.cmp_code(fname, cmp)
        val = C.scalar(fname, "value", value)
        no_status = is_nonelike(status)
        if not no_status and not (isinstance(status, types.Array) and status.dtype == types.int32):
            raise C.fail(fname, "argument 'status' must be None or an int32 array inside njit "
                                f"(the C routine's int array), not {status}")
        contig = chk.contiguous("ivars", ivars)
        contig_st = chk.contiguous("status", status) if not no_status else None
        c_func = c_table[dt]

        if no_status:
            @register_jitable
            def call(ivars, cmp, value, status):
                c = code(cmp)
                contig(ivars)
                addr = F.address(ivars)
                sym(addr, ivars.size * ivars.itemsize, 0)
                return c_func(addr, ivars.size, 0, c, val(value))
        else:
            @register_jitable
            def call(ivars, cmp, value, status):
                c = code(cmp)
                contig(ivars)
                addr = F.address(ivars)
                sym(addr, ivars.size * ivars.itemsize, 0)
                if status.size != ivars.size:
                    raise ValueError(status_len)
                contig_st(status)
                return c_func(addr, ivars.size, F.address(status), c, val(value))

        if kind == "all_wait":
            def impl(ivars, cmp, value, status=None):
                call(ivars, cmp, value, status)
        elif kind == "all_test":
            def impl(ivars, cmp, value, status=None):
                return call(ivars, cmp, value, status) != 0
        else:   # any: the index, or None when every element is excluded
            def impl(ivars, cmp, value, status=None):
                r = call(ivars, cmp, value, status)
                if r == _NONE_FOUND:
                    return None
                return np.intp(r)
        return impl


def _ordering(func, c_func, seq_cst):
    """fence (release) / quiet (seq_cst): a CPU fence when every PE is
    reached by loads and stores, as in shmem_inline.h, else the library."""
    fname = func.__name__

    @overload(func)
    def ol(ctx=None):
        C.no_ctx(fname, ctx)

        def impl(ctx=None):
            if F.load_store():
                F.cpu_fence(seq_cst)
            else:
                c_func()
        return impl


def _no_args(func, c_func, returns=False):
    if returns:
        @overload(func)
        def ol():
            def impl():
                return c_func()
            return impl
    else:
        @overload(func)
        def ol():
            def impl():
                c_func()
            return impl


@intrinsic
def _view_at(typingctx, arr, addr):
    """The array `arr` with its data pointer replaced by `addr` (same shape,
    strides and owner, so the view keeps the local array alive)."""
    def codegen(context, builder, sig, args):
        src, address = args
        view = context.make_array(sig.args[0])(context, builder, value=src)
        data_t = view.data.type
        view.data = builder.inttoptr(address, data_t)
        return impl_ret_borrowed(context, builder, sig.return_type, view._getvalue())
    return arr(arr, addr), codegen


def _ptr():
    @overload(_shmem.ptr)
    def ol(target, pe):
        C.array("ptr", "target", target)
        C.integer("ptr", "pe", pe)

        def impl(target, pe):
            if pe < 0 or pe >= E.n_pes():
                return None
            q = E.shmem_ptr(F.address(target), pe)
            if q == 0:
                return None
            return _view_at(target, q)
        return impl


def register():
    """Register the overloads of this module."""
    _one("wait_until", True)
    _one("test", False)
    _many("wait_until_all", "all_wait")
    _many("test_all", "all_test")
    _many("wait_until_any", "any")
    _many("test_any", "any")
    _no_args(_shmem.my_pe, E.my_pe, returns=True)
    _no_args(_shmem.n_pes, E.n_pes, returns=True)
    _no_args(_shmem.barrier_all, E.barrier_all)
    _no_args(_shmem.sync_all, E.sync_all)
    _ordering(_shmem.fence, E.fence, False)
    _ordering(_shmem.quiet, E.quiet, True)
    _ptr()

