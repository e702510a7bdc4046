// shmem4py_types.hpp - the extension's dtype dispatch table.
//
// One Entry per NumPy dtype char (`? b h i l q B H I L Q e f d g F D G`)
// plus raw-byte entries for every other dtype.  Each Entry holds the
// function pointers of libshmem's typed routines for that C type, taken from
// the X-macro lists of shmem_type_table.h, so the per-call dispatch is one
// table load.  Routines are referenced weakly where a library may lack them
// (OpenSHMEM 1.4, or a libshmem still being written): a null pointer there
// means "not available" and the extension raises NotImplementedError.
#pragma once
#include <Python.h>

#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <shmem.h>

#include "../../include/shmem_type_table.h"

// ---- OpenSHMEM 1.4 libraries (external builds) ----------------------------
// The names of 1.5 that such a library lacks, so that the code compiles; the
// routines that use them raise NotImplementedError there.
#if !SHMEM4PY_HAVE_TEAMS
typedef struct shmem4py_no_team *shmem_team_t;
typedef struct {
  int num_contexts;
} shmem_team_config_t;
#endif
#ifndef SHMEM_TEAM_INVALID
#define SHMEM_TEAM_INVALID ((shmem_team_t)0)
#endif
#ifndef SHMEM_CTX_INVALID
#define SHMEM_CTX_INVALID ((shmem_ctx_t)0)
#endif

