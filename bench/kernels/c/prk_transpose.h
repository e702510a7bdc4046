/* bench/kernels/c/prk_transpose.h - the block arithmetic of the transpose
 * kernel, shared by transpose_shmem.c and transpose_mpi.c so that the two
 * differ only in how the blocks travel. */
#ifndef PRK_TRANSPOSE_H
#define PRK_TRANSPOSE_H

/* The PRK transpose tile by tile: a tile of the source's columns stays
 * in cache while it is read across, where a whole column of a large
 * block would not. */
enum { TILE = 32 };

/* dst (bo x bo, row-major) += src transposed. */
static inline void add_transposed(long bo, double *restrict dst, const double *restrict src) {
  for (long it = 0; it < bo; it += TILE)
    for (long jt = 0; jt < bo; jt += TILE) {
      long ie = it + TILE < bo ? it + TILE : bo, je = jt + TILE < bo ? jt + TILE : bo;
      for (long i = it; i < ie; ++i)
        for (long j = jt; j < je; ++j) dst[i * bo + j] += src[j * bo + i];
    }
}

static inline void transpose_into(long bo, double *restrict dst, const double *restrict src) {
  for (long it = 0; it < bo; it += TILE)
    for (long jt = 0; jt < bo; jt += TILE) {
      long ie = it + TILE < bo ? it + TILE : bo, je = jt + TILE < bo ? jt + TILE : bo;
      for (long i = it; i < ie; ++i)
        for (long j = jt; j < je; ++j) dst[i * bo + j] = src[j * bo + i];
    }
}

#endif
