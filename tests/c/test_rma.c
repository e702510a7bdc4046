/* test_rma.c - every RMA routine on every type of the RMA tables.
 *
 * Generated from shmem_type_table.h, so a type added there is tested here:
 *   SHMEM_RMA_TYPES    put/get, put_nbi/get_nbi, iput/iget, p/g (+ ctx forms)
 *   SHMEM_SIZED_RMA    putN/getN, their nbi forms, iputN/igetN (+ ctx forms)
 *   putmem/getmem      and their nbi and ctx forms
 *
 * Pattern: a ring.  Every PE puts to (me+1)%n and gets from (me+n-1)%n, so
 * every PE checks what its left neighbour sent; with one PE the neighbour is
 * the PE itself.  Element i of variant `salt` sent by PE pe has a value that
 * depends on all three, so a transfer from the wrong PE, to the wrong offset
 * or a stale one from an earlier variant is caught.  Elements outside the
 * transfer must keep a sentinel (nothing written past the end or into the
 * gaps of a strided transfer).  Each variant runs with 1, 7 and 1000
 * elements, twice: once with the symmetric buffers in the heap and the
 * program's bss, once in the program's data segment and the heap. */
#include <shmem.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

#define MAXN 1000
#define MAXSTRIDE 3
#define BUF (MAXN * MAXSTRIDE + 8) /* elements in every test buffer */
#define MAXELEM 16                 /* the largest element (long double, 128 bits) */
#define ARENA (BUF * MAXELEM)

static int me, npes, right, left;
static const size_t sizes[] = {1, 7, MAXN};
#define NSIZES (sizeof sizes / sizeof sizes[0])

/* Symmetric test buffers in the data and bss segments. */
static char bss_arena[ARENA] __attribute__((aligned(64)));
static char data_arena[ARENA] __attribute__((aligned(64))) = {1};
static char *local_buf; /* private memory (libc malloc) */

/* ---- element values ---- */

/* Typed values: non-zero (0 is the sentinel), exact in every type (small
 * integers), different for different PEs, elements and variants as far as
 * the type's range allows. */
#define VAL(T, pe, i, salt)                                                    \
  ((T)(((long)(pe) * 1009 + (long)(i) * 7 + (long)(salt) * 113) %              \
           (sizeof(T) == 1 ? 127 : 32749) + 1))

/* Byte values of sized (putN) and byte (putmem) elements: never 0. */
static inline unsigned char byte_val(int pe, size_t i, size_t b, int salt) {
  return (unsigned char)(((unsigned long)pe * 61 + i * 7 + b * 3 + (unsigned long)salt * 17) %
                             255 + 1);
}

/* mk_ID(p, pe, i, salt) stores the value of element i of PE pe;
 * eq_ID(a, b) compares two elements: by value for the typed families (a
 * long double has padding bytes that no one promises to copy), byte by
 * byte for the sized and byte families. */
#define TYPED_MK_DEF(ID, T)                                                    \
  static inline void mk_##ID(T *p, int pe, size_t i, int salt) {               \
    *p = VAL(T, pe, i, salt);                                                  \
  }                                                                            \
  static inline int eq_##ID(const T *a, const T *b) { return *a == *b; }
#define BYTES_MK_DEF(ID, T)                                                    \
  static inline void mk_##ID(T *p, int pe, size_t i, int salt) {               \
    unsigned char *c = (unsigned char *)p;                                     \
    for (size_t b = 0; b < sizeof(T); ++b) c[b] = byte_val(pe, i, b, salt);    \
  }                                                                            \
  static inline int eq_##ID(const T *a, const T *b) {                          \
    return memcmp(a, b, sizeof(T)) == 0;                                       \
  }

/* The variants of the contiguous and strided tests. */
enum {
  V_PUT, V_PUT_NBI, V_CTX_PUT, V_CTX_PUT_NBI,
  V_GET, V_GET_NBI, V_CTX_GET, V_CTX_GET_NBI,
  N_CONTIG
};
enum { V_IPUT, V_CTX_IPUT, V_IGET, V_CTX_IGET, N_STRIDED_OPS };

