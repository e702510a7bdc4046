/* bench/pingpong.c - 2-PE PingPong as the shmem4py paper measured it:
 * put of the data, fence, put of a flag; the peer waits on the flag and
 * answers the same way.  Best of REPS round trips per size, 8 B to 16 MiB.
 *
 * Every figure is printed with its physical limit measured in the same run:
 *  - bandwidth / memcpy bandwidth of the same size;
 *  - latency / "floor", the one-way time of a bare flag ping-pong between
 *    two processes through one shared cache line (fork + shared mapping),
 *    measured by PE 0 while PE 1 sleeps, so that the two processes of the
 *    floor have the two cores to themselves.
 *
 * The 8-byte figures that the targets are judged on are taken apart from
 * the table: the PingPong, the same protocol with raw loads and stores
 * (through shmem_ptr, no library call) and the floor are sampled in
 * interleaved rounds, the same number of samples each, so that a change of
 * the virtual machine's state during the run weighs on all three alike.
 * A PingPong cannot use one line: each PE waits on its own flag, which the
 * peer writes, so two lines move per round trip; the raw protocol is what
 * that costs without any library.
 *
 * The source uses only OpenSHMEM 1.4 and POSIX, so that it also builds
 * with other implementations (bench/compare_oshmem.py).
 * Run: shmemrun -n 2 build/bench/pingpong [max_bytes] [reps] */
#define _GNU_SOURCE
#include "bench_util.h"

struct pingpong {
  int me, peer;
  char *buf;       /* symmetric: the peer puts its data here */
  long *flag;      /* symmetric: the peer puts the sequence number here */
  const char *src; /* private source of the data */
  long seq;
};

/* One round trip of the PingPong: PE 0 sends first, PE 1 answers. */
static inline void round_trip(struct pingpong *pp, size_t n) {
  long seq = ++pp->seq;
  if (pp->me == 0) {
    shmem_putmem(pp->buf, pp->src, n, pp->peer);
    shmem_fence();
    shmem_long_p(pp->flag, seq, pp->peer);
    shmem_long_wait_until(pp->flag, SHMEM_CMP_EQ, seq);
  } else {
    shmem_long_wait_until(pp->flag, SHMEM_CMP_EQ, seq);
    shmem_putmem(pp->buf, pp->src, n, pp->peer);
    shmem_fence();
    shmem_long_p(pp->flag, seq, pp->peer);
  }
}

/* The same protocol with the flags only, as raw loads and stores. */
static inline void raw_round_trip(struct pingpong *pp, _Atomic long *peer_flag) {
  long seq = ++pp->seq;
  _Atomic long *my_flag = (_Atomic long *)pp->flag;
  int spins = 0;
  if (pp->me == 0) {
    atomic_store_explicit(peer_flag, seq, memory_order_release);
    while (atomic_load_explicit(my_flag, memory_order_acquire) != seq) relax(&spins);
  } else {
    while (atomic_load_explicit(my_flag, memory_order_acquire) != seq) relax(&spins);
    atomic_store_explicit(peer_flag, seq, memory_order_release);
  }
}

/* Best one-way time over `samples` samples of `batch` round trips; each
 * sample starts with one untimed round trip that lines the PEs up after
 * the barrier.  peer_flag != NULL: the raw protocol instead of the library. */
static double best_one_way(struct pingpong *pp, size_t n, int samples, int batch,
                           _Atomic long *peer_flag) {
  double best = 1e30;
  for (int r = 0; r < samples; ++r) {
    shmem_barrier_all();
    double t0 = 0;
    for (int b = -1; b < batch; ++b) {
      if (b == 0) t0 = now();
      if (peer_flag) raw_round_trip(pp, peer_flag);
      else round_trip(pp, n);
    }
    double t = (now() - t0) / (2 * batch);
    if (t < best) best = t;
  }
  return best;
}

static double min_d(double a, double b) { return a < b ? a : b; }

