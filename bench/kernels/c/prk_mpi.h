/* bench/kernels/c/prk_mpi.h - the MPI side of the C kernels: start, end
 * and the scalar reductions every kernel uses, as plain MPI-3. */
#ifndef PRK_MPI_H
#define PRK_MPI_H

#include <mpi.h>

#include "prk_util.h"

#define PRK_MPI_VARIANT "c-mpi"

static inline void prk_mpi_init(int *argc, char ***argv, int *me, int *npes) {
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, me);
  MPI_Comm_size(MPI_COMM_WORLD, npes);
}

/* Every rank calls it with the same status. */
static inline int prk_mpi_finish(int status) {
  MPI_Finalize();
  return status;
}

static inline double prk_mpi_sum(double x) {
  double r;
  MPI_Allreduce(&x, &r, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  return r;
}

static inline double prk_mpi_max(double x) {
  double r;
  MPI_Allreduce(&x, &r, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  return r;
}

/* True on every rank when some rank failed to allocate (said by rank 0). */
static inline int prk_mpi_alloc_failed(int ok, const char *kernel, const char *what, int me) {
  if (prk_mpi_sum(ok ? 0.0 : 1.0) == 0) return 0;
  if (me == 0) fprintf(stderr, "%s: cannot allocate %s\n", kernel, what);
  return 1;
}

#endif
