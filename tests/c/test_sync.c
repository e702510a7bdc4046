/* test_sync.c - point-to-point synchronization and signals.
 *
 * Generated from shmem_type_table.h:
 *   SHMEM_SYNC_TYPES             wait_until, test, the _all/_any/_some and
 *                                _vector forms of both
 *   SHMEM_SYNC_TYPES_DEPRECATED  the same for short and ushort (their
 *                                wait_until and test are deprecated)
 *   SHMEM_DEPRECATED_WAIT_TYPES  shmem_<T>_wait
 *   SHMEM_RMA_TYPES, SHMEM_SIZED_RMA, mem   put_signal, put_signal_nbi
 *
 * No check depends on timing: every wait is for a condition that only the
 * left neighbour's write can make true, every "not yet" test is made before
 * the barrier that lets the neighbour write, and every "already" test after
 * the wait (or barrier) that proves the write happened. */
#include <shmem.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

static int me, npes, right, left;
static char *arena; /* symmetric scratch */
#define CTX SHMEM_CTX_DEFAULT
#define AS_LD(x) ((long double)(x))

/* ---- wait_until / test with every comparison ---- */
/* Each case: the variable starts at `start` (condition false), the left PE
 * writes `final` (condition true). */
struct cmp_case {
  int cmp;
  int start, final, value;
  const char *name;
};
static const struct cmp_case cmp_cases[] = {
    {SHMEM_CMP_EQ, 0, 5, 5, "EQ"},  {SHMEM_CMP_NE, 0, 5, 0, "NE"},
    {SHMEM_CMP_GT, 0, 5, 4, "GT"},  {SHMEM_CMP_LE, 10, 5, 5, "LE"},
    {SHMEM_CMP_LT, 10, 5, 6, "LT"}, {SHMEM_CMP_GE, 0, 5, 5, "GE"},
    /* the deprecated spellings are the same constants */
    {_SHMEM_CMP_EQ, 1, 9, 9, "_EQ"}, {_SHMEM_CMP_GE, 1, 9, 8, "_GE"},
};
#define N_CMP_CASES (sizeof cmp_cases / sizeof cmp_cases[0])

