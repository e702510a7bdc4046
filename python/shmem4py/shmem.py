"""OpenSHMEM for Python: the shmem4py API.

Importing this module starts the OpenSHMEM runtime (unless
``shmem4py.rc.initialize`` is False).  A script run without a launcher is a
job of one PE; ``python -m shmem4py -n 4 script.py`` runs four.

Symmetric arrays are ordinary NumPy arrays whose memory is in the symmetric
heap (:func:`array`, :func:`zeros`, :func:`empty`, :func:`new_array`,
:func:`alloc` ...).  The communication routines (RMA, atomics, waits,
signals, fence/quiet, locks) are the extension's functions themselves: a call
goes from Python straight into C++, which checks the arguments and calls the
OpenSHMEM routine for the array's dtype.

Conventions: sizes count elements, not bytes; PE numbers, sizes and strides
may be Python or NumPy integers; enums may be given as their members or
their plain values (or strings, for CMP, AMO, OP and SIGNAL).  A wrong kind
of object or dtype raises TypeError, a bad value ValueError, and a failure
of the runtime :class:`ShmemError` (a RuntimeError).  An invalid team or
context, or a PE outside a team, raises :class:`ShmemValueError`, which is
both (shmem4py 1.0 raises RuntimeError there).
"""
import atexit as _atexit
import enum as _enum
import operator as _operator
import os as _os
import reprlib as _reprlib
import sys as _sys
import weakref as _weakref

import numpy as _np

# The interpreter's own globals need not be symmetric: only the heap is.
_os.environ.setdefault("SHMEM_SYMMETRIC_DATA", "0")

from . import _shmem  # noqa: E402
from . import rc as _rc  # noqa: E402

try:
    from .api import ffi, lib  # noqa: E402  (the low-level API: the same objects)
except ModuleNotFoundError as _e:  # pragma: no cover
    # A build against another OpenSHMEM has no shmem4py.api (its declarations
    # are our headers'); everything else works without it.
    if _e.name != f"{__package__}.api":
        raise
    ffi = lib = None

__all__ = [
    "ShmemError", "ShmemValueError", "ShmemFreedError",
    # constants and library information
    "MAJOR_VERSION", "MINOR_VERSION", "VENDOR_STRING", "MAX_NAME_LEN",
    "info_get_version", "info_get_name",
    # setup
    "init", "finalize", "global_exit", "init_thread", "query_thread",
    "THREAD", "THREAD_SINGLE", "THREAD_FUNNELED", "THREAD_SERIALIZED", "THREAD_MULTIPLE",
    "my_pe", "n_pes", "pe_accessible", "addr_accessible", "ptr", "pcontrol",
    "query_initialized",
    # memory
    "MALLOC", "MALLOC_ATOMICS_REMOTE", "MALLOC_SIGNAL_REMOTE",
    "alloc", "free", "realloc", "fromalloc", "new_array", "del_array",
    "array", "empty", "zeros", "ones", "full",
    # teams and contexts
    "Team", "TEAM_WORLD", "TEAM_SHARED", "TEAM_INVALID",
    "Ctx", "CTX", "CTX_SERIALIZED", "CTX_PRIVATE", "CTX_NOSTORE", "CTX_DEFAULT", "CTX_INVALID",
    "CTX_SESSION", "CTX_SESSION_BATCH",
    # RMA
    "put", "get", "put_nbi", "get_nbi", "iput", "iget", "ibput", "ibget", "p", "g",
    # AMO
    "AMO", "AMO_SET", "AMO_INC", "AMO_ADD", "AMO_AND", "AMO_OR", "AMO_XOR",
    "atomic_fetch", "atomic_set", "atomic_swap", "atomic_compare_swap",
    "atomic_fetch_inc", "atomic_inc", "atomic_fetch_add", "atomic_add",
    "atomic_fetch_and", "atomic_and", "atomic_fetch_or", "atomic_or",
    "atomic_fetch_xor", "atomic_xor",
    "atomic_fetch_nbi", "atomic_swap_nbi", "atomic_compare_swap_nbi",
    "atomic_fetch_inc_nbi", "atomic_fetch_add_nbi", "atomic_fetch_and_nbi",
    "atomic_fetch_or_nbi", "atomic_fetch_xor_nbi",
    "atomic_op", "atomic_fetch_op", "atomic_fetch_op_nbi",
    # signals
    "SIGNAL", "SIGNAL_SET", "SIGNAL_ADD",
    "new_signal", "del_signal", "signal_fetch", "signal_wait_until",
    "put_signal", "put_signal_nbi", "signal_add", "signal_set",
    # collectives
    "barrier_all", "sync_all", "sync",
    "broadcast", "collect", "fcollect", "alltoall", "alltoalls",
    "OP", "OP_AND", "OP_OR", "OP_XOR", "OP_MAX", "OP_MIN", "OP_SUM", "OP_PROD",
    "reduce", "and_reduce", "or_reduce", "xor_reduce", "max_reduce", "min_reduce",
    "sum_reduce", "prod_reduce", "sum_inscan", "sum_exscan",
    # point-to-point synchronization
    "CMP", "CMP_EQ", "CMP_NE", "CMP_GT", "CMP_LE", "CMP_LT", "CMP_GE",
    "wait_until", "wait_until_all", "wait_until_any", "wait_until_some",
    "wait_until_all_vector", "wait_until_any_vector", "wait_until_some_vector",
    "test", "test_all", "test_any", "test_some",
    "test_all_vector", "test_any_vector", "test_some_vector",
    # ordering
    "fence", "quiet", "pe_quiet",
    # locks
    "new_lock", "del_lock", "set_lock", "test_lock", "clear_lock", "Lock",
]

ShmemError = _shmem.ShmemError


class ShmemValueError(ShmemError, ValueError):
    """A value the OpenSHMEM runtime rejects: an invalid team or context
    (``TEAM_INVALID``, ``CTX_INVALID``, or destroyed), or a PE that is not a
    member of a team.  Both a :class:`ShmemError` (a RuntimeError, what
    shmem4py 1.0 raises) and a ValueError."""


# ---------------------------------------------------------------------------
# Constants and library information

MAJOR_VERSION = _shmem.MAJOR_VERSION
"""Major version of the OpenSHMEM specification implemented (1)."""
MINOR_VERSION = _shmem.MINOR_VERSION
"""Minor version of the OpenSHMEM specification implemented (6 with shmem4py's own
runtime; that of the library shmem4py was built with otherwise)."""
VENDOR_STRING = _shmem.VENDOR_STRING
"""The vendor string of the OpenSHMEM library."""
MAX_NAME_LEN = _shmem.MAX_NAME_LEN
"""Maximum length of :func:`info_get_name`'s answer, with its terminator."""


def info_get_version():
    """Return the OpenSHMEM specification version as ``(major, minor)``."""
    return tuple(_shmem.info_get_version())


def info_get_name():
    """Return the vendor name of the OpenSHMEM library."""
    return _shmem.info_get_name()


# ---------------------------------------------------------------------------
# Enums


class THREAD(_enum.IntEnum):
    """Thread support levels (:func:`init_thread`, :func:`query_thread`)."""

    SINGLE = 0
    FUNNELED = 1
    SERIALIZED = 2
    MULTIPLE = 3


THREAD_SINGLE = THREAD.SINGLE
THREAD_FUNNELED = THREAD.FUNNELED
THREAD_SERIALIZED = THREAD.SERIALIZED
THREAD_MULTIPLE = THREAD.MULTIPLE


class MALLOC(_enum.IntFlag):
    """Allocation hints (``hints`` of :func:`alloc` and the constructors)."""

    ATOMICS_REMOTE = 1
    SIGNAL_REMOTE = 2


MALLOC_ATOMICS_REMOTE = MALLOC.ATOMICS_REMOTE
MALLOC_SIGNAL_REMOTE = MALLOC.SIGNAL_REMOTE


class CTX(_enum.IntFlag):
    """Context options (:meth:`Ctx.create`, :meth:`Team.create_ctx`)."""

    SERIALIZED = 1
    PRIVATE = 2
    NOSTORE = 4


CTX_SERIALIZED = CTX.SERIALIZED
CTX_PRIVATE = CTX.PRIVATE
CTX_NOSTORE = CTX.NOSTORE


class CTX_SESSION(_enum.IntFlag):
    """Communication session options (:meth:`Ctx.session_start`, OpenSHMEM 1.6)."""

    BATCH = 1


CTX_SESSION_BATCH = CTX_SESSION.BATCH


