// api/order_lock.cpp - fence/quiet, barrier_all/sync_all, distributed locks.
#include <atomic>

#include <cstdio>

#include "../core/call_id.hpp"
#include "../core/team.hpp"
#include "../transport/transport.hpp"

using namespace shmemi;

namespace {

// A lock is a symmetric `long`; its copy on PE 0 is a ticket lock (FIFO,
// so fair under contention): the low 32 bits hand out tickets, the high 32
// bits say which ticket is served.  Halves wrap independently.
struct LockWords {
  std::atomic_ref<uint32_t> next, serving;
  std::atomic_ref<uint64_t> both;
};
LockWords lock_words(const char *r, long *lock) {
  require_init(r);
  auto *w = reinterpret_cast<uint32_t *>(remote(r, lock, sizeof(long), 0, "lock"));
  if (reinterpret_cast<uintptr_t>(w) % 8)
    fatal(r, "lock %p is not aligned to 8 bytes", (void *)lock);
  return {std::atomic_ref<uint32_t>(w[0]), std::atomic_ref<uint32_t>(w[1]),
          std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t *>(w))};
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

void shmem_fence(void) { transport::fence(); }
void shmem_quiet(void) { transport::quiet(); }
void shmem_ctx_fence(shmem_ctx_t ctx) {
  if (live_ctx("shmem_ctx_fence", ctx)) transport::fence();
}
void shmem_ctx_quiet(shmem_ctx_t ctx) {
  if (live_ctx("shmem_ctx_quiet", ctx)) transport::quiet();
}

void shmem_barrier_all(void) {
  require_init("shmem_barrier_all");
  transport::quiet();
  team_sync(begin_call(&team_world), call_kind("shmem_barrier_all", CallClass::sync));
}

void shmem_sync_all(void) {
  require_init("shmem_sync_all");
  team_sync(begin_call(&team_world), call_kind("shmem_sync_all", CallClass::sync));
}

void shmem_set_lock(long *lock) {
  LockWords w = lock_words("shmem_set_lock", lock);
  uint32_t ticket = w.next.fetch_add(1, std::memory_order_acq_rel);
  wait_for([&] { return w.serving.load(std::memory_order_acquire) == ticket; },
           "shmem_set_lock", [&](char *b, size_t n) {
             snprintf(b, n, "shmem_set_lock(lock=%p), holding ticket %u, now serving %u",
                      (void *)lock, ticket, w.serving.load(std::memory_order_relaxed));
           });
}

int shmem_test_lock(long *lock) {
  LockWords w = lock_words("shmem_test_lock", lock);
  uint64_t cur = w.both.load(std::memory_order_acquire);
  uint32_t next = static_cast<uint32_t>(cur), serving = static_cast<uint32_t>(cur >> 32);
  if (next != serving) return 1; // held (or queued for)
  uint64_t taken = (static_cast<uint64_t>(serving) << 32) | static_cast<uint32_t>(next + 1);
  return w.both.compare_exchange_strong(cur, taken, std::memory_order_acq_rel) ? 0 : 1;
}

void shmem_clear_lock(long *lock) {
  LockWords w = lock_words("shmem_clear_lock", lock);
  transport::quiet(); // the holder's updates complete before the next holder runs
  if (w.next.load(std::memory_order_relaxed) == w.serving.load(std::memory_order_relaxed))
    fatal("shmem_clear_lock", "lock %p is not held", (void *)lock);
  w.serving.fetch_add(1, std::memory_order_release);
}

} // extern "C"
