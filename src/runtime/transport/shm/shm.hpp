// transport/shm/shm.hpp - one-node transport over POSIX shared memory.
// Every PE maps every PE's segments, so put/get are memcpy and atomics are
// CPU atomics on the peer's memory (std::atomic_ref).
#pragma once
#include <atomic>
#include <cstring>

#include "../../bootstrap/bootstrap.hpp"
#include "../../core/state.hpp"

namespace shmemi::shm {

// Maps every PE of the job (st.me and st.npes are set).
void init(State &st, const boot::Job &job);
void finalize(State &st);
void privatize_after_fork();

// Small copies (a flag, a scalar) are single loads and stores, without a
// call into the C library; the rest is memcpy.
inline void copy(void *dst, const void *src, size_t bytes) {
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

inline void put(const char *routine, void *dest, const void *src, size_t bytes, int pe) {
  char *r = remote(routine, dest, bytes, pe);
  copy(r, src, bytes);
}
inline void get(const char *routine, void *dest, const void *src, size_t bytes, int pe) {
  const char *r = remote(routine, src, bytes, pe, "source");
  copy(dest, r, bytes);
}

// Single elements go through atomic_ref where the type allows it so that a
// concurrent reader (wait_until on the peer) never sees a torn value.
template <class T> inline void put_value(const char *routine, T *dest, T value, int pe) {
  T *r = reinterpret_cast<T *>(remote(routine, dest, sizeof(T), pe));
  if constexpr (std::is_trivially_copyable_v<T> &&
                std::atomic_ref<T>::is_always_lock_free && sizeof(T) <= 8)
    std::atomic_ref<T>(*r).store(value, std::memory_order_relaxed);
  else
    copy(r, &value, sizeof(T));
}
template <class T> inline T get_value(const char *routine, const T *src, int pe) {
  T *r = reinterpret_cast<T *>(remote(routine, src, sizeof(T), pe, "source"));
  if constexpr (std::atomic_ref<T>::is_always_lock_free && sizeof(T) <= 8)
    return std::atomic_ref<T>(*r).load(std::memory_order_relaxed);
  else {
    T v;
    copy(&v, r, sizeof(T));
    return v;
  }
}

// The AMO target in this PE's mapping of PE pe, checked for alignment.
template <class T>
inline std::atomic_ref<T> amo_ref(const char *routine, T *dest, int pe,
                                  const char *arg = "dest") {
  T *r = reinterpret_cast<T *>(remote(routine, dest, sizeof(T), pe, arg));
  if (__builtin_expect(reinterpret_cast<uintptr_t>(r) % alignof(T) != 0, 0))
    fatal(routine, "%s: atomic target %p is not aligned to %zu bytes", arg, (void *)dest,
          alignof(T));
  return std::atomic_ref<T>(*r);
}

// Every PE's memory is reachable by loads and stores (programs inline their
// fences and small transfers: include/shmem_inline.h).
constexpr int kLoadStore = 1;

// Ordering: stores to a peer are plain stores to shared memory, complete
// when the instruction retires; fence orders them, quiet also waits for
// their global visibility.
inline void fence() { std::atomic_thread_fence(std::memory_order_release); }
inline void quiet() { std::atomic_thread_fence(std::memory_order_seq_cst); }

inline void *peer_ptr(const void *addr, int pe) {
  if (static_cast<unsigned>(pe) >= static_cast<unsigned>(g.npes)) return nullptr;
  return try_remote(addr, 1, pe);
}

} // namespace shmemi::shm
