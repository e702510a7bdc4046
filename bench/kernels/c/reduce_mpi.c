/* reduce (MPI): the vector sum reduction to all of reduce_shmem.c (see
 * there for the recurrence and the check) with MPI_Allreduce.
 *
 *   reduce_mpi <iterations> <vector length> */
#include "prk_mpi.h"

int main(int argc, char **argv) {
  int me, npes;
  prk_mpi_init(&argc, &argv, &me, &npes);

  struct prk_args args;
  prk_args_init(&args, "reduce", argc, argv, me);
  prk_args_count(&args, 2, 2, "<iterations> <vector length>");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  long length = prk_long_arg(&args, 2, "vector length", 1, INT_MAX / 2, 1);
  if (args.error) return prk_mpi_finish(PRK_EXIT_USAGE);

  if (me == 0) {
    prk_banner("MPI vector reduction (Allreduce)");
    printf("Number of ranks      = %d\n", npes);
    printf("Vector length        = %ld\n", length);
    printf("Number of iterations = %ld\n", iterations);
  }

  size_t bytes = (size_t)length * sizeof(double);
  double *vec = malloc(bytes), *sum = malloc(bytes), *addend = malloc(bytes);
  if (prk_mpi_alloc_failed(vec && sum && addend, "reduce", "the vectors", me))
    return prk_mpi_finish(PRK_EXIT_USAGE);
  for (long i = 0; i < length; ++i) {
    addend[i] = prk_reduce_addend(me, i);
    sum[i] = 0.0;
  }
  const double scale = 1.0 / npes;

  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      MPI_Barrier(MPI_COMM_WORLD);
      t0 = prk_wtime();
    }
    for (long i = 0; i < length; ++i) vec[i] = sum[i] * scale + addend[i];
    MPI_Allreduce(vec, sum, (int)length, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  }
  double elapsed = prk_mpi_max(prk_wtime() - t0);

  long bad = 0, first = -1;
  for (long i = 0; i < length; ++i) {
    double expected = prk_reduce_expected(iterations, npes, i);
    if (fabs(sum[i] - expected) > 1e-8 * expected) {
      if (first < 0) first = i;
      ++bad;
    }
  }
  if (bad)
    fprintf(stderr, "reduce: rank %d: %ld wrong elements, the first at %ld: %f, expected %f\n",
            me, bad, first, sum[first], prk_reduce_expected(iterations, npes, first));
  int valid = prk_mpi_sum((double)bad) == 0;

  if (me == 0) {
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * (double)bytes * npes / avgtime;
    prk_report(valid, "MB/s", rate, avgtime);
    prk_result("reduce", PRK_MPI_VARIANT, npes, valid, rate, "MB/s", avgtime, argc, argv);
  }
  free(addend);
  free(sum);
  free(vec);
  return prk_mpi_finish(valid ? 0 : PRK_EXIT_INVALID);
}
