// transport/shm/shm_ops.cpp - the shm transport behind the interface: the
// same loads, stores and CPU atomics as the core's own load/store paths,
// addressed by (PE, region, offset).  Operations complete at once, so
// contexts carry no state and quiet is a fence.
#include <atomic>
#include <cstring>

#include "../../core/route.hpp"
#include "shm.hpp"

namespace shmemi::shm {

std::vector<char *> mapped[kRegions];

namespace {

char *at(int pe, RegionId rg, size_t off) {
  return mapped[static_cast<int>(rg)][static_cast<size_t>(pe)] + off;
}

void ctx_none(shmemi_ctx *) {}

void put(shmemi_ctx *, int pe, RegionId rg, size_t off, const void *src, size_t bytes) {
  copy_bytes(at(pe, rg, off), src, bytes);
}
void get(shmemi_ctx *, int pe, RegionId rg, size_t off, void *dst, size_t bytes) {
  copy_bytes(dst, at(pe, rg, off), bytes);
}

template <class T>
void amo_typed(char *p, AmoOp op, const void *operand, const void *cond, void *result) {
  T v, c;
  std::memcpy(&v, operand, sizeof v);
  std::memcpy(&c, cond, sizeof c);
  T old = amo_local<T>(reinterpret_cast<T *>(p), op, v, c);
  if (result) std::memcpy(result, &old, sizeof old);
}

void amo(shmemi_ctx *, int pe, RegionId rg, size_t off, AmoOp op, TypeCode type,
         const void *operand, const void *cond, void *result) {
  char *p = at(pe, rg, off);
  switch (type) {
  case TypeCode::i32: return amo_typed<int32_t>(p, op, operand, cond, result);
  case TypeCode::i64: return amo_typed<int64_t>(p, op, operand, cond, result);
  case TypeCode::u32: return amo_typed<uint32_t>(p, op, operand, cond, result);
  case TypeCode::u64: return amo_typed<uint64_t>(p, op, operand, cond, result);
  case TypeCode::f32: return amo_typed<float>(p, op, operand, cond, result);
  case TypeCode::f64: return amo_typed<double>(p, op, operand, cond, result);
  }
}

std::atomic_ref<uint64_t> word(int pe, RegionId rg, size_t off) {
  return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t *>(at(pe, rg, off)));
}
void sync_store(int pe, RegionId rg, size_t off, uint64_t v) {
  word(pe, rg, off).store(v, std::memory_order_release);
}
uint64_t sync_add(int pe, RegionId rg, size_t off, uint64_t v) {
  return word(pe, rg, off).fetch_add(v, std::memory_order_acq_rel);
}
uint64_t sync_load(int pe, RegionId rg, size_t off) {
  return word(pe, rg, off).load(std::memory_order_acquire);
}

void fence(shmemi_ctx *) { std::atomic_thread_fence(std::memory_order_release); }
void quiet(shmemi_ctx *) { std::atomic_thread_fence(std::memory_order_seq_cst); }
void pe_quiet(shmemi_ctx *, int) { std::atomic_thread_fence(std::memory_order_seq_cst); }

void *peer_ptr(int pe, RegionId rg, size_t off) { return at(pe, rg, off); }

} // namespace

const Transport ops = {
    .name = "shm",
    .ctx_create = ctx_none,
    .ctx_destroy = ctx_none,
    .put = put,
    .get = get,
    .put_nbi = put, // the nbi forms complete at once too
    .get_nbi = get,
    .amo = amo,
    .sync_store = sync_store,
    .sync_add = sync_add,
    .sync_load = sync_load,
    .progress = nullptr, // nothing moves in the background
    .fence = fence,
    .quiet = quiet,
    .pe_quiet = pe_quiet,
    .peer_ptr = peer_ptr,
    // Collectives: the core's algorithms over loads and stores.
    .team_world = nullptr,
    .team_split = nullptr,
    .team_free = nullptr,
    .coll_start = nullptr,
    .coll_test = nullptr,
};

} // namespace shmemi::shm
