/* misuse_coll_ctx.c MODE - context misuse that must end the job with a
 * diagnostic naming the routine. */
#include <shmem.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static long x;
static uint64_t sig;

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
  } else if (!strcmp(mode, "put_invalid")) {
    /* RMA and AMO on SHMEM_CTX_INVALID are undefined: diagnosed. */
    long v = 1;
    shmem_ctx_long_put(SHMEM_CTX_INVALID, &x, &v, 1, 0);
  } else if (!strcmp(mode, "amo_invalid")) {
    (void)shmem_ctx_long_atomic_fetch_add(SHMEM_CTX_INVALID, &x, 1, 0);
  } else if (!strcmp(mode, "signal_invalid")) {
    long v = 1;
    shmem_ctx_putmem_signal(SHMEM_CTX_INVALID, &x, &v, sizeof v, &sig, 1,
                            SHMEM_SIGNAL_SET, 0);
  } else if (!strcmp(mode, "nonmember_put")) {
    /* PE 1 is not in a team of PE 0 alone: its context is SHMEM_CTX_INVALID. */
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, 1, NULL, 0, &t);
    shmem_team_create_ctx(t, 0, &ctx);
    if (shmem_my_pe() == 1) shmem_ctx_long_p(ctx, &x, 1, 0);
    shmem_barrier_all();
  } else if (!strcmp(mode, "quiet_destroyed")) {
    shmem_ctx_create(0, &ctx);
    shmem_ctx_destroy(ctx);
    shmem_ctx_quiet(ctx); /* unlike SHMEM_CTX_INVALID, not a no-op */
  } else if (!strcmp(mode, "fence_team_destroyed")) {
    /* Destroying a team destroys its shareable contexts. */
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, shmem_n_pes(), NULL, 0, &t);
    shmem_team_create_ctx(t, 0, &ctx);
    shmem_team_destroy(t);
    shmem_ctx_fence(ctx);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  shmem_finalize();
  return 0;
}
