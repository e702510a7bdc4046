/* stencil (MPI): the PRK's star stencil on a 2D block decomposition
 * (prk_stencil.h), halos exchanged as the PRK's MPI1 version does: post
 * the receives, pack and send, wait for all, unpack.
 *
 *   stencil_mpi <iterations> <grid order n> [radius=2] */
#include "prk_mpi.h"
#include "prk_stencil.h"

int main(int argc, char **argv) {
  int me, npes;
  prk_mpi_init(&argc, &argv, &me, &npes);

  struct prk_args args;
  prk_args_init(&args, "stencil", argc, argv, me);
  prk_args_count(&args, 2, 3, "<iterations> <grid order n> [radius]");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX, 1);
  long n = prk_long_arg(&args, 2, "grid order n", 1, 1L << 30, 1);
  int R = (int)prk_long_arg(&args, 3, "radius", 1, 15, 2);
  if (!args.error && 2 * R + 1 > n)
    prk_usage_error(&args, "the radius %d needs a grid of at least %d points a side, got %ld", R,
                    2 * R + 1, n);
  struct prk_tile t;
  if (!args.error) prk_tile_init(&t, &args, n, R, me, npes);
  if (args.error) return prk_mpi_finish(PRK_EXIT_USAGE);

  if (me == 0) {
    prk_banner("MPI stencil execution on 2D grid");
    printf("Number of ranks        = %d\n", npes);
    printf("Grid size              = %ld\n", n);
    printf("Radius of stencil      = %d\n", R);
    printf("Tiles in x/y-direction = %d/%d\n", t.npx, t.npy);
    printf("Type of stencil        = star\n");
    printf("Data type              = double precision\n");
    printf("Halo exchange          = Irecv + Isend + Waitall\n");
    printf("Number of iterations   = %ld\n", iterations);
  }

  double *in = malloc((size_t)prk_tile_words(&t) * sizeof(double));
  double *out = malloc((size_t)(t.width * t.height) * sizeof(double));
  double *send = malloc((size_t)(PRK_NSIDES * t.strip_max) * sizeof(double));
  double *recv = malloc((size_t)(PRK_NSIDES * t.strip_max) * sizeof(double));
  if (prk_mpi_alloc_failed(in && out && send && recv, "stencil", "the tile", me))
    return prk_mpi_finish(PRK_EXIT_USAGE);
  prk_stencil_init(&t, in, out);

  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      MPI_Barrier(MPI_COMM_WORLD);
      t0 = prk_wtime();
    }
    MPI_Request req[2 * PRK_NSIDES];
    int nreq = 0;
    /* The tag names the side as the receiver sees it. */
    for (int s = 0; s < PRK_NSIDES; ++s)
      if (t.nbr[s] >= 0)
        MPI_Irecv(recv + s * t.strip_max, (int)prk_strip_words(&t, s), MPI_DOUBLE, t.nbr[s], s,
                  MPI_COMM_WORLD, &req[nreq++]);
    for (int s = 0; s < PRK_NSIDES; ++s) {
      if (t.nbr[s] < 0) continue;
      double *buf = send + s * t.strip_max;
      prk_pack(&t, in, s, buf);
      MPI_Isend(buf, (int)prk_strip_words(&t, s), MPI_DOUBLE, t.nbr[s], prk_opposite(s),
                MPI_COMM_WORLD, &req[nreq++]);
    }
    MPI_Waitall(nreq, req, MPI_STATUSES_IGNORE);
    for (int s = 0; s < PRK_NSIDES; ++s)
      if (t.nbr[s] >= 0) prk_unpack(&t, in, s, recv + s * t.strip_max);

    prk_stencil_apply(&t, in, out);
    prk_stencil_bump(&t, in);
  }
  double elapsed = prk_mpi_max(prk_wtime() - t0);

  double norm = prk_mpi_sum(prk_stencil_norm(&t, out));
  norm /= (double)(n - 2 * R) * (double)(n - 2 * R);
  double reference = prk_stencil_reference(iterations);
  int valid = fabs(norm - reference) <= 1e-8 * reference;

  if (me == 0) {
    if (!valid) printf("ERROR: L1 norm = %.12f, Reference L1 norm = %.12f\n", norm, reference);
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * prk_stencil_flops(n, R) / avgtime;
    prk_report(valid, "MFlops/s", rate, avgtime);
    prk_result("stencil", PRK_MPI_VARIANT, npes, valid, rate, "MFlops/s", avgtime, argc, argv);
  }
  free(recv);
  free(send);
  free(out);
  free(in);
  return prk_mpi_finish(valid ? 0 : PRK_EXIT_INVALID);
}
