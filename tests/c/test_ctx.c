/* test_ctx.c - contexts: create/destroy/get_team, options, contexts of
 * teams addressing PEs team-relatively (RMA and AMOs), ctx_fence/ctx_quiet,
 * put-with-signal through a team context, and many create/destroy cycles. */
#include <shmem.h>
#include <string.h>

#include "check.h"

static int me, npes;
static long box[8];     /* bss */
static long counter;
static uint64_t signal_word;

static void test_world_ctx(void) {
  shmem_ctx_t ctx = SHMEM_CTX_INVALID;
  CHECK(shmem_ctx_create(0, &ctx) == 0 && ctx != SHMEM_CTX_INVALID, "ctx_create");
  shmem_team_t t = SHMEM_TEAM_INVALID;
  CHECK(shmem_ctx_get_team(ctx, &t) == 0 && t == SHMEM_TEAM_WORLD, "ctx team is WORLD");
  CHECK(shmem_ctx_get_team(SHMEM_CTX_DEFAULT, &t) == 0 && t == SHMEM_TEAM_WORLD,
        "default ctx team");
  t = SHMEM_TEAM_WORLD;
  CHECK(shmem_ctx_get_team(SHMEM_CTX_INVALID, &t) != 0 && t == SHMEM_TEAM_INVALID,
        "get_team of INVALID");

  /* RMA ring through the context, world-relative. */
  int right = (me + 1) % npes;
  long v = 1000 + me;
  shmem_ctx_long_put(ctx, &box[0], &v, 1, right);
  shmem_ctx_long_p(ctx, &box[1], 2000 + me, right);
  shmem_ctx_quiet(ctx);
  shmem_barrier_all();
  int left = (me + npes - 1) % npes;
  CHECK(box[0] == 1000 + left && box[1] == 2000 + left, "ctx put got %ld %ld", box[0],
        box[1]);
  CHECK(shmem_ctx_long_g(ctx, &box[0], right) == 1000 + me, "ctx g");
  shmem_ctx_long_atomic_add(ctx, &counter, 3, 0);
  shmem_ctx_fence(ctx);
  shmem_ctx_long_atomic_inc(ctx, &counter, 0);
  shmem_ctx_quiet(ctx);
  shmem_barrier_all();
  if (me == 0) CHECK(counter == 4L * npes, "ctx AMOs gave %ld", counter);
  shmem_barrier_all();
  counter = 0;
  shmem_ctx_destroy(ctx);
  shmem_ctx_destroy(SHMEM_CTX_INVALID); /* no-op */
  shmem_barrier_all();
}

static void test_options(void) {
  long ok[] = {SHMEM_CTX_SERIALIZED, SHMEM_CTX_PRIVATE, SHMEM_CTX_NOSTORE,
               SHMEM_CTX_SERIALIZED | SHMEM_CTX_PRIVATE | SHMEM_CTX_NOSTORE};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; ++i) {
    shmem_ctx_t c = SHMEM_CTX_INVALID;
    CHECK(shmem_ctx_create(ok[i], &c) == 0 && c != SHMEM_CTX_INVALID, "option %ld", ok[i]);
    shmem_ctx_int_atomic_inc(c, (int *)&box[7], me);
    shmem_ctx_destroy(c);
  }
  CHECK(box[7] == 4, "option ctx AMOs %ld", box[7]);
  box[7] = 0;
  shmem_ctx_t c = SHMEM_CTX_DEFAULT;
  CHECK(shmem_ctx_create(1L << 20, &c) != 0 && c == SHMEM_CTX_INVALID, "unknown option");
  c = SHMEM_CTX_DEFAULT;
  CHECK(shmem_team_create_ctx(SHMEM_TEAM_INVALID, 0, &c) != 0 && c == SHMEM_CTX_INVALID,
        "ctx on INVALID team");
  CHECK(shmem_team_create_ctx(SHMEM_TEAM_SHARED, 0, &c) == 0, "ctx on SHARED");
  shmem_team_t t;
  CHECK(shmem_ctx_get_team(c, &t) == 0 && t == SHMEM_TEAM_SHARED, "SHARED ctx team");
  shmem_ctx_destroy(c);
  /* Many cycles. */
  for (int i = 0; i < 2000; ++i) {
    CHECK(shmem_ctx_create(SHMEM_CTX_PRIVATE, &c) == 0, "cycle %d", i);
    shmem_ctx_destroy(c);
  }
  shmem_barrier_all();
}

