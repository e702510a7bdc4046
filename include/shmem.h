/* shmem.h - OpenSHMEM 1.6 C API of libshmem (shmem4py's runtime).
 *
 * The typed families are declared from the X-macro lists of
 * shmem_type_table.h; the C11 type-generic forms and the C++ overloads at
 * the end of this file are generated from the same lists. */
#ifndef SHMEM_H
#define SHMEM_H

#include <stddef.h>
#include <stdint.h>
#include "shmem_type_table.h"

#ifdef __cplusplus
extern "C" {
#endif
/* The library is built with hidden visibility; its API is what this header
 * declares. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* ---- Library constants (section 9.1 of the specification) ---- */
#define SHMEM_MAJOR_VERSION 1
#define SHMEM_MINOR_VERSION 6
#define SHMEM_MAX_NAME_LEN 256
#define SHMEM_VENDOR_STRING "shmem4py libshmem 0.1.0 (OpenSHMEM 1.6)"
#define _SHMEM_MAJOR_VERSION SHMEM_MAJOR_VERSION
#define _SHMEM_MINOR_VERSION SHMEM_MINOR_VERSION
#define _SHMEM_MAX_NAME_LEN SHMEM_MAX_NAME_LEN
#define _SHMEM_VENDOR_STRING SHMEM_VENDOR_STRING

#define SHMEM_THREAD_SINGLE 0
#define SHMEM_THREAD_FUNNELED 1
#define SHMEM_THREAD_SERIALIZED 2
#define SHMEM_THREAD_MULTIPLE 3

#define SHMEM_CTX_SERIALIZED (1L << 0)
#define SHMEM_CTX_PRIVATE (1L << 1)
#define SHMEM_CTX_NOSTORE (1L << 2)

#define SHMEM_TEAM_NUM_CONTEXTS (1L << 0)

/* Communication sessions (1.6): options and configuration mask bits. */
#define SHMEM_CTX_SESSION_BATCH (1L << 0)
#define SHMEM_CTX_SESSION_TOTAL_OPS (1L << 0)

#define SHMEM_MALLOC_ATOMICS_REMOTE (1L << 0)
#define SHMEM_MALLOC_SIGNAL_REMOTE (1L << 1)

#define SHMEM_SIGNAL_SET 0
#define SHMEM_SIGNAL_ADD 1

#define SHMEM_CMP_EQ 0
#define SHMEM_CMP_NE 1
#define SHMEM_CMP_GT 2
#define SHMEM_CMP_LE 3
#define SHMEM_CMP_LT 4
#define SHMEM_CMP_GE 5
#define _SHMEM_CMP_EQ SHMEM_CMP_EQ
#define _SHMEM_CMP_NE SHMEM_CMP_NE
#define _SHMEM_CMP_GT SHMEM_CMP_GT
#define _SHMEM_CMP_LE SHMEM_CMP_LE
#define _SHMEM_CMP_LT SHMEM_CMP_LT
#define _SHMEM_CMP_GE SHMEM_CMP_GE

/* Deprecated active-set collectives: pSync / pWrk sizes. */
#define SHMEM_SYNC_VALUE (-1L)
#define SHMEM_SYNC_SIZE 64
#define SHMEM_BCAST_SYNC_SIZE SHMEM_SYNC_SIZE
#define SHMEM_BARRIER_SYNC_SIZE SHMEM_SYNC_SIZE
#define SHMEM_REDUCE_SYNC_SIZE SHMEM_SYNC_SIZE
#define SHMEM_COLLECT_SYNC_SIZE SHMEM_SYNC_SIZE
#define SHMEM_ALLTOALL_SYNC_SIZE SHMEM_SYNC_SIZE
#define SHMEM_ALLTOALLS_SYNC_SIZE SHMEM_SYNC_SIZE
#define SHMEM_REDUCE_MIN_WRKDATA_SIZE 1
#define _SHMEM_SYNC_VALUE SHMEM_SYNC_VALUE
#define _SHMEM_SYNC_SIZE SHMEM_SYNC_SIZE
#define _SHMEM_BCAST_SYNC_SIZE SHMEM_BCAST_SYNC_SIZE
#define _SHMEM_BARRIER_SYNC_SIZE SHMEM_BARRIER_SYNC_SIZE
#define _SHMEM_REDUCE_SYNC_SIZE SHMEM_REDUCE_SYNC_SIZE
#define _SHMEM_COLLECT_SYNC_SIZE SHMEM_COLLECT_SYNC_SIZE
#define _SHMEM_ALLTOALL_SYNC_SIZE SHMEM_ALLTOALL_SYNC_SIZE
#define _SHMEM_ALLTOALLS_SYNC_SIZE SHMEM_ALLTOALLS_SYNC_SIZE
#define _SHMEM_REDUCE_MIN_WRKDATA_SIZE SHMEM_REDUCE_MIN_WRKDATA_SIZE

/* ---- Handles ---- */
typedef struct shmemi_team *shmem_team_t;
typedef struct shmemi_ctx *shmem_ctx_t;
typedef struct {
  int num_contexts;
} shmem_team_config_t;
typedef struct {
  size_t total_ops; /* expected RMA calls in the session (SIZE_MAX: unknown) */
} shmem_ctx_session_config_t;

/* 128-bit element of shmem_put128 and friends. */
typedef struct {
  uint64_t word[2];
} shmemi_u128;

extern shmem_team_t SHMEM_TEAM_WORLD;
extern shmem_team_t SHMEM_TEAM_SHARED;
extern shmem_ctx_t SHMEM_CTX_DEFAULT;
#define SHMEM_TEAM_INVALID ((shmem_team_t)0)
#define SHMEM_CTX_INVALID ((shmem_ctx_t)0)

/* ---- Library setup, exit and query ---- */
void shmem_init(void);
void shmem_finalize(void);
int shmem_init_thread(int requested, int *provided);
void shmem_query_thread(int *provided);
void shmem_query_initialized(int *initialized);
int shmem_my_pe(void);
int shmem_n_pes(void);
int shmem_pe_accessible(int pe);
int shmem_addr_accessible(const void *addr, int pe);
void *shmem_ptr(const void *dest, int pe);
void *shmem_team_ptr(shmem_team_t team, const void *dest, int pe);
void shmem_info_get_version(int *major, int *minor);
void shmem_info_get_name(char *name);
void shmem_global_exit(int status);
void shmem_pcontrol(const int level, ...);

/* ---- Symmetric heap ---- */
void *shmem_malloc(size_t size);
void *shmem_calloc(size_t count, size_t size);
void *shmem_align(size_t alignment, size_t size);
void *shmem_realloc(void *ptr, size_t size);
void *shmem_malloc_with_hints(size_t size, long hints);
void shmem_free(void *ptr);

/* ---- Teams and contexts ---- */
int shmem_team_my_pe(shmem_team_t team);
int shmem_team_n_pes(shmem_team_t team);
int shmem_team_get_config(shmem_team_t team, long config_mask,
                          shmem_team_config_t *config);
int shmem_team_translate_pe(shmem_team_t src_team, int src_pe,
                            shmem_team_t dest_team);
int shmem_team_split_strided(shmem_team_t parent_team, int start, int stride,
                             int size, const shmem_team_config_t *config,
                             long config_mask, shmem_team_t *new_team);
int shmem_team_split_2d(shmem_team_t parent_team, int xrange,
                        const shmem_team_config_t *xaxis_config,
                        long xaxis_mask, shmem_team_t *xaxis_team,
                        const shmem_team_config_t *yaxis_config,
                        long yaxis_mask, shmem_team_t *yaxis_team);
void shmem_team_destroy(shmem_team_t team);
int shmem_ctx_create(long options, shmem_ctx_t *ctx);
int shmem_team_create_ctx(shmem_team_t team, long options, shmem_ctx_t *ctx);
void shmem_ctx_destroy(shmem_ctx_t ctx);
int shmem_ctx_get_team(shmem_ctx_t ctx, shmem_team_t *team);
void shmem_ctx_session_start(shmem_ctx_t ctx, long options,
                             const shmem_ctx_session_config_t *config,
                             long config_mask);
void shmem_ctx_session_stop(shmem_ctx_t ctx);

/* ---- RMA ---- */
#define SHMEMI_DECL_RMA(NAME, T)                                               \
  void shmem_##NAME##_put(T *dest, const T *source, size_t nelems, int pe);   \
  void shmem_ctx_##NAME##_put(shmem_ctx_t ctx, T *dest, const T *source,      \
                              size_t nelems, int pe);                          \
  void shmem_##NAME##_get(T *dest, const T *source, size_t nelems, int pe);   \
  void shmem_ctx_##NAME##_get(shmem_ctx_t ctx, T *dest, const T *source,      \
                              size_t nelems, int pe);                          \
  void shmem_##NAME##_put_nbi(T *dest, const T *source, size_t nelems, int pe); \
  void shmem_ctx_##NAME##_put_nbi(shmem_ctx_t ctx, T *dest, const T *source,  \
                                  size_t nelems, int pe);                      \
  void shmem_##NAME##_get_nbi(T *dest, const T *source, size_t nelems, int pe); \
  void shmem_ctx_##NAME##_get_nbi(shmem_ctx_t ctx, T *dest, const T *source,  \
                                  size_t nelems, int pe);                      \
  void shmem_##NAME##_p(T *dest, T value, int pe);                            \
  void shmem_ctx_##NAME##_p(shmem_ctx_t ctx, T *dest, T value, int pe);       \
  T shmem_##NAME##_g(const T *source, int pe);                                \
  T shmem_ctx_##NAME##_g(shmem_ctx_t ctx, const T *source, int pe);           \
  void shmem_##NAME##_iput(T *dest, const T *source, ptrdiff_t dst,           \
                           ptrdiff_t sst, size_t nelems, int pe);              \
  void shmem_ctx_##NAME##_iput(shmem_ctx_t ctx, T *dest, const T *source,     \
                               ptrdiff_t dst, ptrdiff_t sst, size_t nelems,    \
                               int pe);                                        \
  void shmem_##NAME##_iget(T *dest, const T *source, ptrdiff_t dst,           \
                           ptrdiff_t sst, size_t nelems, int pe);              \
  void shmem_ctx_##NAME##_iget(shmem_ctx_t ctx, T *dest, const T *source,     \
                               ptrdiff_t dst, ptrdiff_t sst, size_t nelems,    \
                               int pe);                                        \
  void shmem_##NAME##_put_signal(T *dest, const T *source, size_t nelems,     \
                                 uint64_t *sig_addr, uint64_t signal,          \
                                 int sig_op, int pe);                          \
  void shmem_ctx_##NAME##_put_signal(shmem_ctx_t ctx, T *dest,                \
                                     const T *source, size_t nelems,           \
                                     uint64_t *sig_addr, uint64_t signal,      \
                                     int sig_op, int pe);                      \
  void shmem_##NAME##_put_signal_nbi(T *dest, const T *source, size_t nelems, \
                                     uint64_t *sig_addr, uint64_t signal,      \
                                     int sig_op, int pe);                      \
  void shmem_ctx_##NAME##_put_signal_nbi(shmem_ctx_t ctx, T *dest,            \
                                         const T *source, size_t nelems,       \
                                         uint64_t *sig_addr, uint64_t signal,  \
                                         int sig_op, int pe);                  \
  SHMEMI_DECL_IB(shmem_##NAME##_ibput, shmem_ctx_##NAME##_ibput, T)           \
  SHMEMI_DECL_IB(shmem_##NAME##_ibget, shmem_ctx_##NAME##_ibget, T)
/* Blocked strided transfers (1.6): nblocks blocks of bsize elements, block
 * i at dest + i * dst and source + i * sst. */
#define SHMEMI_DECL_IB(FN, CFN, T)                                             \
  void FN(T *dest, const T *source, ptrdiff_t dst, ptrdiff_t sst,             \
          size_t bsize, size_t nblocks, int pe);                               \
  void CFN(shmem_ctx_t ctx, T *dest, const T *source, ptrdiff_t dst,          \
           ptrdiff_t sst, size_t bsize, size_t nblocks, int pe);
SHMEM_RMA_TYPES(SHMEMI_DECL_RMA)
#undef SHMEMI_DECL_RMA

/* Sized (putN) and byte (putmem) forms share one shape. */
#define SHMEMI_DECL_RMA_UNTYPED(NAME)                                          \
  void shmem_put##NAME(void *dest, const void *source, size_t nelems, int pe); \
  void shmem_ctx_put##NAME(shmem_ctx_t ctx, void *dest, const void *source,   \
                           size_t nelems, int pe);                             \
  void shmem_get##NAME(void *dest, const void *source, size_t nelems, int pe); \
  void shmem_ctx_get##NAME(shmem_ctx_t ctx, void *dest, const void *source,   \
                           size_t nelems, int pe);                             \
  void shmem_put##NAME##_nbi(void *dest, const void *source, size_t nelems,   \
                             int pe);                                          \
  void shmem_ctx_put##NAME##_nbi(shmem_ctx_t ctx, void *dest,                 \
                                 const void *source, size_t nelems, int pe);   \
  void shmem_get##NAME##_nbi(void *dest, const void *source, size_t nelems,   \
                             int pe);                                          \
  void shmem_ctx_get##NAME##_nbi(shmem_ctx_t ctx, void *dest,                 \
                                 const void *source, size_t nelems, int pe);   \
  void shmem_put##NAME##_signal(void *dest, const void *source, size_t nelems, \
                                uint64_t *sig_addr, uint64_t signal,           \
                                int sig_op, int pe);                           \
  void shmem_ctx_put##NAME##_signal(shmem_ctx_t ctx, void *dest,              \
                                    const void *source, size_t nelems,         \
                                    uint64_t *sig_addr, uint64_t signal,       \
                                    int sig_op, int pe);                       \
  void shmem_put##NAME##_signal_nbi(void *dest, const void *source,           \
                                    size_t nelems, uint64_t *sig_addr,         \
                                    uint64_t signal, int sig_op, int pe);      \
  void shmem_ctx_put##NAME##_signal_nbi(shmem_ctx_t ctx, void *dest,          \
                                        const void *source, size_t nelems,     \
                                        uint64_t *sig_addr, uint64_t signal,   \
                                        int sig_op, int pe);
