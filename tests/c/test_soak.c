/* test_soak.c - a bounded soak: RMA, AMOs, signals and collectives mixed in
 * every iteration, every result checked, for SHMEM_SOAK_SECONDS seconds
 * (default 1: the quick run of tests/test_c_programs.py; tests/test_soak.py
 * runs it longer at 4 PEs on the 2 cores).  PE 0 decides when to stop and
 * broadcasts it, so every PE runs the same number of iterations. */
#include <shmem.h>
#include <shmemx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXLEN 1024
#define MAXPES 64

static long ring[MAXLEN];           /* a global: symmetric data too */
static long counter;
static uint64_t sig;
static int failures;

static void check(int ok, const char *what, long iter, long got, long want) {
  if (!ok && failures++ < 10)
    fprintf(stderr, "PE %d: iteration %ld: %s: got %ld, want %ld\n", shmem_my_pe(), iter,
            what, got, want);
}

static long value(int pe, long iter, int k) { return (long)pe * 1000003L + iter * 31L + k; }

int main(void) {
  shmem_init();
  const int me = shmem_my_pe(), npes = shmem_n_pes();
  const int next = (me + 1) % npes, prev = (me + npes - 1) % npes;
  const char *env = getenv("SHMEM_SOAK_SECONDS");
  const double seconds = env ? atof(env) : 1.0;
  long *heap = shmem_malloc(MAXLEN * sizeof(long));
  long *red_src = shmem_malloc(4 * sizeof(long));
  long *red_dst = shmem_malloc(4 * sizeof(long));
  long *coll = shmem_malloc((size_t)MAXPES * 4 * sizeof(long));
  int *go = shmem_malloc(sizeof(int));
  long src[MAXLEN], got[MAXLEN];
  if (!heap || !red_src || !red_dst || !coll || !go || npes > MAXPES) {
    fprintf(stderr, "PE %d: soak: allocation failed\n", me);
    return 1;
  }
  const double start = shmemx_wtime();
  long iter = 0;
  for (;; ++iter) {
    /* Stop together: PE 0's clock decides. */
    *go = me == 0 ? (shmemx_wtime() - start < seconds && iter < 1000000) : 0;
    shmem_int_broadcast(SHMEM_TEAM_WORLD, go, go, 1, 0);
    if (!*go) break;
    const int len = 1 + (int)((iter * 7919) % MAXLEN);

    /* Ring put into a global and into the heap, blocking and nbi. */
    for (int k = 0; k < len; ++k) src[k] = value(me, iter, k);
    shmem_long_put(ring, src, (size_t)len, next);
    shmem_long_put_nbi(heap, src, (size_t)len, next);
    shmem_quiet();
    shmem_barrier_all();
    for (int k = 0; k < len; k += 1 + len / 8) {
      check(ring[k] == value(prev, iter, k), "put into a global", iter, ring[k],
            value(prev, iter, k));
      check(heap[k] == value(prev, iter, k), "put_nbi into the heap", iter, heap[k],
            value(prev, iter, k));
    }
    /* Get back from a peer that is not the neighbour. */
    const int far = (me + 2) % npes, farprev = (far + npes - 1) % npes;
    shmem_long_get_nbi(got, heap, (size_t)len, far);
    shmem_quiet();
    check(got[len - 1] == value(farprev, iter, len - 1), "get_nbi", iter, got[len - 1],
          value(farprev, iter, len - 1));

    /* AMOs: everyone adds to one PE's counter; fetch_add returns distinct
     * values, their final sum is known. */
    const int owner = (int)(iter % npes);
    shmem_long_atomic_fetch_add(&counter, me + 1, owner);
    shmem_long_atomic_inc(&counter, owner);
    shmem_barrier_all();
    if (me == owner) {
      const long want = (long)npes * (npes + 1) / 2 + npes;
      check(counter == want, "atomic counter", iter, counter, want);
      counter = 0;
    }

    /* Signal: put with a signal add to the next PE, wait for it here. */
    shmem_long_put_signal(heap + MAXLEN - 1, &src[0], 1, &sig, 1, SHMEM_SIGNAL_ADD, next);
    shmem_signal_wait_until(&sig, SHMEM_CMP_GE, (uint64_t)iter + 1);
    check(sig == (uint64_t)iter + 1, "signal count", iter, (long)sig, iter + 1);

    /* Collectives: reduce, fcollect, on the world team. */
    for (int k = 0; k < 4; ++k) red_src[k] = me + iter + k;
    shmem_long_sum_reduce(SHMEM_TEAM_WORLD, red_dst, red_src, 4);
    for (int k = 0; k < 4; ++k) {
      const long want = (long)npes * (npes - 1) / 2 + (long)npes * (iter + k);
      check(red_dst[k] == want, "sum_reduce", iter, red_dst[k], want);
    }
    shmem_long_fcollect(SHMEM_TEAM_WORLD, coll, red_src, 4);
    for (int pe = 0; pe < npes; ++pe)
      check(coll[pe * 4 + 1] == pe + iter + 1, "fcollect", iter, coll[pe * 4 + 1],
            pe + iter + 1);
    shmem_barrier_all();
    if (failures) break;
  }
  shmem_free(go);
  shmem_free(coll);
  shmem_free(red_dst);
  shmem_free(red_src);
  shmem_free(heap);
  if (me == 0 && getenv("SHMEM_SOAK_REPORT"))
    printf("soak: %ld iterations in %.1f s on %d PEs\n", iter, shmemx_wtime() - start, npes);
  shmem_finalize();
  return failures ? 1 : 0;
}
