/* generic_calls.h - the body of test_generic_compile.c and .cpp: every
 * generic name of shmem_generic.h used for a few types, with and without a
 * context, on PE (me + 1) % npes, with the results checked.  Compiled once
 * as C11 (_Generic selections) and once as C++ (overloads), so that both
 * interfaces reach the same typed routines.  Each includer defines
 * SYM(T, n) (a zeroed symmetric array of n T) and MKZD/MKZF (x + y i). */
static int me, npes, right, left;

/* |z - w| (1-norm) without libm: a complex is laid out as two reals. */
static double cdiff(double _Complex z, double _Complex w) {
  double a[2], b[2];
  memcpy(a, &z, sizeof a);
  memcpy(b, &w, sizeof b);
  double x = a[0] - b[0], y = a[1] - b[1];
  return (x < 0 ? -x : x) + (y < 0 ? -y : y);
}

static shmem_ctx_t ctx;

/* Completes the operations of both contexts, then synchronizes the PEs. */
static void quiet_barrier(void) {
  shmem_ctx_quiet(ctx);
  shmem_quiet();
  shmem_barrier_all();
}

static void quiet_both(void) {
  shmem_ctx_quiet(ctx);
  shmem_quiet();
}

static void test_rma(void) {
  int *ia = SYM(int, NE);
  long *la = SYM(long, NE);
  double *da = SYM(double, NE);
  unsigned long long *ua = SYM(unsigned long long, NE);
  char *ca = SYM(char, NE);
  uint64_t *sig = SYM(uint64_t, 3);
  CHECK(ia && la && da && ua && ca && sig, "shmem_calloc failed");

  int isrc[NE], iget[NE];
  long lsrc[NE], lget[NE];
  double dsrc[NE], dget[NE];
  unsigned long long usrc[NE], uget[NE];
  char csrc[NE], cget[NE];
  for (int i = 0; i < NE; ++i) {
    isrc[i] = me * 100 + i;
    lsrc[i] = -(me * 100L + i);
    dsrc[i] = me + 0.25 * i;
    usrc[i] = 0x100000000ULL * (unsigned)me + (unsigned)i;
    csrc[i] = (char)('a' + (me + i) % 26);
  }

  /* put / put_nbi, with and without a context */
  shmem_put(ia, isrc, NE, right);
  shmem_put(ctx, la, lsrc, NE, right);
  shmem_put_nbi(da, dsrc, NE, right);
  shmem_put_nbi(ctx, ua, usrc, NE, right);
  shmem_put(ctx, ca, csrc, NE, right);
  quiet_barrier();
  for (int i = 0; i < NE; ++i) {
    CHECK(ia[i] == left * 100 + i, "put int [%d] = %d", i, ia[i]);
    CHECK(la[i] == -(left * 100L + i), "put long [%d] = %ld", i, la[i]);
    CHECK(da[i] == left + 0.25 * i, "put_nbi double [%d] = %g", i, da[i]);
    CHECK(ua[i] == 0x100000000ULL * (unsigned)left + (unsigned)i,
          "put_nbi ull [%d] = %llu", i, ua[i]);
    CHECK(ca[i] == (char)('a' + (left + i) % 26), "put char [%d] = %c", i, ca[i]);
  }

  /* get / get_nbi: right's arrays hold what this PE put there */
  shmem_get(iget, ia, NE, right);
  shmem_get(ctx, lget, la, NE, right);
  shmem_get_nbi(dget, da, NE, right);
  shmem_get_nbi(ctx, uget, ua, NE, right);
  shmem_get(cget, ca, NE, right);
  quiet_both();
  for (int i = 0; i < NE; ++i) {
    CHECK(iget[i] == isrc[i], "get int [%d] = %d", i, iget[i]);
    CHECK(lget[i] == lsrc[i], "get long [%d] = %ld", i, lget[i]);
    CHECK(dget[i] == dsrc[i], "get_nbi double [%d] = %g", i, dget[i]);
    CHECK(uget[i] == usrc[i], "get_nbi ull [%d] = %llu", i, uget[i]);
    CHECK(cget[i] == csrc[i], "get char [%d] = %c", i, cget[i]);
  }
  shmem_barrier_all();

  /* p / g (g also through a pointer to const) */
  shmem_p(&ia[0], 7 + me, right);
  shmem_p(ctx, &la[0], 8L + me, right);
  shmem_p(&da[0], 0.5 + me, right);
  shmem_p(ctx, &ua[0], 9ULL + (unsigned)me, right);
  shmem_p(&ca[0], 'Z', right);
  quiet_barrier();
  CHECK(ia[0] == 7 + left, "p int %d", ia[0]);
  CHECK(la[0] == 8L + left, "p long %ld", la[0]);
  CHECK(da[0] == 0.5 + left, "p double %g", da[0]);
  CHECK(ua[0] == 9ULL + (unsigned)left, "p ull %llu", ua[0]);
  CHECK(ca[0] == 'Z', "p char %c", ca[0]);
  const int *cia = ia;
  const long *cla = la;
  int gi = shmem_g(cia, right);
  long gl = shmem_g(ctx, cla, right);
  double gd = shmem_g(&da[1], right);
  unsigned long long gu = shmem_g(ctx, &ua[2], right);
  char gc = shmem_g((const char *)&ca[3], right);
  CHECK(gi == 7 + me, "g int %d", gi);
  CHECK(gl == 8L + me, "g long %ld", gl);
  CHECK(gd == dsrc[1], "g double %g", gd);
  CHECK(gu == usrc[2], "g ull %llu", gu);
  CHECK(gc == csrc[3], "g char %c", gc);
  shmem_barrier_all();

  /* iput / iget: dest stride 2 from source stride 1 and back */
  int isrc2[2] = {1000 * me, 1000 * me + 1};
  unsigned long long usrc2[4] = {11, 12, 13, 14};
  shmem_iput(ia, isrc2, 2, 1, 2, right);         /* ia[0], ia[2] */
  shmem_iput(ctx, ua, usrc2, 1, 2, 2, right);    /* ua[0] = 11, ua[1] = 13 */
  quiet_barrier();
  CHECK(ia[0] == 1000 * left && ia[2] == 1000 * left + 1, "iput int %d %d", ia[0],
        ia[2]);
  CHECK(ua[0] == 11 && ua[1] == 13, "iput ull %llu %llu", ua[0], ua[1]);
  long lget2[2] = {0, 0};
  double dget2[3] = {0, -1, 0};
  shmem_iget(lget2, la, 1, 2, 2, right);         /* right's la[0], la[2] */
  shmem_iget(ctx, dget2, da, 2, 1, 2, right);    /* right's da[0], da[1] */
  quiet_both();
  CHECK(lget2[0] == 8L + me && lget2[1] == lsrc[2], "iget long %ld %ld", lget2[0],
        lget2[1]);
  CHECK(dget2[0] == 0.5 + me && dget2[1] == -1 && dget2[2] == dsrc[1],
        "iget double %g %g %g", dget2[0], dget2[1], dget2[2]);
  shmem_barrier_all();

  /* put_signal / put_signal_nbi: all signal updates are adds (they commute)
   * except sig[2], set once. */
  shmem_put_signal(ia, isrc, NE, &sig[0], 1, SHMEM_SIGNAL_ADD, right);
  shmem_put_signal(ctx, la, lsrc, NE, &sig[0], 1, SHMEM_SIGNAL_ADD, right);
  shmem_put_signal_nbi(da, dsrc, NE, &sig[1], 1, SHMEM_SIGNAL_ADD, right);
  shmem_put_signal_nbi(ctx, ca, csrc, NE, &sig[1], 1, SHMEM_SIGNAL_ADD, right);
  shmem_put_signal(ctx, ua, usrc, NE, &sig[2], 5, SHMEM_SIGNAL_SET, right);
  shmem_signal_wait_until(&sig[0], SHMEM_CMP_EQ, 2);
  shmem_signal_wait_until(&sig[1], SHMEM_CMP_EQ, 2);
  shmem_signal_wait_until(&sig[2], SHMEM_CMP_EQ, 5);
  for (int i = 0; i < NE; ++i) {
    CHECK(ia[i] == left * 100 + i, "put_signal int [%d] = %d", i, ia[i]);
    CHECK(la[i] == -(left * 100L + i), "put_signal long [%d] = %ld", i, la[i]);
    CHECK(da[i] == left + 0.25 * i, "put_signal_nbi double [%d] = %g", i, da[i]);
    CHECK(ca[i] == (char)('a' + (left + i) % 26), "put_signal_nbi char [%d]", i);
    CHECK(ua[i] == 0x100000000ULL * (unsigned)left + (unsigned)i,
          "put_signal ull [%d] = %llu", i, ua[i]);
  }
  quiet_barrier();

  shmem_free(sig);
  shmem_free(ca);
  shmem_free(ua);
  shmem_free(da);
  shmem_free(la);
  shmem_free(ia);
}

