"""libshmem's C entry points as Numba external functions, stamped out from
one type table, and the run-time checks the overloads share.

A call from compiled code goes straight to the C symbol: Numba declares it
in the LLVM module and the JIT linker resolves it by name.  libshmem is
loaded privately (RTLD_LOCAL) by the extension, so its symbols are handed to
LLVM one by one (`llvmlite.binding.add_symbol`), with the addresses CFFI's
`shmem4py.api` knows; that runs on import, before Numba links any code,
including code it loads from its cache in a new process."""
import ctypes as _ctypes

import llvmlite.binding as _llvm
from llvmlite import ir as _ir
from numba.core import types
from numba.core.extending import intrinsic, register_jitable

from shmem4py.api import ffi as _ffi
from shmem4py.api import lib as _lib

from . import _fast

P = types.uintp       # any pointer, passed as an integer (same registers in the C ABI)
SZ = types.uintp      # size_t
PD = types.intp       # ptrdiff_t
I = types.int32       # int
U64 = types.uint64
V = types.void


def _address(name):
    return int(_ffi.cast("uintptr_t", _ffi.addressof(_lib, name)))


def ext(name, restype, *argtypes):
    """The C function `name` of libshmem, callable from compiled code."""
    _llvm.add_symbol(name, _address(name))
    return types.ExternalFunction(name, restype(*argtypes))


# ---------------------------------------------------------------------------
# The type table: NumPy dtype (as Numba types it) -> the C name of its typed
# entry points, per family of the spec (tables 5-12 of OpenSHMEM 1.5).

_INTS = [(types.int8, "int8"), (types.int16, "int16"), (types.int32, "int32"),
         (types.int64, "int64"), (types.uint8, "uint8"), (types.uint16, "uint16"),
         (types.uint32, "uint32"), (types.uint64, "uint64")]
_FLOATS = [(types.float32, "float"), (types.float64, "double")]
_AMO_STD = [(types.int32, "int32"), (types.int64, "int64"), (types.uint32, "uint32"),
            (types.uint64, "uint64")]
# bool moves and compares as its one byte.
_BOOL = [(types.boolean, "uint8")]

TABLES = {
    "rma": _INTS + _FLOATS + _BOOL,                  # p, g
    "amo_extended": _AMO_STD + _FLOATS,              # fetch, set, swap
    "amo_standard": _AMO_STD,                        # compare_swap, inc, add
    "amo_bitwise": _AMO_STD,                         # and, or, xor
    "sync": _AMO_STD + [(types.int16, "short"), (types.uint16, "ushort")],
    "reduce_bitwise": _INTS + _BOOL,
    "reduce_minmax": _INTS + _FLOATS + _BOOL,
    "reduce_arith": _INTS + _FLOATS + [(types.complex64, "complexf"),
                                       (types.complex128, "complexd")],
}

# Each typed operation: (family, C name pattern, signature builder of T,
# the C type of its elements).  Pointers are P; T is the element type.
_OPS = {
    "p": ("rma", "shmem_{}_p", lambda T: (V, P, T, I)),
    "g": ("rma", "shmem_{}_g", lambda T: (T, P, I)),
    "atomic_fetch": ("amo_extended", "shmem_{}_atomic_fetch", lambda T: (T, P, I)),
    "atomic_set": ("amo_extended", "shmem_{}_atomic_set", lambda T: (V, P, T, I)),
    "atomic_swap": ("amo_extended", "shmem_{}_atomic_swap", lambda T: (T, P, T, I)),
    "atomic_compare_swap": ("amo_standard", "shmem_{}_atomic_compare_swap",
                            lambda T: (T, P, T, T, I)),
    "atomic_fetch_inc": ("amo_standard", "shmem_{}_atomic_fetch_inc", lambda T: (T, P, I)),
    "atomic_inc": ("amo_standard", "shmem_{}_atomic_inc", lambda T: (V, P, I)),
    "atomic_fetch_add": ("amo_standard", "shmem_{}_atomic_fetch_add", lambda T: (T, P, T, I)),
    "atomic_add": ("amo_standard", "shmem_{}_atomic_add", lambda T: (V, P, T, I)),
    "wait_until": ("sync", "shmem_{}_wait_until", lambda T: (V, P, I, T)),
    "test": ("sync", "shmem_{}_test", lambda T: (I, P, I, T)),
    "wait_until_all": ("sync", "shmem_{}_wait_until_all", lambda T: (V, P, SZ, P, I, T)),
    "wait_until_any": ("sync", "shmem_{}_wait_until_any", lambda T: (SZ, P, SZ, P, I, T)),
    "test_all": ("sync", "shmem_{}_test_all", lambda T: (I, P, SZ, P, I, T)),
    "test_any": ("sync", "shmem_{}_test_any", lambda T: (SZ, P, SZ, P, I, T)),
}
for _op in ("and", "or", "xor"):
    _OPS[f"atomic_fetch_{_op}"] = ("amo_bitwise", "shmem_{}_atomic_fetch_" + _op,
                                   lambda T: (T, P, T, I))
    _OPS[f"atomic_{_op}"] = ("amo_bitwise", "shmem_{}_atomic_" + _op, lambda T: (V, P, T, I))
