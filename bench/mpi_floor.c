/* bench/mpi_floor.c - libshmem's mpi transport against the MPI it runs on,
 * in one program and one run: the two figures of issue 15 ("Everything
 * through MPI"):
 *
 *  (a) put bandwidth at 1 MiB (and 4 MiB) at least that of MPI_Send/Recv
 *      on the same MPI.  Both are timed as a PingPong of the same size,
 *      as bench/pingpong.c and bench/pingpong_mpi.c time theirs (one-way
 *      time = round trip / 2, bandwidth = size / one-way time):
 *        libshmem: shmem_putmem + shmem_quiet + shmem_long_p of a flag;
 *                  the peer waits on the flag (shmem_long_wait_until) and
 *                  answers the same way;
 *        MPI:      MPI_Send, the peer MPI_Recv's and sends back.
 *  (b) shmem_long_atomic_fetch_add to the other PE within 1.2x of a bare
 *      MPI_Fetch_and_op(MPI_LONG, MPI_SUM) + MPI_Win_flush on a window made
 *      as libshmem makes its heap (MPI_Win_allocate with the same info hints, on
 *      a duplicate of MPI_COMM_WORLD, one MPI_Win_lock_all(MPI_MODE_NOCHECK)
 *      epoch).  PE 0 times them; PE 1 waits in MPI_Barrier in both cases,
 *      so that an MPI that runs atomics in software progresses them on PE 1
 *      the same way for both.
 *
 * Why one program: the two sides of each ratio run in the same processes,
 * the same MPI and the same environment (MPICH's variables included), in
 * alternating rounds, and the best of the rounds is kept for each figure,
 * so that a load on the cores from other jobs weighs on both sides alike.
 * The program calls MPI_Init first and shmem_init second: libshmem's mpi
 * transport finds MPI initialized and uses it (it then leaves MPI_Finalize
 * to the program, which finalizes in the reverse order).
 *
 * Everything it moves is checked: every PingPong message carries its
 * sequence number in its first and last words (checked by the receiver,
 * so a flag that overtakes its data is caught), one more exchange of each
 * kind checks every byte, and every fetch_add returns the count of those
 * before it (the target word ends at the total).  A check that fails makes
 * the program print INVALID and exit 1.  A missed target is no failure:
 * the program says "missed" and exits 0.
 *
 * Lines for bench/run (bench/runner/mpi_floor.py parses them):
 *   figure <name> <libshmem> <mpi> <unit>
 *   ratio <name> <value> <op> <threshold|-> <met|missed|->
 *   path <mpi-rma|on-node>      (shmem_ptr to the peer: NULL means MPI RMA)
 *   valid 1
 *
 * Build (bench/run --transport mpi does it into build/bench-run/):
 *   .venv/bin/mpicc -O2 -I include bench/mpi_floor.c -L build -lshmem \
 *       -Wl,-rpath,$PWD/build -o mpi_floor
 * Run (2 processes; every PE through MPI RMA; MPICH's network path):
 *   SHMEM_TRANSPORT=mpi SHMEM_MPI_ONNODE=0 MPIR_CVAR_NOLOCAL=1 \
 *       .venv/bin/mpiexec -n 2 ./mpi_floor [rounds] [samples]
 * rounds: alternating rounds (default 10); samples: timed samples of each
 * figure per round (default 5; a fetch_add sample is 10 calls). */
#define _GNU_SOURCE
#include <mpi.h>
#include <shmem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../src/runtime/transport/mpi/window_hints.h"

enum { kFaddBatch = 10, kSizes = 2 };
static const size_t kSize[kSizes] = {1u << 20, 4u << 20};

static int me, peer;
static long errors; /* checks that failed, on this PE */

static double min_d(double a, double b) { return a < b ? a : b; }

/* The byte at I of what PE FROM sends: differs per sender and offset. */
static unsigned char pattern(int from, size_t i) {
  return (unsigned char)(i * 131u + 7u * (unsigned)from + 1u);
}

static void fill(char *buf, size_t n, int from) {
  for (size_t i = 0; i < n; ++i) buf[i] = (char)pattern(from, i);
}

/* The sequence number rides in the first and last words of a message. */
static void stamp(char *buf, size_t n, long seq) {
  memcpy(buf, &seq, sizeof seq);
  memcpy(buf + n - sizeof seq, &seq, sizeof seq);
}

