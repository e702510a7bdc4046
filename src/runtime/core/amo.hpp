// core/amo.hpp - atomic memory operations, once for every type: lock-free
// CPU atomics (std::atomic_ref) on the target PE's memory.
#pragma once
#include <atomic>

#include "../transport/transport.hpp"
#include "team.hpp"

namespace shmemi::amo {

template <class T>
inline std::atomic_ref<T> ref(const char *r, shmem_ctx_t ctx, T *dest, int pe,
                              const char *arg = "dest") {
  return transport::amo_ref<T>(r, dest, ctx_pe(r, ctx, pe), arg);
}

constexpr auto kOrder = std::memory_order_seq_cst;

template <class T> inline T fetch(const char *r, shmem_ctx_t c, const T *src, int pe) {
  return ref<T>(r, c, const_cast<T *>(src), pe, "source").load(kOrder);
}
template <class T> inline void set(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  ref<T>(r, c, d, pe).store(v, kOrder);
}
template <class T> inline T swap(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return ref<T>(r, c, d, pe).exchange(v, kOrder);
}
template <class T> inline T compare_swap(const char *r, shmem_ctx_t c, T *d, T cond, T v, int pe) {
  ref<T>(r, c, d, pe).compare_exchange_strong(cond, v, kOrder, kOrder);
  return cond; // the old value, whether or not it was replaced
}
template <class T> inline T fetch_add(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return ref<T>(r, c, d, pe).fetch_add(v, kOrder);
}
template <class T> inline T fetch_and(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return ref<T>(r, c, d, pe).fetch_and(v, kOrder);
}
template <class T> inline T fetch_or(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return ref<T>(r, c, d, pe).fetch_or(v, kOrder);
}
template <class T> inline T fetch_xor(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return ref<T>(r, c, d, pe).fetch_xor(v, kOrder);
}

} // namespace shmemi::amo
