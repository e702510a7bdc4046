/* test_psync_static.c - active-set collectives with pSync arrays in static
 * storage that the program never sets to SHMEM_SYNC_VALUE (they hold 0),
 * as some conformance tests and old programs do (SOS's C++ complex
 * reduction test, for one): barrier, sync, broadcast, collect, fcollect,
 * alltoall and complex and long reductions work, over and over, and every
 * word is left as it was found.  Like those programs it never calls
 * shmem_finalize. */
#include <complex.h>
#include <shmem.h>
#include <string.h>

#include "check.h"

static long syncArr[SHMEM_REDUCE_SYNC_SIZE];   /* never set: all 0 */
static long syncBar[SHMEM_BARRIER_SYNC_SIZE];  /* never set: all 0 */
static double _Complex zsrc[10], zdst[10];
static double _Complex zwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE + 10];
static long lsrc[8], ldst[8 * 64], lwrk[SHMEM_REDUCE_MIN_WRKDATA_SIZE + 8];

int main(void) {
  shmem_init();
  int me = check_pe(), npes = shmem_n_pes();
  for (int rep = 0; rep < 20; ++rep) {
    for (int i = 0; i < 10; ++i) zsrc[i] = (double)(me + i) + (double)rep * I;
    shmem_complexd_sum_to_all(zdst, zsrc, 10, 0, 0, npes, zwrk, syncArr);
    for (int i = 0; i < 10; ++i) {
      double re = 0;
      for (int p = 0; p < npes; ++p) re += p + i;
      CHECK(creal(zdst[i]) == re && cimag(zdst[i]) == (double)rep * npes,
            "complexd_sum_to_all element %d", i);
    }
    shmem_barrier(0, 0, npes, syncBar);

    for (int i = 0; i < 8; ++i) lsrc[i] = me * 8 + i + rep;
    shmem_long_max_to_all(ldst, lsrc, 8, 0, 0, npes, lwrk, syncArr);
    for (int i = 0; i < 8; ++i)
      CHECK(ldst[i] == (npes - 1) * 8 + i + rep, "long_max_to_all element %d", i);
    shmem_sync(0, 0, npes, syncBar);

    shmem_broadcast64(ldst, lsrc, 8, rep % npes, 0, 0, npes, syncArr);
    if (me != rep % npes)
      for (int i = 0; i < 8; ++i)
        CHECK(ldst[i] == (rep % npes) * 8 + i + rep, "broadcast64 element %d", i);
    shmem_barrier(0, 0, npes, syncBar);

    shmem_collect64(ldst, lsrc, (size_t)(me % 3), 0, 0, npes, syncArr);
    size_t off = 0;
    for (int p = 0; p < npes; ++p)
      for (int i = 0; i < p % 3; ++i, ++off)
        CHECK(ldst[off] == p * 8 + i + rep, "collect64 element %zu", off);
    shmem_barrier(0, 0, npes, syncBar);

    shmem_fcollect64(ldst, lsrc, 2, 0, 0, npes, syncArr);
    for (int p = 0; p < npes; ++p)
      CHECK(ldst[2 * p] == p * 8 + rep && ldst[2 * p + 1] == p * 8 + 1 + rep, "fcollect64");
    shmem_barrier(0, 0, npes, syncBar);

    for (int p = 0; p < npes && p < 8; ++p) lsrc[p] = me * 100 + p;
    if (npes <= 8) {
      shmem_alltoall64(ldst, lsrc, 1, 0, 0, npes, syncArr);
      for (int p = 0; p < npes; ++p) CHECK(ldst[p] == p * 100 + me, "alltoall64 element %d", p);
    }
    shmem_barrier(0, 0, npes, syncBar);
  }
  shmem_barrier_all();
  for (int i = 0; i < SHMEM_REDUCE_SYNC_SIZE; ++i)
    CHECK(syncArr[i] == 0 && syncBar[i] == 0, "pSync[%d] is %ld / %ld, was 0", i, syncArr[i],
          syncBar[i]);
  return 0;
}
