/* shmem_generic.h - the type-generic interfaces of OpenSHMEM 1.6.
 *
 * Included at the end of shmem.h; do not include it directly.
 *
 *  - C11 (and later): the generic names (shmem_put, shmem_atomic_fetch_add,
 *    shmem_sum_reduce, ...) are function-like macros built on _Generic.
 *    RMA and AMO names take an optional leading shmem_ctx_t argument; which
 *    form was meant is decided from the number of arguments.  A type outside
 *    the routine's type table is a compile-time error (no default
 *    association), and so is a wrong number of arguments.
 *  - C++: the same names are inline overloads (with and without a context)
 *    calling the typed C functions.
 *  - C before C11: nothing is defined here (there is no _Generic).
 *
 * Beyond the tables of the specification, shmem_wait_until and shmem_test
 * also take the deprecated short and unsigned short, and the deprecated
 * shmem_wait(ivar, value) is generic over its four types.  For long, the
 * deprecated functions shmem_wait_until and shmem_wait declared in shmem.h
 * are what a long argument reaches (C: the macro selects
 * shmem_long_wait_until, the same operation; C++: the extern "C" function
 * is the long overload).  The deprecated AMO names (shmem_finc, ...) have
 * no context form, as in the specification.
 *
 * Everything is stamped out from the *_STD lists of shmem_type_table.h,
 * which hold distinct types only, or from the *_GENERIC lists where a
 * table's fixed-width types alias types outside its _STD list (int32_t
 * and int64_t of the bitwise AMOs and reductions).
 * One limitation follows in C (see SHMEMI_EACH below): a generic name
 * cannot be used inside an expansion of the type table it selects over.
 *
 * Defining SHMEMI_NO_GENERIC before including shmem.h leaves all of this
 * out. */
#ifndef SHMEM_GENERIC_H
#define SHMEM_GENERIC_H

#if !defined(SHMEMI_NO_GENERIC)

/* Lists of this file that combine tables of shmem_type_table.h. */
/* The waits and tests also accept the deprecated short and unsigned short. */
#define SHMEMI_GENERIC_SYNC_TYPES(X) \
  SHMEM_SYNC_TYPES_STD(X) SHMEM_SYNC_TYPES_DEPRECATED(X)

#if defined(__cplusplus)
/* ====================================================================== */
/* C++: overloads                                                         */
/* ====================================================================== */

#define SHMEMI_CXX_UNPAREN(...) __VA_ARGS__

/* One overload per call: shmem<S>(PARAMS) -> shmem_<N><S>(ARGS).  Names are
 * built from suffixes (S = _put, _and_reduce ...) so that no operator-like
 * word (and, or, xor) is ever a macro argument of its own. */
#define SHMEMI_CXX_PLAIN(R, S, N, PARAMS, ARGS) \
  inline R shmem##S PARAMS { return shmem_##N##S ARGS; }
/* The same and its context form: shmem<S>(ctx, PARAMS). */
#define SHMEMI_CXX_CTX(R, S, N, PARAMS, ARGS)                                 \
  SHMEMI_CXX_PLAIN(R, S, N, PARAMS, ARGS)                                     \
  inline R shmem##S(shmem_ctx_t ctx, SHMEMI_CXX_UNPAREN PARAMS) {             \
    return shmem_ctx_##N##S(ctx, SHMEMI_CXX_UNPAREN ARGS);                    \
  }

/* "Unless N is long": shmem_wait_until(long *, int, long) and
 * shmem_wait(long *, long) already exist as extern "C" functions, so the
 * overload for long must not be defined again.  SHMEMI_CXX_UNLESS_LONG(N)(x)
 * is x, or nothing when N is long. */
