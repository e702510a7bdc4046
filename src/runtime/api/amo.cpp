// api/amo.cpp - every standard, extended, bitwise and non-blocking fetching
// AMO, and the deprecated names, stamped out from the type table.  The
// non-blocking forms complete at return on every transport so far.
#include "../core/amo.hpp"

using namespace shmemi;

#define D (&ctx_default)

// One operation in its four shapes: blocking and _nbi, with and without ctx.
// ARGS/PARAMS are the operands after `dest` (value, or cond and value).
#define SHMEMI_DEF_FETCHING(NAME, T, OP, FN, PARAMS, ARGS)                     \
  T shmem_##NAME##_atomic_##OP(T *dest PARAMS, int pe) {                      \
    return amo::FN<T>("shmem_" #NAME "_atomic_" #OP, D, dest ARGS, pe);        \
  }                                                                            \
  T shmem_ctx_##NAME##_atomic_##OP(shmem_ctx_t c, T *dest PARAMS, int pe) {   \
    return amo::FN<T>("shmem_ctx_" #NAME "_atomic_" #OP, c, dest ARGS, pe);    \
  }                                                                            \
  void shmem_##NAME##_atomic_##OP##_nbi(T *fetch, T *dest PARAMS, int pe) {   \
    *fetch = amo::FN<T>("shmem_" #NAME "_atomic_" #OP "_nbi", D, dest ARGS, pe); \
  }                                                                            \
  void shmem_ctx_##NAME##_atomic_##OP##_nbi(shmem_ctx_t c, T *fetch, T *dest PARAMS, \
                                            int pe) {                          \
    *fetch = amo::FN<T>("shmem_ctx_" #NAME "_atomic_" #OP "_nbi", c, dest ARGS, pe); \
  }
// A non-fetching operation (inc, add, and, ...): the fetching core, result dropped.
#define SHMEMI_DEF_NONFETCHING(NAME, T, OP, FN, PARAMS, ARGS)                  \
  void shmem_##NAME##_atomic_##OP(T *dest PARAMS, int pe) {                   \
    (void)amo::FN<T>("shmem_" #NAME "_atomic_" #OP, D, dest ARGS, pe);         \
  }                                                                            \
  void shmem_ctx_##NAME##_atomic_##OP(shmem_ctx_t c, T *dest PARAMS, int pe) { \
    (void)amo::FN<T>("shmem_ctx_" #NAME "_atomic_" #OP, c, dest ARGS, pe);     \
  }

#define P_VALUE(T) , T value
#define A_VALUE , value
#define A_ONE(T) , static_cast<T>(1)
#define P_COND_VALUE(T) , T cond, T value
#define A_COND_VALUE , cond, value

#define SHMEMI_DEF_AMO_EXTENDED(NAME, T)                                       \
  SHMEMI_DEF_FETCHING(NAME, T, swap, swap, P_VALUE(T), A_VALUE)               \
  T shmem_##NAME##_atomic_fetch(const T *src, int pe) {                       \
    return amo::fetch<T>("shmem_" #NAME "_atomic_fetch", D, src, pe);         \
  }                                                                            \
  T shmem_ctx_##NAME##_atomic_fetch(shmem_ctx_t c, const T *src, int pe) {    \
    return amo::fetch<T>("shmem_ctx_" #NAME "_atomic_fetch", c, src, pe);     \
  }                                                                            \
  void shmem_##NAME##_atomic_fetch_nbi(T *fetch, const T *src, int pe) {      \
    *fetch = amo::fetch<T>("shmem_" #NAME "_atomic_fetch_nbi", D, src, pe);   \
  }                                                                            \
  void shmem_ctx_##NAME##_atomic_fetch_nbi(shmem_ctx_t c, T *fetch, const T *src, int pe) { \
    *fetch = amo::fetch<T>("shmem_ctx_" #NAME "_atomic_fetch_nbi", c, src, pe); \
  }                                                                            \
  void shmem_##NAME##_atomic_set(T *dest, T value, int pe) {                  \
    amo::set<T>("shmem_" #NAME "_atomic_set", D, dest, value, pe);            \
  }                                                                            \
  void shmem_ctx_##NAME##_atomic_set(shmem_ctx_t c, T *dest, T value, int pe) { \
    amo::set<T>("shmem_ctx_" #NAME "_atomic_set", c, dest, value, pe);        \
  }

#define SHMEMI_DEF_AMO_STANDARD(NAME, T)                                       \
  SHMEMI_DEF_FETCHING(NAME, T, compare_swap, compare_swap, P_COND_VALUE(T),   \
                      A_COND_VALUE)                                            \
  SHMEMI_DEF_FETCHING(NAME, T, fetch_inc, fetch_add, , A_ONE(T))                 \
  SHMEMI_DEF_FETCHING(NAME, T, fetch_add, fetch_add, P_VALUE(T), A_VALUE)     \
  SHMEMI_DEF_NONFETCHING(NAME, T, inc, fetch_add, , A_ONE(T))                    \
  SHMEMI_DEF_NONFETCHING(NAME, T, add, fetch_add, P_VALUE(T), A_VALUE)

#define SHMEMI_DEF_AMO_BITWISE(NAME, T)                                        \
  SHMEMI_DEF_FETCHING(NAME, T, fetch_and, fetch_and, P_VALUE(T), A_VALUE)     \
  SHMEMI_DEF_FETCHING(NAME, T, fetch_or, fetch_or, P_VALUE(T), A_VALUE)       \
  SHMEMI_DEF_FETCHING(NAME, T, fetch_xor, fetch_xor, P_VALUE(T), A_VALUE)     \
  SHMEMI_DEF_NONFETCHING(NAME, T, and, fetch_and, P_VALUE(T), A_VALUE)        \
  SHMEMI_DEF_NONFETCHING(NAME, T, or, fetch_or, P_VALUE(T), A_VALUE)          \
  SHMEMI_DEF_NONFETCHING(NAME, T, xor, fetch_xor, P_VALUE(T), A_VALUE)

// Deprecated (1.3) names map onto the same operations.
#define SHMEMI_DEF_AMO_DEPRECATED(NAME, T)                                     \
  T shmem_##NAME##_finc(T *d, int pe) { return amo::fetch_add<T>("shmem_" #NAME "_finc", D, d, static_cast<T>(1), pe); } \
  void shmem_##NAME##_inc(T *d, int pe) { (void)amo::fetch_add<T>("shmem_" #NAME "_inc", D, d, static_cast<T>(1), pe); } \
  T shmem_##NAME##_fadd(T *d, T v, int pe) { return amo::fetch_add<T>("shmem_" #NAME "_fadd", D, d, v, pe); } \
  void shmem_##NAME##_add(T *d, T v, int pe) { (void)amo::fetch_add<T>("shmem_" #NAME "_add", D, d, v, pe); } \
  T shmem_##NAME##_cswap(T *d, T cond, T v, int pe) {                         \
    return amo::compare_swap<T>("shmem_" #NAME "_cswap", D, d, cond, v, pe);  \
  }
#define SHMEMI_DEF_AMO_DEPRECATED_EXT(NAME, T)                                 \
  T shmem_##NAME##_swap(T *d, T v, int pe) { return amo::swap<T>("shmem_" #NAME "_swap", D, d, v, pe); } \
  T shmem_##NAME##_fetch(const T *s, int pe) { return amo::fetch<T>("shmem_" #NAME "_fetch", D, s, pe); } \
  void shmem_##NAME##_set(T *d, T v, int pe) { amo::set<T>("shmem_" #NAME "_set", D, d, v, pe); }

extern "C" {
SHMEM_AMO_EXTENDED_TYPES(SHMEMI_DEF_AMO_EXTENDED)
SHMEM_AMO_STANDARD_TYPES(SHMEMI_DEF_AMO_STANDARD)
SHMEM_AMO_BITWISE_TYPES(SHMEMI_DEF_AMO_BITWISE)
SHMEM_DEPRECATED_AMO_TYPES(SHMEMI_DEF_AMO_DEPRECATED)
SHMEM_DEPRECATED_AMO_EXT_TYPES(SHMEMI_DEF_AMO_DEPRECATED_EXT)
}
