/* misuse_coll_bounds.c MODE - buffers that are not symmetric, or that
 * nelems makes run past their symmetric region. */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  shmem_init();
  shmem_team_t w = SHMEM_TEAM_WORLD;
  int n = shmem_n_pes();
  /* The last block of the heap: nothing symmetric follows it. */
  long *src = shmem_malloc(16 * sizeof(long));
  long *dst = shmem_malloc(16 * sizeof(long));
  long local[16];
  size_t huge = (size_t)1 << 40;
  if (!strcmp(mode, "fcollect")) {
    shmem_long_fcollect(w, dst, src, huge);
  } else if (!strcmp(mode, "reduce")) {
    shmem_long_sum_reduce(w, dst, src, huge);
  } else if (!strcmp(mode, "alltoall")) {
    shmem_long_alltoall(w, dst, src, huge / (size_t)n);
  } else if (!strcmp(mode, "broadcast_local")) {
    shmem_long_broadcast(w, local, src, 4, 0);
  } else if (!strcmp(mode, "alltoalls_stride")) {
    shmem_long_alltoalls(w, dst, src, 0, 1, 2);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  shmem_finalize();
  return 0;
}
