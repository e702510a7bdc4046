/* Programs that set pSync and use it at once, without a barrier between
 * (as some validation suites do), must not lose a signal when the active
 * set is every PE: such collectives synchronize through the library. */
#include <shmem.h>

#include "check.h"

static long psync[SHMEM_BARRIER_SYNC_SIZE];
static long bsync[SHMEM_BCAST_SYNC_SIZE];
static long value, got;

int main(void) {
  shmem_init();
  int me = check_pe(), npes = shmem_n_pes();
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < SHMEM_BARRIER_SYNC_SIZE; ++i) psync[i] = SHMEM_SYNC_VALUE;
    shmem_barrier(0, 0, npes, psync);
    for (int i = 0; i < SHMEM_BCAST_SYNC_SIZE; ++i) bsync[i] = SHMEM_SYNC_VALUE;
    value = 1000 + round;
    got = -1;
    shmem_broadcast64(&got, &value, 1, round % npes, 0, 0, npes, bsync);
    shmem_barrier(0, 0, npes, psync);
    if (me != round % npes) CHECK(got == 1000 + round, "round %d: got %ld", round, got);
  }
  shmem_finalize();
  return 0;
}
