/* test_invalid_handles.c - what OpenSHMEM 1.5 defines for SHMEM_CTX_INVALID
 * and SHMEM_TEAM_INVALID, routine by routine:
 *
 *   shmem_ctx_quiet, shmem_ctx_fence, shmem_ctx_destroy  no operation
 *   shmem_ctx_get_team          team = SHMEM_TEAM_INVALID, returns nonzero
 *   shmem_team_create_ctx       ctx = SHMEM_CTX_INVALID, returns nonzero
 *   shmem_team_my_pe, shmem_team_n_pes                   -1
 *   shmem_team_get_config       no operation, returns nonzero
 *   shmem_team_translate_pe     -1 when either team is invalid
 *   shmem_team_split_strided    new_team = SHMEM_TEAM_INVALID, nonzero
 *   shmem_team_split_2d         both teams SHMEM_TEAM_INVALID, nonzero
 *   shmem_team_destroy          no operation
 *   shmem_team_ptr (1.6)        a null pointer
 *
 * None of these is collective on an invalid parent: only some PEs call the
 * splits, which would hang if they waited for the others.  The second part
 * runs the specification's own pattern: PEs outside a team get
 * SHMEM_TEAM_INVALID, make a context from it, quiet it and destroy both,
 * while the members communicate through theirs.  The behaviour left
 * undefined (RMA or AMO on SHMEM_CTX_INVALID, collectives on
 * SHMEM_TEAM_INVALID) is diagnosed: tests/test_misuse_collectives.py. */
#include <shmem.h>
#include <string.h>

#include "check.h"

static long ring[1];
static int counter;

static void check_invalid_ctx(void) {
  shmem_ctx_quiet(SHMEM_CTX_INVALID);
  shmem_ctx_fence(SHMEM_CTX_INVALID);
  shmem_ctx_destroy(SHMEM_CTX_INVALID);

  shmem_team_t t = SHMEM_TEAM_WORLD;
  CHECK(shmem_ctx_get_team(SHMEM_CTX_INVALID, &t) != 0,
        "shmem_ctx_get_team(SHMEM_CTX_INVALID) returned 0");
  CHECK(t == SHMEM_TEAM_INVALID, "shmem_ctx_get_team(SHMEM_CTX_INVALID) left team valid");

  /* The default context still works after all of that. */
  shmem_team_t w = SHMEM_TEAM_INVALID;
  CHECK(shmem_ctx_get_team(SHMEM_CTX_DEFAULT, &w) == 0 && w == SHMEM_TEAM_WORLD,
        "shmem_ctx_get_team(SHMEM_CTX_DEFAULT) is not SHMEM_TEAM_WORLD");
}

static void check_invalid_team(int me, int npes) {
  shmem_team_t T = SHMEM_TEAM_INVALID;
  CHECK(shmem_team_my_pe(T) == -1, "shmem_team_my_pe gave %d", shmem_team_my_pe(T));
  CHECK(shmem_team_n_pes(T) == -1, "shmem_team_n_pes gave %d", shmem_team_n_pes(T));

  shmem_team_config_t cfg;
  cfg.num_contexts = 77;
  CHECK(shmem_team_get_config(T, SHMEM_TEAM_NUM_CONTEXTS, &cfg) != 0,
        "shmem_team_get_config(SHMEM_TEAM_INVALID) returned 0");
  CHECK(cfg.num_contexts == 77, "shmem_team_get_config wrote %d into config",
        cfg.num_contexts);

  CHECK(shmem_team_translate_pe(T, 0, SHMEM_TEAM_WORLD) == -1,
        "translate_pe from SHMEM_TEAM_INVALID is not -1");
  CHECK(shmem_team_translate_pe(SHMEM_TEAM_WORLD, me, T) == -1,
        "translate_pe to SHMEM_TEAM_INVALID is not -1");
  CHECK(shmem_team_translate_pe(T, 0, T) == -1, "translate_pe between invalid teams");
  CHECK(shmem_team_translate_pe(SHMEM_TEAM_WORLD, me, SHMEM_TEAM_WORLD) == me,
        "translate_pe within SHMEM_TEAM_WORLD");

  shmem_ctx_t ctx = SHMEM_CTX_DEFAULT;
  CHECK(shmem_team_create_ctx(T, 0, &ctx) != 0,
        "shmem_team_create_ctx(SHMEM_TEAM_INVALID) returned 0");
  CHECK(ctx == SHMEM_CTX_INVALID, "shmem_team_create_ctx did not set SHMEM_CTX_INVALID");

  CHECK(shmem_team_ptr(T, ring, me) == NULL, "shmem_team_ptr(SHMEM_TEAM_INVALID) not NULL");

  /* Not collective: only every other PE splits the invalid team, and the
   * others do not take part. */
  if (me % 2 == 0) {
    shmem_team_t nt = SHMEM_TEAM_WORLD;
    CHECK(shmem_team_split_strided(T, 0, 1, npes, NULL, 0, &nt) != 0,
          "split_strided of SHMEM_TEAM_INVALID returned 0");
    CHECK(nt == SHMEM_TEAM_INVALID, "split_strided of SHMEM_TEAM_INVALID made a team");
    shmem_team_t xt = SHMEM_TEAM_WORLD, yt = SHMEM_TEAM_WORLD;
    CHECK(shmem_team_split_2d(T, 1, NULL, 0, &xt, NULL, 0, &yt) != 0,
          "split_2d of SHMEM_TEAM_INVALID returned 0");
    CHECK(xt == SHMEM_TEAM_INVALID && yt == SHMEM_TEAM_INVALID,
          "split_2d of SHMEM_TEAM_INVALID made a team");
  }
  shmem_team_destroy(T);
  shmem_barrier_all();
}

