// core/team.cpp - predefined teams and the dissemination barrier.
#include "team.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "call_id.hpp"

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

void bad_ctx(const char *routine, shmem_ctx_t ctx) {
  require_init(routine);
  if (ctx == SHMEM_CTX_INVALID)
    fatal(routine, "ctx is SHMEM_CTX_INVALID (a context that failed to be created, "
                   "or one made from a team this PE is not a member of)");
  fatal(routine, "the context was destroyed (shmem_ctx_destroy, or shmem_team_destroy "
                 "of its team) and cannot be used");
}

void team_mark_destroy(shmemi_team *t, uint32_t kind) {
  if (t->size <= 1) return;
  // The epoch is used up, so a later team on this slot starts above it.
  const uint64_t epoch = ++t->sync_epoch;
  BarrierWord &w = t->sync_words(t->world_pe((t->my_pe + 1) % t->size)).barrier[0];
  std::atomic_ref<uint64_t>(w.ident[epoch & 1]).store((epoch << 32) | kind,
                                                      std::memory_order_relaxed);
  std::atomic_ref<uint64_t>(w.value).store(epoch, std::memory_order_release);
}

void team_sync(shmemi_team *t, uint32_t kind) {
  const int n = t->size;
  if (n <= 1) return;
  const uint64_t epoch = ++t->sync_epoch;
  const uint64_t ident = (epoch << 32) | kind;
  TeamSync &mine = t->sync_words(g.me);
  for (int round = 0, dist = 1; dist < n; ++round, dist <<= 1) {
    int partner = t->world_pe((t->my_pe + dist) % n);
    BarrierWord &theirs = t->sync_words(partner).barrier[round];
    if (round == 0)
      std::atomic_ref<uint64_t>(theirs.ident[epoch & 1]).store(ident, std::memory_order_relaxed);
    std::atomic_ref<uint64_t>(theirs.value).store(epoch, std::memory_order_release);
    std::atomic_ref<uint64_t> own(mine.barrier[round].value);
    // The PE that signals this one in this round; once it has finalized,
    // its signal is either here already or never coming.
    int from = t->world_pe((t->my_pe - dist % n + n) % n);
    if (own.load(std::memory_order_acquire) < epoch) {
      std::atomic_ref<uint64_t> gone(g.ctrl[from]->finalized);
      auto describe = [&](char *b, size_t len) {
        char team[128];
        team_name(t, team, sizeof team);
        snprintf(b, len, "%s on %s (call #%llu), waiting for PE %d (barrier round %d)",
                 call_name(kind, g.me), team, (unsigned long long)t->calls, from, round);
      };
      wait_for(
          [&] {
            if (own.load(std::memory_order_acquire) >= epoch) return true;
            uint64_t left = gone.load(std::memory_order_acquire);
            if (left && own.load(std::memory_order_acquire) >= epoch) return true;
            if (left == kLeftByExit) {
              // It exited, maybe failing: give the launcher time to report that
              // first and end the job; diagnose only if the job goes on.
              // Half a second: the launcher reacts within milliseconds, and
              // the job must end within 2 s of the exit either way.
              for (int i = 0; i < 50 && own.load(std::memory_order_acquire) < epoch; ++i)
                usleep(10000);
              if (own.load(std::memory_order_acquire) >= epoch) return true;
            }
            if (left)
              fatal("shmem_barrier_all/shmem_team_sync",
                    "PE %d has called shmem_finalize while this PE waits for it in a barrier: "
                    "the PEs' barriers and collectives are out of step",
                    from);
            return false;
          },
          nullptr, describe);
    }
    if (round == 0) {
      // Acquired with the signal: the signaller's identity of this epoch (a
      // signaller one barrier ahead wrote the other parity).
      uint64_t got = std::atomic_ref<uint64_t>(mine.barrier[0].ident[epoch & 1])
                         .load(std::memory_order_relaxed);
      if (__builtin_expect(got != ident, 0) && (got >> 32) == (epoch & 0xffffffffu) &&
          !same_call(static_cast<uint32_t>(got), kind))
        collective_mismatch(t, from, kind, static_cast<uint32_t>(got));
    }
  }
}

} // namespace shmemi