#define SHMEMI_DECL_RMA_SIZED(BITS, T) SHMEMI_DECL_RMA_UNTYPED(BITS)         \
  void shmem_iput##BITS(void *dest, const void *source, ptrdiff_t dst,        \
                        ptrdiff_t sst, size_t nelems, int pe);                 \
  void shmem_ctx_iput##BITS(shmem_ctx_t ctx, void *dest, const void *source,  \
                            ptrdiff_t dst, ptrdiff_t sst, size_t nelems,       \
                            int pe);                                           \
  void shmem_iget##BITS(void *dest, const void *source, ptrdiff_t dst,        \
                        ptrdiff_t sst, size_t nelems, int pe);                 \
  void shmem_ctx_iget##BITS(shmem_ctx_t ctx, void *dest, const void *source,  \
                            ptrdiff_t dst, ptrdiff_t sst, size_t nelems,       \
                            int pe);                                           \
  SHMEMI_DECL_IB(shmem_ibput##BITS, shmem_ctx_ibput##BITS, void)              \
  SHMEMI_DECL_IB(shmem_ibget##BITS, shmem_ctx_ibget##BITS, void)
SHMEM_SIZED_RMA(SHMEMI_DECL_RMA_SIZED)
SHMEMI_DECL_RMA_UNTYPED(mem)
#undef SHMEMI_DECL_RMA_SIZED
#undef SHMEMI_DECL_RMA_UNTYPED
#undef SHMEMI_DECL_IB

/* ---- Signals ---- */
uint64_t shmem_signal_fetch(const uint64_t *sig_addr);
uint64_t shmem_signal_wait_until(uint64_t *sig_addr, int cmp,
                                 uint64_t cmp_value);
void shmem_signal_add(uint64_t *sig_addr, uint64_t signal, int pe);
void shmem_ctx_signal_add(shmem_ctx_t ctx, uint64_t *sig_addr, uint64_t signal,
                          int pe);
void shmem_signal_set(uint64_t *sig_addr, uint64_t signal, int pe);
void shmem_ctx_signal_set(shmem_ctx_t ctx, uint64_t *sig_addr, uint64_t signal,
                          int pe);

/* ---- Atomic memory operations ---- */
#define SHMEMI_DECL_AMO_EXTENDED(NAME, T)                                      \
  T shmem_##NAME##_atomic_fetch(const T *source, int pe);                     \
  T shmem_ctx_##NAME##_atomic_fetch(shmem_ctx_t ctx, const T *source, int pe); \
  void shmem_##NAME##_atomic_set(T *dest, T value, int pe);                   \
  void shmem_ctx_##NAME##_atomic_set(shmem_ctx_t ctx, T *dest, T value,       \
                                     int pe);                                  \
  T shmem_##NAME##_atomic_swap(T *dest, T value, int pe);                     \
  T shmem_ctx_##NAME##_atomic_swap(shmem_ctx_t ctx, T *dest, T value, int pe); \
  void shmem_##NAME##_atomic_fetch_nbi(T *fetch, const T *source, int pe);    \
  void shmem_ctx_##NAME##_atomic_fetch_nbi(shmem_ctx_t ctx, T *fetch,         \
                                           const T *source, int pe);           \
  void shmem_##NAME##_atomic_swap_nbi(T *fetch, T *dest, T value, int pe);    \
  void shmem_ctx_##NAME##_atomic_swap_nbi(shmem_ctx_t ctx, T *fetch, T *dest, \
                                          T value, int pe);
