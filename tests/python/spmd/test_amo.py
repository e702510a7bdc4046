"""Atomics: every AMO form on every dtype the spec allows, TypeError on the
others, the generic AMO forms, contexts, and a compare-and-swap race."""
import numpy as np
import pytest
from spmd_util import AMO_BITWISE, AMO_EXTENDED, AMO_STANDARD, DTYPES, ME, NEXT, NPES, PREV

from shmem4py import shmem

FETCH_OPS = ["atomic_fetch_add", "atomic_fetch_and", "atomic_fetch_or", "atomic_fetch_xor"]


def as_value(dt, k):
    return float(k) if np.dtype(dt).kind == "f" else int(k)


@pytest.mark.parametrize("dt", AMO_EXTENDED)
def test_extended_fetch_set_swap(dt):
    t = shmem.zeros(1, dtype=dt)
    shmem.atomic_set(t, as_value(dt, ME + 1), NEXT)
    shmem.barrier_all()
    assert t[0] == PREV + 1
    got = shmem.atomic_fetch(t, NEXT)
    assert got == ME + 1 and type(got) is type(as_value(dt, 1))
    shmem.barrier_all()
    old = shmem.atomic_swap(t, as_value(dt, 40 + ME), NEXT)
    assert old == ME + 1
    shmem.barrier_all()
    assert t[0] == 40 + PREV
    # Non-blocking forms, into a fetch array.
    fetch = np.zeros(1, dtype=dt)
    shmem.atomic_fetch_nbi(fetch, t, NEXT)
    shmem.quiet()
    assert fetch[0] == 40 + ME
    shmem.barrier_all()
    shmem.atomic_swap_nbi(fetch, t, as_value(dt, 7), NEXT)
    shmem.quiet()
    assert fetch[0] == 40 + ME
    shmem.barrier_all()
    assert t[0] == 7
    shmem.barrier_all()
    shmem.free(t)


@pytest.mark.parametrize("dt", AMO_STANDARD)
def test_standard_inc_add_compare_swap(dt):
    t = shmem.zeros(1, dtype=dt)
    shmem.barrier_all()
    shmem.atomic_inc(t, 0)
    shmem.atomic_add(t, 2, 0)
    shmem.barrier_all()
    if ME == 0:
        assert t[0] == 3 * NPES
    shmem.barrier_all()
    old = shmem.atomic_fetch_inc(t, 0)
    assert 3 * NPES <= old < 14 * NPES
    old2 = shmem.atomic_fetch_add(t, 10, 0)
    assert old < old2 < 14 * NPES
    shmem.barrier_all()
    if ME == 0:
        assert t[0] == 14 * NPES
    shmem.barrier_all()
    fetch = np.zeros(1, dtype=dt)
    shmem.atomic_fetch_inc_nbi(fetch, t, 0)
    shmem.atomic_fetch_add_nbi(fetch, t, 1, 0)
    shmem.quiet()
    shmem.barrier_all()
    if ME == 0:
        assert t[0] == 16 * NPES
    shmem.barrier_all()
    # compare_swap on this PE's own word of a neighbour.
    w = shmem.zeros(NPES, dtype=dt)
    assert shmem.atomic_compare_swap(w[ME:ME + 1], 0, ME + 5, NEXT) == 0
    assert shmem.atomic_compare_swap(w[ME:ME + 1], 0, 99, NEXT) == ME + 5  # no swap
    shmem.atomic_compare_swap_nbi(fetch, w[ME:ME + 1], ME + 5, 1, NEXT)
    shmem.quiet()
    assert fetch[0] == ME + 5
    shmem.barrier_all()
    assert w[PREV] == 1
    shmem.barrier_all()
    shmem.free(w)
    shmem.free(t)