static void test_amo(void) {
  int *ix = SYM(int, 1);
  long *lx = SYM(long, 1);
  long long *llx = SYM(long long, 1);
  double *dx = SYM(double, 1);
  float *fx = SYM(float, 1);
  unsigned long long *ux = SYM(unsigned long long, 1);
  unsigned int *uix = SYM(unsigned int, 1);
  CHECK(ix && lx && llx && dx && fx && ux && uix, "shmem_calloc failed");

  /* Each PE works on its right neighbour's variables, which no other PE
   * touches; non-fetching operations are completed before the next one. */
  shmem_atomic_set(ix, 10, right);
  shmem_atomic_set(ctx, lx, 100L, right);
  shmem_atomic_set(ctx, dx, 2.5, right);
  shmem_atomic_set(fx, 1.5f, right);
  shmem_atomic_set(ux, 0xF0ULL, right);
  shmem_atomic_set(ctx, uix, 0xFFu, right);
  quiet_barrier();
  CHECK(*ix == 10 && *lx == 100 && *dx == 2.5 && *fx == 1.5f && *ux == 0xF0 &&
            *uix == 0xFF,
        "atomic_set: %d %ld %g %g %llu %u", *ix, *lx, *dx, (double)*fx, *ux, *uix);
  shmem_barrier_all(); /* checked before the left neighbour goes on */

  const int *cix = ix;
  CHECK(shmem_atomic_fetch(cix, right) == 10, "atomic_fetch int");
  CHECK(shmem_atomic_fetch(ctx, dx, right) == 2.5, "atomic_fetch ctx double");
  CHECK(shmem_atomic_fetch(ctx, (const long *)lx, right) == 100, "atomic_fetch long");
  CHECK(shmem_atomic_swap(ix, 20, right) == 10, "atomic_swap int");
  CHECK(shmem_atomic_swap(ctx, dx, 3.5, right) == 2.5, "atomic_swap ctx double");
  CHECK(shmem_atomic_compare_swap(ix, 20, 30, right) == 20, "compare_swap int");
  CHECK(shmem_atomic_compare_swap(ctx, lx, 100L, 200L, right) == 100,
        "compare_swap ctx long");
  CHECK(shmem_atomic_fetch_inc(ix, right) == 30, "fetch_inc int");
  CHECK(shmem_atomic_fetch_inc(ctx, lx, right) == 200, "fetch_inc ctx long");
  shmem_atomic_inc(ix, right);
  shmem_atomic_inc(ctx, lx, right);
  quiet_both();
  CHECK(shmem_atomic_fetch_add(ix, 5, right) == 32, "fetch_add int");
  CHECK(shmem_atomic_fetch_add(ctx, lx, 5L, right) == 202, "fetch_add ctx long");
  shmem_atomic_add(ix, 3, right);
  shmem_atomic_add(ctx, lx, 3L, right);
  quiet_both();

  /* non-blocking fetching forms */
  int fi = 0;
  long fl = 0;
  double fd = 0;
  shmem_atomic_fetch_nbi(&fi, ix, right);
  shmem_atomic_fetch_nbi(ctx, &fd, dx, right);
  quiet_both();
  CHECK(fi == 40 && fd == 3.5, "atomic_fetch_nbi %d %g", fi, fd);
  shmem_atomic_swap_nbi(&fi, ix, 50, right);
  shmem_atomic_swap_nbi(ctx, &fd, dx, 4.5, right);
  quiet_both();
  CHECK(fi == 40 && fd == 3.5, "atomic_swap_nbi %d %g", fi, fd);
  shmem_atomic_compare_swap_nbi(&fi, ix, 50, 60, right);
  shmem_atomic_compare_swap_nbi(ctx, &fl, lx, 210L, 220L, right);
  quiet_both();
  CHECK(fi == 50 && fl == 210, "compare_swap_nbi %d %ld", fi, fl);
  shmem_atomic_fetch_inc_nbi(&fi, ix, right);
  shmem_atomic_fetch_inc_nbi(ctx, &fl, lx, right);
  quiet_both();
  CHECK(fi == 60 && fl == 220, "fetch_inc_nbi %d %ld", fi, fl);
  shmem_atomic_fetch_add_nbi(&fi, ix, 9, right);
  shmem_atomic_fetch_add_nbi(ctx, &fl, lx, 9L, right);
  quiet_both();
  CHECK(fi == 61 && fl == 221, "fetch_add_nbi %d %ld", fi, fl);

  /* bitwise: ux starts at 0xF0, uix at 0xFF */
  CHECK(shmem_atomic_fetch_and(ux, 0x3CULL, right) == 0xF0, "fetch_and");  /* 0x30 */
  CHECK(shmem_atomic_fetch_or(ctx, ux, 0x01ULL, right) == 0x30, "fetch_or"); /* 0x31 */
  CHECK(shmem_atomic_fetch_xor(ux, 0x11ULL, right) == 0x31, "fetch_xor");   /* 0x20 */
  shmem_atomic_and(ctx, ux, 0x60ULL, right);                                /* 0x20 */
  shmem_ctx_quiet(ctx);
  shmem_atomic_or(ux, 0x0FULL, right);                                      /* 0x2F */
  shmem_quiet();
  shmem_atomic_xor(ctx, ux, 0x03ULL, right);                                /* 0x2C */
  shmem_ctx_quiet(ctx);
  unsigned int fu = 0;
  unsigned long long fuu = 0;
  shmem_atomic_fetch_and_nbi(&fu, uix, 0x0Fu, right);                /* 0xFF -> 0x0F */
  shmem_quiet();
  CHECK(fu == 0xFF, "fetch_and_nbi %x", fu);
  shmem_atomic_fetch_or_nbi(ctx, &fu, uix, 0x30u, right);            /* -> 0x3F */
  shmem_ctx_quiet(ctx);
  CHECK(fu == 0x0F, "fetch_or_nbi %x", fu);
  shmem_atomic_fetch_xor_nbi(&fuu, ux, 0xFFULL, right);              /* 0x2C -> 0xD3 */
  shmem_quiet();
  CHECK(fuu == 0x2C, "fetch_xor_nbi %llx", fuu);
  quiet_barrier();
  CHECK(*ix == 70 && *lx == 230 && *dx == 4.5, "amo result %d %ld %g", *ix, *lx, *dx);
  CHECK(*ux == 0xD3 && *uix == 0x3F, "bitwise result %llx %x", *ux, *uix);
  shmem_barrier_all();

  /* deprecated generic names */
  CHECK(shmem_finc(ix, right) == 70, "finc");
  shmem_inc(ix, right);
  shmem_quiet();
  CHECK(shmem_fadd(lx, 10L, right) == 230, "fadd");
  shmem_add(lx, 10L, right);
  shmem_quiet();
  CHECK(shmem_cswap(llx, 0LL, 5LL, right) == 0, "cswap");
  CHECK(shmem_swap(fx, 2.5f, right) == 1.5f, "swap");
  CHECK(shmem_fetch((const double *)dx, right) == 4.5, "fetch");
  shmem_set(dx, 6.5, right);
  quiet_barrier();
  CHECK(*ix == 72 && *lx == 250 && *llx == 5 && *fx == 2.5f && *dx == 6.5,
        "deprecated amo result %d %ld %lld %g %g", *ix, *lx, *llx, (double)*fx, *dx);
  shmem_barrier_all();
  /* ... on every type of their replacements, not only int, long, long long */
  CHECK(shmem_fetch((const unsigned long long *)ux, right) == 0xD3, "fetch ull");
  CHECK(shmem_cswap(uix, 0x3Fu, 0x40u, right) == 0x3F, "cswap uint");
  CHECK(shmem_fadd(uix, 2u, right) == 0x40, "fadd uint");
  CHECK(shmem_finc(ux, right) == 0xD3, "finc ull");
  shmem_add(ux, 1ULL, right);
  shmem_inc(uix, right);
  shmem_set(ux, shmem_swap(ux, 7ULL, right) + 1, right);
  quiet_barrier();
  CHECK(*uix == 0x43 && *ux == 0xD6, "deprecated amo on unsigned %x %llx", *uix, *ux);
  shmem_barrier_all();

  shmem_free(uix);
  shmem_free(ux);
  shmem_free(fx);
  shmem_free(dx);
  shmem_free(llx);
  shmem_free(lx);
  shmem_free(ix);
}