#define SHMEMI_CXX_KEEP(...) __VA_ARGS__
#define SHMEMI_CXX_DROP(...)
#define SHMEMI_CXX_NOT_long ~, SHMEMI_CXX_DROP
#define SHMEMI_CXX_SECOND(...) SHMEMI_CXX_SECOND_(__VA_ARGS__)
#define SHMEMI_CXX_SECOND_(a, b, ...) b
#define SHMEMI_CXX_UNLESS_LONG(N) \
  SHMEMI_CXX_SECOND(SHMEMI_CXX_NOT_##N, SHMEMI_CXX_KEEP, ~)

/* ---- Shapes: one per signature, (S, N, T) -> overloads ---- */
/* RMA */
#define SHMEMI_CXX_BLOCK(S, N, T)                                             \
  SHMEMI_CXX_CTX(void, S, N, (T * dest, const T *source, size_t nelems, int pe), \
                 (dest, source, nelems, pe))
#define SHMEMI_CXX_STRIDED(S, N, T)                                           \
  SHMEMI_CXX_CTX(void, S, N,                                                  \
                 (T * dest, const T *source, ptrdiff_t dst, ptrdiff_t sst,    \
                  size_t nelems, int pe),                                     \
                 (dest, source, dst, sst, nelems, pe))
#define SHMEMI_CXX_BLOCKED(S, N, T)                                           \
  SHMEMI_CXX_CTX(void, S, N,                                                  \
                 (T * dest, const T *source, ptrdiff_t dst, ptrdiff_t sst,    \
                  size_t bsize, size_t nblocks, int pe),                      \
                 (dest, source, dst, sst, bsize, nblocks, pe))
#define SHMEMI_CXX_SIGNAL(S, N, T)                                            \
  SHMEMI_CXX_CTX(void, S, N,                                                  \
                 (T * dest, const T *source, size_t nelems, uint64_t *sig_addr, \
                  uint64_t signal, int sig_op, int pe),                       \
                 (dest, source, nelems, sig_addr, signal, sig_op, pe))
/* void (T *dest, T value, int pe): p, atomic_set, atomic_add, atomic_and ... */
#define SHMEMI_CXX_STORE(S, N, T) \
  SHMEMI_CXX_CTX(void, S, N, (T * dest, T value, int pe), (dest, value, pe))
/* T (const T *source, int pe): g, atomic_fetch */
#define SHMEMI_CXX_LOAD(S, N, T) \
  SHMEMI_CXX_CTX(T, S, N, (const T *source, int pe), (source, pe))
/* T (T *dest, T value, int pe): atomic_swap, atomic_fetch_add ... */
#define SHMEMI_CXX_FETCH_OP(S, N, T) \
  SHMEMI_CXX_CTX(T, S, N, (T * dest, T value, int pe), (dest, value, pe))
/* void (T *fetch, T *dest, T value, int pe): their _nbi forms */
#define SHMEMI_CXX_FETCH_OP_NBI(S, N, T)                                      \
  SHMEMI_CXX_CTX(void, S, N, (T * fetch, T * dest, T value, int pe),          \
                 (fetch, dest, value, pe))
#define SHMEMI_CXX_FETCH_NBI(S, N, T)                                         \
  SHMEMI_CXX_CTX(void, S, N, (T * fetch, const T *source, int pe),            \
                 (fetch, source, pe))
#define SHMEMI_CXX_CSWAP(S, N, T)                                             \
  SHMEMI_CXX_CTX(T, S, N, (T * dest, T cond, T value, int pe),                \
                 (dest, cond, value, pe))
#define SHMEMI_CXX_CSWAP_NBI(S, N, T)                                         \
  SHMEMI_CXX_CTX(void, S, N, (T * fetch, T * dest, T cond, T value, int pe),  \
                 (fetch, dest, cond, value, pe))
#define SHMEMI_CXX_FINC(S, N, T) \
  SHMEMI_CXX_CTX(T, S, N, (T * dest, int pe), (dest, pe))
#define SHMEMI_CXX_INC(S, N, T) \
  SHMEMI_CXX_CTX(void, S, N, (T * dest, int pe), (dest, pe))
#define SHMEMI_CXX_FINC_NBI(S, N, T) \
  SHMEMI_CXX_CTX(void, S, N, (T * fetch, T * dest, int pe), (fetch, dest, pe))
/* Point-to-point synchronization (no context).  V is the comparison
 * operand: T value or T *values. */
#define SHMEMI_CXX_WAIT1(R, S, N, T)                                          \
  SHMEMI_CXX_PLAIN(R, S, N, (T * ivar, int cmp, T cmp_value),                 \
                   (ivar, cmp, cmp_value))
#define SHMEMI_CXX_WAITN(R, S, N, T, V)                                       \
  SHMEMI_CXX_PLAIN(R, S, N,                                                   \
                   (T * ivars, size_t nelems, const int *status, int cmp, V), \
                   (ivars, nelems, status, cmp, cmp_value))
#define SHMEMI_CXX_WAITSOME(R, S, N, T, V)                                    \
  SHMEMI_CXX_PLAIN(R, S, N,                                                   \
                   (T * ivars, size_t nelems, size_t *indices,                \
                    const int *status, int cmp, V),                           \
                   (ivars, nelems, indices, status, cmp, cmp_value))
/* Team collectives and reductions (no context). */
#define SHMEMI_CXX_COLL(S, N, T)                                              \
  SHMEMI_CXX_PLAIN(int, S, N,                                                 \
                   (shmem_team_t team, T * dest, const T *source, size_t nelems), \
                   (team, dest, source, nelems))

/* ---- Families: (N, T) -> every generic name of one type table ---- */
#define SHMEMI_CXX_RMA(N, T)                                                  \
  SHMEMI_CXX_BLOCK(_put, N, T)                                                \
  SHMEMI_CXX_BLOCK(_get, N, T)                                                \
  SHMEMI_CXX_BLOCK(_put_nbi, N, T)                                            \
  SHMEMI_CXX_BLOCK(_get_nbi, N, T)                                            \
  SHMEMI_CXX_STORE(_p, N, T)                                                  \
  SHMEMI_CXX_LOAD(_g, N, T)                                                   \
  SHMEMI_CXX_STRIDED(_iput, N, T)                                             \
  SHMEMI_CXX_STRIDED(_iget, N, T)                                             \
  SHMEMI_CXX_BLOCKED(_ibput, N, T)                                            \
  SHMEMI_CXX_BLOCKED(_ibget, N, T)                                            \
  SHMEMI_CXX_SIGNAL(_put_signal, N, T)                                        \
  SHMEMI_CXX_SIGNAL(_put_signal_nbi, N, T)                                    \
  SHMEMI_CXX_COLL(_collect, N, T)                                             \
  SHMEMI_CXX_COLL(_fcollect, N, T)                                            \
  SHMEMI_CXX_COLL(_alltoall, N, T)                                            \
  SHMEMI_CXX_PLAIN(int, _broadcast, N,                                        \
                   (shmem_team_t team, T * dest, const T *source,             \
                    size_t nelems, int PE_root),                              \
                   (team, dest, source, nelems, PE_root))                     \
  SHMEMI_CXX_PLAIN(int, _alltoalls, N,                                        \
                   (shmem_team_t team, T * dest, const T *source,             \
                    ptrdiff_t dst, ptrdiff_t sst, size_t nelems),             \
                   (team, dest, source, dst, sst, nelems))
#define SHMEMI_CXX_AMO_EXTENDED(N, T)                                         \
  SHMEMI_CXX_LOAD(_atomic_fetch, N, T)                                        \
  SHMEMI_CXX_STORE(_atomic_set, N, T)                                         \
  SHMEMI_CXX_FETCH_OP(_atomic_swap, N, T)                                     \
  SHMEMI_CXX_FETCH_NBI(_atomic_fetch_nbi, N, T)                               \
  SHMEMI_CXX_FETCH_OP_NBI(_atomic_swap_nbi, N, T)
#define SHMEMI_CXX_AMO_STANDARD(N, T)                                         \
  SHMEMI_CXX_CSWAP(_atomic_compare_swap, N, T)                                \
  SHMEMI_CXX_FINC(_atomic_fetch_inc, N, T)                                    \
  SHMEMI_CXX_INC(_atomic_inc, N, T)                                           \
  SHMEMI_CXX_FETCH_OP(_atomic_fetch_add, N, T)                                \
  SHMEMI_CXX_STORE(_atomic_add, N, T)                                         \
  SHMEMI_CXX_CSWAP_NBI(_atomic_compare_swap_nbi, N, T)                        \
  SHMEMI_CXX_FINC_NBI(_atomic_fetch_inc_nbi, N, T)                            \
  SHMEMI_CXX_FETCH_OP_NBI(_atomic_fetch_add_nbi, N, T)
#define SHMEMI_CXX_AMO_BITWISE(N, T)                                          \
  SHMEMI_CXX_FETCH_OP(_atomic_fetch_and, N, T)                                \
  SHMEMI_CXX_FETCH_OP(_atomic_fetch_or, N, T)                                 \
  SHMEMI_CXX_FETCH_OP(_atomic_fetch_xor, N, T)                                \
  SHMEMI_CXX_STORE(_atomic_and, N, T)                                         \
  SHMEMI_CXX_STORE(_atomic_or, N, T)                                          \
  SHMEMI_CXX_STORE(_atomic_xor, N, T)                                         \
  SHMEMI_CXX_FETCH_OP_NBI(_atomic_fetch_and_nbi, N, T)                        \
  SHMEMI_CXX_FETCH_OP_NBI(_atomic_fetch_or_nbi, N, T)                         \
  SHMEMI_CXX_FETCH_OP_NBI(_atomic_fetch_xor_nbi, N, T)
#define SHMEMI_CXX_SYNC(N, T)                                                 \
  SHMEMI_CXX_WAITN(void, _wait_until_all, N, T, T cmp_value)                  \
  SHMEMI_CXX_WAITN(size_t, _wait_until_any, N, T, T cmp_value)                \
  SHMEMI_CXX_WAITSOME(size_t, _wait_until_some, N, T, T cmp_value)           \
  SHMEMI_CXX_WAITN(void, _wait_until_all_vector, N, T, const T *cmp_value)    \
  SHMEMI_CXX_WAITN(size_t, _wait_until_any_vector, N, T, const T *cmp_value)  \
  SHMEMI_CXX_WAITSOME(size_t, _wait_until_some_vector, N, T, const T *cmp_value) \
  SHMEMI_CXX_WAITN(int, _test_all, N, T, T cmp_value)                         \
  SHMEMI_CXX_WAITN(size_t, _test_any, N, T, T cmp_value)                      \
  SHMEMI_CXX_WAITSOME(size_t, _test_some, N, T, T cmp_value)                 \
  SHMEMI_CXX_WAITN(int, _test_all_vector, N, T, const T *cmp_value)           \
  SHMEMI_CXX_WAITN(size_t, _test_any_vector, N, T, const T *cmp_value)        \
  SHMEMI_CXX_WAITSOME(size_t, _test_some_vector, N, T, const T *cmp_value)
#define SHMEMI_CXX_WAIT_TEST(N, T)                                            \
  SHMEMI_CXX_UNLESS_LONG(N)(SHMEMI_CXX_WAIT1(void, _wait_until, N, T))        \
  SHMEMI_CXX_WAIT1(int, _test, N, T)
#define SHMEMI_CXX_WAIT_DEPRECATED(N, T)                                      \
  SHMEMI_CXX_UNLESS_LONG(N)(SHMEMI_CXX_PLAIN(                                 \
      void, _wait, N, (T * ivar, T cmp_value), (ivar, cmp_value)))
#define SHMEMI_CXX_REDUCE_BITWISE(N, T)                                       \
  SHMEMI_CXX_COLL(_and_reduce, N, T)                                          \
  SHMEMI_CXX_COLL(_or_reduce, N, T)                                           \
  SHMEMI_CXX_COLL(_xor_reduce, N, T)
#define SHMEMI_CXX_REDUCE_MINMAX(N, T)                                        \
  SHMEMI_CXX_COLL(_max_reduce, N, T)                                          \
  SHMEMI_CXX_COLL(_min_reduce, N, T)
#define SHMEMI_CXX_REDUCE_ARITH(N, T)                                         \
  SHMEMI_CXX_COLL(_sum_reduce, N, T)                                          \
  SHMEMI_CXX_COLL(_prod_reduce, N, T)                                         \
  SHMEMI_CXX_COLL(_sum_inscan, N, T)                                          \
  SHMEMI_CXX_COLL(_sum_exscan, N, T)
/* The deprecated generic AMO names behave as their replacements, over the
 * same types (the typed deprecated functions exist for fewer types). */
#define SHMEMI_CXX_AMO_DEPRECATED(N, T)                                       \
  inline T shmem_finc(T *dest, int pe) { return shmem_atomic_fetch_inc(dest, pe); } \
  inline void shmem_inc(T *dest, int pe) { shmem_atomic_inc(dest, pe); }     \
  inline T shmem_fadd(T *dest, T value, int pe) {                             \
    return shmem_atomic_fetch_add(dest, value, pe);                           \
  }                                                                           \
  inline void shmem_add(T *dest, T value, int pe) { shmem_atomic_add(dest, value, pe); } \
  inline T shmem_cswap(T *dest, T cond, T value, int pe) {                    \
    return shmem_atomic_compare_swap(dest, cond, value, pe);                  \
  }
#define SHMEMI_CXX_AMO_DEPRECATED_EXT(N, T)                                   \
  inline T shmem_swap(T *dest, T value, int pe) { return shmem_atomic_swap(dest, value, pe); } \
  inline T shmem_fetch(const T *source, int pe) { return shmem_atomic_fetch(source, pe); } \
  inline void shmem_set(T *dest, T value, int pe) { shmem_atomic_set(dest, value, pe); }

extern "C++" {
/* shmem_sync(team) is shmem_team_sync; four arguments still reach the
 * deprecated active-set shmem_sync. */
inline int shmem_sync(shmem_team_t team) { return shmem_team_sync(team); }
/* signal_add and signal_set (1.6) with a leading context. */
inline void shmem_signal_add(shmem_ctx_t ctx, uint64_t *sig_addr, uint64_t signal, int pe) {
  shmem_ctx_signal_add(ctx, sig_addr, signal, pe);
}
inline void shmem_signal_set(shmem_ctx_t ctx, uint64_t *sig_addr, uint64_t signal, int pe) {
  shmem_ctx_signal_set(ctx, sig_addr, signal, pe);
}
SHMEM_RMA_TYPES_STD(SHMEMI_CXX_RMA)
SHMEM_AMO_EXTENDED_TYPES_STD(SHMEMI_CXX_AMO_EXTENDED)
SHMEM_AMO_STANDARD_TYPES_STD(SHMEMI_CXX_AMO_STANDARD)
SHMEM_AMO_BITWISE_TYPES_GENERIC(SHMEMI_CXX_AMO_BITWISE)
SHMEMI_GENERIC_SYNC_TYPES(SHMEMI_CXX_SYNC)
SHMEMI_GENERIC_SYNC_TYPES(SHMEMI_CXX_WAIT_TEST)
SHMEM_DEPRECATED_WAIT_TYPES(SHMEMI_CXX_WAIT_DEPRECATED)
SHMEM_REDUCE_BITWISE_TYPES_GENERIC(SHMEMI_CXX_REDUCE_BITWISE)
SHMEM_REDUCE_MINMAX_TYPES_STD(SHMEMI_CXX_REDUCE_MINMAX)
SHMEM_REDUCE_ARITH_TYPES_STD(SHMEMI_CXX_REDUCE_ARITH)
SHMEM_AMO_STANDARD_TYPES_STD(SHMEMI_CXX_AMO_DEPRECATED)
SHMEM_AMO_EXTENDED_TYPES_STD(SHMEMI_CXX_AMO_DEPRECATED_EXT)
} /* extern "C++" */

#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
/* ====================================================================== */
/* C11: _Generic selections                                               */
/* ====================================================================== */

#define SHMEMI_UNPAREN(...) __VA_ARGS__

/* Number of arguments (1 to 24). */
#define SHMEMI_NARGS(...)                                                     \
  SHMEMI_NARGS_(__VA_ARGS__, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13,  \
                12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, ~)
#define SHMEMI_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, \
                      _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24,  \
                      N, ...)                                                 \
  N

