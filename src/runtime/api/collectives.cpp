// api/collectives.cpp - the team collectives of OpenSHMEM 1.6: sync,
// broadcast, collect, fcollect, alltoall(s) for every RMA type and in
// bytes, the reductions for every type of their tables and the prefix sums.  Each returns 0
// on success; misuse is diagnosed (core/collectives.cpp).
#include "../core/collectives.hpp"

using namespace shmemi;
using coll::team_group;

#define SHMEMI_DEF_COLL(NAME, T)                                               \
  int shmem_##NAME##_broadcast(shmem_team_t team, T *dest, const T *source,   \
                               size_t nelems, int PE_root) {                   \
    const char *r = "shmem_" #NAME "_broadcast";                              \
    return coll::broadcast(team_group(r, team), dest, source,                 \
                           coll::bytes_of(r, nelems, sizeof(T)), PE_root, true); \
  }                                                                            \
  int shmem_##NAME##_collect(shmem_team_t team, T *dest, const T *source,     \
                             size_t nelems) {                                  \
    return coll::collect(team_group("shmem_" #NAME "_collect", team), dest,   \
                         source, sizeof(T), nelems);                           \
  }                                                                            \
  int shmem_##NAME##_fcollect(shmem_team_t team, T *dest, const T *source,    \
                              size_t nelems) {                                 \
    const char *r = "shmem_" #NAME "_fcollect";                               \
    return coll::fcollect(team_group(r, team), dest, source,                  \
                          coll::bytes_of(r, nelems, sizeof(T)));              \
  }                                                                            \
  int shmem_##NAME##_alltoall(shmem_team_t team, T *dest, const T *source,    \
                              size_t nelems) {                                 \
    const char *r = "shmem_" #NAME "_alltoall";                               \
    return coll::alltoall(team_group(r, team), dest, source,                  \
                          coll::bytes_of(r, nelems, sizeof(T)));              \
  }                                                                            \
  int shmem_##NAME##_alltoalls(shmem_team_t team, T *dest, const T *source,   \
                               ptrdiff_t dst, ptrdiff_t sst, size_t nelems) {  \
    return coll::alltoalls(team_group("shmem_" #NAME "_alltoalls", team), dest, \
                           source, dst, sst, sizeof(T), nelems);               \
  }

#define SHMEMI_DEF_REDUCE_OP(NAME, T, OP)                                      \
  int shmem_##NAME##_##OP##_reduce(shmem_team_t team, T *dest, const T *source, \
                                   size_t nreduce) {                           \
    return coll::reduce<T, coll::op_##OP>(                                     \
        team_group("shmem_" #NAME "_" #OP "_reduce", team), dest, source, nreduce); \
  }
#define SHMEMI_DEF_SCAN(NAME, T)                                               \
  int shmem_##NAME##_sum_inscan(shmem_team_t team, T *dest, const T *source,  \
                                size_t nelems) {                               \
    return coll::scan<T>(team_group("shmem_" #NAME "_sum_inscan", team), dest, source, \
                         nelems, true);                                        \
  }                                                                            \
  int shmem_##NAME##_sum_exscan(shmem_team_t team, T *dest, const T *source,  \
                                size_t nelems) {                               \
    return coll::scan<T>(team_group("shmem_" #NAME "_sum_exscan", team), dest, source, \
                         nelems, false);                                       \
  }
#define SHMEMI_DEF_REDUCE_BITWISE(NAME, T) SHMEM_REDUCE_BITWISE_OPS(SHMEMI_DEF_REDUCE_OP, NAME, T)
#define SHMEMI_DEF_REDUCE_MINMAX(NAME, T) SHMEM_REDUCE_MINMAX_OPS(SHMEMI_DEF_REDUCE_OP, NAME, T)
#define SHMEMI_DEF_REDUCE_ARITH(NAME, T) SHMEM_REDUCE_ARITH_OPS(SHMEMI_DEF_REDUCE_OP, NAME, T)

extern "C" {

int shmem_team_sync(shmem_team_t team) {
  coll::sync(team_group("shmem_team_sync", team, CallClass::sync));
  return 0;
}

int shmem_broadcastmem(shmem_team_t team, void *dest, const void *source, size_t nelems,
                       int PE_root) {
  return coll::broadcast(team_group("shmem_broadcastmem", team), dest, source, nelems,
                         PE_root, true);
}
int shmem_collectmem(shmem_team_t team, void *dest, const void *source, size_t nelems) {
  return coll::collect(team_group("shmem_collectmem", team), dest, source, 1, nelems);
}
int shmem_fcollectmem(shmem_team_t team, void *dest, const void *source, size_t nelems) {
  return coll::fcollect(team_group("shmem_fcollectmem", team), dest, source, nelems);
}
int shmem_alltoallmem(shmem_team_t team, void *dest, const void *source, size_t nelems) {
  return coll::alltoall(team_group("shmem_alltoallmem", team), dest, source, nelems);
}
int shmem_alltoallsmem(shmem_team_t team, void *dest, const void *source, ptrdiff_t dst,
                       ptrdiff_t sst, size_t nelems) {
  return coll::alltoalls(team_group("shmem_alltoallsmem", team), dest, source, dst, sst, 1,
                         nelems);
}

SHMEM_RMA_TYPES(SHMEMI_DEF_COLL)
SHMEM_REDUCE_BITWISE_TYPES(SHMEMI_DEF_REDUCE_BITWISE)
SHMEM_REDUCE_BITWISE_TYPES_EXTRA(SHMEMI_DEF_REDUCE_BITWISE)
SHMEM_REDUCE_MINMAX_TYPES(SHMEMI_DEF_REDUCE_MINMAX)
SHMEM_REDUCE_ARITH_TYPES(SHMEMI_DEF_REDUCE_ARITH)
SHMEM_REDUCE_ARITH_TYPES(SHMEMI_DEF_SCAN)

} // extern "C"
