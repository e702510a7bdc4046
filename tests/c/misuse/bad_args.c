/* bad_args.c MODE - a core routine called with an invalid argument.
 * MODE: cmp (wait_until with an unknown comparison), test_cmp (test_any
 * likewise), align (shmem_align with an alignment that is not a power of
 * two), clear_lock (clearing a lock nobody holds), sig_op (put_signal with
 * an unknown signal operation), amo_stack (an AMO on a stack variable),
 * amo_pe (an AMO on PE -1), g_pe (shmem_g from PE n_pes); and of 1.6:
 * ibput_stride (a block stride of 0), ibget_pe (ibget from PE n_pes),
 * signal_add_stack (signal_add on a stack word), pe_quiet_pe (pe_quiet
 * naming PE n_pes), session_mask (a session config mask of unknown bits),
 * team_after_reinit (a team of the library's first life used in its
 * second). */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

static long ivar;
static long lock;
static uint64_t sig;

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  shmem_init();
  int npes = shmem_n_pes();
  if (!strcmp(mode, "cmp")) {
    shmem_long_wait_until(&ivar, 42, 0);
  } else if (!strcmp(mode, "test_cmp")) {
    (void)shmem_long_test_any(&ivar, 1, NULL, -1, 0);
  } else if (!strcmp(mode, "align")) {
    (void)shmem_align(48, 100);
  } else if (!strcmp(mode, "clear_lock")) {
    shmem_clear_lock(&lock);
  } else if (!strcmp(mode, "sig_op")) {
    long v = 1;
    shmem_long_put_signal(&ivar, &v, 1, &sig, 1, 7, 0);
  } else if (!strcmp(mode, "amo_stack")) {
    long on_stack = 0;
    shmem_long_atomic_inc(&on_stack, 0);
  } else if (!strcmp(mode, "amo_pe")) {
    shmem_long_atomic_inc(&ivar, -1);
  } else if (!strcmp(mode, "g_pe")) {
    (void)shmem_long_g(&ivar, npes);
  } else if (!strcmp(mode, "ibput_stride")) {
    long v[4] = {0};
    shmem_long_ibput(&ivar, v, 0, 1, 1, 2, 0);
  } else if (!strcmp(mode, "ibget_pe")) {
    long v[4] = {0};
    shmem_long_ibget(v, &ivar, 1, 1, 1, 1, npes);
  } else if (!strcmp(mode, "signal_add_stack")) {
    uint64_t on_stack = 0;
    shmem_signal_add(&on_stack, 1, 0);
  } else if (!strcmp(mode, "pe_quiet_pe")) {
    int pes[2] = {0, npes};
    shmem_pe_quiet(pes, 2);
  } else if (!strcmp(mode, "session_mask")) {
    shmem_ctx_session_config_t cfg = {1};
    shmem_ctx_session_start(SHMEM_CTX_DEFAULT, 0, &cfg, 0x10);
  } else if (!strcmp(mode, "team_after_reinit")) {
    shmem_team_t t;
    shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes, NULL, 0, &t);
    shmem_finalize();
    shmem_init();
    (void)shmem_team_n_pes(t);
    shmem_team_sync(t);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 0;
  }
  fprintf(stderr, "misuse not detected\n");
  shmem_finalize();
  return 0;
}
