/* test_lock.c - distributed locks: set_lock/clear_lock give mutual exclusion,
 * test_lock takes a free lock (0) and reports a held one (1), and separate
 * lock words are separate locks.  Locks are symmetric longs that start at 0:
 * globals (bss) and shmem_calloc'd words are both used. */
#include <shmem.h>

#include "check.h"

#define ITERS 500 /* lock-protected increments per PE */
#define NLOCKS 4

static int me, npes;
long lock_global;              /* bss: starts at 0 */
static long counter_global;    /* bss: the protected counter, on PE 0 */

/* A non-atomic read-modify-write of PE `pe`'s *ctr: only a lock makes the
 * total exact. */
static void unsafe_increment(long *ctr, int pe) {
  long v;
  shmem_long_get(&v, ctr, 1, pe);
  v += 1;
  shmem_long_put(ctr, &v, 1, pe);
  shmem_quiet();
}

static void test_mutual_exclusion(void) {
  for (int i = 0; i < ITERS; ++i) {
    shmem_set_lock(&lock_global);
    unsafe_increment(&counter_global, 0);
    shmem_clear_lock(&lock_global);
  }
  shmem_barrier_all();
  long total = shmem_long_g(&counter_global, 0);
  CHECK(total == (long)ITERS * npes, "%d PEs x %d locked increments gave %ld", npes, ITERS,
        total);
  shmem_barrier_all();
}

/* Acquiring by spinning on test_lock is also exclusive. */
static void test_spin_on_test_lock(long *lock, long *ctr) {
  if (me == 0) *ctr = 0;
  shmem_barrier_all();
  for (int i = 0; i < ITERS / 5; ++i) {
    while (shmem_test_lock(lock) != 0) {
    }
    unsafe_increment(ctr, npes - 1);
    shmem_clear_lock(lock);
  }
  shmem_barrier_all();
  long total = shmem_long_g(ctr, npes - 1);
  CHECK(total == (long)(ITERS / 5) * npes, "test_lock spin: total %ld, expected %ld", total,
        (long)(ITERS / 5) * npes);
  shmem_barrier_all();
}

/* test_lock: 0 when it acquires the lock, 1 while another PE holds it. */
static void test_test_lock(long *lock) {
  if (me == 0) {
    CHECK(shmem_test_lock(lock) == 0, "test_lock of a free lock did not acquire it");
  }
  shmem_barrier_all(); /* PE 0 holds the lock */
  if (me != 0) {
    CHECK(shmem_test_lock(lock) == 1, "test_lock of a lock PE 0 holds returned 0");
    CHECK(shmem_test_lock(lock) == 1, "second test_lock of a held lock returned 0");
  }
  shmem_barrier_all();
  if (me == 0) shmem_clear_lock(lock);
  shmem_barrier_all(); /* free again: each PE in turn takes it with test_lock */
  for (int p = 0; p < npes; ++p) {
    if (me == p) {
      CHECK(shmem_test_lock(lock) == 0, "test_lock of a free lock (turn of PE %d) failed", p);
    }
    shmem_barrier_all();
    if (me != p) {
      CHECK(shmem_test_lock(lock) == 1, "test_lock while PE %d holds the lock returned 0",
            p);
    }
    shmem_barrier_all();
    if (me == p) shmem_clear_lock(lock);
    shmem_barrier_all();
  }
  /* set_lock then test_lock from the others */
  if (me == npes - 1) shmem_set_lock(lock);
  shmem_barrier_all();
  if (me != npes - 1) {
    CHECK(shmem_test_lock(lock) == 1, "test_lock while PE %d holds it (set_lock) returned 0",
          npes - 1);
  }
  shmem_barrier_all();
  if (me == npes - 1) shmem_clear_lock(lock);
  shmem_barrier_all();
}

/* Independent locks: PE 0 holds lock 0 while every PE takes and releases
 * the others (a wrong implementation would deadlock here), and each lock
 * protects its own counter, on PE j % npes, under contention. */
static void test_independent_locks(long *locks, long *ctrs) {
  if (me == 0) shmem_set_lock(&locks[0]);
  shmem_barrier_all();
  for (int j = 1; j < NLOCKS; ++j) {
    shmem_set_lock(&locks[j]);
    shmem_clear_lock(&locks[j]);
    if (me != 0)
      CHECK(shmem_test_lock(&locks[0]) == 1, "lock 0 looks free while PE 0 holds it");
  }
  shmem_barrier_all();
  if (me == 0) shmem_clear_lock(&locks[0]);
  shmem_barrier_all();

  for (int i = 0; i < ITERS / 5; ++i) {
    for (int j = 0; j < NLOCKS; ++j) {
      int k = (j + me) % NLOCKS; /* PEs take the locks in different orders */
      shmem_set_lock(&locks[k]);
      unsafe_increment(&ctrs[k], k % npes);
      shmem_clear_lock(&locks[k]);
    }
  }
  /* nested: hold two locks at once, always in the same order */
  for (int i = 0; i < ITERS / 10; ++i) {
    shmem_set_lock(&locks[1]);
    shmem_set_lock(&locks[2]);
    unsafe_increment(&ctrs[1], 1 % npes);
    unsafe_increment(&ctrs[2], 2 % npes);
    shmem_clear_lock(&locks[2]);
    shmem_clear_lock(&locks[1]);
  }
  shmem_barrier_all();
  for (int k = 0; k < NLOCKS; ++k) {
    long want = (long)(ITERS / 5) * npes + ((k == 1 || k == 2) ? (long)(ITERS / 10) * npes : 0);
    long got = shmem_long_g(&ctrs[k], k % npes);
    CHECK(got == want, "counter of lock %d: %ld, expected %ld", k, got, want);
  }
  shmem_barrier_all();
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  long *heap_locks = shmem_calloc(NLOCKS, sizeof(long));
  long *ctrs = shmem_calloc(NLOCKS + 1, sizeof(long));
  CHECK(heap_locks && ctrs, "shmem_calloc failed");

  test_mutual_exclusion();
  test_spin_on_test_lock(&heap_locks[0], &ctrs[NLOCKS]);
  test_test_lock(&lock_global);
  test_test_lock(&heap_locks[1]);
  test_independent_locks(heap_locks, ctrs);
  /* every lock is free at the end: test_lock takes each one */
  if (me == 0) {
    for (int k = 0; k < NLOCKS; ++k) {
      CHECK(shmem_test_lock(&heap_locks[k]) == 0, "lock %d is not free at the end", k);
      shmem_clear_lock(&heap_locks[k]);
    }
  }
  shmem_barrier_all();

  shmem_free(ctrs);
  shmem_free(heap_locks);
  shmem_finalize();
  return 0;
}
