/* test_amo.c - every atomic memory operation on every type of its table.
 *
 * Generated from shmem_type_table.h:
 *   SHMEM_AMO_EXTENDED_TYPES  fetch, set, swap (+ _nbi, ctx forms)
 *   SHMEM_AMO_STANDARD_TYPES  compare_swap, fetch_inc, inc, fetch_add, add
 *   SHMEM_AMO_BITWISE_TYPES   fetch_and/or/xor, and/or/xor
 *   SHMEM_DEPRECATED_AMO_TYPES / _EXT_TYPES  finc, inc, fadd, add, cswap,
 *                                            swap, fetch, set
 *
 * Sequences: each PE drives one word on its right neighbour, which nobody
 * else touches, so every returned (old) value is known exactly; at the end
 * each PE checks that the word its left neighbour drove holds the final value.
 * Contention: every PE hits the same word on PE 0 and the totals must be
 * exact, fetch_inc results must be a permutation, bits set and cleared by
 * each PE must never be lost. */
#include <shmem.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

#define K 2000  /* contended operations per PE and type */
#define R 500   /* bitwise set/clear rounds per PE and type */

static int me, npes, right, left;
static char *word_arena;  /* symmetric scratch words (heap) */
static char *all_vals;    /* symmetric: K values from every PE (heap) */
static unsigned char *seen; /* private: permutation check */
#define CTX SHMEM_CTX_DEFAULT

/* Printing any AMO type: all are integers or small exact reals. */
#define AS_LD(x) ((long double)(x))

