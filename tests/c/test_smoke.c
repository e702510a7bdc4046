/* Smoke test: init, heap, a ring of puts, an atomic counter, a barrier,
 * and RMA/AMOs on global and static variables. */
#include <shmem.h>

#include "check.h"

long global_counter;            /* bss */
int global_array[16] = {1, 2};  /* data */
static double static_value;

int main(void) {
  shmem_init();
  int me = check_pe(), n = shmem_n_pes();
  long *ring = shmem_malloc(4 * sizeof(long));
  CHECK(ring != NULL, "malloc failed");
  long v = 100 + me;
  shmem_long_put(ring, &v, 1, (me + 1) % n);
  shmem_barrier_all();
  CHECK(ring[0] == 100 + (me + n - 1) % n, "ring got %ld", ring[0]);

  for (int i = 0; i < 1000; ++i) shmem_long_atomic_inc(&global_counter, 0);
  shmem_barrier_all();
  if (me == 0) CHECK(global_counter == 1000L * n, "counter %ld", global_counter);

  global_array[2] = me;
  shmem_barrier_all();
  int got = shmem_int_g(&global_array[2], (me + 1) % n);
  CHECK(got == (me + 1) % n, "global g got %d", got);
  static_value = 0;
  shmem_barrier_all();
  shmem_double_atomic_set(&static_value, 1.5 * me, (me + 1) % n);
  shmem_barrier_all();
  CHECK(static_value == 1.5 * ((me + n - 1) % n), "static got %f", static_value);
  shmem_free(ring);
  shmem_finalize();
  return 0;
}
