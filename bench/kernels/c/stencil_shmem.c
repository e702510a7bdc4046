/* stencil (OpenSHMEM): the PRK's star stencil on a 2D block
 * decomposition (prk_stencil.h); the halos travel by put into the
 * neighbour's receive buffer, then, after a fence, an atomic increment of
 * the neighbour's arrival counter for that side, which it awaits with
 * wait_until.  One counter per side, not one in all (as the PRK's SHMEM
 * version has): a neighbour one iteration ahead would otherwise make up
 * for the increment of one still behind, and the halo of the late one
 * would be read before it arrived.
 *
 *   stencil_shmem <iterations> <grid order n> [radius=2]
 *
 * The receive buffers alternate between two sets by iteration parity: a
 * neighbour can be one iteration ahead (it passed its own wait), never
 * two, because going on needs this PE's next increment, which comes after
 * this PE has unpacked the current halos. */
#include "prk_shmem.h"
#include "prk_stencil.h"

int main(int argc, char **argv) {
  prk_shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();

  struct prk_args args;
  prk_args_init(&args, "stencil", argc, argv, me);
  prk_args_count(&args, 2, 3, "<iterations> <grid order n> [radius]");
  long iterations = prk_long_arg(&args, 1, "iterations", 1, INT_MAX - 1, 1);
  long n = prk_long_arg(&args, 2, "grid order n", 1, 1L << 30, 1);
  int R = (int)prk_long_arg(&args, 3, "radius", 1, 15, 2);
  if (!args.error && 2 * R + 1 > n)
    prk_usage_error(&args, "the radius %d needs a grid of at least %d points a side, got %ld", R,
                    2 * R + 1, n);
  struct prk_tile t;
  if (!args.error) prk_tile_init(&t, &args, n, R, me, npes);
  if (args.error) return prk_shmem_finish(PRK_EXIT_USAGE);

  if (me == 0) {
    prk_banner("OpenSHMEM stencil execution on 2D grid");
    printf("Number of PEs          = %d\n", npes);
    printf("Grid size              = %ld\n", n);
    printf("Radius of stencil      = %d\n", R);
    printf("Tiles in x/y-direction = %d/%d\n", t.npx, t.npy);
    printf("Type of stencil        = star\n");
    printf("Data type              = double precision\n");
    printf("Halo exchange          = put + fence + atomic_inc + wait_until\n");
    printf("Number of iterations   = %ld\n", iterations);
  }

  double *in = malloc((size_t)prk_tile_words(&t) * sizeof(double));
  double *out = malloc((size_t)(t.width * t.height) * sizeof(double));
  double *send = malloc((size_t)(PRK_NSIDES * t.strip_max) * sizeof(double));
  if (prk_sum_double(in && out && send ? 0.0 : 1.0) > 0) {
    if (me == 0) fprintf(stderr, "stencil: cannot allocate a tile of %ld x %ld\n", n, n);
    return prk_shmem_finish(PRK_EXIT_USAGE);
  }
  /* recv[parity][side]: the strip that arrives across `side`. */
  double *recv = prk_shmem_malloc((size_t)(2 * PRK_NSIDES * t.strip_max) * sizeof(double),
                                  "stencil", "the halo buffers");
  int *arrived = prk_shmem_malloc(PRK_NSIDES * sizeof(int), "stencil", "the arrival counters");
  for (int s = 0; s < PRK_NSIDES; ++s) arrived[s] = 0;
  prk_stencil_init(&t, in, out);
  shmem_barrier_all(); /* the counters are zero everywhere before any increment */

  double t0 = 0;
  for (long iter = 0; iter <= iterations; ++iter) {
    if (iter == 1) {
      shmem_barrier_all();
      t0 = prk_wtime();
    }
    double *slot = recv + (iter & 1) * PRK_NSIDES * t.strip_max;
    for (int s = 0; s < PRK_NSIDES; ++s) {
      if (t.nbr[s] < 0) continue;
      double *buf = send + s * t.strip_max;
      prk_pack(&t, in, s, buf);
      shmem_putmem(slot + prk_opposite(s) * t.strip_max, buf,
                   (size_t)prk_strip_words(&t, s) * sizeof(double), t.nbr[s]);
    }
    shmem_fence(); /* each neighbour sees the data before the increment */
    for (int s = 0; s < PRK_NSIDES; ++s)
      if (t.nbr[s] >= 0) shmem_int_atomic_inc(&arrived[prk_opposite(s)], t.nbr[s]);
    for (int s = 0; s < PRK_NSIDES; ++s) {
      if (t.nbr[s] < 0) continue;
      shmem_int_wait_until(&arrived[s], SHMEM_CMP_GE, (int)(iter + 1));
      prk_unpack(&t, in, s, slot + s * t.strip_max);
    }

    prk_stencil_apply(&t, in, out);
    prk_stencil_bump(&t, in);
  }
  double elapsed = prk_max_double(prk_wtime() - t0);

  double norm = prk_sum_double(prk_stencil_norm(&t, out));
  double active = (double)(n - 2 * R) * (double)(n - 2 * R);
  norm /= active;
  double reference = prk_stencil_reference(iterations);
  int valid = fabs(norm - reference) <= 1e-8 * reference;

  if (me == 0) {
    if (!valid) printf("ERROR: L1 norm = %.12f, Reference L1 norm = %.12f\n", norm, reference);
    double avgtime = elapsed / (double)iterations;
    double rate = 1e-6 * prk_stencil_flops(n, R) / avgtime;
    prk_report(valid, "MFlops/s", rate, avgtime);
    prk_result("stencil", PRK_SHMEM_VARIANT, npes, valid, rate, "MFlops/s", avgtime, argc, argv);
  }
  shmem_barrier_all(); /* no PE frees while a neighbour may still put */
  shmem_free(arrived);
  shmem_free(recv);
  free(send);
  free(out);
  free(in);
  return prk_shmem_finish(valid ? 0 : PRK_EXIT_INVALID);
}
