/* test_teams.c - team management: queries, every strided split shape
 * (strides 1 and 2, every size and start), 2-D splits (xrange 1, 2, 3 and
 * wider than the parent), splits of splits, translate_pe both ways,
 * get_config, bad triples, a team of one PE, and more create/destroy cycles
 * than there are team slots (slot recycling: barrier epochs of a reused
 * slot must keep working). */
#include <shmem.h>
#include <string.h>

#include "check.h"

static int me, npes;
static long counters[2]; /* symmetric (bss): per-team barrier checks */

/* World PE w's number in SHMEM_TEAM_SHARED (the PEs this PE reaches by
 * loads and stores, in world order), or -1. */
static int shared_index(int w) {
  if (!check_load_store(w)) return -1;
  int k = 0;
  for (int p = 0; p < w; ++p) k += check_load_store(p);
  return k;
}

/* The expected team of a strided split of WORLD: member i is world
 * start + i * stride; checks queries and translations both ways. */
static void check_strided_team(shmem_team_t t, int start, int stride, int size) {
  int off = me - start;
  int member = off >= 0 && off % stride == 0 && off / stride < size;
  if (!member) {
    CHECK(t == SHMEM_TEAM_INVALID, "PE outside (%d,%d,%d) got a team", start, stride, size);
    CHECK(shmem_team_my_pe(t) == -1 && shmem_team_n_pes(t) == -1, "INVALID queries");
    return;
  }
  CHECK(t != SHMEM_TEAM_INVALID, "member of (%d,%d,%d) got INVALID", start, stride, size);
  CHECK(shmem_team_n_pes(t) == size, "n_pes %d, expected %d", shmem_team_n_pes(t), size);
  CHECK(shmem_team_my_pe(t) == off / stride, "my_pe %d, expected %d", shmem_team_my_pe(t),
        off / stride);
  for (int i = 0; i < size; ++i) {
    int w = start + i * stride;
    CHECK(shmem_team_translate_pe(t, i, SHMEM_TEAM_WORLD) == w, "team->world %d", i);
    CHECK(shmem_team_translate_pe(SHMEM_TEAM_WORLD, w, t) == i, "world->team %d", w);
  }
  for (int w = 0; w < npes; ++w) {
    int o = w - start;
    int expect = (o >= 0 && o % stride == 0 && o / stride < size) ? o / stride : -1;
    CHECK(shmem_team_translate_pe(SHMEM_TEAM_WORLD, w, t) == expect,
          "world %d -> team gives %d, expected %d", w,
          shmem_team_translate_pe(SHMEM_TEAM_WORLD, w, t), expect);
  }
  CHECK(shmem_team_translate_pe(t, size, SHMEM_TEAM_WORLD) == -1, "out of range src_pe");
  CHECK(shmem_team_translate_pe(t, -1, SHMEM_TEAM_WORLD) == -1, "negative src_pe");
  CHECK(shmem_team_translate_pe(t, 0, SHMEM_TEAM_INVALID) == -1, "to INVALID");
  CHECK(shmem_team_translate_pe(SHMEM_TEAM_INVALID, 0, t) == -1, "from INVALID");
  CHECK(shmem_team_translate_pe(t, shmem_team_my_pe(t), SHMEM_TEAM_SHARED) == shared_index(me),
        "to SHARED");
}

/* A barrier check on a team whose member 0 is world PE root: every member
 * adds one to counter on root; after a sync the count is exact. */
static void check_team_barrier_on(shmem_team_t t, int root, int rounds, long *ctr) {
  int n = shmem_team_n_pes(t);
  for (int k = 0; k < rounds; ++k) {
    shmem_long_atomic_inc(ctr, root);
    CHECK(shmem_team_sync(t) == 0, "team_sync");
    long c = shmem_long_atomic_fetch(ctr, root);
    CHECK(c == (long)(k + 1) * n, "round %d: counter %ld, expected %ld", k, c,
          (long)(k + 1) * n);
    shmem_team_sync(t);
  }
  shmem_team_sync(t);
  if (me == root) *ctr = 0;
  shmem_team_sync(t);
}
static void check_team_barrier(shmem_team_t t, int root, int rounds) {
  check_team_barrier_on(t, root, rounds, &counters[0]);
}