SHMEM_AMO_EXTENDED_TYPES(SHMEMI_DECL_AMO_EXTENDED)
#undef SHMEMI_DECL_AMO_EXTENDED

#define SHMEMI_DECL_AMO_STANDARD(NAME, T)                                      \
  T shmem_##NAME##_atomic_compare_swap(T *dest, T cond, T value, int pe);     \
  T shmem_ctx_##NAME##_atomic_compare_swap(shmem_ctx_t ctx, T *dest, T cond,  \
                                           T value, int pe);                   \
  T shmem_##NAME##_atomic_fetch_inc(T *dest, int pe);                         \
  T shmem_ctx_##NAME##_atomic_fetch_inc(shmem_ctx_t ctx, T *dest, int pe);    \
  void shmem_##NAME##_atomic_inc(T *dest, int pe);                            \
  void shmem_ctx_##NAME##_atomic_inc(shmem_ctx_t ctx, T *dest, int pe);       \
  T shmem_##NAME##_atomic_fetch_add(T *dest, T value, int pe);                \
  T shmem_ctx_##NAME##_atomic_fetch_add(shmem_ctx_t ctx, T *dest, T value,    \
                                        int pe);                               \
  void shmem_##NAME##_atomic_add(T *dest, T value, int pe);                   \
  void shmem_ctx_##NAME##_atomic_add(shmem_ctx_t ctx, T *dest, T value,       \
                                     int pe);                                  \
  void shmem_##NAME##_atomic_compare_swap_nbi(T *fetch, T *dest, T cond,      \
                                              T value, int pe);                \
  void shmem_ctx_##NAME##_atomic_compare_swap_nbi(                            \
      shmem_ctx_t ctx, T *fetch, T *dest, T cond, T value, int pe);            \
  void shmem_##NAME##_atomic_fetch_inc_nbi(T *fetch, T *dest, int pe);        \
  void shmem_ctx_##NAME##_atomic_fetch_inc_nbi(shmem_ctx_t ctx, T *fetch,     \
                                               T *dest, int pe);               \
  void shmem_##NAME##_atomic_fetch_add_nbi(T *fetch, T *dest, T value,        \
                                           int pe);                            \
  void shmem_ctx_##NAME##_atomic_fetch_add_nbi(shmem_ctx_t ctx, T *fetch,     \
                                               T *dest, T value, int pe);
