// ext.hpp - what every part of the shmem4py extension module shares.
//
// The module `_shmem` is a thin layer over the public API of shmem.h.  The
// hot calls (RMA, AMOs, waits and tests, signals, fence/quiet, locks) are
// CPython vectorcall functions (METH_FASTCALL | METH_KEYWORDS): Python calls
// them directly, they check every argument here, in C++, and dispatch on the
// dtype through the table of table.cpp.  Arrays are read straight from
// NumPy's array struct (checked at import), so a call costs a few dozen
// nanoseconds on top of the C routine.  The rest (setup, the heap, teams,
// contexts) are ordinary nanobind functions; classes, enums and docstrings of
// the public API live in python/shmem4py/shmem.py.
//
// Nothing here may let the C library abort the job on a user error: PEs,
// sizes, strides, dtypes, symmetry, liveness and alignment are all checked
// before the C routine runs, and errors become Python exceptions.
//
// One file per concept: arguments.cpp (the checks and conversions below
// that are not inline), rma.cpp, amo.cpp, sync.cpp (waits, tests, signals),
// ordering.cpp (fence, quiet, locks), collectives.cpp, heap.cpp (symmetric
// blocks), teams.cpp (teams and contexts) and module.cpp (setup, and the
// module itself).  What a hot call needs is inline here, so that splitting
// the files costs the calls nothing.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <sched.h>
#include <time.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "../shmem4py_types.hpp"
#ifndef SHMEM4PY_EXTERNAL
#include <shmemx.h>
#endif

namespace nb = nanobind;

#define SHMEM4PY_PRAGMA(x) _Pragma(#x)
#define SHMEM4PY_WEAK(sym) SHMEM4PY_PRAGMA(weak sym)
#define AVAILABLE(sym) (reinterpret_cast<void *>(&sym) != nullptr)
// AVAILABLE(sym) where the build found the group (HAVE is its
// SHMEM4PY_HAVE_* macro, always 0 or 1), false otherwise: the preprocessor
// drops sym then, so it need not be declared.
#define SHMEM4PY_CAT_(a, b) a##b
#define SHMEM4PY_CAT(a, b) SHMEM4PY_CAT_(a, b)
#define SHMEM4PY_IF_0(yes, no) no
#define SHMEM4PY_IF_1(yes, no) yes
#define AVAILABLE_IF(HAVE, sym) SHMEM4PY_CAT(SHMEM4PY_IF_, HAVE)(AVAILABLE(sym), false)

#if SHMEM4PY_HAVE_TEAMS
SHMEM4PY_WEAK(shmem_team_my_pe)
SHMEM4PY_WEAK(shmem_team_n_pes)
SHMEM4PY_WEAK(shmem_team_get_config)
SHMEM4PY_WEAK(shmem_team_translate_pe)
SHMEM4PY_WEAK(shmem_team_split_strided)
SHMEM4PY_WEAK(shmem_team_destroy)
#endif
#if SHMEM4PY_HAVE_TEAM_SPLIT_2D
SHMEM4PY_WEAK(shmem_team_split_2d)
#endif
#if SHMEM4PY_HAVE_TEAM_SYNC
SHMEM4PY_WEAK(shmem_team_sync)
#endif
#if SHMEM4PY_HAVE_CTX
SHMEM4PY_WEAK(shmem_ctx_create)
SHMEM4PY_WEAK(shmem_ctx_destroy)
#endif
#if SHMEM4PY_HAVE_TEAM_CTX
SHMEM4PY_WEAK(shmem_team_create_ctx)
#endif
#if SHMEM4PY_HAVE_CTX_GET_TEAM
SHMEM4PY_WEAK(shmem_ctx_get_team)
#endif
#if SHMEM4PY_HAVE_SIGNAL
SHMEM4PY_WEAK(shmem_signal_fetch)
#endif
#if SHMEM4PY_HAVE_TEAM_COLL
SHMEM4PY_WEAK(shmem_broadcastmem)
SHMEM4PY_WEAK(shmem_collectmem)
SHMEM4PY_WEAK(shmem_fcollectmem)
SHMEM4PY_WEAK(shmem_alltoallmem)
#endif
#if SHMEM4PY_HAVE_MALLOC_HINTS
SHMEM4PY_WEAK(shmem_malloc_with_hints)
#endif
#if SHMEM4PY_HAVE_PCONTROL
SHMEM4PY_WEAK(shmem_pcontrol)
#endif
// OpenSHMEM 1.6 (the blocked strided RMA and the scans are in table.cpp).
#if SHMEM4PY_HAVE_SIGNAL_ADD
SHMEM4PY_WEAK(shmem_ctx_signal_add)
SHMEM4PY_WEAK(shmem_ctx_signal_set)
#endif
#if SHMEM4PY_HAVE_PE_QUIET
SHMEM4PY_WEAK(shmem_ctx_pe_quiet)
#endif
#if SHMEM4PY_HAVE_QUERY_INIT
SHMEM4PY_WEAK(shmem_query_initialized)
#endif
#if SHMEM4PY_HAVE_SESSION
SHMEM4PY_WEAK(shmem_ctx_session_start)
SHMEM4PY_WEAK(shmem_ctx_session_stop)
#endif
#if SHMEM4PY_HAVE_TEAM_PTR
SHMEM4PY_WEAK(shmem_team_ptr)
#endif
#if SHMEM4PY_HAVE_IBPUT
SHMEM4PY_WEAK(shmem_ctx_int_ibput)
#endif