/* Function names: typed shmem_int_put_nbi, sized shmem_put32_nbi, byte
 * shmem_putmem_nbi; FN(ID, OP, SUFFIX) and CFN (the ctx form) spell them. */
#define TYPED_FN(ID, OP, SUF) shmem_##ID##_##OP##SUF
#define TYPED_CFN(ID, OP, SUF) shmem_ctx_##ID##_##OP##SUF
#define SIZED_FN(ID, OP, SUF) shmem_##OP##ID##SUF
#define SIZED_CFN(ID, OP, SUF) shmem_ctx_##OP##ID##SUF

/* Checks buffer `buf` of BUF elements: element j*stride (j < n) must equal
 * the value of PE `pe` for element j*srcstride, every other one the
 * sentinel (all zero bytes). */
#define DEFINE_EXPECT(ID, T)                                                   \
  static void expect_##ID(const T *buf, size_t n, size_t stride,               \
                          size_t srcstride, int pe, int salt, const char *what, \
                          int variant) {                                       \
    T want, zero;                                                              \
    memset(&zero, 0, sizeof zero);                                             \
    size_t next = 0, j = 0;                                                    \
    for (size_t i = 0; i < BUF; ++i) {                                         \
      const T *expected = &zero;                                               \
      if (j < n && i == next) {                                                \
        memset(&want, 0, sizeof want);                                         \
        mk_##ID(&want, pe, j * srcstride, salt);                               \
        expected = &want;                                                      \
        ++j;                                                                   \
        next = j * stride;                                                     \
      }                                                                        \
      CHECK(eq_##ID(&buf[i], expected),                                        \
            "%s (variant %d) of " #T " (" #ID "), n=%zu, stride %zu/%zu: "     \
            "element %zu is wrong (%s)",                                       \
            what, variant, n, stride, srcstride, i,                            \
            expected == &zero ? "expected untouched" : "expected the peer's value"); \
    }                                                                          \
  }

/* put/get/put_nbi/get_nbi and their ctx forms, 1/7/1000 elements.
 * `dst` and `ssrc` are symmetric, `loc` private. */
#define DEFINE_CONTIG_TEST(ID, T, FN, CFN)                                     \
  static void contig_##ID(T *dst, T *ssrc, T *loc, int pass) {                 \
    for (size_t k = 0; k < NSIZES; ++k) {                                      \
      size_t n = sizes[k];                                                     \
      for (int v = 0; v < N_CONTIG; ++v) {                                     \
        int salt = pass * 100 + (int)k * N_CONTIG + v;                         \
        int is_put = v < V_GET;                                                \
        memset(dst, 0, BUF * sizeof(T));                                       \
        memset(loc, 0, BUF * sizeof(T));                                       \
        for (size_t i = 0; i < BUF; ++i) mk_##ID(&ssrc[i], me, i, salt);       \
        if (is_put)                                                            \
          for (size_t i = 0; i < n; ++i) mk_##ID(&loc[i], me, i, salt);        \
        shmem_barrier_all();                                                   \
        switch (v) {                                                           \
        case V_PUT: FN(ID, put, )(dst, loc, n, right); break;                  \
        case V_PUT_NBI: FN(ID, put, _nbi)(dst, loc, n, right); break;          \
        case V_CTX_PUT: CFN(ID, put, )(SHMEM_CTX_DEFAULT, dst, loc, n, right); break; \
        case V_CTX_PUT_NBI:                                                    \
          CFN(ID, put, _nbi)(SHMEM_CTX_DEFAULT, dst, loc, n, right);           \
          break;                                                               \
        case V_GET: FN(ID, get, )(loc, ssrc, n, left); break;                  \
        case V_GET_NBI: FN(ID, get, _nbi)(loc, ssrc, n, left); break;          \
        case V_CTX_GET: CFN(ID, get, )(SHMEM_CTX_DEFAULT, loc, ssrc, n, left); break; \
        case V_CTX_GET_NBI:                                                    \
          CFN(ID, get, _nbi)(SHMEM_CTX_DEFAULT, loc, ssrc, n, left);           \
          break;                                                               \
        }                                                                      \
        if (v == V_CTX_PUT_NBI || v == V_CTX_GET_NBI)                          \
          shmem_ctx_quiet(SHMEM_CTX_DEFAULT);                                  \
        else if (v == V_PUT_NBI || v == V_GET_NBI)                             \
          shmem_quiet();                                                       \
        if (is_put) /* the source may be reused once the put has returned */   \
          memset(loc, 0, BUF * sizeof(T));                                     \
        else                                                                   \
          expect_##ID(loc, n, 1, 1, left, salt, "get", v);                     \
        shmem_barrier_all();                                                   \
        if (is_put) expect_##ID(dst, n, 1, 1, left, salt, "put", v);           \
      }                                                                        \
    }                                                                          \
  }