static void test_sync(void) {
  int *iv = SYM(int, NE);
  long *lv = SYM(long, NE);
  unsigned long long *uv = SYM(unsigned long long, NE);
  short *sv = SYM(short, 1);
  CHECK(iv && lv && uv && sv, "shmem_calloc failed");

  /* the left neighbour sets iv = 1..4, lv = 10..40, uv = 100..400 here */
  for (int i = 0; i < NE; ++i) {
    shmem_atomic_set(&iv[i], i + 1, right);
    shmem_atomic_set(ctx, &lv[i], 10L * (i + 1), right);
    shmem_atomic_set(&uv[i], 100ULL * (unsigned)(i + 1), right);
  }
  quiet_both();
  *sv = 3; /* set locally: the deprecated short forms see it at once */

  int none[NE] = {0, 0, 0, 0}, skip0[NE] = {1, 0, 0, 0};
  long lvals[NE] = {10, 20, 30, 40};
  unsigned long long uvals[NE] = {0, 0, 300, 0};
  size_t idx[NE];
  shmem_wait_until(&iv[3], SHMEM_CMP_EQ, 4);
  shmem_wait_until(&lv[3], SHMEM_CMP_EQ, 40L); /* the long function itself */
  shmem_wait_until_all(iv, NE, NULL, SHMEM_CMP_GT, 0);
  shmem_wait_until_all_vector(lv, NE, none, SHMEM_CMP_EQ, lvals);
  shmem_wait_until_all(uv, NE, NULL, SHMEM_CMP_GE, 100ULL);
  shmem_wait_until(sv, SHMEM_CMP_EQ, (short)3);
  shmem_wait(&iv[0], 0);
  shmem_wait(&lv[0], 0L);

  size_t k = shmem_wait_until_any(lv, NE, skip0, SHMEM_CMP_LE, 30L);
  CHECK(k == 1 || k == 2, "wait_until_any %zu", k); /* either: the order is unspecified */
  k = shmem_wait_until_any_vector(uv, NE, NULL, SHMEM_CMP_EQ, uvals);
  CHECK(k == 2, "wait_until_any_vector %zu", k);
  k = shmem_wait_until_some(iv, NE, idx, NULL, SHMEM_CMP_GE, 3);
  CHECK(k == 2 && idx[0] == 2 && idx[1] == 3, "wait_until_some %zu", k);
  long lcmp[NE] = {10, 0, 0, 40};
  k = shmem_wait_until_some_vector(lv, NE, idx, none, SHMEM_CMP_EQ, lcmp);
  CHECK(k == 2 && idx[0] == 0 && idx[1] == 3, "wait_until_some_vector %zu", k);

  CHECK(shmem_test(&iv[0], SHMEM_CMP_EQ, 1) == 1, "test int");
  CHECK(shmem_test(&lv[1], SHMEM_CMP_NE, 20L) == 0, "test long");
  CHECK(shmem_test(&uv[2], SHMEM_CMP_LT, 301ULL) == 1, "test ull");
  CHECK(shmem_test(sv, SHMEM_CMP_EQ, (short)3) == 1, "test short");
  /* the multi-element forms take short and unsigned short too */
  shmem_wait_until_all(sv, 1, NULL, SHMEM_CMP_EQ, (short)3);
  CHECK(shmem_test_any(sv, 1, NULL, SHMEM_CMP_EQ, (short)3) == 0, "test_any short");
  short svals[1] = {3};
  CHECK(shmem_test_all_vector(sv, 1, NULL, SHMEM_CMP_EQ, svals) == 1, "test_all_vector short");
  unsigned short *usv = SYM(unsigned short, 2);
  CHECK(usv != NULL, "shmem_calloc failed");
  usv[0] = 4;
  usv[1] = 5;
  CHECK(shmem_test_some(usv, 2, idx, NULL, SHMEM_CMP_GE, (unsigned short)5) == 1 && idx[0] == 1,
        "test_some ushort");
  shmem_free(usv);
  CHECK(shmem_test_all(iv, NE, NULL, SHMEM_CMP_GT, 0) == 1, "test_all");
  CHECK(shmem_test_all_vector(lv, NE, NULL, SHMEM_CMP_EQ, lvals) == 1,
        "test_all_vector");
  k = shmem_test_any(lv, NE, NULL, SHMEM_CMP_GT, 35L);
  CHECK(k == 3, "test_any %zu", k);
  k = shmem_test_any_vector(uv, NE, skip0, SHMEM_CMP_EQ, uvals);
  CHECK(k == 2, "test_any_vector %zu", k);
  k = shmem_test_some(uv, NE, idx, NULL, SHMEM_CMP_LE, 200ULL);
  CHECK(k == 2 && idx[0] == 0 && idx[1] == 1, "test_some %zu", k);
  int icmp[NE] = {0, 2, 0, 4};
  k = shmem_test_some_vector(iv, NE, idx, NULL, SHMEM_CMP_EQ, icmp);
  CHECK(k == 2 && idx[0] == 1 && idx[1] == 3, "test_some_vector %zu", k);
  shmem_barrier_all();

  shmem_free(sv);
  shmem_free(uv);
  shmem_free(lv);
  shmem_free(iv);
}

