// core/rma.hpp - RMA and signal operations over any context, written once
// for every element type; the API layer stamps out the typed entry points.
// Each routes per PE (route.hpp): loads and stores to a mapped PE, the
// PE's transport otherwise.
#pragma once
#include <atomic>

#include "route.hpp"
#include "team.hpp"

namespace shmemi::rma {

SHMEMI_HOT void put(const char *r, shmem_ctx_t ctx, void *dest, const void *src, size_t bytes,
                    int pe, bool nbi = false) {
  int w = ctx_pe(r, ctx, pe);
  check_pe(r, w);
  if (__builtin_expect(bytes == 0, 0)) return;
  put_to(r, ctx, dest, src, bytes, w, nbi);
}

SHMEMI_HOT void get(const char *r, shmem_ctx_t ctx, void *dest, const void *src, size_t bytes,
                    int pe, bool nbi = false) {
  int w = ctx_pe(r, ctx, pe);
  check_pe(r, w);
  if (__builtin_expect(bytes == 0, 0)) return;
  get_from(r, ctx, dest, src, bytes, w, nbi);
}
SHMEMI_HOT void put_nbi(const char *r, shmem_ctx_t ctx, void *dest, const void *src,
                        size_t bytes, int pe) {
  put(r, ctx, dest, src, bytes, pe, true);
}
SHMEMI_HOT void get_nbi(const char *r, shmem_ctx_t ctx, void *dest, const void *src,
                        size_t bytes, int pe) {
  get(r, ctx, dest, src, bytes, pe, true);
}

// Single elements go through atomic_ref where the type allows it so that a
// concurrent reader (wait_until on the peer) never sees a torn value.
template <class T> inline void p(const char *r, shmem_ctx_t ctx, T *dest, T value, int pe) {
  int w = ctx_pe(r, ctx, pe);
  check_pe(r, w);
  T *t = reinterpret_cast<T *>(try_remote(dest, sizeof(T), w));
  if (__builtin_expect(t == nullptr, 0)) return routed_put(r, ctx, dest, &value, sizeof(T), w, false);
  if constexpr (std::is_trivially_copyable_v<T> &&
                std::atomic_ref<T>::is_always_lock_free && sizeof(T) <= 8)
    std::atomic_ref<T>(*t).store(value, std::memory_order_relaxed);
  else
    copy_bytes(t, &value, sizeof(T));
}

template <class T> inline T g(const char *r, shmem_ctx_t ctx, const T *src, int pe) {
  int w = ctx_pe(r, ctx, pe);
  check_pe(r, w);
  T *t = reinterpret_cast<T *>(try_remote(src, sizeof(T), w));
  T v;
  if (__builtin_expect(t == nullptr, 0)) {
    routed_get(r, ctx, &v, src, sizeof(T), w, false);
    return v;
  }
  if constexpr (std::atomic_ref<T>::is_always_lock_free && sizeof(T) <= 8)
    return std::atomic_ref<T>(*t).load(std::memory_order_relaxed);
  copy_bytes(&v, t, sizeof(T));
  return v;
}

// The strided and blocked transfers are one loop each for both directions:
// the remote side is dest for a put, src for a get.
enum class Direction { put, get };

// Strided transfers: the first and last remote elements are checked, the
// rest lie between them in the same region.  A PE that is not mapped gets
// one element per transport call, all nonblocking, completed together.
template <Direction D, class T>
inline void strided(const char *r, shmem_ctx_t ctx, T *dest, const T *src, ptrdiff_t dst,
                    ptrdiff_t sst, size_t n, int pe) {
  int w = ctx_pe(r, ctx, pe);
  check_pe(r, w);
  if (n == 0) return;
  const T *remote = D == Direction::put ? dest : src;
  const ptrdiff_t rst = D == Direction::put ? dst : sst;
  T *first = reinterpret_cast<T *>(try_remote(remote, sizeof(T), w));
  T *last = reinterpret_cast<T *>(
      try_remote(remote + static_cast<ptrdiff_t>(n - 1) * rst, sizeof(T), w));
  if (__builtin_expect(first == nullptr || last == nullptr, 0)) {
    for (size_t i = 0; i < n; ++i)
      (D == Direction::put ? routed_put : routed_get)(
          r, ctx, dest + static_cast<ptrdiff_t>(i) * dst, src + static_cast<ptrdiff_t>(i) * sst,
          sizeof(T), w, true);
    return pe_quiet(ctx, w);
  }
  for (size_t i = 0; i < n; ++i) {
    const ptrdiff_t k = static_cast<ptrdiff_t>(i);
    if constexpr (D == Direction::put)
      first[k * dst] = src[k * sst];
    else
      dest[k * dst] = first[k * sst];
  }
}
template <class T>
inline void iput(const char *r, shmem_ctx_t ctx, T *dest, const T *src, ptrdiff_t dst,
                 ptrdiff_t sst, size_t n, int pe) {
  strided<Direction::put>(r, ctx, dest, src, dst, sst, n, pe);
}
template <class T>
inline void iget(const char *r, shmem_ctx_t ctx, T *dest, const T *src, ptrdiff_t dst,
                 ptrdiff_t sst, size_t n, int pe) {
  strided<Direction::get>(r, ctx, dest, src, dst, sst, n, pe);
}

// Blocked strided transfers (ibput/ibget): nblocks contiguous blocks of
// bsize elements, block i at dest + i * dst and source + i * sst.  Each
// block is one contiguous transfer, so a PE behind a transport gets nblocks
// calls, not one per element.
template <Direction D, class T>
inline void blocked(const char *r, shmem_ctx_t ctx, T *dest, const T *src, ptrdiff_t dst,
                    ptrdiff_t sst, size_t bsize, size_t nblocks, int pe) {
  int w = ctx_pe(r, ctx, pe);
  check_pe(r, w);
  if (dst < 1) fatal(r, "dst %td is not a stride of at least 1", dst);
  if (sst < 1) fatal(r, "sst %td is not a stride of at least 1", sst);
  for (size_t i = 0; bsize != 0 && i < nblocks; ++i) {
    T *to = dest + static_cast<ptrdiff_t>(i) * dst;
    const T *from = src + static_cast<ptrdiff_t>(i) * sst;
    if constexpr (D == Direction::put)
      put_to(r, ctx, to, from, bsize * sizeof(T), w, false);
    else
      get_from(r, ctx, to, from, bsize * sizeof(T), w, false);
  }
}
template <class T>
inline void ibput(const char *r, shmem_ctx_t ctx, T *dest, const T *src, ptrdiff_t dst,
                  ptrdiff_t sst, size_t bsize, size_t nblocks, int pe) {
  blocked<Direction::put>(r, ctx, dest, src, dst, sst, bsize, nblocks, pe);
}
template <class T>
inline void ibget(const char *r, shmem_ctx_t ctx, T *dest, const T *src, ptrdiff_t dst,
                  ptrdiff_t sst, size_t bsize, size_t nblocks, int pe) {
  blocked<Direction::get>(r, ctx, dest, src, dst, sst, bsize, nblocks, pe);
}

// put_signal: the data is visible before the signal is.
inline void put_signal(const char *r, shmem_ctx_t ctx, void *dest, const void *src,
                       size_t bytes, uint64_t *sig_addr, uint64_t signal, int sig_op,
                       int pe, bool nbi = false) {
  int w = ctx_pe(r, ctx, pe);
  check_pe(r, w);
  if (sig_op != SHMEM_SIGNAL_SET && sig_op != SHMEM_SIGNAL_ADD)
    fatal(r, "sig_op %d is neither SHMEM_SIGNAL_SET nor SHMEM_SIGNAL_ADD", sig_op);
  if (bytes) put_to(r, ctx, dest, src, bytes, w, nbi);
  uint64_t *s = reinterpret_cast<uint64_t *>(try_remote(sig_addr, sizeof(uint64_t), w));
  if (__builtin_expect((shmemi::g.reach[w] & kReachAmo) && s != nullptr &&
                           reinterpret_cast<uintptr_t>(s) % alignof(uint64_t) == 0,
                       1)) {
    std::atomic_ref<uint64_t> sig(*s);
    if (sig_op == SHMEM_SIGNAL_SET)
      sig.store(signal, std::memory_order_release);
    else
      sig.fetch_add(signal, std::memory_order_release);
    return;
  }
  // Through the transport: the fence puts the data before the signal.
  if (bytes && !(shmemi::g.reach[w] & kReachLoadStore)) fence(ctx);
  routed_amo(r, ctx, sig_addr, w, "sig_addr", sig_op == SHMEM_SIGNAL_SET ? AmoOp::set : AmoOp::fetch_add,
             TypeCode::u64, &signal, &signal, nullptr);
}

} // namespace shmemi::rma