/* iput/iget (and ctx forms) with target strides 1, 2, 3 (source strides
 * 3, 2, 1). */
#define DEFINE_STRIDED_TEST(ID, T, FN, CFN)                                    \
  static void strided_##ID(T *dst, T *ssrc, T *loc, int pass) {                \
    for (size_t k = 0; k < NSIZES; ++k) {                                      \
      size_t n = sizes[k];                                                     \
      for (int op = 0; op < N_STRIDED_OPS; ++op) {                             \
        for (ptrdiff_t tst = 1; tst <= MAXSTRIDE; ++tst) {                     \
          ptrdiff_t sst = MAXSTRIDE + 1 - tst;                                 \
          int salt = pass * 100 + 50 + (int)k * 12 + op * 3 + (int)tst;        \
          int is_put = op == V_IPUT || op == V_CTX_IPUT;                       \
          memset(dst, 0, BUF * sizeof(T));                                     \
          memset(loc, 0, BUF * sizeof(T));                                     \
          for (size_t i = 0; i < BUF; ++i) mk_##ID(&ssrc[i], me, i, salt);     \
          if (is_put)                                                          \
            for (size_t i = 0; i < n; ++i) mk_##ID(&loc[i * sst], me, i, salt); \
          shmem_barrier_all();                                                 \
          switch (op) {                                                        \
          case V_IPUT: FN(ID, iput, )(dst, loc, tst, sst, n, right); break;    \
          case V_CTX_IPUT:                                                     \
            CFN(ID, iput, )(SHMEM_CTX_DEFAULT, dst, loc, tst, sst, n, right);  \
            break;                                                             \
          case V_IGET: FN(ID, iget, )(loc, ssrc, tst, sst, n, left); break;    \
          case V_CTX_IGET:                                                     \
            CFN(ID, iget, )(SHMEM_CTX_DEFAULT, loc, ssrc, tst, sst, n, left);  \
            break;                                                             \
          }                                                                    \
          if (is_put)                                                          \
            memset(loc, 0, BUF * sizeof(T));                                   \
          else                                                                 \
            expect_##ID(loc, n, (size_t)tst, (size_t)sst, left, salt, "iget", op); \
          shmem_barrier_all();                                                 \
          if (is_put) expect_##ID(dst, n, (size_t)tst, 1, left, salt, "iput", op); \
        }                                                                      \
      }                                                                        \
    }                                                                          \
  }

