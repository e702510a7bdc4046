// core/rma.hpp - RMA and signal operations over any context, written once
// for every element type; the API layer stamps out the typed entry points.
#pragma once
#include <atomic>

#include "../transport/transport.hpp"
#include "team.hpp"

namespace shmemi::rma {

SHMEMI_HOT void put(const char *r, shmem_ctx_t ctx, void *dest, const void *src, size_t bytes,
                int pe) {
  int w = ctx_pe(r, ctx, pe);
  if (__builtin_expect(bytes == 0, 0)) return check_pe(r, w);
  transport::put(r, dest, src, bytes, w);
}

SHMEMI_HOT void get(const char *r, shmem_ctx_t ctx, void *dest, const void *src, size_t bytes,
                int pe) {
  int w = ctx_pe(r, ctx, pe);
  if (__builtin_expect(bytes == 0, 0)) return check_pe(r, w);
  transport::get(r, dest, src, bytes, w);
}

template <class T> inline void p(const char *r, shmem_ctx_t ctx, T *dest, T value, int pe) {
  transport::put_value<T>(r, dest, value, ctx_pe(r, ctx, pe));
}

template <class T> inline T g(const char *r, shmem_ctx_t ctx, const T *src, int pe) {
  return transport::get_value<T>(r, src, ctx_pe(r, ctx, pe));
}

// Strided transfers: the first and last remote elements are checked, the
// rest lie between them in the same region.
template <class T>
inline void iput(const char *r, shmem_ctx_t ctx, T *dest, const T *src, ptrdiff_t dst,
                 ptrdiff_t sst, size_t n, int pe) {
  int w = ctx_pe(r, ctx, pe);
  if (n == 0) return check_pe(r, w);
  T *first = reinterpret_cast<T *>(remote(r, dest, sizeof(T), w));
  remote(r, dest + static_cast<ptrdiff_t>(n - 1) * dst, sizeof(T), w);
  for (size_t i = 0; i < n; ++i)
    first[static_cast<ptrdiff_t>(i) * dst] = src[static_cast<ptrdiff_t>(i) * sst];
}

template <class T>
inline void iget(const char *r, shmem_ctx_t ctx, T *dest, const T *src, ptrdiff_t dst,
                 ptrdiff_t sst, size_t n, int pe) {
  int w = ctx_pe(r, ctx, pe);
  if (n == 0) return check_pe(r, w);
  const T *first = reinterpret_cast<const T *>(remote(r, src, sizeof(T), w, "source"));
  remote(r, src + static_cast<ptrdiff_t>(n - 1) * sst, sizeof(T), w, "source");
  for (size_t i = 0; i < n; ++i)
    dest[static_cast<ptrdiff_t>(i) * dst] = first[static_cast<ptrdiff_t>(i) * sst];
}

// put_signal: the data is visible before the signal is.
inline void put_signal(const char *r, shmem_ctx_t ctx, void *dest, const void *src,
                       size_t bytes, uint64_t *sig_addr, uint64_t signal, int sig_op,
                       int pe) {
  int w = ctx_pe(r, ctx, pe);
  if (bytes) transport::put(r, dest, src, bytes, w);
  std::atomic_ref<uint64_t> sig = transport::amo_ref<uint64_t>(r, sig_addr, w, "sig_addr");
  if (sig_op == SHMEM_SIGNAL_SET)
    sig.store(signal, std::memory_order_release);
  else if (sig_op == SHMEM_SIGNAL_ADD)
    sig.fetch_add(signal, std::memory_order_release);
  else
    fatal(r, "sig_op %d is neither SHMEM_SIGNAL_SET nor SHMEM_SIGNAL_ADD", sig_op);
}

} // namespace shmemi::rma
