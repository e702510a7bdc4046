/* nstream (MPI): the PRK's stream triad a += b + scalar * c on every
 * rank's own vectors; the ranks meet only to start the clock together
 * and to combine the time and the check (nstream_shmem.c is the same
 * kernel on OpenSHMEM).
 *
 *   nstream_mpi <iterations> <vector length per rank> [offset=0] */
#include "prk_mpi.h"

#define SCALAR 3.0

static void triad(long n, double *restrict a, const double *restrict b, const double *restrict c,
                  double scalar) {
  for (long j = 0; j < n; ++j) a[j] += b[j] + scalar * c[j];
}

int main(int argc, char **argv) {
  int me, npes;
  prk_mpi_init(&argc, &argv, &me, &npes);

  struct prk_args args;
  prk_args_init(&args, "nstream", argc, argv, me);
  prk_args_count(&args, 2, 3, "<iterations> <vector length per PE> [offset]");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  long length = prk_long_arg(&args, 2, "vector length per PE", 1, LONG_MAX / 64, 1);
  long offset = prk_long_arg(&args, 3, "offset", 0, 1 << 20, 0);
  if (args.error) return prk_mpi_finish(PRK_EXIT_USAGE);

  if (me == 0) {
    prk_banner("MPI stream triad: A = B + scalar*C");
    printf("Number of ranks      = %d\n", npes);
    printf("Vector length        = %ld per rank\n", length);
    printf("Offset               = %ld\n", offset);
    printf("Number of iterations = %ld\n", iterations);
  }

  double *a = malloc((size_t)(3 * length + 2 * offset) * sizeof(double));
  if (prk_mpi_alloc_failed(a != NULL, "nstream", "the vectors", me))
    return prk_mpi_finish(PRK_EXIT_USAGE);
  double *b = a + length + offset, *c = b + length + offset;
  for (long j = 0; j < length; ++j) {
    a[j] = 0.0;
    b[j] = 2.0;
    c[j] = 2.0;
  }

  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      MPI_Barrier(MPI_COMM_WORLD);
      t0 = prk_wtime();
    }
    triad(length, a, b, c, SCALAR);
  }
  double elapsed = prk_mpi_max(prk_wtime() - t0);

  double expected_a = 0.0;
  for (long iter = 0; iter <= iterations; ++iter) expected_a += 2.0 + SCALAR * 2.0;
  double expected = expected_a * (double)length, sum = 0.0;
  for (long j = 0; j < length; ++j) sum += a[j];
  int bad = fabs(sum - expected) / expected > 1e-8;
  if (bad) fprintf(stderr, "nstream: rank %d: checksum %f, expected %f\n", me, sum, expected);
  int valid = prk_mpi_sum(bad) == 0;

  if (me == 0) {
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * 4.0 * sizeof(double) * (double)length * npes / avgtime;
    prk_report(valid, "MB/s", rate, avgtime);
    prk_result("nstream", PRK_MPI_VARIANT, npes, valid, rate, "MB/s", avgtime, argc, argv);
  }
  free(a);
  return prk_mpi_finish(valid ? 0 : PRK_EXIT_INVALID);
}
