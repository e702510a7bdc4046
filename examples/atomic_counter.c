/* atomic_counter.c - all PEs increment one counter on PE 0 with atomics;
 * a global variable is symmetric, so it can be the target.
 *   shmemcc atomic_counter.c -o atomic_counter && shmemrun -n 4 ./atomic_counter */
#include <shmem.h>
#include <stdio.h>

#define ROUNDS 10000

long counter; /* global: a symmetric object on every PE */

int main(void) {
  shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();
  long ticket = -1;
  for (int i = 0; i < ROUNDS; ++i) ticket = shmem_long_atomic_fetch_inc(&counter, 0);
  shmem_barrier_all();
  if (me == 0) {
    long expect = (long)ROUNDS * npes;
    printf("counter = %ld (expected %ld): %s\n", counter, expect,
           counter == expect ? "ok" : "WRONG");
    shmem_finalize();
    return counter == expect ? 0 : 1;
  }
  (void)ticket;
  shmem_finalize();
  return 0;
}
