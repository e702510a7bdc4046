/* test_active_set.c - the deprecated active-set collectives: barrier, sync,
 * broadcast32/64 (the root's dest stays untouched), collect32/64 (unequal
 * counts), fcollect32/64, alltoall32/64, alltoalls32/64 and every
 * *_to_all reduction, on an active set of stride 1 (all PEs) and one of
 * stride 2 (the even PEs), each with ONE pSync array reused by 100
 * iterations of back-to-back calls.  pSync must hold SHMEM_SYNC_VALUE again
 * at the end. */
#include <complex.h>
#include <shmem.h>
#include <string.h>

#include "check.h"
#include "reduce_ops.h"

#define N 24
#define SENT 0x5a5a5a5a

static int me, npes;
static long pSyncA[SHMEM_SYNC_SIZE], pSyncB[SHMEM_SYNC_SIZE];
static long pWrkL[SHMEM_REDUCE_MIN_WRKDATA_SIZE + N];
static int32_t src32[N * 8], dst32[N * 8 + 1];
static int64_t src64[N * 8], dst64[N * 8 + 1];
static long counter;

struct set {
  int start, logstride, size;
  long *psync;
};

static int member(const struct set *s) {
  int off = me - s->start;
  return off >= 0 && off % (1 << s->logstride) == 0 && off / (1 << s->logstride) < s->size;
}
static int index_in(const struct set *s) { return (me - s->start) >> s->logstride; }
static int world(const struct set *s, int i) { return s->start + (i << s->logstride); }

#define V(pe, i, it) ((int64_t)(pe) * 1000 + (i) * 10 + (it) % 7)

static void one_iteration(const struct set *s, int it) {
  const int n = s->size, k = index_in(s);
#define AS s->start, s->logstride, s->size, s->psync
  /* barrier: every member's add is visible after it. */
  shmem_long_atomic_inc(&counter, world(s, 0));
  shmem_barrier(AS);
  if (k == 0) CHECK(counter == (long)n * (it + 1), "barrier: counter %ld", counter);
  shmem_sync(AS);

  /* broadcast32/64 from a rotating root; the root's dest is untouched. */
  int root = it % n;
  for (int i = 0; i < N; ++i) {
    src32[i] = (int32_t)V(me, i, it);
    src64[i] = V(me, i, it) << 20;
    dst32[i] = SENT;
    dst64[i] = SENT;
  }
  shmem_broadcast32(dst32, src32, N, root, AS);
  shmem_broadcast64(dst64, src64, N, root, AS);
  for (int i = 0; i < N; ++i) {
    if (k == root) {
      CHECK(dst32[i] == SENT && dst64[i] == SENT, "root's dest was written");
    } else {
      CHECK(dst32[i] == (int32_t)V(world(s, root), i, it), "broadcast32 element %d", i);
      CHECK(dst64[i] == V(world(s, root), i, it) << 20, "broadcast64 element %d", i);
    }
  }

  /* collect: member j contributes (j + it) % 4 elements. */
  int mine = (k + it) % 4;
  for (int i = 0; i < N * 8 + 1; ++i) dst32[i] = SENT, dst64[i] = SENT;
  shmem_collect32(dst32, src32, (size_t)mine, AS);
  shmem_collect64(dst64, src64, (size_t)mine, AS);
  int off = 0;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < (j + it) % 4; ++i, ++off) {
      CHECK(dst32[off] == (int32_t)V(world(s, j), i, it), "collect32 %d", off);
      CHECK(dst64[off] == V(world(s, j), i, it) << 20, "collect64 %d", off);
    }
  CHECK(dst32[off] == SENT && dst64[off] == SENT, "collect past the end");

  /* fcollect */
  shmem_fcollect32(dst32, src32, 5, AS);
  shmem_fcollect64(dst64, src64, 5, AS);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < 5; ++i) {
      CHECK(dst32[j * 5 + i] == (int32_t)V(world(s, j), i, it), "fcollect32");
      CHECK(dst64[j * 5 + i] == V(world(s, j), i, it) << 20, "fcollect64");
    }

  /* alltoall: block j of the source goes to member j. */
  shmem_sync(AS); /* every member has checked its dest before it is rewritten */
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < 3; ++i) {
      src32[j * 3 + i] = (int32_t)(V(me, i, it) + j * 100000);
      src64[j * 3 + i] = V(me, i, it) + j * 100000;
    }
  shmem_alltoall32(dst32, src32, 3, AS);
  shmem_alltoall64(dst64, src64, 3, AS);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < 3; ++i) {
      CHECK(dst32[j * 3 + i] == (int32_t)(V(world(s, j), i, it) + k * 100000), "alltoall32");
      CHECK(dst64[j * 3 + i] == V(world(s, j), i, it) + k * 100000, "alltoall64");
    }

  /* alltoalls: dst stride 2, sst stride 1, 2 elements per block. */
  for (int i = 0; i < N * 8 + 1; ++i) dst32[i] = SENT, dst64[i] = SENT;
  shmem_alltoalls32(dst32, src32, 2, 1, 2, AS);
  shmem_alltoalls64(dst64, src64, 2, 1, 2, AS);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < 2; ++i) {
      CHECK(dst32[(j * 2 + i) * 2 + 1] == SENT && dst64[(j * 2 + i) * 2 + 1] == SENT,
            "alltoalls gap written");
    }
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < 2; ++i) {
      /* Member j's source element k*2 + i holds V(j, (k*2+i)%3, it) + ((k*2+i)/3)*100000. */
      int el = k * 2 + i;
      int64_t expect = V(world(s, j), el % 3, it) + (int64_t)(el / 3) * 100000;
      CHECK(dst64[(j * 2 + i) * 2] == expect, "alltoalls64 block %d element %d", j, i);
      CHECK(dst32[(j * 2 + i) * 2] == (int32_t)expect, "alltoalls32 block %d element %d", j, i);
    }

  /* a reduction every iteration, reusing pWrk and pSync */
  static long lsym_src[N], lsym_dst[N];
  for (int i = 0; i < N; ++i) lsym_src[i] = me + i + it;
  shmem_long_sum_to_all(lsym_dst, lsym_src, N, s->start, s->logstride, s->size, pWrkL,
                        s->psync);
  long msum = 0;
  for (int j = 0; j < n; ++j) msum += world(s, j);
  for (int i = 0; i < N; ++i)
    CHECK(lsym_dst[i] == msum + (long)n * (i + it), "long_sum_to_all element %d: %ld", i,
          lsym_dst[i]);
  shmem_sync(AS);
}