SHMEM_AMO_STANDARD_TYPES(SHMEMI_DECL_AMO_STANDARD)
#undef SHMEMI_DECL_AMO_STANDARD

#define SHMEMI_DECL_AMO_BITWISE_OP(NAME, T, OP)                                \
  T shmem_##NAME##_atomic_fetch_##OP(T *dest, T value, int pe);               \
  T shmem_ctx_##NAME##_atomic_fetch_##OP(shmem_ctx_t ctx, T *dest, T value,   \
                                         int pe);                              \
  void shmem_##NAME##_atomic_##OP(T *dest, T value, int pe);                  \
  void shmem_ctx_##NAME##_atomic_##OP(shmem_ctx_t ctx, T *dest, T value,      \
                                      int pe);                                 \
  void shmem_##NAME##_atomic_fetch_##OP##_nbi(T *fetch, T *dest, T value,     \
                                              int pe);                         \
  void shmem_ctx_##NAME##_atomic_fetch_##OP##_nbi(shmem_ctx_t ctx, T *fetch,  \
                                                  T *dest, T value, int pe);
#define SHMEMI_DECL_AMO_BITWISE(NAME, T)                                       \
  SHMEMI_DECL_AMO_BITWISE_OP(NAME, T, and)                                    \
  SHMEMI_DECL_AMO_BITWISE_OP(NAME, T, or)                                     \
  SHMEMI_DECL_AMO_BITWISE_OP(NAME, T, xor)