@pytest.mark.parametrize("dt", AMO_BITWISE)
def test_bitwise(dt):
    t = shmem.zeros(1, dtype=dt)
    bit = 1 << (ME % 16)
    shmem.atomic_or(t, bit, 0)
    shmem.barrier_all()
    expect = 0
    for pe in range(NPES):
        expect |= 1 << (pe % 16)
    if ME == 0:
        assert t[0] == expect
    shmem.barrier_all()
    old = shmem.atomic_fetch_and(t, ~bit & 0xFFFF, 0)
    assert old & ~0xFFFF == 0
    shmem.barrier_all()
    if ME == 0:
        assert t[0] == 0
    shmem.barrier_all()
    shmem.atomic_xor(t, 0b101, NEXT)
    shmem.barrier_all()
    assert t[0] == 0b101
    assert shmem.atomic_fetch_xor(t, 0b100, ME) == 0b101
    assert shmem.atomic_fetch_or(t, 0b10, ME) == 0b001
    shmem.atomic_and(t, 0b10, ME)
    assert t[0] == 0b10
    fetch = np.zeros(1, dtype=dt)
    shmem.atomic_fetch_and_nbi(fetch, t, 0b11, ME)
    shmem.atomic_fetch_or_nbi(fetch[0:1], t, 0b100, ME)
    shmem.quiet()
    assert fetch[0] == 0b10 and t[0] == 0b110
    shmem.atomic_fetch_xor_nbi(fetch, t, 0b110, ME)
    shmem.quiet()
    assert fetch[0] == 0b110 and t[0] == 0
    shmem.barrier_all()
    shmem.free(t)


@pytest.mark.parametrize("dt", DTYPES)
def test_dtypes_the_spec_does_not_allow_raise_type_error(dt):
    t = shmem.zeros(1, dtype=dt)
    cases = [
        ("atomic_fetch", (t, ME), AMO_EXTENDED),
        ("atomic_set", (t, 1, ME), AMO_EXTENDED),
        ("atomic_swap", (t, 1, ME), AMO_EXTENDED),
        ("atomic_inc", (t, ME), AMO_STANDARD),
        ("atomic_fetch_add", (t, 1, ME), AMO_STANDARD),
        ("atomic_compare_swap", (t, 0, 1, ME), AMO_STANDARD),
        ("atomic_xor", (t, 1, ME), AMO_BITWISE),
        ("atomic_fetch_or", (t, 1, ME), AMO_BITWISE),
    ]
    for name, args, allowed in cases:
        if dt in allowed:
            continue
        with pytest.raises(TypeError, match=f"{name}.*dtype {np.dtype(dt)}"):
            getattr(shmem, name)(*args)
    shmem.free(t)


def test_generic_atomic_op_forms():
    t = shmem.zeros(1, dtype="Q")
    shmem.atomic_op(t, 5, shmem.AMO_SET, ME)
    shmem.atomic_op(t, None, "inc", ME)
    shmem.atomic_op(t, 4, shmem.AMO.ADD, ME)
    assert t[0] == 10
    shmem.atomic_op(target=t, value=0b1100, op="and", pe=ME)
    assert t[0] == 0b1000
    shmem.atomic_op(t, 1, shmem.AMO_OR, ME)
    shmem.atomic_op(t, 0b1000, shmem.AMO_XOR, ME)
    assert t[0] == 1
    assert shmem.atomic_fetch_op(t, 7, shmem.AMO_SET, ME) == 1  # a swap
    assert shmem.atomic_fetch_op(t, 0, "inc", ME) == 7
    assert shmem.atomic_fetch_op(t, 2, "add", ME) == 8
    assert shmem.atomic_fetch_op(t, 3, "and", ME) == 10
    assert shmem.atomic_fetch_op(t, 4, "or", ME) == 2
    assert shmem.atomic_fetch_op(t, 6, "xor", ME) == 6
    assert t[0] == 0
    fetch = np.zeros(1, dtype="Q")
    shmem.atomic_fetch_op_nbi(fetch, t, 9, shmem.AMO_SET, ME)
    shmem.quiet()
    assert fetch[0] == 0 and t[0] == 9
    shmem.atomic_fetch_op_nbi(fetch=fetch, target=t, value=1, op="add", pe=ME, ctx=None)
    shmem.quiet()
    assert fetch[0] == 9 and t[0] == 10
    for op in ("inc", "and", "or", "xor"):
        shmem.atomic_fetch_op_nbi(fetch, t, 1, op, ME)
    shmem.quiet()
    with pytest.raises(ValueError, match="op"):
        shmem.atomic_op(t, 1, "mul", ME)
    with pytest.raises(TypeError, match="op"):
        shmem.atomic_op(t, 1, 3, ME)
    f = shmem.zeros(1, dtype="d")
    with pytest.raises(TypeError, match="float64"):
        shmem.atomic_op(f, 1, "add", ME)
    shmem.atomic_op(f, 2.5, "set", ME)
    assert shmem.atomic_fetch_op(f, 1.5, "set", ME) == 2.5
    shmem.free(f)
    shmem.free(t)