static void check_stamp(const char *buf, size_t n, long seq, const char *what) {
  long first, last;
  memcpy(&first, buf, sizeof first);
  memcpy(&last, buf + n - sizeof last, sizeof last);
  if (first != seq || last != seq) {
    if (errors++ < 5)
      fprintf(stderr, "mpi_floor: PE %d: %s of %zu bytes: got sequence %ld/%ld, wanted %ld\n",
              me, what, n, first, last, seq);
  }
}

/* Every byte but the stamped words, as PE FROM filled them. */
static void check_bytes(const char *buf, size_t n, int from, const char *what) {
  for (size_t i = sizeof(long); i < n - sizeof(long); ++i)
    if ((unsigned char)buf[i] != pattern(from, i)) {
      if (errors++ < 5)
        fprintf(stderr, "mpi_floor: PE %d: %s of %zu bytes: byte %zu is %u, wanted %u\n", me,
                what, n, i, (unsigned char)buf[i], pattern(from, i));
      return;
    }
}

/* ---- (a) PingPong ------------------------------------------------------ */

struct shmem_pp {
  char *buf;  /* symmetric: the peer puts its message here */
  long *flag; /* symmetric: the peer puts the message's sequence number here */
  char *src;  /* private: what this PE sends */
  long seq;
};

static void shmem_round_trip(struct shmem_pp *pp, size_t n) {
  long seq = ++pp->seq;
  if (me == 0) {
    stamp(pp->src, n, seq);
    shmem_putmem(pp->buf, pp->src, n, peer);
    shmem_quiet();
    shmem_long_p(pp->flag, seq, peer);
    shmem_long_wait_until(pp->flag, SHMEM_CMP_EQ, seq);
    check_stamp(pp->buf, n, seq, "shmem reply");
  } else {
    shmem_long_wait_until(pp->flag, SHMEM_CMP_EQ, seq);
    check_stamp(pp->buf, n, seq, "shmem message");
    stamp(pp->src, n, seq);
    shmem_putmem(pp->buf, pp->src, n, peer);
    shmem_quiet();
    shmem_long_p(pp->flag, seq, peer);
  }
}

struct mpi_pp {
  char *rbuf, *src;
  long seq;
};

