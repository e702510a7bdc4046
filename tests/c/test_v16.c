/* test_v16.c - the additions of OpenSHMEM 1.6, at any number of PEs:
 *  - shmem_query_initialized before, during and after the library's life;
 *  - nested init/finalize (the inner finalize is a barrier that frees
 *    nothing) and a new init after the last finalize;
 *  - ibput/ibget: typed (every RMA type), sized (8..128) and through a
 *    context, with strides larger than the block, and the C11 generics;
 *  - signal_add/signal_set, plain, through a context and generic;
 *  - pe_quiet on the PEs that were sent nonblocking puts;
 *  - sum_inscan/sum_exscan on every SUM type, in place, with zero elements,
 *    on a reversed (negative-stride) team and on a team of odd PEs;
 *  - communication sessions (hints that change no result);
 *  - test_all over a fully excluded set, and const cmp_values. */
#include <complex.h>
#include <string.h>

#include "check.h"

static int me, npes;

/* ---- ibput / ibget ---------------------------------------------------- */
enum { BS = 3, NB = 4, DST = 5, SST = 4 };

#define IB_TYPED(NAME, T)                                                      \
  static void ib_##NAME(void) {                                                \
    T *dest = shmem_malloc(sizeof(T) * DST * NB);                              \
    T src[SST * NB];                                                           \
    CHECK(dest, "shmem_malloc failed");                                        \
    memset(dest, 0, sizeof(T) * DST * NB);                                     \
    for (int i = 0; i < SST * NB; ++i) src[i] = (T)(me * 50 + i);              \
    int right = (me + 1) % npes;                                               \
    shmem_barrier_all();                                                       \
    shmem_##NAME##_ibput(dest, src, DST, SST, BS, NB, right);                  \
    shmem_barrier_all();                                                       \
    int left = (me + npes - 1) % npes;                                         \
    for (int b = 0; b < NB; ++b)                                               \
      for (int j = 0; j < DST; ++j) {                                          \
        T want = j < BS ? (T)(left * 50 + b * SST + j) : (T)0;                 \
        CHECK(dest[b * DST + j] == want, #NAME " ibput: dest[%d] wrong",       \
              b * DST + j);                                                    \
      }                                                                        \
    /* Read them back from the right neighbor, into SST-strided blocks. */     \
    T got[SST * NB];                                                           \
    memset(got, 0, sizeof got);                                                \
    shmem_ctx_##NAME##_ibget(SHMEM_CTX_DEFAULT, got, dest, SST, DST, BS, NB,   \
                             right);                                           \
    for (int b = 0; b < NB; ++b)                                               \
      for (int j = 0; j < SST; ++j) {                                          \
        T want = j < BS ? (T)(me * 50 + b * SST + j) : (T)0;                   \
        CHECK(got[b * SST + j] == want, #NAME " ibget: got[%d] wrong",         \
              b * SST + j);                                                    \
      }                                                                        \
    shmem_barrier_all();                                                       \
    shmem_free(dest);                                                          \
  }
SHMEM_RMA_TYPES(IB_TYPED)

static void ib_all_types(void) {
#define IB_CALL(NAME, T) ib_##NAME();
  SHMEM_RMA_TYPES(IB_CALL)
#undef IB_CALL
}

