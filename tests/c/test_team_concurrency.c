/* test_team_concurrency.c - teams used side by side:
 *  - the even and the odd PEs each loop over syncs, reductions and
 *    broadcasts on their own team while AMOs from every PE hit PE 0, and
 *    WORLD and SHARED synchronize in between;
 *  - a team split with a negative stride (the PEs in reverse order);
 *  - translate_pe between two sub-teams (overlapping and disjoint), and
 *    between the x and y teams of a 2-D split of a sub-team;
 *  - contexts of teams: team-relative PE numbers for RMA and AMOs, and
 *    shmem_ctx_get_team;
 *  - get_config with and without SHMEM_TEAM_NUM_CONTEXTS in the mask; a
 *    configuration that only members pass, and one that is bad on some
 *    PEs only (the split fails on all);
 *  - shmem_team_ptr on sub-teams and SHMEM_TEAM_SHARED. */
#include <shmem.h>
#include <string.h>

#include "check.h"

static int me, npes;
static long counter;
static long red_src[8], red_dst[8];
static int bvals[4];
static long box[4];

static void side_by_side(void) {
  shmem_team_t half;
  int odd = me % 2;
  int size = odd ? npes / 2 : (npes + 1) / 2;
  /* Both halves come from one call each: every PE takes part in both. */
  shmem_team_t even_t, odd_t = SHMEM_TEAM_INVALID;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, (npes + 1) / 2, NULL, 0, &even_t) == 0,
        "even split");
  if (npes > 1)
    CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 2, npes / 2, NULL, 0, &odd_t) == 0,
          "odd split");
  half = odd ? odd_t : even_t;
  CHECK(half != SHMEM_TEAM_INVALID && shmem_team_n_pes(half) == size, "half team");
  CHECK((odd ? even_t : odd_t) == SHMEM_TEAM_INVALID, "member of the other half");
  if (me == 0) counter = 0;
  shmem_barrier_all();
  for (int r = 0; r < 30; ++r) {
    shmem_long_atomic_inc(&counter, 0);
    for (int i = 0; i < 8; ++i) red_src[i] = me + i + r;
    if (odd) {
      /* the odd PEs: broadcasts from a rotating root */
      bvals[0] = me * 100 + r;
      int root = r % size;
      CHECK(shmem_int_broadcast(half, &bvals[1], &bvals[0], 1, root) == 0, "odd broadcast");
      CHECK(bvals[1] == (1 + 2 * root) * 100 + r, "odd broadcast round %d: %d", r, bvals[1]);
      CHECK(shmem_team_sync(half) == 0, "odd sync");
    } else {
      /* the even PEs: reductions and syncs */
      CHECK(shmem_long_sum_reduce(half, red_dst, red_src, 8) == 0, "even reduce");
      long wsum = 0;
      for (int k = 0; k < size; ++k) wsum += 2 * k;
      for (int i = 0; i < 8; ++i)
        CHECK(red_dst[i] == wsum + (long)size * (i + r), "even reduce round %d: %ld", r,
              red_dst[i]);
      CHECK(shmem_team_sync(half) == 0 && shmem_team_sync(half) == 0, "even sync");
    }
    if (r % 10 == 9) {
      CHECK(shmem_team_sync(SHMEM_TEAM_SHARED) == 0, "shared sync");
      shmem_barrier_all();
    }
  }
  shmem_barrier_all();
  if (me == 0) CHECK(counter == 30L * npes, "counter %ld", counter);

  /* translate between the halves and WORLD */
  shmem_team_t other = odd ? even_t : odd_t;
  for (int i = 0; i < size; ++i) {
    CHECK(shmem_team_translate_pe(half, i, SHMEM_TEAM_WORLD) == odd + 2 * i, "half->world");
    CHECK(shmem_team_translate_pe(half, i, other) == -1, "disjoint halves");
  }
  shmem_team_destroy(even_t);
  shmem_team_destroy(odd_t);
  shmem_barrier_all();
}

