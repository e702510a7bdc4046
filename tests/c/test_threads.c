/* test_threads.c - SHMEM_THREAD_MULTIPLE: 4 threads per PE, each with its
 * own context, put and add to every PE at once; then each thread splits its
 * own parent team (concurrently with the other threads' splits, so they
 * compete for team slots), runs reductions and syncs on the new team, and
 * destroys it.  Exact checks after a barrier. */
#include <pthread.h>
#include <shmem.h>
#include <string.h>

#include "check.h"

#define NT 4
#define REPS 100
#define MAXPES 64

static int me, npes;
static long counters[NT];
static long slots[MAXPES * NT];
static long red_src[NT][8], red_dst[NT][8];
static shmem_team_t parents[NT];

static void *rma_thread(void *arg) {
  int t = (int)(long)arg;
  shmem_ctx_t ctx;
  CHECK(shmem_ctx_create(SHMEM_CTX_PRIVATE, &ctx) == 0, "thread %d ctx_create", t);
  for (int q = 0; q < npes; ++q) {
    for (int i = 0; i < REPS; ++i) shmem_ctx_long_atomic_add(ctx, &counters[t], 1, q);
    long v = me * 1000 + t;
    shmem_ctx_long_put(ctx, &slots[me * NT + t], &v, 1, q);
  }
  shmem_ctx_quiet(ctx);
  shmem_ctx_destroy(ctx);
  return NULL;
}

static void *team_thread(void *arg) {
  int t = (int)(long)arg;
  for (int rep = 0; rep < 10; ++rep) {
    /* All PEs of the parent, or the even ones on odd repetitions. */
    int stride = rep % 2 ? 2 : 1, size = rep % 2 ? (npes + 1) / 2 : npes;
    shmem_team_t child;
    CHECK(shmem_team_split_strided(parents[t], 0, stride, size, NULL, 0, &child) == 0,
          "thread %d split", t);
    if (child != SHMEM_TEAM_INVALID) {
      for (int i = 0; i < 8; ++i) red_src[t][i] = me * 10 + t + i;
      CHECK(shmem_long_sum_reduce(child, red_dst[t], red_src[t], 8) == 0, "reduce");
      long wsum = 0;
      for (int k = 0; k < size; ++k) wsum += k * stride;
      for (int i = 0; i < 8; ++i)
        CHECK(red_dst[t][i] == wsum * 10 + (long)size * (t + i), "thread %d sum %ld", t,
              red_dst[t][i]);
      shmem_ctx_t ctx;
      CHECK(shmem_team_create_ctx(child, 0, &ctx) == 0, "team ctx");
      shmem_ctx_long_atomic_inc(ctx, &red_src[t][0], 0);
      shmem_ctx_destroy(ctx);
      CHECK(shmem_team_sync(child) == 0, "team_sync");
      shmem_team_destroy(child);
    }
  }
  return NULL;
}

static void run(void *(*fn)(void *)) {
  pthread_t th[NT];
  for (long t = 0; t < NT; ++t) CHECK(pthread_create(&th[t], NULL, fn, (void *)t) == 0, "create");
  for (int t = 0; t < NT; ++t) pthread_join(th[t], NULL);
}

int main(void) {
  int provided = -1;
  CHECK(shmem_init_thread(SHMEM_THREAD_MULTIPLE, &provided) == 0, "init_thread");
  me = check_pe();
  npes = shmem_n_pes();
  CHECK(provided == SHMEM_THREAD_MULTIPLE, "provided %d", provided);
  CHECK(npes <= MAXPES, "too many PEs for this test");

  run(rma_thread);
  shmem_barrier_all();
  for (int t = 0; t < NT; ++t) {
    CHECK(counters[t] == (long)REPS * npes, "counter %d: %ld", t, counters[t]);
    for (int q = 0; q < npes; ++q)
      CHECK(slots[q * NT + t] == q * 1000 + t, "slot %d/%d: %ld", q, t, slots[q * NT + t]);
  }

  for (int t = 0; t < NT; ++t)
    CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes, NULL, 0, &parents[t]) == 0,
          "parent %d", t);
  run(team_thread);
  shmem_barrier_all();
  for (int t = 0; t < NT; ++t) shmem_team_destroy(parents[t]);
  shmem_finalize();
  return 0;
}