class SIGNAL(_enum.IntEnum):
    """Signal update operations of :func:`put_signal` (strings 'set', 'add' work too)."""

    SET = 0
    ADD = 1


SIGNAL_SET = SIGNAL.SET
SIGNAL_ADD = SIGNAL.ADD


class CMP(_enum.IntEnum):
    """Comparisons of the waits and tests.

    Where a cmp is asked for, the strings ``'==' '!=' '>' '<=' '<' '>='`` and
    ``'eq' 'ne' 'gt' 'le' 'lt' 'ge'`` are accepted too.
    """

    EQ = 0
    NE = 1
    GT = 2
    LE = 3
    LT = 4
    GE = 5


CMP_EQ = CMP.EQ
CMP_NE = CMP.NE
CMP_GT = CMP.GT
CMP_LE = CMP.LE
CMP_LT = CMP.LT
CMP_GE = CMP.GE


class AMO(str, _enum.Enum):
    """Atomic operations of :func:`atomic_op`, :func:`atomic_fetch_op` and
    :func:`atomic_fetch_op_nbi` (the fetching form of 'set' is a swap)."""

    SET = "set"
    INC = "inc"
    ADD = "add"
    AND = "and"
    OR = "or"
    XOR = "xor"

    def __str__(self):
        return self.value


AMO_SET = AMO.SET
AMO_INC = AMO.INC
AMO_ADD = AMO.ADD
AMO_AND = AMO.AND
AMO_OR = AMO.OR
AMO_XOR = AMO.XOR


class OP(str, _enum.Enum):
    """Reduction operators of :func:`reduce`."""

    AND = "and"
    OR = "or"
    XOR = "xor"
    MAX = "max"
    MIN = "min"
    SUM = "sum"
    PROD = "prod"

    def __str__(self):
        return self.value


OP_AND = OP.AND
OP_OR = OP.OR
OP_XOR = OP.XOR
OP_MAX = OP.MAX
OP_MIN = OP.MIN
OP_SUM = OP.SUM
OP_PROD = OP.PROD

_OP_CODES = {"and": 0, "or": 1, "xor": 2, "max": 3, "min": 4, "sum": 5, "prod": 6}

# ---------------------------------------------------------------------------
# Argument helpers


def _index(value, fname, arg):
    """An integer argument: a Python int, a NumPy integer, anything with
    __index__, and (as NumPy converts them) np.True_ and 0-d or one-element
    integer arrays.  Floats and strings raise TypeError."""
    if not isinstance(value, _np.bool_):  # whose __index__ warns in NumPy 1.x
        try:
            return _operator.index(value)
        except TypeError:
            pass
    if not isinstance(value, (float, complex, str, bytes)) and value is not None:
        try:
            a = _np.asarray(value)
        except Exception:  # noqa: BLE001 - anything NumPy cannot take is a TypeError below
            a = None
        if a is not None and a.size == 1 and a.dtype.kind in "biu":
            return int(a.reshape(-1)[0])
    raise TypeError(f"{fname}(): argument {arg!r} must be an integer, "
                    f"not {type(value).__name__}") from None


def _count(value, fname, arg):
    n = _index(value, fname, arg)
    if n < 0:
        raise ValueError(f"{fname}(): argument {arg!r} must not be negative ({n})")
    return n


def _nelems(x, fname, arg):
    if isinstance(x, _np.ndarray):
        return x.size
    try:
        return _np.asarray(memoryview(x)).size
    except TypeError:
        raise TypeError(f"{fname}(): argument {arg!r} must be a NumPy array, "
                        f"not {type(x).__name__}") from None


# ---------------------------------------------------------------------------
# Setup, exit and query


def init():
    """Initialize OpenSHMEM (collective).  Importing this module calls it,
    unless ``shmem4py.rc.initialize`` is False.  Calling it again is harmless:
    as in OpenSHMEM 1.6 the calls nest, and each but the last matching
    :func:`finalize` is only a barrier."""
    _shmem.init(False, 0)
    _after_init()


def init_thread(requested=THREAD_MULTIPLE):
    """Initialize OpenSHMEM asking for thread level `requested`; return the
    level provided (a :class:`THREAD`)."""
    level = _thread_level(requested, "init_thread", "requested")
    provided = _shmem.init(True, int(level))
    _after_init()
    return THREAD(provided)


def query_thread():
    """Return the thread level provided (a :class:`THREAD`)."""
    return THREAD(_shmem.query_thread())


def query_initialized():
    """Return whether OpenSHMEM is initialized now: True between :func:`init`
    and :func:`finalize` (OpenSHMEM 1.6's ``shmem_query_initialized``)."""
    return _shmem.query_initialized()


def finalize():
    """Finalize OpenSHMEM (collective): every PE waits for the others, then no
    OpenSHMEM routine may be called.  Called at exit when ``rc.finalize`` says so.
    After a nested :func:`init` (OpenSHMEM 1.6), the inner finalize is a
    barrier and everything stays usable; only the last one ends shmem4py.
    After the last, :func:`init` starts OpenSHMEM again where the library
    allows it (1.6): the symmetric memory, teams and contexts made before
    are gone (using them raises ValueError)."""
    _shmem.finalize()
    if _shmem.state() == 2:
        _forget_life()


def _forget_life():
    """The last finalize: every team and context the program made is
    invalid, and shmem4py's own symmetric words go with the heap."""
    global _scratch
    for h in list(_ctx_objs):
        _ctx_invalidate(h)
    for h in list(_team_objs):
        for obj in list(_team_objs.pop(h, ())):
            obj._handle = 0
    _team_ctxs.clear()
    _live_teams.clear()
    _scratch = None