namespace shmem4py {

// ---- NumPy's array and dtype structs ------------------------------------
// The leading fields of PyArrayObject and PyArray_Descr, identical in NumPy
// 1.x and 2.x (checked against NumPy itself at import).
struct NpArray {
  PyObject_HEAD
  char *data;
  int nd;
  Py_ssize_t *dims;
  Py_ssize_t *strides;
  PyObject *base;
  PyObject *descr;
  int flags;
};
struct NpDescr {
  PyObject_HEAD
  PyTypeObject *typeobj;
  char kind;
  char type;
  char byteorder;
  char former_flags;
  int type_num;
};
constexpr int kCContig = 0x0001, kFContig = 0x0002, kWriteable = 0x0400;
constexpr int kUserDefinedTypeNum = 256;

inline PyTypeObject *g_ndarray = nullptr;
inline PyTypeObject *g_npbool = nullptr; // numpy.bool_: its __index__ warns in NumPy 1.x
inline PyObject *g_asarray = nullptr;
inline PyObject *g_empty = nullptr;
inline PyObject *g_builtin_descr[128] = {};
inline PyObject *g_shmem_error = nullptr;
inline PyTypeObject *g_block_type = nullptr;
inline PyTypeObject *g_ctx_type = nullptr;

// ---- Library state --------------------------------------------------------
enum State { S_NEW, S_ACTIVE, S_FINALIZED };
inline int g_state = S_NEW;
// init() calls not yet matched by finalize() (OpenSHMEM 1.6 nests them: an
// inner finalize is a barrier).  Only the last finalize() ends shmem4py.
inline int g_init_depth = 0;

// Whether the OpenSHMEM library nests init and finalize itself (1.6 and up);
// with an older one an inner finalize() is a barrier of shmem4py's own.
bool library_nests();
inline int g_me = 0, g_npes = 0;
inline std::unordered_set<const void *> g_held_locks;

constexpr size_t kReleaseGilBytes = 64 * 1024;

// ---- Errors --------------------------------------------------------------------
PyObject *fail(PyObject *type, const char *fmt, ...);
[[noreturn]] void raise(PyObject *type, const char *fmt, ...);

inline bool active(const char *fn) {
  if (__builtin_expect(g_state == S_ACTIVE, 1)) return true;
  PyErr_Format(g_shmem_error,
               g_state == S_NEW
                   ? "%s(): shmem4py is not initialized (call shmem.init() first)"
                   : "%s(): shmem4py was finalized (shmem.finalize() was called)",
               fn);
  return false;
}

void require_active(const char *fn);
// The guard of a routine the library may lack (a weak symbol, null where
// missing): the state first, then NotImplementedError with msg.
void require_routine(const char *fn, bool available, const char *msg);
// A library thread level as the THREAD value of Python.
int thread_level(int c_level);
PyObject *not_available(const char *fn, const char *what);

// ---- Symmetric blocks ----------------------------------------------------------
// Every symmetric allocation is owned by one Block, which exports it through
// the buffer protocol.  The NumPy arrays over it reach the Block through
// their `base` chain, so "is this array symmetric, and still allocated?" is
// a few pointer loads.
struct BlockObject {
  PyObject_HEAD
  char *addr;
  Py_ssize_t size;
  int live;
  int life; // g_life when allocated
};

// Lives of the library (OpenSHMEM 1.6: init again after the last finalize
// starts a new one): a block of an earlier life is gone like a freed one.
inline int g_life = 0;
inline bool block_live(const BlockObject *b) { return b->live && b->life == g_life; }
PyObject *new_block(void *addr, Py_ssize_t size);

// The Block that owns the memory of `o` (an array, a view of one, a
// memoryview, or the block itself), or null.
inline BlockObject *owner_of(PyObject *o) {
  while (o) {
    PyTypeObject *t = Py_TYPE(o);
    if (t == g_ndarray) {
      o = reinterpret_cast<NpArray *>(o)->base;
    } else if (t == &PyMemoryView_Type) {
      o = PyMemoryView_GET_BUFFER(o)->obj;
    } else if (t == g_block_type) {
      return reinterpret_cast<BlockObject *>(o);
    } else if (PyType_IsSubtype(t, g_ndarray)) {
      o = reinterpret_cast<NpArray *>(o)->base;
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

// ---- Arguments --------------------------------------------------------------
// A signature: function name, parameter names, how many are required.  The
// keyword names are interned on first use and matched by identity (then by
// value, for names built at run time).
struct Sig {
  const char *fname;
  int nparams;
  int nrequired;
  const char *names[8];
  PyObject *keys[8];
};
bool intern_keys(Sig &s);

inline bool parse(Sig &s, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                  PyObject **out) {
  if (__builtin_expect(nargs > s.nparams, 0)) {
    PyErr_Format(PyExc_TypeError, "%s() takes at most %d arguments (%zd given)", s.fname,
                 s.nparams, nargs);
    return false;
  }
  int i = 0;
  for (; i < nargs; ++i) out[i] = args[i];
  for (; i < s.nparams; ++i) out[i] = nullptr;
  if (kwnames) {
    if (!s.keys[0] && !intern_keys(s)) return false;
    const Py_ssize_t nk = PyTuple_GET_SIZE(kwnames);
    for (Py_ssize_t k = 0; k < nk; ++k) {
      PyObject *key = PyTuple_GET_ITEM(kwnames, k);
      int j = 0;
      while (j < s.nparams && s.keys[j] != key) ++j;
      if (j == s.nparams)
        for (j = 0; j < s.nparams; ++j)
          if (PyUnicode_Compare(s.keys[j], key) == 0) break;
      if (j == s.nparams) {
        PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'",
                     s.fname, key);
        return false;
      }
      if (out[j]) {
        PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'",
                     s.fname, s.names[j]);
        return false;
      }
      out[j] = args[nargs + k];
    }
  }
  for (int j = static_cast<int>(nargs); j < s.nrequired; ++j)
    if (!out[j]) {
      PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %d)", s.fname,
                   s.names[j], j + 1);
      return false;
    }
  return true;
}

