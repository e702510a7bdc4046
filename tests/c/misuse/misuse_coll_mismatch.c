/* misuse_coll_mismatch.c MODE - PEs that enter different collectives
 * (tests/test_misuse_collectives.py).  PE 0 makes one call, every other PE
 * another; the job must end at once with a diagnostic naming both calls
 * and both PEs.  The calls return only if the mismatch goes unnoticed: the
 * program then says so and exits 0, which fails the test.
 *
 * broadcast_root and reduce_size make the same call with different
 * arguments (PE_root, nelems): the mpi transport's collectives, which
 * agree on each call's root and size, diagnose them
 * (tests/test_mpi_transport.py); the core's algorithms do not check. */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

static int isrc[4], idst[4 * 64];
static long lsrc[4], ldst[4 * 64];
static long psync[SHMEM_SYNC_SIZE];
static long pwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE];

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  for (int i = 0; i < SHMEM_SYNC_SIZE; ++i) psync[i] = SHMEM_SYNC_VALUE;
  shmem_init();
  const int me = shmem_my_pe(), n = shmem_n_pes();
  const int first = me == 0;
  /* A few matching calls first: the check must follow the sequence. */
  shmem_barrier_all();
  shmem_int_sum_reduce(SHMEM_TEAM_WORLD, idst, isrc, 1);
  if (!strcmp(mode, "reduce_barrier")) {
    if (first)
      shmem_int_sum_reduce(SHMEM_TEAM_WORLD, idst, isrc, 4);
    else
      shmem_barrier_all();
  } else if (!strcmp(mode, "broadcast_fcollect_team")) {
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    shmem_team_sync(t);
    if (first)
      shmem_long_broadcast(t, ldst, lsrc, 1, 0);
    else
      shmem_long_fcollect(t, ldst, lsrc, 1);
  } else if (!strcmp(mode, "alltoall_collect_shared")) {
    if (first)
      shmem_long_alltoall(SHMEM_TEAM_SHARED, ldst, lsrc, 1);
    else
      shmem_long_collect(SHMEM_TEAM_SHARED, ldst, lsrc, 1);
  } else if (!strcmp(mode, "split_barrier")) {
    shmem_team_t t;
    if (first)
      shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    else
      shmem_barrier_all();
  } else if (!strcmp(mode, "destroy_sync")) {
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    if (first) {
      shmem_team_destroy(t);
      shmem_barrier_all(); /* held here until the job ends */
    } else {
      shmem_team_sync(t);
    }
  } else if (!strcmp(mode, "broadcast_root")) {
    shmem_long_broadcast(SHMEM_TEAM_WORLD, ldst, lsrc, 1, first ? 0 : 1);
  } else if (!strcmp(mode, "reduce_size")) {
    shmem_int_sum_reduce(SHMEM_TEAM_WORLD, idst, isrc, first ? 4 : 3);
  } else if (!strcmp(mode, "malloc_sync")) {
    if (first)
      shmem_malloc(64);
    else
      shmem_sync_all();
  } else if (!strcmp(mode, "active_set")) {
    /* The active set of PEs 0 .. n-2 (every PE when n is 2): the last PE
     * waits in shmem_finalize meanwhile. */
    int size = n > 2 ? n - 1 : n;
    if (me < size) {
      shmem_barrier(0, 0, size, psync);
      if (first)
        shmem_broadcast64(ldst, lsrc, 1, 0, 0, 0, size, psync);
      else
        shmem_long_sum_to_all(ldst, lsrc, 1, 0, 0, size, pwrk, psync);
    }
    if (me >= size) {
      shmem_finalize();
      return 0;
    }
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  fprintf(stderr, "PE %d: mismatch not detected\n", me);
  return 0;
}