static void test_collectives(void) {
  int *bi = SYM(int, 2 * NE);
  double *bd = SYM(double, 2 * NE);
  long *cl = SYM(long, 2 * (size_t)npes + 2);
  char *fc = SYM(char, (size_t)npes + 1);
  unsigned long long *au = SYM(unsigned long long, 2 * (size_t)npes);
  int *as = SYM(int, 3 * (size_t)npes);
  CHECK(bi && bd && cl && fc && au && as, "shmem_calloc failed");
  shmem_team_t w = SHMEM_TEAM_WORLD;

  /* broadcast from PE 0: source in the first half, dest in the second */
  for (int i = 0; i < NE; ++i) {
    bi[i] = me == 0 ? 42 + i : -1;
    bd[i] = me == 0 ? 0.5 * i : -1.0;
  }
  shmem_barrier_all();
  CHECK(shmem_broadcast(w, bi + NE, bi, NE, 0) == 0, "broadcast int");
  CHECK(shmem_broadcast(w, bd + NE, bd, NE, 0) == 0, "broadcast double");
  if (me != 0)
    for (int i = 0; i < NE; ++i)
      CHECK(bi[NE + i] == 42 + i && bd[NE + i] == 0.5 * i, "broadcast [%d]", i);
  shmem_barrier_all();

  /* collect 2 longs per PE, fcollect 1 char per PE */
  cl[0] = me * 10L;
  cl[1] = me * 10L + 1;
  fc[0] = (char)('A' + me % 26);
  shmem_barrier_all();
  CHECK(shmem_collect(w, cl + 2, cl, 2) == 0, "collect");
  CHECK(shmem_fcollect(w, fc + 1, fc, 1) == 0, "fcollect");
  for (int p = 0; p < npes; ++p) {
    CHECK(cl[2 + 2 * p] == p * 10L && cl[3 + 2 * p] == p * 10L + 1, "collect [%d]", p);
    CHECK(fc[1 + p] == (char)('A' + p % 26), "fcollect [%d]", p);
  }
  shmem_barrier_all();

  /* alltoall: source au[0..npes), dest au[npes..2 npes);
   * alltoalls: source as[0..npes) stride 1, dest as[npes..3 npes) stride 2 */
  for (int p = 0; p < npes; ++p) {
    au[p] = 1000ULL * (unsigned)me + (unsigned)p;
    as[p] = 1000 * me + p;
  }
  shmem_barrier_all();
  CHECK(shmem_alltoall(w, au + npes, au, 1) == 0, "alltoall");
  CHECK(shmem_alltoalls(w, as + npes, as, 2, 1, 1) == 0, "alltoalls");
  for (int p = 0; p < npes; ++p) {
    CHECK(au[npes + p] == 1000ULL * (unsigned)p + (unsigned)me, "alltoall [%d]", p);
    CHECK(as[npes + 2 * p] == 1000 * p + me, "alltoalls [%d]", p);
  }
  shmem_barrier_all();

  shmem_free(as);
  shmem_free(au);
  shmem_free(fc);
  shmem_free(cl);
  shmem_free(bd);
  shmem_free(bi);
}

