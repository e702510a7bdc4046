/* bench/kernels/c/prk_stencil.h - the arithmetic and the geometry of the
 * stencil kernel, shared by stencil_shmem.c and stencil_mpi.c so that the
 * two differ only in how the halos travel.
 *
 * The PRK's star stencil of radius R on an n x n grid: out += the
 * weighted differences of in along x and y (weights +-1/(2kR) at distance
 * k), a discrete divergence; then in += 1 on every point.  With
 * in(i,j) = i + j the result grows by exactly 2 per iteration on the
 * points at least R from the border, which is the closed-form check.
 *
 * The grid is cut into npx x npy tiles (npx the largest divisor of the
 * PE count not above sqrt(npes + 1), as the PRK choose), PE me owning tile
 * (me % npx, me / npx).  A tile stores its points plus R ghost layers on
 * every side, x running fastest. */
#ifndef PRK_STENCIL_H
#define PRK_STENCIL_H

#include "prk_util.h"

enum { PRK_LEFT, PRK_RIGHT, PRK_DOWN, PRK_UP, PRK_NSIDES };

struct prk_tile {
  long n;
  int R;
  int npx, npy, ix, iy;
  long istart, iend, jstart, jend; /* own points: [istart, iend) x [jstart, jend) */
  long width, height, ld;          /* ld = width + 2R, the stored row length */
  int nbr[PRK_NSIDES];             /* the PE beyond each side, -1 at the border */
  int nnbrs;
  long strip_max; /* the longest halo strip of any tile, in words */
};

static inline int prk_opposite(int side) { return side ^ 1; }

static inline void prk_tile_grid(int npes, int *npx, int *npy) {
  int x = (int)sqrt((double)npes + 1.0);
  while (npes % x) --x;
  *npx = x;
  *npy = npes / x;
}

/* Fills the tile of PE me; returns 0, or -1 (after saying why through
 * `args`) when the PE count leaves some tile thinner than the radius. */
static inline int prk_tile_init(struct prk_tile *t, struct prk_args *args, long n, int R,
                                int me, int npes) {
  t->n = n;
  t->R = R;
  prk_tile_grid(npes, &t->npx, &t->npy);
  t->ix = me % t->npx;
  t->iy = me / t->npx;
  /* The thinnest tile decides, the same verdict on every PE. */
  if (n / t->npx < R || n / t->npy < R) {
    prk_usage_error(args,
                    "%d PEs make %d x %d tiles, some thinner than the radius %d of a %ld x %ld "
                    "grid; use fewer PEs or a larger grid",
                    npes, t->npx, t->npy, R, n, n);
    return -1;
  }
  t->istart = prk_block_start(n, t->npx, t->ix);
  t->width = prk_block_size(n, t->npx, t->ix);
  t->iend = t->istart + t->width;
  t->jstart = prk_block_start(n, t->npy, t->iy);
  t->height = prk_block_size(n, t->npy, t->iy);
  t->jend = t->jstart + t->height;
  t->ld = t->width + 2 * R;
  t->nbr[PRK_LEFT] = t->ix > 0 ? me - 1 : -1;
  t->nbr[PRK_RIGHT] = t->ix < t->npx - 1 ? me + 1 : -1;
  t->nbr[PRK_DOWN] = t->iy > 0 ? me - t->npx : -1;
  t->nbr[PRK_UP] = t->iy < t->npy - 1 ? me + t->npx : -1;
  t->nnbrs = 0;
  for (int s = 0; s < PRK_NSIDES; ++s) t->nnbrs += t->nbr[s] >= 0;
  long wmax = (n + t->npx - 1) / t->npx, hmax = (n + t->npy - 1) / t->npy;
  t->strip_max = (long)R * (wmax > hmax ? wmax : hmax);
  return 0;
}

/* Index of global point (i, j) in the tile's storage. */
static inline long prk_tile_at(const struct prk_tile *t, long i, long j) {
  return (i - t->istart + t->R) + (j - t->jstart + t->R) * t->ld;
}

static inline long prk_tile_words(const struct prk_tile *t) {
  return t->ld * (t->height + 2 * t->R);
}

/* The words of the halo strip along `side` (the same count both ways). */
static inline long prk_strip_words(const struct prk_tile *t, int side) {
  return (long)t->R * (side == PRK_LEFT || side == PRK_RIGHT ? t->height : t->width);
}

/* The rectangle [i0, i1) x [j0, j1) of the strip along `side`: own points
 * when `ghost` is 0 (what goes out), ghost points when 1 (what comes in). */
