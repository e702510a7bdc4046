/* test_reductions.c - every reduction (and, or, xor, max, min, sum, prod)
 * on every type of its table, on WORLD and on a stride-2 team, out of place
 * and in place, with 1, 37 and 1000 elements.  The expected values are
 * computed here, element by element, from the same generators. */
#include <complex.h>
#include <shmem.h>
#include <string.h>

#include "check.h"
#include "reduce_ops.h"

static int me, npes;
static char *arena_src, *arena_dst;
#define SENT 111

/* Element i of world PE p's source. */
#define GEN_BITWISE(T, p, i) ((T)((((i) * 37u + (p) * 101u + 5u) % 251u) | (1u << ((p) % 7))))
#define GEN_MINMAX(T, p, i) ((T)((int)(((i) * 5 + (p) * 11) % 50) - 20))
/* Small integers (and Gaussian integers for the complex types, whose
 * imaginary part real types drop), so every sum and product is exact. */
#define GEN_ARITH(T, p, i) ((T)((double)(((i) + (p)) % 2 + 1) + (double)(((i) * (p) + (i)) % 2) * I))


#define DEF_RED(NAME, T, OP, GEN)                                              \
  static void red_##NAME##_##OP(shmem_team_t t, size_t n, int inplace) {      \
    T *src = (T *)arena_src, *dst = inplace ? src : (T *)arena_dst;           \
    const int tn = shmem_team_n_pes(t);                                       \
    for (size_t i = 0; i <= n; ++i) dst[i] = (T)SENT;                         \
    for (size_t i = 0; i < n; ++i) src[i] = GEN(T, me, i);                    \
    src[n] = (T)SENT;                                                         \
    CHECK(shmem_##NAME##_##OP##_reduce(t, dst, src, n) == 0, #NAME " " #OP " rc"); \
    for (size_t i = 0; i < n; ++i) {                                          \
      T e = GEN(T, shmem_team_translate_pe(t, 0, SHMEM_TEAM_WORLD), i);       \
      for (int k = 1; k < tn; ++k) {                                          \
        T v = GEN(T, shmem_team_translate_pe(t, k, SHMEM_TEAM_WORLD), i);     \
        e = (T)COMB_##OP(e, v);                                               \
      }                                                                        \
      CHECK(dst[i] == e, "shmem_" #NAME "_" #OP "_reduce n=%zu inplace=%d: element %zu wrong", \
            n, inplace, i);                                                   \
    }                                                                          \
    CHECK(dst[n] == (T)SENT, #NAME " " #OP " wrote past the end");            \
    if (!inplace)                                                              \
      for (size_t i = 0; i < n; ++i)                                          \
        CHECK(src[i] == GEN(T, me, i), #NAME " " #OP " changed the source");   \
    shmem_team_sync(t);                                                       \
  }

#define DEF_BITWISE(NAME, T)                                                   \
  DEF_RED(NAME, T, and, GEN_BITWISE) DEF_RED(NAME, T, or, GEN_BITWISE)         \
  DEF_RED(NAME, T, xor, GEN_BITWISE)
#define DEF_MINMAX(NAME, T) DEF_RED(NAME, T, max, GEN_MINMAX) DEF_RED(NAME, T, min, GEN_MINMAX)
#define DEF_ARITH(NAME, T) DEF_RED(NAME, T, sum, GEN_ARITH) DEF_RED(NAME, T, prod, GEN_ARITH)
SHMEM_REDUCE_BITWISE_TYPES(DEF_BITWISE)
SHMEM_REDUCE_MINMAX_TYPES(DEF_MINMAX)
SHMEM_REDUCE_ARITH_TYPES(DEF_ARITH)

#define RUN_BITWISE(NAME, T)                                                   \
  red_##NAME##_and(t, n, ip); red_##NAME##_or(t, n, ip); red_##NAME##_xor(t, n, ip); \
  ++count;
#define RUN_MINMAX(NAME, T) red_##NAME##_max(t, n, ip); red_##NAME##_min(t, n, ip); ++count;
#define RUN_ARITH(NAME, T) red_##NAME##_sum(t, n, ip); red_##NAME##_prod(t, n, ip); ++count;

static void run_all(shmem_team_t t) {
  static const size_t sizes[] = {1, 37, 1000};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; ++s)
    for (int ip = 0; ip < 2; ++ip) {
      size_t n = sizes[s];
      int count = 0;
      SHMEM_REDUCE_BITWISE_TYPES(RUN_BITWISE)
      SHMEM_REDUCE_MINMAX_TYPES(RUN_MINMAX)
      SHMEM_REDUCE_ARITH_TYPES(RUN_ARITH)
      CHECK(count == 14 + 24 + 26, "type tables have %d entries", count);
    }
}

/* A long sum over many blocks, in place, and zero elements. */
static void big_sum(shmem_team_t t) {
  const size_t n = 20000;
  long *a = (long *)arena_src;
  for (size_t i = 0; i < n; ++i) a[i] = (long)(i * 3 + me);
  CHECK(shmem_long_sum_reduce(t, a, a, n) == 0, "big sum");
  const int tn = shmem_team_n_pes(t);
  long wsum = 0;
  for (int k = 0; k < tn; ++k) wsum += shmem_team_translate_pe(t, k, SHMEM_TEAM_WORLD);
  for (size_t i = 0; i < n; ++i)
    CHECK(a[i] == (long)(i * 3) * tn + wsum, "big sum element %zu: %ld", i, a[i]);
  CHECK(shmem_int_sum_reduce(t, (int *)arena_dst, (int *)arena_src, 0) == 0, "0 elements");
  shmem_team_sync(t);
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  size_t bytes = 20000 * sizeof(long) + 64;
  arena_src = shmem_malloc(bytes);
  arena_dst = shmem_malloc(bytes);
  CHECK(arena_src && arena_dst, "malloc");

  run_all(SHMEM_TEAM_WORLD);
  big_sum(SHMEM_TEAM_WORLD);
  shmem_team_t even;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, (npes + 1) / 2, NULL, 0, &even) == 0,
        "split");
  if (even != SHMEM_TEAM_INVALID) {
    run_all(even);
    big_sum(even);
    shmem_team_destroy(even);
  }
  shmem_barrier_all();
  shmem_free(arena_src);
  shmem_free(arena_dst);
  shmem_finalize();
  return 0;
}