for _op, _fam in (("and", "bitwise"), ("or", "bitwise"), ("xor", "bitwise"),
                  ("max", "minmax"), ("min", "minmax"), ("sum", "arith"), ("prod", "arith")):
    _OPS[f"{_op}_reduce"] = ("reduce_" + _fam, "shmem_{}_%s_reduce" % _op,
                             lambda T: (I, U64, P, P, SZ))


def _c_type(numba_type):
    # The C argument type of an element: bool travels as its byte.
    return types.uint8 if numba_type == types.boolean else numba_type


# TYPED[op][numba dtype] -> external function
TYPED = {}
for _op, (_fam, _pattern, _sig) in _OPS.items():
    TYPED[_op] = {}
    for _nt, _cname in TABLES[_fam]:
        _res, *_args = _sig(_c_type(_nt))
        TYPED[_op][_nt] = ext(_pattern.format(_cname), _res, *_args)


def dtype_names(op):
    """The dtypes `op` accepts, for error messages."""
    return ", ".join(str(t) for t in TYPED[op])


# Untyped entry points.
my_pe = ext("shmem_my_pe", I)
n_pes = ext("shmem_n_pes", I)
addr_accessible = ext("shmem_addr_accessible", I, P, I)
shmem_ptr = ext("shmem_ptr", P, P, I)
fence = ext("shmem_fence", V)
quiet = ext("shmem_quiet", V)
barrier_all = ext("shmem_barrier_all", V)
sync_all = ext("shmem_sync_all", V)
BYTES = {name: ext(f"shmem_{name}", V, P, P, SZ, I)
         for name in ("putmem", "getmem", "putmem_nbi", "getmem_nbi")}
ISTRIDED = {(op, bits): ext(f"shmem_{op}{bits}", V, P, P, PD, PD, SZ, I)
            for op in ("iput", "iget") for bits in (8, 16, 32, 64, 128)}
putmem_signal = ext("shmem_putmem_signal", V, P, P, SZ, P, U64, I, I)
putmem_signal_nbi = ext("shmem_putmem_signal_nbi", V, P, P, SZ, P, U64, I, I)
signal_fetch = ext("shmem_signal_fetch", U64, P)
signal_wait_until = ext("shmem_signal_wait_until", U64, P, I, U64)

# The inline fast paths read libshmem's shmemi_fastpath (see _fast).
FAST = _fast.install(_address("shmem_putmem"), _lib)

# SHMEM_TEAM_WORLD: CFFI knows the handle's value, not the C variable's
# address; the value is fixed for the process but not between processes, so
# compiled (and cached) code loads it from a word of this process, found by
# name like the functions.
_TEAM_WORLD_WORD = "shmem4py_numba_team_world"
_team_world_word = _ctypes.c_uint64(int(_ffi.cast("uintptr_t", _lib.SHMEM_TEAM_WORLD)))
_llvm.add_symbol(_TEAM_WORLD_WORD, _ctypes.addressof(_team_world_word))


@intrinsic
def team_world(typingctx):
    """The handle SHMEM_TEAM_WORLD, as an integer."""
    def codegen(context, builder, sig, args):
        word_t = _ir.IntType(64)
        try:
            gv = builder.module.get_global(_TEAM_WORLD_WORD)
        except KeyError:
            gv = _ir.GlobalVariable(builder.module, word_t, _TEAM_WORLD_WORD)
            gv.linkage = "external"
        return builder.load(gv)
    return types.uint64(), codegen


# ---------------------------------------------------------------------------
# Run-time checks.  Each returns a condition; the overload raises with its own
# routine's name in the message, so the fast path holds no strings.

@register_jitable
def pe_bad(pe):
    """True when `pe` is not a PE of the world team."""
    return pe < 0 or pe >= n_pes()


@register_jitable
def reachable(addr, nbytes, pe):
    """True when `pe` is a PE of the world team and the `nbytes` at `addr`
    are symmetric: the checks' slow path, after the inline fast path said
    no.  shmem_addr_accessible tests the PE and the address in one call.  It
    looks at the first byte only: the bytes belong to one NumPy array (the
    overloads check sizes against it), and an array's memory lies in one
    allocation, so symmetric at its start means symmetric to its end
    (libshmem checks the whole range again, fatally)."""
    if nbytes == 0:
        return not pe_bad(pe)
    return addr_accessible(addr, pe) != 0


@register_jitable
def contiguous(a):
    """True when array `a` is C-contiguous (so its bytes are one block)."""
    return a.flags.c_contiguous
