"""The public API against shmem4py 1.0: names, parameters (order, defaults,
keyword-only markers), what the calls return, the enums, Team/Ctx handles,
the error conventions, and the type stubs (shmem.pyi) against the code."""
import ast
import enum
import inspect
import pathlib

import numpy as np
import pytest
from spmd_util import ME, NEXT, NPES, PREV

import shmem4py
from shmem4py import shmem

# ---------------------------------------------------------------------------
# Signatures of shmem4py 1.0, as its documentation gives them.

_RMA = "target, source, pe, size=None, ctx=None"
_STRIDED = "target, source, pe, tst=1, sst=1, size=None, ctx=None"
_AMO = "target, value, pe, ctx=None"
_AMO_NBI = "fetch, target, value, pe, ctx=None"
_COLL = "target, source, size=None, team=None"
_WAIT = "ivars, cmp, value, status=None"
_WAIT_VECTOR = "ivars, cmp, values, status=None"
_CTOR = "shape, dtype=float, order='C', *, align=None, hints=None"

PUBLISHED = {
    "info_get_version": "", "info_get_name": "",
    "init": "", "finalize": "", "global_exit": "status=0",
    "init_thread": "requested=THREAD_MULTIPLE", "query_thread": "",
    "my_pe": "", "n_pes": "", "pe_accessible": "pe", "addr_accessible": "addr, pe",
    "ptr": "target, pe", "pcontrol": "level=1",
    "alloc": "count, size=1, align=None, hints=None, clear=True",
    "free": "mem", "fromalloc": "mem, shape=None, dtype=None, order='C'",
    "new_array": _CTOR + ", clear=True", "del_array": "a",
    "array": "obj, dtype=None, *, order='K', align=None, hints=None",
    "empty": _CTOR, "zeros": _CTOR, "ones": _CTOR,
    "full": "shape, fill_value, dtype=None, order='C', *, align=None, hints=None",
    "put": _RMA, "get": _RMA, "put_nbi": _RMA, "get_nbi": _RMA,
    "iput": _STRIDED, "iget": _STRIDED,
    "atomic_set": _AMO, "atomic_inc": "target, pe, ctx=None", "atomic_add": _AMO,
    "atomic_and": _AMO, "atomic_or": _AMO, "atomic_xor": _AMO,
    "atomic_fetch": "source, pe, ctx=None", "atomic_swap": _AMO,
    "atomic_compare_swap": "target, cond, value, pe, ctx=None",
    "atomic_fetch_inc": "target, pe, ctx=None", "atomic_fetch_add": _AMO,
    "atomic_fetch_and": _AMO, "atomic_fetch_or": _AMO, "atomic_fetch_xor": _AMO,
    "atomic_fetch_nbi": "fetch, source, pe, ctx=None", "atomic_swap_nbi": _AMO_NBI,
    "atomic_compare_swap_nbi": "fetch, target, cond, value, pe, ctx=None",
    "atomic_fetch_inc_nbi": "fetch, target, pe, ctx=None",
    "atomic_fetch_add_nbi": _AMO_NBI, "atomic_fetch_and_nbi": _AMO_NBI,
    "atomic_fetch_or_nbi": _AMO_NBI, "atomic_fetch_xor_nbi": _AMO_NBI,
    "atomic_op": "target, value, op, pe, ctx=None",
    "atomic_fetch_op": "target, value, op, pe, ctx=None",
    "atomic_fetch_op_nbi": "fetch, target, value, op, pe, ctx=None",
    "new_signal": "", "del_signal": "signal", "signal_fetch": "signal",
    "put_signal": "target, source, pe, signal, value, sigop, size=None, ctx=None",
    "put_signal_nbi": "target, source, pe, signal, value, sigop, size=None, ctx=None",
    "signal_wait_until": "signal, cmp, value",
    "barrier_all": "", "sync_all": "", "sync": "team=None",
    "broadcast": "target, source, root, size=None, team=None",
    "collect": _COLL, "fcollect": _COLL, "alltoall": _COLL,
    "alltoalls": "target, source, tst=1, sst=1, size=None, team=None",
    "reduce": "target, source, op=OP_SUM, size=None, team=None",
    "and_reduce": _COLL, "or_reduce": _COLL, "xor_reduce": _COLL, "max_reduce": _COLL,
    "min_reduce": _COLL, "sum_reduce": _COLL, "prod_reduce": _COLL,
    "wait_until": "ivar, cmp, value", "test": "ivar, cmp, value",
    "wait_until_all": _WAIT, "wait_until_any": _WAIT, "wait_until_some": _WAIT,
    "test_all": _WAIT, "test_any": _WAIT, "test_some": _WAIT,
    "wait_until_all_vector": _WAIT_VECTOR, "wait_until_any_vector": _WAIT_VECTOR,
    "wait_until_some_vector": _WAIT_VECTOR, "test_all_vector": _WAIT_VECTOR,
    "test_any_vector": _WAIT_VECTOR, "test_some_vector": _WAIT_VECTOR,
    "fence": "ctx=None", "quiet": "ctx=None",
    "new_lock": "", "del_lock": "lock", "set_lock": "lock", "test_lock": "lock",
    "clear_lock": "lock",
    # classes (the constructor) and their methods
    "Team": "team=None", "Team.destroy": "self",
    "Team.split_strided": "self, start=0, stride=1, size=None, config=None, **kwargs",
    "Team.get_config": "self", "Team.my_pe": "self", "Team.n_pes": "self",
    "Team.translate_pe": "self, pe=None, team=None", "Team.create_ctx": "self, options=0",
    "Team.sync": "self",
    "Ctx": "ctx=None", "Ctx.create": "options=0, team=None", "Ctx.destroy": "self",
    "Ctx.get_team": "self", "Ctx.fence": "self", "Ctx.quiet": "self",
    "Lock": "", "Lock.acquire": "self, blocking=True", "Lock.release": "self",
    "Lock.destroy": "self",
}

