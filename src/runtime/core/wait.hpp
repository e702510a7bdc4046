// core/wait.hpp - point-to-point synchronization on local symmetric
// variables that peers update: wait_until and test in every form.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <type_traits>

#include "../../../include/shmem.h"
#include "state.hpp"

namespace shmemi::p2p {

template <class T> inline T load(const T *ivar) {
  return std::atomic_ref<T>(*const_cast<T *>(ivar)).load(std::memory_order_acquire);
}

inline void check_cmp(const char *r, int cmp) {
  if (__builtin_expect(cmp < SHMEM_CMP_EQ || cmp > SHMEM_CMP_GE, 0))
    fatal(r, "cmp %d is not one of SHMEM_CMP_EQ/NE/GT/LE/LT/GE", cmp);
}

template <class T> inline bool holds(T v, int cmp, T value) {
  switch (cmp) {
  case SHMEM_CMP_EQ: return v == value;
  case SHMEM_CMP_NE: return v != value;
  case SHMEM_CMP_GT: return v > value;
  case SHMEM_CMP_LE: return v <= value;
  case SHMEM_CMP_LT: return v < value;
  default: return v >= value; // SHMEM_CMP_GE (checked on entry)
  }
}

// For the hang watchdog's report: a comparison and a value as text.
inline const char *cmp_name(int cmp) {
  static const char *const names[] = {"SHMEM_CMP_EQ", "SHMEM_CMP_NE", "SHMEM_CMP_GT",
                                      "SHMEM_CMP_LE", "SHMEM_CMP_LT", "SHMEM_CMP_GE"};
  return cmp >= SHMEM_CMP_EQ && cmp <= SHMEM_CMP_GE ? names[cmp - SHMEM_CMP_EQ] : "?";
}
struct ValueText {
  char s[32];
};
template <class T> inline ValueText text(T v) {
  ValueText t;
  if constexpr (std::is_signed_v<T>)
    snprintf(t.s, sizeof t.s, "%lld", static_cast<long long>(v));
  else
    snprintf(t.s, sizeof t.s, "%llu", static_cast<unsigned long long>(v));
  return t;
}

// One loop per comparison, so that the spinning loop holds no switch.
template <class T, class Cmp>
inline T wait_while_not(const char *r, T *ivar, int cmp, T value, Cmp ok) {
  T v;
  wait_for([&] { return ok(v = load(ivar)); }, r, [&](char *b, size_t n) {
    snprintf(b, n, "%s(ivar=%p, cmp=%s, value=%s), current value %s", r, (void *)ivar,
             cmp_name(cmp), text(value).s, text(load(ivar)).s);
  });
  return v;
}

template <class T> inline T wait_until(const char *r, T *ivar, int cmp, T value) {
  require_init(r);
  switch (cmp) {
  case SHMEM_CMP_EQ: return wait_while_not(r, ivar, cmp, value, [value](T v) { return v == value; });
  case SHMEM_CMP_NE: return wait_while_not(r, ivar, cmp, value, [value](T v) { return v != value; });
  case SHMEM_CMP_GT: return wait_while_not(r, ivar, cmp, value, [value](T v) { return v > value; });
  case SHMEM_CMP_LE: return wait_while_not(r, ivar, cmp, value, [value](T v) { return v <= value; });
  case SHMEM_CMP_LT: return wait_while_not(r, ivar, cmp, value, [value](T v) { return v < value; });
  case SHMEM_CMP_GE: return wait_while_not(r, ivar, cmp, value, [value](T v) { return v >= value; });
  default: check_cmp(r, cmp); return value; // diagnosed
  }
}

// A test is the turn of a program's own polling loop: a network transport
// that moves operations in software moves those that target this PE here,
// or the loop would wait for them forever.
inline void poll_progress() {
  if (__builtin_expect(g.net != nullptr, 0)) net_progress();
}

template <class T> inline int test(const char *r, T *ivar, int cmp, T value) {
  require_init(r);
  check_cmp(r, cmp);
  poll_progress();
  return holds(load(ivar), cmp, value) ? 1 : 0;
}

// The vector forms: element i is compared with values[i] (a vector) or
// with one value; status[i] != 0 excludes element i.
template <class T> struct Cmp {
  const T *values;
  T value;
  T at(size_t i) const { return values ? values[i] : value; }
};
template <class T> inline Cmp<T> one(T value) { return Cmp<T>{nullptr, value}; }
template <class T> inline Cmp<T> each(const T *values) { return Cmp<T>{values, T{}}; }

template <class T>
inline bool all_hold(T *ivars, size_t n, const int *status, int cmp, Cmp<T> c) {
  for (size_t i = 0; i < n; ++i)
    if (!(status && status[i]) && !holds(load(ivars + i), cmp, c.at(i))) return false;
  return true;
}
// The _any forms must be fair: when element i keeps satisfying the test,
// "a series of calls must eventually return i".  Each search therefore
// starts at a pseudo-random element (a per-thread xorshift), which no
// pattern of calls - other routines or arrays in between - can defeat, as
// a cursor advanced by every call could.
inline size_t any_start(size_t n) {
  thread_local uint64_t x = 0x9E3779B97F4A7C15ull ^ reinterpret_cast<uintptr_t>(&x);
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return static_cast<size_t>(x % n);
}
template <class T>
inline size_t next_holding(T *ivars, size_t n, const int *status, int cmp, Cmp<T> c) {
  if (n == 0) return SIZE_MAX;
  size_t start = any_start(n);
  for (size_t j = 0; j < n; ++j) {
    size_t i = start + j < n ? start + j : start + j - n;
    if (!(status && status[i]) && holds(load(ivars + i), cmp, c.at(i))) return i;
  }
  return SIZE_MAX;
}
template <class T>
inline size_t all_holding(T *ivars, size_t n, size_t *indices, const int *status, int cmp,
                          Cmp<T> c) {
  size_t k = 0;
  for (size_t i = 0; i < n; ++i)
    if (!(status && status[i]) && holds(load(ivars + i), cmp, c.at(i))) indices[k++] = i;
  return k;
}
// The watchdog's text of a vector wait: its arguments and the current
// values of the first elements.
template <class T>
inline void describe_vector(char *b, size_t len, const char *r, T *ivars, size_t n,
                            const int *status, int cmp, Cmp<T> c) {
  int k = snprintf(b, len, "%s(ivars=%p, nelems=%zu, status=%p, cmp=%s, %s=", r,
                   (void *)ivars, n, (const void *)status, cmp_name(cmp),
                   c.values ? "values" : "value");
  if (c.values)
    k += snprintf(b + k, len - k, "%p), current values", (const void *)c.values);
  else
    k += snprintf(b + k, len - k, "%s), current values", text(c.value).s);
  for (size_t i = 0; i < n && i < 8 && k > 0 && static_cast<size_t>(k) < len; ++i)
    k += snprintf(b + k, len - k, "%s%s", i ? ", " : " ", text(load(ivars + i)).s);
  if (n > 8 && k > 0 && static_cast<size_t>(k) < len) snprintf(b + k, len - k, ", ...");
}

inline bool all_excluded(size_t n, const int *status) {
  if (!status) return n == 0;
  for (size_t i = 0; i < n; ++i)
    if (!status[i]) return false;
  return true;
}

template <class T>
inline void wait_all(const char *r, T *ivars, size_t n, const int *status, int cmp, Cmp<T> c) {
  require_init(r);
  check_cmp(r, cmp);
  wait_for([&] { return all_hold(ivars, n, status, cmp, c); }, r,
           [&](char *b, size_t len) { describe_vector(b, len, r, ivars, n, status, cmp, c); });
}
template <class T>
inline size_t wait_any(const char *r, T *ivars, size_t n, const int *status, int cmp, Cmp<T> c) {
  require_init(r);
  check_cmp(r, cmp);
  if (all_excluded(n, status)) return SIZE_MAX;
  size_t i;
  wait_for([&] { return (i = next_holding(ivars, n, status, cmp, c)) != SIZE_MAX; }, r,
           [&](char *b, size_t len) { describe_vector(b, len, r, ivars, n, status, cmp, c); });
  return i;
}
template <class T>
inline size_t wait_some(const char *r, T *ivars, size_t n, size_t *indices, const int *status,
                        int cmp, Cmp<T> c) {
  require_init(r);
  check_cmp(r, cmp);
  if (all_excluded(n, status)) return 0;
  size_t k;
  wait_for([&] { return (k = all_holding(ivars, n, indices, status, cmp, c)) != 0; }, r,
           [&](char *b, size_t len) { describe_vector(b, len, r, ivars, n, status, cmp, c); });
  return k;
}

} // namespace shmemi::p2p
