"""Atomics, waits/tests and reductions inside @njit functions: counts to
exact totals, handshakes, reductions against their closed forms."""
import numpy as np
from numba import njit

from shmem4py import shmem

ME, NPES = shmem.my_pe(), shmem.n_pes()
NEXT, PREV = (ME + 1) % NPES, (ME - 1) % NPES


@njit(cache=True)
def count(counter, rounds):
    # every PE increments PE 0's counter; the fetched values are all distinct
    seen = np.empty(3 * rounds, dtype=counter.dtype)
    for i in range(rounds):
        seen[i] = shmem.atomic_fetch_inc(counter, 0)
        shmem.atomic_inc(counter, 0)
        seen[rounds + i] = shmem.atomic_fetch_add(counter, 2, 0)
        shmem.atomic_add(counter[0:1], 3, 0)
        seen[2 * rounds + i] = shmem.atomic_fetch(counter, 0)
    shmem.barrier_all()
    return seen, shmem.atomic_fetch(counter, 0)


def test_counting():
    for dt in (np.int32, np.int64, np.uint32, np.uint64):
        c = shmem.zeros(2, dtype=dt)
        shmem.barrier_all()
        seen, total = count(c, 50)
        assert total == 50 * 7 * NPES
        assert len(set(seen[:100].tolist())) == 100      # fetch_inc and fetch_add results
        shmem.barrier_all()
        shmem.free(c)


@njit(cache=True)
def bitwise(word, me):
    shmem.atomic_or(word[0:1], 1 << me, 0)
    old = shmem.atomic_fetch_or(word[1:2], 1 << me, 0)
    shmem.atomic_xor(word[2:3], 1 << me, 0)
    shmem.atomic_fetch_xor(word[3:4], 3 << me, 0)
    shmem.atomic_and(word[4:5], ~(1 << me), 0)
    shmem.atomic_fetch_and(word[5:6], ~(1 << me), 0)
    shmem.barrier_all()
    return old


def test_bitwise():
    w = shmem.zeros(6, dtype=np.uint64)
    if ME == 0:
        w[4:] = 0xFF
    shmem.barrier_all()
    old = bitwise(w, ME)
    assert not old & (1 << ME)
    if ME == 0:
        full = (1 << NPES) - 1
        x = 0
        for pe in range(NPES):
            x ^= 3 << pe
        assert w.tolist() == [full, full, full, x, 0xFF & ~full, 0xFF & ~full]
    shmem.barrier_all()
    shmem.free(w)


@njit(cache=True)
def swaps(a, f, me, npes):
    # every PE swaps its number into PE 0; the values seen form a chain
    old = shmem.atomic_swap(a, me + 1, 0)
    shmem.barrier_all()
    # compare_swap from 0 succeeds once: exactly one PE gets 0 back
    won = shmem.atomic_compare_swap(a[1:2], 0, me + 1, 0) == 0
    shmem.atomic_set(f, 2.5 * me, me)
    shmem.barrier_all()
    return old, won, shmem.atomic_fetch(f, me), shmem.atomic_swap(f, 1.0, me)


def test_swap_set_compare_swap():
    a = shmem.zeros(2, dtype=np.int64)
    f = shmem.zeros(1, dtype=np.float64)
    old, won, fetched, swapped = swaps(a, f, ME, NPES)
    assert fetched == 2.5 * ME and swapped == 2.5 * ME and f[0] == 1.0
    olds = np.zeros(NPES, dtype=np.int64)
    wins = shmem.zeros(1, dtype=np.int64)
    mine = shmem.zeros(1, dtype=np.int64)
    mine[0] = old
    shmem.barrier_all()
    for pe in range(NPES):
        olds[pe] = shmem.g(mine, pe)
    shmem.atomic_add(wins, int(won), 0)
    shmem.barrier_all()
    # the old values are 0 and the other PEs' numbers, each once
    final = shmem.g(a, 0)
    assert sorted(olds.tolist() + [final]) == list(range(NPES + 1))
    if ME == 0:
        assert wins[0] == 1 and 1 <= a[1] <= NPES
    shmem.barrier_all()
    for x in (a, f, wins, mine):
        shmem.free(x)


@njit(cache=True)
def handshake(flags, me, nxt, rounds):
    # a token goes round the ring `rounds` times through p + wait_until
    for r in range(1, rounds + 1):
        if me == 0:
            shmem.p(flags, r, nxt)
            shmem.wait_until(flags, shmem.CMP_EQ, r)
        else:
            shmem.wait_until(flags, "==", r)
            shmem.p(flags, r, nxt)
    ok = shmem.test(flags, shmem.CMP.GE, rounds)
    shmem.barrier_all()
    return ok


def test_wait_until_handshake():
    flags = shmem.zeros(1, dtype=np.int32)
    assert handshake(flags, ME, NEXT, 20)
    assert flags[0] == 20
    shmem.barrier_all()
    shmem.free(flags)


@njit(cache=True)
def wait_all_any(ivars, status, me, npes):
    # each PE sets its own slot on every PE; then waits for all / any
    for pe in range(npes):
        shmem.atomic_set(ivars[me:me + 1], me + 1, pe)
    shmem.wait_until_all(ivars, shmem.CMP_NE, 0)
    done = shmem.test_all(ivars, "ne", 0)
    first = shmem.wait_until_any(ivars, shmem.CMP_EQ, me + 1)
    some = shmem.test_any(ivars, shmem.CMP_GT, npes + 5)
    excluded = shmem.test_any(ivars, shmem.CMP_NE, 0, status)
    shmem.barrier_all()
    return done, first, some is None, excluded is None


def test_wait_all_any():
    ivars = shmem.zeros(NPES, dtype=np.int64)
    status = np.ones(NPES, dtype=np.int32)
    done, first, none_gt, none_excluded = wait_all_any(ivars, status, ME, NPES)
    assert done and first == ME and none_gt and none_excluded
    np.testing.assert_array_equal(ivars, np.arange(1, NPES + 1))
    shmem.free(ivars)


@njit(cache=True)
def reductions(t, s):
    shmem.sum_reduce(t[0:1], s[0:1])
    shmem.max_reduce(t[1:2], s[1:2])
    shmem.min_reduce(t[2:3], s[2:3], 1)
    shmem.sum_reduce(t[3:], s[3:])


def test_reductions():
    for dt in (np.int32, np.float64, np.uint8):
        s = shmem.array(np.array([ME + 1, ME, ME + 2, 1, 2, 3], dtype=dt))
        t = shmem.zeros(6, dtype=dt)
        reductions(t, s)
        want = [NPES * (NPES + 1) // 2, NPES - 1, 2, NPES, 2 * NPES, 3 * NPES]
        np.testing.assert_array_equal(t, np.array(want).astype(dt))
        shmem.free(t)
        shmem.free(s)


@njit(cache=True)
def more_reductions(t, s):
    shmem.prod_reduce(t[0:1], s[0:1])
    shmem.and_reduce(t[1:2], s[1:2])
    shmem.or_reduce(t[2:3], s[2:3])
    shmem.xor_reduce(t[3:4], s[3:4])
    shmem.sync_all()


def test_prod_and_bitwise_reductions():
    s = shmem.array(np.array([2, 0xFF & ~(1 << ME), 1 << ME, 1 << ME], dtype=np.int64))
    t = shmem.zeros(4, dtype=np.int64)
    more_reductions(t, s)
    full = (1 << NPES) - 1
    np.testing.assert_array_equal(t, [2 ** NPES, 0xFF & ~full, full, full])
    shmem.free(t)
    shmem.free(s)
