/* test_prk_kernels.c - three small kernels in the style of the Parallel
 * Research Kernels' SHMEM versions, written with the API those programs
 * use (start_pes, _my_pe/_num_pes, shmalloc/shfree, shmem_barrier_all,
 * shmem_barrier with pSync, shmem_broadcast32 in place, *_to_all with pWrk
 * and two pSync arrays used in turn, shmem_int_wait_until, shmem_wait,
 * shmem_putmem, shmem_double_put, shmem_fence, shmem_int_inc,
 * shmem_long_finc, the _SHMEM_* constants).  Each result is checked
 * exactly against the same computation done serially.
 *
 *  Synch_p2p  a wavefront over a grid split by columns: each PE waits for
 *             its left neighbour's value of a row (flag + wait_until, the
 *             flag's sense flipping every iteration), computes its part of
 *             the row and passes its last value right (put, fence, flag);
 *             the last PE feeds the corner back to PE 0 every iteration.
 *  Stencil    a radius-2 star stencil on a grid split by rows, halos
 *             exchanged with shmem_putmem, norms reduced with
 *             shmem_double_sum_to_all / shmem_double_max_to_all.
 *  Transpose  B += A^T over a matrix split by columns, blocks sent with
 *             shmem_double_put + shmem_fence + shmem_int_inc, received with
 *             shmem_int_wait_until. */
#include <mpp/shmem.h> /* where programs of that era include them from */
#include <mpp/shmemx.h>
#include <string.h>

#include "check.h"

/* (no libm: the test programs link the library only) */
static double fabs_(double x) { return x < 0 ? -x : x; }
static double fmax_(double a, double b) { return b > a ? b : a; }

static int me, npes;
/* Two pSync arrays used in turn, as the PRKs do, and the work array. */
static long pSync0[_SHMEM_REDUCE_SYNC_SIZE], pSync1[_SHMEM_REDUCE_SYNC_SIZE];
static long pSync_bcast[_SHMEM_BCAST_SYNC_SIZE], pSync_bar[_SHMEM_BARRIER_SYNC_SIZE];
static double pWrk[_SHMEM_REDUCE_MIN_WRKDATA_SIZE + 8];
static long lWrk[_SHMEM_REDUCE_MIN_WRKDATA_SIZE + 8];
static long *psync(int k) { return k % 2 ? pSync1 : pSync0; }
static int call_no; /* alternates the pSync arrays */

static double dsum_all(double v) {
  static double in, out;
  in = v;
  shmem_double_sum_to_all(&out, &in, 1, 0, 0, npes, pWrk, psync(call_no++));
  return out;
}
static double dmax_all(double v) {
  static double in, out;
  in = v;
  shmem_double_max_to_all(&out, &in, 1, 0, 0, npes, pWrk, psync(call_no++));
  return out;
}
static long lsum_all(long v) {
  static long in, out;
  in = v;
  shmem_long_sum_to_all(&out, &in, 1, 0, 0, npes, lWrk, psync(call_no++));
  return out;
}

/* ---- Synch_p2p ---------------------------------------------------------- */
#define P2P_M 23    /* rows */
#define P2P_W 3     /* columns per PE (at least 2: the ghost of row 0 is fixed) */
#define P2P_ITERS 12

