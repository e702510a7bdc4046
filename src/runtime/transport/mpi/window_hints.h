/* transport/mpi/window_hints.h - the info hints of the mpi transport's
 * windows, in C, so that bench/mpi_floor.c makes its bare MPI window with
 * exactly these and the comparison stays like-for-like.
 *
 * Every AMO is flushed before the next one starts, so MPI need not order
 * accumulates among themselves; the operations are named and the size of
 * an atomic given, which lets an MPI with network atomics use them (keys
 * an MPI does not know are ignored). */
#ifndef SHMEMI_MPI_WINDOW_HINTS_H
#define SHMEMI_MPI_WINDOW_HINTS_H

#include <mpi.h>

/* A new MPI_Info holding the hints; the caller frees it. */
static inline MPI_Info shmemi_window_info(void) {
  MPI_Info info;
  MPI_Info_create(&info);
  MPI_Info_set(info, "same_disp_unit", "true");
  MPI_Info_set(info, "accumulate_ordering", "none");
  MPI_Info_set(info, "which_accumulate_ops", "sum,band,bor,bxor,replace,no_op,cswap");
  MPI_Info_set(info, "mpi_accumulate_granularity", "8");
  return info;
}

#endif /* SHMEMI_MPI_WINDOW_HINTS_H */