/* The K-th argument (the trailing ~ keeps "..." non-empty). */
#define SHMEMI_PICK(K, ...) SHMEMI_PICK_##K(__VA_ARGS__, ~)
#define SHMEMI_PICK_1(a, ...) a
#define SHMEMI_PICK_2(a, b, ...) b
#define SHMEMI_PICK_3(a, b, c, ...) c

/* SHMEMI_EACH(M, D, LIST): M(D, (NAME, T)) for every entry of the X-macro
 * type table LIST (up to 23 entries), D being passed through unchanged.
 * The table is first turned into a comma list of (NAME, T) pairs, then
 * SHMEMI_FE_<1 + entries> walks it.
 *
 * Limitation: the preprocessor never expands a macro inside its own
 * expansion, so a C generic name cannot be used within an expansion of the
 * table it selects over (for instance, shmem_put in the X callback of
 * SHMEM_RMA_TYPES(X)); code generated from a table has NAME at hand and
 * calls shmem_##NAME##_put there.  SHMEMI_FE_1 (an empty table) turns that
 * mistake into an error that names it. */
#define SHMEMI_PAIR(NAME, T) , (NAME, T)
#define SHMEMI_EACH(M, D, LIST) SHMEMI_EACH_(M, D LIST(SHMEMI_PAIR))
#define SHMEMI_EACH_(M, ...) \
  SHMEMI_EACH_CAT(SHMEMI_FE_, SHMEMI_NARGS(__VA_ARGS__))(M, __VA_ARGS__)