static void synch_p2p(void) {
  const int n = P2P_W * npes, ld = P2P_W + 1;
  /* Column 0 is the ghost: the left neighbour's last column. */
  double *v = shmalloc(sizeof(double) * P2P_M * ld);
  int *flag = shmalloc(sizeof(int) * P2P_M);
  int *corner_flag = shmalloc(sizeof(int));
  CHECK(v && flag && corner_flag, "shmalloc");
#define V(i, jj) v[(i) * ld + (jj)]
  memset(v, 0, sizeof(double) * P2P_M * ld);
  for (int i = 0; i < P2P_M; ++i) flag[i] = 0;
  *corner_flag = 0;
  for (int jj = 0; jj < ld; ++jj) V(0, jj) = me * P2P_W + jj - 1; /* row 0: a(0, j) = j */
  if (me == 0)
    for (int i = 0; i < P2P_M; ++i) V(i, 1) = i; /* column 0: a(i, 0) = i */
  shmem_barrier_all();

  int true_ = 1;
  for (int it = 0; it < P2P_ITERS; ++it) {
    /* PE 0 starts an iteration once the corner of the last one is back. */
    if (it > 0 && me == 0 && npes > 1) shmem_int_wait_until(corner_flag, SHMEM_CMP_EQ, !true_);
    for (int i = 1; i < P2P_M; ++i) {
      if (me > 0) shmem_int_wait_until(&flag[i], SHMEM_CMP_EQ, true_);
      for (int jj = me == 0 ? 2 : 1; jj <= P2P_W; ++jj)
        V(i, jj) = V(i - 1, jj) + V(i, jj - 1) - V(i - 1, jj - 1);
      if (me < npes - 1) {
        shmem_double_put(&V(i, 0), &V(i, P2P_W), 1, me + 1);
        shmem_fence(); /* the value arrives before the flag */
        shmem_int_p(&flag[i], true_, me + 1);
      }
    }
    /* The corner goes back to a(0, 0), making the next iteration depend
     * on this one. */
    if (me == npes - 1) {
      double corner = -V(P2P_M - 1, P2P_W);
      if (npes == 1) {
        V(0, 1) = corner;
      } else {
        shmem_double_p(&V(0, 1), corner, 0);
        shmem_fence();
        shmem_int_p(corner_flag, true_, 0);
      }
    }
    true_ = !true_;
  }
  if (me == 0 && npes > 1) shmem_int_wait_until(corner_flag, SHMEM_CMP_EQ, !true_);
  shmem_barrier_all();
  /* a(i, j) = i + j - a(0, 0), and a(0, 0) is minus the last corner: the
   * corner grows by m + n - 2 every iteration. */
  double expect = (double)P2P_ITERS * (P2P_M + n - 2);
  if (me == npes - 1)
    CHECK(V(P2P_M - 1, P2P_W) == expect, "Synch_p2p: corner %g, expected %g",
          V(P2P_M - 1, P2P_W), expect);
  double a00 = -(double)(P2P_ITERS - 1) * (P2P_M + n - 2);
  for (int i = 1; i < P2P_M; ++i)
    for (int jj = 1; jj <= P2P_W; ++jj) {
      int j = me * P2P_W + jj - 1;
      if (j == 0) continue;
      CHECK(V(i, jj) == i + j - a00, "Synch_p2p: a(%d, %d) = %g, expected %g", i, j, V(i, jj),
            i + j - a00);
    }
  /* every PE agrees on the corner (max over PEs of the last PE's value) */
  double c = dmax_all(me == npes - 1 ? V(P2P_M - 1, P2P_W) : -1e300);
  CHECK(c == expect, "Synch_p2p: max_to_all of the corner %g", c);
#undef V
  shmem_barrier_all();
  shfree(corner_flag);
  shfree(flag);
  shfree(v);
}

/* ---- Stencil ------------------------------------------------------------ */
#define ST_R 2
#define ST_ROWS 5 /* rows per PE (>= ST_R; > 2 ST_R for one PE) */
#define ST_N 17   /* columns */
#define ST_ITERS 6

static double weight(int k) { return 1.0 / (2.0 * k * ST_R); }

/* out(i, j) += star(in) at (i, j); in has leading dimension ld. */
static double star(const double *in, int ld, int i, int j) {
  double s = 0;
  for (int k = 1; k <= ST_R; ++k)
    s += weight(k) * (in[(i + k) * ld + j] - in[(i - k) * ld + j]) +
         weight(k) * (in[i * ld + j + k] - in[i * ld + j - k]);
  return s;
}