int main(int argc, char **argv) {
  size_t max_bytes = argc > 1 ? strtoull(argv[1], NULL, 0) : (16u << 20);
  int reps = argc > 2 ? atoi(argv[2]) : 100;
  shmem_init();
  int me = shmem_my_pe();
  if (shmem_n_pes() != 2) {
    if (me == 0) fprintf(stderr, "pingpong: run with 2 PEs (shmemrun -n 2)\n");
    shmem_finalize();
    return 2;
  }
  if (max_bytes < 8) max_bytes = 8;
  char *src = malloc(max_bytes), *tmp = malloc(max_bytes);
  struct pingpong pp = {me, 1 - me, shmem_malloc(max_bytes), shmem_calloc(1, sizeof(long)),
                        src, 0};
  memset(src, 1, max_bytes);
  memset(tmp, 2, max_bytes);
  memset(pp.buf, 0, max_bytes);
  shmem_barrier_all();

  enum { kMaxSizes = 64 };
  size_t sizes[kMaxSizes];
  double lat[kMaxSizes], mcpy[kMaxSizes];
  int nsizes = 0;
  for (size_t n = 8; n <= max_bytes && nsizes < kMaxSizes; n *= 2) {
    int r_here = n >= (1u << 20) ? (reps < 30 ? reps : 30) : reps;
    double best = best_one_way(&pp, n, r_here, n < (64u << 10) ? kBatch : 1, NULL);
    if (me == 0) {
      sizes[nsizes] = n;
      lat[nsizes] = best;
      mcpy[nsizes] = measure_memcpy(tmp, src, n, r_here);
    }
    ++nsizes;
  }

  /* 8 bytes: library, raw protocol and floor, interleaved (see above). */
  enum { kRounds = 10 };
  int per_round = 10 * reps;
  _Atomic long *peer_flag = shmem_ptr(pp.flag, pp.peer);
  double lib8 = 1e30, raw8 = 1e30, floor_s = 1e30;
  for (int round = 0; round < kRounds; ++round) {
    lib8 = min_d(lib8, best_one_way(&pp, 8, per_round, kBatch, NULL));
    if (peer_flag) raw8 = min_d(raw8, best_one_way(&pp, 8, per_round, kBatch, peer_flag));
    floor_s = min_d(floor_s, measure_floor_quietly(per_round));
  }

  /* Large puts one way only (PE 1 waits in a barrier), alternating with
   * memcpy of the same size: the library's copy without the PingPong's
   * second copy, which doubles what the two cores push through the caches. */
  enum { kOneWaySizes = 2 };
  const size_t one_way_size[kOneWaySizes] = {1u << 20, 4u << 20};
  double one_way_ratio[kOneWaySizes] = {0, 0};
  for (int i = 0; i < kOneWaySizes; ++i) {
    size_t n = one_way_size[i];
    if (n > max_bytes) continue;
    if (me == 0) {
      double best_put = 1e30, best_cpy = 1e30;
      for (int r = 0; r < 30; ++r) {
        best_cpy = min_d(best_cpy, measure_memcpy(tmp, src, n, 1));
        double t0 = now();
        shmem_putmem(pp.buf, src, n, pp.peer);
        shmem_quiet();
        best_put = min_d(best_put, now() - t0);
      }
      one_way_ratio[i] = best_cpy / best_put;
    }
    shmem_barrier_all();
  }

  /* fetch_add to the peer and barrier_all, against the floor. */
  double best_amo = 1e30, best_bar = 1e30;
  long *word = shmem_calloc(1, sizeof(long));
  for (int r = 0; r < 10 * reps; ++r) {
    if (me == 0) {
      double t0 = now();
      (void)shmem_long_atomic_fetch_add(word, 1, pp.peer);
      best_amo = min_d(best_amo, now() - t0);
    }
  }
  for (int r = 0; r < 10 * reps; ++r) {
    double t0 = now();
    shmem_barrier_all();
    best_bar = min_d(best_bar, now() - t0);
  }

  if (me == 0) {
    printf("# PingPong, 2 PEs: put + fence + flag, one-way time, best of %d "
           "(below 64 KiB: best of %d batches of %d round trips)\n", reps, reps, kBatch);
    printf("# floor (flag ping-pong through one cache line, fork + shared mapping): %.3f us\n",
           floor_s * 1e6);
    printf("%12s %12s %14s %14s %10s %10s\n", "size_bytes", "latency_us", "bandwidth_GBps",
           "memcpy_GBps", "bw/memcpy", "lat/floor");
    for (int i = 0; i < nsizes; ++i)
      printf("%12zu %12.3f %14.3f %14.3f %10.3f %10.3f\n", sizes[i], lat[i] * 1e6,
             sizes[i] / lat[i] / 1e9, sizes[i] / mcpy[i] / 1e9, mcpy[i] / lat[i],
             lat[i] / floor_s);
    printf("# 8 bytes, %d interleaved rounds of %d batches each:\n", kRounds, per_round);
    printf("#   put + fence + flag: %.3f us = %.2f x floor\n", lib8 * 1e6, lib8 / floor_s);
    if (peer_flag)
      printf("#   raw two-flag protocol (loads/stores through shmem_ptr): %.3f us = %.2f x floor;"
             " put + fence + flag = %.2f x that\n", raw8 * 1e6, raw8 / floor_s, lib8 / raw8);
    else
      printf("#   raw two-flag protocol: n/a (shmem_ptr gives no pointer to the peer)\n");
    for (int i = 0; i < kOneWaySizes; ++i)
      if (one_way_ratio[i] > 0)
        printf("# %zu bytes put one way (peer idle) / memcpy, alternating: %.3f\n",
               one_way_size[i], one_way_ratio[i]);
    printf("# fetch_add to peer: %.3f us = %.2f x floor\n", best_amo * 1e6, best_amo / floor_s);
    printf("# barrier_all (2 PEs): %.3f us = %.2f x floor\n", best_bar * 1e6, best_bar / floor_s);
  }
  shmem_free(word);
  shmem_free(pp.flag);
  shmem_free(pp.buf);
  free(src);
  free(tmp);
  shmem_finalize();
  return 0;
}