/* The specification's pattern: a team of the even PEs; the odd ones hold
 * SHMEM_TEAM_INVALID and run the same code without special cases. */
static void check_team_of_evens(int me, int npes) {
  const int nev = (npes + 1) / 2;
  shmem_team_t evens;
  shmem_team_config_t conf = {.num_contexts = 1};
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 2, nev, &conf,
                                 SHMEM_TEAM_NUM_CONTEXTS, &evens) == 0,
        "split of the even PEs failed");
  CHECK((evens != SHMEM_TEAM_INVALID) == (me % 2 == 0), "PE %d got the wrong handle", me);

  shmem_ctx_t ctx;
  int rc = shmem_team_create_ctx(evens, 0, &ctx);
  CHECK((rc == 0) == (me % 2 == 0), "shmem_team_create_ctx returned %d", rc);
  CHECK((ctx != SHMEM_CTX_INVALID) == (me % 2 == 0), "PE %d got the wrong context", me);

  shmem_team_t back;
  rc = shmem_ctx_get_team(ctx, &back);
  CHECK(back == evens && (rc == 0) == (me % 2 == 0),
        "shmem_ctx_get_team gave %p (rc %d) for a context of %p", (void *)back, rc,
        (void *)evens);

  ring[0] = -1;
  counter = 0;
  shmem_barrier_all();
  if (ctx != SHMEM_CTX_INVALID) {
    int tme = shmem_team_my_pe(evens), tn = shmem_team_n_pes(evens);
    CHECK(tme == me / 2 && tn == nev, "team PE %d of %d", tme, tn);
    shmem_ctx_long_p(ctx, ring, me, (tme + 1) % tn);
    shmem_ctx_int_atomic_add(ctx, &counter, me + 1, 0);
    CHECK(shmem_team_translate_pe(evens, tme, SHMEM_TEAM_WORLD) == me,
          "translate_pe of team PE %d", tme);
  } else {
    CHECK(shmem_team_translate_pe(SHMEM_TEAM_WORLD, me, evens) == -1,
          "translate_pe into the team of a non-member");
  }
  /* Every PE quiets and fences its context, valid or not. */
  shmem_ctx_fence(ctx);
  shmem_ctx_quiet(ctx);
  shmem_barrier_all();

  if (me % 2 == 0) {
    int left = ((me / 2) + nev - 1) % nev * 2;
    CHECK(ring[0] == left, "ring value %ld, expected %d", ring[0], left);
  } else {
    CHECK(ring[0] == -1, "a non-member received %ld", ring[0]);
  }
  if (me == 0) {
    int want = 0;
    for (int pe = 0; pe < npes; pe += 2) want += pe + 1;
    CHECK(counter == want, "counter %d, expected %d", counter, want);
  }

  shmem_ctx_destroy(ctx);
  shmem_team_destroy(evens);
  shmem_barrier_all();
}

/* A split that cannot be made (a PE triplet past the parent) gives
 * SHMEM_TEAM_INVALID and nonzero on every PE; the handle then behaves as
 * above. */
static void check_failed_split(int npes) {
  shmem_team_t t = SHMEM_TEAM_WORLD;
  CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, 1, npes + 1, NULL, 0, &t) != 0,
        "a split of %d PEs out of %d succeeded", npes + 1, npes);
  CHECK(t == SHMEM_TEAM_INVALID, "a failed split left a team");
  CHECK(shmem_team_n_pes(t) == -1, "n_pes of the failed split");
  shmem_team_destroy(t);
  shmem_barrier_all();
}

int main(void) {
  shmem_init();
  int me = check_pe(), npes = shmem_n_pes();
  check_invalid_ctx();
  check_invalid_team(me, npes);
  check_team_of_evens(me, npes);
  check_failed_split(npes);
  /* Still in a sane state: a world collective after all of the above. */
  shmem_barrier_all();
  shmem_finalize();
  return 0;
}
