/* nstream (OpenSHMEM): the PRK's stream triad a += b + scalar * c on
 * every PE's own vectors, memory bandwidth without communication; the
 * PEs meet only to start the clock together and to add up the time and
 * the check.
 *
 *   nstream_shmem <iterations> <vector length per PE> [offset=0]
 *
 * Bandwidth counts four words per element and iteration (a read and
 * written, b and c read), over all PEs.  Validation: the sum of a on each
 * PE against its closed form. */
#include "prk_shmem.h"

#define SCALAR 3.0

/* The triad in a function of its own, so that the compiler sees three
 * non-aliasing vectors whatever it does with main. */
static void triad(long n, double *restrict a, const double *restrict b, const double *restrict c,
                  double scalar) {
  for (long j = 0; j < n; ++j) a[j] += b[j] + scalar * c[j];
}

int main(int argc, char **argv) {
  prk_shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();

  struct prk_args args;
  prk_args_init(&args, "nstream", argc, argv, me);
  prk_args_count(&args, 2, 3, "<iterations> <vector length per PE> [offset]");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  long length = prk_long_arg(&args, 2, "vector length per PE", 1, LONG_MAX / 64, 1);
  long offset = prk_long_arg(&args, 3, "offset", 0, 1 << 20, 0);
  if (args.error) return prk_shmem_finish(PRK_EXIT_USAGE);

  if (me == 0) {
    prk_banner("OpenSHMEM stream triad: A = B + scalar*C");
    printf("Number of PEs        = %d\n", npes);
    printf("Vector length        = %ld per PE\n", length);
    printf("Offset               = %ld\n", offset);
    printf("Number of iterations = %ld\n", iterations);
  }

  /* One allocation with `offset` words between the vectors, as the PRK
   * do, to move them against each other in the caches. */
  double *a = malloc((size_t)(3 * length + 2 * offset) * sizeof(double));
  if (prk_sum_double(a ? 0.0 : 1.0) > 0) {
    if (me == 0) fprintf(stderr, "nstream: cannot allocate the vectors (%ld doubles)\n", length);
    return prk_shmem_finish(PRK_EXIT_USAGE);
  }
  double *b = a + length + offset, *c = b + length + offset;
  for (long j = 0; j < length; ++j) {
    a[j] = 0.0;
    b[j] = 2.0;
    c[j] = 2.0;
  }

  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) { /* the first iteration warms up, untimed */
      shmem_barrier_all();
      t0 = prk_wtime();
    }
    triad(length, a, b, c, SCALAR);
  }
  double elapsed = prk_max_double(prk_wtime() - t0);

  double expected_a = 0.0;
  for (long iter = 0; iter <= iterations; ++iter) expected_a += 2.0 + SCALAR * 2.0;
  double expected = expected_a * (double)length, sum = 0.0;
  for (long j = 0; j < length; ++j) sum += a[j];
  int bad = fabs(sum - expected) / expected > 1e-8;
  if (bad)
    fprintf(stderr, "nstream: PE %d: checksum %f, expected %f\n", me, sum, expected);
  int valid = prk_sum_double(bad) == 0;

  if (me == 0) {
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * 4.0 * sizeof(double) * (double)length * npes / avgtime;
    prk_report(valid, "MB/s", rate, avgtime);
    prk_result("nstream", PRK_SHMEM_VARIANT, npes, valid, rate, "MB/s", avgtime, argc, argv);
  }
  free(a);
  return prk_shmem_finish(valid ? 0 : PRK_EXIT_INVALID);
}