static void overlapping_and_reversed(void) {
  /* first: world PEs 0..n-2; second: 1..n-1; rev: n-1, n-2, ..., 0 */
  shmem_team_t first = SHMEM_TEAM_INVALID, second = SHMEM_TEAM_INVALID, rev;
  int m = npes > 1 ? npes - 1 : 1;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, m, NULL, 0, &first) == 0, "first");
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, npes - m, 1, m, NULL, 0, &second) == 0,
        "second");
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, npes - 1, -1, npes, NULL, 0, &rev) == 0,
        "reverse split");
  CHECK(shmem_team_n_pes(rev) == npes && shmem_team_my_pe(rev) == npes - 1 - me, "reverse team");
  for (int i = 0; i < npes; ++i)
    CHECK(shmem_team_translate_pe(rev, i, SHMEM_TEAM_WORLD) == npes - 1 - i, "rev->world");
  /* (a PE holds a handle only for the teams it belongs to) */
  if (first != SHMEM_TEAM_INVALID && second != SHMEM_TEAM_INVALID && npes > 1)
    for (int i = 0; i < m; ++i) {
      /* world i is first's i and second's i - 1 */
      int expect = i >= 1 ? i - 1 : -1;
      CHECK(shmem_team_translate_pe(first, i, second) == expect,
            "first %d -> second: %d, expected %d", i, shmem_team_translate_pe(first, i, second),
            expect);
      CHECK(shmem_team_translate_pe(first, i, rev) == npes - 1 - i, "first -> rev");
    }
  /* a reduction and a broadcast over the reversed team */
  for (int i = 0; i < 8; ++i) red_src[i] = me * (i + 1);
  CHECK(shmem_long_max_reduce(rev, red_dst, red_src, 8) == 0, "max over rev");
  for (int i = 0; i < 8; ++i)
    CHECK(red_dst[i] == (long)(npes - 1) * (i + 1), "max over rev %d", i);
  bvals[0] = me;
  CHECK(shmem_int_broadcast(rev, &bvals[1], &bvals[0], 1, 0) == 0 && bvals[1] == npes - 1,
        "broadcast from rev's PE 0 (world %d) gave %d", npes - 1, bvals[1]);
  shmem_team_destroy(first);
  shmem_team_destroy(second);
  shmem_team_destroy(rev);
  shmem_barrier_all();
}

/* 2-D split of a sub-team (every PE but world 0 when there are several),
 * then translations between its x and y teams. */
static void split_2d_of_sub(void) {
  shmem_team_t sub;
  int off = npes > 1 ? 1 : 0, n = npes - off;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, off, 1, n, NULL, 0, &sub) == 0, "sub");
  if (sub != SHMEM_TEAM_INVALID) {
    for (int xr = 1; xr <= n + 1; ++xr) {
      shmem_team_t xt, yt;
      CHECK(shmem_team_split_2d(sub, xr, NULL, 0, &xt, NULL, 0, &yt) == 0, "2d xrange %d", xr);
      int x = xr < n ? xr : n, p = me - off, row = p / x, col = p % x;
      CHECK(shmem_team_my_pe(xt) == col && shmem_team_my_pe(yt) == row, "2d coordinates");
      for (int j = 0; j < shmem_team_n_pes(xt); ++j) {
        /* x team member j is sub PE row*x + j, in y team j's column only at my row */
        int w = off + row * x + j;
        CHECK(shmem_team_translate_pe(xt, j, SHMEM_TEAM_WORLD) == w, "x->world");
        CHECK(shmem_team_translate_pe(xt, j, yt) == (j == col ? row : -1),
              "xrange %d: x %d -> y gives %d", xr, j, shmem_team_translate_pe(xt, j, yt));
      }
      CHECK(shmem_team_sync(xt) == 0 && shmem_team_sync(yt) == 0, "2d syncs");
      shmem_team_destroy(xt);
      shmem_team_destroy(yt);
    }
    shmem_team_destroy(sub);
  }
  shmem_barrier_all();
}