SHMEM_AMO_BITWISE_TYPES(SHMEMI_DECL_AMO_BITWISE)
#undef SHMEMI_DECL_AMO_BITWISE
#undef SHMEMI_DECL_AMO_BITWISE_OP

/* Deprecated AMO names (OpenSHMEM 1.3 and earlier). */
#define SHMEMI_DECL_AMO_DEPRECATED(NAME, T)                                    \
  T shmem_##NAME##_finc(T *dest, int pe);                                     \
  void shmem_##NAME##_inc(T *dest, int pe);                                   \
  T shmem_##NAME##_fadd(T *dest, T value, int pe);                            \
  void shmem_##NAME##_add(T *dest, T value, int pe);                          \
  T shmem_##NAME##_cswap(T *dest, T cond, T value, int pe);
SHMEM_DEPRECATED_AMO_TYPES(SHMEMI_DECL_AMO_DEPRECATED)
#undef SHMEMI_DECL_AMO_DEPRECATED
#define SHMEMI_DECL_AMO_DEPRECATED_EXT(NAME, T)                                \
  T shmem_##NAME##_swap(T *dest, T value, int pe);                            \
  T shmem_##NAME##_fetch(const T *source, int pe);                            \
  void shmem_##NAME##_set(T *dest, T value, int pe);
