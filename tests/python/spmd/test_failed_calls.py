"""A failed call leaves nothing behind: a constructor or a collective that
raises does so on every PE alike, before any collective step, so no
symmetric block leaks and no PE is left waiting; afterwards collective
allocations, collectives and barriers work."""
import numpy as np
import pytest
from spmd_util import ME, NEXT, NPES

from shmem4py import shmem


def next_block(nbytes=64):
    """Where the next block of `nbytes` lands.  The heap is first fit, so a
    block of at most that size leaked by a failed call would take this
    place: the answer would change."""
    mem = shmem.alloc(nbytes)
    addr = np.frombuffer(mem, np.uint8).ctypes.data
    shmem.free(mem)
    return addr


def raised_everywhere():
    """The number of PEs that got here, through a fresh collective
    allocation and a reduction."""
    one = shmem.array([1], dtype="i")
    total = shmem.zeros(1, dtype="i")
    shmem.sum_reduce(total, one)
    n = int(total[0])
    shmem.free(total)
    shmem.free(one)
    return n


# Every bad call allocates (or would allocate) at most 64 bytes, so that a
# leak would show in next_block().
BAD_CONSTRUCTORS = {
    "fill value: a string for an int": (
        lambda: shmem.full(2, "abc", dtype="i"), ValueError, r"full\(\): argument 'fill_value'"),
    "fill value: an object": (
        lambda: shmem.full(2, object(), dtype="i"), TypeError, r"full\(\): argument 'fill_value'"),
    "fill value: too large for uint64": (
        lambda: shmem.full(2, 2**70, dtype="u8"), OverflowError,
        r"full\(\): argument 'fill_value'"),
    "fill value: does not broadcast": (
        lambda: shmem.full((2,), [1, 2, 3]), ValueError, r"full\(\): argument 'fill_value'"),
    "fill value: ragged": (
        lambda: shmem.full(2, [[1], [1, 2]]), ValueError, r"full\(\): argument 'fill_value'"),
    "dtype: unknown": (
        lambda: shmem.full(2, 1, dtype="nope"), TypeError, r"full\(\): argument 'dtype'"),
    "dtype: objects": (
        lambda: shmem.zeros(2, dtype=object), TypeError, r"zeros\(\): dtype object"),
    "dtype: not a dtype": (
        lambda: shmem.empty(2, dtype=3.5), TypeError, r"empty\(\): argument 'dtype'"),
    "dtype of array(): objects": (
        lambda: shmem.array([1, None]), TypeError, r"array\(\): dtype object"),
    "shape: negative": (
        lambda: shmem.empty((2, -1)), ValueError, r"empty\(\): argument 'shape'"),
    "shape: a float": (
        lambda: shmem.ones((2, 2.5)), TypeError, r"ones\(\): argument 'shape'"),
    "shape: a string": (
        lambda: shmem.new_array("ab"), TypeError, r"new_array\(\): argument 'shape'"),
    "shape: too many dimensions": (
        lambda: shmem.zeros((1,) * 65), ValueError, r"zeros\(\): argument 'shape'"),
    "order: unknown": (
        lambda: shmem.zeros(3, order="X"), ValueError, r"zeros\(\): argument 'order'"),
    "order of full()": (
        lambda: shmem.full(3, 1.0, order="Q"), ValueError, r"full\(\): argument 'order'"),
    "order of array()": (
        lambda: shmem.array([1, 2], order="Q"), ValueError, r"array\(\): argument 'order'"),
    "obj of array(): ragged": (
        lambda: shmem.array([[1], [1, 2]]), ValueError, r"array\(\): argument 'obj'"),
    "obj of array(): not of the dtype": (
        lambda: shmem.array([1, "a"], dtype="i"), ValueError, r"array\(\): argument 'obj'"),
    "align": (
        lambda: shmem.zeros(2, align=6), ValueError, r"zeros\(\): argument 'align'"),
    "hints": (
        lambda: shmem.full(2, 1, hints="x"), TypeError, r"full\(\): argument 'hints'"),
    "clear": (
        lambda: shmem.new_array(2, clear=np.ones(2)), TypeError, r"new_array\(\): argument 'clear'"),
    "alloc: count": (
        lambda: shmem.alloc(2.5), TypeError, r"alloc\(\): argument 'count'"),
    "alloc: align": (
        lambda: shmem.alloc(8, align=3), ValueError, r"alloc\(\): argument 'align'"),
    "alloc: too large": (
        lambda: shmem.alloc(1 << 62, 8), ValueError, r"alloc\(\).*too large"),
}