#define SHMEMI_EACH_CAT(a, b) SHMEMI_EACH_CAT_(a, b)
#define SHMEMI_EACH_CAT_(a, b) a##b
#define SHMEMI_FE_1(M, D) \
  , default : shmemi_generic_name_used_inside_an_expansion_of_its_type_table
#define SHMEMI_FE_2(M, D, x) M(D, x)
#define SHMEMI_FE_3(M, D, x, ...) M(D, x) SHMEMI_FE_2(M, D, __VA_ARGS__)
#define SHMEMI_FE_4(M, D, x, ...) M(D, x) SHMEMI_FE_3(M, D, __VA_ARGS__)
#define SHMEMI_FE_5(M, D, x, ...) M(D, x) SHMEMI_FE_4(M, D, __VA_ARGS__)
#define SHMEMI_FE_6(M, D, x, ...) M(D, x) SHMEMI_FE_5(M, D, __VA_ARGS__)
#define SHMEMI_FE_7(M, D, x, ...) M(D, x) SHMEMI_FE_6(M, D, __VA_ARGS__)
#define SHMEMI_FE_8(M, D, x, ...) M(D, x) SHMEMI_FE_7(M, D, __VA_ARGS__)
#define SHMEMI_FE_9(M, D, x, ...) M(D, x) SHMEMI_FE_8(M, D, __VA_ARGS__)
#define SHMEMI_FE_10(M, D, x, ...) M(D, x) SHMEMI_FE_9(M, D, __VA_ARGS__)
#define SHMEMI_FE_11(M, D, x, ...) M(D, x) SHMEMI_FE_10(M, D, __VA_ARGS__)
#define SHMEMI_FE_12(M, D, x, ...) M(D, x) SHMEMI_FE_11(M, D, __VA_ARGS__)
#define SHMEMI_FE_13(M, D, x, ...) M(D, x) SHMEMI_FE_12(M, D, __VA_ARGS__)
#define SHMEMI_FE_14(M, D, x, ...) M(D, x) SHMEMI_FE_13(M, D, __VA_ARGS__)
#define SHMEMI_FE_15(M, D, x, ...) M(D, x) SHMEMI_FE_14(M, D, __VA_ARGS__)
#define SHMEMI_FE_16(M, D, x, ...) M(D, x) SHMEMI_FE_15(M, D, __VA_ARGS__)
#define SHMEMI_FE_17(M, D, x, ...) M(D, x) SHMEMI_FE_16(M, D, __VA_ARGS__)
#define SHMEMI_FE_18(M, D, x, ...) M(D, x) SHMEMI_FE_17(M, D, __VA_ARGS__)
#define SHMEMI_FE_19(M, D, x, ...) M(D, x) SHMEMI_FE_18(M, D, __VA_ARGS__)
#define SHMEMI_FE_20(M, D, x, ...) M(D, x) SHMEMI_FE_19(M, D, __VA_ARGS__)
#define SHMEMI_FE_21(M, D, x, ...) M(D, x) SHMEMI_FE_20(M, D, __VA_ARGS__)
#define SHMEMI_FE_22(M, D, x, ...) M(D, x) SHMEMI_FE_21(M, D, __VA_ARGS__)
#define SHMEMI_FE_23(M, D, x, ...) M(D, x) SHMEMI_FE_22(M, D, __VA_ARGS__)
#define SHMEMI_FE_24(M, D, x, ...) M(D, x) SHMEMI_FE_23(M, D, __VA_ARGS__)