static void contexts_and_config(void) {
  shmem_team_t t;
  shmem_team_config_t cfg = {3};
  int start = npes > 1 ? 1 : 0, size = npes > 1 ? npes - 1 : 1;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, start, 1, size, &cfg, SHMEM_TEAM_NUM_CONTEXTS,
                                 &t) == 0,
        "split with config");
  memset(box, 0, sizeof box);
  shmem_barrier_all();
  if (t != SHMEM_TEAM_INVALID) {
    shmem_team_config_t got = {-1};
    CHECK(shmem_team_get_config(t, SHMEM_TEAM_NUM_CONTEXTS, &got) == 0 && got.num_contexts == 3,
          "get_config num_contexts %d", got.num_contexts);
    got.num_contexts = -7;
    CHECK(shmem_team_get_config(t, 0, &got) == 0 && got.num_contexts == -7,
          "get_config without the mask must not touch config");
    shmem_ctx_t ctx;
    CHECK(shmem_team_create_ctx(t, SHMEM_CTX_PRIVATE, &ctx) == 0, "team ctx");
    shmem_team_t back = SHMEM_TEAM_INVALID;
    CHECK(shmem_ctx_get_team(ctx, &back) == 0 && back == t, "ctx_get_team");
    int tme = shmem_team_my_pe(t), tn = shmem_team_n_pes(t);
    int tright = (tme + 1) % tn;
    /* team PE tright is world start + tright */
    long v = 500 + me;
    shmem_ctx_long_put(ctx, &box[0], &v, 1, tright);
    shmem_ctx_long_atomic_add(ctx, &box[1], me + 1, 0); /* team PE 0 */
    shmem_ctx_quiet(ctx);
    CHECK(shmem_team_sync(t) == 0, "sync");
    int tleft_world = start + (tme + tn - 1) % tn;
    CHECK(box[0] == 500 + tleft_world, "team ctx put: %ld", box[0]);
    if (tme == 0) {
      long e = 0;
      for (int k = 0; k < tn; ++k) e += start + k + 1;
      CHECK(box[1] == e, "team ctx add: %ld, expected %ld", box[1], e);
    }
    CHECK(shmem_ctx_long_g(ctx, &box[0], tright) == 500 + me, "team ctx g");
    /* team_ptr: team-relative, the same memory as shmem_ptr on its world PE */
    for (int k = 0; k < tn; ++k)
      CHECK(shmem_team_ptr(t, box, k) == shmem_ptr(box, start + k), "team_ptr %d", k);
    CHECK(shmem_team_ptr(t, box, tn) == NULL, "team_ptr past the team");
    shmem_ctx_destroy(ctx);
    shmem_team_destroy(t);
  } else {
    CHECK(me == 0 && npes > 1, "only world PE 0 is outside");
  }
  /* SHARED: every member has a pointer, the one shmem_ptr gives its world PE */
  const int sn = shmem_team_n_pes(SHMEM_TEAM_SHARED);
  for (int k = 0; k < sn; ++k) {
    int w = shmem_team_translate_pe(SHMEM_TEAM_SHARED, k, SHMEM_TEAM_WORLD);
    CHECK(w >= 0 && shmem_ptr(box, w) != NULL &&
              shmem_team_ptr(SHMEM_TEAM_SHARED, box, k) == shmem_ptr(box, w),
          "SHARED team_ptr %d (world PE %d)", k, w);
  }
  CHECK(shmem_team_ptr(SHMEM_TEAM_SHARED, box, sn) == NULL, "SHARED team_ptr past the team");
  CHECK(shmem_team_ptr(SHMEM_TEAM_WORLD, box, me) == (void *)box, "team_ptr to myself");
  shmem_barrier_all();
}

/* The configuration matters to the new team's members only, and a split
 * whose configuration is bad on some PEs fails on every PE (none is left
 * waiting in the split's synchronization). */
static void config_of_members(void) {
  shmem_team_config_t cfg = {2};
  int member = me % 2 == 0;
  shmem_team_t t;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, (npes + 1) / 2, member ? &cfg : NULL,
                                 SHMEM_TEAM_NUM_CONTEXTS, &t) == 0,
        "split where non-members pass no config");
  CHECK(member == (t != SHMEM_TEAM_INVALID), "membership");
  if (t != SHMEM_TEAM_INVALID) {
    shmem_team_config_t got = {0};
    CHECK(shmem_team_get_config(t, SHMEM_TEAM_NUM_CONTEXTS, &got) == 0 && got.num_contexts == 2,
          "num_contexts %d", got.num_contexts);
    shmem_team_destroy(t);
  }
  /* the last PE's configuration is bad: every PE sees the split fail */
  shmem_team_config_t bad = {-1};
  int last = me == npes - 1;
  t = SHMEM_TEAM_WORLD;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes, last ? &bad : &cfg,
                                 SHMEM_TEAM_NUM_CONTEXTS, &t) != 0 &&
            t == SHMEM_TEAM_INVALID,
        "a split with a bad configuration on PE %d succeeded here", npes - 1);
  /* the same on the y axis of a 2-D split, bad on the last column only */
  shmem_team_t xt = SHMEM_TEAM_WORLD, yt = SHMEM_TEAM_WORLD;
  int xr = npes > 1 ? 2 : 1, lastcol = me % xr == xr - 1;
  CHECK(shmem_team_split_2d(SHMEM_TEAM_WORLD, xr, &cfg, SHMEM_TEAM_NUM_CONTEXTS, &xt,
                            lastcol ? &bad : &cfg, SHMEM_TEAM_NUM_CONTEXTS, &yt) != 0 &&
            yt == SHMEM_TEAM_INVALID,
        "a 2-D split with a bad y configuration succeeded here");
  if (xt != SHMEM_TEAM_INVALID) shmem_team_destroy(xt);
  /* and the PEs are still in step */
  shmem_barrier_all();
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes, NULL, 0, &t) == 0, "split after");
  CHECK(shmem_team_sync(t) == 0, "sync after");
  shmem_team_destroy(t);
  shmem_barrier_all();
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  side_by_side();
  overlapping_and_reversed();
  split_2d_of_sub();
  contexts_and_config();
  config_of_members();
  shmem_finalize();
  return 0;
}