/* Transfers of zero elements do nothing (and do not fail). */
#define DEFINE_ZERO_TEST(ID, T, FN, CFN, STRIDED)                              \
  static void zero_##ID(T *dst, T *ssrc, T *loc) {                             \
    memset(dst, 0, BUF * sizeof(T));                                           \
    for (size_t i = 0; i < BUF; ++i) mk_##ID(&ssrc[i], me, i, 999);            \
    for (size_t i = 0; i < BUF; ++i) mk_##ID(&loc[i], me, i, 998);             \
    shmem_barrier_all();                                                       \
    FN(ID, put, )(dst, loc, 0, right);                                         \
    FN(ID, put, _nbi)(dst, loc, 0, right);                                     \
    CFN(ID, put, )(SHMEM_CTX_DEFAULT, dst, loc, 0, right);                     \
    CFN(ID, put, _nbi)(SHMEM_CTX_DEFAULT, dst, loc, 0, right);                 \
    FN(ID, get, )(loc, ssrc, 0, left);                                         \
    FN(ID, get, _nbi)(loc, ssrc, 0, left);                                     \
    CFN(ID, get, )(SHMEM_CTX_DEFAULT, loc, ssrc, 0, left);                     \
    CFN(ID, get, _nbi)(SHMEM_CTX_DEFAULT, loc, ssrc, 0, left);                 \
    STRIDED(ID, FN, CFN)                                                       \
    shmem_quiet();                                                             \
    shmem_barrier_all();                                                       \
    expect_##ID(dst, 0, 1, 1, left, 0, "zero-length put", 0);                  \
    for (size_t i = 0; i < BUF; ++i) {                                         \
      T want;                                                                  \
      memset(&want, 0, sizeof want);                                           \
      mk_##ID(&want, me, i, 998);                                              \
      CHECK(eq_##ID(&loc[i], &want),                                           \
            "zero-length get of " #ID " wrote element %zu", i);                \
    }                                                                          \
    shmem_barrier_all();                                                       \
  }
#define ZERO_STRIDED(ID, FN, CFN)                                              \
  FN(ID, iput, )(dst, loc, 1, 1, 0, right);                                    \
  CFN(ID, iput, )(SHMEM_CTX_DEFAULT, dst, loc, 2, 3, 0, right);                \
  FN(ID, iget, )(loc, ssrc, 1, 1, 0, left);                                    \
  CFN(ID, iget, )(SHMEM_CTX_DEFAULT, loc, ssrc, 3, 2, 0, left);
#define ZERO_NO_STRIDED(ID, FN, CFN)

/* p and g (and ctx forms), element by element. */
#define DEFINE_PG_TEST(ID, T)                                                  \
  static void pg_##ID(T *dst, T *ssrc, T *loc, int pass) {                     \
    for (size_t k = 0; k < NSIZES; ++k) {                                      \
      size_t n = sizes[k];                                                     \
      for (int v = 0; v < 4; ++v) {                                            \
        int salt = pass * 100 + 90 + (int)k * 4 + v;                           \
        memset(dst, 0, BUF * sizeof(T));                                       \
        memset(loc, 0, BUF * sizeof(T));                                       \
        for (size_t i = 0; i < BUF; ++i) mk_##ID(&ssrc[i], me, i, salt);       \
        shmem_barrier_all();                                                   \
        for (size_t i = 0; i < n; ++i) {                                       \
          T val = VAL(T, me, i, salt);                                         \
          switch (v) {                                                         \
          case 0: shmem_##ID##_p(&dst[i], val, right); break;                  \
          case 1: shmem_ctx_##ID##_p(SHMEM_CTX_DEFAULT, &dst[i], val, right); break; \
          case 2: loc[i] = shmem_##ID##_g(&ssrc[i], left); break;              \
          case 3: loc[i] = shmem_ctx_##ID##_g(SHMEM_CTX_DEFAULT, &ssrc[i], left); break; \
          }                                                                    \
        }                                                                      \
        if (v >= 2) expect_##ID(loc, n, 1, 1, left, salt, "g", v);             \
        shmem_barrier_all();                                                   \
        if (v < 2) expect_##ID(dst, n, 1, 1, left, salt, "p", v);              \
      }                                                                        \
    }                                                                          \
  }

/* Runs every test of one type twice: symmetric buffers in (heap, bss),
 * then in (data, heap). */
#define DEFINE_RUN(ID, T, BODY)                                                \
  static void run_##ID(char *heap_arena) {                                     \
    T *loc = (T *)local_buf;                                                   \
    for (int pass = 0; pass < 2; ++pass) {                                     \
      T *dst = (T *)(pass == 0 ? heap_arena : data_arena);                     \
      T *ssrc = (T *)(pass == 0 ? bss_arena : heap_arena);                     \
      BODY                                                                     \
    }                                                                          \
    T *dst = (T *)heap_arena, *ssrc = (T *)bss_arena;                          \
    zero_##ID(dst, ssrc, loc);                                                 \
  }