static void test_reductions(void) {
  unsigned int *ui = SYM(unsigned int, 4);
  unsigned long *ul = SYM(unsigned long, 4);
  unsigned char *uc = SYM(unsigned char, 4);
  int *ii = SYM(int, 4);
  char *cc = SYM(char, 4);
  double *dd = SYM(double, 4);
  long *ll = SYM(long, 4);
  double _Complex *zd = SYM(double _Complex, 4);
  float _Complex *zf = SYM(float _Complex, 4);
  CHECK(ui && ul && uc && ii && cc && dd && ll && zd && zf, "shmem_calloc failed");
  shmem_team_t w = SHMEM_TEAM_WORLD;

  for (int i = 0; i < 2; ++i) {
    ui[i] = ~(1u << (me % 32)) ^ (unsigned)i;
    ul[i] = (1UL << (me % 32)) | (unsigned long)i;
    uc[i] = (unsigned char)(me + 1 + i);
    ii[i] = me * 10 + i;
    cc[i] = (char)('a' + me % 26 + i);
    dd[i] = me + 0.5 + i;
    ll[i] = me + 1 + i;
    zd[i] = MKZD(me + i + 0.0, 1.0);
    zf[i] = MKZF(1.0f, 1.0f);
  }
  shmem_barrier_all();
  CHECK(shmem_and_reduce(w, ui + 2, ui, 2) == 0, "and_reduce");
  CHECK(shmem_or_reduce(w, ul + 2, ul, 2) == 0, "or_reduce");
  CHECK(shmem_xor_reduce(w, uc + 2, uc, 2) == 0, "xor_reduce");
  CHECK(shmem_max_reduce(w, ii + 2, ii, 2) == 0, "max_reduce int");
  CHECK(shmem_max_reduce(w, cc + 2, cc, 2) == 0, "max_reduce char");
  CHECK(shmem_min_reduce(w, dd + 2, dd, 2) == 0, "min_reduce");
  CHECK(shmem_sum_reduce(w, ll + 2, ll, 2) == 0, "sum_reduce long");
  CHECK(shmem_sum_reduce(w, zd + 2, zd, 2) == 0, "sum_reduce complexd");
  CHECK(shmem_prod_reduce(w, zf + 2, zf, 2) == 0, "prod_reduce complexf");
  CHECK(shmem_prod_reduce(w, dd, dd + 2, 2) == 0, "prod_reduce double");

  for (int i = 0; i < 2; ++i) {
    unsigned int eand = ~0u;
    unsigned long eor = 0;
    unsigned char exor = 0;
    long esum = 0;
    double _Complex ezd = 0;
    float _Complex ezf = 1;
    double eprod = 1;
    for (int p = 0; p < npes; ++p) {
      eand &= ~(1u << (p % 32)) ^ (unsigned)i;
      eor |= (1UL << (p % 32)) | (unsigned long)i;
      exor ^= (unsigned char)(p + 1 + i);
      esum += p + 1 + i;
      ezd += MKZD(p + i + 0.0, 1.0);
      ezf *= MKZF(1.0f, 1.0f);
      eprod *= 0.5 + i;
    }
    int emax = (npes - 1) * 10 + i;
    char ecmax = (char)('a' + (npes - 1 > 25 ? 25 : npes - 1) + i);
    CHECK(ui[2 + i] == eand, "and_reduce [%d] %x", i, ui[2 + i]);
    CHECK(ul[2 + i] == eor, "or_reduce [%d] %lx", i, ul[2 + i]);
    CHECK(uc[2 + i] == exor, "xor_reduce [%d] %x", i, uc[2 + i]);
    CHECK(ii[2 + i] == emax, "max_reduce int [%d] %d", i, ii[2 + i]);
    if (npes <= 26) CHECK(cc[2 + i] == ecmax, "max_reduce char [%d] %c", i, cc[2 + i]);
    CHECK(dd[2 + i] == 0.5 + i, "min_reduce [%d] %g", i, dd[2 + i]);
    CHECK(ll[2 + i] == esum, "sum_reduce long [%d] %ld", i, ll[2 + i]);
    CHECK(cdiff(zd[2 + i], ezd) < 1e-9, "sum_reduce complexd [%d]", i);
    CHECK(cdiff(zf[2 + i], ezf) < 1e-3 * (1 + cdiff(ezf, 0)),
          "prod_reduce complexf [%d]", i);
    CHECK(dd[i] == eprod, "prod_reduce double [%d] %g", i, dd[i]);
  }
  shmem_barrier_all();

  shmem_free(zf);
  shmem_free(zd);
  shmem_free(ll);
  shmem_free(dd);
  shmem_free(cc);
  shmem_free(ii);
  shmem_free(uc);
  shmem_free(ul);
  shmem_free(ui);
}

