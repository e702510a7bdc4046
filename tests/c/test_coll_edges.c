/* test_coll_edges.c - edge cases of the team collectives and reductions,
 * for every type of their tables:
 *  - broadcast in place (dest == source): the 1.5 team broadcast updates
 *    dest on every PE, the root included, and nothing forbids passing the
 *    same symmetric array as both (SOS, the PRKs and OSU do it);
 *  - zero elements with NULL buffers: every collective and reduction
 *    returns 0 and touches nothing;
 *  - reductions over a count that does not divide by the team size
 *    (1 .. 2n+1 elements), min/max of negative values, in place;
 *  - a sub-team of a sub-team (team-relative start and stride);
 *  - RMA of zero elements with NULL buffers (put_signal still signals). */
#include <shmem.h>
#include <string.h>

#include "check.h"
#include "reduce_ops.h"

static int me, npes;
static char *arena; /* symmetric */
#define ARENA 4096

/* Value of element i on world PE pe: small, exact in every type, can be
 * negative for the signed ones (max/min). */
#define VAL(T, pe, i) ((T)(((int)(pe) * 7 + (int)(i) * 3) % 23 - 11))
#define SENT 99

static int world_of(shmem_team_t t, int i) {
  return shmem_team_translate_pe(t, i, SHMEM_TEAM_WORLD);
}

