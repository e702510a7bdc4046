// api/active_set.cpp - the deprecated (OpenSHMEM 1.4) active-set
// collectives: an active set is PE_start, logPE_stride, PE_size; PE_root is
// relative to it; the user's pSync array synchronizes (core/collectives.cpp
// explains the protocol that returns it to SHMEM_SYNC_VALUE after each call).
#include "../core/collectives.hpp"
#include "../core/route.hpp"

using namespace shmemi;
using coll::active_set;

#define SHMEMI_AS_ARGS int PE_start, int logPE_stride, int PE_size, long *pSync
#define SHMEMI_AS(R) active_set(R, PE_start, logPE_stride, PE_size, pSync)
#define SHMEMI_AS_SYNC(R) \
  active_set(R, PE_start, logPE_stride, PE_size, pSync, CallClass::sync)

#define SHMEMI_DEF_ACTIVE_SET(BITS)                                            \
  void shmem_broadcast##BITS(void *dest, const void *source, size_t nelems,   \
                             int PE_root, SHMEMI_AS_ARGS) {                    \
    const char *r = "shmem_broadcast" #BITS;                                  \
    coll::broadcast(SHMEMI_AS(r), dest, source, coll::bytes_of(r, nelems, BITS / 8), \
                    PE_root, false);                                           \
  }                                                                            \
  void shmem_collect##BITS(void *dest, const void *source, size_t nelems,     \
                           SHMEMI_AS_ARGS) {                                   \
    coll::collect(SHMEMI_AS("shmem_collect" #BITS), dest, source, BITS / 8, nelems); \
  }                                                                            \
  void shmem_fcollect##BITS(void *dest, const void *source, size_t nelems,    \
                            SHMEMI_AS_ARGS) {                                  \
    const char *r = "shmem_fcollect" #BITS;                                   \
    coll::fcollect(SHMEMI_AS(r), dest, source, coll::bytes_of(r, nelems, BITS / 8)); \
  }                                                                            \
  void shmem_alltoall##BITS(void *dest, const void *source, size_t nelems,    \
                            SHMEMI_AS_ARGS) {                                  \
    const char *r = "shmem_alltoall" #BITS;                                   \
    coll::alltoall(SHMEMI_AS(r), dest, source, coll::bytes_of(r, nelems, BITS / 8)); \
  }                                                                            \
  void shmem_alltoalls##BITS(void *dest, const void *source, ptrdiff_t dst,   \
                             ptrdiff_t sst, size_t nelems, SHMEMI_AS_ARGS) {   \
    coll::alltoalls(SHMEMI_AS("shmem_alltoalls" #BITS), dest, source, dst, sst, \
                    BITS / 8, nelems);                                         \
  }

#define SHMEMI_DEF_TO_ALL_OP(NAME, T, OP)                                      \
  void shmem_##NAME##_##OP##_to_all(T *dest, const T *source, int nreduce,    \
                                    SHMEMI_AS_ARGS_W(T)) {                     \
    const char *r = "shmem_" #NAME "_" #OP "_to_all";                         \
    (void)pWrk; /* each PE reduces into a local buffer */                      \
    if (nreduce < 0) fatal(r, "nreduce %d is negative", nreduce);              \
    coll::reduce<T, coll::op_##OP>(SHMEMI_AS(r), dest, source,                \
                                   static_cast<size_t>(nreduce));              \
  }
#define SHMEMI_AS_ARGS_W(T) \
  int PE_start, int logPE_stride, int PE_size, T *pWrk, long *pSync
#define SHMEMI_DEF_TO_ALL_BITWISE(NAME, T) SHMEM_REDUCE_BITWISE_OPS(SHMEMI_DEF_TO_ALL_OP, NAME, T)
#define SHMEMI_DEF_TO_ALL_MINMAX(NAME, T) SHMEM_REDUCE_MINMAX_OPS(SHMEMI_DEF_TO_ALL_OP, NAME, T)
#define SHMEMI_DEF_TO_ALL_ARITH(NAME, T) SHMEM_REDUCE_ARITH_OPS(SHMEMI_DEF_TO_ALL_OP, NAME, T)

extern "C" {

void shmem_barrier(SHMEMI_AS_ARGS) {
  coll::Group gr = SHMEMI_AS_SYNC("shmem_barrier");
  shmemi::quiet(nullptr);
  coll::sync(gr);
}

void shmem_sync(SHMEMI_AS_ARGS) { coll::sync(SHMEMI_AS_SYNC("shmem_sync")); }

SHMEMI_DEF_ACTIVE_SET(32)
SHMEMI_DEF_ACTIVE_SET(64)
SHMEM_TO_ALL_BITWISE_TYPES(SHMEMI_DEF_TO_ALL_BITWISE)
SHMEM_TO_ALL_MINMAX_TYPES(SHMEMI_DEF_TO_ALL_MINMAX)
SHMEM_TO_ALL_ARITH_TYPES(SHMEMI_DEF_TO_ALL_ARITH)

} // extern "C"