/* The bitwise AMO and reduction tables hold int32_t and int64_t (and the
 * reductions int8_t and int16_t) besides unsigned types: the generic names
 * take them, selecting shmem_int32_atomic_and, shmem_int16_or_reduce ...
 * The reductions also take long long (as the deprecated *_to_all did), and
 * shmem_sync(team) is the generic name of shmem_team_sync. */
static void test_signed_bitwise(void) {
  int32_t *i32 = SYM(int32_t, 1);
  int64_t *i64 = SYM(int64_t, 1);
  CHECK(i32 && i64, "shmem_calloc failed");
  CHECK(shmem_atomic_fetch_or(i32, (int32_t)0x0F, right) == 0, "int32 fetch_or");
  CHECK(shmem_atomic_fetch_xor(ctx, i64, (int64_t)-1, right) == 0, "int64 fetch_xor");
  shmem_atomic_xor(i32, (int32_t)0x03, right); /* 0x0C */
  shmem_atomic_and(ctx, i64, (int64_t)0x70, right); /* 0x70 */
  quiet_both();
  int32_t f32 = 0;
  int64_t f64 = 0;
  shmem_atomic_fetch_and_nbi(&f32, i32, (int32_t)0x04, right);
  shmem_atomic_fetch_or_nbi(ctx, &f64, i64, (int64_t)1, right);
  quiet_barrier();
  CHECK(f32 == 0x0C && f64 == 0x70, "signed bitwise nbi %d %ld", (int)f32, (long)f64);
  CHECK(*i32 == 0x04 && *i64 == 0x71, "signed bitwise result %d %ld", (int)*i32, (long)*i64);
  shmem_barrier_all();

  signed char *sc = SYM(signed char, 2);
  short *sh = SYM(short, 2);
  int *in = SYM(int, 2);
  long *lo = SYM(long, 2);
  CHECK(sc && sh && in && lo, "shmem_calloc failed");
  sc[0] = (signed char)(1 << (me % 7));
  sh[0] = (short)~(1 << (me % 15));
  in[0] = me + 1;
  lo[0] = 1L << (me % 63);
  shmem_team_t w = SHMEM_TEAM_WORLD;
  CHECK(shmem_or_reduce(w, sc + 1, sc, 1) == 0 && shmem_and_reduce(w, sh + 1, sh, 1) == 0 &&
            shmem_xor_reduce(w, in + 1, in, 1) == 0 && shmem_or_reduce(w, lo + 1, lo, 1) == 0,
        "signed bitwise reductions");
  signed char esc = 0;
  short esh = (short)~0;
  int ein = 0;
  long elo = 0;
  for (int p = 0; p < npes; ++p) {
    esc = (signed char)(esc | (1 << (p % 7)));
    esh = (short)(esh & ~(1 << (p % 15)));
    ein ^= p + 1;
    elo |= 1L << (p % 63);
  }
  CHECK(sc[1] == esc && sh[1] == esh && in[1] == ein && lo[1] == elo,
        "signed bitwise reductions: %d %d %d %ld", sc[1], sh[1], in[1], lo[1]);
  long long *ll = SYM(long long, 2);
  CHECK(ll != NULL, "shmem_calloc failed");
  ll[0] = 1LL << (me % 63);
  CHECK(shmem_sync(w) == 0, "shmem_sync(team)");
  CHECK(shmem_xor_reduce(w, ll + 1, ll, 1) == 0 && ll[1] == elo, "long long xor_reduce %lld",
        ll[1]);
  shmem_barrier_all();
  shmem_free(ll);
  shmem_free(lo);
  shmem_free(in);
  shmem_free(sh);
  shmem_free(sc);
  shmem_free(i64);
  shmem_free(i32);
}

