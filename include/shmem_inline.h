/* shmem_inline.h - fast paths of the small RMA and AMO routines, inlined
 * into the caller (included by shmem.h; not a header to include on its own).
 *
 * On one node every PE maps every PE's symmetric heap, so a put is a check
 * and a copy, an AMO a check and a CPU atomic.  Only for PEs that the
 * library publishes as reachable so (per PE: a heap address for loads and
 * stores, a flag for CPU atomics); every other PE goes to the library,
 * which routes it to its transport.  Compiled into the program,
 * the common case costs no call: for an 8-byte put, fence and flag that is
 * the difference between a library call chain and three instructions, and
 * it is what the one-way latency of a small message consists of.  Everything else - an address
 * outside the heap (globals included), a PE out of range, a PE that is not
 * reachable by loads and stores, a call before shmem_init or after
 * shmem_finalize - goes to the exported function, which handles and
 * diagnoses it.  Calls are not inlined without optimization (-O0), where
 * the address of a routine is taken, or when SHMEM_NO_INLINE is defined
 * before shmem.h is included (for tools that intercept the exported
 * functions).
 *
 * The routines are GNU "extern inline" definitions: an inline body for the
 * compiler and the library's symbol for everything else.  The fallbacks
 * call that symbol under another C name (an asm label), so that the inline
 * body never calls itself. */
#ifndef SHMEM_INLINE_H
#define SHMEM_INLINE_H

