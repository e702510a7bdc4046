/* put_out_of_range.c - a put to PE n_pes, one past the last PE. */
#include <shmem.h>
#include <stdio.h>

static long dest[4];

int main(void) {
  shmem_init();
  long v[4] = {1, 2, 3, 4};
  shmem_long_put(dest, v, 4, shmem_n_pes());
  fprintf(stderr, "misuse not detected\n");
  shmem_finalize();
  return 0;
}