/* ---- the typed families (SHMEM_RMA_TYPES) ---- */
#define TYPED_TEST(ID, T)                                                      \
  TYPED_MK_DEF(ID, T)                                                          \
  DEFINE_EXPECT(ID, T)                                                         \
  DEFINE_CONTIG_TEST(ID, T, TYPED_FN, TYPED_CFN)                               \
  DEFINE_STRIDED_TEST(ID, T, TYPED_FN, TYPED_CFN)                              \
  DEFINE_PG_TEST(ID, T)                                                        \
  DEFINE_ZERO_TEST(ID, T, TYPED_FN, TYPED_CFN, ZERO_STRIDED)                   \
  DEFINE_RUN(ID, T, contig_##ID(dst, ssrc, loc, pass);                         \
             strided_##ID(dst, ssrc, loc, pass); pg_##ID(dst, ssrc, loc, pass);)
SHMEM_RMA_TYPES(TYPED_TEST)

/* ---- the sized families (SHMEM_SIZED_RMA): putN/getN/iputN/igetN ---- */
#define SIZED_TEST(BITS, T)                                                    \
  BYTES_MK_DEF(BITS, T)                                                        \
  DEFINE_EXPECT(BITS, T)                                                       \
  DEFINE_CONTIG_TEST(BITS, T, SIZED_FN, SIZED_CFN)                             \
  DEFINE_STRIDED_TEST(BITS, T, SIZED_FN, SIZED_CFN)                            \
  DEFINE_ZERO_TEST(BITS, T, SIZED_FN, SIZED_CFN, ZERO_STRIDED)                 \
  DEFINE_RUN(BITS, T, contig_##BITS(dst, ssrc, loc, pass);                     \
             strided_##BITS(dst, ssrc, loc, pass);)
SHMEM_SIZED_RMA(SIZED_TEST)

/* ---- putmem/getmem: elements are bytes ---- */
BYTES_MK_DEF(mem, unsigned char)
DEFINE_EXPECT(mem, unsigned char)
DEFINE_CONTIG_TEST(mem, unsigned char, SIZED_FN, SIZED_CFN)
DEFINE_ZERO_TEST(mem, unsigned char, SIZED_FN, SIZED_CFN, ZERO_NO_STRIDED)
DEFINE_RUN(mem, unsigned char, contig_mem(dst, ssrc, loc, pass);)

/* ---- named global and static variables (data and bss) ---- */
int g_data_int[8] = {1, 2, 3, 4, 5, 6, 7, 8}; /* data */
long g_bss_long[8];                           /* bss */
static double s_bss_double[4];                /* bss, file scope */
static short s_data_short[4] = {-1, -1, -1, -1}; /* data, file scope */

static void test_globals(void) {
  static int fn_static[12];            /* bss, function scope */
  static long long fn_data[3] = {7, 7, 7}; /* data, function scope */
  long src[8];
  for (int i = 0; i < 8; ++i) {
    g_data_int[i] = me * 100 + i;
    src[i] = 1000L * me + i;
  }
  for (int i = 0; i < 4; ++i) s_bss_double[i] = 0.5 * me + i;
  shmem_barrier_all();

  shmem_long_put(g_bss_long, src, 8, right);
  shmem_short_p(&s_data_short[2], (short)(10 + me), right);
  int got[8];
  shmem_int_get(got, g_data_int, 8, left);
  for (int i = 0; i < 8; ++i)
    CHECK(got[i] == left * 100 + i, "get of global g_data_int[%d] = %d", i, got[i]);
  double d = shmem_double_g(&s_bss_double[3], left);
  CHECK(d == 0.5 * left + 3, "g of static s_bss_double[3] = %g", d);
  int vals[4] = {me + 1, me + 2, me + 3, me + 4};
  shmem_int_iput(fn_static, vals, 3, 1, 4, right);
  long long ll = 100 + me;
  shmem_longlong_put_nbi(&fn_data[1], &ll, 1, right);
  shmem_quiet();
  shmem_barrier_all();

  for (int i = 0; i < 8; ++i)
    CHECK(g_bss_long[i] == 1000L * left + i, "put to global g_bss_long[%d] = %ld", i,
          g_bss_long[i]);
  CHECK(s_data_short[2] == 10 + left && s_data_short[1] == -1 && s_data_short[3] == -1,
        "p to static s_data_short: %d %d %d", s_data_short[1], s_data_short[2],
        s_data_short[3]);
  for (int i = 0; i < 12; ++i)
    CHECK(fn_static[i] == (i % 3 == 0 ? left + 1 + i / 3 : 0),
          "iput to function-static fn_static[%d] = %d", i, fn_static[i]);
  CHECK(fn_data[0] == 7 && fn_data[1] == 100 + left && fn_data[2] == 7,
        "put_nbi to function-static fn_data: %lld %lld %lld", fn_data[0], fn_data[1],
        fn_data[2]);
  shmem_barrier_all();

  /* transfers to and from this PE itself */
  long self[8];
  for (int i = 0; i < 8; ++i) self[i] = -i - 10 * me;
  shmem_long_put(g_bss_long, self, 8, me);
  for (int i = 0; i < 8; ++i)
    CHECK(g_bss_long[i] == -i - 10 * me, "put to this PE: element %d is %ld", i, g_bss_long[i]);
  shmem_int_get(got, g_data_int, 8, me);
  for (int i = 0; i < 8; ++i) CHECK(got[i] == me * 100 + i, "get from this PE: %d", got[i]);
  CHECK(shmem_double_g(&s_bss_double[1], me) == 0.5 * me + 1, "g from this PE");
  shmem_barrier_all();
}

/* Large and unaligned byte transfers: 4 MiB (less a few bytes) at odd
 * offsets, put to the right and got from the left. */
static void test_big(void) {
  const size_t big = (size_t)4 << 20, off = 3, len = big - 11;
  unsigned char *sym = shmem_malloc(big);
  unsigned char *priv = malloc(big);
  CHECK(sym && priv, "allocation failed");
  memset(sym, 0, big);
  for (size_t i = 0; i < big; ++i) priv[i] = byte_val(me, i, 0, 7);
  shmem_barrier_all();
  shmem_putmem(sym + off, priv + 1, len, right);
  shmem_barrier_all();
  for (size_t i = 0; i < big; ++i) {
    unsigned char want = (i >= off && i < off + len) ? byte_val(left, i - off + 1, 0, 7) : 0;
    CHECK(sym[i] == want, "4 MiB putmem: byte %zu is %u, expected %u", i, sym[i], want);
  }
  shmem_barrier_all();
  memset(priv, 0, big);
  shmem_getmem_nbi(priv + 5, sym + off, len, left);
  shmem_quiet();
  for (size_t i = 0; i < big; ++i) {
    /* left's sym holds the bytes of its own left neighbour */
    int src_pe = (left + npes - 1) % npes;
    unsigned char want = (i >= 5 && i < 5 + len) ? byte_val(src_pe, i - 5 + 1, 0, 7) : 0;
    CHECK(priv[i] == want, "4 MiB getmem_nbi: byte %zu is %u, expected %u", i, priv[i], want);
  }
  shmem_barrier_all();
  free(priv);
  shmem_free(sym);
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  right = (me + 1) % npes;
  left = (me + npes - 1) % npes;

  char *heap_arena = shmem_align(64, ARENA);
  CHECK(heap_arena != NULL, "shmem_align(64, %d) failed", ARENA);
  local_buf = aligned_alloc(64, ARENA);
  CHECK(local_buf != NULL, "out of memory");

#define RUN_ONE(ID, T) run_##ID(heap_arena);
  SHMEM_RMA_TYPES(RUN_ONE)
  SHMEM_SIZED_RMA(RUN_ONE)
  RUN_ONE(mem, unsigned char)
#undef RUN_ONE
  test_globals();
  test_big();

  free(local_buf);
  shmem_free(heap_arena);
  shmem_finalize();
  return 0;
}