static void test_predefined(void) {
  CHECK(shmem_team_my_pe(SHMEM_TEAM_WORLD) == me, "world my_pe");
  CHECK(shmem_team_n_pes(SHMEM_TEAM_WORLD) == npes, "world n_pes");
  int shared_n = 0;
  for (int p = 0; p < npes; ++p) shared_n += check_load_store(p);
  CHECK(shmem_team_my_pe(SHMEM_TEAM_SHARED) == shared_index(me), "shared my_pe");
  CHECK(shmem_team_n_pes(SHMEM_TEAM_SHARED) == shared_n, "shared n_pes %d, expected %d",
        shmem_team_n_pes(SHMEM_TEAM_SHARED), shared_n);
  CHECK(shmem_team_my_pe(SHMEM_TEAM_INVALID) == -1, "invalid my_pe");
  CHECK(shmem_team_n_pes(SHMEM_TEAM_INVALID) == -1, "invalid n_pes");
  for (int p = 0; p < npes; ++p) {
    CHECK(shmem_team_translate_pe(SHMEM_TEAM_WORLD, p, SHMEM_TEAM_SHARED) == shared_index(p),
          "w->s %d", p);
    if (shared_index(p) >= 0)
      CHECK(shmem_team_translate_pe(SHMEM_TEAM_SHARED, shared_index(p), SHMEM_TEAM_WORLD) == p,
            "s->w %d", p);
  }
  CHECK(shmem_team_translate_pe(SHMEM_TEAM_WORLD, npes, SHMEM_TEAM_SHARED) == -1, "oob");
  shmem_team_config_t cfg = {-5};
  CHECK(shmem_team_get_config(SHMEM_TEAM_WORLD, SHMEM_TEAM_NUM_CONTEXTS, &cfg) == 0,
        "get_config world");
  CHECK(cfg.num_contexts >= 0, "num_contexts %d", cfg.num_contexts);
  CHECK(shmem_team_get_config(SHMEM_TEAM_INVALID, SHMEM_TEAM_NUM_CONTEXTS, &cfg) != 0,
        "get_config on INVALID must fail");
  check_team_barrier(SHMEM_TEAM_WORLD, 0, 3);
  check_team_barrier(SHMEM_TEAM_SHARED,
                     shmem_team_translate_pe(SHMEM_TEAM_SHARED, 0, SHMEM_TEAM_WORLD), 3);
  shmem_team_destroy(SHMEM_TEAM_INVALID); /* a no-op */
}

static void test_strided_all(void) {
  for (int stride = 1; stride <= 2; ++stride)
    for (int start = 0; start < npes; ++start)
      for (int size = 1; start + (size - 1) * stride < npes; ++size) {
        shmem_team_t t = SHMEM_TEAM_WORLD; /* must be overwritten */
        shmem_team_config_t cfg = {size + 2};
        int rc = shmem_team_split_strided(SHMEM_TEAM_WORLD, start, stride, size, &cfg,
                                          SHMEM_TEAM_NUM_CONTEXTS, &t);
        CHECK(rc == 0, "split (%d,%d,%d) rc %d", start, stride, size, rc);
        check_strided_team(t, start, stride, size);
        if (t != SHMEM_TEAM_INVALID) {
          shmem_team_config_t got = {0};
          CHECK(shmem_team_get_config(t, SHMEM_TEAM_NUM_CONTEXTS, &got) == 0, "get_config");
          CHECK(got.num_contexts == size + 2, "num_contexts %d", got.num_contexts);
          check_team_barrier(t, start, 2);
        }
        shmem_team_destroy(t);
      }
  shmem_barrier_all();
}

