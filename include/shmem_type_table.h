/* shmem_type_table.h - the one type table of libshmem.
 *
 * Every typed family of the OpenSHMEM API (RMA, AMOs, waits, reductions,
 * collectives) is stamped out from these X-macro lists of (NAME, C type).
 * The same lists generate the declarations in shmem.h, the C11 _Generic
 * selections, the C++ overloads, the library's entry points and the test
 * matrix, so that adding a type is one line here.
 *
 * Lists ending in _STD hold distinct standard C types; lists ending in
 * _FIXED hold the typedef'd names (int32_t, size_t, ...).  A fixed-width
 * type aliases a standard type, but not always one of the same table: the
 * bitwise tables list int32_t and int64_t without int and long.  Lists
 * ending in _GENERIC hold, once each, every type a generic name (C11
 * _Generic, C++ overloads) must accept: the _STD list plus such fixed-width
 * types. */
#ifndef SHMEM_TYPE_TABLE_H
#define SHMEM_TYPE_TABLE_H

/* Table 5 of OpenSHMEM 1.5: standard RMA types. */
#define SHMEM_RMA_TYPES_STD(X)                                          \
  X(float, float) X(double, double) X(longdouble, long double)          \
  X(char, char) X(schar, signed char) X(short, short) X(int, int)       \
  X(long, long) X(longlong, long long) X(uchar, unsigned char)          \
  X(ushort, unsigned short) X(uint, unsigned int) X(ulong, unsigned long) \
  X(ulonglong, unsigned long long)
#define SHMEM_RMA_TYPES_FIXED(X)                                        \
  X(int8, int8_t) X(int16, int16_t) X(int32, int32_t) X(int64, int64_t) \
  X(uint8, uint8_t) X(uint16, uint16_t) X(uint32, uint32_t)             \
  X(uint64, uint64_t) X(size, size_t) X(ptrdiff, ptrdiff_t)
#define SHMEM_RMA_TYPES(X) SHMEM_RMA_TYPES_STD(X) SHMEM_RMA_TYPES_FIXED(X)

/* Sized RMA: (bits, element type used to move them). */
#define SHMEM_SIZED_RMA(X) \
  X(8, uint8_t) X(16, uint16_t) X(32, uint32_t) X(64, uint64_t) X(128, shmemi_u128)

/* Table 6: standard AMO types (inc, add, fetch_inc, fetch_add, compare_swap). */
#define SHMEM_AMO_STANDARD_TYPES_STD(X)                                 \
  X(int, int) X(long, long) X(longlong, long long) X(uint, unsigned int) \
  X(ulong, unsigned long) X(ulonglong, unsigned long long)
#define SHMEM_AMO_STANDARD_TYPES_FIXED(X)                               \
  X(int32, int32_t) X(int64, int64_t) X(uint32, uint32_t) X(uint64, uint64_t) \
  X(size, size_t) X(ptrdiff, ptrdiff_t)
#define SHMEM_AMO_STANDARD_TYPES(X) \
  SHMEM_AMO_STANDARD_TYPES_STD(X) SHMEM_AMO_STANDARD_TYPES_FIXED(X)

/* Table 7: extended AMO types (fetch, set, swap). */
#define SHMEM_AMO_EXTENDED_TYPES_STD(X) \
  X(float, float) X(double, double) SHMEM_AMO_STANDARD_TYPES_STD(X)
#define SHMEM_AMO_EXTENDED_TYPES(X) \
  SHMEM_AMO_EXTENDED_TYPES_STD(X) SHMEM_AMO_STANDARD_TYPES_FIXED(X)

/* Table 8: bitwise AMO types (and, or, xor). */
#define SHMEM_AMO_BITWISE_TYPES_STD(X) \
  X(uint, unsigned int) X(ulong, unsigned long) X(ulonglong, unsigned long long)
#define SHMEM_AMO_BITWISE_TYPES_FIXED(X) \
  X(int32, int32_t) X(int64, int64_t) X(uint32, uint32_t) X(uint64, uint64_t)
#define SHMEM_AMO_BITWISE_TYPES(X) \
  SHMEM_AMO_BITWISE_TYPES_STD(X) SHMEM_AMO_BITWISE_TYPES_FIXED(X)
/* uint32_t and uint64_t alias entries of the _STD list; the signed ones do not. */
#define SHMEM_AMO_BITWISE_TYPES_GENERIC(X) \
  SHMEM_AMO_BITWISE_TYPES_STD(X) X(int32, int32_t) X(int64, int64_t)

/* Table 12: point-to-point synchronization types (wait_until, test). */
#define SHMEM_SYNC_TYPES_STD(X) SHMEM_AMO_STANDARD_TYPES_STD(X)
#define SHMEM_SYNC_TYPES(X) SHMEM_AMO_STANDARD_TYPES(X)
/* short and unsigned short: deprecated in 1.5 for wait_until and test
 * (shmem_short_wait_until ...); the multi-element forms (_all/_any/_some,
 * _vector) are provided for them too, as other implementations do. */
