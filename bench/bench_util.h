/* bench/bench_util.h - the physical limits every benchmark divides by,
 * measured in the same run: the floor (one-way time of a bare flag
 * ping-pong through one shared cache line, fork + shared mapping) and
 * memcpy bandwidth. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H
#define _GNU_SOURCE
#include <sched.h>
#include <shmem.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Plain POSIX time, so that the same sources build with other OpenSHMEM
 * implementations (oshcc) for side-by-side runs. */
static inline double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline void relax(int *spins) {
  if (++*spins < 32) __builtin_ia32_pause();
  else sched_yield();
}

/* Small sizes are timed in batches of kBatch round trips, so that the
 * clock's resolution and cost do not dominate a 50 ns event; the floor is
 * timed the same way. */
enum { kBatch = 10 };

/* One-way time of a flag ping-pong through one cache line.  The two
 * processes may use every CPU: launchers that bind each PE to one core
 * (oshrun, mpirun) would otherwise leave the fork child on its parent's
 * core and time context switches instead of the cache. */
static inline double measure_floor(int reps) {
  _Atomic long *line = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  atomic_store(line, 0);
  cpu_set_t bound, every;
  sched_getaffinity(0, sizeof bound, &bound);
  CPU_ZERO(&every);
  for (long c = 0; c < sysconf(_SC_NPROCESSORS_ONLN) && c < CPU_SETSIZE; ++c) CPU_SET(c, &every);
  sched_setaffinity(0, sizeof every, &every);
  pid_t child = fork();
  if (child == 0) {
    for (long i = 1; i <= (long)reps * kBatch; ++i) {
      int s = 0;
      while (atomic_load_explicit(line, memory_order_acquire) != 2 * i - 1) relax(&s);
      atomic_store_explicit(line, 2 * i, memory_order_release);
    }
    _exit(0);
  }
  double best = 1e30;
  for (long i = 1; i <= (long)reps * kBatch;) {
    double t0 = now();
    for (int b = 0; b < kBatch; ++b, ++i) {
      atomic_store_explicit(line, 2 * i - 1, memory_order_release);
      int s = 0;
      while (atomic_load_explicit(line, memory_order_acquire) != 2 * i) relax(&s);
    }
    double t = (now() - t0) / (2 * kBatch);
    if (t < best) best = t;
  }
  waitpid(child, NULL, 0);
  sched_setaffinity(0, sizeof bound, &bound);
  munmap((void *)line, 4096);
  return best;
}

static inline double measure_memcpy(char *dst, const char *src, size_t n, int reps) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    double t0 = now();
    memcpy(dst, src, n);
    __asm__ volatile("" ::: "memory");
    double t = now() - t0;
    if (t < best) best = t;
  }
  return best;
}


/* The floor, measured by PE 0 while every other PE sleeps, so that the two
 * processes of the floor have the cores to themselves.  Collective. */
static inline double measure_floor_quietly(int reps) {
  double floor_s = 0;
  long *done = shmem_calloc(1, sizeof(long));
  int me = shmem_my_pe();
  if (me == 0) {
    floor_s = measure_floor(reps);
    for (int pe = 1; pe < shmem_n_pes(); ++pe) shmem_long_atomic_set(done, 1, pe);
  } else {
    while (shmem_long_atomic_fetch(done, me) == 0) usleep(1000);
  }
  shmem_barrier_all();
  shmem_free(done);
  return floor_s;
}

#endif