inline bool given(PyObject *o) { return o && o != Py_None; }

inline bool is_ndarray(PyObject *o) {
  PyTypeObject *t = Py_TYPE(o);
  return t == g_ndarray || PyType_IsSubtype(t, g_ndarray);
}

inline Py_ssize_t nd_size(PyObject *arr) {
  auto *p = reinterpret_cast<NpArray *>(arr);
  Py_ssize_t n = 1;
  for (int i = 0; i < p->nd; ++i) n *= p->dims[i];
  return n;
}
inline char nd_kind(PyObject *arr) {
  return reinterpret_cast<NpDescr *>(reinterpret_cast<NpArray *>(arr)->descr)->kind;
}

// The slow path of the single-value arguments: `o` through numpy.asarray,
// which must give exactly one element (a NumPy scalar such as np.True_, a
// 0-d or one-element array, a one-element sequence).  New reference, or
// null with a TypeError that names the argument (`what`: what it must be).
PyObject *one_element(PyObject *o, const char *fn, const char *arg, const char *what);
// An integer argument: a Python int, a NumPy integer, anything with
// __index__, and (through NumPy) np.True_ and 0-d or one-element integer
// arrays.  Floats are refused, not truncated.  New reference, or null.
PyObject *integer_object(PyObject *o, const char *fn, const char *arg);
bool as_integer(PyObject *o, const char *fn, const char *arg, long long &v);

inline bool get_pe(PyObject *o, const char *fn, int npes, int &pe) {
  long long v;
  if (PyLong_CheckExact(o)) {
    v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      v = -1;
    }
  } else if (!as_integer(o, fn, "pe", v)) {
    return false;
  }
  if (__builtin_expect(v < 0 || v >= npes, 0)) {
    // str(o), not v: a value past long long reads as -1 here.
    PyErr_Format(PyExc_ValueError, "%s(): PE %S is out of range (0 <= pe < %d)", fn, o,
                 npes);
    return false;
  }
  pe = static_cast<int>(v);
  return true;
}

