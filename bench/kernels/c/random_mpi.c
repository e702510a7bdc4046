/* random (MPI): the GUPS-style random access of random_shmem.c with
 * two-sided MPI, as the PRK's MPI1 version goes about it: each rank draws
 * its updates in chunks, sorts a chunk into buckets by owning rank,
 * exchanges the bucket sizes (Alltoall) and the buckets (Alltoallv), and
 * every rank XORs what it received into its own part of the table.
 *
 *   random_mpi <log2 table size per rank> <updates per rank>
 *
 * Same stream, table and validation as the shmem version (prk_util.h). */
#include "prk_mpi.h"

/* Updates per rank per exchange; large enough that the exchange's
 * latency is spread, small enough to stay in cache. */
enum { CHUNK = 1024 };

int main(int argc, char **argv) {
  int me, npes;
  prk_mpi_init(&argc, &argv, &me, &npes);

  struct prk_args args;
  prk_args_init(&args, "random", argc, argv, me);
  prk_args_count(&args, 2, 2, "<log2 table size per PE> <updates per PE>");
  int log2_local = (int)prk_long_arg(&args, 1, "log2 table size per PE", 1, 40, 1);
  long updates = prk_long_arg(&args, 2, "updates per PE", 1, 1L << 40, 1);
  if (args.error) return prk_mpi_finish(PRK_EXIT_USAGE);

  size_t local = (size_t)1 << log2_local;
  if (me == 0) {
    prk_banner("MPI random access");
    printf("Number of ranks      = %d\n", npes);
    printf("Table size           = %zu words per rank, %zu in all\n", local, local * npes);
    printf("Update count         = %ld per rank, %ld in all\n", updates, updates * npes);
    printf("Update               = buckets of %d, Alltoall + Alltoallv\n", CHUNK);
  }

  uint64_t *table = malloc(local * sizeof(uint64_t));
  uint64_t *drawn = malloc(CHUNK * sizeof(uint64_t)), *sorted = malloc(CHUNK * sizeof(uint64_t));
  uint64_t *incoming = malloc((size_t)CHUNK * npes * sizeof(uint64_t));
  int *counts = malloc(4 * (size_t)npes * sizeof(int));
  if (prk_mpi_alloc_failed(table && drawn && sorted && incoming && counts, "random", "the table",
                           me))
    return prk_mpi_finish(PRK_EXIT_USAGE);
  int *sdispl = counts + npes, *rcounts = counts + 2 * npes, *rdispl = counts + 3 * npes;
  for (size_t i = 0; i < local; ++i) table[i] = (uint64_t)me * local + i;
  uint64_t ran = prk_gups_start((uint64_t)me * (uint64_t)updates);
  MPI_Barrier(MPI_COMM_WORLD);

  double t0 = prk_wtime();
  /* Every rank makes the same number of rounds, the last one short. */
  for (long done = 0; done < updates; done += CHUNK) {
    int chunk = updates - done < CHUNK ? (int)(updates - done) : CHUNK;
    for (int r = 0; r < npes; ++r) counts[r] = 0;
    for (int k = 0; k < chunk; ++k) {
      ran = prk_gups_next(ran);
      drawn[k] = ran;
      ++counts[prk_gups_pe(ran, log2_local, npes)];
    }
    sdispl[0] = 0;
    for (int r = 1; r < npes; ++r) sdispl[r] = sdispl[r - 1] + counts[r - 1];
    for (int k = 0; k < chunk; ++k) sorted[sdispl[prk_gups_pe(drawn[k], log2_local, npes)]++] = drawn[k];
    for (int r = 0; r < npes; ++r) sdispl[r] -= counts[r];
    MPI_Alltoall(counts, 1, MPI_INT, rcounts, 1, MPI_INT, MPI_COMM_WORLD);
    rdispl[0] = 0;
    for (int r = 1; r < npes; ++r) rdispl[r] = rdispl[r - 1] + rcounts[r - 1];
    MPI_Alltoallv(sorted, counts, sdispl, MPI_UINT64_T, incoming, rcounts, rdispl, MPI_UINT64_T,
                  MPI_COMM_WORLD);
    int received = rdispl[npes - 1] + rcounts[npes - 1];
    for (int k = 0; k < received; ++k)
      table[prk_gups_index(incoming[k], log2_local)] ^= incoming[k];
  }
  MPI_Barrier(MPI_COMM_WORLD);
  double elapsed = prk_mpi_max(prk_wtime() - t0);

  long errors = prk_gups_errors(table, log2_local, updates, me, npes);
  double total_errors = prk_mpi_sum((double)errors);
  int valid = total_errors == 0;

  if (me == 0) {
    if (!valid)
      printf("ERROR: %.0f of %zu table words differ from the reference\n", total_errors,
             local * npes);
    double rate = 1e-9 * (double)updates * npes / elapsed;
    prk_report(valid, "GUP/s", rate, elapsed);
    prk_result("random", PRK_MPI_VARIANT, npes, valid, rate, "GUP/s", elapsed, argc, argv);
  }
  free(counts);
  free(incoming);
  free(sorted);
  free(drawn);
  free(table);
  return prk_mpi_finish(valid ? 0 : PRK_EXIT_INVALID);
}