_KINDS = {"posonly": inspect.Parameter.POSITIONAL_ONLY,
          "normal": inspect.Parameter.POSITIONAL_OR_KEYWORD,
          "varargs": inspect.Parameter.VAR_POSITIONAL,
          "kwonly": inspect.Parameter.KEYWORD_ONLY,
          "varkw": inspect.Parameter.VAR_KEYWORD}


def _params_of_ast(args):
    """[(name, kind, default node or None)] of an ast.arguments."""
    out = []
    pos = args.posonlyargs + args.args
    defaults = [None] * (len(pos) - len(args.defaults)) + list(args.defaults)
    for i, (a, d) in enumerate(zip(pos, defaults)):
        out.append((a.arg, "posonly" if i < len(args.posonlyargs) else "normal", d))
    if args.vararg:
        out.append((args.vararg.arg, "varargs", None))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        out.append((a.arg, "kwonly", d))
    if args.kwarg:
        out.append((args.kwarg.arg, "varkw", None))
    return out


def _runtime(qualname):
    obj = shmem
    for part in qualname.split("."):
        obj = vars(obj)[part] if isinstance(obj, type) else getattr(obj, part)
    if isinstance(obj, staticmethod):
        obj = obj.__func__
    return obj


def _signature(obj):
    if isinstance(obj, type):
        sig = inspect.signature(obj.__init__)
        return sig.replace(parameters=list(sig.parameters.values())[1:])
    return inspect.signature(obj)


@pytest.mark.parametrize("qualname", sorted(PUBLISHED))
def test_published_signature(qualname):
    spec = ast.parse(f"def f({PUBLISHED[qualname]}): pass").body[0].args
    want = _params_of_ast(spec)
    got = list(_signature(_runtime(qualname)).parameters.values())
    assert [(p.name, p.kind) for p in got] == [(n, _KINDS[k]) for n, k, _ in want], qualname
    for p, (name, _, default) in zip(got, want):
        if default is None:
            assert p.default is inspect.Parameter.empty, f"{qualname}: {name} has a default"
        else:
            expect = eval(compile(ast.Expression(default), "<spec>", "eval"), vars(shmem))
            assert p.default == expect and type(p.default) is type(expect), (qualname, name)


def test_published_names_exist():
    names = [n for n in PUBLISHED if "." not in n] + [
        "MAJOR_VERSION", "MINOR_VERSION", "VENDOR_STRING",
        "THREAD", "THREAD_SINGLE", "THREAD_FUNNELED", "THREAD_SERIALIZED", "THREAD_MULTIPLE",
        "CTX", "CTX_PRIVATE", "CTX_SERIALIZED", "CTX_NOSTORE", "CTX_DEFAULT", "CTX_INVALID",
        "TEAM_WORLD", "TEAM_SHARED", "TEAM_INVALID",
        "MALLOC", "MALLOC_ATOMICS_REMOTE", "MALLOC_SIGNAL_REMOTE",
        "AMO", "AMO_SET", "AMO_INC", "AMO_ADD", "AMO_AND", "AMO_OR", "AMO_XOR",
        "SIGNAL", "SIGNAL_SET", "SIGNAL_ADD",
        "OP", "OP_AND", "OP_OR", "OP_XOR", "OP_MAX", "OP_MIN", "OP_SUM", "OP_PROD",
        "CMP", "CMP_EQ", "CMP_NE", "CMP_GT", "CMP_LE", "CMP_LT", "CMP_GE"]
    missing = [n for n in names if not hasattr(shmem, n)]
    assert not missing
    assert not [n for n in names if n not in shmem.__all__]
    assert isinstance(shmem.Ctx.__dict__["create"], staticmethod)