// A stride: at least 1.
bool get_stride(PyObject *o, const char *fn, const char *arg, ptrdiff_t &st);

// ---- Contexts -----------------------------------------------------------------
// The C++ half of shmem.Ctx (a nanobind class the Python class derives from).
struct CtxData {
  shmem_ctx_t ctx = nullptr;
  int npes = 0; // size of the context's team: PEs are team-relative
};

struct CtxRef {
  shmem_ctx_t ctx;
  int npes;
};

inline bool get_ctx(PyObject *o, const char *fn, CtxRef &c) {
  if (!given(o)) {
    c.ctx = SHMEM_CTX_DEFAULT;
    c.npes = g_npes;
    return true;
  }
  if (!PyObject_TypeCheck(o, g_ctx_type)) {
    PyErr_Format(PyExc_TypeError, "%s(): argument 'ctx' must be a shmem.Ctx or None, not %.100s",
                 fn, Py_TYPE(o)->tp_name);
    return false;
  }
  CtxData *d = nb::inst_ptr<CtxData>(nb::handle(o));
  if (!d->ctx) {
    PyErr_Format(PyExc_ValueError,
                 "%s(): argument 'ctx' is not a valid context (CTX_INVALID, or destroyed)", fn);
    return false;
  }
  c.ctx = d->ctx;
  c.npes = d->npes;
  return true;
}

// ---- Arrays --------------------------------------------------------------------
struct Arr {
  PyObject *obj = nullptr; // the ndarray inspected (borrowed, or tmp)
  PyObject *tmp = nullptr; // owned: the ndarray made from a non-ndarray buffer
  char *data = nullptr;
  Py_ssize_t n = 0;     // elements
  size_t itemsize = 0;  // bytes per element
  PyObject *descr = nullptr;
  const Entry *e = nullptr;
  Arr() = default;
  Arr(const Arr &) = delete;
  Arr &operator=(const Arr &) = delete;
  ~Arr() { Py_XDECREF(tmp); }
};

bool dtype_slow(Arr &a, const char *fn, const char *arg);

// Inspect an array argument.  `writeable`: the call writes into it.
inline bool get_arr(PyObject *o, const char *fn, const char *arg, Arr &a, bool writeable) {
  if (__builtin_expect(Py_TYPE(o) != g_ndarray && !PyObject_TypeCheck(o, g_ndarray), 0)) {
    if (!PyObject_CheckBuffer(o)) {
      PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be a NumPy array, not %.100s",
                   fn, arg, Py_TYPE(o)->tp_name);
      return false;
    }
    a.tmp = PyObject_CallFunctionObjArgs(g_asarray, o, nullptr);
    if (!a.tmp) return false;
    o = a.tmp;
  }
  auto *p = reinterpret_cast<NpArray *>(o);
  a.obj = o;
  a.data = p->data;
  a.descr = p->descr;
  Py_ssize_t n = 1;
  for (int i = 0; i < p->nd; ++i) n *= p->dims[i];
  a.n = n;
  const int flags = p->flags;
  if (__builtin_expect(!(flags & (kCContig | kFContig)), 0)) {
    PyErr_Format(PyExc_ValueError, "%s(): argument '%s' must be a contiguous array", fn, arg);
    return false;
  }
  if (__builtin_expect(writeable && !(flags & kWriteable), 0)) {
    PyErr_Format(PyExc_ValueError, "%s(): argument '%s' is read-only", fn, arg);
    return false;
  }
  const unsigned char c = static_cast<unsigned char>(reinterpret_cast<NpDescr *>(a.descr)->type);
  if (__builtin_expect(c < 128 && g_builtin_descr[c] == a.descr, 1)) {
    a.e = entry_for_char(static_cast<char>(c));
    a.itemsize = a.e->size;
    return true;
  }
  return dtype_slow(a, fn, arg);
}

// target and source must hold the same type.
inline bool same_dtype(const Arr &a, const Arr &b, const char *fn, const char *an,
                       const char *bn) {
  if (a.descr == b.descr) return true;
  if (a.e->compat && a.e->compat == b.e->compat) return true;
  if (!a.e->compat && !b.e->compat) {
    int eq = PyObject_RichCompareBool(a.descr, b.descr, Py_EQ);
    if (eq < 0) return false;
    if (eq) return true;
  }
  PyErr_Format(PyExc_TypeError, "%s(): arguments '%s' (dtype %S) and '%s' (dtype %S) must have "
               "the same dtype",
               fn, an, a.descr, bn, b.descr);
  return false;
}

