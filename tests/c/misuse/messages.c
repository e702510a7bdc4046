/* messages.c MODE - misuse whose diagnostic carries values (sizes, offsets,
 * PEs, addresses), for tests/test_messages.py, which checks that each
 * message comes out formatted and names the routine, the argument and the
 * PE.  Modes for 2 or more PEs unless said otherwise:
 *   malloc_vs_barrier  PE 0 allocates while the others are in a barrier
 *   free_other_block   PE 0 frees one block, the others another
 *   realloc_vs_malloc  PE 0 reallocates while the others allocate
 *   amo_misaligned     an AMO on a long that is not 8-byte aligned (any PEs)
 *   g_local            shmem_g from a stack variable (any PEs)
 *   lock_misaligned    shmem_set_lock on a misaligned lock (any PEs)
 *   active_set_reach   an active set that reaches past the last PE
 *   nreduce_negative   a to_all reduction with nreduce -1 (any PEs)
 *   thread_level       shmem_init_thread with level 99 (any PEs)
 *   wait_unwaitable    PE 0 waits for a flag nobody sets; the others finalize
 *   barrier_vs_finalize PE 0 is in a barrier; the others finalize
 *   none               no misuse (for an environment that is itself wrong) */
#include <shmem.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>

static long ivar;
static long words[4];
static long psync[SHMEM_REDUCE_SYNC_SIZE];
static long pwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE];
static long src[4], dst[4];

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "thread_level")) {
    int provided;
    (void)shmem_init_thread(99, &provided);
    fprintf(stderr, "misuse not detected\n");
    return 0;
  }
  shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();
  for (int i = 0; i < SHMEM_REDUCE_SYNC_SIZE; ++i) psync[i] = SHMEM_SYNC_VALUE;
  shmem_barrier_all();
  if (!strcmp(mode, "none")) {
    shmem_finalize();
    return 0;
  } else if (!strcmp(mode, "malloc_vs_barrier")) {
    if (me != 0) {
      /* The barrier meets PE 0's allocation: only PE 0 misuses the heap. */
      shmem_barrier_all();
      shmem_finalize();
      return 0;
    }
    (void)shmem_malloc(4096);
  } else if (!strcmp(mode, "free_other_block")) {
    void *a = shmem_malloc(64), *b = shmem_malloc(64);
    shmem_free(me == 0 ? a : b);
  } else if (!strcmp(mode, "realloc_vs_malloc")) {
    void *a = shmem_malloc(64);
    if (me == 0)
      (void)shmem_realloc(a, 128);
    else
      (void)shmem_malloc(100);
  } else if (!strcmp(mode, "amo_misaligned")) {
    long *odd = (long *)((char *)&words[1] + 1);
    shmem_long_atomic_inc(odd, (me + 1) % npes);
  } else if (!strcmp(mode, "g_local")) {
    long on_stack = 0;
    (void)shmem_long_g(&on_stack, (me + 1) % npes);
  } else if (!strcmp(mode, "lock_misaligned")) {
    shmem_set_lock((long *)((char *)&words[1] + 4));
  } else if (!strcmp(mode, "active_set_reach")) {
    shmem_long_sum_to_all(dst, src, 4, 0, 1, npes, pwrk, psync);
  } else if (!strcmp(mode, "nreduce_negative")) {
    shmem_long_sum_to_all(dst, src, -1, 0, 0, npes, pwrk, psync);
  } else if (!strcmp(mode, "wait_unwaitable")) {
    if (me == 0) shmem_long_wait_until(&ivar, SHMEM_CMP_EQ, 1);
    shmem_finalize();
    if (me == 0) fprintf(stderr, "misuse not detected\n");
    return 0;
  } else if (!strcmp(mode, "barrier_vs_finalize")) {
    if (me == 0) shmem_barrier_all();
    shmem_finalize();
    if (me == 0) fprintf(stderr, "misuse not detected\n");
    return 0;
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 0;
  }
  fprintf(stderr, "misuse not detected\n");
  shmem_finalize();
  return 0;
}
