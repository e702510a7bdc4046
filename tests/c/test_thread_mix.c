/* test_thread_mix.c - SHMEM_THREAD_MULTIPLE with every thread of every PE
 * doing RMA, AMOs, point-to-point waits and locks at the same time:
 *  - a ring per thread index: thread t puts a block to thread t of the
 *    right PE, fences, raises that thread's flag, and waits for its own
 *    flag from the left PE (wait_until on a per-thread word);
 *  - put_signal with SHMEM_SIGNAL_ADD into a per-thread signal;
 *  - fetch-and-add on one counter of PE 0 from every thread of every PE;
 *  - a lock on PE 0 taken by every thread of every PE (threads of one PE
 *    compete as well), protecting plain get/put updates of a record.
 * Exact checks after the threads join. */
#include <pthread.h>
#include <shmem.h>
#include <string.h>

#include "check.h"

#define NT 3
#define ROUNDS 30
#define BLK 64

static int me, npes;
static long ring[NT][BLK];
static long ring_flag[NT];
static long sig_data[NT][BLK];
static uint64_t sig[NT];
static long counter;
static long record[4];
static long lock;

static void *worker(void *arg) {
  const int t = (int)(long)arg;
  const int right = (me + 1) % npes, left = (me + npes - 1) % npes;
  shmem_ctx_t ctx;
  CHECK(shmem_ctx_create(SHMEM_CTX_PRIVATE, &ctx) == 0, "thread %d: ctx_create", t);
  long blk[BLK];
  long seen_max = -1;
  for (int r = 1; r <= ROUNDS; ++r) {
    /* ring: data, fence, flag */
    for (int i = 0; i < BLK; ++i) blk[i] = (long)me * 1000000 + t * 10000 + r * 100 + i;
    shmem_ctx_long_put(ctx, ring[t], blk, BLK, right);
    shmem_ctx_fence(ctx);
    shmem_ctx_long_atomic_set(ctx, &ring_flag[t], r, right);
    shmem_long_wait_until(&ring_flag[t], SHMEM_CMP_GE, r);
    /* The block of round r, or of a later round: the left PE may already
     * have gone on (each element is from some round >= r). */
    for (int i = 0; i < BLK; ++i) {
      long d = ring[t][i] - ((long)left * 1000000 + t * 10000 + i);
      CHECK(d % 100 == 0 && d / 100 >= r && d / 100 <= ROUNDS,
            "thread %d round %d: ring element %d = %ld", t, r, i, ring[t][i]);
    }

    /* signal: every round adds one after its block */
    shmem_ctx_long_put_signal(ctx, sig_data[t], blk, BLK, &sig[t], 1, SHMEM_SIGNAL_ADD, right);
    shmem_signal_wait_until(&sig[t], SHMEM_CMP_GE, (uint64_t)r);

    /* AMO: a ticket from PE 0's counter; tickets only grow for one thread */
    long tk = shmem_ctx_long_atomic_fetch_add(ctx, &counter, 1, 0);
    CHECK(tk > seen_max, "thread %d: ticket %ld after %ld", t, tk, seen_max);
    seen_max = tk;

    /* lock: plain get/put of PE 0's record */
    shmem_set_lock(&lock);
    long rec[4];
    shmem_long_get(rec, record, 4, 0);
    for (int i = 0; i < 4; ++i) rec[i] += i + 1;
    shmem_long_put(record, rec, 4, 0);
    shmem_quiet();
    shmem_clear_lock(&lock);
  }
  shmem_ctx_quiet(ctx);
  shmem_ctx_destroy(ctx);
  return NULL;
}

int main(void) {
  int provided = -1;
  CHECK(shmem_init_thread(SHMEM_THREAD_MULTIPLE, &provided) == 0, "init_thread");
  me = check_pe();
  npes = shmem_n_pes();
  CHECK(provided == SHMEM_THREAD_MULTIPLE, "provided %d", provided);
  int q = -1;
  shmem_query_thread(&q);
  CHECK(q == SHMEM_THREAD_MULTIPLE, "query_thread %d", q);

  pthread_t th[NT];
  for (long t = 0; t < NT; ++t)
    CHECK(pthread_create(&th[t], NULL, worker, (void *)t) == 0, "pthread_create");
  for (int t = 0; t < NT; ++t) pthread_join(th[t], NULL);
  shmem_barrier_all();

  int left = (me + npes - 1) % npes;
  for (int t = 0; t < NT; ++t) {
    CHECK(ring_flag[t] == ROUNDS, "thread %d: flag %ld", t, ring_flag[t]);
    CHECK(sig[t] == ROUNDS, "thread %d: signal %llu", t, (unsigned long long)sig[t]);
    for (int i = 0; i < BLK; ++i)
      CHECK(ring[t][i] == (long)left * 1000000 + t * 10000 + ROUNDS * 100 + i &&
                sig_data[t][i] == ring[t][i],
            "thread %d: last block element %d", t, i);
  }
  if (me == 0) {
    CHECK(counter == (long)npes * NT * ROUNDS, "counter %ld", counter);
    for (int i = 0; i < 4; ++i)
      CHECK(record[i] == (long)npes * NT * ROUNDS * (i + 1), "record[%d] = %ld: lost updates",
            i, record[i]);
  }
  shmem_finalize();
  return 0;
}