namespace shmem4py {

// The Python enums have fixed values (CMP: EQ..GE = 0..5, THREAD: SINGLE..
// MULTIPLE = 0..3, CTX/MALLOC flags as in our shmem.h); these tables map
// them to the library's constants, which the spec leaves to each library.
inline const int kCmpC[6] = {SHMEM_CMP_EQ, SHMEM_CMP_NE, SHMEM_CMP_GT,
                             SHMEM_CMP_LE, SHMEM_CMP_LT, SHMEM_CMP_GE};
inline const int kThreadC[4] = {SHMEM_THREAD_SINGLE, SHMEM_THREAD_FUNNELED,
                                SHMEM_THREAD_SERIALIZED, SHMEM_THREAD_MULTIPLE};

// Value of one element of any supported type (room for complex long double).
struct alignas(16) Scalar {
  unsigned char raw[32];
  template <class T> T get() const {
    T v;
    std::memcpy(&v, raw, sizeof(T));
    return v;
  }
  template <class T> void set(T v) { std::memcpy(raw, &v, sizeof(T)); }
};

enum Kind : uint8_t { K_NONE, K_BOOL, K_INT, K_UINT, K_FLOAT, K_COMPLEX, K_BYTES };

using PutFn = void (*)(shmem_ctx_t, void *, const void *, size_t, int);
using StridedFn = void (*)(shmem_ctx_t, void *, const void *, ptrdiff_t, ptrdiff_t, size_t,
                           int);
using PutSignalFn = void (*)(shmem_ctx_t, void *, const void *, size_t, uint64_t *, uint64_t,
                             int, int);
using CollFn = int (*)(shmem_team_t, void *, const void *, size_t);
using BcastFn = int (*)(shmem_team_t, void *, const void *, size_t, int);
using AlltoallsFn = int (*)(shmem_team_t, void *, const void *, ptrdiff_t, ptrdiff_t, size_t);
// Blocked strided RMA (1.6): dst, sst, bsize, nblocks.
using BlockedFn = void (*)(shmem_ctx_t, void *, const void *, ptrdiff_t, ptrdiff_t, size_t,
                           size_t, int);

// Atomic operations, in the order of the Python functions.
enum AmoOp : int {
  AMO_FETCH, AMO_SET, AMO_SWAP, AMO_CSWAP, AMO_FINC, AMO_INC, AMO_FADD, AMO_ADD,
  AMO_FAND, AMO_AND, AMO_FOR, AMO_OR, AMO_FXOR, AMO_XOR,
  AMO_FETCH_NBI, AMO_SWAP_NBI, AMO_CSWAP_NBI, AMO_FINC_NBI, AMO_FADD_NBI,
  AMO_FAND_NBI, AMO_FOR_NBI, AMO_FXOR_NBI,
  AMO_COUNT
};

// Point-to-point synchronization: the waits are loops over the tests.
enum SyncOp : int {
  SYNC_TEST, SYNC_TEST_ALL, SYNC_TEST_ANY, SYNC_TEST_SOME,
  SYNC_TEST_ALL_V, SYNC_TEST_ANY_V, SYNC_TEST_SOME_V,
  SYNC_COUNT
};

// Reductions, in the order of the OP codes the Python layer passes.
enum ReduceOp : int { RED_AND, RED_OR, RED_XOR, RED_MAX, RED_MIN, RED_SUM, RED_PROD, RED_COUNT };

struct Entry;
using AmoCall = void (*)(const Entry &, int op, shmem_ctx_t, void *dest, const Scalar &value,
                         const Scalar &cond, Scalar &out, void *fetch, int pe);
using SyncCall = size_t (*)(const Entry &, int op, void *ivars, size_t n, const int *status,
                            int cmp, const Scalar &value, const void *values,
                            size_t *indices);

struct Entry {
  char code = 0;          // NumPy dtype char; 0 for the raw-byte entries
  Kind kind = K_NONE;
  uint16_t compat = 0;    // (kind, size): dtypes with equal compat move alike
  size_t size = 0;        // element size (raw-byte entries: the lane size)
  size_t unit = 1;        // bytes per element count of put/get below
  const char *name = "";  // NumPy name, for messages
  // RMA (ctx forms).  Typed where the C API has the type, else sized/mem.
  PutFn put = nullptr, get = nullptr, put_nbi = nullptr, get_nbi = nullptr;
  StridedFn iput = nullptr, iget = nullptr; // element-wise, `size`-byte lanes
  PutSignalFn put_signal = nullptr, put_signal_nbi = nullptr;
  BlockedFn ibput = nullptr, ibget = nullptr; // blocks of `unit`-byte lanes (1.6)
  // Python <-> C value conversion (null: no single-value operations).
  // from_py: 0 ok, 1 wrong kind of value, 2 out of range (no error set).
  int (*from_py)(PyObject *, Scalar &) = nullptr;
  PyObject *(*to_py)(const Scalar &) = nullptr;
  // p/g: typed adapters, or null (then put/get of one element).
  void (*p)(shmem_ctx_t, void *, const Scalar &, int) = nullptr;
  void (*g)(shmem_ctx_t, Scalar &, const void *, int) = nullptr;
  // AMOs: allowed by the spec for this type (bit per AmoOp), and the C
  // routines (null when the library lacks one).
  uint32_t amo_allowed = 0;
  AmoCall amo = nullptr;
  void *const *amo_fns = nullptr;
  uint32_t sync_allowed = 0;
  SyncCall sync = nullptr;
  void *const *sync_fns = nullptr;
  uint32_t reduce_allowed = 0;
  CollFn reduce[RED_COUNT] = {};
  // Prefix sums (1.6): [0] inclusive, [1] exclusive; null where the library
  // lacks them.  Allowed where the SUM reduction is.
  CollFn scan[2] = {};
  // Collectives: typed, or null for the byte forms.
  BcastFn broadcast = nullptr;
  CollFn collect = nullptr, fcollect = nullptr, alltoall = nullptr;
  AlltoallsFn alltoalls = nullptr;
};

// table.cpp
void build_tables();
const Entry *entry_for_char(char c);          // a NumPy dtype char, or null
const Entry *entry_for_bytes(size_t itemsize); // raw bytes, lane-sized
AlltoallsFn lane_alltoalls(size_t lane);       // typed alltoalls of 1..8 bytes

} // namespace shmem4py
