/* test_team_churn.c - creating and destroying contexts and teams many
 * times keeps the memory of the PE bounded: destroyed handles are freed
 * (after a short quarantine that keeps use-after-destroy diagnosed).
 * 100000 context cycles and TEAM_CYCLES team cycles (a split of WORLD, a
 * context on it, a collective on it, destroy); the resident set may grow
 * by less than GROWTH_LIMIT over each phase, where keeping every handle
 * would take several megabytes.  Each team is also used, so a freed team
 * that were still referenced would show as a wrong result (or under
 * AddressSanitizer, as a use after free).  Under AddressSanitizer freed
 * memory sits in its quarantine, so the resident set grows anyway: there
 * LeakSanitizer checks instead, at exit, that no handle was lost. */
#include <shmem.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

#define CTX_CYCLES 100000
#define TEAM_CYCLES 20000
#define GROWTH_LIMIT (1024L * 1024)

#if defined(__SANITIZE_ADDRESS__)
#define RSS_CHECKED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RSS_CHECKED 0
#endif
#endif
#ifndef RSS_CHECKED
#define RSS_CHECKED 1
#endif

static long resident_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size = 0, resident = 0;
  CHECK(f != NULL, "cannot open /proc/self/statm");
  CHECK(fscanf(f, "%ld %ld", &size, &resident) == 2, "cannot read /proc/self/statm");
  fclose(f);
  return resident * sysconf(_SC_PAGESIZE);
}

static void ctx_cycles(int n) {
  for (int i = 0; i < n; ++i) {
    shmem_ctx_t ctx;
    CHECK(shmem_ctx_create(SHMEM_CTX_PRIVATE, &ctx) == 0, "ctx_create failed at cycle %d", i);
    shmem_ctx_quiet(ctx);
    shmem_ctx_destroy(ctx);
  }
}

static long *counter;

/* One team cycle: the even PEs of WORLD (every PE when there is one),
 * a context on the team, an AMO through it and a team barrier. */
static void team_cycles(int n, int me, int npes) {
  const int size = npes > 1 ? (npes + 1) / 2 : 1;
  const int stride = npes > 1 ? 2 : 1;
  for (int i = 0; i < n; ++i) {
    shmem_team_t team;
    CHECK(shmem_team_split_strided(SHMEM_TEAM_WORLD, 0, stride, size, NULL, 0, &team) == 0,
          "split failed at cycle %d", i);
    if (me % stride == 0) {
      CHECK(team != SHMEM_TEAM_INVALID, "member got SHMEM_TEAM_INVALID at cycle %d", i);
      CHECK(shmem_team_n_pes(team) == size, "team of %d PEs, not %d", shmem_team_n_pes(team),
            size);
      shmem_ctx_t ctx;
      CHECK(shmem_team_create_ctx(team, 0, &ctx) == 0, "team_create_ctx failed");
      shmem_ctx_long_atomic_inc(ctx, counter, 0); /* team PE 0 = world PE 0 */
      shmem_ctx_destroy(ctx);
      shmem_team_sync(team);
      shmem_team_destroy(team);
    } else {
      CHECK(team == SHMEM_TEAM_INVALID, "non-member got a team at cycle %d", i);
    }
  }
}

int main(void) {
  shmem_init();
  int me = check_pe(), npes = shmem_n_pes();
  counter = shmem_calloc(1, sizeof(long));
  CHECK(counter != NULL, "shmem_calloc failed");

  /* Warm up: the allocator's arenas, the quarantine and the slot state
   * reach their steady size first. */
  ctx_cycles(1000);
  team_cycles(200, me, npes);
  shmem_barrier_all();

  long before = resident_bytes();
  ctx_cycles(CTX_CYCLES);
  long after_ctx = resident_bytes();
  CHECK(!RSS_CHECKED || after_ctx - before < GROWTH_LIMIT,
        "%d context create/destroy cycles grew the resident set by %ld bytes", CTX_CYCLES,
        after_ctx - before);

  team_cycles(TEAM_CYCLES, me, npes);
  long after_team = resident_bytes();
  CHECK(!RSS_CHECKED || after_team - after_ctx < GROWTH_LIMIT,
        "%d team split/destroy cycles grew the resident set by %ld bytes", TEAM_CYCLES,
        after_team - after_ctx);

  shmem_barrier_all();
  if (me == 0) {
    const int members = npes > 1 ? (npes + 1) / 2 : 1;
    const long want = (long)members * (200 + TEAM_CYCLES);
    CHECK(*counter == want, "counter is %ld, want %ld", *counter, want);
  }
  shmem_free(counter);
  shmem_finalize();
  return 0;
}
