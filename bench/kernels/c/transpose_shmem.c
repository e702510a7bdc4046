/* transpose (OpenSHMEM): the PRK's B += A^T, A += 1 on an order x order
 * matrix of doubles, each PE owning a block of order/npes columns of A and
 * of B.  A's column block is stored row-major (order rows of `bo` words),
 * so that the square block bound for PE k (rows k*bo ..) is contiguous.
 *
 *   transpose_shmem <iterations> <matrix order> [alltoall|put]
 *
 * alltoall: the blocks go out as they are with one alltoall and the
 *           receiver transposes them while adding them to B (as the PRK's
 *           MPI alltoall version).
 * put:      the sender transposes each block into a private buffer and
 *           puts it into the receiver's landing area; one barrier_all
 *           completes the puts, then the receiver adds contiguous blocks.
 * The landing areas alternate by iteration parity: a PE can run one
 * iteration ahead of a slower one, never two (the collective of the next
 * iteration waits for it).
 *
 * Validation: B(i, c) = (order*c + i)(iterations+1) + iterations(iterations+1)/2
 * exactly, summed absolute error below 1e-8. */
#include "prk_shmem.h"
#include "prk_transpose.h"

static const char *const variants[] = {"alltoall", "put", NULL};

int main(int argc, char **argv) {
  prk_shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();

  struct prk_args args;
  prk_args_init(&args, "transpose", argc, argv, me);
  prk_args_count(&args, 2, 3, "<iterations> <matrix order> [alltoall|put]");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  long order = prk_long_arg(&args, 2, "matrix order", 1, 1L << 20, 1);
  int variant = prk_choice_arg(&args, 3, "variant", variants);
  if (!args.error && order % npes)
    prk_usage_error(&args, "the matrix order %ld must be a multiple of the PE count %d", order,
                    npes);
  if (args.error) return prk_shmem_finish(PRK_EXIT_USAGE);

  long bo = order / npes, block = bo * bo, colblock = order * bo;
  if (me == 0) {
    prk_banner("OpenSHMEM matrix transpose: B = A^T");
    printf("Number of PEs        = %d\n", npes);
    printf("Matrix order         = %ld\n", order);
    printf("Number of iterations = %ld\n", iterations);
    printf("Communication        = %s\n", variant == 0 ? "alltoall" : "put + barrier_all");
  }

  size_t bytes = (size_t)colblock * sizeof(double);
  /* The alltoall's source must be symmetric; the put's need not be. */
  double *a = prk_shmem_malloc(bytes, "transpose", "the column block of A");
  double *land = prk_shmem_malloc(2 * bytes, "transpose", "the landing areas");
  double *b = malloc(bytes);
  double *work = variant == 1 ? malloc((size_t)block * sizeof(double)) : NULL;
  if (prk_sum_double(b && (variant == 0 || work) ? 0.0 : 1.0) > 0) {
    if (me == 0) fprintf(stderr, "transpose: cannot allocate the blocks (order %ld)\n", order);
    return prk_shmem_finish(PRK_EXIT_USAGE);
  }
  for (long i = 0; i < order; ++i)
    for (long j = 0; j < bo; ++j) {
      a[i * bo + j] = (double)(i * order + me * bo + j);
      b[i * bo + j] = 0.0;
    }
  shmem_barrier_all();

  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      shmem_barrier_all();
      t0 = prk_wtime();
    }
    double *t = land + (iter & 1) * colblock;
    if (variant == 0) {
      prk_alltoall_double(t, a, (size_t)block);
      for (int k = 0; k < npes; ++k) add_transposed(bo, b + k * block, t + k * block);
    } else {
      /* Starting at the next PE spreads the traffic over the receivers. */
      for (int phase = 1; phase <= npes; ++phase) {
        int to = (me + phase) % npes;
        transpose_into(bo, work, a + to * block);
        shmem_putmem(t + me * block, work, (size_t)block * sizeof(double), to);
      }
      shmem_barrier_all();
      for (long k = 0; k < colblock; ++k) b[k] += t[k];
    }
    for (long k = 0; k < colblock; ++k) a[k] += 1.0;
  }
  double elapsed = prk_max_double(prk_wtime() - t0);

  double addit = 0.5 * (double)iterations * (double)(iterations + 1), abserr = 0.0;
  for (long i = 0; i < order; ++i)
    for (long j = 0; j < bo; ++j) {
      double expected = (double)(order * (me * bo + j) + i) * (double)(iterations + 1) + addit;
      abserr += fabs(b[i * bo + j] - expected);
    }
  abserr = prk_sum_double(abserr);
  int valid = abserr < 1e-8;

  if (me == 0) {
    if (!valid) printf("ERROR: aggregate absolute error %f exceeds threshold %e\n", abserr, 1e-8);
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * 2.0 * sizeof(double) * (double)order * (double)order / avgtime;
    prk_report(valid, "MB/s", rate, avgtime);
    prk_result("transpose", PRK_SHMEM_VARIANT, npes, valid, rate, "MB/s", avgtime, argc, argv);
  }
  shmem_barrier_all();
  free(work);
  free(b);
  shmem_free(land);
  shmem_free(a);
  return prk_shmem_finish(valid ? 0 : PRK_EXIT_INVALID);
}