static void stencil(void) {
  /* Parameters are set on PE 0 and broadcast in place, as PRK does. */
  static int params[4];
  if (me == 0) {
    params[0] = ST_ITERS;
    params[1] = ST_ROWS;
    params[2] = ST_N;
  }
  for (int i = 0; i < _SHMEM_BCAST_SYNC_SIZE; ++i) pSync_bcast[i] = _SHMEM_SYNC_VALUE;
  shmem_barrier_all();
  shmem_broadcast32(params, params, 3, 0, 0, 0, npes, pSync_bcast);
  CHECK(params[0] == ST_ITERS && params[1] == ST_ROWS && params[2] == ST_N,
        "broadcast32 in place: %d %d %d", params[0], params[1], params[2]);
  const int iters = params[0], rows = params[1], N = params[2], nrows = rows * npes;
  /* Local rows with ST_R halo rows above and below. */
  const int lrows = rows + 2 * ST_R;
  double *in = shmalloc(sizeof(double) * lrows * N);
  double *out = shmalloc(sizeof(double) * lrows * N);
  double *gin = malloc(sizeof(double) * nrows * N), *gout = malloc(sizeof(double) * nrows * N);
  CHECK(in && out && gin && gout, "allocation");
  for (int i = 0; i < lrows; ++i)
    for (int j = 0; j < N; ++j) {
      int gi = me * rows + i - ST_R;
      in[i * N + j] = gi >= 0 && gi < nrows ? gi + 2.0 * j : -1;
      out[i * N + j] = 0;
    }
  for (int i = 0; i < nrows * N; ++i) gin[i] = i / N + 2.0 * (i % N), gout[i] = 0;
  shmem_barrier_all();
  for (int it = 0; it < iters; ++it) {
    /* Halos: my first ST_R rows go to the upper neighbour's bottom halo,
     * my last ST_R rows to the lower neighbour's top halo. */
    if (me > 0)
      shmem_putmem(&in[(rows + ST_R) * N], &in[ST_R * N], sizeof(double) * ST_R * N, me - 1);
    if (me < npes - 1)
      shmem_putmem(&in[0], &in[rows * N], sizeof(double) * ST_R * N, me + 1);
    shmem_barrier_all();
    for (int i = ST_R; i < rows + ST_R; ++i) {
      int gi = me * rows + i - ST_R;
      if (gi < ST_R || gi >= nrows - ST_R) continue;
      for (int j = ST_R; j < N - ST_R; ++j) out[i * N + j] += star(in, N, i, j);
    }
    for (int i = ST_R; i < rows + ST_R; ++i)
      for (int j = 0; j < N; ++j) in[i * N + j] += 1.0;
    /* No PE may overwrite a halo that a neighbour still reads. */
    shmem_barrier(0, 0, npes, pSync_bar);
    /* The same, serially, over the whole grid. */
    for (int gi = ST_R; gi < nrows - ST_R; ++gi)
      for (int j = ST_R; j < N - ST_R; ++j) gout[gi * N + j] += star(gin, N, gi, j);
    for (int i = 0; i < nrows * N; ++i) gin[i] += 1.0;
  }
  double local = 0, gnorm = 0, lmax = 0;
  for (int i = ST_R; i < rows + ST_R; ++i)
    for (int j = 0; j < N; ++j) {
      int gi = me * rows + i - ST_R;
      CHECK(out[i * N + j] == gout[gi * N + j], "Stencil: out(%d, %d) = %.17g, expected %.17g",
            gi, j, out[i * N + j], gout[gi * N + j]);
      local += fabs_(out[i * N + j]);
      lmax = fmax_(lmax, fabs_(out[i * N + j]));
    }
  for (int i = 0; i < nrows * N; ++i) gnorm += fabs_(gout[i]);
  double norm = dsum_all(local);
  CHECK(fabs_(norm - gnorm) <= 1e-9 * gnorm, "Stencil: norm %.17g, expected %.17g", norm, gnorm);
  /* For a linear input every active point gains 3 per iteration. */
  double top = dmax_all(lmax);
  CHECK(fabs_(top - 3.0 * iters) < 1e-12, "Stencil: max %.17g, expected %g", top, 3.0 * iters);
  shmem_barrier_all();
  free(gin);
  free(gout);
  shfree(out);
  shfree(in);
}

/* ---- Transpose ---------------------------------------------------------- */
#define TR_B 3 /* columns per PE */
#define TR_ITERS 5
static int recv_count;
static long tickets;

