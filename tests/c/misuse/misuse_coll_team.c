/* misuse_coll_team.c MODE - team misuse that must end the job with a
 * diagnostic naming the routine (tests/test_misuse_collectives.py). */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

static long src[8], dst[8 * 64];

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  shmem_init();
  int n = shmem_n_pes();
  if (!strcmp(mode, "invalid")) {
    shmem_long_broadcast(SHMEM_TEAM_INVALID, dst, src, 1, 0);
  } else if (!strcmp(mode, "destroyed")) {
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    shmem_team_destroy(t);
    shmem_team_sync(t);
  } else if (!strcmp(mode, "destroyed_query")) {
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    shmem_team_destroy(t);
    printf("%d\n", shmem_team_n_pes(t));
  } else if (!strcmp(mode, "root")) {
    shmem_long_broadcast(SHMEM_TEAM_WORLD, dst, src, 1, n);
  } else if (!strcmp(mode, "destroy_world")) {
    shmem_team_destroy(SHMEM_TEAM_WORLD);
  } else if (!strcmp(mode, "destroy_twice")) {
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    shmem_team_destroy(t);
    shmem_team_destroy(t);
  } else if (!strcmp(mode, "scan_invalid")) {
    shmem_long_sum_inscan(SHMEM_TEAM_INVALID, dst, src, 1);
  } else if (!strcmp(mode, "scan_destroyed")) {
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    shmem_team_destroy(t);
    shmem_long_sum_exscan(t, dst, src, 1);
  } else if (!strcmp(mode, "scan_overlap")) {
    shmem_long_sum_inscan(SHMEM_TEAM_WORLD, dst + 1, dst, 4);
  } else if (!strcmp(mode, "reduce_invalid")) {
    shmem_team_t t; /* PE 0 is not a member: its handle is INVALID */
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 1, n - 1, NULL, 0, &t);
    shmem_long_sum_reduce(t, dst, src, 1);
  } else if (!strcmp(mode, "sync_invalid")) {
    shmem_team_sync(SHMEM_TEAM_INVALID);
  } else if (!strcmp(mode, "ptr_destroyed")) {
    /* SHMEM_TEAM_INVALID gives NULL; a destroyed team is diagnosed. */
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    shmem_team_destroy(t);
    printf("%p\n", shmem_team_ptr(t, src, 0));
  } else if (!strcmp(mode, "split_destroyed")) {
    shmem_team_t t, u;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, n, NULL, 0, &t);
    shmem_team_destroy(t);
    shmem_team_split_strided(t, 0, 1, 1, NULL, 0, &u);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  shmem_finalize();
  return 0; /* not reached: every mode is an error */
}