def test_enum_members_and_aliases():
    members = {
        shmem.THREAD: ("SINGLE", "FUNNELED", "SERIALIZED", "MULTIPLE"),
        shmem.CTX: ("PRIVATE", "SERIALIZED", "NOSTORE"),
        shmem.MALLOC: ("ATOMICS_REMOTE", "SIGNAL_REMOTE"),
        shmem.AMO: ("SET", "INC", "ADD", "AND", "OR", "XOR"),
        shmem.SIGNAL: ("SET", "ADD"),
        shmem.OP: ("AND", "OR", "XOR", "MAX", "MIN", "SUM", "PROD"),
        shmem.CMP: ("EQ", "NE", "GT", "LE", "LT", "GE"),
    }
    bases = {shmem.THREAD: enum.IntEnum, shmem.CTX: enum.IntFlag, shmem.MALLOC: enum.IntFlag,
             shmem.SIGNAL: enum.IntEnum, shmem.CMP: enum.IntEnum}
    for cls, names in members.items():
        assert set(cls.__members__) == set(names), cls
        for name in names:
            assert getattr(shmem, f"{cls.__name__}_{name}") is cls[name]
        if cls in bases:
            assert issubclass(cls, bases[cls])
        else:  # string enums: the value is the lower-case name, str() the value
            assert issubclass(cls, str) and issubclass(cls, enum.Enum)
            for name in names:
                assert cls[name] == name.lower() == str(cls[name]) == f"{cls[name]}"
                assert cls(name.lower()) is cls[name]
    flags = [int(f) for f in shmem.CTX] + [int(f) for f in shmem.MALLOC]
    assert all(f > 0 and f & (f - 1) == 0 for f in flags)  # single bits: OR-able
    assert len({int(m) for m in shmem.CMP}) == 6 and len({int(m) for m in shmem.THREAD}) == 4
    assert shmem.THREAD_SINGLE < shmem.THREAD_FUNNELED < shmem.THREAD_SERIALIZED \
        < shmem.THREAD_MULTIPLE


# ---------------------------------------------------------------------------
# The stubs against the code.

STUB = pathlib.Path(shmem.__file__).with_suffix(".pyi")


