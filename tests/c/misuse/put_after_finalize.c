/* put_after_finalize.c MODE - an OpenSHMEM call after shmem_finalize.
 * MODE: put (shmem_long_put to a global), heap (shmem_long_p into the
 * symmetric heap), amo (shmem_long_atomic_inc), barrier (shmem_barrier_all),
 * malloc (shmem_malloc). */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

static long dest[4];

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "put";
  shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();
  long *heap = shmem_malloc(4 * sizeof(long));
  shmem_finalize();
  long v[4] = {1, 2, 3, 4};
  if (!strcmp(mode, "put")) {
    shmem_long_put(dest, v, 4, (me + 1) % npes);
  } else if (!strcmp(mode, "heap")) {
    shmem_long_p(heap, 5, (me + 1) % npes);
  } else if (!strcmp(mode, "amo")) {
    shmem_long_atomic_inc(&dest[0], 0);
  } else if (!strcmp(mode, "barrier")) {
    shmem_barrier_all();
  } else if (!strcmp(mode, "malloc")) {
    (void)shmem_malloc(64);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 0;
  }
  fprintf(stderr, "misuse not detected\n");
  return 0;
}
