"""shmem4py.api, the low-level API: the C API of shmem.h and shmemx.h as CFFI
objects, used as programs written for the published shmem4py use it, alone
and mixed with the high-level API."""
import pathlib
import re

import numpy as np
import pytest
from spmd_util import ME, NEXT, NPES, PREV, SHARED_PES

from shmem4py import shmem
from shmem4py.api import ffi, lib

ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_same_objects_as_shmem_module():
    import shmem4py.api

    assert shmem.ffi is ffi is shmem4py.api.ffi
    assert shmem.lib is lib is shmem4py.api.lib


def _spec_functions(version):
    """The routines the specification's symbol list names (C functions)."""
    for folder in (ROOT / "tests" / "spec", ROOT.parent / "shared" / "spec"):
        path = folder / f"openshmem-{version}-c-symbols.txt"
        if path.exists():
            break
    else:
        pytest.fail(f"openshmem-{version}-c-symbols.txt not found")
    names = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and re.fullmatch(r"[A-Za-z_]\w*", parts[1]):
            names.append(parts[1])
    return names


def test_every_routine_of_the_spec_is_in_lib():
    names = _spec_functions("1.5")
    assert len(names) > 1500
    missing = [n for n in names if not hasattr(lib, n)]
    assert not missing, f"lib lacks {len(missing)} routines, e.g. {missing[:10]}"
    # Every one is a compiled routine, with the C signature.
    assert ffi.typeof(lib.shmem_int_put).kind == "function"
    assert "shmem_ctx_t" in str(ffi.typeof(lib.shmem_ctx_long_p)) or \
        "shmemi_ctx" in str(ffi.typeof(lib.shmem_ctx_long_p))


def test_constants_and_handles():
    assert lib.SHMEM_MAJOR_VERSION == shmem.MAJOR_VERSION == 1
    assert lib.SHMEM_MINOR_VERSION == shmem.MINOR_VERSION
    assert ffi.string(lib.SHMEM_VENDOR_STRING).decode() == shmem.VENDOR_STRING
    assert lib._SHMEM_MAJOR_VERSION == lib.SHMEM_MAJOR_VERSION
    for name in ("EQ", "NE", "GT", "LE", "LT", "GE"):
        assert getattr(lib, f"SHMEM_CMP_{name}") == getattr(shmem.CMP, name)
    assert lib.SHMEM_THREAD_MULTIPLE == shmem.THREAD_MULTIPLE
    assert lib.SHMEM_CTX_PRIVATE == shmem.CTX_PRIVATE
    assert lib.SHMEM_SIGNAL_ADD == shmem.SIGNAL_ADD
    assert lib.SHMEM_MALLOC_ATOMICS_REMOTE == shmem.MALLOC_ATOMICS_REMOTE
    assert lib.SHMEM_SYNC_VALUE == -1 and lib.SHMEM_BCAST_SYNC_SIZE >= 1
    assert lib.SHMEM_TEAM_INVALID == ffi.NULL and lib.SHMEM_CTX_INVALID == ffi.NULL
    assert lib.SHMEM_TEAM_WORLD != ffi.NULL and lib.SHMEM_CTX_DEFAULT != ffi.NULL
    assert ffi.typeof(lib.SHMEM_TEAM_WORLD) is ffi.typeof("shmem_team_t")
    assert ffi.typeof(lib.SHMEM_CTX_DEFAULT) is ffi.typeof("shmem_ctx_t")
    assert lib.HAVE_SHMEMX_WTIME == 1
    assert lib.shmemx_wtime() > 0


def test_query_routines():
    assert lib.shmem_my_pe() == ME and lib.shmem_n_pes() == NPES
    major, minor = ffi.new("int*"), ffi.new("int*")
    lib.shmem_info_get_version(major, minor)
    assert (major[0], minor[0]) == shmem.info_get_version()
    name = ffi.new("char[]", lib.SHMEM_MAX_NAME_LEN)
    lib.shmem_info_get_name(name)
    assert ffi.string(name).decode() == shmem.info_get_name()
    provided = ffi.new("int*", -1)
    lib.shmem_query_thread(provided)
    assert provided[0] == shmem.query_thread()
    assert lib.shmem_pe_accessible(NEXT) == 1
    assert lib.shmem_pe_accessible(NPES) == 0