// The remote side of a call: `bytes` from a.data must lie in one live
// symmetric block.
bool symmetric_error(const Arr &a, size_t bytes, const char *fn, const char *arg);
// Memory that shmem4py.api's lib.shmem_malloc gave (wrapped with
// ffi.buffer / np.frombuffer) has no block object: the runtime itself says
// whether both ends lie in a symmetric region.  (RMA, ptr and
// addr_accessible all ask it here.)
bool in_symmetric_heap(const char *p, size_t bytes);

inline bool check_symmetric(const Arr &a, size_t bytes, const char *fn, const char *arg) {
  BlockObject *b = owner_of(a.obj);
  if (__builtin_expect(b && block_live(b) && a.data >= b->addr &&
                           a.data + bytes <= b->addr + b->size,
                       1))
    return true;
  if (!b && in_symmetric_heap(a.data, bytes)) return true;
  return symmetric_error(a, bytes, fn, arg);
}

// The local side: any memory, but not a freed symmetric block.
inline bool check_local(const Arr &a, const char *fn, const char *arg) {
  BlockObject *b = owner_of(a.obj);
  if (__builtin_expect(!b || block_live(b), 1)) return true;
  PyErr_Format(PyExc_ValueError,
               "%s(): argument '%s' was freed (shmem.free, or the last shmem.finalize) and "
               "cannot be used",
               fn, arg);
  return false;
}

// A count argument (`size`): default `dflt`; at most `limit`.
inline bool get_count(PyObject *o, const char *fn, Py_ssize_t dflt, size_t &n) {
  if (!given(o)) {
    n = static_cast<size_t>(dflt);
    return true;
  }
  long long v;
  if (PyLong_CheckExact(o)) {
    int overflow;
    v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow) v = -1;
  } else if (!as_integer(o, fn, "size", v)) {
    return false;
  }
  if (v < 0) {
    PyErr_Format(PyExc_ValueError, "%s(): argument 'size' must not be negative (%lld)", fn, v);
    return false;
  }
  n = static_cast<size_t>(v);
  return true;
}

inline bool fits(size_t n, const Arr &a, const char *fn, const char *arg) {
  if (__builtin_expect(n <= static_cast<size_t>(a.n), 1)) return true;
  PyErr_Format(PyExc_ValueError, "%s(): size %zu is larger than argument '%s' (%zd elements)",
               fn, n, arg, a.n);
  return false;
}

// One element needs an element: a 1-element (or larger) array.
inline bool nonempty(const Arr &a, const char *fn, const char *arg) {
  if (__builtin_expect(a.n >= 1 && a.itemsize > 0, 1)) return true;
  PyErr_Format(PyExc_ValueError, "%s(): argument '%s' is empty (it needs one element)", fn, arg);
  return false;
}

// ---- Values --------------------------------------------------------------------
// One element's value in the array's C type.  Types without a C converter
// (long double, float16, other dtypes) convert through NumPy.
struct Value {
  Scalar s;
  PyObject *tmp = nullptr; // 0-d array holding the value (NumPy conversions)
  const void *ptr = s.raw;
  Value() = default;
  Value(const Value &) = delete;
  Value &operator=(const Value &) = delete;
  ~Value() { Py_XDECREF(tmp); }
};

// The slow path of to_value: NumPy converts what the C converters do not
// take (NumPy scalars of other types, np.True_, 0-d and one-element arrays,
// long double and float16 targets...), as astype converts.  Floats do not
// truncate into integer or bool dtypes, nor complex numbers lose their
// imaginary part: those raise TypeError, as shmem4py 1.0 (CFFI) does.
bool value_slow(PyObject *o, const Arr &a, const char *fn, const char *arg, Value &v);

// NumPy scalars of the builtin numeric types hold their value right after
// the object header (checked at import, per dtype char; long double and
// its complex are left out, their padding bytes being unspecified).
constexpr size_t kScalarValueOffset = sizeof(PyObject);
inline bool g_scalar_direct[128] = {};