/* A team of the odd world PEs (PE 0 alone with one PE): team PE i is
 * world PE 1 + 2i. */
static void test_team_ctx(void) {
  int start = npes > 1 ? 1 : 0, stride = 2, size = npes > 1 ? npes / 2 : 1;
  shmem_team_t team;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, start, stride, size, NULL, 0, &team) == 0,
        "split");
  if (team != SHMEM_TEAM_INVALID) {
    shmem_ctx_t ctx;
    CHECK(shmem_team_create_ctx(team, SHMEM_CTX_SERIALIZED, &ctx) == 0, "team ctx");
    shmem_team_t got;
    CHECK(shmem_ctx_get_team(ctx, &got) == 0 && got == team, "ctx_get_team");
    int tme = shmem_team_my_pe(team), tn = shmem_team_n_pes(team);
    int tright = (tme + 1) % tn, tleft = (tme + tn - 1) % tn;
    /* Puts, gets and AMOs address team PEs. */
    long v[2] = {10 * me + 1, 10 * me + 2};
    shmem_ctx_long_put(ctx, &box[2], v, 2, tright);
    shmem_ctx_putmem(ctx, &box[4], &v[0], sizeof(long), tright);
    shmem_ctx_long_atomic_add(ctx, &counter, me + 1, 0); /* team PE 0 = world start */
    shmem_ctx_uint64_put_signal(ctx, (uint64_t *)&box[5], (uint64_t *)&v[1], 1, &signal_word,
                                1, SHMEM_SIGNAL_ADD, tright);
    shmem_ctx_quiet(ctx);
    shmem_team_sync(team);
    int wleft = start + tleft * stride;
    CHECK(box[2] == 10 * wleft + 1 && box[3] == 10 * wleft + 2, "team ctx put got %ld %ld",
          box[2], box[3]);
    CHECK(box[4] == 10 * wleft + 1, "team ctx putmem %ld", box[4]);
    shmem_uint64_wait_until(&signal_word, SHMEM_CMP_GE, 1);
    CHECK((long)box[5] == 10 * wleft + 2, "put_signal data %ld", box[5]);
    CHECK(shmem_ctx_long_g(ctx, &box[2], tright) == 10 * me + 1, "team ctx g");
    long f = shmem_ctx_long_atomic_fetch(ctx, &counter, 0);
    long expect = 0;
    for (int i = 0; i < tn; ++i) expect += start + i * stride + 1;
    CHECK(f == expect, "team ctx AMO total %ld, expected %ld", f, expect);
    /* A fetching AMO on the right neighbour's (team-relative) box. */
    shmem_team_sync(team);
    long old = shmem_ctx_long_atomic_fetch_add(ctx, &box[6], 1, tright);
    CHECK(old >= 0 && old < tn + 1, "fetch_add old %ld", old);
    shmem_team_sync(team);
    CHECK(box[6] == 1, "box[6] %ld", box[6]);
    shmem_ctx_destroy(ctx);

    /* Destroying the team ends its remaining contexts; destroying such a
     * context afterwards is harmless. */
    shmem_ctx_t orphan;
    CHECK(shmem_team_create_ctx(team, 0, &orphan) == 0, "second team ctx");
    shmem_team_destroy(team);
    shmem_ctx_destroy(orphan);
  }
  shmem_barrier_all();
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  test_world_ctx();
  test_options();
  test_team_ctx();
  shmem_finalize();
  return 0;
}