def test_values_are_checked():
    t = shmem.zeros(1, dtype="i")
    u = shmem.zeros(1, dtype="I")
    with pytest.raises(OverflowError, match="value"):
        shmem.atomic_add(t, 2**31, ME)
    with pytest.raises(OverflowError, match="value"):
        shmem.atomic_set(u, -1, ME)
    with pytest.raises(TypeError, match="value"):
        shmem.atomic_add(t, 1.5, ME)
    with pytest.raises(TypeError, match="value"):
        shmem.atomic_set(t, "1", ME)
    with pytest.raises(TypeError, match="cond"):
        shmem.atomic_compare_swap(t, None, 1, ME)
    shmem.atomic_add(t, np.int64(3), np.int32(ME))  # NumPy integers work
    shmem.atomic_add(t, True, ME)
    assert t[0] == 4
    shmem.atomic_set(u, 2**32 - 1, ME)
    assert shmem.atomic_fetch(u, ME) == 2**32 - 1
    shmem.free(u)
    shmem.free(t)


def test_argument_errors():
    t = shmem.zeros(2, dtype="l")
    with pytest.raises(ValueError, match="PE"):
        shmem.atomic_inc(t, NPES)
    with pytest.raises(ValueError, match="not symmetric"):
        shmem.atomic_inc(np.zeros(1, "l"), ME)
    with pytest.raises(ValueError, match="empty"):
        shmem.atomic_inc(t[:0], ME)
    ro = t.view()
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        shmem.atomic_add(ro, 1, ME)
    assert shmem.atomic_fetch(ro, ME) == 0  # fetching reads only
    with pytest.raises(TypeError, match="same dtype"):
        shmem.atomic_fetch_nbi(np.zeros(1, "i"), t, ME)
    ro_fetch = np.zeros(1, "l")
    ro_fetch.flags.writeable = False
    with pytest.raises(ValueError, match="fetch"):
        shmem.atomic_fetch_nbi(ro_fetch, t, ME)
    mis = np.ndarray((1,), "l", buffer=t.view(np.uint8)[1:9].data)
    with pytest.raises(ValueError, match="aligned"):
        shmem.atomic_inc(mis, ME)
    with pytest.raises(TypeError, match="missing"):
        shmem.atomic_add(t, 1)
    with pytest.raises(TypeError, match="unexpected keyword"):
        shmem.atomic_add(t, 1, ME, cond=1)
    ctx = shmem.Ctx.create()
    shmem.atomic_add(t, 1, pe=ME, ctx=ctx)
    assert shmem.atomic_fetch(t, ME, ctx=ctx) == 1
    ctx.destroy()
    with pytest.raises(ValueError, match="ctx"):
        shmem.atomic_add(t, 1, ME, ctx=ctx)
    shmem.free(t)
    with pytest.raises(ValueError, match="freed"):
        shmem.atomic_fetch(t, ME)


def test_compare_swap_race_has_one_winner():
    word = shmem.zeros(1, dtype="i")
    shmem.barrier_all()
    won = shmem.atomic_compare_swap(word, 0, ME + 1, 0) == 0
    wins = shmem.zeros(1, dtype="i")
    if won:
        shmem.atomic_inc(wins, 0)
    shmem.barrier_all()
    winner = shmem.atomic_fetch(word, 0) - 1
    assert 0 <= winner < NPES
    assert won == (winner == ME)
    if ME == 0:
        assert wins[0] == 1
    shmem.barrier_all()
    shmem.free(wins)
    shmem.free(word)