#define CMP_TEST(ID, T)                                                        \
  static void cmp_##ID(void) {                                                 \
    T *ivar = (T *)arena;                                                      \
    for (size_t c = 0; c < N_CMP_CASES; ++c) {                                 \
      const struct cmp_case *k = &cmp_cases[c];                                \
      *ivar = (T)k->start;                                                     \
      CHECK(shmem_##ID##_test(ivar, k->cmp, (T)k->value) == 0,                 \
            #ID "_test(%s %d) is true on %d", k->name, k->value, k->start);    \
      shmem_barrier_all();                                                     \
      T v = (T)(k->final);                                                     \
      switch (c % 3) { /* the left PE writes with p, put or put_nbi */         \
      case 0: shmem_##ID##_p(ivar, v, right); break;                           \
      case 1: shmem_##ID##_put(ivar, &v, 1, right); break;                     \
      default: shmem_##ID##_put_nbi(ivar, &v, 1, right); shmem_quiet(); break; \
      }                                                                        \
      shmem_##ID##_wait_until(ivar, k->cmp, (T)k->value);                      \
      CHECK(*ivar == (T)k->final, #ID "_wait_until(%s %d) returned on %Lg",    \
            k->name, k->value, AS_LD(*ivar));                                  \
      CHECK(shmem_##ID##_test(ivar, k->cmp, (T)k->value) == 1,                 \
            #ID "_test(%s %d) is false on %d", k->name, k->value, k->final);   \
      shmem_barrier_all();                                                     \
    }                                                                          \
  }
SHMEM_SYNC_TYPES(CMP_TEST)
SHMEM_SYNC_TYPES_DEPRECATED(CMP_TEST)

/* ---- the array forms: _all, _any, _some (and _vector) ---- */
#define NV 8
/* status: elements 1 and 5 are excluded */
static const int status[NV] = {0, 1, 0, 0, 0, 1, 0, 0};
static const int all_excluded[NV] = {1, 1, 1, 1, 1, 1, 1, 1};

static int contains(const size_t *idx, size_t n, size_t want) {
  for (size_t i = 0; i < n; ++i)
    if (idx[i] == want) return 1;
  return 0;
}

/* vec == 0: cmp EQ against one value, 7.  vec == 1: cmp GE against
 * values[i] = i + 1.  A satisfying element holds sat(i), the others 0. */
#define ARRAY_TEST(ID, T)                                                      \
  static size_t wait_all_##ID(int vec, T *iv, size_t n, const int *st, T *vals) { \
    if (vec) shmem_##ID##_wait_until_all_vector(iv, n, st, SHMEM_CMP_GE, vals); \
    else shmem_##ID##_wait_until_all(iv, n, st, SHMEM_CMP_EQ, (T)7);           \
    return 0;                                                                  \
  }                                                                            \
  static size_t wait_any_##ID(int vec, T *iv, size_t n, const int *st, T *vals) { \
    return vec ? shmem_##ID##_wait_until_any_vector(iv, n, st, SHMEM_CMP_GE, vals) \
               : shmem_##ID##_wait_until_any(iv, n, st, SHMEM_CMP_EQ, (T)7);   \
  }                                                                            \
  static size_t wait_some_##ID(int vec, T *iv, size_t n, size_t *idx, const int *st, \
                               T *vals) {                                      \
    return vec ? shmem_##ID##_wait_until_some_vector(iv, n, idx, st, SHMEM_CMP_GE, vals) \
               : shmem_##ID##_wait_until_some(iv, n, idx, st, SHMEM_CMP_EQ, (T)7); \
  }                                                                            \
  static int test_all_##ID(int vec, T *iv, size_t n, const int *st, T *vals) { \
    return vec ? shmem_##ID##_test_all_vector(iv, n, st, SHMEM_CMP_GE, vals)   \
               : shmem_##ID##_test_all(iv, n, st, SHMEM_CMP_EQ, (T)7);         \
  }                                                                            \
  static size_t test_any_##ID(int vec, T *iv, size_t n, const int *st, T *vals) { \
    return vec ? shmem_##ID##_test_any_vector(iv, n, st, SHMEM_CMP_GE, vals)   \
               : shmem_##ID##_test_any(iv, n, st, SHMEM_CMP_EQ, (T)7);         \
  }                                                                            \
  static size_t test_some_##ID(int vec, T *iv, size_t n, size_t *idx, const int *st, \
                               T *vals) {                                      \
    return vec ? shmem_##ID##_test_some_vector(iv, n, idx, st, SHMEM_CMP_GE, vals) \
               : shmem_##ID##_test_some(iv, n, idx, st, SHMEM_CMP_EQ, (T)7);   \
  }                                                                            \
  static void array_##ID(int vec) {                                            \
    T *iv = (T *)arena;                                                        \
    T vals[NV], sat[NV];                                                       \
    size_t idx[NV];                                                            \
    const char *form = vec ? "_vector" : "";                                   \
    for (int i = 0; i < NV; ++i) {                                             \
      vals[i] = (T)(i + 1);                                                    \
      sat[i] = vec ? (T)(i + 3) : (T)7;                                        \
    }                                                                          \
    /* _all: the left PE satisfies every included element; the excluded        \
     * ones stay unsatisfied */                                                \
    memset(iv, 0, NV * sizeof(T));                                             \
    CHECK(test_all_##ID(vec, iv, NV, status, vals) == 0, #ID "_test_all%s true early", form); \
    shmem_barrier_all();                                                       \
    for (int i = 0; i < NV; ++i)                                               \
      if (!status[i]) shmem_##ID##_p(&iv[i], sat[i], right);                   \
    wait_all_##ID(vec, iv, NV, status, vals);                                  \
    for (int i = 0; i < NV; ++i)                                               \
      CHECK(status[i] ? iv[i] == 0 : iv[i] == sat[i],                          \
            #ID "_wait_until_all%s: element %d is %Lg", form, i, AS_LD(iv[i])); \
    CHECK(test_all_##ID(vec, iv, NV, status, vals) == 1, #ID "_test_all%s false", form); \
    CHECK(test_all_##ID(vec, iv, NV, NULL, vals) == 0,                         \
          #ID "_test_all%s without status ignores the excluded elements", form); \
    shmem_barrier_all();                                                       \
    /* _any: the left PE satisfies excluded element 1, then (ordered by a      \
     * fence) element 6: the wait must return 6 */                             \
    memset(iv, 0, NV * sizeof(T));                                             \
    CHECK(test_any_##ID(vec, iv, NV, status, vals) == SIZE_MAX,                \
          #ID "_test_any%s found an element early", form);                     \
    shmem_barrier_all();                                                       \
    shmem_##ID##_p(&iv[1], sat[1], right);                                     \
    shmem_fence();                                                             \
    shmem_##ID##_p(&iv[6], sat[6], right);                                     \
    size_t got = wait_any_##ID(vec, iv, NV, status, vals);                     \
    CHECK(got == 6, #ID "_wait_until_any%s returned %zu, expected 6", form, got); \
    got = test_any_##ID(vec, iv, NV, status, vals);                            \
    CHECK(got == 6, #ID "_test_any%s returned %zu, expected 6", form, got);    \
    got = test_any_##ID(vec, iv, NV, NULL, vals);                              \
    CHECK(got == 1 || got == 6, #ID "_test_any%s without status returned %zu", form, got); \
    shmem_barrier_all();                                                       \
    /* _some: the left PE satisfies 2, 4, 5 (excluded) and 7 */                \
    memset(iv, 0, NV * sizeof(T));                                             \
    CHECK(test_some_##ID(vec, iv, NV, idx, status, vals) == 0,                 \
          #ID "_test_some%s found elements early", form);                      \
    shmem_barrier_all();                                                       \
    shmem_##ID##_p(&iv[2], sat[2], right);                                     \
    shmem_##ID##_p(&iv[4], sat[4], right);                                     \
    shmem_##ID##_p(&iv[5], sat[5], right);                                     \
    shmem_##ID##_p(&iv[7], sat[7], right);                                     \
    got = wait_some_##ID(vec, iv, NV, idx, status, vals);                      \
    CHECK(got >= 1 && got <= 3, #ID "_wait_until_some%s returned %zu", form, got); \
    for (size_t i = 0; i < got; ++i) {                                         \
      CHECK(idx[i] == 2 || idx[i] == 4 || idx[i] == 7,                         \
            #ID "_wait_until_some%s returned index %zu", form, idx[i]);        \
      for (size_t j = 0; j < i; ++j)                                           \
        CHECK(idx[i] != idx[j], #ID "_wait_until_some%s repeats index %zu", form, idx[i]); \
    }                                                                          \
    shmem_barrier_all(); /* now every write of the left PE has landed */       \
    got = test_some_##ID(vec, iv, NV, idx, status, vals);                      \
    CHECK(got == 3 && contains(idx, got, 2) && contains(idx, got, 4) &&        \
              contains(idx, got, 7),                                           \
          #ID "_test_some%s returned %zu indices", form, got);                 \
    got = wait_some_##ID(vec, iv, NV, idx, NULL, vals);                        \
    CHECK(got == 4 && contains(idx, got, 5),                                   \
          #ID "_wait_until_some%s without status returned %zu indices", form, got); \
    shmem_barrier_all();                                                       \
    /* an empty wait set: nelems 0, or every element excluded */               \
    for (int i = 0; i < NV; ++i) iv[i] = sat[i]; /* all would satisfy */       \
    CHECK(wait_any_##ID(vec, iv, 0, NULL, vals) == SIZE_MAX,                   \
          #ID "_wait_until_any%s with nelems 0 is not SIZE_MAX", form);        \
    CHECK(wait_any_##ID(vec, iv, NV, all_excluded, vals) == SIZE_MAX,          \
          #ID "_wait_until_any%s with all excluded is not SIZE_MAX", form);    \
    CHECK(test_any_##ID(vec, iv, 0, NULL, vals) == SIZE_MAX,                   \
          #ID "_test_any%s with nelems 0 is not SIZE_MAX", form);              \
    CHECK(test_any_##ID(vec, iv, NV, all_excluded, vals) == SIZE_MAX,          \
          #ID "_test_any%s with all excluded is not SIZE_MAX", form);          \
    CHECK(wait_some_##ID(vec, iv, 0, idx, NULL, vals) == 0,                    \
          #ID "_wait_until_some%s with nelems 0 is not 0", form);              \
    CHECK(wait_some_##ID(vec, iv, NV, idx, all_excluded, vals) == 0,           \
          #ID "_wait_until_some%s with all excluded is not 0", form);          \
    CHECK(test_some_##ID(vec, iv, 0, idx, NULL, vals) == 0,                    \
          #ID "_test_some%s with nelems 0 is not 0", form);                    \
    CHECK(test_some_##ID(vec, iv, NV, idx, all_excluded, vals) == 0,           \
          #ID "_test_some%s with all excluded is not 0", form);                \
    memset(iv, 0, NV * sizeof(T)); /* none satisfies: must not wait */         \
    wait_all_##ID(vec, iv, 0, NULL, vals);                                     \
    wait_all_##ID(vec, iv, NV, all_excluded, vals);                            \
    CHECK(test_all_##ID(vec, iv, 0, NULL, vals) == 1,                          \
          #ID "_test_all%s with nelems 0 is not 1", form);                     \
    CHECK(test_all_##ID(vec, iv, NV, all_excluded, vals) == 1,                 \
          #ID "_test_all%s with all excluded is not 1", form);                 \
    shmem_barrier_all();                                                       \
  }
SHMEM_SYNC_TYPES(ARRAY_TEST)
SHMEM_SYNC_TYPES_DEPRECATED(ARRAY_TEST)

/* ---- deprecated waits: shmem_<T>_wait, shmem_wait, shmem_wait_until ---- */
#define DEP_WAIT_TEST(ID, T)                                                   \
  static void dep_wait_##ID(void) {                                            \
    T *ivar = (T *)arena;                                                      \
    *ivar = 0;                                                                 \
    shmem_barrier_all();                                                       \
    shmem_##ID##_p(ivar, (T)3, right);                                         \
    shmem_##ID##_wait(ivar, (T)0); /* waits while *ivar == 0 */                \
    CHECK(*ivar == 3, "shmem_" #ID "_wait returned on %Lg", AS_LD(*ivar));     \
    shmem_barrier_all();                                                       \
  }
SHMEM_DEPRECATED_WAIT_TYPES(DEP_WAIT_TEST)

static void dep_wait_untyped(void) {
  long *ivar = (long *)arena;
  *ivar = 0;
  shmem_barrier_all();
  shmem_long_p(ivar, 4, right);
  shmem_wait(ivar, 0);
  CHECK(*ivar == 4, "shmem_wait returned on %ld", *ivar);
  shmem_barrier_all();
  shmem_long_p(ivar, 10, right);
  shmem_wait_until(ivar, SHMEM_CMP_GE, 10);
  CHECK(*ivar == 10, "shmem_wait_until returned on %ld", *ivar);
  shmem_barrier_all();
}

/* ---- signals ---- */
#define SIG_N 7 /* elements per signalled put */
enum { S_PUT, S_PUT_NBI, S_CTX_PUT, S_CTX_PUT_NBI, N_SIG_FORMS };

/* One signalled put in form `form` with op `op`; then the receiver (this
 * PE, from its left) waits for the signal and checks the data. */
#define SIG_BODY(ID, T, FN, CFN, ELEM_EQ, MKVAL)                               \
    for (int form = 0; form < N_SIG_FORMS; ++form) {                           \
      for (int op = 0; op < 2; ++op) {                                         \
        int sig_op = op ? SHMEM_SIGNAL_ADD : SHMEM_SIGNAL_SET;                 \
        uint64_t sv = op ? 5 : (uint64_t)(1000 + form * 10 + op);              \
        int salt = form * 2 + op;                                              \
        memset(data, 0, SIG_N * sizeof(T));                                    \
        *sig = 0;                                                              \
        for (int i = 0; i < SIG_N; ++i) MKVAL(&src[i], me, i, salt);           \
        CHECK(shmem_signal_fetch(sig) == 0, "signal_fetch of a fresh signal"); \
        shmem_barrier_all();                                                   \
        switch (form) {                                                        \
        case S_PUT: FN(data, src, SIG_N, sig, sv, sig_op, right); break;       \
        case S_PUT_NBI: FN##_nbi(data, src, SIG_N, sig, sv, sig_op, right); break; \
        case S_CTX_PUT: CFN(CTX, data, src, SIG_N, sig, sv, sig_op, right); break; \
        case S_CTX_PUT_NBI:                                                    \
          CFN##_nbi(CTX, data, src, SIG_N, sig, sv, sig_op, right);            \
          break;                                                               \
        }                                                                      \
        if (form == S_PUT_NBI) shmem_quiet();                                  \
        if (form == S_CTX_PUT_NBI) shmem_ctx_quiet(CTX);                       \
        uint64_t got = shmem_signal_wait_until(sig, SHMEM_CMP_EQ, sv);         \
        CHECK(got == sv, #ID " put_signal (form %d, op %d): signal_wait_until " \
              "returned %llu", form, op, (unsigned long long)got);             \
        for (int i = 0; i < SIG_N; ++i) {                                      \
          T want;                                                              \
          MKVAL(&want, left, i, salt);                                         \
          CHECK(ELEM_EQ(&data[i], &want), #ID " put_signal (form %d, op %d): " \
                "element %d not there when the signal is", form, op, i);       \
        }                                                                      \
        CHECK(shmem_signal_fetch(sig) == sv, #ID " signal_fetch after the wait"); \
        shmem_barrier_all();                                                   \
      }                                                                        \
    }

#define TYPED_VAL(p, pe, i, salt) (*(p) = (__typeof__(*(p)))((pe) * 50 + (i) * 3 + (salt) + 1))
#define TYPED_EQ(a, b) (*(a) == *(b))
#define BYTES_VAL(p, pe, i, salt)                                              \
  do {                                                                         \
    unsigned char *c_ = (unsigned char *)(p);                                  \
    for (size_t b_ = 0; b_ < sizeof *(p); ++b_)                                \
      c_[b_] = (unsigned char)((pe) * 50 + (i) * 3 + (salt) + b_ + 1);         \
  } while (0)
#define BYTES_EQ(a, b) (memcmp((a), (b), sizeof *(a)) == 0)

#define SIG_TYPED(ID, T)                                                       \
  static void sig_##ID(void) {                                                 \
    uint64_t *sig = (uint64_t *)arena;                                         \
    T *data = (T *)(arena + 64);                                               \
    T src[SIG_N];                                                              \
    SIG_BODY(ID, T, shmem_##ID##_put_signal, shmem_ctx_##ID##_put_signal,      \
             TYPED_EQ, TYPED_VAL)                                              \
  }
SHMEM_RMA_TYPES(SIG_TYPED)
#define SIG_SIZED(BITS, T)                                                     \
  static void sig_##BITS(void) {                                               \
    uint64_t *sig = (uint64_t *)arena;                                         \
    T *data = (T *)(arena + 64);                                               \
    T src[SIG_N];                                                              \
    SIG_BODY(BITS, T, shmem_put##BITS##_signal, shmem_ctx_put##BITS##_signal,  \
             BYTES_EQ, BYTES_VAL)                                              \
  }
SHMEM_SIZED_RMA(SIG_SIZED)
static void sig_mem(void) {
  uint64_t *sig = (uint64_t *)arena;
  unsigned char *data = (unsigned char *)(arena + 64);
  unsigned char src[SIG_N];
  SIG_BODY(mem, unsigned char, shmem_putmem_signal, shmem_ctx_putmem_signal, BYTES_EQ,
           BYTES_VAL)
}

/* A large signalled put: all of its data is visible once the signal is. */
#define BIG (64 * 1024)
static void sig_big(void) {
  uint64_t *sig = (uint64_t *)arena;
  unsigned char *data = (unsigned char *)(arena + 64);
  unsigned char *src = malloc(BIG);
  CHECK(src != NULL, "out of memory");
  for (int round = 0; round < 4; ++round) {
    memset(data, 0, BIG);
    *sig = 0;
    for (size_t i = 0; i < BIG; ++i) src[i] = (unsigned char)(i * 7 + me * 13 + round + 1);
    shmem_barrier_all();
    if (round % 2)
      shmem_putmem_signal_nbi(data, src, BIG, sig, 1, SHMEM_SIGNAL_ADD, right);
    else
      shmem_putmem_signal(data, src, BIG, sig, 77, SHMEM_SIGNAL_SET, right);
    shmem_signal_wait_until(sig, SHMEM_CMP_NE, 0);
    for (size_t i = 0; i < BIG; ++i)
      CHECK(data[i] == (unsigned char)(i * 7 + left * 13 + round + 1),
            "%d KiB putmem_signal: byte %zu not there when the signal is", BIG / 1024, i);
    shmem_quiet();
    shmem_barrier_all();
  }
  free(src);
}

/* Every PE adds 1 to one signal on PE 0, each after putting into its own
 * slot: when the signal reaches npes every slot is there. */
static void sig_add_contended(void) {
  uint64_t *sig = (uint64_t *)arena;
  long *slots = (long *)(arena + 64);
  for (int p = 0; p < npes; ++p) slots[p] = -1;
  *sig = 0;
  shmem_barrier_all();
  long v = 1000 + me;
  if (me % 2)
    shmem_long_put_signal(&slots[me], &v, 1, sig, 1, SHMEM_SIGNAL_ADD, 0);
  else
    shmem_ctx_long_put_signal_nbi(CTX, &slots[me], &v, 1, sig, 1, SHMEM_SIGNAL_ADD, 0);
  shmem_quiet();
  if (me == 0) {
    uint64_t got = shmem_signal_wait_until(sig, SHMEM_CMP_GE, (uint64_t)npes);
    CHECK(got == (uint64_t)npes, "contended SIGNAL_ADD reached %llu, expected %d",
          (unsigned long long)got, npes);
    for (int p = 0; p < npes; ++p)
      CHECK(slots[p] == 1000 + p, "slot of PE %d is %ld when the signal is %d", p, slots[p],
            npes);
  }
  shmem_barrier_all();
}

/* A token goes round the ring ROUNDS times with put_signal; round r is
 * signalled by value r (SET on even rounds, ADD 1 on odd ones).  PE p
 * forwards round r only after reading it, and its left neighbour can send
 * round r+1 only after the token has passed PE p again, so the buffer is
 * never overwritten before it is read. */
#define ROUNDS 300
#define RING_N 16
static void sig_ring(void) {
  uint64_t *sig = (uint64_t *)arena;
  long *data = (long *)(arena + 64);
  long buf[RING_N];
  *sig = 0;
  memset(data, 0, RING_N * sizeof(long));
  shmem_barrier_all();
  for (uint64_t r = 1; r <= ROUNDS; ++r) {
    if (me != 0) {
      uint64_t got = shmem_signal_wait_until(sig, SHMEM_CMP_GE, r);
      CHECK(got == r, "ring round %llu: signal is %llu", (unsigned long long)r,
            (unsigned long long)got);
      for (int i = 0; i < RING_N; ++i)
        CHECK(data[i] == (long)(r * 1000 + (uint64_t)left * 100 + (uint64_t)i),
              "ring round %llu: element %d is %ld", (unsigned long long)r, i, data[i]);
    }
    for (int i = 0; i < RING_N; ++i) buf[i] = (long)(r * 1000 + (uint64_t)me * 100 + (uint64_t)i);
    int op = (r % 2) ? SHMEM_SIGNAL_ADD : SHMEM_SIGNAL_SET;
    uint64_t sv = (r % 2) ? 1 : r;
    if (r % 4 < 2) {
      shmem_long_put_signal(data, buf, RING_N, sig, sv, op, right);
    } else {
      shmem_long_put_signal_nbi(data, buf, RING_N, sig, sv, op, right);
      shmem_quiet();
    }
    if (me == 0) {
      uint64_t got = shmem_signal_wait_until(sig, SHMEM_CMP_GE, r);
      CHECK(got == r, "ring round %llu back at PE 0: signal is %llu", (unsigned long long)r,
            (unsigned long long)got);
      for (int i = 0; i < RING_N; ++i)
        CHECK(data[i] == (long)(r * 1000 + (uint64_t)left * 100 + (uint64_t)i),
              "ring round %llu back at PE 0: element %d is %ld", (unsigned long long)r, i,
              data[i]);
    }
  }
  shmem_barrier_all();
  CHECK(shmem_signal_fetch(sig) == ROUNDS, "ring: final signal %llu",
        (unsigned long long)shmem_signal_fetch(sig));
  shmem_barrier_all();
}

/* _any is fair: while every element satisfies the test, a series of calls
 * returns each of them ("must eventually return i"), in every form, also
 * when calls of the other forms and on another array come in between.
 * (The search starts at a pseudo-random element: 200 calls miss one of 5
 * elements with a probability below 1e-18.) */
static void any_is_fair(void) {
  enum { N = 5 };
  int *iv = shmem_calloc(N, sizeof(int)), *other = shmem_calloc(N, sizeof(int));
  CHECK(iv && other, "shmem_calloc failed");
  int vals[N] = {0, 0, 0, 0, 0};
  for (int form = 0; form < 4; ++form) {
    int seen[N] = {0};
    for (int call = 0; call < 200; ++call) {
      size_t k = form == 0   ? shmem_int_test_any(iv, N, NULL, SHMEM_CMP_EQ, 0)
                 : form == 1 ? shmem_int_wait_until_any(iv, N, NULL, SHMEM_CMP_EQ, 0)
                 : form == 2 ? shmem_int_test_any_vector(iv, N, NULL, SHMEM_CMP_EQ, vals)
                             : shmem_int_wait_until_any_vector(iv, N, NULL, SHMEM_CMP_EQ, vals);
      CHECK(k < N, "form %d: _any returned %zu", form, k);
      seen[k] = 1;
      (void)shmem_int_test_any(other, N, NULL, SHMEM_CMP_EQ, 0); /* another array */
      (void)shmem_int_wait_until_any(iv, N, NULL, SHMEM_CMP_EQ, 0); /* another form */
    }
    for (int i = 0; i < N; ++i)
      CHECK(seen[i], "form %d: 200 calls of _any never returned element %d", form, i);
  }
  /* excluded elements are still never returned */
  int status[N] = {1, 0, 1, 1, 0};
  for (int call = 0; call < 2 * N; ++call) {
    size_t k = shmem_int_test_any(iv, N, status, SHMEM_CMP_EQ, 0);
    CHECK(k == 1 || k == 4, "_any with status returned %zu", k);
  }
  shmem_free(other);
  shmem_free(iv);
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  right = (me + 1) % npes;
  left = (me + npes - 1) % npes;
  arena = shmem_calloc(1, 64 + BIG);
  CHECK(arena != NULL, "shmem_calloc failed");

#define RUN(ID, T) cmp_##ID();
  SHMEM_SYNC_TYPES(RUN)
  SHMEM_SYNC_TYPES_DEPRECATED(RUN)
#undef RUN
#define RUN(ID, T) array_##ID(0); array_##ID(1);
  SHMEM_SYNC_TYPES(RUN)
  SHMEM_SYNC_TYPES_DEPRECATED(RUN)
#undef RUN
  any_is_fair();
#define RUN(ID, T) dep_wait_##ID();
  SHMEM_DEPRECATED_WAIT_TYPES(RUN)
#undef RUN
  dep_wait_untyped();
#define RUN(ID, T) sig_##ID();
  SHMEM_RMA_TYPES(RUN)
  SHMEM_SIZED_RMA(RUN)
#undef RUN
  sig_mem();
  sig_big();
  sig_add_contended();
  sig_ring();

  shmem_free(arena);
  shmem_finalize();
  return 0;
}