SHMEM_DEPRECATED_AMO_EXT_TYPES(SHMEMI_DECL_AMO_DEPRECATED_EXT)
#undef SHMEMI_DECL_AMO_DEPRECATED_EXT

/* ---- Collectives ---- */
void shmem_barrier_all(void);
void shmem_sync_all(void);
int shmem_team_sync(shmem_team_t team);
int shmem_alltoallmem(shmem_team_t team, void *dest, const void *source,
                      size_t nelems);
int shmem_alltoallsmem(shmem_team_t team, void *dest, const void *source,
                       ptrdiff_t dst, ptrdiff_t sst, size_t nelems);
int shmem_broadcastmem(shmem_team_t team, void *dest, const void *source,
                       size_t nelems, int PE_root);
int shmem_collectmem(shmem_team_t team, void *dest, const void *source,
                     size_t nelems);
int shmem_fcollectmem(shmem_team_t team, void *dest, const void *source,
                      size_t nelems);
#define SHMEMI_DECL_COLL(NAME, T)                                              \
  int shmem_##NAME##_alltoall(shmem_team_t team, T *dest, const T *source,    \
                              size_t nelems);                                  \
  int shmem_##NAME##_alltoalls(shmem_team_t team, T *dest, const T *source,   \
                               ptrdiff_t dst, ptrdiff_t sst, size_t nelems);   \
  int shmem_##NAME##_broadcast(shmem_team_t team, T *dest, const T *source,   \
                               size_t nelems, int PE_root);                    \
  int shmem_##NAME##_collect(shmem_team_t team, T *dest, const T *source,     \
                             size_t nelems);                                   \
  int shmem_##NAME##_fcollect(shmem_team_t team, T *dest, const T *source,    \
                              size_t nelems);
SHMEM_RMA_TYPES(SHMEMI_DECL_COLL)
#undef SHMEMI_DECL_COLL

#define SHMEMI_DECL_REDUCE_OP(NAME, T, OP)                                     \
  int shmem_##NAME##_##OP##_reduce(shmem_team_t team, T *dest,                \
                                   const T *source, size_t nreduce);
#define SHMEMI_DECL_REDUCE_BITWISE(NAME, T) SHMEM_REDUCE_BITWISE_OPS(SHMEMI_DECL_REDUCE_OP, NAME, T)
#define SHMEMI_DECL_REDUCE_MINMAX(NAME, T) SHMEM_REDUCE_MINMAX_OPS(SHMEMI_DECL_REDUCE_OP, NAME, T)
#define SHMEMI_DECL_REDUCE_ARITH(NAME, T) SHMEM_REDUCE_ARITH_OPS(SHMEMI_DECL_REDUCE_OP, NAME, T)
SHMEM_REDUCE_BITWISE_TYPES(SHMEMI_DECL_REDUCE_BITWISE)
SHMEM_REDUCE_BITWISE_TYPES_EXTRA(SHMEMI_DECL_REDUCE_BITWISE)
SHMEM_REDUCE_MINMAX_TYPES(SHMEMI_DECL_REDUCE_MINMAX)
SHMEM_REDUCE_ARITH_TYPES(SHMEMI_DECL_REDUCE_ARITH)
/* Prefix sums (1.6) over the SUM types. */
#define SHMEMI_DECL_SCAN(NAME, T)                                              \
  int shmem_##NAME##_sum_inscan(shmem_team_t team, T *dest, const T *source,  \
                                size_t nelems);                                \
  int shmem_##NAME##_sum_exscan(shmem_team_t team, T *dest, const T *source,  \
                                size_t nelems);
SHMEM_REDUCE_ARITH_TYPES(SHMEMI_DECL_SCAN)
#undef SHMEMI_DECL_SCAN
#undef SHMEMI_DECL_REDUCE_BITWISE
#undef SHMEMI_DECL_REDUCE_MINMAX
#undef SHMEMI_DECL_REDUCE_ARITH
#undef SHMEMI_DECL_REDUCE_OP

