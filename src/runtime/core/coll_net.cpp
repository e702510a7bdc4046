// core/coll_net.cpp - a team's collectives on its network transport's own
// (see coll_net.hpp).
#include "coll_net.hpp"

#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdio>
#include <cstring>
#include <vector>

#include "call_id.hpp"
#include "collectives.hpp"

namespace shmemi::coll::net {
namespace {

// MPI counts are int; a call beyond that stays with the core.
constexpr size_t kMaxCount = INT_MAX;

// Runs one collective of the transport to completion, polling it from the
// library's wait loop (yield, progress, the hang watchdog).  The fences
// order this PE's loads and stores of the buffers (and of memory its
// peers read) around the transport's own synchronization.
void run(shmemi_team *t, uint32_t kind, const CollCall &call) {
  CollRequest req;
  std::atomic_thread_fence(std::memory_order_seq_cst);
  g.net->coll_start(t->net, call, &req);
  wait_for([&] { return g.net->coll_test(&req); }, nullptr, [&](char *b, size_t len) {
    char team[128];
    team_name(t, team, sizeof team);
    snprintf(b, len, "%s on %s (call #%llu), waiting for the other members in MPI",
             call_name(kind, g.me), team, (unsigned long long)t->calls);
  });
  std::atomic_thread_fence(std::memory_order_seq_cst);
}

// The members disagree (every member learnt that from the agreement):
// they gather each other's identity, and the first member whose call
// differs from member 0's reports both.
[[noreturn]] void disagreement(shmemi_team *t, const char *routine, uint32_t kind,
                               uint64_t root, uint64_t size) {
  const uint64_t mine[3] = {kind, root, size};
  std::vector<uint64_t> all(3 * static_cast<size_t>(t->size));
  run(t, kind, CollCall{.what = Coll::allgather, .source = mine, .dest = all.data(),
                        .count = sizeof mine});
  int first = 0;
  for (int i = 1; i < t->size && !first; ++i)
    if (!same_call(static_cast<uint32_t>(all[3 * i]), static_cast<uint32_t>(all[0])) ||
        all[3 * i + 1] != all[1] || all[3 * i + 2] != all[2])
      first = i;
  if (t->my_pe == first) {
    const uint32_t theirs = static_cast<uint32_t>(all[0]);
    const int p0 = t->world_pe(0);
    if (!same_call(kind, theirs)) collective_mismatch(t, p0, kind, theirs);
    char team[128];
    team_name(t, team, sizeof team);
    if (root != all[1])
      fatal(routine,
            "PE_root differs on %s (call #%llu): PE %d passes %llu, PE %d passes %llu; every "
            "member must pass the same root",
            team, (unsigned long long)t->calls, p0, (unsigned long long)all[1] - 1, g.me,
            (unsigned long long)root - 1);
    fatal(routine,
          "the size differs on %s (call #%llu): PE %d passes %llu bytes, PE %d passes %llu; "
          "every member must pass the same nelems",
          team, (unsigned long long)t->calls, p0, (unsigned long long)all[2], g.me,
          (unsigned long long)size);
  }
  // That member reports and ends the job; this one waits for the end, and
  // lets MPI progress meanwhile (an MPI_Abort may wait for the peers' progress
  // before it ends them).  Past 1.5 s it ends the job itself: the report is
  // printed by then, and the job must end within 2 s of a failure.
  for (int i = 0; i < 150; ++i) {
    usleep(10000);
    net_progress();
  }
  fatal(routine, "the members of this collective call disagree (PE %d reports how)",
        t->world_pe(first));
}

// The agreement that starts every call: the same collective (by its call
// key, call_id.hpp), root (+1; 0 for none) and size in bytes on every
// member, in one allreduce of MAX over each value and its complement.
void agree(shmemi_team *t, const char *routine, uint32_t kind, uint64_t root, uint64_t size) {
  const uint64_t key = call_key(kind);
  uint64_t v[6] = {key, root, size, ~key, ~root, ~size};
  run(t, kind, CollCall{.what = Coll::allreduce, .source = nullptr, .dest = v, .count = 6,
                        .kind = ElemKind::unsigned_int, .size = 8, .op = ReduceOp::max});
  for (int i = 0; i < 3; ++i)
    if (v[i] != ~v[i + 3]) disagreement(t, routine, kind, root, size);
}

} // namespace

void teams_init(shmemi_team &world, shmemi_team &shared) {
  world.net = shared.net = nullptr;
  if (!g.net || !g.net->team_world || world.size < 2) return;
  world.net = g.net->team_world();
  // Collective over the world: the PEs of each node form their SHARED.
  shared.net = g.net->team_split(world.net, shared.size > 1 ? shared.start : -1, shared.my_pe);
}

void team_made(shmemi_team *parent, shmemi_team *made, int color) {
  if (!parent->net) return;
  void *h = g.net->team_split(parent->net, made ? color : -1, made ? made->my_pe : 0);
  if (made && made->size > 1)
    made->net = h;
  else if (h)
    g.net->team_free(h);
}

void team_ended(shmemi_team *t) {
  if (t->net) g.net->team_free(t->net);
  t->net = nullptr;
}

void sync(shmemi_team *t, uint32_t kind) {
  agree(t, call_name(kind, g.me), kind, 0, 0);
  // What peers put here before they entered is complete: make it visible
  // to this PE's loads.
  net_progress();
}

bool broadcast(const Group &gr, void *dest, const void *source, size_t bytes, int root,
               bool update_root) {
  agree(gr.team, gr.routine, gr.kind, static_cast<uint64_t>(root) + 1, bytes);
  if (bytes > kMaxCount) return false;
  if (bytes) {
    const bool at_root = gr.me == root;
    run(gr.team, gr.kind,
        CollCall{.what = Coll::broadcast, .source = at_root ? source : nullptr, .dest = dest,
                 .count = bytes, .root = root});
    if (at_root && update_root && dest != source) std::memcpy(dest, source, bytes);
  }
  return true;
}

bool collect(const Group &gr, void *dest, const void *source, size_t elem_size,
             size_t nelems) {
  const char *r = gr.routine;
  agree(gr.team, r, gr.kind, 0, 0); // each member's nelems may differ
  uint64_t mine = bytes_of(r, nelems, elem_size);
  std::vector<uint64_t> sizes(static_cast<size_t>(gr.n));
  run(gr.team, gr.kind,
      CollCall{.what = Coll::allgather, .source = &mine, .dest = sizes.data(), .count = 8});
  std::vector<int> counts(static_cast<size_t>(gr.n)), displs(static_cast<size_t>(gr.n));
  uint64_t total = 0;
  for (int i = 0; i < gr.n; ++i) {
    if (sizes[i] > kMaxCount - total) return false; // every member sees the same sizes
    displs[i] = static_cast<int>(total);
    counts[i] = static_cast<int>(sizes[i]);
    total += sizes[i];
  }
  if (!total) return true;
  check_symmetric(r, "dest", dest, total);
  check_overlap(r, dest, total, source, mine, false);
  run(gr.team, gr.kind,
      CollCall{.what = Coll::allgatherv, .source = source, .dest = dest, .count = mine,
               .counts = counts.data(), .displs = displs.data()});
  return true;
}

namespace {
// fcollect and alltoall: `bytes` per member, MPI's allgather or alltoall.
bool blocks(const Group &gr, Coll what, void *dest, const void *source, size_t bytes) {
  agree(gr.team, gr.routine, gr.kind, 0, bytes);
  if (bytes > kMaxCount / static_cast<size_t>(gr.n)) return false;
  if (bytes)
    run(gr.team, gr.kind, CollCall{.what = what, .source = source, .dest = dest, .count = bytes});
  return true;
}
} // namespace

bool fcollect(const Group &gr, void *dest, const void *source, size_t bytes) {
  return blocks(gr, Coll::allgather, dest, source, bytes);
}

bool alltoall(const Group &gr, void *dest, const void *source, size_t bytes) {
  return blocks(gr, Coll::alltoall, dest, source, bytes);
}

bool alltoalls(const Group &gr, void *dest, const void *source, ptrdiff_t dst, ptrdiff_t sst,
               size_t elem, size_t nelems) {
  const size_t bytes = nelems * elem; // per member, checked by the caller
  agree(gr.team, gr.routine, gr.kind, 0, bytes);
  const size_t n = static_cast<size_t>(gr.n);
  if (bytes > kMaxCount / n) return false;
  if (!bytes) return true;
  std::vector<char> out(bytes * n), in(bytes * n);
  const auto *s = static_cast<const char *>(source);
  auto *d = static_cast<char *>(dest);
  for (size_t e = 0; e < nelems * n; ++e) // element e of the blocks, member by member
    std::memcpy(&out[e * elem], s + e * static_cast<size_t>(sst) * elem, elem);
  run(gr.team, gr.kind,
      CollCall{.what = Coll::alltoall, .source = out.data(), .dest = in.data(), .count = bytes});
  for (size_t e = 0; e < nelems * n; ++e)
    std::memcpy(d + e * static_cast<size_t>(dst) * elem, &in[e * elem], elem);
  return true;
}

bool reduce(const Group &gr, Coll what, void *dest, const void *source, size_t count,
            ElemKind kind, int size, ReduceOp op) {
  const size_t bytes = count * static_cast<size_t>(size); // checked by the caller
  agree(gr.team, gr.routine, gr.kind, 0, bytes);
  if (count > kMaxCount) return false;
  if (!count) return true;
  run(gr.team, gr.kind,
      CollCall{.what = what, .source = dest == source ? nullptr : source, .dest = dest,
               .count = count, .kind = kind, .size = size, .op = op});
  // MPI leaves the first member's exclusive prefix undefined; it is 0.
  if (what == Coll::exscan && gr.me == 0) std::memset(dest, 0, bytes);
  return true;
}

} // namespace shmemi::coll::net
