/* synch_p2p (MPI): the PRK's pipelined wavefront (see synch_p2p_shmem.c
 * for the recurrence and the check), each value passed on with a
 * blocking Send and received with Recv, as the PRK's MPI1 version does.
 *
 *   synch_p2p_mpi <iterations> <m> <n> */
#include "prk_mpi.h"

int main(int argc, char **argv) {
  int me, npes;
  prk_mpi_init(&argc, &argv, &me, &npes);

  struct prk_args args;
  prk_args_init(&args, "synch_p2p", argc, argv, me);
  prk_args_count(&args, 3, 3, "<iterations> <m> <n>");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  long m = prk_long_arg(&args, 2, "m", 2, 1L << 30, 2);
  long n = prk_long_arg(&args, 3, "n", 2, 1L << 30, 2);
  if (!args.error && m <= npes)
    prk_usage_error(&args, "the first grid dimension m = %ld must exceed the PE count %d", m, npes);
  if (args.error) return prk_mpi_finish(PRK_EXIT_USAGE);

  if (me == 0) {
    prk_banner("MPI pipeline execution on 2D grid");
    printf("Number of ranks            = %d\n", npes);
    printf("Grid sizes                 = %ld, %ld\n", m, n);
    printf("Synchronization            = Send + Recv\n");
    printf("Number of iterations       = %ld\n", iterations);
  }

  long start = prk_block_start(m, npes, me), seg = prk_block_size(m, npes, me);
  long ld = seg + 1;
  double *grid = calloc((size_t)(ld * n), sizeof(double));
  if (prk_mpi_alloc_failed(grid != NULL, "synch_p2p", "the grid", me))
    return prk_mpi_finish(PRK_EXIT_USAGE);
#define A(i, j) grid[(i) + 1 + (j) * ld]
  for (long i = -1; i < seg; ++i) A(i, 0) = (double)(start + i);
  if (me == 0)
    for (long j = 0; j < n; ++j) A(0, j) = (double)j;
  long first = me == 0 ? 1 : 0;

  int left = me - 1, right = me + 1 < npes ? me + 1 : -1, last = npes - 1;
  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      MPI_Barrier(MPI_COMM_WORLD);
      t0 = prk_wtime();
    }
    for (long j = 1; j < n; ++j) {
      if (left >= 0) MPI_Recv(&A(-1, j), 1, MPI_DOUBLE, left, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      for (long i = first; i < seg; ++i) A(i, j) = A(i - 1, j) + A(i, j - 1) - A(i - 1, j - 1);
      if (right >= 0) MPI_Send(&A(seg - 1, j), 1, MPI_DOUBLE, right, 1, MPI_COMM_WORLD);
    }
    if (npes == 1) {
      A(0, 0) = -A(seg - 1, n - 1);
    } else {
      if (me == last) {
        double corner = -A(seg - 1, n - 1);
        MPI_Send(&corner, 1, MPI_DOUBLE, 0, 2, MPI_COMM_WORLD);
      }
      if (me == 0) MPI_Recv(&A(0, 0), 1, MPI_DOUBLE, last, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
  }
  double elapsed = prk_mpi_max(prk_wtime() - t0);

  double corner = prk_mpi_sum(me == last ? A(seg - 1, n - 1) : 0.0);
  double expected = (double)(iterations + 1) * (double)(m + n - 2);
  int valid = fabs(corner - expected) / expected < 1e-8;

  if (me == 0) {
    if (!valid)
      printf("ERROR: checksum %f does not match verification value %f\n", corner, expected);
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * 2.0 * (double)(m - 1) * (double)(n - 1) / avgtime;
    prk_report(valid, "MFlops/s", rate, avgtime);
    prk_result("synch_p2p", PRK_MPI_VARIANT, npes, valid, rate, "MFlops/s", avgtime, argc, argv);
  }
#undef A
  free(grid);
  return prk_mpi_finish(valid ? 0 : PRK_EXIT_INVALID);
}
