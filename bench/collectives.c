/* bench/collectives.c - barrier_all, team_sync, sum_reduce and sum_inscan,
 * each with its ratio to a physical limit measured in the same run:
 *  - synchronization against a memory round trip (2 x the floor) per level
 *    of the dissemination barrier (ceil(log2 n) levels);
 *  - the reduction of N doubles against memcpy bandwidth: each PE reduces
 *    N/n elements of n sources and writes them to n destinations, so it
 *    moves 2*N*8 bytes; the ratio is that rate over memcpy's;
 *  - the inclusive prefix sum of the same N doubles against that reduction:
 *    the ratio of their times.  The scan is split as the reduction is (each
 *    PE reads its chunk of every source and writes it to every dest), so it
 *    moves the same bytes between PEs.
 * Run: shmemrun -n 4 build/bench/collectives [reps] */
#include "bench_util.h"

static double best_of(int reps, void (*op)(void *), void *arg) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    shmem_barrier_all();
    double t0 = now();
    op(arg);
    double t = now() - t0;
    if (t < best) best = t;
  }
  /* every PE's best is a lower bound of the collective's time; take the max */
  static double in, out;
  in = best;
  shmem_double_max_reduce(SHMEM_TEAM_WORLD, &out, &in, 1);
  return out;
}

static void do_barrier(void *a) { (void)a; shmem_barrier_all(); }
static void do_team_sync(void *a) { (void)a; shmem_team_sync(SHMEM_TEAM_WORLD); }
struct reduce_args { double *dst, *src; size_t n; };
static void do_reduce(void *a) {
  struct reduce_args *r = a;
  shmem_double_sum_reduce(SHMEM_TEAM_WORLD, r->dst, r->src, r->n);
}
static void do_inscan(void *a) {
  struct reduce_args *r = a;
  shmem_double_sum_inscan(SHMEM_TEAM_WORLD, r->dst, r->src, r->n);
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 200;
  shmem_init();
  int me = shmem_my_pe(), n = shmem_n_pes();
  int levels = 0;
  for (int d = 1; d < n; d <<= 1) ++levels;
  double floor_s = measure_floor_quietly(20000);

  double t_bar = best_of(reps, do_barrier, NULL);
  double t_sync = best_of(reps, do_team_sync, NULL);

  const size_t big = 1u << 20;
  struct reduce_args ra = {shmem_malloc(big * sizeof(double)),
                           shmem_malloc(big * sizeof(double)), 1};
  for (size_t i = 0; i < big; ++i) ra.src[i] = (double)(i % 1000) + me;
  double t_red1 = best_of(reps, do_reduce, &ra);
  ra.n = big;
  double t_redbig = best_of(reps / 10 + 3, do_reduce, &ra);
  int ok = 1;
  for (size_t i = 0; i < big; i += 4099)
    ok &= ra.dst[i] == (double)n * (double)(i % 1000) + n * (n - 1) / 2.0;
  double t_scanbig = best_of(reps / 10 + 3, do_inscan, &ra);
  for (size_t i = 0; i < big; i += 4099) /* sum over PEs 0..me of (i % 1000) + p */
    ok &= ra.dst[i] == (me + 1.0) * (double)(i % 1000) + me * (me + 1) / 2.0;

  char *a = malloc(big * sizeof(double)), *b = malloc(big * sizeof(double));
  memset(a, 1, big * sizeof(double));
  memset(b, 2, big * sizeof(double));
  double t_mc = measure_memcpy(b, a, big * sizeof(double), 20);

  if (me == 0) {
    double rt = 2 * floor_s; /* a memory round trip */
    printf("# collectives, %d PEs (%d dissemination levels); floor %.3f us, round trip %.3f us\n",
           n, levels, floor_s * 1e6, rt * 1e6);
    printf("%-28s %12s %s\n", "operation", "time_us", "ratio");
    if (levels) {
      printf("%-28s %12.3f %.2f round trips per level\n", "barrier_all", t_bar * 1e6,
             t_bar / rt / levels);
      printf("%-28s %12.3f %.2f round trips per level\n", "team_sync(WORLD)", t_sync * 1e6,
             t_sync / rt / levels);
    }
    printf("%-28s %12.3f %.2f x floor\n", "sum_reduce 1 double", t_red1 * 1e6, t_red1 / floor_s);
    double moved = 2.0 * big * sizeof(double); /* read n chunks of N/n, write n chunks */
    printf("%-28s %12.3f %.3f of memcpy bandwidth per PE (%.2f GB/s vs %.2f GB/s)%s\n",
           "sum_reduce 1 Mi doubles", t_redbig * 1e6, (moved / t_redbig) / (big * 8.0 / t_mc),
           moved / t_redbig / 1e9, big * 8.0 / t_mc / 1e9, ok ? "" : "  WRONG RESULT");
    printf("%-28s %12.3f %.2f x sum_reduce's time (the same bytes between PEs)%s\n",
           "sum_inscan 1 Mi doubles", t_scanbig * 1e6, t_scanbig / t_redbig,
           ok ? "" : "  WRONG RESULT");
  }
  free(a);
  free(b);
  shmem_free(ra.dst);
  shmem_free(ra.src);
  shmem_finalize();
  return ok ? 0 : 1;
}
