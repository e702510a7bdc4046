/* bench/pingpong_mpi.c - the PingPong of bench/pingpong.c with MPI
 * Send/Recv, the form the shmem4py paper compared against: PE 0 sends n
 * bytes, PE 1 receives them and sends n bytes back.  One-way time = round
 * trip / 2, best of REPS (sizes below 64 KiB: best of REPS batches of 10
 * round trips), 8 B to MAX_BYTES (16 MiB).  Prints the columns of
 * bench/pingpong.c's table: size_bytes latency_us bandwidth_GBps.
 * Build with the mpicc of the mpich wheel (bench/run does):
 *   mpicc -O2 bench/pingpong_mpi.c -o pingpong_mpi
 *   mpiexec -n 2 ./pingpong_mpi [max_bytes] [reps] */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kBatch = 10 };

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  size_t max_bytes = argc > 1 ? strtoull(argv[1], NULL, 0) : (16u << 20);
  int reps = argc > 2 ? atoi(argv[2]) : 100;
  int me, npes;
  MPI_Comm_rank(MPI_COMM_WORLD, &me);
  MPI_Comm_size(MPI_COMM_WORLD, &npes);
  if (npes != 2) {
    if (me == 0) fprintf(stderr, "pingpong_mpi: run with 2 processes (mpiexec -n 2)\n");
    MPI_Finalize();
    return 2;
  }
  if (max_bytes < 8) max_bytes = 8;
  int peer = 1 - me;
  char *sbuf = malloc(max_bytes), *rbuf = malloc(max_bytes);
  memset(sbuf, 1, max_bytes);
  memset(rbuf, 0, max_bytes);
  if (me == 0)
    printf("# MPI PingPong, 2 processes: Send/Recv, one-way time, best of %d "
           "(below 64 KiB: best of %d batches of %d round trips)\n"
           "%12s %12s %14s\n", reps, reps, kBatch, "size_bytes", "latency_us", "bandwidth_GBps");
  for (size_t n = 8; n <= max_bytes; n *= 2) {
    int reps_here = n >= (1u << 20) && reps > 30 ? 30 : reps;
    int batch = n < (64u << 10) ? kBatch : 1;
    double best = 1e30;
    for (int r = 0; r < reps_here; ++r) {
      MPI_Barrier(MPI_COMM_WORLD);
      double t0 = MPI_Wtime();
      for (int b = 0; b < batch; ++b) {
        if (me == 0) {
          MPI_Send(sbuf, (int)n, MPI_BYTE, peer, 0, MPI_COMM_WORLD);
          MPI_Recv(rbuf, (int)n, MPI_BYTE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else {
          MPI_Recv(rbuf, (int)n, MPI_BYTE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          MPI_Send(sbuf, (int)n, MPI_BYTE, peer, 0, MPI_COMM_WORLD);
        }
      }
      double t = (MPI_Wtime() - t0) / (2 * batch);
      if (t < best) best = t;
    }
    if (me == 0) printf("%12zu %12.3f %14.3f\n", n, best * 1e6, n / best / 1e9);
  }
  free(sbuf);
  free(rbuf);
  MPI_Finalize();
  return 0;
}
