// core/team.cpp - predefined teams and the dissemination barrier.
#include "team.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "call_id.hpp"
#include "coll_net.hpp"
#include "route.hpp"

namespace shmemi {

shmemi_team team_world, team_shared;
shmemi_ctx ctx_default;

void teams_init() {
  team_world = shmemi_team{};
  team_world.size = g.npes;
  team_world.my_pe = g.me;
  team_world.slot = 0;
  team_world.predefined = true;
  // SHARED: the PEs whose memory this PE reaches by loads and stores
  // (shmem_ptr gives a pointer), with its own synchronization slot.  Its
  // members see the same set (a node), taken as the progression it forms;
  // one that is not a progression (never so far) leaves this PE alone.
  team_shared = team_world;
  team_shared.slot = 1;
  if (!g.all_load_store) {
    int first = -1, second = -1, count = 0;
    for (int pe = 0; pe < g.npes; ++pe)
      if (g.reach[pe] & kReachLoadStore) {
        if (first < 0) first = pe;
        else if (second < 0) second = pe;
        ++count;
      }
    const int stride = second < 0 ? 1 : second - first;
    bool progression = count > 0;
    for (int k = 0; k < count && progression; ++k)
      progression = g.reach[first + k * stride] & kReachLoadStore;
    if (progression) {
      team_shared.start = first;
      team_shared.stride = stride;
      team_shared.size = count;
      team_shared.my_pe = (g.me - first) / stride;
    } else {
      team_shared.start = g.me;
      team_shared.stride = 1;
      team_shared.size = 1;
      team_shared.my_pe = 0;
    }
  }
  ctx_default = shmemi_ctx{&team_world, 0, true};
  coll::net::teams_init(team_world, team_shared);
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
  // A team on the network transport's collectives has no barrier words to
  // signal: its members agree on the call (a member still in another
  // collective on it is diagnosed), which synchronizes them too.
  if (t->net) return coll::net::sync(t, kind);
  // The epoch is used up, so a later team on this slot starts above it.
  const uint64_t epoch = ++t->sync_epoch;
  const int to = t->world_pe((t->my_pe + 1) % t->size);
  BarrierWord &w = t->my_words().barrier[0];
  word_store<std::memory_order_relaxed>(to, &w.ident[epoch & 1], (epoch << 32) | kind);
  word_store(to, &w.value, epoch);
}

void team_sync(shmemi_team *t, uint32_t kind) {
  const int n = t->size;
  if (n <= 1) return;
  if (t->net) return coll::net::sync(t, kind);
  const uint64_t epoch = ++t->sync_epoch;
  const uint64_t ident = (epoch << 32) | kind;
  TeamSync &mine = t->my_words();
  for (int round = 0, dist = 1; dist < n; ++round, dist <<= 1) {
    int partner = t->world_pe((t->my_pe + dist) % n);
    // The partner's copy of this PE's words: same offsets on every PE.
    BarrierWord &theirs = mine.barrier[round];
    if (round == 0)
      word_store<std::memory_order_relaxed>(partner, &theirs.ident[epoch & 1], ident);
    word_store(partner, &theirs.value, epoch);
    std::atomic_ref<uint64_t> own(mine.barrier[round].value);
    // The PE that signals this one in this round; once it has finalized,
    // its signal is either here already or never coming.
    int from = t->world_pe((t->my_pe - dist % n + n) % n);
    if (own.load(std::memory_order_acquire) < epoch) {
      struct {
        int pe;
        uint64_t load() const { return word_load(pe, &g.my_ctrl()->finalized); }
      } gone{from};
      auto describe = [&](char *b, size_t len) {
        char team[128];
        team_name(t, team, sizeof team);
        snprintf(b, len, "%s on %s (call #%llu), waiting for PE %d (barrier round %d)",
                 call_name(kind, g.me), team, (unsigned long long)t->calls, from, round);
      };
      wait_for(
          [&] {
            if (own.load(std::memory_order_acquire) >= epoch) return true;
            uint64_t left = gone.load();
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
