"""put/get and their nbi, strided and single-element forms, put_signal and
the signal word's fetch and wait, inside compiled code."""
from numba.core import types
from numba.core.extending import overload

from shmem4py import shmem as _shmem

from . import _common as C
from . import _ext as E
from . import _fast as F


def _contiguous_rma(fname, func, c_func, remote):
    """put/get/put_nbi/get_nbi: bytes between two contiguous arrays; `remote`
    names the symmetric side."""
    chk = C.checks(fname)
    sym = chk.symmetric(remote)
    to_target = remote == "target"

    @overload(func)
    def ol(target, source, pe, size=None, ctx=None):
        C.array(fname, "target", target, writable=True)
        C.array(fname, "source", source)
        C.same_dtype(fname, "target", target, "source", source)
        C.integer(fname, "pe", pe)
        C.integer(fname, "size", size, optional=True)
        C.no_ctx(fname, ctx)
        count = chk.transfer(target, source)

        def impl(target, source, pe, size=None, ctx=None):
            n = count(target, source, size)
            nbytes = n * target.itemsize
            dst = F.address(target)
            src = F.address(source)
            # the inline fast path copies in place (complete at return, nbi too)
            if to_target:
                r = sym(dst, nbytes, pe)
                if r != 0:
                    F.copy(r, src, nbytes)
                    return
            else:
                r = sym(src, nbytes, pe)
                if r != 0:
                    F.copy(dst, r, nbytes)
                    return
            c_func(dst, src, nbytes, pe)
        return impl


