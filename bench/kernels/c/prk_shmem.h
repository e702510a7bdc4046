/* bench/kernels/c/prk_shmem.h - the OpenSHMEM side of the C kernels:
 * the few collectives they need, written once for both the 1.5 API
 * (teams: libshmem) and the 1.4 one (active sets with pSync: Open MPI's
 * OSHMEM), so that every <kernel>_shmem.c builds with shmemcc and oshcc
 * alike.  Nothing beyond the specification (no shmemx). */
#ifndef PRK_SHMEM_H
#define PRK_SHMEM_H

#include <shmem.h>

#include "prk_util.h"

#if SHMEM_MAJOR_VERSION > 1 || (SHMEM_MAJOR_VERSION == 1 && SHMEM_MINOR_VERSION >= 5)
#define PRK_SHMEM_TEAMS 1
#else
#define PRK_SHMEM_TEAMS 0
#endif

/* The RESULT line's variant: the same source is c-shmem with libshmem and
 * c-oshmem with Open MPI's OSHMEM (whose shmem.h defines OSHMEM_*). */
#ifndef PRK_SHMEM_VARIANT
#ifdef OSHMEM_MAJOR_VERSION
#define PRK_SHMEM_VARIANT "c-oshmem"
#else
#define PRK_SHMEM_VARIANT "c-shmem"
#endif
#endif

/* 1.4 collectives need pSync arrays that no PE still uses; alternating
 * two per kind of collective is enough between calls that each
 * synchronize every PE (the specification's own advice).  Static
 * variables are symmetric. */
#if !PRK_SHMEM_TEAMS
#define PRK_PSYNC_SIZE                                                                            \
  (SHMEM_REDUCE_SYNC_SIZE > SHMEM_ALLTOALL_SYNC_SIZE ? SHMEM_REDUCE_SYNC_SIZE                    \
                                                     : SHMEM_ALLTOALL_SYNC_SIZE)
static long prk_psync[2][PRK_PSYNC_SIZE];
static double prk_pwrk_scalar[2][SHMEM_REDUCE_MIN_WRKDATA_SIZE > 2 ? SHMEM_REDUCE_MIN_WRKDATA_SIZE
                                                                     : 2];
static double *prk_pwrk[2];   /* symmetric, for vector reductions */
static size_t prk_pwrk_elems; /* its length, the same on every PE */
#endif

/* Which of the two sets of work arrays the next collective uses. */
static int prk_coll_next;
static inline int prk_take_set(void) {
  int k = prk_coll_next;
  prk_coll_next ^= 1;
  return k;
}

/* Symmetric operands of scalar reductions, alternated like pSync: a PE
 * that already entered the next reduction may write into them. */
static double prk_scalar_in[2], prk_scalar_out[2];

static inline void prk_shmem_init(void) {
  shmem_init();
#if !PRK_SHMEM_TEAMS
  for (int k = 0; k < 2; ++k)
    for (int i = 0; i < PRK_PSYNC_SIZE; ++i) prk_psync[k][i] = SHMEM_SYNC_VALUE;
  shmem_barrier_all();
#endif
}

/* The end of every run: frees what the 1.4 path allocated, finalizes and
 * gives the exit status.  Every PE calls it with the same status. */
static inline int prk_shmem_finish(int status) {
#if !PRK_SHMEM_TEAMS
  for (int k = 0; k < 2; ++k)
    if (prk_pwrk[k]) shmem_free(prk_pwrk[k]);
#endif
  shmem_finalize();
  return status;
}

/* Sum over every PE of dest[0..n) <- source[0..n); both symmetric and
 * distinct. */
static inline void prk_sum_double_vec(double *dest, const double *source, size_t n) {
#if PRK_SHMEM_TEAMS
  shmem_double_sum_reduce(SHMEM_TEAM_WORLD, dest, source, n);
#else
  size_t need = n / 2 + 1;
  if (need < SHMEM_REDUCE_MIN_WRKDATA_SIZE) need = SHMEM_REDUCE_MIN_WRKDATA_SIZE;
  if (need > prk_pwrk_elems) { /* collective: every PE grows them at the same call */
    for (int k = 0; k < 2; ++k) {
      if (prk_pwrk[k]) shmem_free(prk_pwrk[k]);
      prk_pwrk[k] = shmem_malloc(need * sizeof(double));
    }
    prk_pwrk_elems = need;
  }
  int k = prk_take_set();
  shmem_double_sum_to_all(dest, source, (int)n, 0, 0, shmem_n_pes(), prk_pwrk[k], prk_psync[k]);
#endif
}

static inline double prk_sum_double(double x) {
  int k = prk_take_set();
  prk_scalar_in[k] = x;
#if PRK_SHMEM_TEAMS
  shmem_double_sum_reduce(SHMEM_TEAM_WORLD, &prk_scalar_out[k], &prk_scalar_in[k], 1);
#else
  shmem_double_sum_to_all(&prk_scalar_out[k], &prk_scalar_in[k], 1, 0, 0, shmem_n_pes(),
                          prk_pwrk_scalar[k], prk_psync[k]);
#endif
  return prk_scalar_out[k];
}

static inline double prk_max_double(double x) {
  int k = prk_take_set();
  prk_scalar_in[k] = x;
#if PRK_SHMEM_TEAMS
  shmem_double_max_reduce(SHMEM_TEAM_WORLD, &prk_scalar_out[k], &prk_scalar_in[k], 1);
#else
  shmem_double_max_to_all(&prk_scalar_out[k], &prk_scalar_in[k], 1, 0, 0, shmem_n_pes(),
                          prk_pwrk_scalar[k], prk_psync[k]);
#endif
  return prk_scalar_out[k];
}

/* Block k of `source` (nelems doubles) goes to PE k, landing as block
 * `me` of its `dest`; both symmetric. */
static inline void prk_alltoall_double(double *dest, const double *source, size_t nelems) {
#if PRK_SHMEM_TEAMS
  shmem_double_alltoall(SHMEM_TEAM_WORLD, dest, source, nelems);
#else
  shmem_alltoall64(dest, source, nelems, 0, 0, shmem_n_pes(), prk_psync[prk_take_set()]);
#endif
}

/* Symmetric allocation that every PE checks together: a PE that cannot
 * allocate fails the run everywhere instead of hanging the others. */
static inline void *prk_shmem_malloc(size_t bytes, const char *kernel, const char *what) {
  void *p = shmem_malloc(bytes);
  double missing = prk_sum_double(p ? 0.0 : 1.0);
  if (missing > 0) {
    if (shmem_my_pe() == 0)
      fprintf(stderr, "%s: cannot allocate %zu bytes of symmetric memory for %s\n", kernel, bytes,
              what);
    shmem_global_exit(PRK_EXIT_USAGE);
  }
  return p;
}

#endif
