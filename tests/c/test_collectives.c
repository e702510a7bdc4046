/* test_collectives.c - team collectives for every type of the RMA table:
 * broadcast (every root), collect (unequal and zero counts), fcollect,
 * alltoall, alltoalls (strides 1/1 and 2/3), the mem forms, and team_sync,
 * on WORLD, on a stride-2 team and on the rows of a 2-D split (several
 * teams at once).  Elements past each transfer must keep a sentinel. */
#include <shmem.h>
#include <string.h>

#include "check.h"

#define MAXN 100
#define SENT 99
/* Value of element i of PE pe's source (variant salt); below SENT. */
#define VAL(pe, i, salt) (((pe) * 31 + (i) * 7 + (salt)) % 90)

static int me, npes;
static char *arena_src, *arena_dst; /* symmetric */
static size_t arena_bytes;

/* The team's members in world numbers. */
static int world_of(shmem_team_t t, int i) {
  return shmem_team_translate_pe(t, i, SHMEM_TEAM_WORLD);
}

static const size_t sizes[] = {1, 7, MAXN};

#define DEF_TEST(NAME, T)                                                      \
  static void test_##NAME(shmem_team_t t, int salt) {                         \
    T *src = (T *)arena_src, *dst = (T *)arena_dst;                           \
    const int tn = shmem_team_n_pes(t), tme = shmem_team_my_pe(t);            \
    const size_t cap = arena_bytes / sizeof(T);                               \
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; ++si) {          \
      const size_t n = sizes[si];                                             \
      /* broadcast: every root for 7 elements, the last for the others. */    \
      for (int root = (n == 7 ? 0 : tn - 1); root < tn; ++root) {             \
        for (size_t i = 0; i < cap; ++i) dst[i] = (T)SENT;                    \
        for (size_t i = 0; i < n; ++i) src[i] = (T)VAL(me, i, salt + root);   \
        CHECK(shmem_##NAME##_broadcast(t, dst, src, n, root) == 0, "bcast rc"); \
        int w = world_of(t, root);                                            \
        for (size_t i = 0; i < n; ++i)                                        \
          CHECK(dst[i] == (T)VAL(w, i, salt + root), #NAME                   \
                " broadcast n=%zu root=%d: element %zu wrong", n, root, i);   \
        CHECK(dst[n] == (T)SENT, #NAME " broadcast wrote past the end");     \
        shmem_team_sync(t);                                                   \
      }                                                                        \
      /* collect: member k contributes (n + 3k) % (n + 2) elements. */        \
      {                                                                        \
        for (size_t i = 0; i < cap; ++i) dst[i] = (T)SENT;                    \
        size_t mine = (n + 3 * (size_t)tme) % (n + 2);                        \
        for (size_t i = 0; i < mine; ++i) src[i] = (T)VAL(me, i, salt + 1);   \
        CHECK(shmem_##NAME##_collect(t, dst, src, mine) == 0, "collect rc");  \
        size_t off = 0;                                                       \
        for (int k = 0; k < tn; ++k) {                                        \
          size_t c = (n + 3 * (size_t)k) % (n + 2);                           \
          int w = world_of(t, k);                                             \
          for (size_t i = 0; i < c; ++i)                                      \
            CHECK(dst[off + i] == (T)VAL(w, i, salt + 1),                     \
                  #NAME " collect n=%zu: block %d element %zu wrong", n, k, i); \
          off += c;                                                           \
        }                                                                      \
        CHECK(dst[off] == (T)SENT, #NAME " collect wrote past the end");     \
        shmem_team_sync(t);                                                   \
      }                                                                        \
      /* fcollect */                                                           \
      {                                                                        \
        for (size_t i = 0; i < cap; ++i) dst[i] = (T)SENT;                    \
        for (size_t i = 0; i < n; ++i) src[i] = (T)VAL(me, i, salt + 2);      \
        CHECK(shmem_##NAME##_fcollect(t, dst, src, n) == 0, "fcollect rc");   \
        for (int k = 0; k < tn; ++k)                                          \
          for (size_t i = 0; i < n; ++i)                                      \
            CHECK(dst[k * n + i] == (T)VAL(world_of(t, k), i, salt + 2),     \
                  #NAME " fcollect n=%zu: block %d element %zu wrong", n, k, i); \
        CHECK(dst[tn * n] == (T)SENT, #NAME " fcollect wrote past the end"); \
        shmem_team_sync(t);                                                   \
      }                                                                        \
      /* alltoall: block j of PE p's source is VAL(p, i, salt + 3 + j). */    \
      {                                                                        \
        for (size_t i = 0; i < cap; ++i) dst[i] = (T)SENT;                    \
        for (int j = 0; j < tn; ++j)                                          \
          for (size_t i = 0; i < n; ++i)                                      \
            src[j * n + i] = (T)VAL(me, i, salt + 3 + j);                     \
        CHECK(shmem_##NAME##_alltoall(t, dst, src, n) == 0, "alltoall rc");   \
        for (int k = 0; k < tn; ++k)                                          \
          for (size_t i = 0; i < n; ++i)                                      \
            CHECK(dst[k * n + i] == (T)VAL(world_of(t, k), i, salt + 3 + tme), \
                  #NAME " alltoall n=%zu: block %d element %zu wrong", n, k, i); \
        CHECK(dst[tn * n] == (T)SENT, #NAME " alltoall wrote past the end");  \
        shmem_team_sync(t);                                                   \
      }                                                                        \
      /* alltoalls with (dst, sst) = (1, 1) and (2, 3). */                    \
      for (int v = 0; v < 2; ++v) {                                           \
        ptrdiff_t ds = v ? 2 : 1, ss = v ? 3 : 1;                             \
        for (size_t i = 0; i < cap; ++i) dst[i] = src[i] = (T)SENT;           \
        for (int j = 0; j < tn; ++j)                                          \
          for (size_t i = 0; i < n; ++i)                                      \
            src[(j * n + i) * ss] = (T)VAL(me, i, salt + 5 + j);              \
        CHECK(shmem_##NAME##_alltoalls(t, dst, src, ds, ss, n) == 0, "rc");   \
        for (size_t e = 0; e < tn * n * ds; ++e) {                            \
          if (e % ds) {                                                       \
            CHECK(dst[e] == (T)SENT, #NAME " alltoalls wrote a gap");        \
            continue;                                                         \
          }                                                                    \
          size_t k = e / ds / n, i = e / ds % n;                              \
          CHECK(dst[e] == (T)VAL(world_of(t, (int)k), i, salt + 5 + tme),     \
                #NAME " alltoalls n=%zu ds=%td: element %zu wrong", n, ds, e); \
        }                                                                      \
        CHECK(dst[tn * n * ds] == (T)SENT, #NAME " alltoalls past the end");  \
        shmem_team_sync(t);                                                   \
      }                                                                        \
    }                                                                          \
  }
SHMEM_RMA_TYPES(DEF_TEST)

#define RUN_TEST(NAME, T) test_##NAME(t, salt++);

static void test_all_types(shmem_team_t t) {
  int salt = 0;
  SHMEM_RMA_TYPES(RUN_TEST)
}

/* The mem forms, in bytes. */
static void test_mem(shmem_team_t t) {
  const int tn = shmem_team_n_pes(t), tme = shmem_team_my_pe(t);
  const size_t n = 13;
  unsigned char *src = (unsigned char *)arena_src, *dst = (unsigned char *)arena_dst;
  memset(dst, SENT, arena_bytes);
  for (size_t i = 0; i < n; ++i) src[i] = (unsigned char)VAL(me, i, 40);
  CHECK(shmem_broadcastmem(t, dst, src, n, tn / 2) == 0, "broadcastmem");
  for (size_t i = 0; i < n; ++i)
    CHECK(dst[i] == VAL(world_of(t, tn / 2), i, 40), "broadcastmem byte %zu", i);
  CHECK(dst[n] == SENT, "broadcastmem past the end");
  shmem_team_sync(t);

  memset(dst, SENT, arena_bytes);
  size_t mine = (size_t)tme + 1;
  for (size_t i = 0; i < mine; ++i) src[i] = (unsigned char)VAL(me, i, 41);
  CHECK(shmem_collectmem(t, dst, src, mine) == 0, "collectmem");
  size_t off = 0;
  for (int k = 0; k < tn; ++k)
    for (size_t i = 0; i <= (size_t)k; ++i, ++off)
      CHECK(dst[off] == VAL(world_of(t, k), i, 41), "collectmem byte %zu", off);
  CHECK(dst[off] == SENT, "collectmem past the end");
  shmem_team_sync(t);

  memset(dst, SENT, arena_bytes);
  for (size_t i = 0; i < n; ++i) src[i] = (unsigned char)VAL(me, i, 42);
  CHECK(shmem_fcollectmem(t, dst, src, n) == 0, "fcollectmem");
  for (int k = 0; k < tn; ++k)
    for (size_t i = 0; i < n; ++i)
      CHECK(dst[k * n + i] == VAL(world_of(t, k), i, 42), "fcollectmem");
  shmem_team_sync(t);

  memset(dst, SENT, arena_bytes);
  for (int j = 0; j < tn; ++j)
    for (size_t i = 0; i < n; ++i) src[j * n + i] = (unsigned char)VAL(me, i, 43 + j);
  CHECK(shmem_alltoallmem(t, dst, src, n) == 0, "alltoallmem");
  for (int k = 0; k < tn; ++k)
    for (size_t i = 0; i < n; ++i)
      CHECK(dst[k * n + i] == VAL(world_of(t, k), i, 43 + tme), "alltoallmem");
  CHECK(dst[tn * n] == SENT, "alltoallmem past the end");
  shmem_team_sync(t);

  memset(dst, SENT, arena_bytes);
  memset(src, SENT, arena_bytes);
  for (int j = 0; j < tn; ++j)
    for (size_t i = 0; i < n; ++i) src[(j * n + i) * 2] = (unsigned char)VAL(me, i, 50 + j);
  CHECK(shmem_alltoallsmem(t, dst, src, 3, 2, n) == 0, "alltoallsmem");
  for (int k = 0; k < tn; ++k)
    for (size_t i = 0; i < n; ++i) {
      CHECK(dst[(k * n + i) * 3] == VAL(world_of(t, k), i, 50 + tme), "alltoallsmem");
      CHECK(dst[(k * n + i) * 3 + 1] == SENT, "alltoallsmem gap");
    }
  shmem_team_sync(t);

  /* Zero elements: nothing moves, every call still returns 0. */
  CHECK(shmem_broadcastmem(t, dst, src, 0, 0) == 0, "0 bytes");
  CHECK(shmem_collectmem(t, dst, src, 0) == 0, "0 bytes");
  CHECK(shmem_fcollectmem(t, dst, src, 0) == 0, "0 bytes");
  CHECK(shmem_alltoallmem(t, dst, src, 0) == 0, "0 bytes");
  CHECK(shmem_alltoallsmem(t, dst, src, 1, 1, 0) == 0, "0 bytes");
  CHECK(shmem_team_sync(t) == 0, "team_sync");
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  /* Room for npes blocks of MAXN elements with stride 3, plus a sentinel. */
  arena_bytes = ((size_t)npes * MAXN * 3 + 8) * 16;
  arena_src = shmem_malloc(arena_bytes);
  arena_dst = shmem_malloc(arena_bytes);
  CHECK(arena_src && arena_dst, "malloc");

  test_all_types(SHMEM_TEAM_WORLD);
  test_mem(SHMEM_TEAM_WORLD);
  test_mem(SHMEM_TEAM_SHARED);

  shmem_team_t even;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, (npes + 1) / 2, NULL, 0, &even) == 0,
        "split");
  if (even != SHMEM_TEAM_INVALID) {
    test_all_types(even);
    test_mem(even);
    shmem_team_destroy(even);
  }
  shmem_barrier_all();

  /* Rows of two PEs, all running collectives at the same time. */
  shmem_team_t row, col;
  CHECK(shmem_team_split_2d(SHMEM_TEAM_WORLD, 2, NULL, 0, &row, NULL, 0, &col) == 0, "2d");
  test_mem(row);
  test_mem(col);
  test_long(row, 7);
  test_double(col, 8);
  shmem_team_destroy(row);
  shmem_team_destroy(col);

  shmem_free(arena_src);
  shmem_free(arena_dst);
  shmem_finalize();
  return 0;
}
