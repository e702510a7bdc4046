// api/p2p_sync.cpp - wait_until / test in all forms, for every sync type,
// and the signal routines.
#include "../core/rma.hpp"
#include "../core/wait.hpp"

using namespace shmemi;
using p2p::Cmp;

#define SHMEMI_DEF_SYNC(NAME, T)                                               \
  void shmem_##NAME##_wait_until(T *ivar, int cmp, T v) {                     \
    p2p::wait_until<T>("shmem_" #NAME "_wait_until", ivar, cmp, v);           \
  }                                                                            \
  int shmem_##NAME##_test(T *ivar, int cmp, T v) {                            \
    return p2p::test<T>("shmem_" #NAME "_test", ivar, cmp, v);                \
  }
#define SHMEMI_DEF_SYNC_VECTOR(NAME, T, SUFFIX, VP, CMPV)                      \
  void shmem_##NAME##_wait_until_all##SUFFIX(T *iv, size_t n, const int *st, int cmp, VP) { \
    p2p::wait_all<T>("shmem_" #NAME "_wait_until_all" #SUFFIX, iv, n, st, cmp, CMPV); \
  }                                                                            \
  size_t shmem_##NAME##_wait_until_any##SUFFIX(T *iv, size_t n, const int *st, int cmp, VP) { \
    return p2p::wait_any<T>("shmem_" #NAME "_wait_until_any" #SUFFIX, iv, n, st, cmp, CMPV); \
  }                                                                            \
  size_t shmem_##NAME##_wait_until_some##SUFFIX(T *iv, size_t n, size_t *idx, const int *st, \
                                                int cmp, VP) {                 \
    return p2p::wait_some<T>("shmem_" #NAME "_wait_until_some" #SUFFIX, iv, n, idx, st, cmp, \
                             CMPV);                                            \
  }                                                                            \
  int shmem_##NAME##_test_all##SUFFIX(T *iv, size_t n, const int *st, int cmp, VP) { \
    require_init("shmem_" #NAME "_test_all" #SUFFIX);                         \
    p2p::check_cmp("shmem_" #NAME "_test_all" #SUFFIX, cmp);                  \
    p2p::poll_progress();                                                      \
    return p2p::all_hold<T>(iv, n, st, cmp, CMPV) ? 1 : 0;                    \
  }                                                                            \
  size_t shmem_##NAME##_test_any##SUFFIX(T *iv, size_t n, const int *st, int cmp, VP) { \
    require_init("shmem_" #NAME "_test_any" #SUFFIX);                         \
    p2p::check_cmp("shmem_" #NAME "_test_any" #SUFFIX, cmp);                  \
    p2p::poll_progress();                                                      \
    return p2p::next_holding<T>(iv, n, st, cmp, CMPV);                       \
  }                                                                            \
  size_t shmem_##NAME##_test_some##SUFFIX(T *iv, size_t n, size_t *idx, const int *st, \
                                          int cmp, VP) {                       \
    require_init("shmem_" #NAME "_test_some" #SUFFIX);                        \
    p2p::check_cmp("shmem_" #NAME "_test_some" #SUFFIX, cmp);                 \
    p2p::poll_progress();                                                      \
    return p2p::all_holding<T>(iv, n, idx, st, cmp, CMPV);                    \
  }
#define SHMEMI_DEF_SYNC_ALL(NAME, T)                                           \
  SHMEMI_DEF_SYNC(NAME, T)                                                     \
  SHMEMI_DEF_SYNC_VECTOR(NAME, T, , T v, p2p::one<T>(v))                \
  SHMEMI_DEF_SYNC_VECTOR(NAME, T, _vector, const T *vs, p2p::each<T>(vs))

#define SHMEMI_DEF_WAIT_DEPRECATED(NAME, T)                                    \
  void shmem_##NAME##_wait(T *ivar, T v) {                                    \
    p2p::wait_until<T>("shmem_" #NAME "_wait", ivar, SHMEM_CMP_NE, v);        \
  }

extern "C" {
SHMEM_SYNC_TYPES(SHMEMI_DEF_SYNC_ALL)
SHMEM_SYNC_TYPES_DEPRECATED(SHMEMI_DEF_SYNC_ALL)
SHMEM_DEPRECATED_WAIT_TYPES(SHMEMI_DEF_WAIT_DEPRECATED)

void shmem_wait(long *ivar, long v) { p2p::wait_until<long>("shmem_wait", ivar, SHMEM_CMP_NE, v); }
void shmem_wait_until(long *ivar, int cmp, long v) {
  p2p::wait_until<long>("shmem_wait_until", ivar, cmp, v);
}

uint64_t shmem_signal_fetch(const uint64_t *sig_addr) {
  require_init("shmem_signal_fetch");
  p2p::poll_progress();
  return p2p::load(sig_addr);
}

uint64_t shmem_signal_wait_until(uint64_t *sig_addr, int cmp, uint64_t v) {
  return p2p::wait_until<uint64_t>("shmem_signal_wait_until", sig_addr, cmp, v);
}

// signal_add / signal_set (1.6): the signal update of put_signal, alone.
#define SHMEMI_DEF_SIGNAL_UPDATE(OP, SIG_OP)                                   \
  void shmem_signal_##OP(uint64_t *sig, uint64_t v, int pe) {                 \
    rma::put_signal("shmem_signal_" #OP, &ctx_default, nullptr, nullptr, 0, sig, v, SIG_OP, pe); \
  }                                                                            \
  void shmem_ctx_signal_##OP(shmem_ctx_t c, uint64_t *sig, uint64_t v, int pe) { \
    rma::put_signal("shmem_ctx_signal_" #OP, c, nullptr, nullptr, 0, sig, v, SIG_OP, pe); \
  }
SHMEMI_DEF_SIGNAL_UPDATE(add, SHMEM_SIGNAL_ADD)
SHMEMI_DEF_SIGNAL_UPDATE(set, SHMEM_SIGNAL_SET)
}
