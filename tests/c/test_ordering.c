/* test_ordering.c - the memory-ordering guarantees programs rely on:
 *  - put ... shmem_fence ... p(flag): the data is there once the flag is;
 *  - put to PE B ... shmem_quiet ... p(flag) to PE C: C, seeing the flag,
 *    reads the data from B (quiet orders puts to different PEs);
 *  - put_signal (SET and ADD, blocking and nbi): the data is there once the
 *    signal is;
 *  - wait_until on a counter that every PE updates with remote AMOs;
 *  - atomic_set by one PE, atomic_fetch by another: values only grow;
 *  - a lock protecting non-atomic gets and puts of a shared record on PE 0
 *    (acquire/release: no update is lost), also through shmem_test_lock. */
#include <shmem.h>
#include <string.h>

#include "check.h"

#define BIG 8192 /* longs: a put of 64 KiB */
#define ROUNDS 40

static int me, npes;
static long data[BIG];
static long flag, counter, atom;
static uint64_t sig;
static long record[2][8]; /* record[k] is protected by lock[k] */
static long lock[2];

static void fence_then_flag(void) {
  int right = (me + 1) % npes, left = (me + npes - 1) % npes;
  long *src = malloc(sizeof(long) * BIG);
  CHECK(src != NULL, "malloc");
  for (int r = 1; r <= ROUNDS; ++r) {
    size_t n = (size_t)(r % 4 == 0 ? BIG : r * 37);
    for (size_t i = 0; i < n; ++i) src[i] = (long)r * 100000 + (long)i + me;
    shmem_long_put(data, src, n, right);
    shmem_fence();
    shmem_long_p(&flag, r, right);
    shmem_long_wait_until(&flag, SHMEM_CMP_EQ, r);
    for (size_t i = 0; i < n; ++i)
      CHECK(data[i] == (long)r * 100000 + (long)i + left, "fence round %d: data[%zu] = %ld", r,
            i, data[i]);
    shmem_barrier_all(); /* data is free for the next round */
  }
  free(src);
}

/* PE 0 puts to PE 1, quiets, then raises PE 2's flag; PE 2 then reads the
 * data from PE 1.  Every PE takes each role in turn. */
static void quiet_then_flag_elsewhere(void) {
  if (npes < 3) return;
  for (int r = 1; r <= ROUNDS; ++r) {
    int writer = r % npes, holder = (writer + 1) % npes, reader = (writer + 2) % npes;
    if (me == writer) {
      static long src[BIG];
      for (int i = 0; i < BIG; ++i) src[i] = (long)r * 7 + i;
      shmem_long_put(data, src, BIG, holder);
      shmem_quiet();
      shmem_long_p(&flag, -r, reader);
    } else if (me == reader) {
      shmem_long_wait_until(&flag, SHMEM_CMP_EQ, -r);
      static long got[BIG];
      shmem_long_get(got, data, BIG, holder);
      for (int i = 0; i < BIG; ++i)
        CHECK(got[i] == (long)r * 7 + i, "quiet round %d: element %d is %ld", r, i, got[i]);
    }
    shmem_barrier_all();
  }
}