def test_malloc_p_g_ring():
    x = ffi.cast("long*", lib.shmem_malloc(4 * ffi.sizeof("long")))
    try:
        for i in range(4):
            x[i] = -1
        lib.shmem_barrier_all()
        lib.shmem_long_p(x, ME, NEXT)
        lib.shmem_long_p(x + 1, 10 * ME, NEXT)
        lib.shmem_barrier_all()
        assert (x[0], x[1], x[2]) == (PREV, 10 * PREV, -1)
        assert lib.shmem_long_g(x, NEXT) == ME
        assert lib.shmem_addr_accessible(x, NEXT) == 1
        p = ffi.cast("long*", lib.shmem_ptr(x, NEXT))
        assert (p != ffi.NULL) == (NEXT in SHARED_PES)
        assert p == ffi.NULL or p[0] == ME
        lib.shmem_barrier_all()
    finally:
        lib.shmem_free(x)


@pytest.mark.parametrize("name,ctype", [
    ("char", "char"), ("schar", "signed char"), ("short", "short"), ("int", "int"),
    ("long", "long"), ("longlong", "long long"), ("ushort", "unsigned short"),
    ("uint", "unsigned int"), ("ulonglong", "unsigned long long"), ("float", "float"),
    ("double", "double"), ("int8", "int8_t"), ("uint16", "uint16_t"),
    ("int32", "int32_t"), ("uint64", "uint64_t"), ("size", "size_t"),
    ("ptrdiff", "ptrdiff_t")])
def test_typed_put_get_families(name, ctype):
    n = 5
    dest = ffi.cast(f"{ctype}*", lib.shmem_calloc(n, ffi.sizeof(ctype)))
    src = ffi.new(f"{ctype}[]", n)
    for i in range(n):
        src[i] = (b"%c" % (65 + ME + i)) if ctype == "char" else (ME * 7 + i) % 100
    getattr(lib, f"shmem_{name}_put")(dest, src, n, NEXT)
    lib.shmem_barrier_all()
    expect = [(b"%c" % (65 + PREV + i)) if ctype == "char" else (PREV * 7 + i) % 100
              for i in range(n)]
    assert [dest[i] for i in range(n)] == expect
    out = ffi.new(f"{ctype}[]", n)
    getattr(lib, f"shmem_{name}_get_nbi")(out, dest, n, PREV)
    lib.shmem_quiet()
    assert list(out) == [(b"%c" % (65 + (PREV - 1) % NPES + i)) if ctype == "char"
                         else ((PREV - 1) % NPES * 7 + i) % 100 for i in range(n)]
    lib.shmem_barrier_all()
    lib.shmem_free(dest)


def test_atomics_and_wait():
    counter = ffi.cast("long*", lib.shmem_calloc(2, ffi.sizeof("long")))
    lib.shmem_barrier_all()
    old = lib.shmem_long_atomic_fetch_add(counter, ME + 1, 0)
    assert old >= 0
    lib.shmem_long_atomic_inc(counter + 1, 0)
    lib.shmem_barrier_all()
    if ME == 0:
        assert counter[0] == NPES * (NPES + 1) // 2 and counter[1] == NPES
    assert lib.shmem_long_atomic_fetch(counter + 1, 0) == NPES
    lib.shmem_barrier_all()
    # A flag set by the previous PE, awaited with wait_until.
    flag = ffi.cast("int*", lib.shmem_calloc(1, ffi.sizeof("int")))
    lib.shmem_barrier_all()
    lib.shmem_int_atomic_set(flag, ME + 1, NEXT)
    lib.shmem_int_wait_until(flag, lib.SHMEM_CMP_EQ, PREV + 1)
    assert flag[0] == PREV + 1
    assert lib.shmem_int_test(flag, lib.SHMEM_CMP_NE, 0) == 1
    assert lib.shmem_int_atomic_compare_swap(flag, PREV + 1, -5, ME) == PREV + 1
    assert flag[0] == -5
    lib.shmem_barrier_all()
    lib.shmem_free(flag)
    lib.shmem_free(counter)


def test_lock_protects_a_counter():
    lock = ffi.cast("long*", lib.shmem_calloc(1, ffi.sizeof("long")))
    total = ffi.cast("int*", lib.shmem_calloc(1, ffi.sizeof("int")))
    lib.shmem_barrier_all()
    for _ in range(10):
        lib.shmem_set_lock(lock)
        v = lib.shmem_int_g(total, 0)
        lib.shmem_int_p(total, v + 1, 0)
        lib.shmem_quiet()
        lib.shmem_clear_lock(lock)
    lib.shmem_barrier_all()
    assert lib.shmem_int_g(total, 0) == 10 * NPES
    lib.shmem_barrier_all()
    lib.shmem_free(total)
    lib.shmem_free(lock)


