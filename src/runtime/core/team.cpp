// core/team.cpp - predefined teams and the dissemination barrier.
#include "team.hpp"

#include <atomic>

namespace shmemi {

shmemi_team team_world, team_shared;
shmemi_ctx ctx_default;

void teams_init() {
  team_world = shmemi_team{};
  team_world.size = g.npes;
  team_world.my_pe = g.me;
  team_world.slot = 0;
  team_world.predefined = true;
  // The shm transport puts every PE on one node: SHARED spans WORLD, with
  // its own synchronization slot.
  team_shared = team_world;
  team_shared.slot = 1;
  ctx_default = shmemi_ctx{&team_world, 0, true};
}

void bad_ctx(const char *routine) {
  require_init(routine);
  fatal(routine, "the context is SHMEM_CTX_INVALID or was destroyed");
}

void team_sync(shmemi_team *t) {
  const int n = t->size;
  if (n <= 1) return;
  const uint64_t epoch = ++t->sync_epoch;
  TeamSync &mine = t->sync_words(g.me);
  for (int round = 0, dist = 1; dist < n; ++round, dist <<= 1) {
    int partner = t->world_pe((t->my_pe + dist) % n);
    std::atomic_ref<uint64_t>(t->sync_words(partner).barrier[round].value)
        .store(epoch, std::memory_order_release);
    std::atomic_ref<uint64_t> own(mine.barrier[round].value);
    wait_for([&] { return own.load(std::memory_order_acquire) >= epoch; });
  }
}

} // namespace shmemi