/* Deprecated active-set collectives. */
void shmem_barrier(int PE_start, int logPE_stride, int PE_size, long *pSync);
void shmem_sync(int PE_start, int logPE_stride, int PE_size, long *pSync);
#define SHMEMI_DECL_ACTIVE_SET(BITS)                                           \
  void shmem_broadcast##BITS(void *dest, const void *source, size_t nelems,   \
                             int PE_root, int PE_start, int logPE_stride,      \
                             int PE_size, long *pSync);                        \
  void shmem_collect##BITS(void *dest, const void *source, size_t nelems,     \
                           int PE_start, int logPE_stride, int PE_size,        \
                           long *pSync);                                       \
  void shmem_fcollect##BITS(void *dest, const void *source, size_t nelems,    \
                            int PE_start, int logPE_stride, int PE_size,       \
                            long *pSync);                                      \
  void shmem_alltoall##BITS(void *dest, const void *source, size_t nelems,    \
                            int PE_start, int logPE_stride, int PE_size,       \
                            long *pSync);                                      \
  void shmem_alltoalls##BITS(void *dest, const void *source, ptrdiff_t dst,   \
                             ptrdiff_t sst, size_t nelems, int PE_start,       \
                             int logPE_stride, int PE_size, long *pSync);
SHMEMI_DECL_ACTIVE_SET(32)
SHMEMI_DECL_ACTIVE_SET(64)
#undef SHMEMI_DECL_ACTIVE_SET
#define SHMEMI_DECL_TO_ALL_OP(NAME, T, OP)                                     \
  void shmem_##NAME##_##OP##_to_all(T *dest, const T *source, int nreduce,    \
                                    int PE_start, int logPE_stride,            \
                                    int PE_size, T *pWrk, long *pSync);
#define SHMEMI_DECL_TO_ALL_BITWISE(NAME, T) SHMEM_REDUCE_BITWISE_OPS(SHMEMI_DECL_TO_ALL_OP, NAME, T)
#define SHMEMI_DECL_TO_ALL_MINMAX(NAME, T) SHMEM_REDUCE_MINMAX_OPS(SHMEMI_DECL_TO_ALL_OP, NAME, T)
#define SHMEMI_DECL_TO_ALL_ARITH(NAME, T) SHMEM_REDUCE_ARITH_OPS(SHMEMI_DECL_TO_ALL_OP, NAME, T)
SHMEM_TO_ALL_BITWISE_TYPES(SHMEMI_DECL_TO_ALL_BITWISE)
SHMEM_TO_ALL_MINMAX_TYPES(SHMEMI_DECL_TO_ALL_MINMAX)
SHMEM_TO_ALL_ARITH_TYPES(SHMEMI_DECL_TO_ALL_ARITH)
#undef SHMEMI_DECL_TO_ALL_BITWISE
#undef SHMEMI_DECL_TO_ALL_MINMAX
#undef SHMEMI_DECL_TO_ALL_ARITH
#undef SHMEMI_DECL_TO_ALL_OP

/* ---- Point-to-point synchronization ---- */
#define SHMEMI_DECL_SYNC(NAME, T)                                              \
  void shmem_##NAME##_wait_until(T *ivar, int cmp, T cmp_value);              \
  void shmem_##NAME##_wait_until_all(T *ivars, size_t nelems,                 \
                                     const int *status, int cmp,               \
                                     T cmp_value);                             \
  size_t shmem_##NAME##_wait_until_any(T *ivars, size_t nelems,               \
                                       const int *status, int cmp,             \
                                       T cmp_value);                           \
  size_t shmem_##NAME##_wait_until_some(T *ivars, size_t nelems,              \
                                        size_t *indices, const int *status,    \
                                        int cmp, T cmp_value);                 \
  void shmem_##NAME##_wait_until_all_vector(T *ivars, size_t nelems,          \
                                            const int *status, int cmp,        \
                                            const T *cmp_values);              \
  size_t shmem_##NAME##_wait_until_any_vector(T *ivars, size_t nelems,        \
                                              const int *status, int cmp,      \
                                              const T *cmp_values);            \
  size_t shmem_##NAME##_wait_until_some_vector(                               \
      T *ivars, size_t nelems, size_t *indices, const int *status, int cmp,    \
      const T *cmp_values);                                                    \
  int shmem_##NAME##_test(T *ivar, int cmp, T cmp_value);                     \
  int shmem_##NAME##_test_all(T *ivars, size_t nelems, const int *status,     \
                              int cmp, T cmp_value);                           \
  size_t shmem_##NAME##_test_any(T *ivars, size_t nelems, const int *status,  \
                                 int cmp, T cmp_value);                        \
  size_t shmem_##NAME##_test_some(T *ivars, size_t nelems, size_t *indices,   \
                                  const int *status, int cmp, T cmp_value);    \
  int shmem_##NAME##_test_all_vector(T *ivars, size_t nelems,                 \
                                     const int *status, int cmp,               \
                                     const T *cmp_values);                     \
  size_t shmem_##NAME##_test_any_vector(T *ivars, size_t nelems,              \
                                        const int *status, int cmp,            \
                                        const T *cmp_values);                  \
  size_t shmem_##NAME##_test_some_vector(T *ivars, size_t nelems,             \
                                         size_t *indices, const int *status,   \
                                         int cmp, const T *cmp_values);