/* One _Generic association per type: D = (SHAPE, PREFIX, SUFFIX) and the
 * function is PREFIX NAME SUFFIX (shmem_ctx_ int _put).  Shape PTR matches
 * T *; shape CPTR also matches const T * (for a source pointer that
 * controls the selection: g, atomic_fetch, fetch). */
#define SHMEMI_ASSOC(D, X) SHMEMI_ASSOC_(SHMEMI_UNPAREN D, SHMEMI_UNPAREN X)
#define SHMEMI_ASSOC_(...) SHMEMI_ASSOC__(__VA_ARGS__)
#define SHMEMI_ASSOC__(SHAPE, P, S, NAME, T) SHMEMI_ASSOC_##SHAPE(P##NAME##S, T)
#define SHMEMI_ASSOC_PTR(F, T) , T * : F
#define SHMEMI_ASSOC_CPTR(F, T) , T * : F, const T * : F

/* The function for the pointer CTRL among PREFIX<NAME>SUFFIX of LIST.
 * "+ 0" turns an array argument into a pointer. */
#define SHMEMI_SELECT(CTRL, SHAPE, P, S, LIST) \
  _Generic((CTRL) + 0 SHMEMI_EACH(SHMEMI_ASSOC, (SHAPE, P, S), LIST))

/* A generic without a context form: selects on argument K. */
#define SHMEMI_GENERIC(K, SHAPE, S, LIST, ...) \
  SHMEMI_SELECT(SHMEMI_PICK(K, __VA_ARGS__), SHAPE, shmem_, S, LIST)(__VA_ARGS__)

/* A generic of N arguments (K-th selecting) that takes an optional leading
 * shmem_ctx_t: N arguments call shmem_<NAME><S>, N + 1 arguments call
 * shmem_ctx_<NAME><S>.  Any other count leaves the undefined name
 * shmemi_generic_wrong_argument_count_<N>_<count> in the code: an error
 * that names its cause. */