/* Sized forms move BITS-bit elements whatever the type. */
static void ib_sized(void) {
  enum { W = 16 }; /* bytes of the widest element (128 bits) */
  unsigned char *dest = shmem_calloc(DST * NB, W);
  unsigned char src[SST * NB * W];
  CHECK(dest, "shmem_calloc failed");
  int right = (me + 1) % npes, left = (me + npes - 1) % npes;
  const int bits[] = {8, 16, 32, 64, 128};
  for (int k = 0; k < 5; ++k) {
    const int w = bits[k] / 8;
    for (int i = 0; i < SST * NB * w; ++i) src[i] = (unsigned char)(me * 7 + i + k);
    memset(dest, 0, DST * NB * W);
    shmem_barrier_all();
    switch (bits[k]) {
    case 8: shmem_ibput8(dest, src, DST, SST, BS, NB, right); break;
    case 16: shmem_ibput16(dest, src, DST, SST, BS, NB, right); break;
    case 32: shmem_ctx_ibput32(SHMEM_CTX_DEFAULT, dest, src, DST, SST, BS, NB, right); break;
    case 64: shmem_ibput64(dest, src, DST, SST, BS, NB, right); break;
    default: shmem_ibput128(dest, src, DST, SST, BS, NB, right); break;
    }
    shmem_barrier_all();
    for (int b = 0; b < NB; ++b)
      for (int j = 0; j < DST * w; ++j) {
        int want = j < BS * w ? (unsigned char)(left * 7 + b * SST * w + j + k) : 0;
        CHECK(dest[b * DST * w + j] == want, "ibput%d: byte %d of block %d is %d, not %d",
              bits[k], j, b, dest[b * DST * w + j], want);
      }
    unsigned char got[SST * NB * W];
    memset(got, 0xee, sizeof got);
    switch (bits[k]) {
    case 8: shmem_ibget8(got, dest, SST, DST, BS, NB, right); break;
    case 16: shmem_ctx_ibget16(SHMEM_CTX_DEFAULT, got, dest, SST, DST, BS, NB, right); break;
    case 32: shmem_ibget32(got, dest, SST, DST, BS, NB, right); break;
    case 64: shmem_ibget64(got, dest, SST, DST, BS, NB, right); break;
    default: shmem_ibget128(got, dest, SST, DST, BS, NB, right); break;
    }
    for (int b = 0; b < NB; ++b)
      for (int j = 0; j < BS * w; ++j)
        CHECK(got[b * SST * w + j] == (unsigned char)(me * 7 + b * SST * w + j + k),
              "ibget%d: byte %d of block %d", bits[k], j, b);
    shmem_barrier_all();
  }
  shmem_free(dest);
}

/* The generic names, with and without a context, and zero blocks. */
static void ib_generic(void) {
  long *dest = shmem_calloc(DST * NB, sizeof(long));
  long src[SST * NB];
  for (int i = 0; i < SST * NB; ++i) src[i] = 1000 + me * 100 + i;
  int right = (me + 1) % npes, left = (me + npes - 1) % npes;
  shmem_barrier_all();
  shmem_ibput(dest, src, DST, SST, BS, NB, right);
  shmem_ibput(SHMEM_CTX_DEFAULT, dest, src, DST, SST, BS, 0, right); /* nothing */
  shmem_ibput(dest, src, DST, SST, 0, NB, right);                    /* nothing */
  shmem_barrier_all();
  for (int b = 0; b < NB; ++b)
    for (int j = 0; j < BS; ++j)
      CHECK(dest[b * DST + j] == 1000 + left * 100 + b * SST + j, "generic ibput");
  long got[NB * BS];
  shmem_ibget(SHMEM_CTX_DEFAULT, got, dest, BS, DST, BS, NB, right); /* packed blocks */
  for (int b = 0; b < NB; ++b)
    for (int j = 0; j < BS; ++j)
      CHECK(got[b * BS + j] == 1000 + me * 100 + b * SST + j, "generic ibget");
  shmem_barrier_all();
  shmem_free(dest);
}

/* ---- signals ---------------------------------------------------------- */
static void signals(void) {
  uint64_t *sig = shmem_calloc(2, sizeof(uint64_t));
  shmem_barrier_all();
  /* Every PE adds me + 1 to PE 0's first word, in all three spellings. */
  if (me % 3 == 0) shmem_signal_add(sig, (uint64_t)me + 1, 0);
  else if (me % 3 == 1) shmem_ctx_signal_add(SHMEM_CTX_DEFAULT, sig, (uint64_t)me + 1, 0);
  else shmem_signal_add(SHMEM_CTX_DEFAULT, sig, (uint64_t)me + 1, 0);
  /* And sets its right neighbor's second word to its own number + 10. */
  shmem_signal_set(sig + 1, (uint64_t)me + 10, (me + 1) % npes);
  shmem_barrier_all();
  if (me == 0) {
    uint64_t want = (uint64_t)npes * (npes + 1) / 2;
    CHECK(shmem_signal_fetch(sig) == want, "signal_add: %llu, not %llu",
          (unsigned long long)shmem_signal_fetch(sig), (unsigned long long)want);
    shmem_signal_wait_until(sig, SHMEM_CMP_EQ, want);
  }
  CHECK(sig[1] == (uint64_t)((me + npes - 1) % npes) + 10, "signal_set: %llu",
        (unsigned long long)sig[1]);
  shmem_barrier_all();
  shmem_ctx_signal_set(SHMEM_CTX_DEFAULT, sig, 7, me);
  shmem_signal_set(SHMEM_CTX_DEFAULT, sig + 1, 8, me);
  CHECK(sig[0] == 7 && sig[1] == 8, "signal_set on this PE");
  shmem_barrier_all();
  shmem_free(sig);
}

