/* transpose (MPI): the PRK's B += A^T, A += 1 with column blocks (see
 * transpose_shmem.c for the layout and the check).
 *
 *   transpose_mpi <iterations> <matrix order> [alltoall|put]
 *
 * alltoall: MPI_Alltoall of the untransposed blocks, the receiver
 *           transposes while adding (the PRK's MPI alltoall version).
 * put:      the sender transposes each block and MPI_Puts it into the
 *           receiver's window; a fence completes the epoch (MPI-3 RMA,
 *           the one-sided counterpart of transpose_shmem's put).  The
 *           landing areas alternate by parity: a put issued after a fence
 *           reaches its target only after the target called that fence,
 *           which it does after reading the other area. */
#include "prk_mpi.h"
#include "prk_transpose.h"

static const char *const variants[] = {"alltoall", "put", NULL};

int main(int argc, char **argv) {
  int me, npes;
  prk_mpi_init(&argc, &argv, &me, &npes);

  struct prk_args args;
  prk_args_init(&args, "transpose", argc, argv, me);
  prk_args_count(&args, 2, 3, "<iterations> <matrix order> [alltoall|put]");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  long order = prk_long_arg(&args, 2, "matrix order", 1, 1L << 20, 1);
  int variant = prk_choice_arg(&args, 3, "variant", variants);
  if (!args.error && order % npes)
    prk_usage_error(&args, "the matrix order %ld must be a multiple of the PE count %d", order,
                    npes);
  if (!args.error && (order / npes) * (order / npes) > INT_MAX)
    prk_usage_error(&args, "a block of %ld x %ld is too large for an MPI count", order / npes,
                    order / npes);
  if (args.error) return prk_mpi_finish(PRK_EXIT_USAGE);

  long bo = order / npes, block = bo * bo, colblock = order * bo;
  if (me == 0) {
    prk_banner("MPI matrix transpose: B = A^T");
    printf("Number of ranks      = %d\n", npes);
    printf("Matrix order         = %ld\n", order);
    printf("Number of iterations = %ld\n", iterations);
    printf("Communication        = %s\n", variant == 0 ? "Alltoall" : "Put + Win_fence");
  }

  size_t bytes = (size_t)colblock * sizeof(double);
  double *a = malloc(bytes), *b = malloc(bytes), *land = NULL;
  /* One transposed block per target: a put's source may not be reused
   * before the fence ends the epoch. */
  double *work = variant == 1 ? malloc(bytes) : NULL;
  MPI_Win win = MPI_WIN_NULL;
  if (variant == 0) {
    land = malloc(bytes);
  } else {
    /* Two landing areas by iteration parity, as in the shmem version. */
    MPI_Win_allocate((MPI_Aint)(2 * bytes), sizeof(double), MPI_INFO_NULL, MPI_COMM_WORLD, &land,
                     &win);
  }
  if (prk_mpi_alloc_failed(a && b && land && (variant == 0 || work), "transpose", "the blocks",
                           me))
    return prk_mpi_finish(PRK_EXIT_USAGE);
  for (long i = 0; i < order; ++i)
    for (long j = 0; j < bo; ++j) {
      a[i * bo + j] = (double)(i * order + me * bo + j);
      b[i * bo + j] = 0.0;
    }
  if (variant == 1) MPI_Win_fence(MPI_MODE_NOPRECEDE, win);

  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      MPI_Barrier(MPI_COMM_WORLD);
      t0 = prk_wtime();
    }
    if (variant == 0) {
      MPI_Alltoall(a, (int)block, MPI_DOUBLE, land, (int)block, MPI_DOUBLE, MPI_COMM_WORLD);
      for (int k = 0; k < npes; ++k) add_transposed(bo, b + k * block, land + k * block);
    } else {
      long parity = (iter & 1) * colblock;
      double *t = land + parity;
      for (int phase = 1; phase <= npes; ++phase) {
        int to = (me + phase) % npes;
        transpose_into(bo, work + to * block, a + to * block);
        MPI_Put(work + to * block, (int)block, MPI_DOUBLE, to, (MPI_Aint)(parity + me * block),
                (int)block, MPI_DOUBLE, win);
      }
      MPI_Win_fence(0, win);
      for (long k = 0; k < colblock; ++k) b[k] += t[k];
    }
    for (long k = 0; k < colblock; ++k) a[k] += 1.0;
  }
  double elapsed = prk_mpi_max(prk_wtime() - t0);

  double addit = 0.5 * (double)iterations * (double)(iterations + 1), abserr = 0.0;
  for (long i = 0; i < order; ++i)
    for (long j = 0; j < bo; ++j) {
      double expected = (double)(order * (me * bo + j) + i) * (double)(iterations + 1) + addit;
      abserr += fabs(b[i * bo + j] - expected);
    }
  abserr = prk_mpi_sum(abserr);
  int valid = abserr < 1e-8;

  if (me == 0) {
    if (!valid) printf("ERROR: aggregate absolute error %f exceeds threshold %e\n", abserr, 1e-8);
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * 2.0 * sizeof(double) * (double)order * (double)order / avgtime;
    prk_report(valid, "MB/s", rate, avgtime);
    prk_result("transpose", PRK_MPI_VARIANT, npes, valid, rate, "MB/s", avgtime, argc, argv);
  }
  if (variant == 1) {
    MPI_Win_fence(MPI_MODE_NOSUCCEED, win);
    MPI_Win_free(&win);
  } else {
    free(land);
  }
  free(work);
  free(b);
  free(a);
  return prk_mpi_finish(valid ? 0 : PRK_EXIT_INVALID);
}
