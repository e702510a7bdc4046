// core/team.hpp - teams and contexts, first-class in the core.
//
// A team is an arithmetic progression of world PEs (start, stride, size)
// plus a slot in every PE's control block for its synchronization words.
// A context names a team and its options; a transport that tracks the
// completion of its operations per context keeps that state itself
// (Transport::ctx_create); the shm transport completes them at once.
#pragma once
#include <cstdint>

#include "../../../include/shmem.h"
#include "state.hpp"

struct shmemi_team {
  int start = 0, stride = 1, size = 1; // world PEs start + i*stride, i < size
  int my_pe = -1;                       // this PE's number in the team
  int slot = 0;                         // index into Control::team
  uint64_t sync_epoch = 0;              // barriers done on this team
  uint64_t coll_epoch = 0;              // data collectives done on this team
  uint64_t calls = 0;                   // collective calls on this team (messages)
  shmem_team_config_t config{0};
  long config_mask = 0;
  bool predefined = false;              // WORLD and SHARED are never destroyed
  // The network transport's handle of the members (MPI: a communicator),
  // whose collectives serve the team in a job of several nodes
  // (coll_net.hpp); null where the core's algorithms do.
  void *net = nullptr;
  int world_pe(int team_pe) const { return start + team_pe * stride; }
  // This PE's synchronization words of the team (a peer's copy of a word
  // is reached through core/route.hpp).
  shmemi::TeamSync &my_words() const { return shmemi::g.my_ctrl()->team[slot]; }
};

struct shmemi_ctx {
  shmemi_team *team = nullptr;
  long options = 0;
  bool predefined = false;
  // A communication session (1.6): hints only.  Every RMA of the shm path
  // is already complete when it returns, so there is nothing to batch; the
  // hints are kept for a transport that can use them.
  bool in_session = false;
  long session_options = 0;
  size_t session_total_ops = SIZE_MAX;
};

namespace shmemi {

extern shmemi_team team_world, team_shared;
extern shmemi_ctx ctx_default;

void teams_init();
// Diagnoses a context handle that names no live context: SHMEM_CTX_INVALID
// (whose use in RMA and AMO routines the specification leaves undefined) or
// a destroyed context.
[[noreturn]] void bad_ctx(const char *routine, shmem_ctx_t ctx);

// The world PE addressed by `pe` through a context (team-relative).
SHMEMI_HOT int ctx_pe(const char *routine, shmem_ctx_t ctx, int pe) {
  if (__builtin_expect(ctx == &ctx_default, 1)) return pe;
  if (__builtin_expect(ctx == nullptr || ctx->team == nullptr, 0)) bad_ctx(routine, ctx);
  if (static_cast<unsigned>(pe) >= static_cast<unsigned>(ctx->team->size)) {
    require_init(routine);
    fatal(routine, "PE %d is out of range for the context's team of %d PEs", pe,
          ctx->team->size);
  }
  return ctx->team->world_pe(pe);
}

// Barrier over the members of a team (dissemination: ceil(log2 n) rounds,
// each PE signals one partner per round and waits on its own word).
// `kind` (call_id.hpp) names the collective call it belongs to; a member in
// another collective is diagnosed.
void team_sync(shmemi_team *t, uint32_t kind);
// shmem_team_destroy is collective but does not synchronize: it signals
// the first-round partner as a barrier would, with its identity, so that a
// member waiting in a collective on the team meanwhile is diagnosed (on the
// network transport's collectives, the members agree on the call instead).
void team_mark_destroy(shmemi_team *t, uint32_t kind);
// Counts a collective call on t, for the messages; returns t.
inline shmemi_team *begin_call(shmemi_team *t) {
  ++t->calls;
  return t;
}

} // namespace shmemi