// A NumPy scalar, or a one-element array, of the array's own (native,
// builtin) dtype: its bytes, with no conversion at all.
inline bool own_dtype_value(PyObject *o, PyTypeObject *t, const Arr &a, Value &v) {
  auto *d = reinterpret_cast<NpDescr *>(a.descr);
  const unsigned char c = static_cast<unsigned char>(d->type);
  if (c >= 128 || g_builtin_descr[c] != a.descr || a.itemsize > sizeof(v.s.raw)) return false;
  if (t == d->typeobj && g_scalar_direct[c]) {
    std::memcpy(v.s.raw, reinterpret_cast<const char *>(o) + kScalarValueOffset, a.itemsize);
    return true;
  }
  if (t == g_ndarray && reinterpret_cast<NpArray *>(o)->descr == a.descr && nd_size(o) == 1) {
    std::memcpy(v.s.raw, reinterpret_cast<NpArray *>(o)->data, a.itemsize);
    return true;
  }
  return false;
}

// One value in the array's C type.  The fast paths: an exact Python int or
// float through the dtype's C converter; a NumPy scalar or one-element
// array of the array's own dtype, copied.  Then other Python numbers and
// NumPy integers through the C converter, and the rest through NumPy.
inline bool to_value(PyObject *o, const Arr &a, const char *fn, const char *arg, Value &v) {
  PyTypeObject *t = Py_TYPE(o);
  const bool exact = t == &PyLong_Type || t == &PyFloat_Type;
  if (!exact && own_dtype_value(o, t, a, v)) return true;
  if (a.e->from_py &&
      (__builtin_expect(exact, 1) ||
       (t != g_ndarray && t != g_npbool && !PyType_IsSubtype(t, g_ndarray)))) {
    const int rc = a.e->from_py(o, v.s);
    if (__builtin_expect(rc == 0, 1)) return true;
    // A Python int out of range is an error; a NumPy integer converts as
    // NumPy converts it (below).
    if (rc == 2 && (PyLong_Check(o) || PyFloat_Check(o))) {
      PyErr_Format(PyExc_OverflowError, "%s(): argument '%s' (%R) is out of range for dtype %S",
                   fn, arg, o, a.descr);
      return false;
    }
  }
  return value_slow(o, a, fn, arg, v);
}

PyObject *from_value(const void *p, const Arr &a);
// A string argument (an enum's value, or a plain str) equal to `name`,
// ignoring ASCII case, as shmem4py 1.0 compares them.
bool name_is(PyObject *o, const char *name);
// The comparison of a wait or test: a CMP member, an int, or a string.
bool get_cmp(PyObject *o, const char *fn, int &cmp);

// cmp: the CMP value of Python (EQ..GE = 0..5).
template <class T> bool compare(T a, int cmp, T b) {
  switch (cmp) {
  case 0: return a == b;
  case 1: return a != b;
  case 2: return a > b;
  case 3: return a <= b;
  case 4: return a < b;
  default: return a >= b;
  }
}

// ---- Shared by the routine families --------------------------------------------
// Large transfers let other Python threads run meanwhile; a short one would
// spend more on the GIL than on the copy.
template <class F> inline void maybe_without_gil(size_t bytes, F &&f) {
  if (bytes >= kReleaseGilBytes) {
    Py_BEGIN_ALLOW_THREADS f();
    Py_END_ALLOW_THREADS
  } else {
    f();
  }
}

// The start of every call with a target and a source: the arguments, the
// state, and the two arrays, of one dtype.  Inline, as the callers are hot.
inline bool rma_args(Sig &s, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                     PyObject **a, Arr &t, Arr &src) {
  const char *fn = s.fname;
  return parse(s, args, nargs, kwnames, a) && active(fn) &&
         get_arr(a[0], fn, "target", t, true) && get_arr(a[1], fn, "source", src, false) &&
         same_dtype(t, src, fn, "target", "source");
}

// TypeError for a dtype that operation `op` does not take (AMOs, waits,
// reductions: `mask` is the Entry's bit set of the family), listing those it
// takes.  Returns null.
PyObject *amo_type_error(const char *fn, const char *arg, const Arr &a, uint32_t Entry::*mask,
                         int op);

// An entry of a method table: a vectorcall function f_NAME and its
// docstring (a signature line for inspect, then the text).
#define FAST(NAME, DOC)                                                        \
  {#NAME, reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(f_##NAME)), \
   METH_FASTCALL | METH_KEYWORDS, DOC}

// The vectorcall functions of each family (null-terminated tables), which
// the module adds.
extern PyMethodDef rma_methods[], amo_methods[], sync_methods[], ordering_methods[],
    collective_methods[];

// The nanobind functions of each part, which the module defines.
void def_heap(nb::module_ &m);
void def_teams(nb::module_ &m);
PyTypeObject *make_block_type();

} // namespace shmem4py