/* ---- pe_quiet ----------------------------------------------------------- */
static void pe_quiet(void) {
  enum { N = 1024 };
  int *buf = shmem_calloc(N, sizeof(int));
  uint64_t *flag = shmem_calloc(1, sizeof(uint64_t));
  int src[N];
  for (int i = 0; i < N; ++i) src[i] = me * N + i;
  int right = (me + 1) % npes, left = (me + npes - 1) % npes;
  shmem_barrier_all();
  shmem_int_put_nbi(buf, src, N, right);
  shmem_pe_quiet(&right, 1);
  shmem_pe_quiet(NULL, 0);
  /* The data is complete at the right PE before the flag is set there. */
  shmem_uint64_atomic_set(flag, 1, right);
  shmem_uint64_wait_until(flag, SHMEM_CMP_EQ, 1);
  for (int i = 0; i < N; ++i) CHECK(buf[i] == left * N + i, "pe_quiet: buf[%d]", i);
  int all[4] = {0, 0, 0, 0};
  for (int i = 0; i < npes && i < 4; ++i) all[i] = i;
  shmem_ctx_pe_quiet(SHMEM_CTX_DEFAULT, all, (size_t)(npes < 4 ? npes : 4));
  shmem_ctx_pe_quiet(SHMEM_CTX_INVALID, all, 1); /* the spec's no-op */
  shmem_barrier_all();
  shmem_free(flag);
  shmem_free(buf);
}

/* ---- scans --------------------------------------------------------------- */
/* The value PE p contributes at index j: small integers, exact in every
 * type (the char types hold the sums of 4 PEs). */
#define CONTRIB(p, j) ((p) + 1 + (j) % 3)

/* Buffers come from the caller: shmem_malloc is collective over the world,
 * and a sub-team's members must not call it alone. */