static void mpi_round_trip(struct mpi_pp *pp, size_t n) {
  long seq = ++pp->seq;
  if (me == 0) {
    stamp(pp->src, n, seq);
    MPI_Send(pp->src, (int)n, MPI_BYTE, peer, 0, MPI_COMM_WORLD);
    MPI_Recv(pp->rbuf, (int)n, MPI_BYTE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    check_stamp(pp->rbuf, n, seq, "MPI reply");
  } else {
    MPI_Recv(pp->rbuf, (int)n, MPI_BYTE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    check_stamp(pp->rbuf, n, seq, "MPI message");
    stamp(pp->src, n, seq);
    MPI_Send(pp->src, (int)n, MPI_BYTE, peer, 0, MPI_COMM_WORLD);
  }
}

/* Best one-way time over SAMPLES samples of one round trip, each after a
 * barrier and one untimed round trip that lines the two PEs up. */
static double best_one_way(int shmem_side, void *pp, size_t n, int samples) {
  double best = 1e30;
  for (int s = 0; s < samples; ++s) {
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = 0;
    for (int b = -1; b < 1; ++b) {
      if (b == 0) t0 = MPI_Wtime();
      if (shmem_side) shmem_round_trip(pp, n);
      else mpi_round_trip(pp, n);
    }
    best = min_d(best, (MPI_Wtime() - t0) / 2);
  }
  return best;
}

/* ---- (b) fetch_add ----------------------------------------------------- */

struct fadd {
  long *word;     /* symmetric, on the heap libshmem made an MPI window */
  MPI_Win win;    /* the bare window, made as libshmem makes its heap's */
  MPI_Comm comm;  /* its communicator: a duplicate of MPI_COMM_WORLD */
  long shmem_n, mpi_n; /* fetch_adds issued so far, the next expected result */
};

/* Best time of one fetch_add over SAMPLES samples of kFaddBatch calls, PE 0
 * to PE 1, while PE 1 waits in MPI_Barrier. */
static double best_fadd(int shmem_side, struct fadd *f, int samples) {
  double best = 1e30;
  MPI_Barrier(MPI_COMM_WORLD);
  if (me == 0) {
    const long one = 1;
    for (int s = 0; s < samples; ++s) {
      long got[kFaddBatch];
      double t0 = MPI_Wtime();
      for (int b = 0; b < kFaddBatch; ++b) {
        if (shmem_side) {
          got[b] = shmem_long_atomic_fetch_add(f->word, 1, peer);
        } else {
          MPI_Fetch_and_op(&one, &got[b], MPI_LONG, peer, 0, MPI_SUM, f->win);
          MPI_Win_flush(peer, f->win);
        }
      }
      best = min_d(best, (MPI_Wtime() - t0) / kFaddBatch);
      long *n = shmem_side ? &f->shmem_n : &f->mpi_n;
      for (int b = 0; b < kFaddBatch; ++b, ++*n)
        if (got[b] != *n && errors++ < 5)
          fprintf(stderr, "mpi_floor: PE 0: %s fetch_add number %ld returned %ld\n",
                  shmem_side ? "shmem" : "MPI", *n, got[b]);
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return best;
}

/* PE 1's two words hold the number of fetch_adds PE 0 made on each. */
static void check_fadd_totals(struct fadd *f) {
  long counts[2] = {f->shmem_n, f->mpi_n};
  MPI_Bcast(counts, 2, MPI_LONG, 0, MPI_COMM_WORLD);
  if (me != 1) return;
  long mine = shmem_long_atomic_fetch(f->word, me), bare = 0;
  MPI_Fetch_and_op(NULL, &bare, MPI_LONG, me, 0, MPI_NO_OP, f->win);
  MPI_Win_flush(me, f->win);
  if (mine != counts[0] || bare != counts[1]) {
    ++errors;
    fprintf(stderr, "mpi_floor: PE 1: fetch_add totals %ld (shmem) and %ld (MPI), wanted %ld "
            "and %ld\n", mine, bare, counts[0], counts[1]);
  }
}

/* ---- the run ------------------------------------------------------------ */

static void print_ratio(const char *name, double value, const char *op, double threshold) {
  if (threshold <= 0) {
    printf("ratio %s %.3f %s - -\n", name, value, op);
    return;
  }
  int met = op[0] == '>' ? value >= threshold : value <= threshold;
  printf("ratio %s %.3f %s %.2f %s\n", name, value, op, threshold, met ? "met" : "missed");
}

static const char *env_or(const char *name, const char *otherwise) {
  const char *v = getenv(name);
  return v && *v ? v : otherwise;
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  shmem_init();
  int rounds = argc > 1 ? atoi(argv[1]) : 10, samples = argc > 2 ? atoi(argv[2]) : 5;
  int nranks;
  MPI_Comm_size(MPI_COMM_WORLD, &nranks);
  me = shmem_my_pe();
  int rank;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (nranks != 2 || shmem_n_pes() != 2 || rank != me || rounds < 1 || samples < 1) {
    if (rank == 0)
      fprintf(stderr, "mpi_floor: run with 2 processes under mpiexec, PE = MPI rank "
              "(here %d ranks, %d PEs), rounds and samples >= 1\n", nranks, shmem_n_pes());
    shmem_finalize();
    MPI_Finalize();
    return 2;
  }
  peer = 1 - me;

  const size_t max_n = kSize[kSizes - 1];
  struct shmem_pp spp = {shmem_malloc(max_n), shmem_calloc(1, sizeof(long)), malloc(max_n), 0};
  struct mpi_pp mpp = {malloc(max_n), spp.src, 0};
  memset(spp.buf, 0, max_n);
  memset(mpp.rbuf, 0, max_n);
  fill(spp.src, max_n, me);

  struct fadd f = {shmem_calloc(1, sizeof(long)), MPI_WIN_NULL, MPI_COMM_NULL, 0, 0};
  MPI_Comm_dup(MPI_COMM_WORLD, &f.comm);
  /* The hints of libshmem's windows, so that both sides may get the same
   * atomics from the MPI. */
  MPI_Info info = shmemi_window_info();
  long *bare_word = NULL;
  MPI_Win_allocate(sizeof(long), 1, info, f.comm, &bare_word, &f.win);
  MPI_Info_free(&info);
  *bare_word = 0;
  MPI_Barrier(MPI_COMM_WORLD); /* both words zero before any fetch_add */
  MPI_Win_lock_all(MPI_MODE_NOCHECK, f.win);
  shmem_barrier_all();

  /* Alternating rounds: each figure of libshmem beside its MPI twin. */
  double put_t[kSizes], send_t[kSizes], fadd_shmem = 1e30, fadd_mpi = 1e30;
  for (int i = 0; i < kSizes; ++i) put_t[i] = send_t[i] = 1e30;
  for (int r = 0; r < rounds; ++r) {
    for (int i = 0; i < kSizes; ++i) {
      put_t[i] = min_d(put_t[i], best_one_way(1, &spp, kSize[i], samples));
      send_t[i] = min_d(send_t[i], best_one_way(0, &mpp, kSize[i], samples));
    }
    fadd_shmem = min_d(fadd_shmem, best_fadd(1, &f, samples));
    fadd_mpi = min_d(fadd_mpi, best_fadd(0, &f, samples));
  }

  /* Every byte of one more message each way, on both sides (the source
   * filled afresh: the stamps of the smaller size are in it). */
  for (int i = 0; i < kSizes; ++i) {
    size_t n = kSize[i];
    fill(spp.src, max_n, me);
    shmem_round_trip(&spp, n);
    check_bytes(spp.buf, n, peer, "shmem message");
    mpi_round_trip(&mpp, n);
    check_bytes(mpp.rbuf, n, peer, "MPI message");
  }
  check_fadd_totals(&f);

  long all_errors = 0;
  MPI_Allreduce(&errors, &all_errors, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  void *peer_ptr = shmem_ptr(spp.buf, peer);
  if (me == 0) {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(version, &len);
    char *nl = strchr(version, '\n');
    if (nl) *nl = '\0';
    printf("# mpi_floor: 2 PEs, libshmem over %s\n", version);
    printf("# SHMEM_TRANSPORT=%s SHMEM_MPI_ONNODE=%s MPIR_CVAR_NOLOCAL=%s; %d alternating "
           "rounds of %d samples, best kept\n", env_or("SHMEM_TRANSPORT", "(unset)"),
           env_or("SHMEM_MPI_ONNODE", "(unset)"), env_or("MPIR_CVAR_NOLOCAL", "(unset)"), rounds,
           samples);
    printf("# PingPong one-way: shmem_putmem + shmem_quiet + flag vs MPI_Send/Recv; "
           "fetch_add vs MPI_Fetch_and_op + MPI_Win_flush\n");
    printf("%-28s %12s %12s %8s\n", "# figure", "libshmem", "MPI", "unit");
    for (int i = 0; i < kSizes; ++i)
      printf("figure put_%zuMiB_GBps %12.6g %12.6g %8s\n", kSize[i] >> 20,
             kSize[i] / put_t[i] / 1e9, kSize[i] / send_t[i] / 1e9, "GB/s");
    printf("figure fetch_add_us %12.6g %12.6g %8s\n", fadd_shmem * 1e6, fadd_mpi * 1e6, "us");
    printf("path %s\n", peer_ptr ? "on-node" : "mpi-rma");
    if (peer_ptr)
      printf("# shmem_ptr reaches the peer: the on-node path carried the puts, not MPI RMA "
             "(set SHMEM_MPI_ONNODE=0)\n");
    /* (a) bandwidth over Send/Recv's: time of Send/Recv over the put's. */
    print_ratio("put_bw_1MiB_over_sendrecv", send_t[0] / put_t[0], ">=", 1.0);
    print_ratio("put_bw_4MiB_over_sendrecv", send_t[1] / put_t[1], ">=", 0);
    /* (b) fetch_add time over the bare MPI_Fetch_and_op + flush. */
    print_ratio("fetch_add_over_mpi_fetch_and_op", fadd_shmem / fadd_mpi, "<=", 1.2);
    printf("# targets (issue 15): put bandwidth at 1 MiB / Send/Recv's >= 1 (%s); "
           "fetch_add / bare MPI_Fetch_and_op + flush <= 1.2 (%s)\n",
           send_t[0] / put_t[0] >= 1.0 ? "met" : "missed",
           fadd_shmem / fadd_mpi <= 1.2 ? "met" : "missed");
    if (all_errors == 0)
      printf("valid 1 (every message's sequence and bytes, %ld + %ld fetch_add results)\n",
             f.shmem_n, f.mpi_n);
    else
      printf("INVALID: %ld checks failed (see stderr)\n", all_errors);
    fflush(stdout);
  }

  MPI_Win_unlock_all(f.win);
  MPI_Win_free(&f.win);
  MPI_Comm_free(&f.comm);
  shmem_free(f.word);
  shmem_free(spp.flag);
  shmem_free(spp.buf);
  free(spp.src);
  free(mpp.rbuf);
  shmem_finalize();
  MPI_Finalize();
  return all_errors == 0 ? 0 : 1;
}