def test_team_and_context_routines():
    new = ffi.new("shmem_team_t*", lib.SHMEM_TEAM_INVALID)
    conf = ffi.new("shmem_team_config_t*")
    size = (NPES + 1) // 2
    rc = lib.shmem_team_split_strided(lib.SHMEM_TEAM_WORLD, 0, 2, size, conf, 0, new)
    assert rc == 0
    if ME % 2 == 0:
        assert lib.shmem_team_my_pe(new[0]) == ME // 2
        assert lib.shmem_team_n_pes(new[0]) == size
        assert lib.shmem_team_translate_pe(new[0], 0, lib.SHMEM_TEAM_WORLD) == 0
    # Reduction buffers are symmetric: every PE allocates them.
    dest = ffi.cast("int*", lib.shmem_malloc(2 * ffi.sizeof("int")))
    dest[1] = ME
    if ME % 2 == 0:
        assert lib.shmem_team_my_pe(new[0]) == ME // 2
        assert lib.shmem_team_n_pes(new[0]) == size
        assert lib.shmem_team_translate_pe(new[0], 0, lib.SHMEM_TEAM_WORLD) == 0
        assert lib.shmem_int_sum_reduce(new[0], dest, dest + 1, 1) == 0
        assert dest[0] == sum(range(0, NPES, 2))
        lib.shmem_team_destroy(new[0])
    else:
        assert new[0] == lib.SHMEM_TEAM_INVALID
        assert lib.shmem_team_my_pe(new[0]) == -1
    lib.shmem_free(dest)
    ctx = ffi.new("shmem_ctx_t*")
    assert lib.shmem_ctx_create(lib.SHMEM_CTX_PRIVATE, ctx) == 0
    x = ffi.cast("int*", lib.shmem_calloc(1, ffi.sizeof("int")))
    lib.shmem_barrier_all()
    lib.shmem_ctx_int_p(ctx[0], x, ME + 100, NEXT)
    lib.shmem_ctx_quiet(ctx[0])
    lib.shmem_barrier_all()
    assert x[0] == PREV + 100
    team = ffi.new("shmem_team_t*")
    assert lib.shmem_ctx_get_team(ctx[0], team) == 0
    assert team[0] == lib.SHMEM_TEAM_WORLD
    lib.shmem_ctx_destroy(ctx[0])
    lib.shmem_barrier_all()
    lib.shmem_free(x)


def test_collectives_and_signals():
    n = 3
    src = ffi.cast("long*", lib.shmem_malloc(n * ffi.sizeof("long")))
    dest = ffi.cast("long*", lib.shmem_malloc(n * NPES * ffi.sizeof("long")))
    for i in range(n):
        src[i] = ME * 10 + i
    lib.shmem_barrier_all()
    assert lib.shmem_long_fcollect(lib.SHMEM_TEAM_WORLD, dest, src, n) == 0
    assert [dest[i] for i in range(n * NPES)] == [pe * 10 + i for pe in range(NPES)
                                                   for i in range(n)]
    assert lib.shmem_long_broadcast(lib.SHMEM_TEAM_WORLD, dest, src, n, NPES - 1) == 0
    assert [dest[i] for i in range(n)] == [(NPES - 1) * 10 + i for i in range(n)]
    assert lib.shmem_long_max_reduce(lib.SHMEM_TEAM_WORLD, dest, src, n) == 0
    assert [dest[i] for i in range(n)] == [(NPES - 1) * 10 + i for i in range(n)]
    sig = ffi.cast("uint64_t*", lib.shmem_calloc(1, ffi.sizeof("uint64_t")))
    lib.shmem_barrier_all()
    lib.shmem_long_put_signal(dest, src, n, sig, 1, lib.SHMEM_SIGNAL_ADD, NEXT)
    assert lib.shmem_signal_wait_until(sig, lib.SHMEM_CMP_EQ, 1) == 1
    assert [dest[i] for i in range(n)] == [PREV * 10 + i for i in range(n)]
    assert lib.shmem_signal_fetch(sig) == 1
    lib.shmem_barrier_all()
    for p in (sig, dest, src):
        lib.shmem_free(p)