enum { SCAN_N = 37, SCAN_ELEM_MAX = 32 };
#define SCAN_TYPED(NAME, T)                                                    \
  static void scan_##NAME(shmem_team_t team, void *sbuf, void *dbuf) {         \
    enum { N = SCAN_N };                                                       \
    _Static_assert(sizeof(T) <= SCAN_ELEM_MAX, "scan buffers too small");     \
    int tme = shmem_team_my_pe(team), tn = shmem_team_n_pes(team);             \
    T *src = sbuf, *dst = dbuf;                                                \
    for (int j = 0; j < N; ++j) src[j] = (T)CONTRIB(tme, j);                   \
    CHECK(shmem_##NAME##_sum_inscan(team, dst, src, N) == 0, "inscan rc");     \
    for (int j = 0; j < N; ++j) {                                              \
      int want = 0;                                                            \
      for (int p = 0; p <= tme; ++p) want += CONTRIB(p, j);                    \
      CHECK(dst[j] == (T)want, #NAME "_sum_inscan: dest[%d] at team PE %d of %d", \
            j, tme, tn);                                                       \
    }                                                                          \
    CHECK(shmem_##NAME##_sum_exscan(team, dst, src, N) == 0, "exscan rc");     \
    for (int j = 0; j < N; ++j) {                                              \
      int want = 0;                                                            \
      for (int p = 0; p < tme; ++p) want += CONTRIB(p, j);                     \
      CHECK(dst[j] == (T)want, #NAME "_sum_exscan: dest[%d] at team PE %d of %d", \
            j, tme, tn);                                                       \
    }                                                                          \
    /* In place. */                                                            \
    CHECK(shmem_##NAME##_sum_exscan(team, src, src, N) == 0, "in-place rc");   \
    for (int j = 0; j < N; ++j) {                                              \
      int want = 0;                                                            \
      for (int p = 0; p < tme; ++p) want += CONTRIB(p, j);                     \
      CHECK(src[j] == (T)want, #NAME " in-place exscan: [%d]", j);             \
    }                                                                          \
    CHECK(shmem_##NAME##_sum_inscan(team, dst, src, 0) == 0, "empty scan rc"); \
  }
SHMEM_REDUCE_ARITH_TYPES(SCAN_TYPED)

static void scans_on(shmem_team_t team, void *sbuf, void *dbuf) {
#define SCAN_CALL(NAME, T) scan_##NAME(team, sbuf, dbuf);
  SHMEM_REDUCE_ARITH_TYPES(SCAN_CALL)
#undef SCAN_CALL
}

static void scans(void) {
  void *sbuf = shmem_malloc(SCAN_N * SCAN_ELEM_MAX), *dbuf = shmem_malloc(SCAN_N * SCAN_ELEM_MAX);
  CHECK(sbuf && dbuf, "shmem_malloc failed");
  scans_on(SHMEM_TEAM_WORLD, sbuf, dbuf);
  /* The world reversed: team PE 0 is the last world PE. */
  shmem_team_t rev;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, npes - 1, -1, npes, NULL, 0, &rev) == 0,
        "negative-stride split failed");
  CHECK(shmem_team_my_pe(rev) == npes - 1 - me, "reversed team: my_pe %d",
        shmem_team_my_pe(rev));
  CHECK(shmem_team_translate_pe(rev, 0, SHMEM_TEAM_WORLD) == npes - 1, "reversed team PE 0");
  scans_on(rev, sbuf, dbuf);
  shmem_team_destroy(rev);
  /* The odd PEs (none at 1 PE). */
  shmem_team_t odd;
  int nodd = npes / 2;
  shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 2, nodd > 0 ? nodd : 1, NULL, 0, &odd);
  if (odd != SHMEM_TEAM_INVALID) {
    scans_on(odd, sbuf, dbuf);
    shmem_team_destroy(odd);
  }
  /* The generic names. */
  double *d = shmem_malloc(2 * sizeof(double));
  double _Complex *z = shmem_malloc(2 * sizeof(double _Complex));
  d[0] = me + 1;
  z[0] = (me + 1) + (me + 1) * I;
  shmem_sum_inscan(SHMEM_TEAM_WORLD, d + 1, d, 1);
  shmem_sum_exscan(SHMEM_TEAM_WORLD, z + 1, z, 1);
  CHECK(d[1] == (me + 1) * (me + 2) / 2, "generic inscan: %g", d[1]);
  CHECK(creal(z[1]) == me * (me + 1) / 2 && cimag(z[1]) == me * (me + 1) / 2,
        "generic complex exscan");
  shmem_free(z);
  shmem_free(d);
  shmem_free(dbuf);
  shmem_free(sbuf);
}

/* ---- sessions ----------------------------------------------------------- */
static void sessions(void) {
  shmem_ctx_t ctx;
  CHECK(shmem_ctx_create(SHMEM_CTX_PRIVATE, &ctx) == 0, "ctx_create");
  long *dest = shmem_calloc(64, sizeof(long));
  shmem_ctx_session_config_t cfg = {.total_ops = 64};
  int right = (me + 1) % npes, left = (me + npes - 1) % npes;
  shmem_barrier_all();
  shmem_ctx_session_start(ctx, SHMEM_CTX_SESSION_BATCH, &cfg, SHMEM_CTX_SESSION_TOTAL_OPS);
  shmem_ctx_session_start(ctx, 0, NULL, 0); /* combines: still one session */
  for (int i = 0; i < 64; ++i) shmem_ctx_long_p(ctx, dest + i, me * 1000 + i, right);
  shmem_ctx_session_stop(ctx);
  shmem_ctx_quiet(ctx);
  shmem_ctx_session_start(SHMEM_CTX_DEFAULT, 0, NULL, 0);
  shmem_ctx_session_stop(SHMEM_CTX_DEFAULT);
  shmem_ctx_session_start(SHMEM_CTX_INVALID, SHMEM_CTX_SESSION_BATCH, &cfg, 0); /* no-op */
  shmem_ctx_session_stop(SHMEM_CTX_INVALID);
  shmem_barrier_all();
  for (int i = 0; i < 64; ++i) CHECK(dest[i] == left * 1000 + i, "session put [%d]", i);
  shmem_ctx_destroy(ctx);
  shmem_free(dest);
}

/* ---- waits ---------------------------------------------------------------- */
static void waits(void) {
  int ivars[3] = {0, 0, 0};
  const int status[3] = {1, 1, 1};
  const int cmp_values[3] = {5, 5, 5};
  CHECK(shmem_int_test_all(ivars, 3, status, SHMEM_CMP_EQ, 5) == 1,
        "test_all over a fully excluded set is not 1");
  CHECK(shmem_int_test_all_vector(ivars, 3, status, SHMEM_CMP_EQ, cmp_values) == 1,
        "test_all_vector over a fully excluded set is not 1");
  const int none[3] = {0, 0, 0};
  CHECK(shmem_int_test_all_vector(ivars, 3, none, SHMEM_CMP_NE, cmp_values) == 1,
        "test_all_vector with const cmp_values");
  shmem_int_wait_until_all_vector(ivars, 3, none, SHMEM_CMP_LT, cmp_values);
}

/* ---- the library's life ----------------------------------------------------- */
static void nesting(void) {
  int init = -1;
  shmem_init(); /* nested */
  int provided = -1;
  CHECK(shmem_init_thread(SHMEM_THREAD_SINGLE, &provided) == 0, "nested init_thread");
  shmem_query_initialized(&init);
  CHECK(init != 0, "nested: not initialized");
  long *x = shmem_calloc(1, sizeof(long));
  shmem_finalize(); /* inner: a barrier that frees nothing */
  shmem_finalize();
  shmem_query_initialized(&init);
  CHECK(init != 0, "after the inner finalizes: not initialized");
  /* x survived the inner finalizes. */
  shmem_long_atomic_add(x, me + 1, 0);
  shmem_barrier_all();
  if (me == 0) CHECK(*x == (long)npes * (npes + 1) / 2, "x after nesting: %ld", *x);
  shmem_barrier_all();
  shmem_free(x);
}

static void one_life(int life) {
  me = check_pe();
  npes = shmem_n_pes();
  nesting();
  ib_all_types();
  ib_sized();
  ib_generic();
  signals();
  pe_quiet();
  scans();
  sessions();
  waits();
  (void)life;
}

int main(void) {
  int init = -1;
  shmem_query_initialized(&init);
  CHECK(init == 0, "initialized before shmem_init");
  shmem_init();
  shmem_query_initialized(&init);
  CHECK(init != 0, "not initialized after shmem_init");
  int maj = 0, min = 0;
  shmem_info_get_version(&maj, &min);
  CHECK(maj == 1 && min == 6 && SHMEM_MAJOR_VERSION == 1 && SHMEM_MINOR_VERSION == 6,
        "version %d.%d", maj, min);
  one_life(1);
  shmem_team_t kept;
  shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes, NULL, 0, &kept);
  shmem_finalize();
  shmem_query_initialized(&init);
  CHECK(init == 0, "initialized after the last shmem_finalize");
  shmem_finalize(); /* after the last: harmless */

  /* A second life: everything works again. */
  shmem_init();
  shmem_query_initialized(&init);
  CHECK(init != 0, "not initialized after the second shmem_init");
  CHECK(shmem_n_pes() == npes && shmem_my_pe() == me, "the second life's PE numbers");
  one_life(2);
  shmem_finalize();
  (void)kept;
  return 0;
}