def global_exit(status=0):
    """End the whole job with exit code `status`, from any PE (never returns)."""
    status = _index(status, "global_exit", "status")
    for stream in (_sys.stdout, _sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed stream must not stop the exit
            pass
    _shmem.global_exit(status)


my_pe = _shmem.my_pe
n_pes = _shmem.n_pes


def pe_accessible(pe):
    """Return whether PE `pe` can be reached with RMA and AMOs (False for a
    number that is no PE of the job)."""
    pe = _index(pe, "pe_accessible", "pe")
    _require_init("pe_accessible")
    return 0 <= pe < _shmem.n_pes() and _shmem.pe_accessible(pe)


def addr_accessible(addr, pe):
    """Return whether the symmetric array `addr` is accessible on PE `pe`.
    (`addr` may also be passed as ``array=``.)"""
    pe = _index(pe, "addr_accessible", "pe")
    if not isinstance(addr, (_np.ndarray, memoryview)):
        raise TypeError(f"addr_accessible(): argument 'addr' must be a NumPy array, "
                        f"not {type(addr).__name__}")
    _require_init("addr_accessible")
    return 0 <= pe < _shmem.n_pes() and _shmem.addr_accessible(addr, pe)


def ptr(target, pe):
    """Return a NumPy view of PE `pe`'s copy of the symmetric array `target`
    when it can be reached with loads and stores, else None.  (For a PE
    number of a team, see :meth:`Team.ptr`.)
    (`target` may also be passed as ``array=``.)"""
    return _ptr(target, pe, None, "ptr")


def _ptr(target, pe, team, fname):
    """ptr of PE `pe` of `team` (None: the world, through shmem_ptr)."""
    pe = _index(pe, fname, "pe")
    array = target
    if isinstance(array, memoryview):
        array = _np.asarray(array)
    if not isinstance(array, _np.ndarray):
        raise TypeError(f"{fname}(): argument 'target' must be a NumPy array, "
                        f"not {type(array).__name__}")
    addr = array.__array_interface__["data"][0]
    lo = hi = addr
    for dim, stride in zip(array.shape, array.strides):
        if dim == 0:
            lo = hi = addr
            break
        if stride < 0:
            lo += (dim - 1) * stride
        else:
            hi += (dim - 1) * stride
    hi += array.itemsize
    if team is None:
        _require_init(fname)
        th, size = 0, _shmem.n_pes()
    else:
        th, size = team._check("ptr"), team.n_pes()
        if th == TEAM_WORLD._handle:
            th = 0  # shmem_ptr: also where the library has no shmem_team_ptr
    if not 0 <= pe < size:
        return None
    mv = _shmem.ptr(array, lo, hi - lo, pe, th)
    if mv is None:
        return None
    view = _np.ndarray(array.shape, array.dtype, buffer=mv, offset=addr - lo,
                       strides=array.strides)
    if not array.flags.writeable:
        view.flags.writeable = False
    return view


def _keyword_alias(func, alias, name):
    """Let `func` also take its argument `name` (shmem4py 1.0's name) as the
    keyword `alias` (the name of this package's API contract); the signature
    stays shmem4py 1.0's."""
    import functools
    import inspect

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if alias in kwargs:
            if name in kwargs or len(args) > 0:
                raise TypeError(f"{func.__name__}(): got multiple values for argument {name!r}")
            kwargs[name] = kwargs.pop(alias)
        return func(*args, **kwargs)

    wrapper.__signature__ = inspect.signature(func)
    return wrapper


addr_accessible = _keyword_alias(addr_accessible, "array", "addr")
ptr = _keyword_alias(ptr, "array", "target")


def pcontrol(level=1):
    """Profiling control (level 0: off, 1: on, 2+: vendor-defined); no-op here."""
    _shmem.pcontrol(_index(level, "pcontrol", "level"))


def _thread_level(value, fname, arg):
    if isinstance(value, str):
        try:
            return THREAD[value.upper()]
        except KeyError:
            raise ValueError(f"{fname}(): argument {arg!r} ({value!r}) is not a thread level "
                             "(single, funneled, serialized, multiple)") from None
    v = _index(value, fname, arg)
    try:
        return THREAD(v)
    except ValueError:
        raise ValueError(f"{fname}(): argument {arg!r} ({v}) is not a THREAD level") from None


# ---------------------------------------------------------------------------
# Symmetric memory


def _alloc_args(count, size, align, hints, clear, fname):
    """Check the arguments of an allocation: ``(nbytes, align, hints, clear)``
    for the extension.  Raises before any collective step."""
    count = _count(count, fname, "count")
    size = _count(size, fname, "size")
    nbytes = count * size
    if nbytes > _sys.maxsize:
        raise ValueError(f"{fname}(): {count} * {size} bytes is too large")
    if align is None:
        align = 0
    else:
        align = _index(align, fname, "align")
        if align < 1 or align & (align - 1):
            raise ValueError(f"{fname}(): argument 'align' must be a power of two, not {align}")
    if hints is None:
        hints = 0
    else:
        hints = _index(hints, fname, "hints")
        if hints & ~int(MALLOC.ATOMICS_REMOTE | MALLOC.SIGNAL_REMOTE) or hints < 0:
            raise ValueError(f"{fname}(): argument 'hints' ({hints}) is not a combination of "
                             "MALLOC flags")
    try:
        clear = bool(clear)
    except Exception as e:  # noqa: BLE001 - e.g. an array of several elements
        raise TypeError(f"{fname}(): argument 'clear' must be true or false ({e})") from None
    return nbytes, align, hints, clear


def alloc(count, size=1, align=None, hints=None, clear=True):
    """Allocate ``count * size`` bytes of symmetric memory (collective) and
    return them as a writable memoryview, zeroed when `clear`.

    `align` (a power of two) aligns the block, even an empty one (which
    still takes a byte, as in shmem4py 1.0); `hints` are :class:`MALLOC`
    flags.  Every argument is checked before the collective allocation.
    Raises :class:`ShmemError` when the symmetric heap is full (its size is
    the environment variable SHMEM_SYMMETRIC_SIZE)."""
    nbytes, align, hints, clear = _alloc_args(count, size, align, hints, clear, "alloc")
    _require_init("alloc")
    return memoryview(_shmem.alloc(nbytes, align, hints, clear))


def _owner(mem, fname):
    block = _shmem.owner(mem) if isinstance(mem, (_np.ndarray, memoryview)) else None
    if block is None:
        if not isinstance(mem, (_np.ndarray, memoryview)):
            raise TypeError(f"{fname}(): expected a symmetric array or memoryview, "
                            f"not {type(mem).__name__}")
        raise ValueError(f"{fname}(): the argument is not symmetric memory allocated by shmem4py")
    return block


class ShmemFreedError(ShmemValueError, KeyError):
    """Raised by :func:`free` (and :func:`del_array`, :func:`del_signal`,
    :func:`del_lock`) on memory that was freed already.  It is a
    :class:`ShmemValueError` (so a :class:`ShmemError` and a ValueError)
    and a KeyError, which is what shmem4py 1.0 raises there: code that
    catches any of them keeps working."""

    # KeyError would quote the message as a key.
    __str__ = ValueError.__str__


_FreedAlready = ShmemFreedError  # the former private name


def free(mem):
    """Free symmetric memory (collective): `mem` is a memoryview from
    :func:`alloc`, or a symmetric array, or any view of one.  The arrays over
    it can no longer be used in communication (doing so raises ValueError).
    Freeing it again raises :class:`ShmemFreedError` (a ValueError and a
    :class:`ShmemError`, also a KeyError, as shmem4py 1.0 raises)."""
    block = _owner(mem, "free")
    if _shmem.state() == 1 and not block.live:
        raise ShmemFreedError("free(): argument 'mem' was freed already (shmem.free)")
    _shmem.free(block)


def realloc(mem, count, size=1):
    """Resize symmetric memory (collective), keeping its contents.

    For a memoryview, the new size is ``count * size`` bytes and a memoryview
    is returned; for an array, it is `count` elements of its dtype and a 1-D
    array is returned.  The old memory and its arrays can no longer be used."""
    block = _owner(mem, "realloc")
    count = _count(count, "realloc", "count")
    if isinstance(mem, _np.ndarray):
        dtype = mem.dtype
        nbytes = count * dtype.itemsize
        new = memoryview(_shmem.realloc(block, nbytes))
        return _np.ndarray((count,), dtype, buffer=new)
    size = _count(size, "realloc", "size")
    return memoryview(_shmem.realloc(block, count * size))


_max_dims = None  # the most dimensions this NumPy allows (32 in 1.x, 64 in 2.x)


def _shape(shape, fname):
    global _max_dims
    if isinstance(shape, tuple):
        dims = shape
    elif isinstance(shape, (str, bytes)):
        raise TypeError(f"{fname}(): argument 'shape' must be an integer or a sequence of "
                        f"integers, not {type(shape).__name__}")
    else:
        try:
            dims = tuple(shape)
        except TypeError:
            dims = (shape,)
    out = tuple(_count(d, fname, "shape") for d in dims)
    if _max_dims is None:
        try:
            _np.empty((1,) * 64)
            _max_dims = 64
        except ValueError:
            _max_dims = 32
    if len(out) > _max_dims:
        raise ValueError(f"{fname}(): argument 'shape' has {len(out)} dimensions; NumPy allows "
                         f"at most {_max_dims}")
    return out


def _order(order, fname):
    if order is None:
        return "C"
    if order not in ("C", "F", "A", "K"):
        raise ValueError(f"{fname}(): argument 'order' must be 'C' or 'F', not {order!r}")
    return "F" if order == "F" else "C"


def _dtype(dtype, fname):
    try:
        dt = _np.dtype(dtype)
    except Exception as e:  # noqa: BLE001 - NumPy raises TypeError or ValueError
        raise TypeError(f"{fname}(): argument 'dtype' ({dtype!r}) is not a NumPy dtype: "
                        f"{e}") from None
    if dt.hasobject:
        raise TypeError(f"{fname}(): dtype {dt} holds Python objects and cannot be symmetric")
    if dt.itemsize == 0 and dt.names is None and dt.kind in "SUV":
        dt = _np.empty(0, dt).dtype  # an unsized 'S', 'U' or 'V': one character, as NumPy
    return dt


def _reraise(e, msg):
    """Raise `msg` as the standard kind of `e` (OverflowError, TypeError or
    ValueError), from `e`."""
    for kind in (OverflowError, TypeError, ValueError):
        if isinstance(e, kind):
            raise kind(msg) from e
    raise e


def _new(fname, shape, dt, order, align, hints, clear, fill=None):
    """The symmetric array of checked `shape`, `dt` and `order`, filled with
    the array `fill` (of dtype `dt`, broadcastable) when given.  The
    allocation is the only collective step, and comes after every check."""
    count = 1
    for d in shape:
        count *= d
    nbytes, align, hints, clear = _alloc_args(count, dt.itemsize, align, hints, clear, fname)
    _require_init(fname)
    mem = memoryview(_shmem.alloc(nbytes, align, hints, clear))
    try:
        a = _np.ndarray(shape, dt, buffer=mem, order=order)
        if fill is not None:
            _np.copyto(a, fill, casting="no")
    except Exception:
        # Not reached with checked arguments; should it be, the block does
        # not outlive the failed call (every PE fails here alike).
        free(mem)
        raise
    return a


def fromalloc(mem, shape=None, dtype=None, order="C"):
    """Return a NumPy array over the memory `mem` of :func:`alloc` (no copy).

    `dtype` defaults to float; `shape` to as many elements as fit."""
    if not isinstance(mem, memoryview):
        raise TypeError(f"fromalloc(): argument 'mem' must be a memoryview from alloc(), "
                        f"not {type(mem).__name__}")
    dt = _dtype(float if dtype is None else dtype, "fromalloc")
    if shape is None:
        shape = (mem.nbytes // dt.itemsize if dt.itemsize else 0,)
    else:
        shape = _shape(shape, "fromalloc")
    need = int(_np.prod(shape, dtype=_np.int64)) * dt.itemsize
    if need > mem.nbytes:
        raise ValueError(f"fromalloc(): shape {shape} of {dt} needs {need} bytes; "
                         f"the memory has {mem.nbytes}")
    return _np.ndarray(shape, dt, buffer=mem, order=_order(order, "fromalloc"))


def new_array(shape, dtype=float, order="C", *, align=None, hints=None, clear=True):
    """Allocate a symmetric array (collective), zeroed when `clear`.  Every
    argument is checked before the collective allocation."""
    shape = _shape(shape, "new_array")
    dt = _dtype(dtype, "new_array")
    order = _order(order, "new_array")
    return _new("new_array", shape, dt, order, align, hints, clear)


def del_array(a):
    """Free a symmetric array (collective); the same as :func:`free`."""
    free(a)


def array(obj, dtype=None, *, order="K", align=None, hints=None):
    """Return a symmetric copy of `obj` (like ``numpy.array``; collective).
    Ends with a barrier: the values are in place on every PE."""
    if dtype is not None:
        _dtype(dtype, "array")
    order = "K" if order is None else order
    if order not in ("C", "F", "A", "K"):
        raise ValueError(f"array(): argument 'order' must be 'K', 'A', 'C' or 'F', "
                         f"not {order!r}")
    try:
        src = _np.asarray(obj, dtype=dtype)
    except Exception as e:  # noqa: BLE001 - whatever NumPy refuses, named below
        _reraise(e, f"array(): argument 'obj' cannot be converted to a NumPy array"
                    f"{'' if dtype is None else f' of dtype {dtype!r}'}: {e}")
    if order in ("K", "A"):
        order = "F" if src.flags.f_contiguous and not src.flags.c_contiguous else "C"
    a = _new("array", _shape(src.shape, "array"), _dtype(src.dtype, "array"), order, align,
             hints, False, src)
    barrier_all()
    return a


def empty(shape, dtype=float, order="C", *, align=None, hints=None):
    """Return a new symmetric array of `shape`, not initialized (collective)."""
    shape = _shape(shape, "empty")
    dt = _dtype(dtype, "empty")
    return _new("empty", shape, dt, _order(order, "empty"), align, hints, False)


def zeros(shape, dtype=float, order="C", *, align=None, hints=None):
    """Return a new symmetric array of `shape`, filled with zeros (collective)."""
    shape = _shape(shape, "zeros")
    dt = _dtype(dtype, "zeros")
    return _new("zeros", shape, dt, _order(order, "zeros"), align, hints, True)


def _fill(fname, value, dt, shape):
    """`value` cast to `dt` as ``numpy.copyto(..., casting='unsafe')`` casts an
    array (so -1 gives 255 in uint8 on NumPy 2 as on 1.26), checked to
    broadcast to `shape`: before any allocation."""
    try:
        src = value if isinstance(value, _np.ndarray) else _np.array(value)
        fill = _np.empty(src.shape, dt)
        _np.copyto(fill, src, casting="unsafe")
    except Exception as e:  # noqa: BLE001 - whatever NumPy refuses, named below
        _reraise(e, f"{fname}(): argument 'fill_value' ({_reprlib.repr(value)}) cannot be "
                    f"converted to dtype {dt}: {e}")
    try:
        _np.broadcast_to(fill, shape)
    except ValueError:
        raise ValueError(f"{fname}(): argument 'fill_value' of shape {fill.shape} does not "
                         f"broadcast to shape {shape}") from None
    return fill


def ones(shape, dtype=float, order="C", *, align=None, hints=None):
    """Return a new symmetric array of `shape`, filled with ones (collective).
    Ends with a barrier."""
    shape = _shape(shape, "ones")
    dt = _dtype(dtype, "ones")
    order = _order(order, "ones")
    a = _new("ones", shape, dt, order, align, hints, False, _fill("ones", 1, dt, shape))
    barrier_all()
    return a


def full(shape, fill_value, dtype=None, order="C", *, align=None, hints=None):
    """Return a new symmetric array of `shape` filled with `fill_value`
    (collective).  Ends with a barrier.

    As in shmem4py 1.0, the fill value goes through ``numpy.array`` (its
    dtype is the default `dtype`) and is then cast unsafely: ``full(2, -1,
    dtype='u1')`` is ``[255, 255]`` on every NumPy.  A fill value that cannot
    be converted raises before anything is allocated."""
    shape = _shape(shape, "full")
    if dtype is None:
        try:
            dtype = (fill_value if isinstance(fill_value, _np.ndarray)
                     else _np.array(fill_value)).dtype
        except Exception as e:  # noqa: BLE001 - whatever NumPy refuses, named below
            _reraise(e, f"full(): argument 'fill_value' ({_reprlib.repr(fill_value)}) is not "
                        f"a value NumPy can hold: {e}")
    dt = _dtype(dtype, "full")
    order = _order(order, "full")
    a = _new("full", shape, dt, order, align, hints, False, _fill("full", fill_value, dt, shape))
    barrier_all()
    return a


# ---------------------------------------------------------------------------
# Teams

_live_teams = set()  # handles of the teams split and not destroyed yet
_team_objs = {}      # handle of a split team -> WeakSet of the Team objects that hold it


class Team:
    """An OpenSHMEM team: a subset of the PEs.

    Make one with :meth:`split_strided` or :meth:`split_2d` of an existing
    team (``TEAM_WORLD``, ``TEAM_SHARED``).  A PE outside the new team gets a
    team equal to ``TEAM_INVALID``, which is falsy.  ``with team:`` destroys
    the team at the end of the block.

    ``Team()`` is ``TEAM_INVALID``; ``Team(team)`` is another handle on the
    same team (equal to it): destroying either destroys the team and makes
    both invalid, except that destroying a handle on ``TEAM_WORLD`` or
    ``TEAM_SHARED`` only invalidates that handle."""

    __slots__ = ("_handle", "_npes", "__weakref__")

    def __init__(self, team=None):
        if team is None:
            handle, npes = 0, None
        elif isinstance(team, Team):
            handle, npes = team._handle, team._npes
        elif _is_handle(team, "shmem_team_t"):
            # A handle from shmem4py.api (lib.shmem_team_split_strided ...):
            # adopted, so that this API can use and destroy the team.
            handle, npes = int(ffi.cast("uintptr_t", team)), None
            if handle and handle not in (TEAM_WORLD._handle, TEAM_SHARED._handle):
                _live_teams.add(handle)
        else:
            raise TypeError(f"Team(): argument 'team' must be a Team, a shmem_team_t "
                            f"handle or None, not {_kind_of(team)}")
        self._handle = handle
        self._npes = npes
        if handle in _live_teams:
            _team_objs.setdefault(handle, _weakref.WeakSet()).add(self)

    @classmethod
    def _make(cls, handle, npes):
        t = cls.__new__(cls)
        t._handle = handle
        t._npes = npes
        return t

    @property
    def ob_team(self):
        """The team's C handle (``shmem_team_t``), for the routines of
        :mod:`shmem4py.api` (``lib.shmem_team_my_pe(team.ob_team)``)."""
        return ffi.cast("shmem_team_t", self._handle)

    def _live(self):
        h = self._handle
        return h != 0 and (h in _live_teams or h == TEAM_WORLD._handle
                           or h == TEAM_SHARED._handle)

    def _check(self, fname):
        _require_init(f"Team.{fname}")
        if not self._live():
            raise ShmemValueError(f"Team.{fname}(): the team is invalid (TEAM_INVALID, "
                                  "or destroyed)")
        return self._handle

    def _size(self):
        if self._npes is None:
            self._npes = _shmem.team_n_pes(self._handle)
        return self._npes

    def destroy(self):
        """Destroy the team (collective over it), and the contexts made from it.

        Afterwards the team, and every handle on it, is invalid.  Destroying
        an invalid team, ``TEAM_WORLD`` or ``TEAM_SHARED`` does nothing (a
        handle ``Team(TEAM_WORLD)`` becomes invalid; the world stays)."""
        h = self._handle
        if h == 0 or self is TEAM_WORLD or self is TEAM_SHARED or self is TEAM_INVALID:
            return
        self._handle = 0
        if h not in _live_teams:  # a handle on a predefined team, or destroyed already
            return
        for obj in list(_team_objs.pop(h, ())):
            obj._handle = 0
        for ch in list(_team_ctxs.pop(h, ())):
            _ctx_invalidate(ch)
            _shmem.ctx_destroy(ch)
        _live_teams.discard(h)
        _shmem.team_destroy(h)

    def split_strided(self, start=0, stride=1, size=None, config=None, **kwargs):
        """Split a team of PEs ``start + i * stride`` (i < size) of this team
        (collective over this team).  `size` None means as many as fit.
        `config` (a dict) or keyword arguments set ``num_contexts``.
        A PE that is not in the new team gets ``TEAM_INVALID``."""
        h = self._check("split_strided")
        n = self._size()
        start = _index(start, "split_strided", "start")
        stride = _index(stride, "split_strided", "stride")
        if not 0 <= start < n:
            raise ValueError(f"Team.split_strided(): start {start} is out of range "
                             f"(the team has {n} PEs)")
        if size is None:
            if stride > 0:
                size = (n - 1 - start) // stride + 1
            elif stride < 0:
                size = start // -stride + 1
            else:
                size = 1
        size = _index(size, "split_strided", "size")
        if size < 1:
            raise ValueError(f"Team.split_strided(): size must be at least 1, not {size}")
        if stride == 0 and size > 1:
            raise ValueError("Team.split_strided(): stride 0 needs size 1")
        last = start + (size - 1) * stride
        if not 0 <= last < n:
            raise ValueError(f"Team.split_strided(): PE {last} (start + (size-1)*stride) is out "
                             f"of range (the team has {n} PEs)")
        nc = _num_contexts(config, kwargs, "split_strided")
        rc, new = _shmem.team_split_strided(h, start, stride, size, nc)
        if rc != 0:
            raise ShmemError(f"Team.split_strided(): shmem_team_split_strided failed "
                             f"(return code {rc})")
        return _new_team(new, size)

    def split_2d(self, xrange, xaxis_config=None, yaxis_config=None):
        """Split this team into a 2-D grid with `xrange` PEs per row (collective).
        Return ``(xteam, yteam)``: this PE's row and column."""
        h = self._check("split_2d")
        xrange = _index(xrange, "split_2d", "xrange")
        if xrange < 1:
            raise ValueError(f"Team.split_2d(): xrange must be at least 1, not {xrange}")
        xnc = _num_contexts(xaxis_config, {}, "split_2d")
        ync = _num_contexts(yaxis_config, {}, "split_2d")
        rc, x, y = _shmem.team_split_2d(h, xrange, xnc, ync)
        if rc != 0:
            raise ShmemError(f"Team.split_2d(): shmem_team_split_2d failed (return code {rc})")
        return _new_team(x, None), _new_team(y, None)

    def get_config(self):
        """Return the team's configuration: ``{'num_contexts': n}``."""
        h = self._check("get_config")
        return {"num_contexts": _shmem.team_get_config(h)}

    def my_pe(self):
        """Return this PE's number in the team.  Raises :class:`ShmemValueError`
        (a RuntimeError) for an invalid team."""
        h = self._check("my_pe")
        if h == TEAM_WORLD._handle:
            return _shmem.my_pe()
        return _shmem.team_my_pe(h)

    def n_pes(self):
        """Return the number of PEs of the team.  Raises :class:`ShmemValueError`
        (a RuntimeError) for an invalid team."""
        h = self._check("n_pes")
        if h == TEAM_WORLD._handle:
            return _shmem.n_pes()
        return self._size()

    def translate_pe(self, pe=None, team=None):
        """Return the number in `team` (default TEAM_WORLD) of PE `pe` (default:
        this PE) of this team.  Raises :class:`ShmemValueError` (a RuntimeError)
        when that PE is not a member of `team`, or a team is invalid."""
        dest = TEAM_WORLD if team is None else team
        if not isinstance(dest, Team):
            raise TypeError(f"Team.translate_pe(): argument 'team' must be a Team or None, "
                            f"not {type(dest).__name__}")
        self._check("translate_pe")
        if not dest._live():
            raise ShmemValueError("Team.translate_pe(): argument 'team' is invalid "
                                  "(TEAM_INVALID, or destroyed)")
        if pe is None:
            pe = self.my_pe()
        else:
            pe = _index(pe, "Team.translate_pe", "pe")
        n = self.n_pes()
        if not 0 <= pe < n:
            raise ShmemValueError(f"Team.translate_pe(): PE {pe} is out of range "
                                  f"(the team has {n} PEs)")
        if self._handle == dest._handle:
            return pe
        out = _shmem.team_translate_pe(self._handle, pe, dest._handle)
        if out < 0:
            raise ShmemValueError(f"Team.translate_pe(): PE {pe} of this team is not a member "
                                  "of argument 'team'")
        return out

    def ptr(self, target, pe):
        """Return a NumPy view of the copy of the symmetric array `target` on
        PE `pe` of this team (a team-relative number; OpenSHMEM 1.6's
        ``shmem_team_ptr``) when it can be reached with loads and stores,
        else None (also for a PE outside the team).  Raises
        :class:`ShmemValueError` for an invalid team (see :func:`ptr`)."""
        return _ptr(target, pe, self, "Team.ptr")

    def create_ctx(self, options=0):
        """Return a new context on this team (see :meth:`Ctx.create`)."""
        return Ctx.create(options, self)

    def sync(self):
        """Synchronize the PEs of the team (collective over the team)."""
        h = self._check("sync")
        if h == TEAM_WORLD._handle:
            _shmem.sync_all()
        else:
            _shmem.team_sync(h)

    def __eq__(self, other):
        if not isinstance(other, Team):
            return NotImplemented
        return self._handle == other._handle

    def __ne__(self, other):
        if not isinstance(other, Team):
            return NotImplemented
        return self._handle != other._handle

    def __hash__(self):
        return hash(("Team", self._handle))

    def __bool__(self):
        return self._live()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.destroy()
        return False

    def __repr__(self):
        if self is TEAM_WORLD or (self._handle and self._handle == TEAM_WORLD._handle):
            return "<Team WORLD>"
        if self is TEAM_SHARED or (self._handle and self._handle == TEAM_SHARED._handle):
            return "<Team SHARED>"
        if not self._live():
            return "<Team INVALID>"
        return f"<Team of {self.n_pes()} PEs, this PE {self.my_pe()}>"


def _num_contexts(config, kwargs, fname):
    opts = {}
    if config is not None:
        try:
            opts.update(config)
        except (TypeError, ValueError):
            raise TypeError(f"Team.{fname}(): config must be a dict (a mapping), "
                            f"not {type(config).__name__}") from None
    opts.update(kwargs)
    unknown = set(opts) - {"num_contexts"}
    if unknown:
        raise TypeError(f"Team.{fname}(): unknown team option(s) {sorted(unknown)} "
                        "(known: num_contexts)")
    if "num_contexts" not in opts:
        return -1
    nc = _index(opts["num_contexts"], fname, "num_contexts")
    if nc < 0:
        raise ValueError(f"Team.{fname}(): num_contexts must not be negative")
    return nc


# The OpenSHMEM type name of each NumPy dtype char that has a C type; the
# api module declares these names as types too (ffi.new("longlong[]", n)).
_SHMEM_TYPE_NAMES = dict(zip(
    "bhilqBHILQfdgFD",
    ("schar short int long longlong uchar ushort uint ulong ulonglong "
     "float double longdouble complexf complexd").split()))


def _getbuffer(obj, readonly=False):
    """Return ``(cdata, size, typename)`` for a contiguous NumPy array: a
    CFFI pointer to its memory, its element count and the OpenSHMEM name of
    its element type (``'double'``, ``'longlong'`` ...), as the published
    shmem4py's helper of that name does (programs and its test suite use
    it to pass arrays to :mod:`shmem4py.api`'s routines).  A Fortran-ordered
    array gives the same pointer as its C-ordered transpose.  Raises
    TypeError for anything but an array of a dtype with a C type,
    ValueError for a non-contiguous array, or a read-only one unless
    `readonly`."""
    if not isinstance(obj, _np.ndarray):
        raise TypeError(f"_getbuffer(): argument 'obj' must be a NumPy array, "
                        f"not {type(obj).__name__}")
    name = _SHMEM_TYPE_NAMES.get(obj.dtype.char)
    if name is None:
        raise TypeError(f"_getbuffer(): dtype {obj.dtype} has no OpenSHMEM C type")
    if not readonly and not obj.flags.writeable:
        raise ValueError("_getbuffer(): argument 'obj' is read-only (pass readonly=True "
                         "to accept it)")
    if obj.flags.c_contiguous:
        base = obj
    elif obj.flags.f_contiguous:
        base = obj.T
    else:
        raise ValueError("_getbuffer(): argument 'obj' must be a contiguous array")
    cdata = ffi.from_buffer(f"{name}[]", base, require_writable=not readonly)
    return cdata, obj.size, name


def _is_handle(obj, ctype):
    """Whether obj is a C handle of type ctype from shmem4py.api."""
    return ffi is not None and isinstance(obj, ffi.CData) and \
        ffi.typeof(obj) is ffi.typeof(ctype)


def _kind_of(obj):
    if ffi is not None and isinstance(obj, ffi.CData):
        return f"a cdata of type '{ffi.typeof(obj).cname}'"
    return type(obj).__name__


def _new_team(handle, size):
    if handle == 0:
        return Team()
    _live_teams.add(handle)
    t = Team._make(handle, size)
    _team_objs.setdefault(handle, _weakref.WeakSet()).add(t)
    return t


TEAM_WORLD = Team._make(0, None)
"""The team of all PEs."""
TEAM_SHARED = Team._make(0, None)
"""The team of the PEs that share memory with this one (all of them, here)."""
TEAM_INVALID = Team._make(0, None)
"""The invalid team (falsy): what a PE outside a split's new team gets."""

# ---------------------------------------------------------------------------
# Contexts

_team_ctxs = {}  # team handle -> set of the handles of its live contexts
_ctx_objs = {}   # handle of a created context -> WeakSet of the Ctx objects that hold it


def _ctx_invalidate(h):
    """Make every Ctx object holding context handle h invalid."""
    for obj in list(_ctx_objs.pop(h, ())):
        obj._bind(0, 0)
        obj._team = None


class Ctx(_shmem.CtxBase):
    """An OpenSHMEM communication context.

    Make one with :meth:`Ctx.create` or :meth:`Team.create_ctx`; pass it as
    ``ctx=`` to the RMA, AMO, signal, fence and quiet routines (PE numbers are
    then relative to the context's team).  ``with ctx:`` destroys it at the
    end of the block.

    ``Ctx()`` is ``CTX_INVALID``; ``Ctx(ctx)`` is another handle on the same
    context (equal to it): destroying either destroys the context and makes
    both invalid, except that destroying a handle on ``CTX_DEFAULT`` only
    invalidates that handle."""

    def __init__(self, ctx=None):
        super().__init__()
        self._team = None
        self._predefined = False
        self._npes = 0
        if ctx is None:
            return
        if _is_handle(ctx, "shmem_ctx_t"):
            self._adopt(int(ffi.cast("uintptr_t", ctx)))
            return
        if not isinstance(ctx, Ctx):
            raise TypeError(f"Ctx(): argument 'ctx' must be a Ctx, a shmem_ctx_t handle "
                            f"or None, not {_kind_of(ctx)}")
        h = ctx._handle
        if h:
            self._bind(h, ctx._npes)
            self._team = ctx._team
            if h in _ctx_objs:
                _ctx_objs[h].add(self)

    def _bind(self, handle, npes):
        self._set(handle, npes)
        self._npes = npes

    def _adopt(self, h):
        """Hold context handle h, made by shmem4py.api (lib.shmem_ctx_create)."""
        if h == 0:
            return
        if h == CTX_DEFAULT._handle:
            self._bind(h, CTX_DEFAULT._npes)
            return
        team = ffi.new("shmem_team_t*")
        if lib.shmem_ctx_get_team(ffi.cast("shmem_ctx_t", h), team) != 0:
            raise ShmemValueError(f"Ctx(): PE {my_pe()}: the shmem_ctx_t handle is not a "
                                  "valid context")
        self._team = Team(team[0])
        self._bind(h, lib.shmem_team_n_pes(team[0]))
        _ctx_objs.setdefault(h, _weakref.WeakSet()).add(self)
        _team_ctxs.setdefault(self._team._handle, set()).add(h)

    @property
    def ob_ctx(self):
        """The context's C handle (``shmem_ctx_t``), for the routines of
        :mod:`shmem4py.api` (``lib.shmem_ctx_quiet(ctx.ob_ctx)``)."""
        return ffi.cast("shmem_ctx_t", self._handle)

    @staticmethod
    def create(options=0, team=None):
        """Return a new context with `options` (:class:`CTX` flags) on `team`
        (default: TEAM_WORLD).  Raises ShmemError when none can be made."""
        _require_init("Ctx.create")
        options = _index(options, "Ctx.create", "options")
        if options < 0 or options & ~int(CTX.SERIALIZED | CTX.PRIVATE | CTX.NOSTORE):
            raise ValueError(f"Ctx.create(): argument 'options' ({options}) is not a "
                             "combination of CTX flags")
        if team is None:
            team = TEAM_WORLD
        elif not isinstance(team, Team):
            raise TypeError(f"Ctx.create(): argument 'team' must be a Team or None, "
                            f"not {type(team).__name__}")
        h = team._check("create_ctx")
        rc, handle = _shmem.ctx_create(options, 0 if h == TEAM_WORLD._handle else h)
        if rc != 0 or handle == 0:
            raise ShmemError(f"Ctx.create(): no context could be created (return code {rc})")
        ctx = Ctx()
        ctx._bind(handle, team.n_pes())
        ctx._team = team if h != TEAM_WORLD._handle else TEAM_WORLD
        _ctx_objs.setdefault(handle, _weakref.WeakSet()).add(ctx)
        _team_ctxs.setdefault(h, set()).add(handle)
        return ctx

    def destroy(self):
        """Destroy the context (completing its operations); afterwards it, and
        every handle on it, is invalid.  Destroying CTX_DEFAULT or an invalid
        context does nothing (a handle ``Ctx(CTX_DEFAULT)`` becomes invalid)."""
        h = self._handle
        if h == 0 or self._predefined:
            return
        self._team = None
        self._bind(0, 0)
        if h not in _ctx_objs:  # a handle on CTX_DEFAULT, or destroyed already
            return
        _ctx_invalidate(h)
        for handles in _team_ctxs.values():
            handles.discard(h)
        _shmem.ctx_destroy(h)

    def get_team(self):
        """Return the team of the context.  Raises :class:`ShmemValueError`
        (a RuntimeError) for an invalid context."""
        if self._handle == 0:
            raise ShmemValueError("Ctx.get_team(): the context is invalid (CTX_INVALID, "
                                  "or destroyed)")
        if self._predefined or self._handle == CTX_DEFAULT._handle:
            return TEAM_WORLD
        return self._team

    def fence(self):
        """Order the operations issued on this context (see :func:`fence`)."""
        fence(self)

    def quiet(self):
        """Complete the operations issued on this context (see :func:`quiet`)."""
        quiet(self)

    def pe_quiet(self, pes):
        """Complete the operations issued on this context to the PE(s) `pes`
        (see :func:`pe_quiet`)."""
        pe_quiet(pes, self)

    def session_start(self, options=0, total_ops=None):
        """Start a communication session on this context (OpenSHMEM 1.6): a
        hint that a burst of RMA and AMO calls follows.  `options` is a
        :class:`CTX_SESSION` flag set (``CTX_SESSION_BATCH``: the calls may be
        batched); `total_ops`, when given, is how many calls the session
        expects.  Starting a started session adds the options and replaces
        `total_ops`.  A hint only: the calls complete as without it (quiet,
        fence and the barriers still decide completion).  On an invalid
        context (``CTX_INVALID``, or destroyed) it does nothing, as the
        specification says."""
        options = _index(options, "Ctx.session_start", "options")
        if options < 0 or options & ~int(CTX_SESSION.BATCH):
            raise ValueError(f"Ctx.session_start(): argument 'options' ({options}) is not a "
                             "combination of CTX_SESSION flags")
        total = -1 if total_ops is None else _count(total_ops, "Ctx.session_start",
                                                    "total_ops")
        _require_init("Ctx.session_start")
        if self._handle:
            _shmem.ctx_session_start(self._handle, options, total)

    def session_stop(self):
        """End the communication session of this context (see
        :meth:`session_start`); nothing happens without one, or on an invalid
        context."""
        _require_init("Ctx.session_stop")
        if self._handle:
            _shmem.ctx_session_stop(self._handle)

    def session(self, options=0, total_ops=None):
        """A session as a ``with`` block: ``with ctx.session(CTX_SESSION_BATCH,
        total_ops=n): ...`` calls :meth:`session_start` on entry and
        :meth:`session_stop` on exit (also when the block raises).  Unlike
        ``with ctx:``, it does not destroy the context."""
        return _Session(self, options, total_ops)

    def __eq__(self, other):
        if not isinstance(other, Ctx):
            return NotImplemented
        return self._handle == other._handle

    def __ne__(self, other):
        if not isinstance(other, Ctx):
            return NotImplemented
        return self._handle != other._handle

    def __hash__(self):
        return hash(("Ctx", self._handle))

    def __bool__(self):
        return self._handle != 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.destroy()
        return False

    def __repr__(self):
        if self._predefined or (self._handle and self._handle == CTX_DEFAULT._handle):
            return "<Ctx DEFAULT>"
        if not self._handle:
            return "<Ctx INVALID>"
        return f"<Ctx on {self._team!r}>"


class _Session:
    """The context manager of :meth:`Ctx.session`."""

    __slots__ = ("_ctx", "_options", "_total_ops")

    def __init__(self, ctx, options, total_ops):
        self._ctx, self._options, self._total_ops = ctx, options, total_ops

    def __enter__(self):
        self._ctx.session_start(self._options, self._total_ops)
        return self._ctx

    def __exit__(self, *exc):
        self._ctx.session_stop()
        return False


CTX_DEFAULT = Ctx()
"""The default context (what ``ctx=None`` means)."""
CTX_DEFAULT._predefined = True
CTX_INVALID = Ctx()
"""The invalid context (falsy)."""

# ---------------------------------------------------------------------------
# RMA, AMOs, waits, signals, ordering, locks: the extension's functions.

put = _shmem.put
get = _shmem.get
put_nbi = _shmem.put_nbi
get_nbi = _shmem.get_nbi
iput = _shmem.iput
iget = _shmem.iget
ibput = _shmem.ibput
ibget = _shmem.ibget
p = _shmem.p
g = _shmem.g

atomic_fetch = _shmem.atomic_fetch
atomic_set = _shmem.atomic_set
atomic_swap = _shmem.atomic_swap
atomic_compare_swap = _shmem.atomic_compare_swap
atomic_fetch_inc = _shmem.atomic_fetch_inc
atomic_inc = _shmem.atomic_inc
atomic_fetch_add = _shmem.atomic_fetch_add
atomic_add = _shmem.atomic_add
atomic_fetch_and = _shmem.atomic_fetch_and
atomic_and = _shmem.atomic_and
atomic_fetch_or = _shmem.atomic_fetch_or
atomic_or = _shmem.atomic_or
atomic_fetch_xor = _shmem.atomic_fetch_xor
atomic_xor = _shmem.atomic_xor
atomic_fetch_nbi = _shmem.atomic_fetch_nbi
atomic_swap_nbi = _shmem.atomic_swap_nbi
atomic_compare_swap_nbi = _shmem.atomic_compare_swap_nbi
atomic_fetch_inc_nbi = _shmem.atomic_fetch_inc_nbi
atomic_fetch_add_nbi = _shmem.atomic_fetch_add_nbi
atomic_fetch_and_nbi = _shmem.atomic_fetch_and_nbi
atomic_fetch_or_nbi = _shmem.atomic_fetch_or_nbi
atomic_fetch_xor_nbi = _shmem.atomic_fetch_xor_nbi
atomic_op = _shmem.atomic_op
atomic_fetch_op = _shmem.atomic_fetch_op
atomic_fetch_op_nbi = _shmem.atomic_fetch_op_nbi

wait_until = _shmem.wait_until
wait_until_all = _shmem.wait_until_all
wait_until_any = _shmem.wait_until_any
wait_until_some = _shmem.wait_until_some
wait_until_all_vector = _shmem.wait_until_all_vector
wait_until_any_vector = _shmem.wait_until_any_vector
wait_until_some_vector = _shmem.wait_until_some_vector
test = _shmem.test
test_all = _shmem.test_all
test_any = _shmem.test_any
test_some = _shmem.test_some
test_all_vector = _shmem.test_all_vector
test_any_vector = _shmem.test_any_vector
test_some_vector = _shmem.test_some_vector

signal_fetch = _shmem.signal_fetch
signal_wait_until = _shmem.signal_wait_until
put_signal = _shmem.put_signal
put_signal_nbi = _shmem.put_signal_nbi
signal_add = _shmem.signal_add
signal_set = _shmem.signal_set

fence = _shmem.fence
quiet = _shmem.quiet
pe_quiet = _shmem.pe_quiet

set_lock = _shmem.set_lock
test_lock = _shmem.test_lock
clear_lock = _shmem.clear_lock


def new_signal():
    """Allocate a symmetric signal word (a zeroed 1-element uint64 array; collective)."""
    return zeros(1, dtype=_np.uint64)


def del_signal(signal):
    """Free a signal word of :func:`new_signal` (collective)."""
    free(signal)


# ---------------------------------------------------------------------------
# Collectives


def barrier_all():
    """Complete every PE's outstanding operations and wait for all PEs."""
    _shmem.barrier_all()


def sync_all():
    """Wait for all PEs (without completing outstanding operations)."""
    _shmem.sync_all()


def sync(team=None):
    """Wait for the PEs of `team` (default TEAM_WORLD; collective over it)."""
    _team(team, "sync").sync()


def _require_init(fname):
    state = _shmem.state()
    if state != 1:
        raise ShmemError(f"{fname}(): shmem4py is not initialized (call shmem.init() first)"
                         if state == 0 else f"{fname}(): shmem4py was finalized")


def _team(team, fname):
    _require_init(fname)
    if team is None:
        return TEAM_WORLD
    if not isinstance(team, Team):
        raise TypeError(f"{fname}(): argument 'team' must be a Team or None, "
                        f"not {type(team).__name__}")
    if not team._live():
        raise ShmemValueError(f"{fname}(): argument 'team' is invalid (TEAM_INVALID, "
                              "or destroyed)")
    return team


def _team_args(team, fname):
    t = _team(team, fname)
    return t, t._handle, t.n_pes()


def broadcast(target, source, root, size=None, team=None):
    """Copy `size` elements (default: as many as both hold) of `source` on
    the `root` PE of `team` into `target` on every PE of the team
    (collective; `root` is team-relative)."""
    t, h, n = _team_args(team, "broadcast")
    root = _index(root, "broadcast", "root")
    if not 0 <= root < n:
        raise ValueError(f"broadcast(): root {root} is out of range (the team has {n} PEs)")
    if size is None:
        size = min(_nelems(target, "broadcast", "target"), _nelems(source, "broadcast", "source"))
    _shmem.collective(0, h, n, target, source, _count(size, "broadcast", "size"), root)


_scratch = None  # internal symmetric words: (size, capacity) of every PE


def _exchange(t, a, b):
    """Give every PE of team t the pair (a, b) of every other member."""
    world = [t.translate_pe(i, TEAM_WORLD) for i in range(t.n_pes())]
    me = my_pe()
    mine = _np.array([a, b], dtype=_np.int64)
    for w in world:
        put(_scratch[2 * me:2 * me + 2], mine, w)
    quiet()
    t.sync()
    pairs = [(int(_scratch[2 * w]), int(_scratch[2 * w + 1])) for w in world]
    t.sync()
    return pairs


def collect(target, source, size=None, team=None):
    """Concatenate `size` elements (default: all) of `source` of every PE of
    `team`, in PE order, into `target` on every PE (collective).  `size` may
    differ between PEs; `target` must hold the sum."""
    t, h, n = _team_args(team, "collect")
    nsrc = _nelems(source, "collect", "source")
    size = nsrc if size is None else _count(size, "collect", "size")
    if size > nsrc:
        raise ValueError(f"collect(): size {size} is larger than argument 'source' "
                         f"({nsrc} elements)")
    ntgt = _nelems(target, "collect", "target")
    # Every argument is checked before the exchange of sizes, the first
    # collective step.
    _shmem.collective(1 + 4, h, n, target, source, size, 0)
    pairs = _exchange(t, size, ntgt)
    total = sum(s for s, _ in pairs)
    short = [i for i, (_, cap) in enumerate(pairs) if cap < total]
    if short:
        raise ValueError(f"collect(): argument 'target' on team PE(s) {short} holds fewer "
                         f"than the {total} elements collected")
    _shmem.collective(1, h, n, target, source, size, total)


def fcollect(target, source, size=None, team=None):
    """Concatenate `size` elements (default: all, the same on every PE) of
    `source` of every PE of `team` into `target` (collective)."""
    t, h, n = _team_args(team, "fcollect")
    if size is None:
        size = _nelems(source, "fcollect", "source")
    _shmem.collective(2, h, n, target, source, _count(size, "fcollect", "size"), 0)


def alltoall(target, source, size=None, team=None):
    """Exchange blocks of `size` elements (default: as many as both arrays
    hold, divided by the team's size, which must divide it evenly; else
    ValueError) between every pair of PEs of `team`:
    block j of `source` on PE i lands in block i of `target` on PE j
    (collective)."""
    t, h, n = _team_args(team, "alltoall")
    if size is None:
        both = min(_nelems(target, "alltoall", "target"), _nelems(source, "alltoall", "source"))
        if both % n:
            raise ValueError(f"alltoall(): with size=None, the {both} elements of 'target' and "
                             f"'source' do not divide evenly among the team's {n} PEs: "
                             "pass size")
        size = both // n
    _shmem.collective(3, h, n, target, source, _count(size, "alltoall", "size"), 0)


def alltoalls(target, source, tst=1, sst=1, size=None, team=None):
    """Strided :func:`alltoall`: the elements of the blocks are `tst` apart
    in `target` and `sst` apart in `source` (collective).  `size` None
    divides the strided elements both arrays hold (``ceil(len / stride)``)
    evenly among the team's PEs, or raises ValueError."""
    t, h, n = _team_args(team, "alltoalls")
    if size is not None:
        size = _count(size, "alltoalls", "size")
    _shmem.alltoalls(h, n, target, source, tst, sst, size)


def _op_code(op, fname):
    if isinstance(op, str):
        code = _OP_CODES.get(op.lower() if not isinstance(op, OP) else op.value)
        if code is None:
            raise ValueError(f"{fname}(): argument 'op' ({op!r}) is not a reduction "
                             "(and, or, xor, max, min, sum, prod)")
        return code
    raise TypeError(f"{fname}(): argument 'op' must be an OP member or a string, "
                    f"not {type(op).__name__}")


def reduce(target, source, op=OP_SUM, size=None, team=None):
    """Reduce `size` elements (default: as many as both hold) of `source`
    over the PEs of `team` with `op` (:class:`OP`) into `target` on every PE
    (collective).  `target` and `source` may be the same array.
    Sum/prod take complex too; max/min do not; and/or/xor take integers."""
    code = _op_code(op, "reduce")
    t, h, n = _team_args(team, "reduce")
    _shmem.reduce(h, n, code, target, source, size)


def _reduction(op, doc):
    """The function ``<op>_reduce``: :func:`reduce` with a fixed operator."""
    name, code = f"{op}_reduce", _OP_CODES[op]

    def reduce_with_op(target, source, size=None, team=None):
        t, h, n = _team_args(team, name)
        _shmem.reduce(h, n, code, target, source, size)

    reduce_with_op.__name__ = reduce_with_op.__qualname__ = name
    reduce_with_op.__doc__ = f"{doc} (see :func:`reduce`)."
    return reduce_with_op


and_reduce = _reduction("and", "Bitwise AND reduction")
or_reduce = _reduction("or", "Bitwise OR reduction")
xor_reduce = _reduction("xor", "Bitwise XOR reduction")
max_reduce = _reduction("max", "Maximum reduction")
min_reduce = _reduction("min", "Minimum reduction")
sum_reduce = _reduction("sum", "Sum reduction")
prod_reduce = _reduction("prod", "Product reduction")


def sum_inscan(target, source, size=None, team=None):
    """Inclusive prefix sum (OpenSHMEM 1.6, collective over `team`): on the
    team's PE i, `target` gets the element-wise sum of `source` of PEs 0..i.
    `size` elements (default: as many as both hold); `target` and `source`
    may be the same array.  The dtypes of :func:`sum_reduce` (integers,
    floats, complex)."""
    t, h, n = _team_args(team, "sum_inscan")
    _shmem.scan(h, n, False, target, source, size)


def sum_exscan(target, source, size=None, team=None):
    """Exclusive prefix sum (OpenSHMEM 1.6, collective over `team`): on the
    team's PE i, `target` gets the element-wise sum of `source` of PEs
    0..i-1 (zeros on PE 0).  Arguments as :func:`sum_inscan`."""
    t, h, n = _team_args(team, "sum_exscan")
    _shmem.scan(h, n, True, target, source, size)


# ---------------------------------------------------------------------------
# Locks


def new_lock():
    """Allocate a symmetric lock word (a zeroed 1-element int64 array; collective)."""
    return zeros(1, dtype="l")


def del_lock(lock):
    """Free a lock word of :func:`new_lock` (collective)."""
    free(lock)


class Lock:
    """A distributed lock (mutual exclusion between PEs).

    The constructor is collective: every PE makes the same Lock.  Use
    ``with lock:`` or :meth:`acquire`/:meth:`release`."""

    def __init__(self):
        self._lock = new_lock()

    def acquire(self, blocking=True):
        """Acquire the lock; with ``blocking=False``, only if it is free.
        Return whether it was acquired."""
        if self._lock is None:
            raise ValueError("Lock.acquire(): the lock was destroyed")
        if blocking:
            set_lock(self._lock)
            return True
        return not test_lock(self._lock)

    def release(self):
        """Release the lock (this PE must hold it)."""
        if self._lock is None:
            raise ValueError("Lock.release(): the lock was destroyed")
        clear_lock(self._lock)

    def destroy(self):
        """Free the lock (collective)."""
        if self._lock is not None:
            lock, self._lock = self._lock, None
            del_lock(lock)

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
        return False


# ---------------------------------------------------------------------------
# Start-up and exit

_finalize_registered = False
_previous_excepthook = None


def _after_init():
    global _scratch, _finalize_registered
    TEAM_WORLD._handle = _shmem.team_world() or 1
    TEAM_WORLD._npes = _shmem.n_pes()
    TEAM_SHARED._handle = _shmem.team_shared() or 2
    # The PEs of this node: all of them under shmemrun, not under mpiexec
    # across nodes (a library without teams has only the world).
    TEAM_SHARED._npes = (_shmem.team_n_pes(TEAM_SHARED._handle) if _shmem.team_shared()
                         else _shmem.n_pes())
    CTX_DEFAULT._bind(_shmem.ctx_default(), _shmem.n_pes())
    if _scratch is None:
        _scratch = _np.frombuffer(memoryview(_shmem.alloc(16 * _shmem.n_pes(), 0, 0, True)),
                                  dtype=_np.int64)
    if not _finalize_registered and _rc.finalize is not False:
        _atexit.register(_finalize_at_exit)
        _finalize_registered = True
    _install_excepthook()


def _finalize_at_exit():
    # Every init() not yet matched (they nest): the inner ones are barriers.
    while _shmem.state() == 1:
        finalize()


def _excepthook(etype, value, tb):
    # An uncaught exception in one PE ends the whole job: print the
    # traceback, then leave through global_exit so that the launcher ends
    # the other PEs (they may be waiting for this one forever).
    hook = _previous_excepthook or _sys.__excepthook__
    hook(etype, value, tb)
    if _shmem.state() == 1 and _shmem.n_pes() > 1:
        global_exit(1)


def _install_excepthook():
    global _previous_excepthook
    if _sys.excepthook is not _excepthook:
        _previous_excepthook = _sys.excepthook
        _sys.excepthook = _excepthook


def _startup():
    if _rc.initialize:
        if _rc.threads:
            init_thread(THREAD[_rc.thread_level.upper()])
        else:
            init()


_startup()

# Numba compiled before this import ran the package's numba_extensions entry
# point too early (it waits for this module): register the njit overloads now.
if "numba" in _sys.modules:
    from ._numba import _init as _numba_init

    _numba_init()
