/* misuse_coll_overlap.c MODE - overlapping dest and source where the spec
 * forbids it. */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

static long buf[1024];

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  shmem_init();
  shmem_team_t w = SHMEM_TEAM_WORLD;
  if (!strcmp(mode, "broadcast")) {
    shmem_long_broadcast(w, buf + 1, buf, 4, 0);
  } else if (!strcmp(mode, "collect")) {
    shmem_long_collect(w, buf, buf + 2, 4);
  } else if (!strcmp(mode, "fcollect")) {
    shmem_long_fcollect(w, buf, buf, 4);
  } else if (!strcmp(mode, "alltoall")) {
    shmem_long_alltoall(w, buf + 3, buf, 4);
  } else if (!strcmp(mode, "reduce_partial")) {
    shmem_long_sum_reduce(w, buf + 1, buf, 8);
  } else if (!strcmp(mode, "to_all_partial")) {
    static long pSync[SHMEM_REDUCE_SYNC_SIZE], pWrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE + 8];
    for (int i = 0; i < SHMEM_REDUCE_SYNC_SIZE; ++i) pSync[i] = SHMEM_SYNC_VALUE;
    shmem_barrier_all();
    shmem_long_max_to_all(buf + 2, buf, 8, 0, 0, shmem_n_pes(), pWrk, pSync);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  shmem_finalize();
  return 0;
}
