"""Checks made while Numba types a call (TypingError with the routine and the
argument), and the small jitted helpers the overloads share."""
import types as _pytypes

from numba.core import types
from numba.core.errors import TypingError
from numba.core.cgutils import is_nonelike
from numba.core.extending import register_jitable

from . import _ext, _fast


def fail(fname, msg):
    """A TypingError whose message starts with the routine, as the Python API's errors do."""
    return TypingError(f"shmem4py inside njit: {fname}(): {msg}")


def array(fname, arg, ty, writable=False, table=None, op=None):
    """Check that `ty` types a NumPy array (writable when asked, of a dtype
    of `table` when given); returns its dtype."""
    if not isinstance(ty, types.Array):
        raise fail(fname, f"argument '{arg}' must be a NumPy array, not {ty}")
    if writable and not ty.mutable:
        raise fail(fname, f"argument '{arg}' is read-only")
    if table is not None and ty.dtype not in table:
        names = ", ".join(str(t) for t in table)
        raise fail(fname, f"argument '{arg}' has dtype {ty.dtype}, which {op or fname} does not "
                          f"support (supported: {names})")
    return ty.dtype


def same_dtype(fname, a, ta, b, tb):
    """Check that two arrays have one dtype."""
    if ta.dtype != tb.dtype:
        raise fail(fname, f"arguments '{a}' (dtype {ta.dtype}) and '{b}' (dtype {tb.dtype}) "
                          "must have the same dtype")


def integer(fname, arg, ty, optional=False):
    """Check that `ty` is an integer (or None when `optional`)."""
    if optional and is_nonelike(ty):
        return
    if not isinstance(ty, (types.Integer, types.IntEnumMember)):
        raise fail(fname, f"argument '{arg}' must be an integer, not {ty}")


def no_ctx(fname, ctx):
    """Only the default context exists inside compiled code."""
    if not is_nonelike(ctx):
        raise fail(fname, "argument 'ctx' must be None inside njit (only the default "
                          f"context is supported there), not {ty_name(ctx)}")


def no_team(fname, team):
    """Only the world team exists inside compiled code."""
    if not is_nonelike(team):
        raise fail(fname, "argument 'team' must be None (TEAM_WORLD) inside njit, "
                          f"not {ty_name(team)}")


def ty_name(ty):
    return str(ty)


def scalar(fname, arg, ty):
    """A jitted function that turns the value argument `ty` into a scalar: a
    number, a bool, an IntEnum member or a (first element of an) array."""
    if isinstance(ty, (types.Number, types.Boolean)):
        return _same
    if isinstance(ty, types.IntEnumMember):
        return _enum_value
    if isinstance(ty, types.Array):
        return _first
    raise fail(fname, f"argument '{arg}' must be a number or a one-element array, not {ty}")


@register_jitable
def _same(v):
    return v


@register_jitable
def _enum_value(v):
    return v.value


@register_jitable
def _first(v):
    if v.size != 1:
        raise ValueError("shmem4py: a value given as an array must have exactly one element")
    return v.ravel()[0]


_CMP = {"==": 0, "eq": 0, "!=": 1, "ne": 1, ">": 2, "gt": 2, "<=": 3, "le": 3,
        "<": 4, "lt": 4, ">=": 5, "ge": 5}


def code(fname, arg, ty, strings, count):
    """A jitted function giving the integer code of a comparison or signal
    operation: a string literal resolves while compiling; an IntEnum member
    or an integer is checked at run time against 0..count-1."""
    if isinstance(ty, types.StringLiteral):
        value = strings.get(ty.literal_value)
        if value is None:
            raise fail(fname, f"argument '{arg}' ({ty.literal_value!r}) is not one of "
                              + " ".join(repr(k) for k in strings))
        return register_jitable(lambda c: value)
    if isinstance(ty, types.UnicodeType):
        raise fail(fname, f"argument '{arg}' must be a string constant inside njit "
                          "(or an enum member / integer)")
    if isinstance(ty, (types.IntEnumMember, types.Integer)):
        get = _enum_value if isinstance(ty, types.IntEnumMember) else _same
        msg = f"{fname}(): argument '{arg}' ("

        @register_jitable
        def checked(c):
            v = get(c)
            if v < 0 or v >= count:
                raise ValueError(msg + str(v) + ") is out of range")
            return v
        return checked
    raise fail(fname, f"argument '{arg}' must be a comparison (CMP member, integer or "
                      f"string constant), not {ty}")


def cmp_code(fname, ty):
    """The code of a `cmp` argument (CMP member, 0..5, or '==' ... 'ge')."""
    return code(fname, "cmp", ty, _CMP, 6)


def sigop_code(fname, ty):
    """The code of a `sigop` argument (SIGNAL member, 0/1, 'set' or 'add')."""
    return code(fname, "sigop", ty, {"set": 0, "add": 1}, 2)


