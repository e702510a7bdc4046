"""The inline fast paths of compiled code: what include/shmem_inline.h does
for C programs, as LLVM IR.

On one node libshmem maps every PE's symmetric heap into every PE, so a put
is a bounds check and a copy and an AMO a CPU atomic.  libshmem publishes
where the heaps are in its exported struct ``shmemi_fastpath`` (shmem.h);
compiled code reads it by name, like the functions (the address is handed
to LLVM on import, so code loaded from Numba's cache finds it too).  A call
the fast path cannot take (an address outside the heap, a PE out of range
or not reachable by loads and stores, before init or after finalize: npes
is 0 then) goes to the checks and the library routine, which handle it.

The struct's layout is libshmem's, which is built with this package; its
first field says which layout it is.  Compiled code takes the fast path only
for the one it was written for (`_VERSION`), and only to a PE whose reach
flags allow it: a PE whose heap is not mapped here, or whose AMOs a network
transport owns, goes to the library.  A libshmem without the struct (an
external OpenSHMEM) gets a zeroed stand-in (version 0), so that every call
takes the library's path."""
import ctypes as _ctypes
import os as _os

import llvmlite.binding as _llvm
from llvmlite import ir as _ir
from numba.core import cgutils, types
from numba.core.extending import intrinsic

from shmem4py.api import ffi as _ffi

# The symbol is named for the layout (shmem.h).  Code compiled by an earlier
# shmem4py and loaded from Numba's cache names layout 1's symbol: it gets
# zeros (heap_size 0: every call to the library), never this layout.
_SYMBOL = "shmemi_fastpath2"
_SYMBOL_LAYOUT1 = "shmemi_fastpath"
_I64, _I32, _I8 = _ir.IntType(64), _ir.IntType(32), _ir.IntType(8)
# shmem.h's shmemi_fastpath_t, layout SHMEMI_FASTPATH_VERSION 2 (tests/test_numba.py
# holds this module to shmem.h): version, npes, heap, heap_size, peer_heap,
# reach, load_store; and the SHMEMI_REACH_* flags of reach[pe].
_VERSION = 2
_FIELDS = ("version", "npes", "heap", "heap_size", "peer_heap", "reach", "load_store")
_STRUCT = _ir.LiteralStructType([_I32, _I32, _I64, _I64, _I64, _I64, _I32])
REACH_LOAD_STORE, REACH_AMO = 1, 2


class _Dlinfo(_ctypes.Structure):
    _fields_ = [("dli_fname", _ctypes.c_char_p), ("dli_fbase", _ctypes.c_void_p),
                ("dli_sname", _ctypes.c_char_p), ("dli_saddr", _ctypes.c_void_p)]


class _Standin(_ctypes.Structure):
    _fields_ = [("version", _ctypes.c_int32), ("npes", _ctypes.c_int32),
                ("heap", _ctypes.c_uint64), ("heap_size", _ctypes.c_uint64),
                ("peer_heap", _ctypes.c_uint64), ("reach", _ctypes.c_uint64),
                ("load_store", _ctypes.c_int32)]


_standin = _Standin()      # all zero: version 0, every call to the library
_layout1 = (_ctypes.c_uint8 * 32)()


def _struct_address(function_address):
    """The address of libshmem's shmemi_fastpath, found through the library
    that holds `function_address` (loaded privately by the extension), or
    None."""
    info = _Dlinfo()
    libc = _ctypes.CDLL(None)
    if not libc.dladdr(_ctypes.c_void_p(function_address), _ctypes.byref(info)):
        return None
    try:
        lib = _ctypes.CDLL(info.dli_fname.decode(), mode=_os.RTLD_NOLOAD | _os.RTLD_LOCAL)
        return _ctypes.addressof(_Standin.in_dll(lib, _SYMBOL))
    except (OSError, ValueError, AttributeError):
        return None


def _layout_known(addr, lib):
    """True when the struct at `addr` is the layout this module reads: its
    version field says so, and its fields describe this PE's heap as
    libshmem answers for it.  Any other layout gets the stand-in, so that
    compiled code calls the library instead of misreading the struct."""
    f = _Standin.from_address(addr)
    if f.version != _VERSION:
        return False
    me, npes = lib.shmem_my_pe(), lib.shmem_n_pes()
    if f.npes != npes or npes < 1 or f.heap == 0 or f.heap_size == 0 or f.peer_heap == 0:
        return False
    heap = _ffi.cast("void *", f.heap)
    end = _ffi.cast("void *", f.heap + f.heap_size - 1)
    if not (lib.shmem_addr_accessible(heap, me) and lib.shmem_addr_accessible(end, me)):
        return False
    return _ctypes.c_uint64.from_address(f.peer_heap + 8 * me).value == f.heap