#define SHMEMI_CTX_GENERIC(N, K, SHAPE, S, LIST, ...)                         \
  SHMEMI_CTX_MODE(N, SHMEMI_NARGS(__VA_ARGS__))(K, SHAPE, S, LIST, __VA_ARGS__)
#define SHMEMI_CTX_MODE(N, C) SHMEMI_CTX_MODE_(N, C)
#define SHMEMI_CTX_MODE_(N, C) shmemi_generic_wrong_argument_count_##N##_##C
#define shmemi_generic_wrong_argument_count_2_2 SHMEMI_CTX_GENERIC_PLAIN
#define shmemi_generic_wrong_argument_count_2_3 SHMEMI_CTX_GENERIC_CTX
#define shmemi_generic_wrong_argument_count_3_3 SHMEMI_CTX_GENERIC_PLAIN
#define shmemi_generic_wrong_argument_count_3_4 SHMEMI_CTX_GENERIC_CTX
#define shmemi_generic_wrong_argument_count_4_4 SHMEMI_CTX_GENERIC_PLAIN
#define shmemi_generic_wrong_argument_count_4_5 SHMEMI_CTX_GENERIC_CTX
#define shmemi_generic_wrong_argument_count_5_5 SHMEMI_CTX_GENERIC_PLAIN
#define shmemi_generic_wrong_argument_count_5_6 SHMEMI_CTX_GENERIC_CTX
#define shmemi_generic_wrong_argument_count_6_6 SHMEMI_CTX_GENERIC_PLAIN
#define shmemi_generic_wrong_argument_count_6_7 SHMEMI_CTX_GENERIC_CTX
#define shmemi_generic_wrong_argument_count_7_7 SHMEMI_CTX_GENERIC_PLAIN
#define shmemi_generic_wrong_argument_count_7_8 SHMEMI_CTX_GENERIC_CTX
#define SHMEMI_CTX_GENERIC_PLAIN(K, SHAPE, S, LIST, ...) \
  SHMEMI_GENERIC(K, SHAPE, S, LIST, __VA_ARGS__)
#define SHMEMI_CTX_GENERIC_CTX(K, SHAPE, S, LIST, ctx, ...)                   \
  SHMEMI_SELECT(SHMEMI_PICK(K, __VA_ARGS__), SHAPE, shmem_ctx_, S, LIST)      \
  (ctx, __VA_ARGS__)

/* ---- RMA (Table 5) ---- */
#define SHMEMI_RMA_GENERIC(N, K, SHAPE, S, ...) \
  SHMEMI_CTX_GENERIC(N, K, SHAPE, S, SHMEM_RMA_TYPES_STD, __VA_ARGS__)
#define shmem_put(...) SHMEMI_RMA_GENERIC(4, 1, PTR, _put, __VA_ARGS__)
#define shmem_get(...) SHMEMI_RMA_GENERIC(4, 1, PTR, _get, __VA_ARGS__)
#define shmem_put_nbi(...) SHMEMI_RMA_GENERIC(4, 1, PTR, _put_nbi, __VA_ARGS__)
#define shmem_get_nbi(...) SHMEMI_RMA_GENERIC(4, 1, PTR, _get_nbi, __VA_ARGS__)
#define shmem_p(...) SHMEMI_RMA_GENERIC(3, 1, PTR, _p, __VA_ARGS__)
#define shmem_g(...) SHMEMI_RMA_GENERIC(2, 1, CPTR, _g, __VA_ARGS__)
#define shmem_iput(...) SHMEMI_RMA_GENERIC(6, 1, PTR, _iput, __VA_ARGS__)
#define shmem_iget(...) SHMEMI_RMA_GENERIC(6, 1, PTR, _iget, __VA_ARGS__)
#define shmem_ibput(...) SHMEMI_RMA_GENERIC(7, 1, PTR, _ibput, __VA_ARGS__)
#define shmem_ibget(...) SHMEMI_RMA_GENERIC(7, 1, PTR, _ibget, __VA_ARGS__)
#define shmem_put_signal(...) \
  SHMEMI_RMA_GENERIC(7, 1, PTR, _put_signal, __VA_ARGS__)
#define shmem_put_signal_nbi(...) \
  SHMEMI_RMA_GENERIC(7, 1, PTR, _put_signal_nbi, __VA_ARGS__)

/* ---- AMOs (Tables 6, 7, 8) ---- */
#define SHMEMI_AMO_EXT_GENERIC(N, SHAPE, S, ...) \
  SHMEMI_CTX_GENERIC(N, 1, SHAPE, S, SHMEM_AMO_EXTENDED_TYPES_STD, __VA_ARGS__)
#define shmem_atomic_fetch(...) \
  SHMEMI_AMO_EXT_GENERIC(2, CPTR, _atomic_fetch, __VA_ARGS__)
#define shmem_atomic_set(...) \
  SHMEMI_AMO_EXT_GENERIC(3, PTR, _atomic_set, __VA_ARGS__)
#define shmem_atomic_swap(...) \
  SHMEMI_AMO_EXT_GENERIC(3, PTR, _atomic_swap, __VA_ARGS__)
#define shmem_atomic_fetch_nbi(...) \
  SHMEMI_AMO_EXT_GENERIC(3, PTR, _atomic_fetch_nbi, __VA_ARGS__)
#define shmem_atomic_swap_nbi(...) \
  SHMEMI_AMO_EXT_GENERIC(4, PTR, _atomic_swap_nbi, __VA_ARGS__)

