// api/rma.cpp - the typed, sized and byte RMA entry points and put_signal,
// stamped out from the type table.  Non-ctx forms use SHMEM_CTX_DEFAULT.
#include "../core/rma.hpp"

using namespace shmemi;

#define D (&ctx_default)

#define SHMEMI_DEF_RMA(NAME, T)                                                \
  void shmem_##NAME##_put(T *d, const T *s, size_t n, int pe) {               \
    rma::put("shmem_" #NAME "_put", D, d, s, n * sizeof(T), pe);              \
  }                                                                            \
  void shmem_ctx_##NAME##_put(shmem_ctx_t c, T *d, const T *s, size_t n, int pe) { \
    rma::put("shmem_ctx_" #NAME "_put", c, d, s, n * sizeof(T), pe);          \
  }                                                                            \
  void shmem_##NAME##_put_nbi(T *d, const T *s, size_t n, int pe) {           \
    rma::put_nbi("shmem_" #NAME "_put_nbi", D, d, s, n * sizeof(T), pe);          \
  }                                                                            \
  void shmem_ctx_##NAME##_put_nbi(shmem_ctx_t c, T *d, const T *s, size_t n, int pe) { \
    rma::put_nbi("shmem_ctx_" #NAME "_put_nbi", c, d, s, n * sizeof(T), pe);      \
  }                                                                            \
  void shmem_##NAME##_get(T *d, const T *s, size_t n, int pe) {               \
    rma::get("shmem_" #NAME "_get", D, d, s, n * sizeof(T), pe);              \
  }                                                                            \
  void shmem_ctx_##NAME##_get(shmem_ctx_t c, T *d, const T *s, size_t n, int pe) { \
    rma::get("shmem_ctx_" #NAME "_get", c, d, s, n * sizeof(T), pe);          \
  }                                                                            \
  void shmem_##NAME##_get_nbi(T *d, const T *s, size_t n, int pe) {           \
    rma::get_nbi("shmem_" #NAME "_get_nbi", D, d, s, n * sizeof(T), pe);          \
  }                                                                            \
  void shmem_ctx_##NAME##_get_nbi(shmem_ctx_t c, T *d, const T *s, size_t n, int pe) { \
    rma::get_nbi("shmem_ctx_" #NAME "_get_nbi", c, d, s, n * sizeof(T), pe);      \
  }                                                                            \
  void shmem_##NAME##_p(T *d, T v, int pe) { rma::p<T>("shmem_" #NAME "_p", D, d, v, pe); } \
  void shmem_ctx_##NAME##_p(shmem_ctx_t c, T *d, T v, int pe) {               \
    rma::p<T>("shmem_ctx_" #NAME "_p", c, d, v, pe);                          \
  }                                                                            \
  T shmem_##NAME##_g(const T *s, int pe) { return rma::g<T>("shmem_" #NAME "_g", D, s, pe); } \
  T shmem_ctx_##NAME##_g(shmem_ctx_t c, const T *s, int pe) {                 \
    return rma::g<T>("shmem_ctx_" #NAME "_g", c, s, pe);                      \
  }                                                                            \
  void shmem_##NAME##_iput(T *d, const T *s, ptrdiff_t dst, ptrdiff_t sst, size_t n, int pe) { \
    rma::iput<T>("shmem_" #NAME "_iput", D, d, s, dst, sst, n, pe);           \
  }                                                                            \
  void shmem_ctx_##NAME##_iput(shmem_ctx_t c, T *d, const T *s, ptrdiff_t dst, \
                               ptrdiff_t sst, size_t n, int pe) {              \
    rma::iput<T>("shmem_ctx_" #NAME "_iput", c, d, s, dst, sst, n, pe);       \
  }                                                                            \
  void shmem_##NAME##_iget(T *d, const T *s, ptrdiff_t dst, ptrdiff_t sst, size_t n, int pe) { \
    rma::iget<T>("shmem_" #NAME "_iget", D, d, s, dst, sst, n, pe);           \
  }                                                                            \
  void shmem_ctx_##NAME##_iget(shmem_ctx_t c, T *d, const T *s, ptrdiff_t dst, \
                               ptrdiff_t sst, size_t n, int pe) {              \
    rma::iget<T>("shmem_ctx_" #NAME "_iget", c, d, s, dst, sst, n, pe);       \
  }                                                                            \
  SHMEMI_DEF_IB(shmem_##NAME##_ibput, shmem_ctx_##NAME##_ibput, ibput, T, T)   \
  SHMEMI_DEF_IB(shmem_##NAME##_ibget, shmem_ctx_##NAME##_ibget, ibget, T, T)   \
  SHMEMI_DEF_PUT_SIGNAL(NAME, T, sizeof(T))

// ibput / ibget: typed (P = T) or sized (P = void, moved as T).
#define SHMEMI_DEF_IB(FN, CFN, OP, P, T)                                       \
  void FN(P *d, const P *s, ptrdiff_t dst, ptrdiff_t sst, size_t bs, size_t nb, int pe) { \
    rma::OP<T>(#FN, D, static_cast<T *>(d), static_cast<const T *>(s), dst, sst, bs, nb, pe); \
  }                                                                            \
  void CFN(shmem_ctx_t c, P *d, const P *s, ptrdiff_t dst, ptrdiff_t sst, size_t bs, \
           size_t nb, int pe) {                                                \
    rma::OP<T>(#CFN, c, static_cast<T *>(d), static_cast<const T *>(s), dst, sst, bs, nb, pe); \
  }

// put_signal and put_signal_nbi, typed (NAME=int) or untyped (NAME=8, mem).
#define SHMEMI_DEF_PUT_SIGNAL_ONE(FN, CFN, T, ELEM, NBI)                       \
  void FN(T *d, const T *s, size_t n, uint64_t *sig, uint64_t v, int op, int pe) { \
    rma::put_signal(#FN, D, d, s, n * (ELEM), sig, v, op, pe, NBI);           \
  }                                                                            \
  void CFN(shmem_ctx_t c, T *d, const T *s, size_t n, uint64_t *sig, uint64_t v, \
           int op, int pe) {                                                   \
    rma::put_signal(#CFN, c, d, s, n * (ELEM), sig, v, op, pe, NBI);          \
  }
#define SHMEMI_DEF_PUT_SIGNAL(NAME, T, ELEM)                                   \
  SHMEMI_DEF_PUT_SIGNAL_ONE(shmem_##NAME##_put_signal,                        \
                            shmem_ctx_##NAME##_put_signal, T, ELEM, false)     \
  SHMEMI_DEF_PUT_SIGNAL_ONE(shmem_##NAME##_put_signal_nbi,                    \
                            shmem_ctx_##NAME##_put_signal_nbi, T, ELEM, true)

// putN / getN / putmem / getmem (and their nbi and signal forms).
#define SHMEMI_DEF_RMA_UNTYPED_ONE(FN, CFN, OP, ELEM)                          \
  void FN(void *d, const void *s, size_t n, int pe) { rma::OP(#FN, D, d, s, n * (ELEM), pe); } \
  void CFN(shmem_ctx_t c, void *d, const void *s, size_t n, int pe) {         \
    rma::OP(#CFN, c, d, s, n * (ELEM), pe);                                   \
  }
#define SHMEMI_DEF_RMA_UNTYPED(NAME, ELEM)                                     \
  SHMEMI_DEF_RMA_UNTYPED_ONE(shmem_put##NAME, shmem_ctx_put##NAME, put, ELEM) \
  SHMEMI_DEF_RMA_UNTYPED_ONE(shmem_get##NAME, shmem_ctx_get##NAME, get, ELEM) \
  SHMEMI_DEF_RMA_UNTYPED_ONE(shmem_put##NAME##_nbi, shmem_ctx_put##NAME##_nbi, put_nbi, ELEM) \
  SHMEMI_DEF_RMA_UNTYPED_ONE(shmem_get##NAME##_nbi, shmem_ctx_get##NAME##_nbi, get_nbi, ELEM) \
  SHMEMI_DEF_PUT_SIGNAL_ONE(shmem_put##NAME##_signal, shmem_ctx_put##NAME##_signal, void, ELEM, false) \
  SHMEMI_DEF_PUT_SIGNAL_ONE(shmem_put##NAME##_signal_nbi,                     \
                            shmem_ctx_put##NAME##_signal_nbi, void, ELEM, true)
#define SHMEMI_DEF_RMA_STRIDED_ONE(FN, CFN, OP, T)                             \
  void FN(void *d, const void *s, ptrdiff_t dst, ptrdiff_t sst, size_t n, int pe) { \
    rma::OP<T>(#FN, D, static_cast<T *>(d), static_cast<const T *>(s), dst, sst, n, pe); \
  }                                                                            \
  void CFN(shmem_ctx_t c, void *d, const void *s, ptrdiff_t dst, ptrdiff_t sst, \
           size_t n, int pe) {                                                 \
    rma::OP<T>(#CFN, c, static_cast<T *>(d), static_cast<const T *>(s), dst, sst, n, pe); \
  }
#define SHMEMI_DEF_RMA_SIZED(BITS, T)                                          \
  SHMEMI_DEF_RMA_UNTYPED(BITS, sizeof(T))                                     \
  SHMEMI_DEF_RMA_STRIDED_ONE(shmem_iput##BITS, shmem_ctx_iput##BITS, iput, T) \
  SHMEMI_DEF_RMA_STRIDED_ONE(shmem_iget##BITS, shmem_ctx_iget##BITS, iget, T) \
  SHMEMI_DEF_IB(shmem_ibput##BITS, shmem_ctx_ibput##BITS, ibput, void, T)      \
  SHMEMI_DEF_IB(shmem_ibget##BITS, shmem_ctx_ibget##BITS, ibget, void, T)

extern "C" {
SHMEM_RMA_TYPES(SHMEMI_DEF_RMA)
SHMEM_SIZED_RMA(SHMEMI_DEF_RMA_SIZED)
SHMEMI_DEF_RMA_UNTYPED(mem, 1)
}
