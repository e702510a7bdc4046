// api/order_lock.cpp - fence/quiet, barrier_all/sync_all, distributed locks.
#include <atomic>

#include <cstdio>

#include "../core/call_id.hpp"
#include "../core/team.hpp"
#include "../core/route.hpp"

using namespace shmemi;

namespace {

// A lock is a symmetric `long`; its copy on PE 0 is a ticket lock (FIFO,
// so fair under contention): the low 32 bits hand out tickets, the high 32
// bits say which ticket is served.  Halves wrap independently.  PE 0 is
// reached like any PE (route.hpp): its words are AMO targets.
struct LockWords {
  const char *r;
  long *lock;
  uint32_t *next() const { return reinterpret_cast<uint32_t *>(lock); }
  uint32_t *serving() const { return reinterpret_cast<uint32_t *>(lock) + 1; }
  uint64_t *both() const { return reinterpret_cast<uint64_t *>(lock); }
  template <class T> T amo(T *word, AmoOp op, T v = 0, T cond = 0) const {
    return amo_on<T>(r, nullptr, word, 0, "lock", op, v, cond);
  }
};
LockWords lock_words(const char *r, long *lock) {
  require_init(r);
  if (reinterpret_cast<uintptr_t>(lock) % 8)
    fatal(r, "lock %p is not aligned to 8 bytes", (void *)lock);
  return {r, lock};
}

// Whether fence/quiet has work to do on ctx.  The specification makes them
// no-ops on SHMEM_CTX_INVALID (its own examples quiet a context that a
// PE outside the team got as SHMEM_CTX_INVALID); a destroyed context is
// diagnosed.
bool live_ctx(const char *r, shmem_ctx_t ctx) {
  if (ctx == SHMEM_CTX_INVALID) return false;
  if (ctx->team == nullptr) bad_ctx(r, ctx);
  return true;
}

} // namespace

extern "C" {

void shmem_fence(void) { shmemi::fence(&ctx_default); }
void shmem_quiet(void) { shmemi::quiet(&ctx_default); }
void shmem_ctx_fence(shmem_ctx_t ctx) {
  if (live_ctx("shmem_ctx_fence", ctx)) shmemi::fence(ctx);
}
void shmem_ctx_quiet(shmem_ctx_t ctx) {
  if (live_ctx("shmem_ctx_quiet", ctx)) shmemi::quiet(ctx);
}

// pe_quiet (1.6): completes what this PE sent the named PEs (team-relative
// to the context's team) on the context.
static void pe_quiet_on(const char *r, shmem_ctx_t ctx, const int *target_pes, size_t npes) {
  require_init(r);
  if (npes != 0 && target_pes == nullptr) fatal(r, "target_pes is NULL but npes is %zu", npes);
  for (size_t i = 0; i < npes; ++i) {
    int w = ctx_pe(r, ctx, target_pes[i]);
    check_pe(r, w);
    shmemi::pe_quiet(ctx, w);
  }
}
void shmem_pe_quiet(const int *target_pes, size_t npes) {
  pe_quiet_on("shmem_pe_quiet", &ctx_default, target_pes, npes);
}
void shmem_ctx_pe_quiet(shmem_ctx_t ctx, const int *target_pes, size_t npes) {
  if (live_ctx("shmem_ctx_pe_quiet", ctx)) pe_quiet_on("shmem_ctx_pe_quiet", ctx, target_pes, npes);
}

void shmem_barrier_all(void) {
  require_init("shmem_barrier_all");
  shmemi::quiet(nullptr); // every context's operations
  team_sync(begin_call(&team_world), call_kind("shmem_barrier_all", CallClass::sync));
}

void shmem_sync_all(void) {
  require_init("shmem_sync_all");
  team_sync(begin_call(&team_world), call_kind("shmem_sync_all", CallClass::sync));
}

void shmem_set_lock(long *lock) {
  LockWords w = lock_words("shmem_set_lock", lock);
  uint32_t ticket = w.amo<uint32_t>(w.next(), AmoOp::fetch_add, 1);
  auto serving = [&] { return w.amo<uint32_t>(w.serving(), AmoOp::fetch); };
  wait_for([&] { return serving() == ticket; }, "shmem_set_lock", [&](char *b, size_t n) {
    snprintf(b, n, "shmem_set_lock(lock=%p), holding ticket %u, now serving %u", (void *)lock,
             ticket, serving());
  });
}

int shmem_test_lock(long *lock) {
  LockWords w = lock_words("shmem_test_lock", lock);
  uint64_t cur = w.amo<uint64_t>(w.both(), AmoOp::fetch);
  uint32_t next = static_cast<uint32_t>(cur), serving = static_cast<uint32_t>(cur >> 32);
  if (next != serving) return 1; // held (or queued for)
  uint64_t taken = (static_cast<uint64_t>(serving) << 32) | static_cast<uint32_t>(next + 1);
  return w.amo<uint64_t>(w.both(), AmoOp::compare_swap, taken, cur) == cur ? 0 : 1;
}

void shmem_clear_lock(long *lock) {
  LockWords w = lock_words("shmem_clear_lock", lock);
  shmemi::quiet(nullptr); // the holder's updates complete before the next holder runs
  uint64_t cur = w.amo<uint64_t>(w.both(), AmoOp::fetch);
  if (static_cast<uint32_t>(cur) == static_cast<uint32_t>(cur >> 32))
    fatal("shmem_clear_lock", "lock %p is not held", (void *)lock);
  (void)w.amo<uint32_t>(w.serving(), AmoOp::fetch_add, 1);
}

} // extern "C"