#define SHMEM_SYNC_TYPES_DEPRECATED(X) X(short, short) X(ushort, unsigned short)

/* Table 10: reduction types.  Bitwise: and, or, xor. */
#define SHMEM_REDUCE_BITWISE_TYPES_STD(X)                               \
  X(uchar, unsigned char) X(ushort, unsigned short) X(uint, unsigned int) \
  X(ulong, unsigned long) X(ulonglong, unsigned long long)
#define SHMEM_REDUCE_BITWISE_TYPES_FIXED(X)                             \
  X(int8, int8_t) X(int16, int16_t) X(int32, int32_t) X(int64, int64_t) \
  X(uint8, uint8_t) X(uint16, uint16_t) X(uint32, uint32_t)             \
  X(uint64, uint64_t) X(size, size_t)
#define SHMEM_REDUCE_BITWISE_TYPES(X) \
  SHMEM_REDUCE_BITWISE_TYPES_STD(X) SHMEM_REDUCE_BITWISE_TYPES_FIXED(X)
/* Beyond Table 10: and/or/xor also on the signed standard integers, which
 * the deprecated *_to_all routines had (shmem_int_and_reduce ...; other
 * implementations keep them too). */
#define SHMEM_REDUCE_BITWISE_TYPES_EXTRA(X) \
  X(short, short) X(int, int) X(long, long) X(longlong, long long)
/* The generic names: the unsigned fixed-width types and size_t alias
 * entries of the _STD list, int16_t .. int64_t alias the extra ones. */
#define SHMEM_REDUCE_BITWISE_TYPES_GENERIC(X) \
  SHMEM_REDUCE_BITWISE_TYPES_STD(X) X(int8, int8_t) SHMEM_REDUCE_BITWISE_TYPES_EXTRA(X)
/* Min/max: integers and reals. */
#define SHMEM_REDUCE_MINMAX_TYPES_STD(X)                                \
  X(char, char) X(schar, signed char) X(short, short) X(int, int)       \
  X(long, long) X(longlong, long long) SHMEM_REDUCE_BITWISE_TYPES_STD(X) \
  X(float, float) X(double, double) X(longdouble, long double)
#define SHMEM_REDUCE_MINMAX_TYPES_FIXED(X) \
  X(ptrdiff, ptrdiff_t) SHMEM_REDUCE_BITWISE_TYPES_FIXED(X)
#define SHMEM_REDUCE_MINMAX_TYPES(X) \
  SHMEM_REDUCE_MINMAX_TYPES_STD(X) SHMEM_REDUCE_MINMAX_TYPES_FIXED(X)
/* Sum/prod: all of the above and complex. */
#define SHMEM_REDUCE_COMPLEX_TYPES(X) \
  X(complexd, double _Complex) X(complexf, float _Complex)
#define SHMEM_REDUCE_ARITH_TYPES_STD(X) \
  SHMEM_REDUCE_MINMAX_TYPES_STD(X) SHMEM_REDUCE_COMPLEX_TYPES(X)
#define SHMEM_REDUCE_ARITH_TYPES(X) \
  SHMEM_REDUCE_MINMAX_TYPES(X) SHMEM_REDUCE_COMPLEX_TYPES(X)

/* Deprecated *_to_all reductions (Table 11 of 1.4). */
#define SHMEM_TO_ALL_BITWISE_TYPES(X) \
  X(short, short) X(int, int) X(long, long) X(longlong, long long)
#define SHMEM_TO_ALL_MINMAX_TYPES(X) \
  SHMEM_TO_ALL_BITWISE_TYPES(X) X(float, float) X(double, double) \
  X(longdouble, long double)
#define SHMEM_TO_ALL_ARITH_TYPES(X) \
  SHMEM_TO_ALL_MINMAX_TYPES(X) SHMEM_REDUCE_COMPLEX_TYPES(X)

/* Deprecated AMO names (shmem_int_finc ...). */
#define SHMEM_DEPRECATED_AMO_TYPES(X) X(int, int) X(long, long) X(longlong, long long)
#define SHMEM_DEPRECATED_AMO_EXT_TYPES(X) \
  SHMEM_DEPRECATED_AMO_TYPES(X) X(float, float) X(double, double)
/* Deprecated shmem_<T>_wait. */
#define SHMEM_DEPRECATED_WAIT_TYPES(X) \
  X(short, short) X(int, int) X(long, long) X(longlong, long long)

/* Reductions and their operator tables. */
/* M(NAME, T, OP) for each operator of a class. */
#define SHMEM_REDUCE_BITWISE_OPS(M, NAME, T) M(NAME, T, and) M(NAME, T, or) M(NAME, T, xor)
#define SHMEM_REDUCE_MINMAX_OPS(M, NAME, T) M(NAME, T, max) M(NAME, T, min)
#define SHMEM_REDUCE_ARITH_OPS(M, NAME, T) M(NAME, T, sum) M(NAME, T, prod)

#endif /* SHMEM_TYPE_TABLE_H */