/* The generic names of OpenSHMEM 1.6: ibput/ibget (with and without a
 * context), the prefix sums, and signal_add/signal_set with three
 * arguments or a context and three. */
static void test_v16(void) {
  int *ia = SYM(int, 8);
  double _Complex *zd = SYM(double _Complex, 4);
  uint64_t *sig = SYM(uint64_t, 2);
  CHECK(ia && zd && sig, "shmem_calloc failed");
  int src[6] = {1 + me, 2 + me, 0, 3 + me, 4 + me, 0};
  shmem_ibput(ia, src, 4, 3, 2, 2, right);      /* ia[0,1] and ia[4,5] */
  shmem_ibput(ctx, ia + 2, src, 4, 3, 1, 2, right); /* ia[2] and ia[6] */
  quiet_barrier();
  CHECK(ia[0] == 1 + left && ia[1] == 2 + left && ia[4] == 3 + left &&
            ia[5] == 4 + left && ia[2] == 1 + left && ia[6] == 3 + left &&
            ia[3] == 0 && ia[7] == 0,
        "generic ibput");
  int got[4] = {0, 0, 0, 0};
  shmem_ibget(got, ia, 2, 4, 2, 2, right);       /* right's ia[0,1], ia[4,5] */
  CHECK(got[0] == 1 + me && got[1] == 2 + me && got[2] == 3 + me && got[3] == 4 + me,
        "generic ibget");
  shmem_ibget(ctx, got, ia + 2, 1, 4, 1, 2, right);
  quiet_both();
  CHECK(got[0] == 1 + me && got[1] == 3 + me, "generic ctx ibget");
  zd[0] = MKZD(me + 1.0, -1.0);
  shmem_barrier_all();
  CHECK(shmem_sum_inscan(SHMEM_TEAM_WORLD, zd + 1, zd, 1) == 0, "generic inscan");
  CHECK(shmem_sum_exscan(SHMEM_TEAM_WORLD, ia + 7, ia + 6, 1) == 0, "generic exscan");
  CHECK(cdiff(zd[1], MKZD((me + 1.0) * (me + 2) / 2, -(me + 1.0))) < 1e-9, "generic inscan");
  int ex = 0;
  for (int p = 0; p < me; ++p) ex += 3 + (p + npes - 1) % npes;
  CHECK(ia[7] == ex, "generic exscan %d, not %d", ia[7], ex);
  shmem_signal_add(sig, 2, right);
  shmem_signal_add(ctx, sig, 3, right);
  shmem_signal_set(sig + 1, 40, right);
  shmem_signal_set(ctx, sig + 1, 41, right);
  quiet_barrier();
  CHECK(sig[0] == 5 && sig[1] == 41, "generic signal_add/set %llu %llu",
        (unsigned long long)sig[0], (unsigned long long)sig[1]);
  shmem_barrier_all();
  shmem_free(sig);
  shmem_free(zd);
  shmem_free(ia);
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  right = (me + 1) % npes;
  left = (me + npes - 1) % npes;
  int own_ctx = shmem_ctx_create(0, &ctx) == 0;
  if (!own_ctx) ctx = SHMEM_CTX_DEFAULT;

  test_rma();
  test_amo();
  test_sync();
  test_collectives();
  test_reductions();
  test_signed_bitwise();
  test_v16();

  if (own_ctx) shmem_ctx_destroy(ctx);
  shmem_barrier_all();
  if (me == 0) printf("generic ok\n");
  shmem_finalize();
  return 0;
}
