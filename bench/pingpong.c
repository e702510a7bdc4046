/* bench/pingpong.c - 2-PE PingPong as the shmem4py paper measured it:
 * put of the data, fence, put of a flag; the peer waits on the flag and
 * answers the same way.  Best of REPS round trips per size, 8 B to 16 MiB.
 *
 * Every figure is printed with its physical limit measured in the same run:
 *  - bandwidth / memcpy bandwidth of the same size;
 *  - latency / "floor", the one-way time of a bare flag ping-pong between
 *    two processes through one shared cache line (fork + shared mapping),
 *    measured by PE 0 after the PingPong while PE 1 sleeps, so that the
 *    two processes of the floor have the two cores to themselves.
 * Run: shmemrun -n 2 build/bench/pingpong [max_bytes] [reps] */
#define _GNU_SOURCE
#include "bench_util.h"

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
  int peer = 1 - me;
  char *buf = shmem_malloc(max_bytes);
  long *flag = shmem_calloc(1, sizeof(long));
  char *src = malloc(max_bytes), *tmp = malloc(max_bytes);
  memset(src, 1, max_bytes);
  memset(tmp, 2, max_bytes);
  memset(buf, 0, max_bytes);
  long seq = 0;
  shmem_barrier_all();

  enum { kMaxSizes = 64 };
  size_t sizes[kMaxSizes];
  double lat[kMaxSizes], mcpy[kMaxSizes];
  int nsizes = 0;
  for (size_t n = 8; n <= max_bytes && nsizes < kMaxSizes; n *= 2) {
    int r_here = n >= (1u << 20) ? (reps < 30 ? reps : 30) : reps;
    int batch = n < (64u << 10) ? kBatch : 1;
    double best = 1e30;
    for (int r = 0; r < r_here; ++r) {
      shmem_barrier_all();
      double t0 = now();
      for (int b = 0; b < batch; ++b) {
        ++seq;
        if (me == 0) {
          shmem_putmem(buf, src, n, peer);
          shmem_fence();
          shmem_long_p(flag, seq, peer);
          shmem_long_wait_until(flag, SHMEM_CMP_EQ, seq);
        } else {
          shmem_long_wait_until(flag, SHMEM_CMP_EQ, seq);
          shmem_putmem(buf, src, n, peer);
          shmem_fence();
          shmem_long_p(flag, seq, peer);
        }
      }
      double t = (now() - t0) / (2 * batch);
      if (t < best) best = t;
    }
    if (me == 0) {
      sizes[nsizes] = n;
      lat[nsizes] = best;
      mcpy[nsizes] = measure_memcpy(tmp, src, n, r_here);
    }
    ++nsizes;
  }

  /* fetch_add to the peer and barrier_all, against the floor. */
  double best_amo = 1e30, best_bar = 1e30;
  long *word = shmem_calloc(1, sizeof(long));
  for (int r = 0; r < 10 * reps; ++r) {
    if (me == 0) {
      double t0 = now();
      (void)shmem_long_atomic_fetch_add(word, 1, peer);
      double t = now() - t0;
      if (t < best_amo) best_amo = t;
    }
  }
  for (int r = 0; r < 10 * reps; ++r) {
    double t0 = now();
    shmem_barrier_all();
    double t = now() - t0;
    if (t < best_bar) best_bar = t;
  }
  /* The PingPong's own protocol with raw loads and stores through
   * shmem_ptr (two flag lines, one per direction, no library call): what
   * the library adds to the 8-byte one-way time is the difference. */
  double best_raw = 1e30;
  {
    _Atomic long *peer_flag = shmem_ptr(flag, peer), *my_flag = (_Atomic long *)flag;
    for (int r = 0; r < reps; ++r) {
      shmem_barrier_all();
      double t0 = now();
      for (int b = 0; b < kBatch; ++b) {
        ++seq;
        int spins = 0;
        if (me == 0) {
          atomic_store_explicit(peer_flag, seq, memory_order_release);
          while (atomic_load_explicit(my_flag, memory_order_acquire) != seq) relax(&spins);
        } else {
          while (atomic_load_explicit(my_flag, memory_order_acquire) != seq) relax(&spins);
          atomic_store_explicit(peer_flag, seq, memory_order_release);
        }
      }
      double t = (now() - t0) / (2 * kBatch);
      if (t < best_raw) best_raw = t;
    }
  }
  double floor_s = measure_floor_quietly(20000);

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
    printf("# raw two-flag protocol (loads/stores through shmem_ptr): %.3f us = %.2f x floor; "
           "8-byte put + fence + flag = %.2f x that\n",
           best_raw * 1e6, best_raw / floor_s, lat[0] / best_raw);
    printf("# fetch_add to peer: %.3f us = %.2f x floor\n", best_amo * 1e6, best_amo / floor_s);
    printf("# barrier_all (2 PEs): %.3f us = %.2f x floor\n", best_bar * 1e6, best_bar / floor_s);
  }
  shmem_free(word);
  shmem_free(flag);
  shmem_free(buf);
  free(src);
  free(tmp);
  shmem_finalize();
  return 0;
}
