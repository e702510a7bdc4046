// core/route.hpp - every access to a peer's memory, routed per PE.
//
// The fast path of each helper is the load/store one: the PE's memory is
// mapped here (try_remote gives an address), so the operation is a copy or
// a CPU atomic, inlined.  Anything else - a PE reached only through a
// transport, or an address that is not symmetric - takes the out-of-line
// path (route.cpp), which locates the object as (region, offset), calls the
// PE's transport through the interface (transport/transport.hpp) or
// diagnoses the call.
#pragma once
#include <atomic>
#include <cstring>

#include "../transport/transport.hpp"
#include "state.hpp"

namespace shmemi {

void route_init(); // after the transport mapped the PEs: flags and transports per PE

// Where a symmetric object of this PE is, as (region, offset); false if
// [addr, addr + bytes) is not wholly in one symmetric region.
bool locate(const void *addr, size_t bytes, RegionId *rg, size_t *off);

// The out-of-line paths: `ctx` is the context of the call (null: the
// library's own operations); `arg` names the address's argument.
void routed_put(const char *r, shmemi_ctx *ctx, void *dest, const void *src, size_t bytes,
                int pe, bool nbi);
void routed_get(const char *r, shmemi_ctx *ctx, void *dest, const void *src, size_t bytes,
                int pe, bool nbi);
void routed_amo(const char *r, shmemi_ctx *ctx, const void *dest, int pe, const char *arg,
                AmoOp op, TypeCode type, const void *operand, const void *cond, void *result);
// Synchronization words (uint64_t) of the library and of the user (pSync).
void routed_sync_store(int pe, const void *word, uint64_t v);
uint64_t routed_sync_add(int pe, const void *word, uint64_t v);
uint64_t routed_sync_load(int pe, const void *word);

// A misaligned AMO target is diagnosed wherever the PE is.
[[noreturn]] void misaligned(const char *r, const char *arg, const void *addr, size_t align);

// ---- RMA ---------------------------------------------------------------

// Small copies (a flag, a scalar) are single loads and stores, without a
// call into the C library; the rest is memcpy.
SHMEMI_HOT void copy_bytes(void *dst, const void *src, size_t bytes) {
  switch (bytes) {
  case 8: { uint64_t v; std::memcpy(&v, src, 8); std::memcpy(dst, &v, 8); return; }
  case 4: { uint32_t v; std::memcpy(&v, src, 4); std::memcpy(dst, &v, 4); return; }
  case 16: {
    uint64_t v[2];
    std::memcpy(v, src, 16);
    std::memcpy(dst, v, 16);
    return;
  }
  default: std::memcpy(dst, src, bytes);
  }
}

SHMEMI_HOT void put_to(const char *r, shmemi_ctx *ctx, void *dest, const void *src,
                       size_t bytes, int pe, bool nbi = false) {
  if (char *p = try_remote(dest, bytes, pe); __builtin_expect(p != nullptr, 1))
    copy_bytes(p, src, bytes);
  else
    routed_put(r, ctx, dest, src, bytes, pe, nbi);
}
SHMEMI_HOT void get_from(const char *r, shmemi_ctx *ctx, void *dest, const void *src,
                         size_t bytes, int pe, bool nbi = false) {
  if (const char *p = try_remote(src, bytes, pe); __builtin_expect(p != nullptr, 1))
    copy_bytes(dest, p, bytes);
  else
    routed_get(r, ctx, dest, src, bytes, pe, nbi);
}

// ---- Synchronization words ---------------------------------------------
// `word` is this PE's copy of a symmetric 64-bit word; the operation is on
// PE pe's copy.  The orders are those of the load/store path; a transport
// gives at least release (stores, adds) and acquire (loads).

// A store or an add: by the CPU only where this PE owns the PE's AMOs.  A
// network transport that owns them must see every read-modify-write, and
// every store too: a CPU store that lands between the read and the write
// of its atomic (a NIC's, or the MPI's in software) would be lost.
template <std::memory_order O = std::memory_order_release, class W>
SHMEMI_HOT void word_store(int pe, W *word, uint64_t v) {
  static_assert(sizeof(W) == 8);
  if (__builtin_expect(g.reach[pe] & kReachAmo, 1))
    if (char *p = try_remote(word, 8, pe); __builtin_expect(p != nullptr, 1)) {
      std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t *>(p)).store(v, O);
      return;
    }
  routed_sync_store(pe, word, v);
}
template <std::memory_order O = std::memory_order_acq_rel, class W>
SHMEMI_HOT uint64_t word_add(int pe, W *word, uint64_t v) {
  static_assert(sizeof(W) == 8);
  if (__builtin_expect(g.reach[pe] & kReachAmo, 1))
    if (char *p = try_remote(word, 8, pe); __builtin_expect(p != nullptr, 1))
      return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t *>(p)).fetch_add(v, O);
  return routed_sync_add(pe, word, v);
}
template <std::memory_order O = std::memory_order_acquire, class W>
SHMEMI_HOT uint64_t word_load(int pe, const W *word) {
  static_assert(sizeof(W) == 8);
  if (char *p = try_remote(word, 8, pe); __builtin_expect(p != nullptr, 1))
    return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t *>(p)).load(O);
  return routed_sync_load(pe, word);
}