def test_mixed_with_high_level_api():
    # A symmetric NumPy array through ffi.from_buffer into the C routines.
    a = shmem.zeros(4, dtype="i8")
    buf = ffi.from_buffer("int64_t[]", a)
    src = ffi.new("int64_t[]", [ME, ME + 1, ME + 2, ME + 3])
    lib.shmem_int64_put(buf, src, 4, NEXT)
    lib.shmem_barrier_all()
    np.testing.assert_array_equal(a, np.arange(4) + PREV)
    # ... and the other way round: memory from lib.shmem_malloc as an array.
    raw = lib.shmem_calloc(4, 8)
    b = np.frombuffer(ffi.buffer(raw, 32), dtype="i8")
    shmem.put(b, np.arange(4, dtype="i8") * ME, NEXT)
    shmem.barrier_all()
    np.testing.assert_array_equal(b, np.arange(4) * PREV)
    # ... and so it is to addr_accessible and ptr, as to put.
    assert shmem.addr_accessible(b, NEXT)
    if NEXT in SHARED_PES:
        np.testing.assert_array_equal(shmem.ptr(b, NEXT), np.arange(4) * ME)
    else:
        assert shmem.ptr(b, NEXT) is None
    assert not shmem.addr_accessible(np.zeros(4), NEXT) and shmem.ptr(np.zeros(4), NEXT) is None
    shmem.barrier_all()
    shmem.barrier_all()
    lib.shmem_free(raw)
    shmem.free(a)


def test_team_and_ctx_handles_interoperate():
    assert shmem.TEAM_WORLD.ob_team == lib.SHMEM_TEAM_WORLD
    assert shmem.Team(lib.SHMEM_TEAM_WORLD) == shmem.TEAM_WORLD
    assert shmem.CTX_DEFAULT.ob_ctx == lib.SHMEM_CTX_DEFAULT
    assert shmem.TEAM_INVALID.ob_team == lib.SHMEM_TEAM_INVALID
    with shmem.TEAM_WORLD.split_strided(0, 1, NPES) as team:
        assert lib.shmem_team_n_pes(team.ob_team) == NPES
        assert lib.shmem_team_my_pe(team.ob_team) == ME
        with team.create_ctx() as ctx:
            x = shmem.zeros(1, dtype="i")
            lib.shmem_ctx_int_p(ctx.ob_ctx, ffi.from_buffer("int*", x), ME + 7, NEXT)
            lib.shmem_ctx_quiet(ctx.ob_ctx)
            shmem.barrier_all()
            assert x[0] == PREV + 7
            shmem.free(x)
    with pytest.raises(TypeError):
        shmem.Team(ffi.new("int*"))


def test_getbuffer_gives_cdata_size_and_type_name():
    a = shmem.zeros((2, 3), dtype="q")
    cdata, size, name = shmem._getbuffer(a)
    assert isinstance(cdata, ffi.CData) and size == 6 and name == "longlong"
    assert ffi.typeof(cdata) is ffi.typeof("long long[]")
    # The pointer reaches the C routines: a put through it lands in the array.
    src = ffi.new("longlong[]", [ME + i for i in range(6)])
    lib.shmem_longlong_put(cdata, src, 6, NEXT)
    lib.shmem_barrier_all()
    np.testing.assert_array_equal(a.ravel(), np.arange(6) + PREV)
    f = np.asfortranarray(a)
    assert shmem._getbuffer(f)[0] == shmem._getbuffer(f.T)[0]
    ro = np.zeros(2)
    ro.flags.writeable = False
    assert shmem._getbuffer(ro, readonly=True)[2] == "double"
    with pytest.raises(ValueError):
        shmem._getbuffer(ro)
    with pytest.raises(ValueError):
        shmem._getbuffer(np.zeros((4, 4))[:, ::2])
    for bad in (None, 1, 1.0, [1, 2]):
        with pytest.raises(TypeError):
            shmem._getbuffer(bad)
    shmem.barrier_all()
    shmem.free(a)


def test_from_lib_import_star_has_constants_and_handles():
    names = {}
    exec("from shmem4py.api.lib import *", names)
    assert ffi.string(names["SHMEM_VENDOR_STRING"]).decode() == shmem.VENDOR_STRING
    assert names["SHMEM_TEAM_WORLD"] == shmem.TEAM_WORLD.ob_team
    assert names["SHMEM_CTX_DEFAULT"] == shmem.CTX_DEFAULT.ob_ctx
    assert names["SHMEM_TEAM_SHARED"] != ffi.NULL
    assert names["shmem_my_pe"]() == ME
    assert ffi.sizeof("longlong") == 8 and ffi.sizeof("schar") == 1
    assert ffi.sizeof("complexd") == 16 and ffi.sizeof("uint16") == 2