@pytest.mark.parametrize("name", sorted(BAD_CONSTRUCTORS))
def test_failed_constructor_leaves_nothing(name):
    call, kind, match = BAD_CONSTRUCTORS[name]
    before = next_block()
    with pytest.raises(kind, match=match):
        call()
    assert next_block() == before, "the failed call left a symmetric block behind"
    assert raised_everywhere() == NPES
    # The heap and the collectives are in step: a constructor and a barrier work.
    a = shmem.full(4, ME, dtype="i")
    shmem.barrier_all()
    assert shmem.g(a, NEXT) == NEXT
    shmem.barrier_all()
    shmem.free(a)
    assert next_block() == before


def test_the_leak_check_sees_a_leak():
    # next_block() does notice a block left behind (what a failed call that
    # allocated before raising would do).
    before = next_block()
    kept = shmem.alloc(40)
    assert next_block() != before
    shmem.free(kept)
    assert next_block() == before


@pytest.fixture
def arrays():
    src = shmem.array(np.arange(2 * NPES + 1, dtype="i") + 10 * ME)
    dst = shmem.zeros(2 * NPES + 1, dtype="i")
    other = shmem.zeros(2 * NPES + 1, dtype="d")
    yield src, dst, other
    shmem.barrier_all()
    for x in (src, dst, other):
        shmem.free(x)


def bad_collectives(src, dst, other):
    calls = {
        "broadcast: root": (lambda: shmem.broadcast(dst, src, NPES), ValueError,
                            r"broadcast\(\): root"),
        "broadcast: dtypes": (lambda: shmem.broadcast(other, src, 0), TypeError,
                              r"broadcast\(\): arguments 'target'.*same dtype"),
        "collect: dtypes": (lambda: shmem.collect(other, src), TypeError,
                            r"collect\(\): arguments 'target'.*same dtype"),
        "collect: target too small": (lambda: shmem.collect(dst[:0], src, 1), ValueError,
                                      r"collect\(\): argument 'target'"),
        "collect: not symmetric": (lambda: shmem.collect(np.zeros(NPES, "i"), src, 1),
                                   ValueError, r"collect\(\): argument 'target' is not symmetric"),
        "fcollect: target too small": (lambda: shmem.fcollect(dst[:2], src), ValueError,
                                       r"fcollect\(\): size"),
        "alltoall: size": (lambda: shmem.alltoall(dst, src, 4), ValueError,
                           r"alltoall\(\): size"),
        "alltoalls: stride": (lambda: shmem.alltoalls(dst, src, tst=0), ValueError,
                              r"alltoalls\(\): argument 'tst'"),
        "reduce: op": (lambda: shmem.reduce(dst, src, "avg"), ValueError,
                       r"reduce\(\): argument 'op'"),
        "reduce: dtypes": (lambda: shmem.sum_reduce(other, src), TypeError,
                           r"sum_reduce\(\): arguments 'target'.*same dtype"),
        "reduce: team": (lambda: shmem.max_reduce(dst, src, team=shmem.TEAM_INVALID),
                         ValueError, r"max_reduce\(\): argument 'team'"),
        "reduce: overlap": (lambda: shmem.sum_reduce(dst[1:], dst[:-1]), ValueError,
                            r"sum_reduce\(\): arguments 'target' and 'source' overlap"),
    }
    if NPES > 1:
        calls["alltoall: default size"] = (lambda: shmem.alltoall(dst, src), ValueError,
                                           r"alltoall\(\).*divide evenly")
        calls["alltoalls: default size"] = (lambda: shmem.alltoalls(dst, src), ValueError,
                                            r"alltoalls\(\).*divide evenly")
    return calls


def test_failed_collectives_leave_every_pe_in_step(arrays):
    src, dst, other = arrays
    for name, (call, kind, match) in sorted(bad_collectives(src, dst, other).items()):
        before = next_block()
        with pytest.raises(kind, match=match):
            call()
        assert next_block() == before, name
        assert raised_everywhere() == NPES, name
        # The same collective with good arguments works right after.
        dst[:] = -1
        shmem.barrier_all()
        shmem.broadcast(dst, src, NPES - 1, size=2)
        assert dst[:2].tolist() == [10 * (NPES - 1), 10 * (NPES - 1) + 1], name
        shmem.barrier_all()
        shmem.alltoall(dst, src, 2)
        assert dst[:2 * NPES].tolist() == [10 * pe + 2 * ME + k for pe in range(NPES)
                                           for k in (0, 1)], name
        shmem.barrier_all()