static void test_bad_triples(void) {
  struct { int start, stride, size; } bad[] = {
      {0, 1, 0},        {0, 1, -1},        {npes, 1, 1},   {-1, 1, 1},
      {0, 1, npes + 1}, {0, 2, npes + 1},  {npes - 1, 1, 2}, {0, 0, 2},
      {0, npes, 2},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    shmem_team_t t = SHMEM_TEAM_WORLD;
    int rc = shmem_team_split_strided(SHMEM_TEAM_WORLD, bad[i].start, bad[i].stride,
                                      bad[i].size, NULL, 0, &t);
    CHECK(rc != 0, "bad triple (%d,%d,%d) accepted", bad[i].start, bad[i].stride,
          bad[i].size);
    CHECK(t == SHMEM_TEAM_INVALID, "bad triple gives a team");
  }
  shmem_team_t t = SHMEM_TEAM_WORLD;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_INVALID, 0, 1, 1, NULL, 0, &t) != 0 &&
            t == SHMEM_TEAM_INVALID,
        "split of INVALID");
  /* The stride of a one-PE team is irrelevant. */
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, npes - 1, 0, 1, NULL, 0, &t) == 0,
        "size 1 with stride 0");
  CHECK((me == npes - 1) == (t != SHMEM_TEAM_INVALID), "one-PE team membership");
  if (t != SHMEM_TEAM_INVALID) {
    CHECK(shmem_team_n_pes(t) == 1 && shmem_team_my_pe(t) == 0, "one-PE team queries");
    CHECK(shmem_team_sync(t) == 0, "sync of a one-PE team");
    shmem_team_destroy(t);
  }
  shmem_barrier_all();
}

/* 2-D split of a parent whose member i is world pstart + i * pstride. */
static void test_2d(shmem_team_t parent, int pstart, int pstride, int xrange) {
  shmem_team_t xt = SHMEM_TEAM_INVALID, yt = SHMEM_TEAM_INVALID;
  int rc = shmem_team_split_2d(parent, xrange, NULL, 0, &xt, NULL, 0, &yt);
  if (parent == SHMEM_TEAM_INVALID) {
    CHECK(rc != 0 && xt == SHMEM_TEAM_INVALID && yt == SHMEM_TEAM_INVALID, "2d of INVALID");
    return;
  }
  CHECK(rc == 0, "split_2d xrange %d rc %d", xrange, rc);
  int n = shmem_team_n_pes(parent), p = shmem_team_my_pe(parent);
  int xr = xrange < n ? xrange : n;
  int row = p / xr, col = p % xr;
  int xsize = n - row * xr < xr ? n - row * xr : xr;
  int ysize = (n - col + xr - 1) / xr;
  CHECK(xt != SHMEM_TEAM_INVALID && yt != SHMEM_TEAM_INVALID, "2d teams");
  CHECK(shmem_team_n_pes(xt) == xsize, "x size %d, expected %d (xrange %d)",
        shmem_team_n_pes(xt), xsize, xrange);
  CHECK(shmem_team_my_pe(xt) == col, "x my_pe %d, expected %d", shmem_team_my_pe(xt), col);
  CHECK(shmem_team_n_pes(yt) == ysize, "y size %d, expected %d (xrange %d)",
        shmem_team_n_pes(yt), ysize, xrange);
  CHECK(shmem_team_my_pe(yt) == row, "y my_pe %d, expected %d", shmem_team_my_pe(yt), row);
  for (int j = 0; j < xsize; ++j) {
    int pp = row * xr + j;
    CHECK(shmem_team_translate_pe(xt, j, parent) == pp, "x->parent");
    CHECK(shmem_team_translate_pe(parent, pp, xt) == j, "parent->x");
    CHECK(shmem_team_translate_pe(xt, j, SHMEM_TEAM_WORLD) == pstart + pp * pstride,
          "x->world");
  }
  for (int j = 0; j < ysize; ++j) {
    int pp = col + j * xr;
    CHECK(shmem_team_translate_pe(yt, j, parent) == pp, "y->parent");
    CHECK(shmem_team_translate_pe(parent, pp, yt) == j, "parent->y");
    CHECK(shmem_team_translate_pe(SHMEM_TEAM_WORLD, pstart + pp * pstride, yt) == j,
          "world->y");
  }
  /* x and y teams translate into each other through their shared PE. */
  CHECK(shmem_team_translate_pe(xt, col, yt) == row, "x->y of self");
  check_team_barrier(xt, pstart + row * xr * pstride, 2);
  check_team_barrier_on(yt, pstart + col * pstride, 2, &counters[1]);
  shmem_team_destroy(xt);
  shmem_team_destroy(yt);
}