def checks(fname):
    """The run-time checks of routine `fname`, as jitted functions whose error
    messages name the routine, the argument and the PE (the strings are
    constants of the compiled code, touched on the error path only)."""
    pre = f"{fname}(): "

    @register_jitable
    def pe(p):
        n = _ext.n_pes()
        if p < 0 or p >= n:
            raise ValueError(pre + "PE " + str(p) + " is out of range (0 <= pe < " + str(n)
                             + ")")

    def symmetric(arg, local=False, amo=False):
        # check(addr, nbytes, pe) -> where the bytes are in this process (the
        # inline fast path) or 0 (the library's path); raises unless the bytes
        # are symmetric and pe (the PE they go to or come from) is a PE of the
        # world team.  local: an object of this PE (waits, reductions), pe 0.
        # amo: an atomic update, inline only where CPU atomics reach the PE.
        msg = (pre + f"argument '{arg}' is not symmetric: allocate it with shmem.array, "
               "shmem.zeros, shmem.empty, shmem.new_array or shmem.alloc")

        @register_jitable
        def slow(addr, nbytes, p):
            if not _ext.reachable(addr, nbytes, p):
                if not local:
                    pe(p)
                raise ValueError(msg)

        if local:
            @register_jitable
            def check(addr, nbytes, p):
                if not _fast.local_ok(addr, nbytes):
                    slow(addr, nbytes, 0)
                return addr
        else:
            need = _fast.REACH_AMO if amo else 0

            @register_jitable
            def check(addr, nbytes, p):
                r = _fast.remote_addr(addr, nbytes, p, need)
                if r == 0:
                    slow(addr, nbytes, p)
                return r
        return check

    def contiguous(arg, ty):
        msg = pre + f"argument '{arg}' must be a contiguous array"
        if ty.layout in "CF":
            return register_jitable(lambda a: None)

        @register_jitable
        def check(a):
            if not a.flags.contiguous:
                raise ValueError(msg)
        return check

    def fits(arg):
        # size <= the elements of `arg` (for strides: (size-1)*stride+1)
        msg_a = pre + "size "
        msg_b = f" is larger than argument '{arg}' ("

        @register_jitable
        def check(n, stride, size):
            if n > 0 and (n - 1) * stride + 1 > size:
                raise ValueError(msg_a + str(n) + msg_b + str(size) + " elements)")
        return check

    def nonneg(arg):
        msg = pre + f"argument '{arg}' must not be negative ("

        @register_jitable
        def check(v):
            if v < 0:
                raise ValueError(msg + str(v) + ")")
        return check

    def at_least_one(arg):
        msg = pre + f"argument '{arg}' must be at least 1, not "

        @register_jitable
        def check(v):
            if v < 1:
                raise ValueError(msg + str(v))
        return check

    def element(arg, local=False, amo=False):
        # check(address, size, itemsize, pe) -> (address, fast address or 0):
        # an AMO / p / g / wait target is one element, aligned, symmetric, and
        # pe a PE of the world team (local: a local wait, pe 0)
        empty = pre + f"argument '{arg}' is empty (it needs one element)"
        align = pre + f"argument '{arg}' is not aligned to its element size"
        sym = symmetric(arg, local, amo)

        # (the array's address, size and itemsize, not the array: an array
        # passed to a function costs two reference count updates)
        @register_jitable
        def check(addr, size, itemsize, p):
            if size == 0:
                raise ValueError(empty)
            # itemsize is a power of two for every dtype with an element routine
            if addr & (itemsize - 1) != 0:
                raise ValueError(align)
            return addr, sym(addr, itemsize, p)
        return check

    def transfer(target_ty, source_ty):
        # check(target, source, size) -> the element count of a transfer
        # between two arrays: `size` (not negative, within both), or the
        # smaller of the two sizes when None; both arrays contiguous
        fit_t, fit_s = fits("target"), fits("source")
        nonneg_size = nonneg("size")
        contig_t = contiguous("target", target_ty)
        contig_s = contiguous("source", source_ty)

        @register_jitable
        def check(target, source, size):
            if size is None:
                n = min(target.size, source.size)
            else:
                nonneg_size(size)
                n = size
                fit_t(n, 1, target.size)
                fit_s(n, 1, source.size)
            contig_t(target)
            contig_s(source)
            return n
        return check

    return _pytypes.SimpleNamespace(pe=pe, symmetric=symmetric, contiguous=contiguous,
                                 fits=fits, nonneg=nonneg, at_least_one=at_least_one,
                                 element=element, transfer=transfer)


def caster(fname, arg, dt):
    """A jitted conversion of a value to dtype `dt` (C's conversion of an
    argument to the routine's type)."""
    if dt == types.boolean:
        return register_jitable(lambda v: bool(v))
    if isinstance(dt, (types.Integer, types.Float, types.Complex)):
        return register_jitable(lambda v: dt(v))
    raise fail(fname, f"argument '{arg}': no conversion to {dt}")