/* ---- extended: fetch, set, swap ---- */
#define EXT_TEST(ID, T)                                                        \
  static void ext_##ID(void) {                                                 \
    T *w = (T *)word_arena;                                                    \
    T f;                                                                       \
    /* value k of this PE's sequence (me * 10 + k) is exact in float too */    \
    shmem_##ID##_atomic_set(w, (T)(me * 10 + 1), right);                       \
    f = shmem_##ID##_atomic_fetch(w, right);                                   \
    CHECK(f == (T)(me * 10 + 1), #ID " atomic_set/fetch: %Lg", AS_LD(f));      \
    f = shmem_##ID##_atomic_swap(w, (T)(me * 10 + 2), right);                  \
    CHECK(f == (T)(me * 10 + 1), #ID " atomic_swap returned %Lg", AS_LD(f));   \
    f = shmem_ctx_##ID##_atomic_fetch(CTX, w, right);                          \
    CHECK(f == (T)(me * 10 + 2), #ID " ctx atomic_fetch after swap: %Lg", AS_LD(f)); \
    shmem_ctx_##ID##_atomic_set(CTX, w, (T)(me * 10 + 3), right);              \
    f = shmem_ctx_##ID##_atomic_swap(CTX, w, (T)(me * 10 + 4), right);         \
    CHECK(f == (T)(me * 10 + 3), #ID " ctx atomic_swap returned %Lg", AS_LD(f)); \
    f = 0;                                                                     \
    shmem_##ID##_atomic_fetch_nbi(&f, w, right);                               \
    shmem_quiet();                                                             \
    CHECK(f == (T)(me * 10 + 4), #ID " atomic_fetch_nbi: %Lg", AS_LD(f));      \
    f = 0;                                                                     \
    shmem_##ID##_atomic_swap_nbi(&f, w, (T)(me * 10 + 5), right);              \
    shmem_quiet();                                                             \
    CHECK(f == (T)(me * 10 + 4), #ID " atomic_swap_nbi fetched %Lg", AS_LD(f)); \
    f = 0;                                                                     \
    shmem_ctx_##ID##_atomic_fetch_nbi(CTX, &f, w, right);                      \
    shmem_ctx_quiet(CTX);                                                      \
    CHECK(f == (T)(me * 10 + 5), #ID " ctx atomic_fetch_nbi: %Lg", AS_LD(f));  \
    f = 0;                                                                     \
    shmem_ctx_##ID##_atomic_swap_nbi(CTX, &f, w, (T)(me * 10 + 6), right);     \
    shmem_ctx_quiet(CTX);                                                      \
    CHECK(f == (T)(me * 10 + 5), #ID " ctx atomic_swap_nbi fetched %Lg", AS_LD(f)); \
    shmem_barrier_all();                                                       \
    CHECK(*w == (T)(left * 10 + 6), #ID ": the word the left PE drove holds %Lg", \
          AS_LD(*w));                                                          \
    shmem_barrier_all();                                                       \
  }
SHMEM_AMO_EXTENDED_TYPES(EXT_TEST)

/* ---- standard: compare_swap, fetch_inc, inc, fetch_add, add ---- */
/* A value that uses the type's whole width (top bits set), different per PE. */
#define WIDE(T, pe) ((T)(((T)1 << (8 * sizeof(T) - 2)) + (T)(100 + (pe))))

#define EXPECT_OLD(ID, what, got, want)                                        \
  CHECK((got) == (want), #ID " " what ": returned %Lg, expected %Lg",          \
        AS_LD(got), AS_LD(want))

/* Runs this PE's sequence on `w` at PE `pe`; returns the final value. */
#define STD_TEST(ID, T)                                                        \
  static T std_seq_##ID(T *w, int pe, int me_) {                               \
    T cur = WIDE(T, me_), f;                                                   \
    shmem_##ID##_atomic_set(w, cur, pe);                                       \
    /* compare_swap: failure leaves the word alone, success replaces it */     \
    f = shmem_##ID##_atomic_compare_swap(w, (T)(cur + 1), (T)7, pe);           \
    EXPECT_OLD(ID, "compare_swap (failing)", f, cur);                          \
    f = shmem_##ID##_atomic_fetch(w, pe);                                      \
    EXPECT_OLD(ID, "fetch after a failed compare_swap", f, cur);               \
    f = shmem_##ID##_atomic_compare_swap(w, cur, (T)(cur + 1000), pe);         \
    EXPECT_OLD(ID, "compare_swap (succeeding)", f, cur);                       \
    cur = (T)(cur + 1000);                                                     \
    f = shmem_##ID##_atomic_fetch_inc(w, pe);                                  \
    EXPECT_OLD(ID, "fetch_inc", f, cur);                                       \
    cur = (T)(cur + 1);                                                        \
    shmem_##ID##_atomic_inc(w, pe);                                            \
    cur = (T)(cur + 1);                                                        \
    f = shmem_##ID##_atomic_fetch_add(w, (T)10, pe);                           \
    EXPECT_OLD(ID, "fetch_add", f, cur);                                       \
    cur = (T)(cur + 10);                                                       \
    shmem_##ID##_atomic_add(w, (T)5, pe);                                      \
    cur = (T)(cur + 5);                                                        \
    f = shmem_##ID##_atomic_fetch_add(w, (T)-1, pe); /* wraps for unsigned */  \
    EXPECT_OLD(ID, "fetch_add(-1)", f, cur);                                   \
    cur = (T)(cur - 1);                                                        \
    /* ctx forms */                                                            \
    f = shmem_ctx_##ID##_atomic_compare_swap(CTX, w, (T)(cur - 1), (T)3, pe);  \
    EXPECT_OLD(ID, "ctx compare_swap (failing)", f, cur);                      \
    f = shmem_ctx_##ID##_atomic_compare_swap(CTX, w, cur, (T)(cur + 20), pe);  \
    EXPECT_OLD(ID, "ctx compare_swap (succeeding)", f, cur);                   \
    cur = (T)(cur + 20);                                                       \
    f = shmem_ctx_##ID##_atomic_fetch_inc(CTX, w, pe);                         \
    EXPECT_OLD(ID, "ctx fetch_inc", f, cur);                                   \
    cur = (T)(cur + 1);                                                        \
    shmem_ctx_##ID##_atomic_inc(CTX, w, pe);                                   \
    cur = (T)(cur + 1);                                                        \
    f = shmem_ctx_##ID##_atomic_fetch_add(CTX, w, (T)30, pe);                  \
    EXPECT_OLD(ID, "ctx fetch_add", f, cur);                                   \
    cur = (T)(cur + 30);                                                       \
    shmem_ctx_##ID##_atomic_add(CTX, w, (T)40, pe);                            \
    cur = (T)(cur + 40);                                                       \
    f = shmem_ctx_##ID##_atomic_fetch(CTX, w, pe);                             \
    EXPECT_OLD(ID, "ctx fetch after ctx add", f, cur);                         \
    /* non-blocking fetching forms: the result is there after quiet */         \
    f = 0;                                                                     \
    shmem_##ID##_atomic_compare_swap_nbi(&f, w, (T)(cur + 2), (T)9, pe);       \
    shmem_quiet();                                                             \
    EXPECT_OLD(ID, "compare_swap_nbi (failing)", f, cur);                      \
    f = 0;                                                                     \
    shmem_##ID##_atomic_compare_swap_nbi(&f, w, cur, (T)(cur + 3), pe);        \
    shmem_quiet();                                                             \
    EXPECT_OLD(ID, "compare_swap_nbi (succeeding)", f, cur);                   \
    cur = (T)(cur + 3);                                                        \
    f = 0;                                                                     \
    shmem_##ID##_atomic_fetch_inc_nbi(&f, w, pe);                              \
    shmem_quiet();                                                             \
    EXPECT_OLD(ID, "fetch_inc_nbi", f, cur);                                   \
    cur = (T)(cur + 1);                                                        \
    f = 0;                                                                     \
    shmem_##ID##_atomic_fetch_add_nbi(&f, w, (T)50, pe);                       \
    shmem_quiet();                                                             \
    EXPECT_OLD(ID, "fetch_add_nbi", f, cur);                                   \
    cur = (T)(cur + 50);                                                       \
    f = 0;                                                                     \
    shmem_ctx_##ID##_atomic_compare_swap_nbi(CTX, &f, w, (T)(cur + 1), (T)1, pe); \
    shmem_ctx_quiet(CTX);                                                      \
    EXPECT_OLD(ID, "ctx compare_swap_nbi (failing)", f, cur);                  \
    f = 0;                                                                     \
    shmem_ctx_##ID##_atomic_compare_swap_nbi(CTX, &f, w, cur, (T)(cur + 4), pe); \
    shmem_ctx_quiet(CTX);                                                      \
    EXPECT_OLD(ID, "ctx compare_swap_nbi (succeeding)", f, cur);               \
    cur = (T)(cur + 4);                                                        \
    f = 0;                                                                     \
    shmem_ctx_##ID##_atomic_fetch_inc_nbi(CTX, &f, w, pe);                     \
    shmem_ctx_quiet(CTX);                                                      \
    EXPECT_OLD(ID, "ctx fetch_inc_nbi", f, cur);                               \
    cur = (T)(cur + 1);                                                        \
    f = 0;                                                                     \
    shmem_ctx_##ID##_atomic_fetch_add_nbi(CTX, &f, w, (T)60, pe);              \
    shmem_ctx_quiet(CTX);                                                      \
    EXPECT_OLD(ID, "ctx fetch_add_nbi", f, cur);                               \
    cur = (T)(cur + 60);                                                       \
    f = shmem_##ID##_atomic_fetch(w, pe);                                      \
    EXPECT_OLD(ID, "final fetch", f, cur);                                     \
    return cur;                                                                \
  }                                                                            \
  static void std_##ID(void) {                                                 \
    T *w = (T *)word_arena;                                                    \
    /* the sequence adds the same amount whatever the PE's start value */      \
    T delta = (T)(std_seq_##ID(w, right, me) - WIDE(T, me));                   \
    shmem_barrier_all();                                                       \
    T want = (T)(WIDE(T, left) + delta);                                       \
    CHECK(*w == want, #ID ": the word the left PE drove holds %Lg, expected %Lg", \
          AS_LD(*w), AS_LD(want));                                             \
    shmem_barrier_all();                                                       \
  }                                                                            \
  /* Contention: all PEs add to one word of PE 0; fetch_add results seen by    \
   * one PE increase; the total is exact. */                                   \
  static void std_contended_##ID(void) {                                       \
    T *ctr = (T *)word_arena;                                                  \
    if (me == 0) *ctr = 0;                                                     \
    shmem_barrier_all();                                                       \
    T prev = 0;                                                                \
    int first = 1;                                                             \
    for (int k = 0; k < K; ++k) {                                              \
      T old;                                                                   \
      switch (k % 4) {                                                         \
      case 0: shmem_##ID##_atomic_inc(ctr, 0); break;                          \
      case 1: shmem_ctx_##ID##_atomic_inc(CTX, ctr, 0); break;                 \
      case 2:                                                                  \
      case 3:                                                                  \
        old = (k % 4 == 2) ? shmem_##ID##_atomic_fetch_add(ctr, (T)2, 0)       \
                           : shmem_ctx_##ID##_atomic_fetch_add(CTX, ctr, (T)2, 0); \
        CHECK(first || old > prev, #ID " fetch_add under contention went back: " \
              "%Lg after %Lg", AS_LD(old), AS_LD(prev));                       \
        prev = old;                                                            \
        first = 0;                                                             \
        break;                                                                 \
      }                                                                        \
    }                                                                          \
    shmem_barrier_all();                                                       \
    T total = (T)((long long)npes * (K / 2) * 3);                              \
    T got = shmem_##ID##_atomic_fetch(ctr, 0);                                 \
    CHECK(got == total, #ID ": %d PEs x %d inc/fetch_add on PE 0 gave %Lg, "   \
          "expected %Lg", npes, K, AS_LD(got), AS_LD(total));                  \
    shmem_barrier_all();                                                       \
    /* fetch_inc: the K*npes results are a permutation of 0..K*npes-1 */       \
    if (me == 0) *ctr = 0;                                                     \
    shmem_barrier_all();                                                       \
    T *mine = (T *)(all_vals) + (size_t)me * K;                                \
    for (int k = 0; k < K; ++k) {                                              \
      switch (k % 4) {                                                         \
      case 0: mine[k] = shmem_##ID##_atomic_fetch_inc(ctr, 0); break;          \
      case 1: mine[k] = shmem_ctx_##ID##_atomic_fetch_inc(CTX, ctr, 0); break; \
      case 2: shmem_##ID##_atomic_fetch_inc_nbi(&mine[k], ctr, 0); shmem_quiet(); break; \
      case 3:                                                                  \
        shmem_ctx_##ID##_atomic_fetch_inc_nbi(CTX, &mine[k], ctr, 0);          \
        shmem_ctx_quiet(CTX);                                                  \
        break;                                                                 \
      }                                                                        \
      CHECK(k == 0 || mine[k] > mine[k - 1], #ID " fetch_inc went back");      \
    }                                                                          \
    /* collect: PE p's values go to slot p on PE 0 */                          \
    if (me != 0) shmem_##ID##_put(mine, mine, K, 0);                           \
    shmem_barrier_all();                                                       \
    if (me == 0) {                                                             \
      size_t total_n = (size_t)K * npes;                                       \
      memset(seen, 0, total_n);                                                \
      const T *all = (const T *)all_vals;                                      \
      for (size_t i = 0; i < total_n; ++i) {                                   \
        CHECK((unsigned long long)all[i] < total_n,                            \
              #ID " fetch_inc returned %Lg (from PE %zu), outside 0..%zu",     \
              AS_LD(all[i]), i / K, total_n - 1);                              \
        size_t v = (size_t)all[i];                                             \
        CHECK(!seen[v], #ID " fetch_inc returned %zu twice", v);               \
        seen[v] = 1;                                                           \
      }                                                                        \
    }                                                                          \
    shmem_barrier_all();                                                       \
  }
SHMEM_AMO_STANDARD_TYPES(STD_TEST)

/* ---- bitwise: and, or, xor ---- */
/* The sequence: step s applies operation s % 3 (and, or, xor) in form s / 3
 * with mask bit_masks[s] (cut to the type's width). */
enum { B_AND, B_OR, B_XOR };
enum { F_FETCH, F_PLAIN, F_CTX_FETCH, F_CTX_PLAIN, F_NBI, F_CTX_NBI, N_FORMS };
#define N_BIT_STEPS (3 * N_FORMS)
static const uint64_t bit_masks[N_BIT_STEPS] = {
    0xF0F0F0F0F0F0F0F0ull, 0x0102040810204080ull, 0x00FF00FF00FF00FFull,
    0xFFFF0000FFFF00FFull, 0x8000000000000001ull, 0x3333333333333333ull,
    0xFFFFFFFFFFFFFF0Full, 0x4000000040000000ull, 0xFFFFFFFFFFFFFFFFull,
    0x7FFFFFFFFFFFFFFEull, 0x0000000000000010ull, 0x0000000000000F0Full,
    0xFEFEFEFEFEFEFEFEull, 0x0000000100000100ull, 0xAAAAAAAAAAAAAAAAull,
    0xFFF0FFF0FFF0FFF0ull, 0x0000000000000007ull, 0x5555555555555555ull};
/* The start value of PE pe: PEs differ in bits 29 and 31, which no mask
 * of the sequence forces, so the final values differ too. */
static uint64_t bit_start(int pe) {
  uint64_t d = ((uint64_t)(pe & 1) << 29) | ((uint64_t)(pe & 2) << 30);
  return 0xA5C3F00FF00F5AA5ull ^ d ^ (d << 32);
}
static uint64_t bit_apply(int op, uint64_t cur, uint64_t m) {
  return op == B_AND ? (cur & m) : op == B_OR ? (cur | m) : (cur ^ m);
}
/* The final value of the sequence started by PE pe (bitwise operations
 * commute with cutting to a narrower type). */
static uint64_t bit_model(int pe) {
  uint64_t cur = bit_start(pe);
  for (int s = 0; s < N_BIT_STEPS; ++s) cur = bit_apply(s % 3, cur, bit_masks[s]);
  return cur;
}

/* The six forms of one operation OPN (and, or, xor) as switch cases. */
#define BIT_CASES(ID, OPN, OPI)                                                \
  case F_FETCH * 3 + OPI:                                                      \
    f = shmem_##ID##_atomic_fetch_##OPN(w, m, pe);                             \
    fetched = 1;                                                               \
    break;                                                                     \
  case F_PLAIN * 3 + OPI: shmem_##ID##_atomic_##OPN(w, m, pe); break;          \
  case F_CTX_FETCH * 3 + OPI:                                                  \
    f = shmem_ctx_##ID##_atomic_fetch_##OPN(CTX, w, m, pe);                    \
    fetched = 1;                                                               \
    break;                                                                     \
  case F_CTX_PLAIN * 3 + OPI: shmem_ctx_##ID##_atomic_##OPN(CTX, w, m, pe); break; \
  case F_NBI * 3 + OPI:                                                        \
    shmem_##ID##_atomic_fetch_##OPN##_nbi(&f, w, m, pe);                       \
    shmem_quiet();                                                             \
    fetched = 1;                                                               \
    break;                                                                     \
  case F_CTX_NBI * 3 + OPI:                                                    \
    shmem_ctx_##ID##_atomic_fetch_##OPN##_nbi(CTX, &f, w, m, pe);              \
    shmem_ctx_quiet(CTX);                                                      \
    fetched = 1;                                                               \
    break;

#define BIT_TEST(ID, T)                                                        \
  static void bit_##ID(void) {                                                 \
    T *w = (T *)word_arena;                                                    \
    const int pe = right;                                                      \
    T cur = (T)bit_start(me);                                                  \
    shmem_##ID##_atomic_set(w, cur, pe);                                       \
    for (int s = 0; s < N_BIT_STEPS; ++s) {                                    \
      T m = (T)bit_masks[s], f = 0;                                            \
      int fetched = 0;                                                         \
      switch (s) {                                                             \
        BIT_CASES(ID, and, B_AND)                                              \
        BIT_CASES(ID, or, B_OR)                                                \
        BIT_CASES(ID, xor, B_XOR)                                              \
      }                                                                        \
      if (fetched)                                                             \
        CHECK(f == cur, #ID " bitwise step %d (op %d, form %d) fetched %#llx, " \
              "expected %#llx", s, s % 3, s / 3, (unsigned long long)f,        \
              (unsigned long long)cur);                                        \
      cur = (T)bit_apply(s % 3, (uint64_t)cur, (uint64_t)m);                   \
    }                                                                          \
    T f = shmem_##ID##_atomic_fetch(w, pe);                                    \
    EXPECT_OLD(ID, "fetch after the bitwise sequence", f, cur);                \
    shmem_barrier_all();                                                       \
    T want = (T)bit_model(left);                                               \
    CHECK(*w == want, #ID ": the word the left PE drove holds %#llx, expected " \
          "%#llx", (unsigned long long)*w, (unsigned long long)want);          \
    shmem_barrier_all();                                                       \
  }                                                                            \
  /* Contention: each PE owns a low bit and a high bit of one word on PE 0     \
   * and sets and clears them R times; the others' bits never disturb its. */  \
  static void bit_contended_##ID(void) {                                       \
    T *w = (T *)word_arena;                                                    \
    const T lo = (T)((uint64_t)1 << me);                                       \
    const T hi = (T)((uint64_t)1 << (8 * sizeof(T) - 1 - me));                 \
    const T mine = (T)(lo | hi);                                               \
    T all = 0;                                                                 \
    for (int p = 0; p < npes; ++p)                                             \
      all = (T)(all | ((uint64_t)1 << p) | ((uint64_t)1 << (8 * sizeof(T) - 1 - p))); \
    if (me == 0) *w = 0;                                                       \
    shmem_barrier_all();                                                       \
    for (int r = 0; r < R; ++r) {                                              \
      T old;                                                                   \
      if (r % 2 == 0) {                                                        \
        old = shmem_##ID##_atomic_fetch_or(w, mine, 0);                        \
        CHECK((old & mine) == 0, #ID " contended fetch_or: own bits were set"); \
        old = shmem_##ID##_atomic_fetch_and(w, (T)~mine, 0);                   \
        CHECK((old & mine) == mine, #ID " contended fetch_and: own bits lost"); \
      } else {                                                                 \
        old = shmem_ctx_##ID##_atomic_fetch_xor(CTX, w, mine, 0);              \
        CHECK((old & mine) == 0, #ID " contended fetch_xor: own bits were set"); \
        shmem_ctx_##ID##_atomic_fetch_xor_nbi(CTX, &old, w, mine, 0);          \
        shmem_ctx_quiet(CTX);                                                  \
        CHECK((old & mine) == mine, #ID " contended fetch_xor_nbi: own bits lost"); \
      }                                                                        \
    }                                                                          \
    shmem_##ID##_atomic_or(w, mine, 0);                                        \
    shmem_barrier_all();                                                       \
    T got = shmem_##ID##_atomic_fetch(w, 0);                                   \
    CHECK(got == all, #ID ": after every PE set its bits with atomic_or the "  \
          "word is %#llx, expected %#llx", (unsigned long long)got,            \
          (unsigned long long)all);                                            \
    shmem_barrier_all();                                                       \
    shmem_ctx_##ID##_atomic_and(CTX, w, (T)~mine, 0);                          \
    shmem_barrier_all();                                                       \
    got = shmem_##ID##_atomic_fetch(w, 0);                                     \
    CHECK(got == 0, #ID ": after every PE cleared its bits with atomic_and "   \
          "the word is %#llx", (unsigned long long)got);                       \
    shmem_barrier_all();                                                       \
  }
SHMEM_AMO_BITWISE_TYPES(BIT_TEST)

/* ---- deprecated names ---- */
#define DEP_TEST(ID, T)                                                        \
  static void dep_##ID(void) {                                                 \
    T *w = (T *)word_arena, f;                                                 \
    shmem_##ID##_atomic_set(w, (T)(1000 + me), right);                         \
    f = shmem_##ID##_finc(w, right);                                           \
    EXPECT_OLD(ID, "finc", f, (T)(1000 + me));                                 \
    shmem_##ID##_inc(w, right);                                                \
    f = shmem_##ID##_fadd(w, (T)10, right);                                    \
    EXPECT_OLD(ID, "fadd", f, (T)(1002 + me));                                 \
    shmem_##ID##_add(w, (T)5, right);                                          \
    f = shmem_##ID##_cswap(w, (T)0, (T)1, right);                              \
    EXPECT_OLD(ID, "cswap (failing)", f, (T)(1017 + me));                      \
    f = shmem_##ID##_cswap(w, (T)(1017 + me), (T)(2000 + me), right);          \
    EXPECT_OLD(ID, "cswap (succeeding)", f, (T)(1017 + me));                   \
    shmem_barrier_all();                                                       \
    CHECK(*w == (T)(2000 + left), #ID " deprecated AMOs: word holds %Lg",      \
          AS_LD(*w));                                                          \
    shmem_barrier_all();                                                       \
    /* contention through the deprecated names */                              \
    if (me == 0) *w = 0;                                                       \
    shmem_barrier_all();                                                       \
    for (int k = 0; k < K / 4; ++k) {                                          \
      shmem_##ID##_inc(w, 0);                                                  \
      (void)shmem_##ID##_finc(w, 0);                                           \
      shmem_##ID##_add(w, (T)2, 0);                                            \
      (void)shmem_##ID##_fadd(w, (T)3, 0);                                     \
    }                                                                          \
    shmem_barrier_all();                                                       \
    f = shmem_##ID##_fetch(w, 0);                                              \
    CHECK(f == (T)((long long)npes * (K / 4) * 7), #ID " deprecated contended " \
          "total %Lg", AS_LD(f));                                              \
    shmem_barrier_all();                                                       \
  }
SHMEM_DEPRECATED_AMO_TYPES(DEP_TEST)
#define DEP_EXT_TEST(ID, T)                                                    \
  static void dep_ext_##ID(void) {                                             \
    T *w = (T *)word_arena, f;                                                 \
    shmem_##ID##_set(w, (T)(me + 1), right);                                   \
    f = shmem_##ID##_fetch(w, right);                                          \
    EXPECT_OLD(ID, "deprecated set/fetch", f, (T)(me + 1));                    \
    f = shmem_##ID##_swap(w, (T)(me + 20), right);                             \
    EXPECT_OLD(ID, "deprecated swap", f, (T)(me + 1));                         \
    shmem_barrier_all();                                                       \
    CHECK(*w == (T)(left + 20), #ID " deprecated swap left %Lg", AS_LD(*w));   \
    shmem_barrier_all();                                                       \
  }
SHMEM_DEPRECATED_AMO_EXT_TYPES(DEP_EXT_TEST)

/* ---- AMOs on global and static variables, contended by every PE ---- */
long g_counter;                  /* bss */
int g_data_counter = 5;          /* data */
static unsigned long long s_bits; /* bss, file scope */
static double s_swap = 1.0;      /* data, file scope */

static void test_globals(void) {
  static size_t fn_counter;      /* bss, function scope */
  for (int k = 0; k < K; ++k) {
    shmem_long_atomic_inc(&g_counter, 0);
    (void)shmem_int_atomic_fetch_add(&g_data_counter, 3, 0);
    shmem_ctx_size_atomic_add(CTX, &fn_counter, 2, 0);
  }
  shmem_ulonglong_atomic_or(&s_bits, 1ull << (63 - me), 0);
  double old = shmem_double_atomic_swap(&s_swap, 2.0 + me, 0);
  CHECK(old == 1.0 || (old >= 2.0 && old < 2.0 + npes && old != 2.0 + me),
        "swap on a static double returned %g", old);
  shmem_barrier_all();
  if (me == 0) {
    CHECK(g_counter == (long)K * npes, "global bss counter %ld, expected %ld", g_counter,
          (long)K * npes);
    CHECK(g_data_counter == 5 + 3 * K * npes, "global data counter %d, expected %d",
          g_data_counter, 5 + 3 * K * npes);
    CHECK(fn_counter == (size_t)2 * K * npes, "function-static counter %zu", fn_counter);
    unsigned long long want = 0;
    for (int p = 0; p < npes; ++p) want |= 1ull << (63 - p);
    CHECK(s_bits == want, "static bits %#llx, expected %#llx", s_bits, want);
    CHECK(s_swap >= 2.0 && s_swap < 2.0 + npes, "static double after swaps: %g", s_swap);
  }
  /* every PE reads PE 0's globals with fetch */
  long c = shmem_long_atomic_fetch(&g_counter, 0);
  CHECK(c == (long)K * npes, "atomic_fetch of PE 0's global counter: %ld", c);
  shmem_barrier_all();
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  right = (me + 1) % npes;
  left = (me + npes - 1) % npes;
  word_arena = shmem_calloc(1, 256);
  all_vals = shmem_malloc((size_t)K * npes * 8);
  seen = malloc((size_t)K * npes);
  CHECK(word_arena && all_vals && seen, "allocation failed");

#define RUN(ID, T) ext_##ID();
  SHMEM_AMO_EXTENDED_TYPES(RUN)
#undef RUN
#define RUN(ID, T) std_##ID(); std_contended_##ID();
  SHMEM_AMO_STANDARD_TYPES(RUN)
#undef RUN
#define RUN(ID, T) bit_##ID(); bit_contended_##ID();
  SHMEM_AMO_BITWISE_TYPES(RUN)
#undef RUN
#define RUN(ID, T) dep_##ID();
  SHMEM_DEPRECATED_AMO_TYPES(RUN)
#undef RUN
#define RUN(ID, T) dep_ext_##ID();
  SHMEM_DEPRECATED_AMO_EXT_TYPES(RUN)
#undef RUN
  test_globals();

  free(seen);
  shmem_free(all_vals);
  shmem_free(word_arena);
  shmem_finalize();
  return 0;
}