def _stub_functions():
    tree = ast.parse(STUB.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = node
        elif isinstance(node, ast.ClassDef):
            out[node.name] = node
            for sub in node.body:
                # Properties (Team.ob_team ...) are attributes, not methods.
                if isinstance(sub, ast.FunctionDef) and not any(
                        getattr(d, "id", None) == "property" for d in sub.decorator_list):
                    out[f"{node.name}.{sub.name}"] = sub
    return out


def test_stubs_match_the_code():
    stubs = _stub_functions()
    checked = 0
    for qualname, node in stubs.items():
        if not isinstance(node, ast.FunctionDef):
            continue
        want = _params_of_ast(node.args)
        if qualname.endswith(".__init__"):  # the constructor, without self
            obj, want = getattr(shmem, qualname.split(".")[0]), want[1:]
        else:
            obj = _runtime(qualname)
        got = list(_signature(obj).parameters.values())
        assert [p.name for p in got] == [n for n, _, _ in want], qualname
        assert [p.kind for p in got] == [_KINDS[k] for _, k, _ in want], qualname
        for p, (name, _, default) in zip(got, want):
            assert (p.default is inspect.Parameter.empty) == (default is None), (qualname, name)
            if isinstance(default, ast.Constant) and default.value is not Ellipsis:
                assert p.default == default.value, (qualname, name)
        checked += 1
    assert checked > 100
    # Every public function, class and method has a stub, and the stub's
    # __all__ is the module's.
    for name in shmem.__all__:
        obj = getattr(shmem, name)
        if inspect.isroutine(obj) or isinstance(obj, type):
            assert name in stubs, f"shmem.pyi lacks {name}"
    for cls in (shmem.Team, shmem.Ctx, shmem.Lock):
        for attr in vars(cls):
            if not attr.startswith("_") and callable(getattr(cls, attr)):
                assert f"{cls.__name__}.{attr}" in stubs, f"shmem.pyi lacks {cls.__name__}.{attr}"
    tree = ast.parse(STUB.read_text())
    stub_all = [n for n in tree.body if isinstance(n, ast.Assign)
                and getattr(n.targets[0], "id", None) == "__all__"]
    assert stub_all and ast.literal_eval(stub_all[0].value) == list(shmem.__all__)


# ---------------------------------------------------------------------------
# What the calls return.

INTS = list("ilqILQ")


def test_atomic_fetches_return_python_numbers():
    for dt in INTS + ["f", "d"]:
        a = shmem.array([ME + 1], dtype=dt)
        v = shmem.atomic_fetch(a, NEXT)
        kind = float if dt in "fd" else int
        assert type(v) is kind and v == NEXT + 1, dt
        assert type(shmem.atomic_swap(a, ME + 2, NEXT)) is kind
        assert type(shmem.atomic_fetch_op(a, ME + 3, "set", NEXT)) is kind
        shmem.barrier_all()
        assert a[0] == PREV + 3
        if dt in INTS:
            for call in (lambda: shmem.atomic_fetch_inc(a, ME),
                         lambda: shmem.atomic_fetch_add(a, 1, ME),
                         lambda: shmem.atomic_fetch_and(a, -1 if dt in "ilq" else 7, ME),
                         lambda: shmem.atomic_fetch_or(a, 0, ME),
                         lambda: shmem.atomic_fetch_xor(a, 0, ME),
                         lambda: shmem.atomic_compare_swap(a, -5 if dt in "ilq" else 99, 0, ME),
                         lambda: shmem.atomic_fetch_op(a, None, shmem.AMO.INC, ME)):
                assert type(call()) is int, dt
        shmem.barrier_all()
        shmem.free(a)
    big = shmem.zeros(1, dtype="Q")
    shmem.atomic_set(big, 2**64 - 1, ME)
    assert shmem.atomic_fetch(big, ME) == 2**64 - 1  # an unsigned Python int, not -1
    assert shmem.atomic_fetch_inc(big, ME) == 2**64 - 1 and big[0] == 0
    shmem.free(big)


def test_waits_and_tests_return_python_values():
    ivars = shmem.array([0, 1, 2, 1], dtype="l")
    assert shmem.test(ivars[1:2], shmem.CMP.EQ, 1) is True
    assert shmem.test(ivars[:1], "==", 1) is False
    assert shmem.test_all(ivars, ">=", 0) is True and shmem.test_all(ivars, "==", 1) is False
    i = shmem.test_any(ivars, "==", 1)
    assert type(i) is int and i in (1, 3)
    assert shmem.test_any(ivars, "==", 7) is None  # not -1, not len(ivars)
    s = shmem.test_some(ivars, "==", 1)
    assert type(s) is list and sorted(s) == [1, 3] and all(type(k) is int for k in s)
    assert shmem.test_some(ivars, "==", 7) == []
    assert shmem.wait_until(ivars[2:3], shmem.CMP_EQ, 2) is None
    assert shmem.wait_until_all(ivars, "<", 3) is None
    assert type(shmem.wait_until_any(ivars, ">", 1)) is int
    assert sorted(shmem.wait_until_some(ivars, "!=", 1)) == [0, 2]
    assert shmem.test_all_vector(ivars, "==", [0, 1, 2, 1]) is True
    assert shmem.test_any_vector(ivars, "==", [9, 9, 2, 9]) == 2
    assert shmem.test_some_vector(ivars, "==", np.array([0, 9, 2, 9])) == [0, 2]
    # status and values with extra entries: the first len(ivars) count
    assert shmem.test_some(ivars, "==", 1, status=[0, 1, 0, 0, 1]) == [3]
    assert shmem.test_all_vector(ivars, "==", [0, 1, 2, 1, 5]) is True
    shmem.free(ivars)


def test_memory_returns():
    mem = shmem.alloc(3, 8)
    assert type(mem) is memoryview and len(mem) == mem.nbytes == 24 and not mem.readonly
    assert bytes(mem) == bytes(24)  # clear=True zeroes it
    a = shmem.fromalloc(mem, dtype="d")
    assert type(a) is np.ndarray and a.shape == (3,) and a.dtype == np.float64
    assert shmem.fromalloc(mem).dtype == np.float64  # dtype None: float
    b = shmem.fromalloc(mem, (3, 1), "i8")
    assert b.shape == (3, 1)
    c = shmem.fromalloc(mem, (2, 3), np.int32, order="F")
    assert c.flags.f_contiguous and c.shape == (2, 3)
    a[:] = [1.5, 2.5, 3.5]
    assert shmem.addr_accessible(a, NEXT) is True and shmem.addr_accessible(mem, ME) is True
    shmem.free(mem)
    empty = shmem.alloc(0)
    assert len(empty) == 0
    shmem.free(empty)
    for make in (lambda: shmem.new_array(4, "i"), lambda: shmem.zeros(4, "i"),
                 lambda: shmem.ones(4, "i"), lambda: shmem.empty(4, "i"),
                 lambda: shmem.full(4, 9, "i"), lambda: shmem.array(np.arange(4), "i")):
        x = make()
        assert type(x) is np.ndarray and x.shape == (4,) and x.dtype == np.int32
        shmem.del_array(x)
    x = shmem.full(2, 42)
    assert x.dtype == np.array(42).dtype  # dtype from the fill value
    shmem.free(x)
    x = shmem.full(2, 2.75, dtype="i")  # cast as numpy.full casts
    y = shmem.full(2, np.array(-1), dtype="B")
    assert x.tolist() == [2, 2] and y.tolist() == [255, 255]
    shmem.free(y)
    shmem.free(x)
    x = shmem.zeros((2, 3), dtype=int, order="F", align=64)
    assert x.flags.f_contiguous and x.__array_interface__["data"][0] % 64 == 0
    shmem.free(x)
    # array() follows numpy.array's dtype, shape and strides, for every order
    for obj in (42, [[1, 2], [3, 4]], [[1, 2], [3, 4], [5.0, 6.0]]):
        for dtype in (None, int, float):
            for order in ("K", "A", "C", "F"):
                want = np.array(obj, dtype, order=order)
                got = shmem.array(obj, dtype, order=order)
                assert (got.dtype, got.shape, got.strides) == (want.dtype, want.shape,
                                                                want.strides)
                assert (got == want).all()
                shmem.free(got)


def test_constructors_end_with_a_barrier():
    # array, ones and full: a peer's values are in place when they return.
    got = np.empty(3, dtype="i")
    for make, expect in ((lambda: shmem.full(3, ME, dtype="i"), NEXT),
                         (lambda: shmem.array([ME] * 3, dtype="i"), NEXT),
                         (lambda: shmem.ones(3, dtype="i"), 1)):
        a = make()
        shmem.get(got, a, NEXT)
        assert (got == expect).all()
        shmem.barrier_all()
        shmem.free(a)


def test_misc_returns():
    major, minor = shmem.info_get_version()
    assert type(major) is int and type(minor) is int
    assert isinstance(shmem.info_get_name(), str)
    assert type(shmem.pe_accessible(NEXT)) is bool
    assert isinstance(shmem.query_thread(), shmem.THREAD)
    sig = shmem.new_signal()
    assert shmem.signal_fetch(sig) == 0 and type(shmem.signal_fetch(sig)) is int
    data = shmem.zeros(2, dtype="i")
    shmem.put_signal(data, np.array([ME, ME], dtype="i"), NEXT, sig, 5, shmem.SIGNAL_ADD)
    v = shmem.signal_wait_until(sig, shmem.CMP.GE, 5)
    assert type(v) is int and v == 5 and (data == PREV).all()
    shmem.barrier_all()
    shmem.del_signal(sig)
    shmem.free(data)
    lock = shmem.new_lock()
    assert shmem.test_lock(lock) in (True, False)  # another PE may hold it
    shmem.barrier_all()
    shmem.del_lock(lock)


# ---------------------------------------------------------------------------
# Team and Ctx handles.


def test_team_handles():
    w = shmem.TEAM_WORLD
    assert (w == 1) is False and (w != 1) is True and (shmem.TEAM_INVALID == 0) is False
    for bad in (1, 0.5, "world", object()):
        with pytest.raises(TypeError, match="Team"):
            shmem.Team(bad)
    alias = shmem.Team(w)
    assert alias == w and alias is not w and alias
    alias.destroy()  # only the alias becomes invalid
    assert not alias and alias == shmem.TEAM_INVALID and w and w.n_pes() == NPES
    with w as same:
        assert same is w
    team = w.split_strided(start=0, stride=1, size=NPES, config={"num_contexts": 1})
    assert team and team != w and team.n_pes() == NPES
    alias = shmem.Team(team)
    ctx = team.create_ctx()
    alias.destroy()  # destroys the team: every handle on it, and its contexts, die
    assert not team and not alias and not ctx and team == shmem.TEAM_INVALID
    team.destroy()  # again: nothing
    with pytest.raises(RuntimeError):
        team.my_pe()
    with pytest.raises(RuntimeError):
        team.sync()
    with w.split_strided(0, 1, NPES) as t:
        assert t
    assert not t
    # The default config and get_config's answer.
    t = w.split_strided()
    assert t.get_config() == {"num_contexts": 0}
    t.destroy()


def test_ctx_handles():
    d = shmem.CTX_DEFAULT
    assert (d == 1) is False and (d != 1) is True and d and not shmem.CTX_INVALID
    assert shmem.Ctx() == shmem.CTX_INVALID and shmem.Ctx(None) == shmem.CTX_INVALID
    for bad in (1, "default", shmem.TEAM_WORLD):
        with pytest.raises(TypeError, match="Ctx"):
            shmem.Ctx(bad)
    alias = shmem.Ctx(d)
    assert alias == d and alias is not d and alias.get_team() == shmem.TEAM_WORLD
    y = shmem.zeros(1, dtype="i")
    shmem.atomic_inc(y, NEXT, ctx=alias)  # the alias works as CTX_DEFAULT does
    shmem.quiet(alias)
    shmem.barrier_all()
    assert y[0] == 1
    shmem.free(y)
    alias.destroy()
    assert not alias and d
    with d as same:  # CTX_DEFAULT survives a with block
        assert same is d
    assert d
    ctx = shmem.Ctx.create(options=shmem.CTX_PRIVATE, team=shmem.TEAM_WORLD)
    alias = shmem.Ctx(ctx)
    assert alias == ctx and ctx != d and ctx.get_team() == shmem.TEAM_WORLD
    x = shmem.zeros(1, dtype="i")
    shmem.atomic_add(x, 1, NEXT, ctx=alias)
    alias.quiet()
    shmem.barrier_all()
    assert x[0] == 1
    alias.destroy()  # the context: both handles are invalid now
    assert not ctx and ctx == shmem.CTX_INVALID
    with pytest.raises(ValueError, match="ctx"):
        shmem.atomic_add(x, 1, NEXT, ctx=ctx)
    with pytest.raises(RuntimeError, match="invalid"):
        ctx.get_team()
    ctx.destroy()
    with shmem.TEAM_WORLD.create_ctx(shmem.CTX.SERIALIZED | shmem.CTX.NOSTORE) as c:
        assert c
    assert not c
    shmem.barrier_all()
    shmem.free(x)


# ---------------------------------------------------------------------------
# Conventions: NumPy integers, keyword arguments, enums as values, errors.


def test_keyword_arguments_by_published_names():
    i32 = np.int32
    t = shmem.zeros(4, dtype="l")
    src = np.arange(4, dtype="l")
    shmem.put(target=t, source=src, pe=NEXT, size=i32(4), ctx=None)
    shmem.quiet(ctx=shmem.CTX_DEFAULT)
    shmem.barrier_all()
    got = np.empty(4, dtype="l")
    shmem.get(target=got, source=t, pe=ME, size=np.uint8(4))
    assert (got == src).all()
    shmem.barrier_all()
    shmem.iput(target=t, source=src, pe=np.int64(NEXT), tst=np.int16(2), sst=np.int8(1),
               size=np.uint32(2), ctx=None)
    shmem.iget(target=got, source=t, pe=ME, tst=1, sst=1, size=4)
    shmem.put_nbi(target=t, source=src, pe=ME, size=None)
    shmem.get_nbi(target=got, source=t, pe=ME)
    shmem.quiet()
    shmem.barrier_all()
    a = shmem.zeros(1, dtype="l")
    fetch = np.zeros(1, dtype="l")
    shmem.atomic_set(target=a, value=1, pe=ME, ctx=None)
    shmem.atomic_add(target=a, value=np.int64(1), pe=np.int16(ME))
    shmem.atomic_inc(target=a, pe=ME)
    assert shmem.atomic_fetch(source=a, pe=ME) == 3
    assert shmem.atomic_compare_swap(target=a, cond=3, value=4, pe=ME) == 3
    assert shmem.atomic_fetch_op(target=a, value=1, op=shmem.AMO.ADD, pe=ME) == 4
    shmem.atomic_op(target=a, value=1, op="add", pe=ME)
    shmem.atomic_fetch_op_nbi(fetch=fetch, target=a, value=0, op="ADD", pe=ME)
    shmem.atomic_fetch_nbi(fetch=fetch, source=a, pe=ME)
    shmem.quiet()
    assert fetch[0] == 6
    ivars = shmem.array([ME, 1], dtype="i")
    assert shmem.test(ivar=ivars[1:], cmp="==", value=1)
    assert shmem.test_some(ivars=ivars, cmp=shmem.CMP.EQ, value=1, status=None) in ([1], [0, 1])
    assert shmem.test_all_vector(ivars=ivars, cmp="==", values=[ME, 1], status=[0, 0])
    sig = shmem.new_signal()
    shmem.put_signal(target=t, source=src, pe=ME, signal=sig, value=1,
                     sigop=shmem.SIGNAL.SET, size=2, ctx=None)
    assert shmem.signal_wait_until(signal=sig, cmp="==", value=1) == 1
    assert shmem.signal_fetch(signal=sig) == 1
    shmem.barrier_all()
    r = shmem.zeros(2, dtype="i")
    shmem.reduce(target=r, source=ivars, op="sum", size=np.int64(2), team=None)
    assert list(r) == [sum(range(NPES)), NPES]
    shmem.sum_reduce(target=r, source=ivars, size=1, team=shmem.TEAM_WORLD)
    shmem.broadcast(target=r, source=ivars, root=np.int8(NPES - 1), size=2, team=None)
    assert list(r) == [NPES - 1, 1]
    all_ = shmem.zeros(2 * NPES, dtype="i")
    shmem.fcollect(target=all_, source=ivars, size=2, team=None)
    shmem.collect(target=all_, source=ivars, size=np.uint16(2))
    mine = shmem.full(2 * NPES, ME, dtype="i")
    shmem.alltoall(target=all_, source=mine, size=2, team=None)
    assert list(all_) == [p for p in range(NPES) for _ in range(2)]
    shmem.sync(team=shmem.TEAM_WORLD)
    team = shmem.TEAM_WORLD.split_strided(start=np.int64(0), stride=np.int32(1),
                                          size=np.uint8(NPES), num_contexts=np.int16(1))
    assert team.translate_pe(pe=np.int64(0), team=shmem.TEAM_WORLD) == 0
    team.destroy()
    mem = shmem.alloc(count=np.int64(2), size=np.int32(8), align=np.uint16(16),
                      hints=shmem.MALLOC_ATOMICS_REMOTE, clear=True)
    arr = shmem.fromalloc(mem=mem, shape=(np.int64(2),), dtype="l", order="C")
    assert arr.shape == (2,)
    shmem.free(mem=mem)
    x = shmem.new_array(shape=(np.int32(2), np.int64(2)), dtype="f", order="C", align=None,
                        hints=None, clear=True)
    shmem.del_array(a=x)
    assert shmem.ptr(target=ivars, pe=ME) is not None
    assert shmem.addr_accessible(addr=ivars, pe=np.int8(ME)) is True
    shmem.pcontrol(level=np.int8(1))
    for arr in (t, a, ivars, r, all_, mine):
        shmem.free(arr)
    shmem.del_signal(signal=sig)


def test_enums_as_values_and_strings():
    x = shmem.array([1], dtype="i")
    for cmp in (shmem.CMP.EQ, int(shmem.CMP.EQ), np.int32(shmem.CMP.EQ), "==", "eq", "EQ", "Eq"):
        assert shmem.test(x, cmp, 1) is True, cmp
    for cmp, ok in (("!=", False), ("ne", False), (">", False), ("gt", False), ("<=", True),
                    ("le", True), ("<", False), ("lt", False), (">=", True), ("GE", True)):
        assert shmem.test(x, cmp, 1) is ok, cmp
    shmem.wait_until(x, shmem.CMP.EQ, 1)
    shmem.wait_until(x, "==", 1)
    for op in (shmem.AMO.ADD, shmem.AMO_ADD, "add", "ADD"):
        shmem.atomic_op(x, 1, op, ME)
    assert x[0] == 5
    for op in (shmem.OP.SUM, "sum", "SUM", shmem.OP_SUM):
        r = shmem.zeros(1, dtype="i")
        shmem.reduce(r, x, op)
        assert r[0] == 5 * NPES
        shmem.free(r)
    sig = shmem.new_signal()
    for sigop in (shmem.SIGNAL.ADD, int(shmem.SIGNAL_ADD), "add", "ADD"):
        shmem.put_signal(x, x, ME, sig, 1, sigop)
    assert shmem.signal_fetch(sig) == 4
    shmem.barrier_all()
    with shmem.Ctx.create(int(shmem.CTX.PRIVATE)) as c:
        assert c
    mem = shmem.alloc(8, hints=int(shmem.MALLOC.SIGNAL_REMOTE))
    shmem.free(mem)
    shmem.del_signal(sig)
    shmem.free(x)


def test_error_kinds():
    a = shmem.zeros(4, dtype="i")
    src = np.zeros(4, dtype="i")
    f32 = shmem.zeros(1, "f")
    text = shmem.zeros(1, "U1")
    sig = shmem.new_signal()
    type_errors = [
        lambda: shmem.put(a, [0, 0], NEXT),                       # not an array
        lambda: shmem.put(a, src.astype("l"), NEXT),              # dtype mismatch
        lambda: shmem.put(a, src, 1.0),                           # float PE
        lambda: shmem.put(a, src, NEXT, size="2"),                # str size
        lambda: shmem.atomic_add(f32, 1, ME),                    # AMO dtype
        lambda: shmem.sum_reduce(text, text),                     # reduction dtype
        lambda: shmem.wait_until(a, None, 0),                     # cmp kind
        lambda: shmem.Team(3), lambda: shmem.Ctx(3),
        lambda: shmem.sync(team=3),
        lambda: shmem.free([1, 2]),
        lambda: shmem.new_array(2.5),
    ]
    for call in type_errors:
        with pytest.raises(TypeError):
            call()
    with pytest.raises(TypeError, match="float32"):  # the message names the dtype
        shmem.atomic_fetch_add(f32, 1, ME)
    value_errors = [
        lambda: shmem.put(a, src, NPES),                          # PE out of range
        lambda: shmem.put(a, src, -1),
        lambda: shmem.put(a, src, NEXT, size=5),                  # size too large
        lambda: shmem.put(a, src, NEXT, size=-1),
        lambda: shmem.iput(a, src, NEXT, tst=0),                  # stride
        lambda: shmem.atomic_op(a, 1, "mul", ME),                 # op
        lambda: shmem.reduce(a, a, "avg"),
        lambda: shmem.test(a, "=", 0),                            # cmp
        lambda: shmem.test(a, 9, 0),
        lambda: shmem.put_signal(a, src, ME, sig, 1, 7),          # sigop
        lambda: shmem.get(np.zeros(4, "i")[::2], a, ME),          # non-contiguous
        lambda: shmem.broadcast(a, a[:2], NPES),                  # root
        lambda: shmem.alloc(-1),
        lambda: shmem.alloc(4, align=3),
        lambda: shmem.free(np.zeros(2)),                          # not symmetric
        lambda: shmem.TEAM_WORLD.split_strided(NPES),
    ]
    ro = np.zeros(4, dtype="i")
    ro.flags.writeable = False
    value_errors.append(lambda: shmem.get(ro, a, ME))             # read-only target
    for call in value_errors:
        with pytest.raises(ValueError):
            call()
    assert issubclass(shmem.ShmemError, RuntimeError)
    assert issubclass(shmem.ShmemValueError, shmem.ShmemError)
    assert issubclass(shmem.ShmemValueError, ValueError)
    shmem.barrier_all()
    b = shmem.zeros(2)
    shmem.free(b)
    with pytest.raises(KeyError):  # freeing twice: KeyError as in shmem4py 1.0 ...
        shmem.free(b)
    with pytest.raises(ValueError, match="freed"):  # ... and a ValueError
        shmem.free(b)
    with pytest.raises(ValueError, match="freed"):  # the freed array in communication
        shmem.put(b, np.zeros(2), ME)
    for x in (a, f32, text):
        shmem.free(x)
    shmem.del_signal(sig)


def test_rc_object():
    rc = shmem4py.rc
    import shmem4py.rc as rc2
    assert rc2 is rc and isinstance(rc, shmem4py.Rc)
    other = shmem4py.Rc(threads=True)  # a separate options object
    assert other.threads is True and other.initialize is True and other is not rc
    assert vars(rc) == {"initialize": rc.initialize, "threads": rc.threads,
                        "thread_level": rc.thread_level, "finalize": rc.finalize}
    with pytest.raises(TypeError):
        rc(ABCXYZ=1)
    with pytest.raises(TypeError):
        setattr(rc, "ABCXYZ", 1)