def _strided_rma(fname, func, op, remote):
    """iput/iget: `size` elements at strides tst (target) and sst (source)."""
    chk = C.checks(fname)
    sym = chk.symmetric(remote)
    fit_t, fit_s = chk.fits("target"), chk.fits("source")
    nonneg, tst1, sst1 = chk.nonneg("size"), chk.at_least_one("tst"), chk.at_least_one("sst")
    to_target = remote == "target"

    @overload(func)
    def ol(target, source, pe, tst=1, sst=1, size=None, ctx=None):
        dt = C.array(fname, "target", target, writable=True)
        C.array(fname, "source", source)
        C.same_dtype(fname, "target", target, "source", source)
        for arg, ty in (("pe", pe), ("tst", tst), ("sst", sst)):
            C.integer(fname, arg, ty)
        C.integer(fname, "size", size, optional=True)
        C.no_ctx(fname, ctx)
        bits = dt.bitwidth if hasattr(dt, "bitwidth") else 8
        c_func = E.ISTRIDED.get((op, bits))
        if c_func is None:
            raise C.fail(fname, f"dtype {dt} has no strided entry point (element sizes of "
                                "1, 2, 4, 8 or 16 bytes)")
        contig_t = chk.contiguous("target", target)
        contig_s = chk.contiguous("source", source)

        def impl(target, source, pe, tst=1, sst=1, size=None, ctx=None):
            tst1(tst)
            sst1(sst)
            if size is None:
                n = min((target.size + tst - 1) // tst, (source.size + sst - 1) // sst)
            else:
                nonneg(size)
                n = size
                fit_t(n, tst, target.size)
                fit_s(n, sst, source.size)
            contig_t(target)
            contig_s(source)
            dst = F.address(target)
            src = F.address(source)
            if to_target:
                sym(dst, ((n - 1) * tst + 1) * target.itemsize if n > 0 else 0, pe)
            else:
                sym(src, ((n - 1) * sst + 1) * source.itemsize if n > 0 else 0, pe)
            c_func(dst, src, tst, sst, n, pe)
        return impl


def _p():
    chk = C.checks("p")
    elem = chk.element("target")

    @overload(_shmem.p)
    def ol(target, value, pe, ctx=None):
        dt = C.array("p", "target", target, writable=True, table=E.TYPED["p"])
        C.integer("p", "pe", pe)
        C.no_ctx("p", ctx)
        val = C.scalar("p", "value", value)
        cast = C.caster("p", "value", dt)
        c_func = E.TYPED["p"][dt]

        def impl(target, value, pe, ctx=None):
            addr, r = elem(F.address(target), target.size, target.itemsize, pe)
            v = cast(val(value))
            if r != 0:
                F.store(r, v, False)       # one access: a waiting peer never sees half
            else:
                c_func(addr, v, pe)
        return impl


def _g():
    chk = C.checks("g")
    elem = chk.element("source")

    @overload(_shmem.g)
    def ol(source, pe, ctx=None):
        dt = C.array("g", "source", source, table=E.TYPED["g"])
        C.integer("g", "pe", pe)
        C.no_ctx("g", ctx)
        c_func = E.TYPED["g"][dt]
        if dt == types.boolean:
            def impl(source, pe, ctx=None):
                addr, r = elem(F.address(source), source.size, source.itemsize, pe)
                if r != 0:
                    return F.load(r, source, False)
                return c_func(addr, pe) != 0
        else:
            def impl(source, pe, ctx=None):
                addr, r = elem(F.address(source), source.size, source.itemsize, pe)
                if r != 0:
                    return F.load(r, source, False)
                return c_func(addr, pe)
        return impl


def _signal_word(fname, arg, ty):
    if not isinstance(ty, types.Array) or ty.dtype != types.uint64:
        raise C.fail(fname, f"argument '{arg}' must be a uint64 array (shmem.new_signal()), "
                            f"not {ty}")


def _put_signal(fname, func, c_func):
    chk = C.checks(fname)
    sym_t, sig = chk.symmetric("target"), chk.element("signal")

    @overload(func, prefer_literal=True)
    def ol(target, source, pe, signal, value, sigop, size=None, ctx=None):
        C.array(fname, "target", target, writable=True)
        C.array(fname, "source", source)
        C.same_dtype(fname, "target", target, "source", source)
        C.integer(fname, "pe", pe)
        _signal_word(fname, "signal", signal)
        val = C.scalar(fname, "value", value)
        op = C.sigop_code(fname, sigop)
        C.integer(fname, "size", size, optional=True)
        C.no_ctx(fname, ctx)
        count = chk.transfer(target, source)

        def impl(target, source, pe, signal, value, sigop, size=None, ctx=None):
            n = count(target, source, size)
            code = op(sigop)
            nbytes = n * target.itemsize
            dst = F.address(target)
            sym_t(dst, nbytes, pe)
            s = sig(F.address(signal), signal.size, signal.itemsize, pe)[0]
            c_func(dst, F.address(source), nbytes, s, val(value), code, pe)
        return impl


def _signal_fetch():
    chk = C.checks("signal_fetch")
    sig = chk.element("signal", True)

    @overload(_shmem.signal_fetch)
    def ol(signal):
        _signal_word("signal_fetch", "signal", signal)

        def impl(signal):
            return E.signal_fetch(sig(F.address(signal), signal.size, signal.itemsize, 0)[0])
        return impl


def _signal_wait_until():
    fname = "signal_wait_until"
    chk = C.checks(fname)
    sig = chk.element("signal", True)

    @overload(_shmem.signal_wait_until, prefer_literal=True)
    def ol(signal, cmp, value):
        _signal_word(fname, "signal", signal)
        code = C.cmp_code(fname, cmp)
        val = C.scalar(fname, "value", value)

        def impl(signal, cmp, value):
            c = code(cmp)
            addr = sig(F.address(signal), signal.size, signal.itemsize, 0)[0]
            return E.signal_wait_until(addr, c, val(value))
        return impl


def register():
    """Register the overloads of this module."""
    for name, remote in (("put", "target"), ("get", "source"), ("put_nbi", "target"),
                         ("get_nbi", "source")):
        c_name = name[:3] + "mem" + name[3:]          # put_nbi -> putmem_nbi
        _contiguous_rma(name, getattr(_shmem, name), E.BYTES[c_name], remote)
    _strided_rma("iput", _shmem.iput, "iput", "target")
    _strided_rma("iget", _shmem.iget, "iget", "source")
    _p()
    _g()
    _put_signal("put_signal", _shmem.put_signal, E.putmem_signal)
    _put_signal("put_signal_nbi", _shmem.put_signal_nbi, E.putmem_signal_nbi)
    _signal_fetch()
    _signal_wait_until()