static void put_signal(void) {
  int right = (me + 1) % npes, left = (me + npes - 1) % npes;
  static long src[BIG];
  for (int r = 1; r <= ROUNDS; ++r) {
    size_t n = (size_t)(r % 3 == 0 ? BIG : r * 11);
    for (size_t i = 0; i < n; ++i) src[i] = (long)r * 1000 + (long)i * 3 + me;
    if (r % 2)
      shmem_long_put_signal(data, src, n, &sig, (uint64_t)r, SHMEM_SIGNAL_SET, right);
    else
      shmem_long_put_signal_nbi(data, src, n, &sig, 1, SHMEM_SIGNAL_ADD, right);
    uint64_t got = shmem_signal_wait_until(&sig, SHMEM_CMP_EQ, (uint64_t)r);
    CHECK(got == (uint64_t)r, "signal %llu", (unsigned long long)got);
    for (size_t i = 0; i < n; ++i)
      CHECK(data[i] == (long)r * 1000 + (long)i * 3 + left, "put_signal round %d: element %zu",
            r, i);
    shmem_quiet();
    shmem_barrier_all();
  }
  /* Every PE adds a block and one to PE 0's signal. */
  shmem_barrier_all();
  if (me == 0) sig = 0;
  shmem_barrier_all();
  long block[16];
  for (int i = 0; i < 16; ++i) block[i] = me * 16 + i + 1;
  shmem_long_put_signal(&data[me * 16], block, 16, &sig, 1, SHMEM_SIGNAL_ADD, 0);
  if (me == 0) {
    shmem_signal_wait_until(&sig, SHMEM_CMP_GE, (uint64_t)npes);
    for (int i = 0; i < npes * 16; ++i) CHECK(data[i] == i + 1, "gathered element %d", i);
    CHECK(shmem_signal_fetch(&sig) == (uint64_t)npes, "signal count");
  }
  shmem_barrier_all();
}

static void amo_counter(void) {
  if (me == 0) counter = 0;
  shmem_barrier_all();
  for (int r = 0; r < ROUNDS; ++r) {
    for (int pe = 0; pe < npes; ++pe) shmem_long_atomic_add(&counter, 1, pe);
    /* Every PE adds one to every PE's counter per round. */
    shmem_long_wait_until(&counter, SHMEM_CMP_GE, (long)(r + 1) * npes);
  }
  shmem_barrier_all();
  CHECK(counter == (long)ROUNDS * npes, "counter %ld", counter);
  shmem_barrier_all();
}

static void set_fetch(void) {
  int right = (me + 1) % npes;
  atom = 0;
  shmem_barrier_all();
  long last = 0;
  for (long k = 1; k <= 2000; ++k) {
    shmem_long_atomic_set(&atom, k, right); /* my right neighbour's word */
    long v = shmem_long_atomic_fetch(&atom, me); /* my own, set by the left */
    CHECK(v >= last, "atomic_fetch went back from %ld to %ld", last, v);
    last = v;
  }
  shmem_barrier_all();
  CHECK(atom == 2000, "last atomic_set not seen: %ld", atom);
  shmem_barrier_all();
}

/* The records on PE 0 are read, changed and written back with plain gets
 * and puts, each under its own lock (taken by set_lock, or by test_lock in
 * a loop). */
static void locked_updates(void) {
  if (me == 0) memset(record, 0, sizeof record);
  shmem_barrier_all();
  for (int r = 0; r < ROUNDS; ++r) {
    int k = r % 2;
    if (r % 3 == 0)
      while (shmem_test_lock(&lock[k])) {
      }
    else
      shmem_set_lock(&lock[k]);
    long tmp[8];
    shmem_long_get(tmp, record[k], 8, 0);
    for (int i = 0; i < 8; ++i) tmp[i] += i + 1;
    shmem_long_put(record[k], tmp, 8, 0);
    long x = shmem_long_g(&record[k][7], 0); /* our own put is visible to us */
    CHECK(x == tmp[7], "g after put under the lock: %ld, expected %ld", x, tmp[7]);
    shmem_clear_lock(&lock[k]);
  }
  shmem_barrier_all();
  if (me == 0)
    for (int k = 0; k < 2; ++k)
      for (int i = 0; i < 8; ++i)
        CHECK(record[k][i] == (long)(ROUNDS / 2) * npes * (i + 1),
              "record[%d][%d] = %ld: updates lost", k, i, record[k][i]);
  shmem_barrier_all();
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  fence_then_flag();
  quiet_then_flag_elsewhere();
  put_signal();
  amo_counter();
  set_fetch();
  locked_updates();
  shmem_finalize();
  return 0;
}