static inline void prk_strip_box(const struct prk_tile *t, int side, int ghost, long *i0, long *i1,
                                 long *j0, long *j1) {
  long R = t->R;
  *i0 = t->istart, *i1 = t->iend, *j0 = t->jstart, *j1 = t->jend;
  switch (side) {
    case PRK_LEFT: *i0 = ghost ? t->istart - R : t->istart, *i1 = *i0 + R; break;
    case PRK_RIGHT: *i0 = ghost ? t->iend : t->iend - R, *i1 = *i0 + R; break;
    case PRK_DOWN: *j0 = ghost ? t->jstart - R : t->jstart, *j1 = *j0 + R; break;
    default: *j0 = ghost ? t->jend : t->jend - R, *j1 = *j0 + R; break;
  }
}

static inline void prk_pack(const struct prk_tile *t, const double *in, int side, double *buf) {
  long i0, i1, j0, j1, k = 0;
  prk_strip_box(t, side, 0, &i0, &i1, &j0, &j1);
  for (long j = j0; j < j1; ++j)
    for (long i = i0; i < i1; ++i) buf[k++] = in[prk_tile_at(t, i, j)];
}

static inline void prk_unpack(const struct prk_tile *t, double *in, int side, const double *buf) {
  long i0, i1, j0, j1, k = 0;
  prk_strip_box(t, side, 1, &i0, &i1, &j0, &j1);
  for (long j = j0; j < j1; ++j)
    for (long i = i0; i < i1; ++i) in[prk_tile_at(t, i, j)] = buf[k++];
}

static inline void prk_stencil_init(const struct prk_tile *t, double *in, double *out) {
  for (long k = 0; k < prk_tile_words(t); ++k) in[k] = 0.0;
  for (long j = t->jstart; j < t->jend; ++j)
    for (long i = t->istart; i < t->iend; ++i) in[prk_tile_at(t, i, j)] = (double)(i + j);
  for (long k = 0; k < t->width * t->height; ++k) out[k] = 0.0;
}

/* The active points of the tile: those at least R from the grid's border. */
static inline void prk_active_box(const struct prk_tile *t, long *i0, long *i1, long *j0,
                                  long *j1) {
  long R = t->R, n = t->n;
  *i0 = t->istart > R ? t->istart : R;
  *i1 = t->iend < n - R ? t->iend : n - R;
  *j0 = t->jstart > R ? t->jstart : R;
  *j1 = t->jend < n - R ? t->jend : n - R;
}

/* One application of the stencil; R a constant where inlined with one,
 * so that the loops over the radius unroll. */
static inline __attribute__((always_inline)) void prk_stencil_apply_r(const struct prk_tile *t,
                                                                      const int R,
                                                                      const double *restrict in,
                                                                      double *restrict out) {
  double w[16];
  for (int k = 1; k <= R; ++k) w[k] = 1.0 / (2.0 * k * R);
  long i0, i1, j0, j1;
  prk_active_box(t, &i0, &i1, &j0, &j1);
  const long ld = t->ld;
  /* Local x indices, so that every pointer stays inside its array. */
  const long l0 = i0 - t->istart, l1 = i1 - t->istart;
  for (long j = j0; j < j1; ++j) {
    const double *row = in + prk_tile_at(t, t->istart, j);
    double *o = out + (j - t->jstart) * t->width;
    for (long i = l0; i < l1; ++i) {
      double acc = o[i];
      for (int k = 1; k <= R; ++k) {
        acc += w[k] * row[i + k * ld] - w[k] * row[i - k * ld];
        acc += w[k] * row[i + k] - w[k] * row[i - k];
      }
      o[i] = acc;
    }
  }
}

static inline void prk_stencil_apply(const struct prk_tile *t, const double *in, double *out) {
  switch (t->R) {
    case 1: prk_stencil_apply_r(t, 1, in, out); break;
    case 2: prk_stencil_apply_r(t, 2, in, out); break;
    case 3: prk_stencil_apply_r(t, 3, in, out); break;
    default: prk_stencil_apply_r(t, t->R, in, out); break;
  }
}

static inline void prk_stencil_bump(const struct prk_tile *t, double *in) {
  for (long j = t->jstart; j < t->jend; ++j) {
    double *row = in + prk_tile_at(t, t->istart, j);
    for (long i = 0; i < t->width; ++i) row[i] += 1.0;
  }
}

/* The L1 norm of out over the tile's active points. */
static inline double prk_stencil_norm(const struct prk_tile *t, const double *out) {
  long i0, i1, j0, j1;
  prk_active_box(t, &i0, &i1, &j0, &j1);
  double norm = 0.0;
  for (long j = j0; j < j1; ++j)
    for (long i = i0; i < i1; ++i) norm += fabs(out[(j - t->jstart) * t->width + i - t->istart]);
  return norm;
}

/* The PRK's flop count per iteration (two per stencil point and one for
 * the update, over the active points) and the reference norm. */
static inline double prk_stencil_flops(long n, int R) {
  double active = (double)(n - 2 * R) * (double)(n - 2 * R);
  return (2.0 * (4 * R + 1) + 1.0) * active;
}
static inline double prk_stencil_reference(long iterations) { return (double)(iterations + 1) * 2.0; }

#endif