/* broadcast in place, every root, and zero elements with NULL buffers */
#define DEF_COLL(NAME, T)                                                      \
  static void coll_##NAME(shmem_team_t t) {                                   \
    const int tn = shmem_team_n_pes(t);                                       \
    T *a = (T *)arena;                                                        \
    const size_t n = 5;                                                       \
    for (int root = 0; root < tn; ++root) {                                   \
      for (size_t i = 0; i < n; ++i) a[i] = VAL(T, me, i);                    \
      a[n] = (T)SENT;                                                         \
      CHECK(shmem_##NAME##_broadcast(t, a, a, n, root) == 0,                  \
            "shmem_" #NAME "_broadcast in place: rc");                        \
      for (size_t i = 0; i < n; ++i)                                          \
        CHECK(a[i] == VAL(T, world_of(t, root), i),                           \
              "shmem_" #NAME "_broadcast in place, root %d: element %zu", root, i); \
      CHECK(a[n] == (T)SENT, "shmem_" #NAME "_broadcast wrote past the end");  \
    }                                                                          \
    CHECK(shmem_##NAME##_broadcast(t, NULL, NULL, 0, tn - 1) == 0, "0 elems"); \
    CHECK(shmem_##NAME##_collect(t, NULL, NULL, 0) == 0, "0 elems");          \
    CHECK(shmem_##NAME##_fcollect(t, NULL, NULL, 0) == 0, "0 elems");         \
    CHECK(shmem_##NAME##_alltoall(t, NULL, NULL, 0) == 0, "0 elems");         \
    CHECK(shmem_##NAME##_alltoalls(t, NULL, NULL, 1, 1, 0) == 0, "0 elems");  \
    shmem_team_sync(t);                                                       \
  }
SHMEM_RMA_TYPES(DEF_COLL)

/* Reductions: every count from 1 to 2n + 1, in place and not. */
#define DEF_RED(NAME, T, OP)                                                   \
  static void red_##NAME##_##OP(shmem_team_t t) {                             \
    const int tn = shmem_team_n_pes(t);                                       \
    T *src = (T *)arena, *dst = (T *)(arena + ARENA / 2);                     \
    for (size_t n = 1; n <= (size_t)(2 * tn + 1); ++n)                        \
      for (int inplace = 0; inplace < 2; ++inplace) {                         \
        T *d = inplace ? src : dst;                                           \
        for (size_t i = 0; i < n; ++i) src[i] = VAL(T, me, i);                \
        d[n] = (T)SENT;                                                       \
        CHECK(shmem_##NAME##_##OP##_reduce(t, d, src, n) == 0, "rc");         \
        for (size_t i = 0; i < n; ++i) {                                      \
          T e = VAL(T, world_of(t, 0), i);                                    \
          for (int k = 1; k < tn; ++k) e = (T)COMB_##OP(e, VAL(T, world_of(t, k), i)); \
          CHECK(d[i] == e, "shmem_" #NAME "_" #OP "_reduce n=%zu inplace=%d: element %zu", \
                n, inplace, i);                                               \
        }                                                                      \
        CHECK(d[n] == (T)SENT, "shmem_" #NAME "_" #OP "_reduce past the end"); \
        shmem_team_sync(t);                                                   \
      }                                                                        \
    CHECK(shmem_##NAME##_##OP##_reduce(t, NULL, NULL, 0) == 0, "0 elems");    \
  }
#define DEF_BITWISE(NAME, T) DEF_RED(NAME, T, and) DEF_RED(NAME, T, or) DEF_RED(NAME, T, xor)
#define DEF_MINMAX(NAME, T) DEF_RED(NAME, T, max) DEF_RED(NAME, T, min)
#define DEF_ARITH(NAME, T) DEF_RED(NAME, T, sum) DEF_RED(NAME, T, prod)
SHMEM_REDUCE_BITWISE_TYPES(DEF_BITWISE)
SHMEM_REDUCE_BITWISE_TYPES_EXTRA(DEF_BITWISE)
SHMEM_REDUCE_MINMAX_TYPES(DEF_MINMAX)
SHMEM_REDUCE_ARITH_TYPES(DEF_ARITH)

/* RMA with zero elements and NULL buffers, on every PE: nothing moves, and
 * put_signal still delivers its signal. */
static uint64_t zsig;
#define DEF_ZERO_RMA(NAME, T)                                                  \
  static void zero_rma_##NAME(int pe) {                                       \
    shmem_##NAME##_put(NULL, NULL, 0, pe);                                    \
    shmem_##NAME##_get(NULL, NULL, 0, pe);                                    \
    shmem_##NAME##_put_nbi(NULL, NULL, 0, pe);                                \
    shmem_##NAME##_get_nbi(NULL, NULL, 0, pe);                                \
    shmem_##NAME##_iput(NULL, NULL, 1, 1, 0, pe);                             \
    shmem_ctx_##NAME##_iget(SHMEM_CTX_DEFAULT, NULL, NULL, 1, 1, 0, pe);      \
    shmem_##NAME##_put_signal(NULL, NULL, 0, &zsig, 1, SHMEM_SIGNAL_ADD, pe); \
  }
SHMEM_RMA_TYPES(DEF_ZERO_RMA)
#define RUN_ZERO_RMA(NAME, T) zero_rma_##NAME(pe);
static void zero_rma(void) {
  int ntypes = 0;
#define COUNT(NAME, T) ++ntypes;
  SHMEM_RMA_TYPES(COUNT)
#undef COUNT
  zsig = 0;
  shmem_barrier_all();
  for (int pe = 0; pe < npes; ++pe) {
    SHMEM_RMA_TYPES(RUN_ZERO_RMA)
    shmem_putmem(NULL, NULL, 0, pe);
    shmem_getmem_nbi(NULL, NULL, 0, pe);
    shmem_put64(NULL, NULL, 0, pe);
    shmem_iget128(NULL, NULL, 1, 1, 0, pe);
    shmem_putmem_signal(NULL, NULL, 0, &zsig, 1, SHMEM_SIGNAL_ADD, pe);
  }
  shmem_quiet();
  shmem_barrier_all();
  CHECK(zsig == (uint64_t)(ntypes + 1) * npes, "zero-element put_signal: signal %llu",
        (unsigned long long)zsig);
  shmem_barrier_all();
}

#define RUN_COLL(NAME, T) coll_##NAME(t);
#define RUN_BITWISE(NAME, T) red_##NAME##_and(t); red_##NAME##_or(t); red_##NAME##_xor(t);
#define RUN_MINMAX(NAME, T) red_##NAME##_max(t); red_##NAME##_min(t);
#define RUN_ARITH(NAME, T) red_##NAME##_sum(t); red_##NAME##_prod(t);

static void run(shmem_team_t t) {
  SHMEM_RMA_TYPES(RUN_COLL)
  SHMEM_REDUCE_BITWISE_TYPES(RUN_BITWISE)
  SHMEM_REDUCE_BITWISE_TYPES_EXTRA(RUN_BITWISE)
  SHMEM_REDUCE_MINMAX_TYPES(RUN_MINMAX)
  SHMEM_REDUCE_ARITH_TYPES(RUN_ARITH)
  /* the byte forms */
  unsigned char *b = (unsigned char *)arena;
  for (int i = 0; i < 9; ++i) b[i] = (unsigned char)(me * 16 + i);
  CHECK(shmem_broadcastmem(t, b, b, 9, 0) == 0, "broadcastmem in place");
  for (int i = 0; i < 9; ++i)
    CHECK(b[i] == (unsigned char)(world_of(t, 0) * 16 + i), "broadcastmem in place %d", i);
  CHECK(shmem_broadcastmem(t, NULL, NULL, 0, 0) == 0 && shmem_collectmem(t, NULL, NULL, 0) == 0 &&
            shmem_fcollectmem(t, NULL, NULL, 0) == 0 && shmem_alltoallmem(t, NULL, NULL, 0) == 0 &&
            shmem_alltoallsmem(t, NULL, NULL, 1, 1, 0) == 0,
        "mem forms with 0 bytes");
  shmem_team_sync(t);
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  arena = shmem_malloc(ARENA);
  CHECK(arena != NULL, "malloc");

  zero_rma();
  run(SHMEM_TEAM_WORLD);

  /* Every PE but world PE 0, then every other PE of that (team-relative
   * start 1, stride 2): world PEs 2, 4, ... */
  shmem_team_t upper, sub;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, npes > 1 ? 1 : 0, 1, npes > 1 ? npes - 1 : 1,
                                 NULL, 0, &upper) == 0,
        "split upper");
  if (upper != SHMEM_TEAM_INVALID) {
    int un = shmem_team_n_pes(upper);
    int size = un > 1 ? un / 2 : 1, start = un > 1 ? 1 : 0;
    CHECK(shmem_team_split_strided(upper, start, 2, size, NULL, 0, &sub) == 0, "split sub");
    if (sub != SHMEM_TEAM_INVALID) {
      for (int i = 0; i < shmem_team_n_pes(sub); ++i)
        CHECK(world_of(sub, i) == (npes > 1 ? 1 + start + 2 * i : 0),
              "sub member %d is world %d", i, world_of(sub, i));
      run(sub);
      shmem_team_destroy(sub);
    }
    shmem_team_destroy(upper);
  }
  shmem_barrier_all();
  shmem_free(arena);
  shmem_finalize();
  return 0;
}
