/* reduce (OpenSHMEM): a vector sum reduction to all PEs, after the PRK's
 * reduce kernel (a local vector operation, then the reduction, each
 * iteration depending on the one before).  The PRK reduce to one root;
 * here every PE gets the sum, so to keep the values bounded the local
 * part folds the previous sum back in scaled by 1/npes:
 *     vec[i] = sum[i] / npes + addend_me[i];   sum = allreduce(vec)
 * so every iteration adds sum_p addend_p[i] to sum[i], with
 * addend_p[i] = p + 1 + i % 7 (prk_util.h): a result whose value differs
 * between elements and depends on every PE's contribution.
 *
 *   reduce_shmem <iterations> <vector length>
 *
 * Rate: MB/s of vectors reduced, 8 bytes per element per PE per
 * iteration.  Validation: every element of every PE's result against its
 * closed form (prk_reduce_expected). */
#include "prk_shmem.h"

int main(int argc, char **argv) {
  prk_shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();

  struct prk_args args;
  prk_args_init(&args, "reduce", argc, argv, me);
  prk_args_count(&args, 2, 2, "<iterations> <vector length>");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  /* The 1.4 API counts elements in an int. */
  long length = prk_long_arg(&args, 2, "vector length", 1, INT_MAX / 2, 1);
  if (args.error) return prk_shmem_finish(PRK_EXIT_USAGE);

  if (me == 0) {
    prk_banner("OpenSHMEM vector reduction (sum to all)");
    printf("Number of PEs        = %d\n", npes);
    printf("Vector length        = %ld\n", length);
    printf("Number of iterations = %ld\n", iterations);
  }

  size_t bytes = (size_t)length * sizeof(double);
  double *vec = prk_shmem_malloc(bytes, "reduce", "the vector");
  double *sum = prk_shmem_malloc(bytes, "reduce", "the result");
  double *addend = malloc(bytes);
  if (prk_sum_double(addend ? 0.0 : 1.0) > 0) {
    if (me == 0) fprintf(stderr, "reduce: cannot allocate a vector of %ld doubles\n", length);
    return prk_shmem_finish(PRK_EXIT_USAGE);
  }
  for (long i = 0; i < length; ++i) {
    addend[i] = prk_reduce_addend(me, i);
    sum[i] = 0.0;
  }
  const double scale = 1.0 / npes;
  shmem_barrier_all();

  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      shmem_barrier_all();
      t0 = prk_wtime();
    }
    for (long i = 0; i < length; ++i) vec[i] = sum[i] * scale + addend[i];
    prk_sum_double_vec(sum, vec, (size_t)length);
  }
  double elapsed = prk_max_double(prk_wtime() - t0);

  long bad = 0, first = -1;
  for (long i = 0; i < length; ++i) {
    double expected = prk_reduce_expected(iterations, npes, i);
    if (fabs(sum[i] - expected) > 1e-8 * expected) {
      if (first < 0) first = i;
      ++bad;
    }
  }
  if (bad)
    fprintf(stderr, "reduce: PE %d: %ld wrong elements, the first at %ld: %f, expected %f\n", me,
            bad, first, sum[first], prk_reduce_expected(iterations, npes, first));
  int valid = prk_sum_double((double)bad) == 0;

  if (me == 0) {
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * (double)bytes * npes / avgtime;
    prk_report(valid, "MB/s", rate, avgtime);
    prk_result("reduce", PRK_SHMEM_VARIANT, npes, valid, rate, "MB/s", avgtime, argc, argv);
  }
  shmem_barrier_all();
  free(addend);
  shmem_free(sum);
  shmem_free(vec);
  return prk_shmem_finish(valid ? 0 : PRK_EXIT_INVALID);
}