def install(function_address, lib):
    """Hand LLVM the address of shmemi_fastpath (or of the stand-in, which
    sends every call to the library) and say which one it got.  Called once
    OpenSHMEM is initialized (shmem4py.shmem imported)."""
    addr = _struct_address(function_address)
    if addr is not None and not _layout_known(addr, lib):
        addr = None
    _llvm.add_symbol(_SYMBOL, addr if addr is not None else _ctypes.addressof(_standin))
    _llvm.add_symbol(_SYMBOL_LAYOUT1, _ctypes.addressof(_layout1))
    return addr is not None


def _field(builder, name):
    i = _FIELDS.index(name)
    mod = builder.module
    try:
        gv = mod.get_global(_SYMBOL)
    except KeyError:
        gv = _ir.GlobalVariable(mod, _STRUCT, _SYMBOL)
        gv.linkage = "external"
    return builder.load(builder.gep(gv, [_I32(0), _I32(i)], inbounds=True))


def _as_i64(context, builder, ty, val):
    return context.cast(builder, val, ty, types.int64)


def _current(builder):
    """True when the published struct is the layout this module reads."""
    return builder.icmp_unsigned("==", _field(builder, "version"), _I32(_VERSION))


@intrinsic
def remote_addr(typingctx, addr, nbytes, pe, flag):
    """Where the `nbytes` at the symmetric `addr` of PE `pe` are in this
    process, or 0 when the fast path cannot reach them.  `flag` (a literal):
    the REACH_* flag the operation needs besides the mapping (REACH_AMO for
    AMOs and signal updates; 0 for copies)."""
    if not isinstance(flag, types.IntegerLiteral):
        return None
    need = flag.literal_value

    def codegen(context, builder, sig, args):
        a, n, p = (_as_i64(context, builder, t, v) for t, v in zip(sig.args[:3], args[:3]))
        heap, size = _field(builder, "heap"), _field(builder, "heap_size")
        off = builder.sub(a, heap)
        npes = builder.zext(_field(builder, "npes"), _I64)
        ok = builder.and_(_current(builder), builder.icmp_unsigned("<", p, npes))
        ok = builder.and_(ok, builder.icmp_unsigned("<", off, size))
        ok = builder.and_(ok, builder.icmp_unsigned("<=", n, builder.sub(size, off)))
        result = cgutils.alloca_once_value(builder, _I64(0))
        with builder.if_then(ok, likely=True):
            table = builder.inttoptr(_field(builder, "peer_heap"), _I64.as_pointer())
            base = builder.load(builder.gep(table, [p]))
            usable = builder.icmp_unsigned("!=", base, _I64(0))
            if need:
                reach = builder.inttoptr(_field(builder, "reach"), _I8.as_pointer())
                flags = builder.load(builder.gep(reach, [p]))
                allowed = builder.icmp_unsigned("!=", builder.and_(flags, _I8(need)), _I8(0))
                usable = builder.and_(usable, allowed)
            builder.store(builder.select(usable, builder.add(base, off), _I64(0)), result)
        return builder.load(result)
    return types.uintp(addr, nbytes, pe, flag), codegen


@intrinsic
def local_ok(typingctx, addr, nbytes):
    """True when the `nbytes` at `addr` lie in this PE's symmetric heap."""
    def codegen(context, builder, sig, args):
        a, n = (_as_i64(context, builder, t, v) for t, v in zip(sig.args, args))
        heap, size = _field(builder, "heap"), _field(builder, "heap_size")
        off = builder.sub(a, heap)
        ok = builder.and_(builder.icmp_unsigned("<", off, size),
                          builder.icmp_unsigned("<=", n, builder.sub(size, off)))
        ok = builder.and_(ok, builder.icmp_unsigned("!=", _field(builder, "npes"), _I32(0)))
        return builder.and_(ok, _current(builder))
    return types.boolean(addr, nbytes), codegen


@intrinsic
def load_store(typingctx):
    """True when every PE is reached by loads and stores (fence and quiet
    are CPU fences then)."""
    def codegen(context, builder, sig, args):
        every = builder.icmp_unsigned("!=", _field(builder, "load_store"), _I32(0))
        return builder.and_(every, _current(builder))
    return types.boolean(), codegen