static void test_nested(void) {
  /* Even world PEs, then the second half of those. */
  shmem_team_t even = SHMEM_TEAM_INVALID, sub = SHMEM_TEAM_INVALID;
  int neven = (npes + 1) / 2;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, neven, NULL, 0, &even) == 0, "even");
  check_strided_team(even, 0, 2, neven);
  if (even != SHMEM_TEAM_INVALID) {
    int start = neven / 2, size = neven - neven / 2;
    CHECK(shmem_team_split_strided(even, start, 1, size, NULL, 0, &sub) == 0, "sub");
    check_strided_team(sub, 2 * start, 2, size);
    if (sub != SHMEM_TEAM_INVALID) {
      CHECK(shmem_team_translate_pe(sub, 0, even) == start, "sub->even");
      CHECK(shmem_team_translate_pe(even, start, sub) == 0, "even->sub");
      check_team_barrier(sub, 2 * start, 2);
    }
    shmem_team_destroy(sub);
    for (int xr = 1; xr <= 3; ++xr) test_2d(even, 0, 2, xr);
    shmem_team_destroy(even);
  } else {
    CHECK(sub == SHMEM_TEAM_INVALID, "non-member");
  }
  shmem_barrier_all();
}

/* More cycles than slots: every cycle makes a team of all PEs and one of
 * the odd PEs, syncs on both, and destroys them. */
static void test_recycling(void) {
  for (int cycle = 0; cycle < 150; ++cycle) {
    shmem_team_t all = SHMEM_TEAM_INVALID, odd = SHMEM_TEAM_INVALID;
    CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes, NULL, 0, &all) == 0,
          "cycle %d: all", cycle);
    if (npes > 1) {
      CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 1, 2, npes / 2, NULL, 0, &odd) == 0,
            "cycle %d: odd", cycle);
    }
    check_team_barrier(all, 0, 1 + cycle % 3);
    if (odd != SHMEM_TEAM_INVALID) check_team_barrier(odd, 1, 1 + cycle % 2);
    shmem_team_destroy(odd);
    shmem_team_destroy(all);
  }
  shmem_barrier_all();
}

/* Hold teams until the library runs out (it may), then release them all
 * and check that splitting works again. */
static void test_many_live(void) {
  enum { MAXT = 100 };
  shmem_team_t teams[MAXT];
  int k = 0;
  for (; k < MAXT; ++k) {
    int rc = shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes, NULL, 0, &teams[k]);
    if (rc != 0) {
      CHECK(teams[k] == SHMEM_TEAM_INVALID, "failed split must give INVALID");
      break;
    }
    CHECK(shmem_team_n_pes(teams[k]) == npes, "live team %d", k);
  }
  CHECK(k >= 32, "only %d live teams", k);
  for (int i = 0; i < k; ++i) shmem_team_sync(teams[i]);
  for (int i = k - 1; i >= 0; --i) check_team_barrier(teams[i], 0, 1);
  for (int i = 0; i < k; ++i) shmem_team_destroy(teams[i]);
  shmem_team_t t;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes, NULL, 0, &t) == 0,
        "split after release");
  check_team_barrier(t, 0, 2);
  shmem_team_destroy(t);
  shmem_barrier_all();
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  test_predefined();
  test_strided_all();
  test_bad_triples();
  for (int xr = 1; xr <= 3; ++xr) test_2d(SHMEM_TEAM_WORLD, 0, 1, xr);
  test_2d(SHMEM_TEAM_WORLD, 0, 1, npes + 2);
  test_nested();
  test_recycling();
  test_many_live();
  shmem_finalize();
  return 0;
}
