/* random (OpenSHMEM): GUPS-style random access.  A table of
 * npes * 2^log2 64-bit words, 2^log2 per PE, starts as its global
 * indices; every PE draws its stretch of one random stream (the HPC
 * Challenge RandomAccess generator, prk_util.h) and XORs each value into
 * the word it names, on whichever PE that word lives, with a non-fetching
 * atomic XOR.
 *
 *   random_shmem <log2 table size per PE> <updates per PE>
 *
 * Rate: giga-updates per second over all PEs.  Validation: every PE
 * rebuilds its part of the table from all PEs' streams and compares word
 * by word; the updates are atomic, so no error is tolerated. */
#include "prk_shmem.h"

int main(int argc, char **argv) {
  prk_shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();

  struct prk_args args;
  prk_args_init(&args, "random", argc, argv, me);
  prk_args_count(&args, 2, 2, "<log2 table size per PE> <updates per PE>");
  int log2_local = (int)prk_long_arg(&args, 1, "log2 table size per PE", 1, 40, 1);
  long updates = prk_long_arg(&args, 2, "updates per PE", 1, 1L << 40, 1);
  if (args.error) return prk_shmem_finish(PRK_EXIT_USAGE);

  size_t local = (size_t)1 << log2_local;
  if (me == 0) {
    prk_banner("OpenSHMEM random access");
    printf("Number of PEs        = %d\n", npes);
    printf("Table size           = %zu words per PE, %zu in all\n", local, local * npes);
    printf("Update count         = %ld per PE, %ld in all\n", updates, updates * npes);
    printf("Update               = uint64 atomic_xor\n");
  }

  uint64_t *table = prk_shmem_malloc(local * sizeof(uint64_t), "random", "the table");
  for (size_t i = 0; i < local; ++i) table[i] = (uint64_t)me * local + i;
  uint64_t ran = prk_gups_start((uint64_t)me * (uint64_t)updates);
  shmem_barrier_all();

  double t0 = prk_wtime();
  for (long k = 0; k < updates; ++k) {
    ran = prk_gups_next(ran);
    shmem_uint64_atomic_xor(&table[prk_gups_index(ran, log2_local)], ran,
                            prk_gups_pe(ran, log2_local, npes));
  }
  shmem_quiet();
  shmem_barrier_all();
  double elapsed = prk_max_double(prk_wtime() - t0);

  long errors = prk_gups_errors(table, log2_local, updates, me, npes);
  double total_errors = prk_sum_double((double)errors);
  int valid = total_errors == 0;

  if (me == 0) {
    if (!valid)
      printf("ERROR: %.0f of %zu table words differ from the reference\n", total_errors,
             local * npes);
    double rate = 1e-9 * (double)updates * npes / elapsed;
    prk_report(valid, "GUP/s", rate, elapsed);
    prk_result("random", PRK_SHMEM_VARIANT, npes, valid, rate, "GUP/s", elapsed, argc, argv);
  }
  shmem_barrier_all();
  shmem_free(table);
  return prk_shmem_finish(valid ? 0 : PRK_EXIT_INVALID);
}