SHMEM_SYNC_TYPES(SHMEMI_DECL_SYNC)
SHMEM_SYNC_TYPES_DEPRECATED(SHMEMI_DECL_SYNC)
#undef SHMEMI_DECL_SYNC
#define SHMEMI_DECL_WAIT_DEPRECATED(NAME, T)                                   \
  void shmem_##NAME##_wait(T *ivar, T cmp_value);
SHMEM_DEPRECATED_WAIT_TYPES(SHMEMI_DECL_WAIT_DEPRECATED)
#undef SHMEMI_DECL_WAIT_DEPRECATED
void shmem_wait(long *ivar, long cmp_value);
void shmem_wait_until(long *ivar, int cmp, long cmp_value);

/* ---- Memory ordering ---- */
void shmem_fence(void);
void shmem_ctx_fence(shmem_ctx_t ctx);
void shmem_quiet(void);
void shmem_ctx_quiet(shmem_ctx_t ctx);
void shmem_pe_quiet(const int *target_pes, size_t npes);
void shmem_ctx_pe_quiet(shmem_ctx_t ctx, const int *target_pes, size_t npes);

/* ---- Distributed locking ---- */
void shmem_set_lock(long *lock);
int shmem_test_lock(long *lock);
void shmem_clear_lock(long *lock);

/* ---- Deprecated setup, heap and cache routines ---- */
void start_pes(int npes);
int _my_pe(void);
int _num_pes(void);
void *shmalloc(size_t size);
void shfree(void *ptr);
void *shrealloc(void *ptr, size_t size);
void *shmemalign(size_t alignment, size_t size);
void shmem_clear_cache_inv(void);
void shmem_set_cache_inv(void);
void shmem_clear_cache_line_inv(void *dest);
void shmem_set_cache_line_inv(void *dest);
void shmem_udcflush(void);
void shmem_udcflush_line(void *dest);

/* What the inlined fast paths of shmem_inline.h read: published by
 * shmem_init, cleared by shmem_finalize (npes 0: every call takes the
 * library's path).  Not an API: its layout may change between versions,
 * and `version` (first, in every layout) says which one the library
 * publishes; a program compiled against another calls the library. */
#define SHMEMI_FASTPATH_VERSION 2
#define SHMEMI_REACH_LOAD_STORE 1 /* put/get/p/g by loads and stores */
#define SHMEMI_REACH_AMO 2        /* AMOs by CPU atomics (a network transport may own
                                   * them even for a PE it can load and store) */
typedef struct shmemi_fastpath {
  int version;                /* SHMEMI_FASTPATH_VERSION of the library */
  int npes;
  uintptr_t heap;             /* this PE's symmetric heap */
  size_t heap_size;
  char *const *peer_heap;     /* PE pe's heap in this process, NULL unless reach[pe]
                               * has SHMEMI_REACH_LOAD_STORE */
  const unsigned char *reach; /* reach[pe]: the SHMEMI_REACH_* flags of PE pe */
  int load_store;             /* every PE has both flags: fence and quiet are CPU fences */
} shmemi_fastpath_t;
/* Its symbol is named for the layout: a program compiled against layout 1
 * (no version field, 32 bytes) binds to `shmemi_fastpath`, which the library
 * keeps all zero, and so calls the library, instead of misreading this one
 * or, through its copy relocation, overflowing it. */
#if defined(__GNUC__)
extern shmemi_fastpath_t shmemi_fastpath __asm__("shmemi_fastpath2");
#else
extern shmemi_fastpath_t shmemi_fastpath;
#endif

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
#ifdef __cplusplus
} /* extern "C" */
#endif

/* The small RMA routines inline into optimized programs (shmem_inline.h;
 * ELF only: the fallbacks name the library's symbols with asm labels). */
#if defined(__GNUC__) && defined(__ELF__) && defined(__OPTIMIZE__) && \
    !defined(SHMEM_NO_INLINE) && !defined(SHMEMI_BUILD)
#include "shmem_inline.h"
#endif

#include "shmem_generic.h"

#endif /* SHMEM_H */
