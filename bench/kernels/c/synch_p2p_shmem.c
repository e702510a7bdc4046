/* synch_p2p (OpenSHMEM): the PRK's pipelined wavefront.  On an m x n grid
 * with A(i,0) = i and A(0,j) = j, every other point is
 * A(i,j) = A(i-1,j) + A(i,j-1) - A(i-1,j-1); the m columns are split in
 * blocks over the PEs and the rows j = 1 .. n-1 sweep through them, so
 * that each PE waits, row by row, for its left neighbour's last value.
 * After each sweep the top right corner, negated, goes back to A(0,0),
 * which chains the iterations; A(m-1,n-1) ends at (iterations+1)(m+n-2).
 *
 *   synch_p2p_shmem <iterations> <m> <n>
 *
 * A value travels by put, then (after a fence) an atomic set of the row's
 * flag to the iteration number, which the receiver awaits with
 * wait_until.  A row's receive slot is not written again before it was
 * read: the next sweep cannot start before the corner came back, which
 * needs every PE to be done with the current one. */
#include "prk_shmem.h"

int main(int argc, char **argv) {
  prk_shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();

  struct prk_args args;
  prk_args_init(&args, "synch_p2p", argc, argv, me);
  prk_args_count(&args, 3, 3, "<iterations> <m> <n>");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  long m = prk_long_arg(&args, 2, "m", 2, 1L << 30, 2);
  long n = prk_long_arg(&args, 3, "n", 2, 1L << 30, 2);
  if (!args.error && m <= npes)
    prk_usage_error(&args, "the first grid dimension m = %ld must exceed the PE count %d", m, npes);
  if (args.error) return prk_shmem_finish(PRK_EXIT_USAGE);

  if (me == 0) {
    prk_banner("OpenSHMEM pipeline execution on 2D grid");
    printf("Number of PEs              = %d\n", npes);
    printf("Grid sizes                 = %ld, %ld\n", m, n);
    printf("Synchronization            = put + fence + atomic_set + wait_until\n");
    printf("Number of iterations       = %ld\n", iterations);
  }

  /* Columns [start, start + seg) are this PE's, stored with one ghost
   * column on the left: a(i, j) is the global column start + i, i >= -1. */
  long start = prk_block_start(m, npes, me), seg = prk_block_size(m, npes, me);
  long ld = seg + 1;
  double *grid = calloc((size_t)(ld * n), sizeof(double));
  if (prk_sum_double(grid ? 0.0 : 1.0) > 0) {
    if (me == 0) fprintf(stderr, "synch_p2p: cannot allocate the grid (%ld x %ld)\n", m, n);
    return prk_shmem_finish(PRK_EXIT_USAGE);
  }
#define A(i, j) grid[(i) + 1 + (j) * ld]
  for (long i = -1; i < seg; ++i) A(i, 0) = (double)(start + i);
  if (me == 0)
    for (long j = 0; j < n; ++j) A(0, j) = (double)j;
  /* The boundary column belongs to PE 0 and is never recomputed. */
  long first = me == 0 ? 1 : 0;

  double *inbox = prk_shmem_malloc((size_t)n * sizeof(double), "synch_p2p", "the receive slots");
  long *flag = prk_shmem_malloc((size_t)n * sizeof(long), "synch_p2p", "the row flags");
  for (long j = 0; j < n; ++j) flag[j] = 0;
  shmem_barrier_all();

  int left = me - 1, right = me + 1 < npes ? me + 1 : -1, last = npes - 1;
  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      shmem_barrier_all();
      t0 = prk_wtime();
    }
    long stamp = iter + 1;
    for (long j = 1; j < n; ++j) {
      if (left >= 0) {
        shmem_long_wait_until(&flag[j], SHMEM_CMP_GE, stamp);
        A(-1, j) = inbox[j];
      }
      for (long i = first; i < seg; ++i) A(i, j) = A(i - 1, j) + A(i, j - 1) - A(i - 1, j - 1);
      if (right >= 0) {
        shmem_double_p(&inbox[j], A(seg - 1, j), right);
        shmem_fence();
        shmem_long_atomic_set(&flag[j], stamp, right);
      }
    }
    /* The corner closes the loop: from the last PE back to PE 0. */
    if (npes == 1) {
      A(0, 0) = -A(seg - 1, n - 1);
    } else {
      if (me == last) {
        shmem_double_p(&inbox[0], -A(seg - 1, n - 1), 0);
        shmem_fence();
        shmem_long_atomic_set(&flag[0], stamp, 0);
      }
      if (me == 0) {
        shmem_long_wait_until(&flag[0], SHMEM_CMP_GE, stamp);
        A(0, 0) = inbox[0];
      }
    }
  }
  double elapsed = prk_max_double(prk_wtime() - t0);

  /* The corner lives on the last PE; a sum brings it to PE 0. */
  double corner = prk_sum_double(me == last ? A(seg - 1, n - 1) : 0.0);
  double expected = (double)(iterations + 1) * (double)(m + n - 2);
  int valid = fabs(corner - expected) / expected < 1e-8;

  if (me == 0) {
    if (!valid)
      printf("ERROR: checksum %f does not match verification value %f\n", corner, expected);
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * 2.0 * (double)(m - 1) * (double)(n - 1) / avgtime;
    prk_report(valid, "MFlops/s", rate, avgtime);
    prk_result("synch_p2p", PRK_SHMEM_VARIANT, npes, valid, rate, "MFlops/s", avgtime, argc,
               argv);
  }
#undef A
  shmem_barrier_all();
  shmem_free(flag);
  shmem_free(inbox);
  free(grid);
  return prk_shmem_finish(valid ? 0 : PRK_EXIT_INVALID);
}
