/* misuse_coll_psync.c MODE - active-set misuse: pSync not initialized,
 * the calling PE outside the set, a set past the last PE, a local pSync. */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

static long pSync[SHMEM_SYNC_SIZE];
static long a[16], b[16 * 64];

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  shmem_init();
  int n = shmem_n_pes();
  if (!strcmp(mode, "uninit")) {
    /* Garbage (0, static storage never set, is accepted as at rest). */
    for (int i = 0; i < SHMEM_SYNC_SIZE; ++i) pSync[i] = 12345;
    shmem_barrier_all();
    shmem_barrier(0, 0, n, pSync);
  } else {
    for (int i = 0; i < SHMEM_SYNC_SIZE; ++i) pSync[i] = SHMEM_SYNC_VALUE;
    shmem_barrier_all();
    if (!strcmp(mode, "uninit_after_use")) {
      shmem_sync(0, 0, n, pSync);
      pSync[0] = 7; /* clobbered by the program */
      shmem_fcollect64(b, a, 1, 0, 0, n, pSync);
    } else if (!strcmp(mode, "not_member")) {
      /* Every PE calls a collective on the set {PE 1}. */
      shmem_broadcast64(b, a, 1, 0, 1, 0, 1, pSync);
    } else if (!strcmp(mode, "past_end")) {
      shmem_collect32(b, a, 1, 0, 1, n, pSync);
    } else if (!strcmp(mode, "local")) {
      long mine[SHMEM_SYNC_SIZE];
      for (int i = 0; i < SHMEM_SYNC_SIZE; ++i) mine[i] = SHMEM_SYNC_VALUE;
      shmem_sync(0, 0, n, mine);
    } else if (!strcmp(mode, "root")) {
      shmem_broadcast32(b, a, 1, n, 0, 0, n, pSync);
    } else {
      fprintf(stderr, "unknown mode %s\n", mode);
      return 2;
    }
  }
  shmem_finalize();
  return 0;
}
