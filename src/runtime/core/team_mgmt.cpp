// core/team_mgmt.cpp - team splits (with slot agreement), team destruction
// and contexts.  See team_mgmt.hpp for the slot protocol.
#include "team_mgmt.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "route.hpp"
#include "call_id.hpp"
#include "coll_net.hpp"

namespace shmemi {
namespace {

// Per-process slot bookkeeping, guarded by mtx (threads may create teams
// from different parents at once; the lock is never held across a sync).
std::mutex mtx;
uint64_t slot_used = 0b11;   // slots of the teams this PE holds (WORLD, SHARED)
uint64_t slot_reserved = 0;  // slots a split in progress is trying to take
uint64_t slot_epoch[kMaxTeams] = {}; // last epoch this PE used on each slot

// Contexts made by ctx_create (live and tombstones), and the tombstones
// whose team was destroyed under them (destroying those again is harmless).
std::unordered_set<shmemi_ctx *> contexts;
std::unordered_set<shmemi_ctx *> orphaned;
// Teams made by splits and not destroyed: the last shmem_finalize ends them.
std::unordered_set<shmemi_team *> live_teams;

constexpr uint64_t bit(int s) { return uint64_t{1} << s; }

// Destroyed teams and contexts stay as tombstones for the last kQuarantine
// destructions of each kind, so that a use of a recently destroyed handle
// is diagnosed instead of touching freed memory; older ones are freed, so
// that programs that create and destroy many keep a bounded footprint.
// Plain arrays, not containers: they stay valid through exit, where
// LeakSanitizer finds the tombstones reachable from them.
constexpr int kQuarantine = 64;
shmemi_team *dead_teams[kQuarantine] = {};
shmemi_ctx *dead_ctxs[kQuarantine] = {};
unsigned dead_team_next = 0, dead_ctx_next = 0;

// Both under mtx.
void bury_team(shmemi_team *t) {
  shmemi_team *&slot = dead_teams[dead_team_next++ % kQuarantine];
  delete slot;
  slot = t;
}
void bury_ctx(shmemi_ctx *c) {
  shmemi_ctx *&slot = dead_ctxs[dead_ctx_next++ % kQuarantine];
  if (slot) {
    contexts.erase(slot);
    delete slot;
  }
  slot = c;
}

void publish(shmemi_team *t, int word, uint64_t v) {
  std::atomic_ref<uint64_t>(t->my_words().scratch[word]).store(v, std::memory_order_relaxed);
}
uint64_t peek(shmemi_team *t, int member, int word) {
  return word_load<std::memory_order_relaxed>(t->world_pe(member), &t->my_words().scratch[word]);
}

// Collective over `parent`: agree on a slot free on every parent member and
// on the largest epoch any member used on it.  The chosen slot is left
// reserved on this PE (the caller turns the reservation into a use or drops
// it).  Returns -1 on every member when no slot is free, or when any
// member cannot take part (usable == false: a bad configuration), so that
// a split fails on every PE instead of leaving the others in a sync.
//
// Each scratch word is written before a sync and read by peers before their
// next sync, and a PE writes it again only after a later sync, so no read
// sees a value of another round.  A split running concurrently in another
// thread may take the slot between the two rounds; the PE where that
// happens reports a conflict and every member retries.
int agree_slot(shmemi_team *parent, bool usable, uint64_t *epoch, uint32_t kind) {
  for (int attempt = 0;; ++attempt) {
    uint64_t mask;
    {
      std::lock_guard<std::mutex> lk(mtx);
      mask = slot_used | slot_reserved;
    }
    publish(parent, scratch::kSplitMask, usable ? mask : ~uint64_t{0});
    team_sync(parent, kind);
    uint64_t all = 0;
    for (int i = 0; i < parent->size; ++i) all |= peek(parent, i, scratch::kSplitMask);
    if (all == ~uint64_t{0}) {
      team_sync(parent, kind); // keep the sync count of every member in step
      return -1;
    }
    const int s = __builtin_ctzll(~all);
    uint64_t conflict = 0, mine = 0;
    {
      std::lock_guard<std::mutex> lk(mtx);
      if ((slot_used | slot_reserved) & bit(s))
        conflict = 1;
      else
        slot_reserved |= bit(s);
      mine = slot_epoch[s];
    }
    publish(parent, scratch::kSplitConflict, conflict);
    publish(parent, scratch::kSplitEpoch, mine);
    team_sync(parent, kind);
    uint64_t any_conflict = 0, top = 0;
    for (int i = 0; i < parent->size; ++i) {
      any_conflict |= peek(parent, i, scratch::kSplitConflict);
      top = std::max(top, peek(parent, i, scratch::kSplitEpoch));
    }
    if (!any_conflict) {
      *epoch = top;
      return s;
    }
    if (!conflict) {
      std::lock_guard<std::mutex> lk(mtx);
      slot_reserved &= ~bit(s);
    }
    for (int k = 0; k <= (attempt % 8) * (g.me + 1); ++k) yield_core(0);
  }
}

bool config_ok(const shmem_team_config_t *config, long mask) {
  if (mask & ~SHMEM_TEAM_NUM_CONTEXTS) return false;
  if (mask && !config) return false;
  if ((mask & SHMEM_TEAM_NUM_CONTEXTS) && config->num_contexts < 0) return false;
  return true;
}

// Collective over `parent`.  Every parent member calls it; `member` says
// whether this PE belongs to the new team (members of different, disjoint
// teams made by one call share the slot, and differ in `color`).  The
// configuration matters to members only; a bad one on any member fails
// the split on every PE.
int make_team(shmemi_team *parent, bool member, int color, int world_start, int world_stride,
              int size, int my_index, const shmem_team_config_t *config, long mask,
              shmem_team_t *out, const char *routine) {
  uint64_t epoch = 0;
  int s = agree_slot(parent, !member || config_ok(config, mask), &epoch,
                     call_kind(routine));
  if (s < 0) {
    *out = SHMEM_TEAM_INVALID;
    return -1;
  }
  shmemi_team *t = nullptr;
  if (member) {
    t = new shmemi_team{};
    t->start = world_start;
    t->stride = size > 1 ? world_stride : 1;
    t->size = size;
    t->my_pe = my_index;
    t->slot = s;
    t->sync_epoch = epoch;
    t->coll_epoch = epoch;
    t->config_mask = mask;
    if (mask & SHMEM_TEAM_NUM_CONTEXTS) t->config.num_contexts = config->num_contexts;
  }
  coll::net::team_made(parent, t, color);
  {
    std::lock_guard<std::mutex> lk(mtx);
    slot_reserved &= ~bit(s);
    if (member) slot_used |= bit(s);
    if (t) live_teams.insert(t);
  }
  *out = t ? t : SHMEM_TEAM_INVALID;
  return 0;
}

} // namespace

bool live_team(const char *routine, shmem_team_t team) {
  require_init(routine);
  if (team == SHMEM_TEAM_INVALID) return false;
  if (team_destroyed(team))
    fatal(routine, "the team was destroyed (by shmem_team_destroy or the last shmem_finalize) and cannot be used");
  return true;
}

shmemi_team *check_team(const char *routine, shmem_team_t team) {
  if (!live_team(routine, team))
    fatal(routine, "the team is SHMEM_TEAM_INVALID (this PE is not a member of it, "
                   "or the split that made it failed)");
  return team;
}

int team_split_strided(const char *r, shmemi_team *parent, int start, int stride, int size,
                       const shmem_team_config_t *config, long config_mask,
                       shmem_team_t *new_team) {
  if (!new_team) fatal(r, "new_team is NULL");
  *new_team = SHMEM_TEAM_INVALID;
  const int n = parent->size;
  if (size < 1 || start < 0 || start >= n) return -1;
  if (size == 1) stride = 1; // the stride of a one-PE team does not matter
  if (stride == 0) return -1;
  long long last = start + static_cast<long long>(size - 1) * stride;
  if (last < 0 || last >= n) return -1;
  // This PE's place: parent index p = start + i * stride.
  long long off = parent->my_pe - start;
  bool member = off % stride == 0 && off / stride >= 0 && off / stride < size;
  int index = member ? static_cast<int>(off / stride) : -1;
  return make_team(parent, member, 0, parent->world_pe(start), parent->stride * stride, size,
                   index, config, config_mask, new_team, r);
}

int team_split_2d(const char *r, shmemi_team *parent, int xrange,
                  const shmem_team_config_t *xconfig, long xmask, shmem_team_t *xteam,
                  const shmem_team_config_t *yconfig, long ymask, shmem_team_t *yteam) {
  if (!xteam || !yteam) fatal(r, "xaxis_team or yaxis_team is NULL");
  *xteam = *yteam = SHMEM_TEAM_INVALID;
  const int n = parent->size;
  if (xrange < 1) return -1;
  if (xrange > n) xrange = n;
  const int p = parent->my_pe, row = p / xrange, col = p % xrange;
  // x team: the row of xrange consecutive parent PEs (the last may be short).
  const int xsize = std::min(xrange, n - row * xrange);
  int rc = make_team(parent, true, row, parent->world_pe(row * xrange), parent->stride, xsize,
                     col, xconfig, xmask, xteam, r);
  if (rc) return rc;
  // y team: the column, every xrange-th parent PE from col.
  const int ysize = (n - col + xrange - 1) / xrange;
  rc = make_team(parent, true, col, parent->world_pe(col), parent->stride * xrange, ysize, row,
                 yconfig, ymask, yteam, r);
  if (rc) {
    team_destroy(r, *xteam);
    *xteam = SHMEM_TEAM_INVALID;
  }
  return rc;
}

void team_destroy(const char *r, shmemi_team *t) {
  if (t == &team_world || t == &team_shared || t->predefined)
    fatal(r, "SHMEM_TEAM_WORLD and SHMEM_TEAM_SHARED cannot be destroyed");
  if (team_destroyed(t)) fatal(r, "the team was already destroyed");
  shmemi::quiet(nullptr); // its contexts' operations (they end with it)
  coll::net::team_ended(t);
  std::lock_guard<std::mutex> lk(mtx);
  const int s = t->slot;
  slot_epoch[s] = std::max({slot_epoch[s], t->sync_epoch, t->coll_epoch});
  slot_used &= ~bit(s);
  for (shmemi_ctx *c : contexts)
    if (c->team == t) {
      c->team = nullptr;
      orphaned.insert(c);
    }
  t->size = 0;
  t->my_pe = -1;
  live_teams.erase(t);
  bury_team(t);
}

void teams_finalize() {
  std::lock_guard<std::mutex> lk(mtx);
  for (shmemi_ctx *c : contexts)
    if (c->team != nullptr) {
      c->team = nullptr;
      orphaned.insert(c);
    }
  for (shmemi_team *t : live_teams) {
    coll::net::team_ended(t);
    t->size = 0;
    t->my_pe = -1;
    bury_team(t);
  }
  live_teams.clear();
  coll::net::team_ended(&team_shared);
  coll::net::team_ended(&team_world);
  // A later shmem_init starts every slot afresh, on fresh control words.
  slot_used = 0b11;
  slot_reserved = 0;
  for (uint64_t &e : slot_epoch) e = 0;
}

int ctx_create(const char *r, shmem_team_t team, long options, shmem_ctx_t *ctx) {
  require_init(r);
  if (!ctx) fatal(r, "ctx is NULL");
  *ctx = SHMEM_CTX_INVALID;
  if (!live_team(r, team)) return -1;
  const long known = SHMEM_CTX_SERIALIZED | SHMEM_CTX_PRIVATE | SHMEM_CTX_NOSTORE;
  if (options & ~known) return -1;
  auto *c = new shmemi_ctx{team, options, false};
  if (g.net) g.net->ctx_create(c);
  {
    std::lock_guard<std::mutex> lk(mtx);
    contexts.insert(c);
  }
  *ctx = c;
  return 0;
}

void ctx_destroy(const char *r, shmem_ctx_t ctx) {
  require_init(r);
  if (ctx == SHMEM_CTX_INVALID) return;
  if (ctx == &ctx_default) fatal(r, "SHMEM_CTX_DEFAULT cannot be destroyed");
  std::lock_guard<std::mutex> lk(mtx);
  if (!contexts.count(ctx))
    fatal(r, "ctx %p is not a context made by shmem_ctx_create or shmem_team_create_ctx",
          (void *)ctx);
  if (ctx->team == nullptr) {
    // Its team's destruction already ended it: now it is destroyed.
    if (orphaned.erase(ctx)) return bury_ctx(ctx);
    fatal(r, "the context was already destroyed");
  }
  shmemi::quiet(ctx);
  if (g.net) g.net->ctx_destroy(ctx);
  ctx->team = nullptr;
  bury_ctx(ctx);
}

int ctx_get_team(const char *r, shmem_ctx_t ctx, shmem_team_t *team) {
  require_init(r);
  if (!team) fatal(r, "team is NULL");
  if (ctx == SHMEM_CTX_INVALID) {
    *team = SHMEM_TEAM_INVALID;
    return -1;
  }
  if (ctx == &ctx_default) {
    *team = &team_world;
    return 0;
  }
  {
    std::lock_guard<std::mutex> lk(mtx);
    if (!contexts.count(ctx))
      fatal(r, "ctx %p is not a context made by shmem_ctx_create or shmem_team_create_ctx",
            (void *)ctx);
  }
  if (ctx->team == nullptr) bad_ctx(r, ctx);
  *team = ctx->team;
  return 0;
}

} // namespace shmemi
