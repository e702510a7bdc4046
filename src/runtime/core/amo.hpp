// core/amo.hpp - atomic memory operations, once for every type: a CPU
// atomic on the target PE's memory where this PE owns that PE's atomics,
// the PE's transport otherwise (route.hpp).
#pragma once
#include "route.hpp"
#include "team.hpp"

namespace shmemi::amo {

template <class T>
SHMEMI_HOT T op(const char *r, shmem_ctx_t c, const T *d, int pe, const char *arg, AmoOp o, T v,
                T cond = T{}) {
  int w = ctx_pe(r, c, pe);
  check_pe(r, w);
  return amo_on<T>(r, c, d, w, arg, o, v, cond);
}

template <class T> inline T fetch(const char *r, shmem_ctx_t c, const T *src, int pe) {
  return op<T>(r, c, src, pe, "source", AmoOp::fetch, T{});
}
template <class T> inline void set(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  (void)op<T>(r, c, d, pe, "dest", AmoOp::set, v);
}
template <class T> inline T swap(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return op<T>(r, c, d, pe, "dest", AmoOp::swap, v);
}
// The old value, whether or not it was replaced.
template <class T> inline T compare_swap(const char *r, shmem_ctx_t c, T *d, T cond, T v, int pe) {
  return op<T>(r, c, d, pe, "dest", AmoOp::compare_swap, v, cond);
}
template <class T> inline T fetch_add(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return op<T>(r, c, d, pe, "dest", AmoOp::fetch_add, v);
}
template <class T> inline T fetch_and(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return op<T>(r, c, d, pe, "dest", AmoOp::fetch_and, v);
}
template <class T> inline T fetch_or(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return op<T>(r, c, d, pe, "dest", AmoOp::fetch_or, v);
}
template <class T> inline T fetch_xor(const char *r, shmem_ctx_t c, T *d, T v, int pe) {
  return op<T>(r, c, d, pe, "dest", AmoOp::fetch_xor, v);
}

} // namespace shmemi::amo