#define SHMEMI_AMO_STD_GENERIC(N, S, ...) \
  SHMEMI_CTX_GENERIC(N, 1, PTR, S, SHMEM_AMO_STANDARD_TYPES_STD, __VA_ARGS__)
#define shmem_atomic_compare_swap(...) \
  SHMEMI_AMO_STD_GENERIC(4, _atomic_compare_swap, __VA_ARGS__)
#define shmem_atomic_fetch_inc(...) \
  SHMEMI_AMO_STD_GENERIC(2, _atomic_fetch_inc, __VA_ARGS__)
#define shmem_atomic_inc(...) SHMEMI_AMO_STD_GENERIC(2, _atomic_inc, __VA_ARGS__)
#define shmem_atomic_fetch_add(...) \
  SHMEMI_AMO_STD_GENERIC(3, _atomic_fetch_add, __VA_ARGS__)
#define shmem_atomic_add(...) SHMEMI_AMO_STD_GENERIC(3, _atomic_add, __VA_ARGS__)
#define shmem_atomic_compare_swap_nbi(...) \
  SHMEMI_AMO_STD_GENERIC(5, _atomic_compare_swap_nbi, __VA_ARGS__)
#define shmem_atomic_fetch_inc_nbi(...) \
  SHMEMI_AMO_STD_GENERIC(3, _atomic_fetch_inc_nbi, __VA_ARGS__)
#define shmem_atomic_fetch_add_nbi(...) \
  SHMEMI_AMO_STD_GENERIC(4, _atomic_fetch_add_nbi, __VA_ARGS__)

#define SHMEMI_AMO_BIT_GENERIC(N, S, ...) \
  SHMEMI_CTX_GENERIC(N, 1, PTR, S, SHMEM_AMO_BITWISE_TYPES_GENERIC, __VA_ARGS__)
#define shmem_atomic_fetch_and(...) \
  SHMEMI_AMO_BIT_GENERIC(3, _atomic_fetch_and, __VA_ARGS__)
#define shmem_atomic_fetch_or(...) \
  SHMEMI_AMO_BIT_GENERIC(3, _atomic_fetch_or, __VA_ARGS__)
#define shmem_atomic_fetch_xor(...) \
  SHMEMI_AMO_BIT_GENERIC(3, _atomic_fetch_xor, __VA_ARGS__)
#define shmem_atomic_and(...) SHMEMI_AMO_BIT_GENERIC(3, _atomic_and, __VA_ARGS__)
#define shmem_atomic_or(...) SHMEMI_AMO_BIT_GENERIC(3, _atomic_or, __VA_ARGS__)
#define shmem_atomic_xor(...) SHMEMI_AMO_BIT_GENERIC(3, _atomic_xor, __VA_ARGS__)
#define shmem_atomic_fetch_and_nbi(...) \
  SHMEMI_AMO_BIT_GENERIC(4, _atomic_fetch_and_nbi, __VA_ARGS__)
#define shmem_atomic_fetch_or_nbi(...) \
  SHMEMI_AMO_BIT_GENERIC(4, _atomic_fetch_or_nbi, __VA_ARGS__)
#define shmem_atomic_fetch_xor_nbi(...) \
  SHMEMI_AMO_BIT_GENERIC(4, _atomic_fetch_xor_nbi, __VA_ARGS__)

/* ---- Deprecated AMO names: their replacements under the old names ---- */
#define shmem_finc(...) shmem_atomic_fetch_inc(__VA_ARGS__)
#define shmem_inc(...) shmem_atomic_inc(__VA_ARGS__)
#define shmem_fadd(...) shmem_atomic_fetch_add(__VA_ARGS__)
#define shmem_add(...) shmem_atomic_add(__VA_ARGS__)
#define shmem_cswap(...) shmem_atomic_compare_swap(__VA_ARGS__)
#define shmem_swap(...) shmem_atomic_swap(__VA_ARGS__)
#define shmem_fetch(...) shmem_atomic_fetch(__VA_ARGS__)
#define shmem_set(...) shmem_atomic_set(__VA_ARGS__)

/* ---- Point-to-point synchronization (Table 12) ----
 * shmem_wait_until and shmem_wait shadow the deprecated long functions of
 * the same names, declared above; for long they select those same
 * operations. */
#define SHMEMI_SYNC_GENERIC(S, ...) \
  SHMEMI_GENERIC(1, PTR, S, SHMEMI_GENERIC_SYNC_TYPES, __VA_ARGS__)
#define shmem_wait_until(...) \
  SHMEMI_GENERIC(1, PTR, _wait_until, SHMEMI_GENERIC_SYNC_TYPES, __VA_ARGS__)
#define shmem_test(...) \
  SHMEMI_GENERIC(1, PTR, _test, SHMEMI_GENERIC_SYNC_TYPES, __VA_ARGS__)
#define shmem_wait(...) \
  SHMEMI_GENERIC(1, PTR, _wait, SHMEM_DEPRECATED_WAIT_TYPES, __VA_ARGS__)
#define shmem_wait_until_all(...) SHMEMI_SYNC_GENERIC(_wait_until_all, __VA_ARGS__)
#define shmem_wait_until_any(...) SHMEMI_SYNC_GENERIC(_wait_until_any, __VA_ARGS__)
#define shmem_wait_until_some(...) \
  SHMEMI_SYNC_GENERIC(_wait_until_some, __VA_ARGS__)