@intrinsic
def cpu_fence(typingctx, seq_cst):
    """A release fence (fence), or a sequentially consistent one (quiet)."""
    if not isinstance(seq_cst, types.BooleanLiteral):
        return None

    def codegen(context, builder, sig, args):
        builder.fence("seq_cst" if seq_cst.literal_value else "release")
        return context.get_dummy_value()
    return types.void(seq_cst), codegen


@intrinsic
def copy(typingctx, dst, src, nbytes):
    """memcpy between two addresses."""
    def codegen(context, builder, sig, args):
        d, s, n = (_as_i64(context, builder, t, v) for t, v in zip(sig.args, args))
        cgutils.raw_memcpy(builder, builder.inttoptr(d, _I8.as_pointer()),
                           builder.inttoptr(s, _I8.as_pointer()), n, 1)
        return context.get_dummy_value()
    return types.void(dst, src, nbytes), codegen


def _bits(ty):
    return 8 if ty == types.boolean else ty.bitwidth


def _to_int(builder, ty, val):
    """A value of dtype `ty` as the integer of its bits (bool: its byte)."""
    it = _ir.IntType(_bits(ty))
    if ty == types.boolean:
        return builder.zext(val, it)
    if isinstance(ty, types.Float):
        return builder.bitcast(val, it)
    return val


def _from_int(builder, ty, val):
    if ty == types.boolean:
        return builder.icmp_unsigned("!=", val, _ir.IntType(8)(0))
    if isinstance(ty, types.Float):
        return builder.bitcast(val, _ir.FloatType() if ty.bitwidth == 32 else _ir.DoubleType())
    return val


def _ptr(builder, addr, ty):
    return builder.inttoptr(addr, _ir.IntType(_bits(ty)).as_pointer())


@intrinsic
def store(typingctx, addr, value, seq_cst):
    """Store `value` at `addr` in one access: relaxed (p) or sequentially
    consistent (atomic_set), so a peer waiting on it never sees half."""
    if not isinstance(seq_cst, types.BooleanLiteral):
        return None

    def codegen(context, builder, sig, args):
        a, v = args[0], args[1]
        ty = sig.args[1]
        order = "seq_cst" if seq_cst.literal_value else "monotonic"
        builder.store_atomic(_to_int(builder, ty, v), _ptr(builder, a, ty), order,
                             _bits(ty) // 8)
        return context.get_dummy_value()
    return types.void(addr, value, seq_cst), codegen


@intrinsic
def load(typingctx, addr, like, seq_cst):
    """Load an element of the dtype of array `like` from `addr` in one
    access (g: relaxed; atomic_fetch: sequentially consistent)."""
    if not isinstance(seq_cst, types.BooleanLiteral):
        return None
    ty = like.dtype

    def codegen(context, builder, sig, args):
        order = "seq_cst" if seq_cst.literal_value else "monotonic"
        raw = builder.load_atomic(_ptr(builder, args[0], ty), order, _bits(ty) // 8)
        return _from_int(builder, ty, raw)
    return ty(addr, like, seq_cst), codegen


@intrinsic
def rmw(typingctx, op, addr, value):
    """An atomic read-modify-write (op: 'add' or 'xchg') on the integer at
    `addr`; returns the old value."""
    if not isinstance(op, types.StringLiteral):
        return None

    def codegen(context, builder, sig, args):
        ty = sig.args[2]
        return builder.atomic_rmw(op.literal_value, _ptr(builder, args[1], ty), args[2],
                                  "seq_cst")
    return value(op, addr, value), codegen


@intrinsic
def cas(typingctx, addr, cond, value):
    """Atomic compare-and-swap of the integer at `addr`; returns the old value."""
    def codegen(context, builder, sig, args):
        ty = sig.args[2]
        pair = builder.cmpxchg(_ptr(builder, args[0], ty), args[1], args[2], "seq_cst",
                               "seq_cst")
        return builder.extract_value(pair, 0)
    return value(addr, value, value), codegen


@intrinsic
def address(typingctx, arr):
    """The address of an array's data.  (``a.ctypes.data`` makes an object
    that holds a reference to the array: two reference count updates per
    call, which would cost more than the fast path itself.)"""
    if not isinstance(arr, types.Array):
        return None

    def codegen(context, builder, sig, args):
        ary = context.make_array(sig.args[0])(context, builder, value=args[0])
        return builder.ptrtoint(ary.data, _I64)
    return types.uintp(arr), codegen