static void transpose(void) {
  const int N = TR_B * npes, bb = TR_B * TR_B;
  /* Column-major local blocks: A(i, me*B + c) is a[c * N + i]. */
  double *a = shmalloc(sizeof(double) * N * TR_B);
  double *b = shmalloc(sizeof(double) * N * TR_B);
  double *work_in = shmalloc(sizeof(double) * bb * npes); /* slot per sender */
  double *work_out = malloc(sizeof(double) * bb);
  CHECK(a && b && work_in && work_out, "allocation");
  for (int c = 0; c < TR_B; ++c)
    for (int i = 0; i < N; ++i) {
      a[c * N + i] = (double)(me * TR_B + c) * N + i; /* A(i, j) = j * N + i */
      b[c * N + i] = 0;
    }
  recv_count = 0;
  if (me == 0) tickets = 0;
  shmem_barrier_all();
  for (int it = 0; it < TR_ITERS; ++it) {
    for (int phase = 0; phase < npes; ++phase) {
      int to = (me + phase) % npes;
      /* Block for PE `to`: rows of its columns, my columns, transposed. */
      for (int r = 0; r < TR_B; ++r)
        for (int c = 0; c < TR_B; ++c) work_out[r * TR_B + c] = a[r * N + to * TR_B + c];
      shmem_double_put(&work_in[me * bb], work_out, bb, to);
      shmem_fence();
      shmem_int_inc(&recv_count, to);
    }
    shmem_int_wait_until(&recv_count, SHMEM_CMP_GE, (it + 1) * npes);
    for (int from = 0; from < npes; ++from)
      for (int r = 0; r < TR_B; ++r)     /* row from*B + r of B ... */
        for (int c = 0; c < TR_B; ++c) /* ... in my column c */
          b[c * N + from * TR_B + r] += work_in[from * bb + r * TR_B + c];
    for (int k = 0; k < N * TR_B; ++k) a[k] += 1.0;
    (void)shmem_long_finc(&tickets, 0);
    shmem_barrier_all(); /* work_in is free again */
  }
  double err = 0;
  for (int c = 0; c < TR_B; ++c)
    for (int i = 0; i < N; ++i) {
      int j = me * TR_B + c;
      /* B(i, j) = sum over iterations of A(j, i) = i * N + j + it */
      double expect = (double)TR_ITERS * ((double)i * N + j) + TR_ITERS * (TR_ITERS - 1) / 2.0;
      CHECK(b[c * N + i] == expect, "Transpose: B(%d, %d) = %g, expected %g", i, j,
            b[c * N + i], expect);
      err += fabs_(b[c * N + i] - expect);
    }
  CHECK(dsum_all(err) == 0.0, "Transpose: total error");
  CHECK(lsum_all(me == 0 ? tickets : 0) == (long)TR_ITERS * npes, "Transpose: %ld tickets",
        tickets);
  shmem_barrier_all();
  free(work_out);
  shfree(work_in);
  shfree(b);
  shfree(a);
}

/* ---- The 1.0-era API around the kernels ------------------------------- */
static long done_flag;

int main(void) {
  start_pes(0);
  me = _my_pe();
  npes = _num_pes();
  check_pe();
  CHECK(_SHMEM_SYNC_VALUE == SHMEM_SYNC_VALUE && _SHMEM_REDUCE_SYNC_SIZE >= 1 &&
            _SHMEM_BCAST_SYNC_SIZE >= 1 && _SHMEM_BARRIER_SYNC_SIZE >= 1 &&
            _SHMEM_COLLECT_SYNC_SIZE >= 1 && _SHMEM_REDUCE_MIN_WRKDATA_SIZE >= 1 &&
            _SHMEM_CMP_EQ == SHMEM_CMP_EQ && _SHMEM_CMP_GE == SHMEM_CMP_GE,
        "deprecated constants");
  for (int i = 0; i < _SHMEM_REDUCE_SYNC_SIZE; ++i) pSync0[i] = pSync1[i] = _SHMEM_SYNC_VALUE;
  for (int i = 0; i < _SHMEM_BARRIER_SYNC_SIZE; ++i) pSync_bar[i] = _SHMEM_SYNC_VALUE;
  shmem_barrier_all();

  synch_p2p();
  stencil();
  transpose();

  /* shmem_wait: PE 0 waits for the last PE to change its flag. */
  if (me == npes - 1) shmem_long_p(&done_flag, 42, 0);
  if (me == 0) {
    shmem_wait(&done_flag, 0);
    CHECK(done_flag == 42, "shmem_wait returned with %ld", done_flag);
  }
  shmem_barrier(0, 0, npes, pSync_bar);
  for (int i = 0; i < _SHMEM_REDUCE_SYNC_SIZE; ++i)
    CHECK(pSync0[i] == _SHMEM_SYNC_VALUE && pSync1[i] == _SHMEM_SYNC_VALUE &&
              pSync_bar[i] == _SHMEM_SYNC_VALUE && pSync_bcast[i] == _SHMEM_SYNC_VALUE,
          "pSync[%d] not restored", i);
  shmem_finalize();
  return 0;
}