#define shmem_wait_until_all_vector(...) \
  SHMEMI_SYNC_GENERIC(_wait_until_all_vector, __VA_ARGS__)
#define shmem_wait_until_any_vector(...) \
  SHMEMI_SYNC_GENERIC(_wait_until_any_vector, __VA_ARGS__)
#define shmem_wait_until_some_vector(...) \
  SHMEMI_SYNC_GENERIC(_wait_until_some_vector, __VA_ARGS__)
#define shmem_test_all(...) SHMEMI_SYNC_GENERIC(_test_all, __VA_ARGS__)
#define shmem_test_any(...) SHMEMI_SYNC_GENERIC(_test_any, __VA_ARGS__)
#define shmem_test_some(...) SHMEMI_SYNC_GENERIC(_test_some, __VA_ARGS__)
#define shmem_test_all_vector(...) \
  SHMEMI_SYNC_GENERIC(_test_all_vector, __VA_ARGS__)
#define shmem_test_any_vector(...) \
  SHMEMI_SYNC_GENERIC(_test_any_vector, __VA_ARGS__)
#define shmem_test_some_vector(...) \
  SHMEMI_SYNC_GENERIC(_test_some_vector, __VA_ARGS__)

/* ---- Team collectives: shmem_<op>(team, dest, ...) selects on dest ---- */
#define SHMEMI_COLL_GENERIC(S, LIST, ...) \
  SHMEMI_GENERIC(2, PTR, S, LIST, __VA_ARGS__)
#define shmem_broadcast(...) \
  SHMEMI_COLL_GENERIC(_broadcast, SHMEM_RMA_TYPES_STD, __VA_ARGS__)
#define shmem_collect(...) \
  SHMEMI_COLL_GENERIC(_collect, SHMEM_RMA_TYPES_STD, __VA_ARGS__)
#define shmem_fcollect(...) \
  SHMEMI_COLL_GENERIC(_fcollect, SHMEM_RMA_TYPES_STD, __VA_ARGS__)
#define shmem_alltoall(...) \
  SHMEMI_COLL_GENERIC(_alltoall, SHMEM_RMA_TYPES_STD, __VA_ARGS__)
#define shmem_alltoalls(...) \
  SHMEMI_COLL_GENERIC(_alltoalls, SHMEM_RMA_TYPES_STD, __VA_ARGS__)

/* shmem_sync(team) is the C11 name of shmem_team_sync; with the four
 * arguments of an active set it is the deprecated function of that name
 * (parenthesized, so that this macro does not expand again). */
#define shmem_sync(...) \
  SHMEMI_EACH_CAT(shmemi_sync_with_, SHMEMI_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define shmemi_sync_with_1 shmem_team_sync
#define shmemi_sync_with_4 (shmem_sync)

/* ---- Reductions (Table 10) ---- */
#define shmem_and_reduce(...) \
  SHMEMI_COLL_GENERIC(_and_reduce, SHMEM_REDUCE_BITWISE_TYPES_GENERIC, \
                      __VA_ARGS__)
#define shmem_or_reduce(...) \
  SHMEMI_COLL_GENERIC(_or_reduce, SHMEM_REDUCE_BITWISE_TYPES_GENERIC, \
                      __VA_ARGS__)
#define shmem_xor_reduce(...) \
  SHMEMI_COLL_GENERIC(_xor_reduce, SHMEM_REDUCE_BITWISE_TYPES_GENERIC, \
                      __VA_ARGS__)
#define shmem_max_reduce(...) \
  SHMEMI_COLL_GENERIC(_max_reduce, SHMEM_REDUCE_MINMAX_TYPES_STD, __VA_ARGS__)
#define shmem_min_reduce(...) \
  SHMEMI_COLL_GENERIC(_min_reduce, SHMEM_REDUCE_MINMAX_TYPES_STD, __VA_ARGS__)
#define shmem_sum_reduce(...) \
  SHMEMI_COLL_GENERIC(_sum_reduce, SHMEM_REDUCE_ARITH_TYPES_STD, __VA_ARGS__)
#define shmem_prod_reduce(...) \
  SHMEMI_COLL_GENERIC(_prod_reduce, SHMEM_REDUCE_ARITH_TYPES_STD, __VA_ARGS__)

/* ---- Prefix sums (1.6): the SUM types of Table 10 ---- */
#define shmem_sum_inscan(...) \
  SHMEMI_COLL_GENERIC(_sum_inscan, SHMEM_REDUCE_ARITH_TYPES_STD, __VA_ARGS__)
#define shmem_sum_exscan(...) \
  SHMEMI_COLL_GENERIC(_sum_exscan, SHMEM_REDUCE_ARITH_TYPES_STD, __VA_ARGS__)

/* ---- signal_add / signal_set (1.6): three arguments, or a context and
 * three (parenthesized names reach the functions, not these macros) ---- */
#define shmem_signal_add(...) \
  SHMEMI_EACH_CAT(shmemi_signal_add_with_, SHMEMI_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define shmemi_signal_add_with_3 (shmem_signal_add)
#define shmemi_signal_add_with_4 shmem_ctx_signal_add
#define shmem_signal_set(...) \
  SHMEMI_EACH_CAT(shmemi_signal_set_with_, SHMEMI_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define shmemi_signal_set_with_3 (shmem_signal_set)
#define shmemi_signal_set_with_4 shmem_ctx_signal_set

#endif /* C++ / C11 */
#endif /* !SHMEMI_NO_GENERIC */
#endif /* SHMEM_GENERIC_H */
