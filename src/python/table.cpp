// table.cpp - builds the dtype dispatch table once, at import, from the
// X-macro type lists of shmem_type_table.h.
#include <limits>
#include <type_traits>

#include "shmem4py_types.hpp"

// ---- Weak references ---------------------------------------------------
// Routines that an OpenSHMEM library may lack are referenced weakly: the
// extension loads without them and reports NotImplementedError.  External
// builds leave out whole groups the CMake check did not find.
#define SHMEM4PY_PRAGMA(x) _Pragma(#x)
#define SHMEM4PY_WEAK(sym) SHMEM4PY_PRAGMA(weak sym)

#if SHMEM4PY_HAVE_PUT_SIGNAL
#define W_PUT_SIGNAL(NAME, T)                                                  \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_put_signal)                                 \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_put_signal_nbi)
SHMEM_RMA_TYPES_STD(W_PUT_SIGNAL)
#define W_PUT_SIGNAL_SIZED(BITS, T)                                            \
  SHMEM4PY_WEAK(shmem_ctx_put##BITS##_signal)                                  \
  SHMEM4PY_WEAK(shmem_ctx_put##BITS##_signal_nbi)
SHMEM_SIZED_RMA(W_PUT_SIGNAL_SIZED)
SHMEM4PY_WEAK(shmem_ctx_putmem_signal)
SHMEM4PY_WEAK(shmem_ctx_putmem_signal_nbi)
#endif

#if SHMEM4PY_HAVE_AMO_NBI
#define W_AMO_EXT_NBI(NAME, T)                                                 \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_atomic_fetch_nbi)                           \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_atomic_swap_nbi)
#define W_AMO_STD_NBI(NAME, T)                                                 \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_atomic_compare_swap_nbi)                    \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_atomic_fetch_inc_nbi)                       \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_atomic_fetch_add_nbi)
#define W_AMO_BIT_NBI(NAME, T)                                                 \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_atomic_fetch_and_nbi)                       \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_atomic_fetch_or_nbi)                        \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_atomic_fetch_xor_nbi)
SHMEM_AMO_EXTENDED_TYPES(W_AMO_EXT_NBI)
SHMEM_AMO_STANDARD_TYPES(W_AMO_STD_NBI)
SHMEM_AMO_BITWISE_TYPES(W_AMO_BIT_NBI)
#endif

#if SHMEM4PY_HAVE_SYNC_VECTOR
#define W_SYNC_VECTOR(NAME, T)                                                 \
  SHMEM4PY_WEAK(shmem_##NAME##_test_all) SHMEM4PY_WEAK(shmem_##NAME##_test_any) \
  SHMEM4PY_WEAK(shmem_##NAME##_test_some)                                      \
  SHMEM4PY_WEAK(shmem_##NAME##_test_all_vector)                                \
  SHMEM4PY_WEAK(shmem_##NAME##_test_any_vector)                                \
  SHMEM4PY_WEAK(shmem_##NAME##_test_some_vector)
SHMEM_SYNC_TYPES(W_SYNC_VECTOR)
#endif

#if SHMEM4PY_HAVE_TEAM_REDUCE
#define W_RED_OP(NAME, OP) SHMEM4PY_WEAK(shmem_##NAME##_##OP##_reduce)
#define W_RED_BIT(NAME, T) W_RED_OP(NAME, and) W_RED_OP(NAME, or) W_RED_OP(NAME, xor)
#define W_RED_MINMAX(NAME, T) W_RED_OP(NAME, max) W_RED_OP(NAME, min)
#define W_RED_ARITH(NAME, T) W_RED_OP(NAME, sum) W_RED_OP(NAME, prod)
SHMEM_REDUCE_BITWISE_TYPES(W_RED_BIT)
SHMEM_REDUCE_MINMAX_TYPES(W_RED_MINMAX)
SHMEM_REDUCE_ARITH_TYPES(W_RED_ARITH)
#endif

#if SHMEM4PY_HAVE_TEAM_COLL
#define W_COLL(NAME, T)                                                        \
  SHMEM4PY_WEAK(shmem_##NAME##_broadcast) SHMEM4PY_WEAK(shmem_##NAME##_collect) \
  SHMEM4PY_WEAK(shmem_##NAME##_fcollect) SHMEM4PY_WEAK(shmem_##NAME##_alltoall)
SHMEM_RMA_TYPES_STD(W_COLL)
#endif
#if SHMEM4PY_HAVE_TEAM_ALLTOALLS
#define W_ALLTOALLS(NAME, T) SHMEM4PY_WEAK(shmem_##NAME##_alltoalls)
SHMEM_RMA_TYPES_STD(W_ALLTOALLS)
#endif

#if SHMEM4PY_HAVE_IBPUT
#define W_IB(NAME, T)                                                          \
  SHMEM4PY_WEAK(shmem_ctx_##NAME##_ibput) SHMEM4PY_WEAK(shmem_ctx_##NAME##_ibget)
SHMEM_RMA_TYPES_STD(W_IB)
#define W_IB_SIZED(BITS, T)                                                    \
  SHMEM4PY_WEAK(shmem_ctx_ibput##BITS) SHMEM4PY_WEAK(shmem_ctx_ibget##BITS)
SHMEM_SIZED_RMA(W_IB_SIZED)
#endif
#if SHMEM4PY_HAVE_SCAN
#define W_SCAN(NAME, T)                                                        \
  SHMEM4PY_WEAK(shmem_##NAME##_sum_inscan) SHMEM4PY_WEAK(shmem_##NAME##_sum_exscan)
SHMEM_REDUCE_ARITH_TYPES(W_SCAN)
#endif

// The lists to fill from: with the fixed-width names (int32, uint64...) where
// the library has them (1.4 libraries may name the standard C types only).
#if SHMEM4PY_HAVE_AMO_FIXED
#define AMO_EXTENDED_LIST SHMEM_AMO_EXTENDED_TYPES
#define AMO_STANDARD_LIST SHMEM_AMO_STANDARD_TYPES
#else
#define AMO_EXTENDED_LIST SHMEM_AMO_EXTENDED_TYPES_STD
#define AMO_STANDARD_LIST SHMEM_AMO_STANDARD_TYPES_STD
#endif
#if SHMEM4PY_HAVE_BITWISE_FIXED
#define AMO_BITWISE_LIST SHMEM_AMO_BITWISE_TYPES
#else
#define AMO_BITWISE_LIST SHMEM_AMO_BITWISE_TYPES_STD
#endif
#if SHMEM4PY_HAVE_SYNC_FIXED
#define SYNC_LIST SHMEM_SYNC_TYPES
#else
#define SYNC_LIST SHMEM_SYNC_TYPES_STD
#endif

namespace shmem4py {
namespace {

// The C routines of one C type T, filled from the type lists.
template <class T> struct Ops {
  static inline PutFn put, get, put_nbi, get_nbi;
  static inline StridedFn iput, iget;
  static inline PutSignalFn put_signal, put_signal_nbi;
  static inline BlockedFn ibput, ibget;
  static inline CollFn scan[2];
  static inline void (*p)(shmem_ctx_t, T *, T, int);
  static inline T (*g)(shmem_ctx_t, const T *, int);
  static inline void *amo[AMO_COUNT];
  static inline uint32_t amo_allowed;
  static inline void *sync[SYNC_COUNT];
  static inline uint32_t sync_allowed;
  static inline CollFn reduce[RED_COUNT];
  static inline uint32_t reduce_allowed;
  static inline BcastFn broadcast;
  static inline CollFn collect, fcollect, alltoall;
  static inline AlltoallsFn alltoalls;
};

constexpr uint32_t bit(int i) { return uint32_t{1} << i; }
template <class F> void *vp(F f) { return reinterpret_cast<void *>(f); }

// ---- Fill from the type tables ------------------------------------------
void fill_tables() {
#define F_RMA(NAME, T)                                                         \
  Ops<T>::put = reinterpret_cast<PutFn>(&shmem_ctx_##NAME##_put);              \
  Ops<T>::get = reinterpret_cast<PutFn>(&shmem_ctx_##NAME##_get);              \
  Ops<T>::put_nbi = reinterpret_cast<PutFn>(&shmem_ctx_##NAME##_put_nbi);      \
  Ops<T>::get_nbi = reinterpret_cast<PutFn>(&shmem_ctx_##NAME##_get_nbi);      \
  Ops<T>::iput = reinterpret_cast<StridedFn>(&shmem_ctx_##NAME##_iput);        \
  Ops<T>::iget = reinterpret_cast<StridedFn>(&shmem_ctx_##NAME##_iget);        \
  Ops<T>::p = &shmem_ctx_##NAME##_p;                                          \
  Ops<T>::g = &shmem_ctx_##NAME##_g;
  SHMEM_RMA_TYPES_STD(F_RMA)
#undef F_RMA

#if SHMEM4PY_HAVE_PUT_SIGNAL
#define F_PUT_SIGNAL(NAME, T)                                                  \
  Ops<T>::put_signal = reinterpret_cast<PutSignalFn>(&shmem_ctx_##NAME##_put_signal); \
  Ops<T>::put_signal_nbi =                                                     \
      reinterpret_cast<PutSignalFn>(&shmem_ctx_##NAME##_put_signal_nbi);
  SHMEM_RMA_TYPES_STD(F_PUT_SIGNAL)
#undef F_PUT_SIGNAL
#endif

#if SHMEM4PY_HAVE_IBPUT
#define F_IB(NAME, T)                                                          \
  Ops<T>::ibput = reinterpret_cast<BlockedFn>(&shmem_ctx_##NAME##_ibput);      \
  Ops<T>::ibget = reinterpret_cast<BlockedFn>(&shmem_ctx_##NAME##_ibget);
  SHMEM_RMA_TYPES_STD(F_IB)
#undef F_IB
#endif
#if SHMEM4PY_HAVE_SCAN
#define F_SCAN(NAME, T)                                                        \
  Ops<T>::scan[0] = reinterpret_cast<CollFn>(&shmem_##NAME##_sum_inscan);      \
  Ops<T>::scan[1] = reinterpret_cast<CollFn>(&shmem_##NAME##_sum_exscan);
  SHMEM_REDUCE_ARITH_TYPES(F_SCAN)
#undef F_SCAN
#endif

#if SHMEM4PY_HAVE_TEAM_COLL
#define F_COLL(NAME, T)                                                        \
  Ops<T>::broadcast = reinterpret_cast<BcastFn>(&shmem_##NAME##_broadcast);    \
  Ops<T>::collect = reinterpret_cast<CollFn>(&shmem_##NAME##_collect);         \
  Ops<T>::fcollect = reinterpret_cast<CollFn>(&shmem_##NAME##_fcollect);       \
  Ops<T>::alltoall = reinterpret_cast<CollFn>(&shmem_##NAME##_alltoall);
  SHMEM_RMA_TYPES_STD(F_COLL)
#undef F_COLL
#endif
#if SHMEM4PY_HAVE_TEAM_ALLTOALLS
#define F_ALLTOALLS(NAME, T)                                                   \
  Ops<T>::alltoalls = reinterpret_cast<AlltoallsFn>(&shmem_##NAME##_alltoalls);
  SHMEM_RMA_TYPES_STD(F_ALLTOALLS)
#undef F_ALLTOALLS
#endif

  // AMOs.  The spec's type rules are the `allowed` bits; the pointers may
  // stay null where the library lacks a routine (the _nbi forms of 1.4).
#define F_AMO(T, OP, SYM)                                                      \
  Ops<T>::amo[OP] = vp(&SYM);                                                  \
  Ops<T>::amo_allowed |= bit(OP);
#define A_AMO(T, OP) Ops<T>::amo_allowed |= bit(OP);
#if SHMEM4PY_HAVE_AMO_NBI
#define F_AMO_NBI(T, OP, SYM) F_AMO(T, OP, SYM)
#else
#define F_AMO_NBI(T, OP, SYM) A_AMO(T, OP)
#endif
// An op alone, or with its _nbi form (OP##_NBI, the routine's name##_nbi).
#define F_AMO1(NAME, T, OP, FN) F_AMO(T, OP, shmem_ctx_##NAME##_##FN)
#define F_AMO2(NAME, T, OP, FN)                                                \
  F_AMO(T, OP, shmem_ctx_##NAME##_##FN)                                        \
  F_AMO_NBI(T, OP##_NBI, shmem_ctx_##NAME##_##FN##_nbi)
#define F_AMO_EXT(NAME, T)                                                     \
  F_AMO2(NAME, T, AMO_FETCH, atomic_fetch)                                     \
  F_AMO1(NAME, T, AMO_SET, atomic_set)                                         \
  F_AMO2(NAME, T, AMO_SWAP, atomic_swap)
#define F_AMO_STD(NAME, T)                                                     \
  F_AMO2(NAME, T, AMO_CSWAP, atomic_compare_swap)                              \
  F_AMO2(NAME, T, AMO_FINC, atomic_fetch_inc)                                  \
  F_AMO1(NAME, T, AMO_INC, atomic_inc)                                         \
  F_AMO2(NAME, T, AMO_FADD, atomic_fetch_add)                                  \
  F_AMO1(NAME, T, AMO_ADD, atomic_add)
#define F_AMO_BIT(NAME, T)                                                     \
  F_AMO2(NAME, T, AMO_FAND, atomic_fetch_and)                                  \
  F_AMO1(NAME, T, AMO_AND, atomic_and)                                         \
  F_AMO2(NAME, T, AMO_FOR, atomic_fetch_or)                                    \
  F_AMO1(NAME, T, AMO_OR, atomic_or)                                           \
  F_AMO2(NAME, T, AMO_FXOR, atomic_fetch_xor)                                  \
  F_AMO1(NAME, T, AMO_XOR, atomic_xor)
  AMO_EXTENDED_LIST(F_AMO_EXT)
  AMO_STANDARD_LIST(F_AMO_STD)
  AMO_BITWISE_LIST(F_AMO_BIT)
#undef F_AMO_EXT
#undef F_AMO_STD
#undef F_AMO_BIT
#undef F_AMO1
#undef F_AMO2

  // Point-to-point synchronization (the waits loop over these tests).
  constexpr uint32_t kVectorOps = bit(SYNC_TEST_ALL) | bit(SYNC_TEST_ANY) |
                                  bit(SYNC_TEST_SOME) | bit(SYNC_TEST_ALL_V) |
                                  bit(SYNC_TEST_ANY_V) | bit(SYNC_TEST_SOME_V);
  (void)kVectorOps;
#define F_SYNC_ONE(NAME, T)                                                    \
  Ops<T>::sync[SYNC_TEST] = vp(&shmem_##NAME##_test);                          \
  Ops<T>::sync_allowed |= bit(SYNC_TEST);
  SHMEM_SYNC_TYPES_DEPRECATED(F_SYNC_ONE)
  SYNC_LIST(F_SYNC_ONE)
#undef F_SYNC_ONE
#if SHMEM4PY_HAVE_SYNC_VECTOR
#define F_SYNC_VEC(NAME, T)                                                    \
  Ops<T>::sync[SYNC_TEST_ALL] = vp(&shmem_##NAME##_test_all);                  \
  Ops<T>::sync[SYNC_TEST_ANY] = vp(&shmem_##NAME##_test_any);                  \
  Ops<T>::sync[SYNC_TEST_SOME] = vp(&shmem_##NAME##_test_some);                \
  Ops<T>::sync[SYNC_TEST_ALL_V] = vp(&shmem_##NAME##_test_all_vector);         \
  Ops<T>::sync[SYNC_TEST_ANY_V] = vp(&shmem_##NAME##_test_any_vector);         \
  Ops<T>::sync[SYNC_TEST_SOME_V] = vp(&shmem_##NAME##_test_some_vector);       \
  Ops<T>::sync_allowed |= kVectorOps;
#else
#define F_SYNC_VEC(NAME, T) Ops<T>::sync_allowed |= kVectorOps;
#endif
  SYNC_LIST(F_SYNC_VEC)
#undef F_SYNC_VEC

  // Reductions.
#if SHMEM4PY_HAVE_TEAM_REDUCE
#define F_RED(T, OP, SYM)                                                      \
  Ops<T>::reduce[OP] = reinterpret_cast<CollFn>(&SYM);                         \
  Ops<T>::reduce_allowed |= bit(OP);
#else
#define F_RED(T, OP, SYM) Ops<T>::reduce_allowed |= bit(OP);
#endif
#define F_RED_BIT(NAME, T)                                                     \
  F_RED(T, RED_AND, shmem_##NAME##_and_reduce)                                 \
  F_RED(T, RED_OR, shmem_##NAME##_or_reduce)                                   \
  F_RED(T, RED_XOR, shmem_##NAME##_xor_reduce)
#define F_RED_MINMAX(NAME, T)                                                  \
  F_RED(T, RED_MAX, shmem_##NAME##_max_reduce)                                 \
  F_RED(T, RED_MIN, shmem_##NAME##_min_reduce)
#define F_RED_ARITH(NAME, T)                                                   \
  F_RED(T, RED_SUM, shmem_##NAME##_sum_reduce)                                 \
  F_RED(T, RED_PROD, shmem_##NAME##_prod_reduce)
  SHMEM_REDUCE_BITWISE_TYPES(F_RED_BIT)
  SHMEM_REDUCE_MINMAX_TYPES(F_RED_MINMAX)
  SHMEM_REDUCE_ARITH_TYPES(F_RED_ARITH)
#undef F_RED_BIT
#undef F_RED_MINMAX
#undef F_RED_ARITH
}

// `long long` and `long` (and their unsigned forms) have one representation
// on LP64; the tables name some operations only for int64_t (= long), so
// NumPy's longlong dtype borrows them.
template <class A, class B> void borrow() {
  if constexpr (sizeof(A) == sizeof(B) && std::is_signed_v<A> == std::is_signed_v<B>) {
    for (int op = 0; op < AMO_COUNT; ++op)
      if (!(Ops<A>::amo_allowed & bit(op)) && (Ops<B>::amo_allowed & bit(op))) {
        Ops<A>::amo[op] = Ops<B>::amo[op];
        Ops<A>::amo_allowed |= bit(op);
      }
    for (int op = 0; op < SYNC_COUNT; ++op)
      if (!(Ops<A>::sync_allowed & bit(op)) && (Ops<B>::sync_allowed & bit(op))) {
        Ops<A>::sync[op] = Ops<B>::sync[op];
        Ops<A>::sync_allowed |= bit(op);
      }
    for (int op = 0; op < RED_COUNT; ++op)
      if (!(Ops<A>::reduce_allowed & bit(op)) && (Ops<B>::reduce_allowed & bit(op))) {
        Ops<A>::reduce[op] = Ops<B>::reduce[op];
        Ops<A>::reduce_allowed |= bit(op);
      }
    for (int k = 0; k < 2; ++k)
      if (!Ops<A>::scan[k]) Ops<A>::scan[k] = Ops<B>::scan[k];
  }
}

// ---- Adapters: call a typed routine with values held in Scalars ---------
template <class T>
void amo_call(const Entry &e, int op, shmem_ctx_t c, void *d, const Scalar &v,
              const Scalar &cond, Scalar &out, void *f, int pe) {
  void *fn = e.amo_fns[op];
  T *dest = static_cast<T *>(d), *fetch = static_cast<T *>(f);
  switch (op) {
  case AMO_FETCH:
    out.set(reinterpret_cast<T (*)(shmem_ctx_t, const T *, int)>(fn)(c, dest, pe));
    break;
  case AMO_SET: case AMO_ADD: case AMO_AND: case AMO_OR: case AMO_XOR:
    reinterpret_cast<void (*)(shmem_ctx_t, T *, T, int)>(fn)(c, dest, v.get<T>(), pe);
    break;
  case AMO_SWAP: case AMO_FADD: case AMO_FAND: case AMO_FOR: case AMO_FXOR:
    out.set(reinterpret_cast<T (*)(shmem_ctx_t, T *, T, int)>(fn)(c, dest, v.get<T>(), pe));
    break;
  case AMO_CSWAP:
    out.set(reinterpret_cast<T (*)(shmem_ctx_t, T *, T, T, int)>(fn)(c, dest, cond.get<T>(),
                                                                      v.get<T>(), pe));
    break;
  case AMO_FINC:
    out.set(reinterpret_cast<T (*)(shmem_ctx_t, T *, int)>(fn)(c, dest, pe));
    break;
  case AMO_INC:
    reinterpret_cast<void (*)(shmem_ctx_t, T *, int)>(fn)(c, dest, pe);
    break;
  case AMO_FETCH_NBI:
    reinterpret_cast<void (*)(shmem_ctx_t, T *, const T *, int)>(fn)(c, fetch, dest, pe);
    break;
  case AMO_SWAP_NBI: case AMO_FADD_NBI: case AMO_FAND_NBI: case AMO_FOR_NBI:
  case AMO_FXOR_NBI:
    reinterpret_cast<void (*)(shmem_ctx_t, T *, T *, T, int)>(fn)(c, fetch, dest,
                                                                  v.get<T>(), pe);
    break;
  case AMO_CSWAP_NBI:
    reinterpret_cast<void (*)(shmem_ctx_t, T *, T *, T, T, int)>(fn)(
        c, fetch, dest, cond.get<T>(), v.get<T>(), pe);
    break;
  case AMO_FINC_NBI:
    reinterpret_cast<void (*)(shmem_ctx_t, T *, T *, int)>(fn)(c, fetch, dest, pe);
    break;
  default:
    break;
  }
}

template <class T>
size_t sync_call(const Entry &e, int op, void *iv, size_t n, const int *st, int cmp,
                 const Scalar &v, const void *vals, size_t *idx) {
  void *fn = e.sync_fns[op];
  T *ivars = static_cast<T *>(iv);
  T *values = static_cast<T *>(const_cast<void *>(vals));
  const T value = v.get<T>();
  switch (op) {
  case SYNC_TEST:
    return static_cast<size_t>(reinterpret_cast<int (*)(T *, int, T)>(fn)(ivars, cmp, value));
  case SYNC_TEST_ALL:
    return static_cast<size_t>(
        reinterpret_cast<int (*)(T *, size_t, const int *, int, T)>(fn)(ivars, n, st, cmp,
                                                                       value));
  case SYNC_TEST_ANY:
    return reinterpret_cast<size_t (*)(T *, size_t, const int *, int, T)>(fn)(ivars, n, st,
                                                                           cmp, value);
  case SYNC_TEST_SOME:
    return reinterpret_cast<size_t (*)(T *, size_t, size_t *, const int *, int, T)>(fn)(
        ivars, n, idx, st, cmp, value);
  case SYNC_TEST_ALL_V:
    return static_cast<size_t>(
        reinterpret_cast<int (*)(T *, size_t, const int *, int, T *)>(fn)(ivars, n, st, cmp,
                                                                         values));
  case SYNC_TEST_ANY_V:
    return reinterpret_cast<size_t (*)(T *, size_t, const int *, int, T *)>(fn)(
        ivars, n, st, cmp, values);
  case SYNC_TEST_SOME_V:
    return reinterpret_cast<size_t (*)(T *, size_t, size_t *, const int *, int, T *)>(fn)(
        ivars, n, idx, st, cmp, values);
  default:
    return 0;
  }
}

template <class T> void p_call(shmem_ctx_t c, void *d, const Scalar &v, int pe) {
  Ops<T>::p(c, static_cast<T *>(d), v.get<T>(), pe);
}
template <class T> void g_call(shmem_ctx_t c, Scalar &out, const void *s, int pe) {
  out.set(Ops<T>::g(c, static_cast<const T *>(s), pe));
}

// ---- Python value conversions --------------------------------------------
// Return 0 on success, 1 for a value of the wrong kind, 2 for a value out of
// the type's range (no Python error is left set: the caller words it).
template <class V> int int_from_py(PyObject *o, Scalar &s) {
  PyObject *num = nullptr;
  if (!PyLong_Check(o)) {
    if (PyFloat_Check(o) || !PyIndex_Check(o)) return 1;
    num = PyNumber_Index(o);
    if (!num) {
      PyErr_Clear();
      return 1;
    }
    o = num;
  }
  int rc = 0;
  if constexpr (std::is_signed_v<V>) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow || (v == -1 && PyErr_Occurred()) ||
        v < static_cast<long long>(std::numeric_limits<V>::min()) ||
        v > static_cast<long long>(std::numeric_limits<V>::max()))
      rc = 2;
    else
      s.set(static_cast<V>(v));
  } else {
    unsigned long long v = PyLong_AsUnsignedLongLong(o);
    if ((v == static_cast<unsigned long long>(-1) && PyErr_Occurred()) ||
        v > static_cast<unsigned long long>(std::numeric_limits<V>::max()))
      rc = 2;
    else
      s.set(static_cast<V>(v));
  }
  if (rc) PyErr_Clear();
  Py_XDECREF(num);
  return rc;
}

// Python floats and ints here; NumPy scalars of other types, arrays and the
// rest go through NumPy in the extension (rc 1).
template <class V> int float_from_py(PyObject *o, Scalar &s) {
  double v;
  if (PyFloat_Check(o)) {
    v = PyFloat_AS_DOUBLE(o);
  } else if (PyLong_Check(o)) {
    v = PyLong_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred()) {
      PyErr_Clear();
      return 2;
    }
  } else {
    return 1;
  }
  s.set(static_cast<V>(v));
  return 0;
}

template <class V> int complex_from_py(PyObject *o, Scalar &s) {
  if (!PyComplex_Check(o) && !PyFloat_Check(o) && !PyLong_Check(o)) return 1;
  Py_complex c = PyComplex_AsCComplex(o);
  if (c.real == -1.0 && PyErr_Occurred()) {
    int rc = PyErr_ExceptionMatches(PyExc_OverflowError) ? 2 : 1;
    PyErr_Clear();
    return rc;
  }
  s.set(std::complex<V>(static_cast<V>(c.real), static_cast<V>(c.imag)));
  return 0;
}

int bool_from_py(PyObject *o, Scalar &s) {
  if (!PyBool_Check(o) && !PyLong_Check(o) && !PyFloat_Check(o)) return 1;
  s.set(static_cast<bool>(PyObject_IsTrue(o)));
  return 0;
}

template <class V> PyObject *int_to_py(const Scalar &s) {
  if constexpr (std::is_signed_v<V>)
    return PyLong_FromLongLong(s.get<V>());
  else
    return PyLong_FromUnsignedLongLong(s.get<V>());
}
template <class V> PyObject *float_to_py(const Scalar &s) {
  return PyFloat_FromDouble(static_cast<double>(s.get<V>()));
}
template <class V> PyObject *complex_to_py(const Scalar &s) {
  std::complex<V> c = s.get<std::complex<V>>();
  return PyComplex_FromDoubles(static_cast<double>(c.real()), static_cast<double>(c.imag()));
}
PyObject *bool_to_py(const Scalar &s) { return PyBool_FromLong(s.get<bool>()); }

// ---- Sized (untyped) RMA, for the types the C API does not name ----------
struct Sized {
  size_t unit;
  PutFn put, get, put_nbi, get_nbi;
  StridedFn iput, iget;
  PutSignalFn put_signal, put_signal_nbi;
  BlockedFn ibput, ibget;
};
Sized sized_for(size_t lane) {
  Sized s{};
  s.unit = lane;
#if SHMEM4PY_HAVE_PUT_SIGNAL
#define SIG(BITS)                                                              \
  s.put_signal = reinterpret_cast<PutSignalFn>(&shmem_ctx_put##BITS##_signal); \
  s.put_signal_nbi = reinterpret_cast<PutSignalFn>(&shmem_ctx_put##BITS##_signal_nbi);
#else
#define SIG(BITS)
#endif
#if SHMEM4PY_HAVE_IBPUT
#define IB(BITS)                                                               \
  s.ibput = &shmem_ctx_ibput##BITS;                                            \
  s.ibget = reinterpret_cast<BlockedFn>(&shmem_ctx_ibget##BITS);
#else
#define IB(BITS)
#endif
#define SIZED(BITS)                                                            \
  s.put = &shmem_ctx_put##BITS;                                                \
  s.get = reinterpret_cast<PutFn>(&shmem_ctx_get##BITS);                       \
  s.put_nbi = &shmem_ctx_put##BITS##_nbi;                                      \
  s.get_nbi = reinterpret_cast<PutFn>(&shmem_ctx_get##BITS##_nbi);             \
  s.iput = &shmem_ctx_iput##BITS;                                              \
  s.iget = reinterpret_cast<StridedFn>(&shmem_ctx_iget##BITS);                 \
  SIG(BITS) IB(BITS)
  switch (lane) {
  case 1: SIZED(8) break;
  case 2: SIZED(16) break;
  case 4: SIZED(32) break;
  case 8: SIZED(64) break;
  case 16: SIZED(128) break;
  default: break;
  }
#undef SIZED
#undef SIG
#undef IB
  return s;
}

size_t lane_of(size_t itemsize) {
  for (size_t lane : {16, 8, 4, 2})
    if (itemsize % lane == 0) return lane;
  return 1;
}

void set_rma_sized(Entry &e, size_t itemsize) {
  Sized s = sized_for(lane_of(itemsize));
  e.unit = s.unit;
  e.put = s.put;
  e.get = s.get;
  e.put_nbi = s.put_nbi;
  e.get_nbi = s.get_nbi;
  e.iput = s.iput;
  e.iget = s.iget;
  e.put_signal = s.put_signal;
  e.put_signal_nbi = s.put_signal_nbi;
  e.ibput = s.ibput;
  e.ibget = s.ibget;
}

Entry g_entries[128];
Entry g_bytes[17]; // raw-byte entries by lane size (1, 2, 4, 8, 16)

// One dtype char: V is the value type of its conversions, T the C type
// whose routines it uses (same size and representation).
template <class V, class T>
void make(char code, Kind kind, const char *name, int (*from_py)(PyObject *, Scalar &),
          PyObject *(*to_py)(const Scalar &)) {
  static_assert(sizeof(V) == sizeof(T), "value and routine types must match");
  Entry &e = g_entries[static_cast<unsigned char>(code)];
  e.code = code;
  e.kind = kind;
  e.size = sizeof(V);
  e.compat = static_cast<uint16_t>(kind << 8 | sizeof(V));
  e.name = name;
  e.from_py = from_py;
  e.to_py = to_py;
  if (Ops<T>::put) {
    e.unit = sizeof(T);
    e.put = Ops<T>::put;
    e.get = Ops<T>::get;
    e.put_nbi = Ops<T>::put_nbi;
    e.get_nbi = Ops<T>::get_nbi;
    e.iput = Ops<T>::iput;
    e.iget = Ops<T>::iget;
    e.put_signal = Ops<T>::put_signal;
    e.put_signal_nbi = Ops<T>::put_signal_nbi;
    e.ibput = Ops<T>::ibput;
    e.ibget = Ops<T>::ibget;
    e.p = &p_call<T>;
    e.g = &g_call<T>;
  } else {
    set_rma_sized(e, sizeof(V));
  }
  e.amo_allowed = Ops<T>::amo_allowed;
  e.amo = &amo_call<T>;
  e.amo_fns = Ops<T>::amo;
  e.sync_allowed = Ops<T>::sync_allowed;
  e.sync = &sync_call<T>;
  e.sync_fns = Ops<T>::sync;
  e.reduce_allowed = Ops<T>::reduce_allowed;
  for (int op = 0; op < RED_COUNT; ++op) e.reduce[op] = Ops<T>::reduce[op];
  e.scan[0] = Ops<T>::scan[0];
  e.scan[1] = Ops<T>::scan[1];
  e.broadcast = Ops<T>::broadcast;
  e.collect = Ops<T>::collect;
  e.fcollect = Ops<T>::fcollect;
  e.alltoall = Ops<T>::alltoall;
  e.alltoalls = Ops<T>::alltoalls;
}

} // namespace

// The lane type of alltoalls for dtypes without a typed form.
AlltoallsFn lane_alltoalls(size_t lane) {
  switch (lane) {
  case 1: return Ops<unsigned char>::alltoalls;
  case 2: return Ops<unsigned short>::alltoalls;
  case 4: return Ops<unsigned int>::alltoalls;
  default: return Ops<unsigned long long>::alltoalls;
  }
}

void build_tables() {
  fill_tables();
  borrow<long long, long>();
  borrow<unsigned long long, unsigned long>();

  make<bool, unsigned char>('?', K_BOOL, "bool", bool_from_py, bool_to_py);
  make<signed char, signed char>('b', K_INT, "int8", int_from_py<signed char>,
                                 int_to_py<signed char>);
  make<short, short>('h', K_INT, "int16", int_from_py<short>, int_to_py<short>);
  make<int, int>('i', K_INT, "int32", int_from_py<int>, int_to_py<int>);
  make<long, long>('l', K_INT, sizeof(long) == 8 ? "int64" : "int32", int_from_py<long>,
                   int_to_py<long>);
  make<long long, long long>('q', K_INT, "longlong", int_from_py<long long>,
                             int_to_py<long long>);
  make<unsigned char, unsigned char>('B', K_UINT, "uint8", int_from_py<unsigned char>,
                                     int_to_py<unsigned char>);
  make<unsigned short, unsigned short>('H', K_UINT, "uint16", int_from_py<unsigned short>,
                                       int_to_py<unsigned short>);
  make<unsigned int, unsigned int>('I', K_UINT, "uint32", int_from_py<unsigned int>,
                                   int_to_py<unsigned int>);
  make<unsigned long, unsigned long>('L', K_UINT, sizeof(long) == 8 ? "uint64" : "uint32",
                                     int_from_py<unsigned long>, int_to_py<unsigned long>);
  make<unsigned long long, unsigned long long>('Q', K_UINT, "ulonglong",
                                               int_from_py<unsigned long long>,
                                               int_to_py<unsigned long long>);
  make<float, float>('f', K_FLOAT, "float32", float_from_py<float>, float_to_py<float>);
  make<double, double>('d', K_FLOAT, "float64", float_from_py<double>, float_to_py<double>);
  // long double and half floats convert through NumPy (no loss of precision).
  make<long double, long double>('g', K_FLOAT, "longdouble", nullptr, nullptr);
  make<uint16_t, uint16_t>('e', K_FLOAT, "float16", nullptr, nullptr);
  make<std::complex<float>, float _Complex>('F', K_COMPLEX, "complex64",
                                            complex_from_py<float>, complex_to_py<float>);
  make<std::complex<double>, double _Complex>('D', K_COMPLEX, "complex128",
                                              complex_from_py<double>,
                                              complex_to_py<double>);
  make<std::complex<long double>, long double _Complex>('G', K_COMPLEX, "clongdouble",
                                                        nullptr, nullptr);

  // bool: RMA and bitwise/min/max reductions as bytes; nothing else.
  Entry &b = g_entries[static_cast<unsigned char>('?')];
  b.amo_allowed = 0;
  b.sync_allowed = 0;
  b.reduce_allowed &= bit(RED_AND) | bit(RED_OR) | bit(RED_XOR) | bit(RED_MAX) | bit(RED_MIN);
  // float16 has no C type at all: bytes only.
  Entry &h = g_entries[static_cast<unsigned char>('e')];
  h.amo_allowed = h.sync_allowed = h.reduce_allowed = 0;
  h.broadcast = nullptr;
  h.collect = h.fcollect = h.alltoall = nullptr;
  h.alltoalls = nullptr;
  h.p = nullptr;
  h.g = nullptr;

  for (size_t lane : {1, 2, 4, 8, 16}) {
    Entry &e = g_bytes[lane];
    e.code = 0;
    e.kind = K_BYTES;
    e.size = lane;
    e.compat = 0;
    e.name = "bytes";
    set_rma_sized(e, lane);
  }
}

const Entry *entry_for_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u < 128 && g_entries[u].code ? &g_entries[u] : nullptr;
}

const Entry *entry_for_bytes(size_t itemsize) { return &g_bytes[lane_of(itemsize)]; }

} // namespace shmem4py