// ---- AMOs --------------------------------------------------------------

// The CPU atomic of one operation, on the target's address.
template <class T> inline T amo_local(T *p, AmoOp op, T v, T cond) {
  constexpr auto o = std::memory_order_seq_cst;
  std::atomic_ref<T> a(*p);
  switch (op) {
  case AmoOp::fetch: return a.load(o);
  case AmoOp::set: a.store(v, o); return T{};
  case AmoOp::swap: return a.exchange(v, o);
  case AmoOp::compare_swap: a.compare_exchange_strong(cond, v, o, o); return cond;
  default: break;
  }
  if constexpr (std::is_integral_v<T>) {
    switch (op) {
    case AmoOp::fetch_add: return a.fetch_add(v, o);
    case AmoOp::fetch_and: return a.fetch_and(v, o);
    case AmoOp::fetch_or: return a.fetch_or(v, o);
    case AmoOp::fetch_xor: return a.fetch_xor(v, o);
    default: break;
    }
  }
  __builtin_unreachable();
}

// One AMO on PE pe (a world PE, checked): the CPU atomic when the PE's
// AMOs are ours, else its transport.  OP is a constant at every call, so
// the load/store path compiles to the one instruction.
template <class T>
SHMEMI_HOT T amo_on(const char *r, shmemi_ctx *ctx, const T *dest, int pe, const char *arg,
                    AmoOp op, T v, T cond = T{}) {
  if (__builtin_expect(g.reach[pe] & kReachAmo, 1)) {
    char *p = try_remote(dest, sizeof(T), pe);
    if (__builtin_expect(p != nullptr && reinterpret_cast<uintptr_t>(p) % alignof(T) == 0, 1))
      return amo_local<T>(reinterpret_cast<T *>(p), op, v, cond);
  }
  T result{};
  routed_amo(r, ctx, dest, pe, arg, op, type_code<T>(), &v, &cond, &result);
  return result;
}

// ---- Ordering ----------------------------------------------------------
// Stores to mapped PEs are complete once visible: fence orders them, quiet
// makes them globally visible.  A network transport completes its own
// operations of the context (null: of every context).

SHMEMI_HOT void fence(shmemi_ctx *ctx) {
  std::atomic_thread_fence(std::memory_order_release);
  if (__builtin_expect(g.net != nullptr, 0)) g.net->fence(ctx);
}
SHMEMI_HOT void quiet(shmemi_ctx *ctx) {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (__builtin_expect(g.net != nullptr, 0)) g.net->quiet(ctx);
}
SHMEMI_HOT void pe_quiet(shmemi_ctx *ctx, int pe) {
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (__builtin_expect(g.net != nullptr, 0) && g.via[pe] == g.net) g.net->pe_quiet(ctx, pe);
}

// A pointer for loads and stores to `addr` on PE pe (shmem_ptr), or null.
inline void *peer_ptr(const void *addr, int pe) {
  if (static_cast<unsigned>(pe) >= static_cast<unsigned>(g.npes)) return nullptr;
  return try_remote(addr, 1, pe);
}

} // namespace shmemi