/* Every to_all routine once, on its table's types. */
static char red_src[N * 16], red_dst[N * 16];
static char red_wrk[(N + SHMEM_REDUCE_MIN_WRKDATA_SIZE) * 16];
#define GEN_B(T, p, i) ((T)(((i) * 37 + (p) * 101 + 5) % 127 | (1 << ((p) % 5))))
#define GEN_M(T, p, i) ((T)(((i) * 5 + (p) * 11) % 50 - 20))
#define GEN_A(T, p, i) ((T)((double)(((i) + (p)) % 2 + 1) + (double)(((i) * (p) + (i)) % 2) * I))
#define DEF_TO_ALL(NAME, T, OP, GEN)                                           \
  static void to_all_##NAME##_##OP(const struct set *s, int inplace) {        \
    T *src = (T *)red_src, *dst = inplace ? src : (T *)red_dst;               \
    for (int i = 0; i < N; ++i) src[i] = GEN(T, me, i);                       \
    shmem_##NAME##_##OP##_to_all(dst, src, N, s->start, s->logstride, s->size, \
                                 (T *)red_wrk, s->psync);                      \
    for (int i = 0; i < N; ++i) {                                             \
      T e = GEN(T, world(s, 0), i);                                           \
      for (int j = 1; j < s->size; ++j) e = (T)COMB_##OP(e, GEN(T, world(s, j), i)); \
      CHECK(dst[i] == e, "shmem_" #NAME "_" #OP "_to_all element %d wrong", i); \
    }                                                                          \
    shmem_sync(s->start, s->logstride, s->size, s->psync);                    \
  }
#define DEF_B(NAME, T) DEF_TO_ALL(NAME, T, and, GEN_B) DEF_TO_ALL(NAME, T, or, GEN_B) \
  DEF_TO_ALL(NAME, T, xor, GEN_B)
#define DEF_M(NAME, T) DEF_TO_ALL(NAME, T, max, GEN_M) DEF_TO_ALL(NAME, T, min, GEN_M)
#define DEF_A(NAME, T) DEF_TO_ALL(NAME, T, sum, GEN_A) DEF_TO_ALL(NAME, T, prod, GEN_A)
SHMEM_TO_ALL_BITWISE_TYPES(DEF_B)
SHMEM_TO_ALL_MINMAX_TYPES(DEF_M)
SHMEM_TO_ALL_ARITH_TYPES(DEF_A)
#define RUN_B(NAME, T) to_all_##NAME##_and(s, ip); to_all_##NAME##_or(s, ip); \
  to_all_##NAME##_xor(s, ip); count += 3;
#define RUN_M(NAME, T) to_all_##NAME##_max(s, ip); to_all_##NAME##_min(s, ip); count += 2;
#define RUN_A(NAME, T) to_all_##NAME##_sum(s, ip); to_all_##NAME##_prod(s, ip); count += 2;

static void all_to_all_reductions(const struct set *s) {
  for (int ip = 0; ip < 2; ++ip) {
    int count = 0;
    SHMEM_TO_ALL_BITWISE_TYPES(RUN_B)
    SHMEM_TO_ALL_MINMAX_TYPES(RUN_M)
    SHMEM_TO_ALL_ARITH_TYPES(RUN_A)
    CHECK(count == 44, "%d to_all routines", count);
  }
}

static void run_set(const struct set *s) {
  if (!member(s)) return;
  counter = 0;
  shmem_sync(s->start, s->logstride, s->size, s->psync);
  for (int it = 0; it < 100; ++it) one_iteration(s, it);
  all_to_all_reductions(s);
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  for (int i = 0; i < SHMEM_SYNC_SIZE; ++i) pSyncA[i] = pSyncB[i] = SHMEM_SYNC_VALUE;
  shmem_barrier_all();

  struct set all = {0, 0, npes, pSyncA};
  struct set even = {0, 1, (npes + 1) / 2, pSyncB};
  run_set(&all);
  shmem_barrier_all();
  run_set(&even);
  shmem_barrier_all();
  if (npes > 1) { /* the odd PEs, reusing pSyncA */
    struct set odd = {1, 1, npes / 2, pSyncA};
    run_set(&odd);
  }
  shmem_barrier_all();
  for (int i = 0; i < SHMEM_SYNC_SIZE; ++i) {
    CHECK(pSyncA[i] == SHMEM_SYNC_VALUE, "pSyncA[%d] = %ld after the calls", i, pSyncA[i]);
    CHECK(pSyncB[i] == SHMEM_SYNC_VALUE, "pSyncB[%d] = %ld after the calls", i, pSyncB[i]);
  }
  shmem_finalize();
  return 0;
}