#ifdef __cplusplus
extern "C" {
#define SHMEMI_INLINE inline __attribute__((__gnu_inline__))
#else
#define SHMEMI_INLINE extern __inline__ __attribute__((__gnu_inline__))
#endif

/* Where BYTES bytes at the symmetric ADDR of PE PE are in this process, or
 * NULL when the library has to decide; FLAG: a SHMEMI_REACH_* flag PE PE
 * needs besides (0: none beyond the heap address, which is there exactly
 * when the PE is reachable by loads and stores).  (A macro: a static
 * function may not be used by these non-static inline ones.) */
#define SHMEMI_FAST_ADDR(ADDR, BYTES, PE, FLAG)                                \
  __extension__({                                                              \
    size_t shmemi_off_ = (size_t)((uintptr_t)(ADDR) - shmemi_fastpath.heap);   \
    size_t shmemi_bytes_ = (BYTES);                                            \
    char *shmemi_r_ = 0;                                                       \
    if (__builtin_expect(shmemi_fastpath.version == SHMEMI_FASTPATH_VERSION && \
                             (unsigned)(PE) < (unsigned)shmemi_fastpath.npes && \
                             shmemi_off_ < shmemi_fastpath.heap_size &&        \
                             shmemi_bytes_ <= shmemi_fastpath.heap_size - shmemi_off_, \
                         1)) {                                                 \
      char *shmemi_base_ = shmemi_fastpath.peer_heap[PE];                      \
      if (__builtin_expect(shmemi_base_ != 0 &&                                \
                               ((FLAG) == 0 || (shmemi_fastpath.reach[PE] & (FLAG))), \
                           1))                                                 \
        shmemi_r_ = shmemi_base_ + shmemi_off_;                                \
    }                                                                          \
    shmemi_r_;                                                                 \
  })

/* FN with parameters PARAMS: do OP on r when `bytes` bytes at REMOTE are
 * reachable at r (aligned to ALIGN), else call the library (RET_KW:
 * `return` for a value). */
#define SHMEMI_INLINE_OP(RET, FN, PARAMS, ARGS, REMOTE, BYTES, ALIGN, FLAG, OP, RET_KW) \
  RET shmemi_lib_##FN PARAMS __asm__(#FN);                                     \
  SHMEMI_INLINE RET FN PARAMS {                                                \
    char *r = SHMEMI_FAST_ADDR(REMOTE, BYTES, pe, FLAG);                       \
    if (__builtin_expect(r != 0 && ((uintptr_t)r & ((ALIGN)-1)) == 0, 1)) {    \
      OP;                                                                      \
    } else {                                                                   \
      RET_KW shmemi_lib_##FN ARGS;                                             \
    }                                                                          \
  }
#define SHMEMI_INLINE_COPY(RET, FN, PARAMS, ARGS, REMOTE, BYTES, COPY, RET_KW) \
  SHMEMI_INLINE_OP(RET, FN, PARAMS, ARGS, REMOTE, BYTES, 1, 0, COPY, RET_KW)
#define SHMEMI_INLINE_PUT(FN, T, ELEM)                                         \
  SHMEMI_INLINE_COPY(void, FN, (T * dest, const T *source, size_t nelems, int pe), \
                     (dest, source, nelems, pe), dest, nelems * (ELEM),        \
                     __builtin_memcpy(r, source, nelems * (ELEM)), )
#define SHMEMI_INLINE_GET(FN, T, ELEM)                                         \
  SHMEMI_INLINE_COPY(void, FN, (T * dest, const T *source, size_t nelems, int pe), \
                     (dest, source, nelems, pe), source, nelems * (ELEM),      \
                     __builtin_memcpy(dest, r, nelems * (ELEM)), )

/* putmem/getmem and putN/getN, blocking and nbi (complete at return here). */
#define SHMEMI_INLINE_SIZED(NAME, ELEM)                                        \
  SHMEMI_INLINE_PUT(shmem_put##NAME, void, ELEM)                               \
  SHMEMI_INLINE_GET(shmem_get##NAME, void, ELEM)                               \
  SHMEMI_INLINE_PUT(shmem_put##NAME##_nbi, void, ELEM)                         \
  SHMEMI_INLINE_GET(shmem_get##NAME##_nbi, void, ELEM)
SHMEMI_INLINE_SIZED(mem, 1)
SHMEMI_INLINE_SIZED(8, 1)
SHMEMI_INLINE_SIZED(16, 2)
SHMEMI_INLINE_SIZED(32, 4)
SHMEMI_INLINE_SIZED(64, 8)
SHMEMI_INLINE_SIZED(128, 16)

/* Typed put/get (and nbi), p and g.  p and g move one element with a single
 * volatile access, so that a peer's wait_until never sees half of it. */
#define SHMEMI_INLINE_TYPED(NAME, T)                                           \
  SHMEMI_INLINE_PUT(shmem_##NAME##_put, T, sizeof(T))                          \
  SHMEMI_INLINE_GET(shmem_##NAME##_get, T, sizeof(T))                          \
  SHMEMI_INLINE_PUT(shmem_##NAME##_put_nbi, T, sizeof(T))                      \
  SHMEMI_INLINE_GET(shmem_##NAME##_get_nbi, T, sizeof(T))                      \
  SHMEMI_INLINE_COPY(void, shmem_##NAME##_p, (T * dest, T value, int pe),      \
                     (dest, value, pe), dest, sizeof(T),                       \
                     *(volatile T *)r = value, )                               \
  SHMEMI_INLINE_COPY(T, shmem_##NAME##_g, (const T *source, int pe),           \
                     (source, pe), source, sizeof(T),                          \
                     return *(const volatile T *)r, return)
SHMEM_RMA_TYPES(SHMEMI_INLINE_TYPED)

/* The standard AMOs on the integer types: CPU atomics, sequentially
 * consistent as in the library, to PEs whose AMOs are CPU atomics; a
 * misaligned target goes to the library, which diagnoses it. */
#define SHMEMI_AMO(FN, T, PARAMS, ARGS, REMOTE, OP, RET_KW)                    \
  SHMEMI_INLINE_OP(T, FN, PARAMS, ARGS, REMOTE, sizeof(T), sizeof(T), SHMEMI_REACH_AMO, OP, \
                   RET_KW)
#define SHMEMI_AMO_VOID(FN, T, PARAMS, ARGS, OP)                               \
  SHMEMI_INLINE_OP(void, FN, PARAMS, ARGS, dest, sizeof(T), sizeof(T), SHMEMI_REACH_AMO, OP, )
#define SHMEMI_INLINE_AMO(NAME, T)                                             \
  SHMEMI_AMO(shmem_##NAME##_atomic_fetch, T, (const T *source, int pe), (source, pe), source, \
             return __atomic_load_n((const T *)r, __ATOMIC_SEQ_CST), return)   \
  SHMEMI_AMO_VOID(shmem_##NAME##_atomic_set, T, (T * dest, T value, int pe),   \
                  (dest, value, pe), __atomic_store_n((T *)r, value, __ATOMIC_SEQ_CST)) \
  SHMEMI_AMO(shmem_##NAME##_atomic_swap, T, (T * dest, T value, int pe),       \
             (dest, value, pe), dest,                                          \
             return __atomic_exchange_n((T *)r, value, __ATOMIC_SEQ_CST), return) \
  SHMEMI_AMO(shmem_##NAME##_atomic_compare_swap, T,                            \
             (T * dest, T cond, T value, int pe), (dest, cond, value, pe), dest, \
             __atomic_compare_exchange_n((T *)r, &cond, value, 0, __ATOMIC_SEQ_CST, \
                                         __ATOMIC_SEQ_CST);                    \
             return cond, return)                                              \
  SHMEMI_AMO(shmem_##NAME##_atomic_fetch_inc, T, (T * dest, int pe), (dest, pe), dest, \
             return __atomic_fetch_add((T *)r, (T)1, __ATOMIC_SEQ_CST), return) \
  SHMEMI_AMO_VOID(shmem_##NAME##_atomic_inc, T, (T * dest, int pe), (dest, pe), \
                  (void)__atomic_fetch_add((T *)r, (T)1, __ATOMIC_SEQ_CST))     \
  SHMEMI_AMO(shmem_##NAME##_atomic_fetch_add, T, (T * dest, T value, int pe),  \
             (dest, value, pe), dest,                                          \
             return __atomic_fetch_add((T *)r, value, __ATOMIC_SEQ_CST), return) \
  SHMEMI_AMO_VOID(shmem_##NAME##_atomic_add, T, (T * dest, T value, int pe),   \
                  (dest, value, pe), (void)__atomic_fetch_add((T *)r, value, __ATOMIC_SEQ_CST))
SHMEM_AMO_STANDARD_TYPES(SHMEMI_INLINE_AMO)

/* Ordering: on loads and stores a fence orders this PE's stores (a compiler
 * barrier on x86) and quiet makes them globally visible. */
void shmemi_lib_shmem_fence(void) __asm__("shmem_fence");
void shmemi_lib_shmem_quiet(void) __asm__("shmem_quiet");
SHMEMI_INLINE void shmem_fence(void) {
  if (__builtin_expect(shmemi_fastpath.load_store &&
                           shmemi_fastpath.version == SHMEMI_FASTPATH_VERSION, 1))
    __atomic_thread_fence(__ATOMIC_RELEASE);
  else
    shmemi_lib_shmem_fence();
}
SHMEMI_INLINE void shmem_quiet(void) {
  if (__builtin_expect(shmemi_fastpath.load_store &&
                           shmemi_fastpath.version == SHMEMI_FASTPATH_VERSION, 1))
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
  else
    shmemi_lib_shmem_quiet();
}

#undef SHMEMI_INLINE_TYPED
#undef SHMEMI_INLINE_SIZED
#undef SHMEMI_INLINE_GET
#undef SHMEMI_INLINE_PUT
#undef SHMEMI_INLINE_AMO
#undef SHMEMI_AMO_VOID
#undef SHMEMI_AMO
#undef SHMEMI_INLINE_COPY
#undef SHMEMI_INLINE_OP
#undef SHMEMI_INLINE
#undef SHMEMI_FAST_ADDR

#ifdef __cplusplus
} /* extern "C" */
#endif
#endif /* SHMEM_INLINE_H */
