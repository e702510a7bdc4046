/* bad_args.c MODE - a core routine called with an invalid argument.
 * MODE: cmp (wait_until with an unknown comparison), test_cmp (test_any
 * likewise), align (shmem_align with an alignment that is not a power of
 * two), clear_lock (clearing a lock nobody holds), sig_op (put_signal with
 * an unknown signal operation), amo_stack (an AMO on a stack variable),
 * amo_pe (an AMO on PE -1), g_pe (shmem_g from PE n_pes). */
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
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 0;
  }
  fprintf(stderr, "misuse not detected\n");
  shmem_finalize();
  return 0;
}
