/* misuse_coll_ctx.c MODE - context misuse that must end the job with a
 * diagnostic naming the routine. */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

static long x;

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  shmem_init();
  shmem_ctx_t ctx;
  if (!strcmp(mode, "destroy_default")) {
    shmem_ctx_destroy(SHMEM_CTX_DEFAULT);
  } else if (!strcmp(mode, "use_destroyed")) {
    shmem_ctx_create(0, &ctx);
    shmem_ctx_destroy(ctx);
    shmem_ctx_long_p(ctx, &x, 1, 0);
  } else if (!strcmp(mode, "destroy_twice")) {
    shmem_ctx_create(0, &ctx);
    shmem_ctx_destroy(ctx);
    shmem_ctx_destroy(ctx);
  } else if (!strcmp(mode, "team_pe_range")) {
    shmem_team_t t; /* a team of PE 0 alone; PE 1 of it does not exist */
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, 1, NULL, 0, &t);
    if (t != SHMEM_TEAM_INVALID) {
      shmem_team_create_ctx(t, 0, &ctx);
      shmem_ctx_long_atomic_add(ctx, &x, 1, 1);
    }
    shmem_barrier_all();
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  shmem_finalize();
  return 0;
}
