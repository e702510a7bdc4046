// _shmem.cpp - the shmem4py extension module.
//
// A thin layer over the public API of shmem.h.  The hot calls (RMA, AMOs,
// waits and tests, signals, fence/quiet, locks) are CPython vectorcall
// functions (METH_FASTCALL | METH_KEYWORDS): Python calls them directly,
// they check every argument here, in C++, and dispatch on the dtype through
// the table of table.cpp.  Arrays are read straight from NumPy's array
// struct (checked at import), so a call costs a few dozen nanoseconds on
// top of the C routine.  The rest (setup, the heap, teams, contexts) are
// ordinary nanobind functions; classes, enums and docstrings of the public
// API live in python/shmem4py/shmem.py.
//
// Nothing here may let the C library abort the job on a user error: PEs,
// sizes, strides, dtypes, symmetry, liveness and alignment are all checked
// before the C routine runs, and errors become Python exceptions.
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

#include "shmem4py_types.hpp"
#ifndef SHMEM4PY_EXTERNAL
#include <shmemx.h>
#endif

namespace nb = nanobind;
using namespace shmem4py;

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
#if SHMEM4PY_HAVE_SCAN
SHMEM4PY_WEAK(shmem_int_sum_inscan)
#endif

namespace {

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

PyTypeObject *g_ndarray = nullptr;
PyTypeObject *g_npbool = nullptr; // numpy.bool_: its __index__ warns in NumPy 1.x
PyObject *g_asarray = nullptr;
PyObject *g_empty = nullptr;
PyObject *g_builtin_descr[128] = {};
PyObject *g_shmem_error = nullptr;
PyTypeObject *g_block_type = nullptr;
PyTypeObject *g_ctx_type = nullptr;

// ---- Library state --------------------------------------------------------
enum State { S_NEW, S_ACTIVE, S_FINALIZED };
int g_state = S_NEW;
// init() calls not yet matched by finalize() (OpenSHMEM 1.6 nests them: an
// inner finalize is a barrier).  Only the last finalize() ends shmem4py.
int g_init_depth = 0;

// Whether the OpenSHMEM library nests init and finalize itself (1.6 and up);
// with an older one an inner finalize() is a barrier of shmem4py's own.
bool library_nests() {
  int major = 0, minor = 0;
  shmem_info_get_version(&major, &minor);
  return major > 1 || (major == 1 && minor >= 6);
}
int g_me = 0, g_npes = 0;
std::unordered_set<const void *> g_held_locks;

constexpr size_t kReleaseGilBytes = 64 * 1024;

// ---- Errors -----------------------------------------------------------------
PyObject *fail(PyObject *type, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  PyErr_FormatV(type, fmt, ap);
  va_end(ap);
  return nullptr;
}

[[noreturn]] void raise(PyObject *type, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  PyErr_FormatV(type, fmt, ap);
  va_end(ap);
  throw nb::python_error();
}

inline bool active(const char *fn) {
  if (__builtin_expect(g_state == S_ACTIVE, 1)) return true;
  PyErr_Format(g_shmem_error,
               g_state == S_NEW
                   ? "%s(): shmem4py is not initialized (call shmem.init() first)"
                   : "%s(): shmem4py was finalized (shmem.finalize() was called)",
               fn);
  return false;
}

void require_active(const char *fn) {
  if (!active(fn)) throw nb::python_error();
}

// The guard of a routine the library may lack (a weak symbol, null where
// missing): the state first, then NotImplementedError with msg.
void require_routine(const char *fn, bool available, const char *msg) {
  require_active(fn);
  if (!available) raise(PyExc_NotImplementedError, "%s", msg);
}

// A library thread level as the THREAD value of Python.
int thread_level(int c_level) {
  for (int i = 0; i < 4; ++i)
    if (kThreadC[i] == c_level) return i;
  return 0;
}

PyObject *not_available(const char *fn, const char *what) {
  return fail(PyExc_NotImplementedError,
              "%s(): %s is not available in the OpenSHMEM library shmem4py was built "
              "with",
              fn, what);
}

// ---- Symmetric blocks -------------------------------------------------------
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
int g_life = 0;
inline bool block_live(const BlockObject *b) { return b->live && b->life == g_life; }

int block_getbuffer(PyObject *self, Py_buffer *view, int flags) {
  auto *b = reinterpret_cast<BlockObject *>(self);
  if (!block_live(b)) {
    PyErr_SetString(PyExc_ValueError,
                    "the symmetric memory was freed (shmem.free, or the last shmem.finalize)");
    view->obj = nullptr;
    return -1;
  }
  static char empty[1];
  return PyBuffer_FillInfo(view, self, b->addr ? b->addr : empty, b->size, 0, flags);
}

PyObject *block_repr(PyObject *self) {
  auto *b = reinterpret_cast<BlockObject *>(self);
  return PyUnicode_FromFormat("<shmem4py symmetric block of %zd bytes at %p%s>", b->size,
                              b->addr, block_live(b) ? "" : " (freed)");
}

PyObject *block_get_address(PyObject *self, void *) {
  return PyLong_FromVoidPtr(reinterpret_cast<BlockObject *>(self)->addr);
}
PyObject *block_get_size(PyObject *self, void *) {
  return PyLong_FromSsize_t(reinterpret_cast<BlockObject *>(self)->size);
}
PyObject *block_get_live(PyObject *self, void *) {
  return PyBool_FromLong(block_live(reinterpret_cast<BlockObject *>(self)));
}

PyGetSetDef block_getset[] = {
    {"address", block_get_address, nullptr, "Address of the block in this PE.", nullptr},
    {"size", block_get_size, nullptr, "Size of the block in bytes.", nullptr},
    {"live", block_get_live, nullptr, "False once the block was freed.", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};

PyObject *new_block(void *addr, Py_ssize_t size) {
  auto *b = PyObject_New(BlockObject, g_block_type);
  if (!b) return nullptr;
  b->addr = static_cast<char *>(addr);
  b->size = size;
  b->live = 1;
  b->life = g_life;
  return reinterpret_cast<PyObject *>(b);
}

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

bool intern_keys(Sig &s) {
  for (int i = 0; i < s.nparams; ++i) {
    s.keys[i] = PyUnicode_InternFromString(s.names[i]);
    if (!s.keys[i]) return false;
  }
  return true;
}

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
PyObject *one_element(PyObject *o, const char *fn, const char *arg, const char *what) {
  if (PyUnicode_Check(o) || PyBytes_Check(o) || o == Py_None) {
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be %s, not %.100s", fn, arg, what,
                 Py_TYPE(o)->tp_name);
    return nullptr;
  }
  PyObject *arr = PyObject_CallOneArg(g_asarray, o);
  if (!arr) {
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be %s, not %.100s", fn, arg, what,
                 Py_TYPE(o)->tp_name);
    return nullptr;
  }
  const Py_ssize_t n = nd_size(arr);
  if (n != 1) {
    Py_DECREF(arr);
    PyErr_Format(PyExc_TypeError,
                 "%s(): argument '%s' must be %s, not an array of %zd elements", fn, arg, what,
                 n);
    return nullptr;
  }
  return arr;
}

// An integer held in a NumPy bool/integer scalar or a one-element array, as
// a Python int (new reference), or null with TypeError.
PyObject *integer_slow(PyObject *o, const char *fn, const char *arg) {
  PyObject *arr = one_element(o, fn, arg, "an integer");
  if (!arr) return nullptr;
  const char k = nd_kind(arr);
  if (k != 'b' && k != 'i' && k != 'u') {
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be an integer, not %.100s (dtype %S)",
                 fn, arg, Py_TYPE(o)->tp_name, reinterpret_cast<NpArray *>(arr)->descr);
    Py_DECREF(arr);
    return nullptr;
  }
  PyObject *item = PyObject_CallMethod(arr, "item", nullptr);
  Py_DECREF(arr);
  return item;
}

// An integer argument: a Python int, a NumPy integer, anything with
// __index__, and (through NumPy) np.True_ and 0-d or one-element integer
// arrays.  Floats are refused, not truncated.  New reference, or null.
PyObject *integer_object(PyObject *o, const char *fn, const char *arg) {
  if (PyLong_Check(o)) {
    Py_INCREF(o);
    return o;
  }
  if (PyFloat_Check(o)) {
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be an integer, not %.100s", fn, arg,
                 Py_TYPE(o)->tp_name);
    return nullptr;
  }
  if (PyIndex_Check(o) && Py_TYPE(o) != g_npbool && !is_ndarray(o)) {
    PyObject *num = PyNumber_Index(o);
    if (num) return num;
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) return nullptr;
    PyErr_Clear();
  }
  return integer_slow(o, fn, arg);
}

bool as_integer(PyObject *o, const char *fn, const char *arg, long long &v) {
  PyObject *num = integer_object(o, fn, arg);
  if (!num) return false;
  int overflow = 0;
  v = PyLong_AsLongLongAndOverflow(num, &overflow);
  Py_DECREF(num);
  if (overflow) {
    PyErr_Format(PyExc_ValueError, "%s(): argument '%s' is out of range", fn, arg);
    return false;
  }
  return true;
}

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
bool get_stride(PyObject *o, const char *fn, const char *arg, ptrdiff_t &st) {
  if (!given(o)) {
    st = 1;
    return true;
  }
  long long v;
  if (!as_integer(o, fn, arg, v)) return false;
  if (v < 1) {
    PyErr_Format(PyExc_ValueError, "%s(): argument '%s' must be at least 1, not %lld", fn, arg,
                 v);
    return false;
  }
  st = static_cast<ptrdiff_t>(v);
  return true;
}

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

// ---- Arrays -------------------------------------------------------------------
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

bool dtype_slow(Arr &a, const char *fn, const char *arg) {
  auto *d = reinterpret_cast<NpDescr *>(a.descr);
  PyObject *v = PyObject_GetAttrString(a.descr, "itemsize");
  if (!v) return false;
  Py_ssize_t itemsize = PyLong_AsSsize_t(v);
  Py_DECREF(v);
  if (itemsize < 0) return false;
  v = PyObject_GetAttrString(a.descr, "hasobject");
  if (!v) return false;
  int hasobject = PyObject_IsTrue(v);
  Py_DECREF(v);
  if (hasobject || !strchr("biufcSUVMm?", d->kind) || d->kind == 0) {
    PyErr_Format(PyExc_TypeError,
                 "%s(): argument '%s' has dtype %S, which holds Python objects or pointers "
                 "and cannot be communicated",
                 fn, arg, a.descr);
    return false;
  }
  const Entry *e = entry_for_char(d->type);
  const bool native = d->byteorder == '=' || d->byteorder == '|';
  if (e && native && d->type_num < kUserDefinedTypeNum &&
      static_cast<size_t>(itemsize) == e->size)
    a.e = e;
  else
    a.e = entry_for_bytes(static_cast<size_t>(itemsize));
  a.itemsize = static_cast<size_t>(itemsize);
  return true;
}

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
bool symmetric_error(const Arr &a, size_t bytes, const char *fn, const char *arg) {
  BlockObject *b = owner_of(a.obj);
  if (!b)
    PyErr_Format(PyExc_ValueError,
                 "%s(): argument '%s' is not symmetric: allocate it with shmem.array, "
                 "shmem.zeros, shmem.empty, shmem.new_array or shmem.alloc",
                 fn, arg);
  else if (!block_live(b))
    PyErr_Format(PyExc_ValueError,
                 "%s(): argument '%s' was freed (shmem.free, or the last shmem.finalize) and "
                 "cannot be used",
                 fn, arg);
  else
    PyErr_Format(PyExc_ValueError,
                 "%s(): argument '%s': %zu bytes run past the end of its symmetric block", fn,
                 arg, bytes);
  return false;
}

// Memory that shmem4py.api's lib.shmem_malloc gave (wrapped with
// ffi.buffer / np.frombuffer) has no block object: the runtime itself says
// whether both ends lie in a symmetric region.  (RMA, ptr and
// addr_accessible all ask it here.)
bool in_symmetric_heap(const char *p, size_t bytes) {
  const int me = shmem_my_pe();
  return shmem_addr_accessible(p, me) && (bytes == 0 || shmem_addr_accessible(p + bytes - 1, me));
}

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

// ---- Values -----------------------------------------------------------------
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

// Keep the single value of the size-1 array `arr` (of the array's dtype) in v.
void hold(PyObject *arr, const Arr &a, Value &v) {
  v.tmp = arr;
  v.ptr = reinterpret_cast<NpArray *>(arr)->data;
  if (a.itemsize <= sizeof(v.s.raw)) {
    std::memcpy(v.s.raw, v.ptr, a.itemsize);
    v.ptr = v.s.raw;
  }
}

// The slow path of to_value: NumPy converts what the C converters do not
// take (NumPy scalars of other types, np.True_, 0-d and one-element arrays,
// long double and float16 targets...), as astype converts.  Floats do not
// truncate into integer or bool dtypes, nor complex numbers lose their
// imaginary part: those raise TypeError, as shmem4py 1.0 (CFFI) does.
bool value_slow(PyObject *o, const Arr &a, const char *fn, const char *arg, Value &v) {
  const Kind tk = a.e->kind;
  if (!a.e->from_py && (PyLong_CheckExact(o) || PyFloat_CheckExact(o) ||
                        PyComplex_CheckExact(o) || PyBool_Check(o))) {
    // A Python number straight to the dtype: no precision lost on the way
    // (a long double gets every digit of a large int).
    PyObject *arr = PyObject_CallFunctionObjArgs(g_asarray, o, a.descr, nullptr);
    if (!arr) {
      if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
        PyErr_Clear();
        PyErr_Format(PyExc_OverflowError, "%s(): argument '%s' (%R) is out of range for dtype %S",
                     fn, arg, o, a.descr);
      } else {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s(): argument '%s' (%R) cannot be converted to dtype %S",
                     fn, arg, o, a.descr);
      }
      return false;
    }
    hold(arr, a, v);
    return true;
  }
  PyObject *arr = one_element(o, fn, arg, "a single number");
  if (!arr) return false;
  const char k = nd_kind(arr);
  if (k == 'O' && (tk == K_FLOAT || tk == K_COMPLEX) && a.e->from_py &&
      Py_TYPE(o)->tp_as_number && Py_TYPE(o)->tp_as_number->nb_float) {
    // A Python object with __float__ (Fraction, Decimal...), as CFFI takes it.
    Py_DECREF(arr);
    PyObject *f = PyNumber_Float(o);
    if (!f) return false;
    const int rc = a.e->from_py(f, v.s);
    Py_DECREF(f);
    if (rc == 0) return true;
    PyErr_Format(PyExc_OverflowError, "%s(): argument '%s' (%R) is out of range for dtype %S", fn,
                 arg, o, a.descr);
    return false;
  }
  bool ok = tk == K_BYTES ? k != 'O' : (k == 'b' || k == 'i' || k == 'u' || k == 'f' || k == 'c');
  if ((tk == K_INT || tk == K_UINT) && (k == 'f' || k == 'c')) ok = false;
  if ((tk == K_FLOAT || tk == K_BOOL) && k == 'c') ok = false;
  if (!ok) {
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' (%.100s of dtype %S) cannot be converted "
                 "to dtype %S",
                 fn, arg, Py_TYPE(o)->tp_name, reinterpret_cast<NpArray *>(arr)->descr, a.descr);
    Py_DECREF(arr);
    return false;
  }
  PyObject *cast = PyObject_CallMethod(arr, "astype", "O", a.descr);
  Py_DECREF(arr);
  if (!cast) {
    PyObject *type, *val, *tb;
    PyErr_Fetch(&type, &val, &tb);
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' cannot be converted to dtype %S (%S)", fn,
                 arg, a.descr, val ? val : Py_None);
    Py_XDECREF(type);
    Py_XDECREF(val);
    Py_XDECREF(tb);
    return false;
  }
  hold(cast, a, v);
  return true;
}

// NumPy scalars of the builtin numeric types hold their value right after
// the object header (checked at import, per dtype char; long double and
// its complex are left out, their padding bytes being unspecified).
constexpr size_t kScalarValueOffset = sizeof(PyObject);
bool g_scalar_direct[128] = {};

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
bool to_value(PyObject *o, const Arr &a, const char *fn, const char *arg, Value &v) {
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

PyObject *from_value(const void *p, const Arr &a) {
  if (a.e->to_py) {
    Scalar s;
    std::memcpy(s.raw, p, a.itemsize);
    return a.e->to_py(s);
  }
  PyObject *shape = PyTuple_New(0);
  PyObject *arr = shape ? PyObject_CallFunctionObjArgs(g_empty, shape, a.descr, nullptr) : nullptr;
  Py_XDECREF(shape);
  if (!arr) return nullptr;
  std::memcpy(reinterpret_cast<NpArray *>(arr)->data, p, a.itemsize);
  PyObject *key = PyTuple_New(0);
  PyObject *r = key ? PyObject_GetItem(arr, key) : nullptr;
  Py_XDECREF(key);
  Py_DECREF(arr);
  return r;
}

// A string argument (an enum's value, or a plain str) equal to `name`,
// ignoring ASCII case, as shmem4py 1.0 compares them.
bool name_is(PyObject *o, const char *name) {
  Py_ssize_t n;
  const char *u = PyUnicode_AsUTF8AndSize(o, &n);
  if (!u) {
    PyErr_Clear();
    return false;
  }
  if (static_cast<size_t>(n) != std::strlen(name)) return false;
  for (Py_ssize_t i = 0; i < n; ++i) {
    char a = u[i], b = name[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// The comparison of a wait or test: a CMP member, an int, or a string.
bool get_cmp(PyObject *o, const char *fn, int &cmp) {
  if (PyUnicode_Check(o)) {
    static const char *names[6][2] = {{"==", "eq"}, {"!=", "ne"}, {">", "gt"},
                                      {"<=", "le"}, {"<", "lt"},  {">=", "ge"}};
    for (int i = 0; i < 6; ++i)
      for (const char *nm : names[i])
        if (name_is(o, nm)) {
          cmp = i;
          return true;
        }
    PyErr_Format(PyExc_ValueError,
                 "%s(): argument 'cmp' (%R) is not a comparison (CMP member, or one of "
                 "'==' '!=' '>' '<=' '<' '>=' 'eq' 'ne' 'gt' 'le' 'lt' 'ge')",
                 fn, o);
    return false;
  }
  long long v;
  if (!as_integer(o, fn, "cmp", v)) return false;
  if (v < 0 || v > 5) {
    PyErr_Format(PyExc_ValueError, "%s(): argument 'cmp' (%lld) is not a CMP value", fn, v);
    return false;
  }
  cmp = static_cast<int>(v);
  return true;
}

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

// ---- Waiting -------------------------------------------------------------------
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

long long coarse_ms() {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
  return static_cast<long long>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

// What a wait of this loop tells libshmem's hang watchdog (SHMEM_HANG_TIMEOUT):
// the wait is the extension's, so the library cannot see it otherwise.
#ifndef SHMEM4PY_EXTERNAL
struct WaitWatch {
  shmemx_wait_t w{};
  const char *what;
  explicit WaitWatch(const char *what) : what(what) {}
  void poll() { shmemx_wait_poll(&w, what); }
  // The library's turn: it yields as its own waits do, and a network
  // transport (MPI) moves what targets this PE - perhaps what we wait for.
  static void yield(unsigned spins) { shmemx_wait_yield(spins); }
  ~WaitWatch() { shmemx_wait_end(&w); }
};
#else
struct WaitWatch {
  explicit WaitWatch(const char *) {}
  void poll() {}
  static void yield(unsigned) { sched_yield(); }
};
#endif

// The CMP member of a C comparison constant, for descriptions.
const char *cmp_member(int cmp) {
  static const char *const names[6] = {"CMP.EQ", "CMP.NE", "CMP.GT", "CMP.LE", "CMP.LT", "CMP.GE"};
  for (int i = 0; i < 6; ++i)
    if (kCmpC[i] == cmp) return names[i];
  return "an unknown comparison";
}

// Waits until done() holds: a short spin holding the GIL (the common case
// of a peer that answers within a microsecond or two), then without the
// GIL, yielding the core between looks (CI runs more PEs than cores), and
// back to Python every 20 ms to run signal handlers (Ctrl-C interrupts a
// wait).  `what` describes the wait for the hang watchdog.  False: an
// exception is set.
template <class Done> bool wait_loop(const char *what, Done &&done) {
  for (int i = 0; i < 32; ++i) {
    if (done()) return true;
    cpu_relax();
  }
  WaitWatch watch(what);
  // The turns of the whole wait, across its returns to Python: the library
  // sleeps rather than yields once a wait is long (State::wait_sleeps).
  unsigned turns = 32;
  for (;;) {
    bool ok = false;
    PyThreadState *ts = PyEval_SaveThread();
    const long long start = coarse_ms();
    for (unsigned i = 0;; ++i) {
      if (done()) {
        ok = true;
        break;
      }
      WaitWatch::yield(turns);
      if (turns < UINT_MAX) ++turns;
      if ((i & 63) == 63) {
        watch.poll();
        if (coarse_ms() - start > 20) break;
      }
    }
    PyEval_RestoreThread(ts);
    if (ok) return true;
    if (PyErr_CheckSignals() < 0) return false;
  }
}

// ---- RMA ----------------------------------------------------------------------
enum RmaKind { R_PUT, R_GET, R_PUT_NBI, R_GET_NBI };

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

PyObject *rma(Sig &s, RmaKind kind, PyObject *const *args, Py_ssize_t nargs,
              PyObject *kwnames) {
  PyObject *a[5];
  const char *fn = s.fname;
  Arr t, src;
  if (!rma_args(s, args, nargs, kwnames, a, t, src)) return nullptr;
  CtxRef c;
  int pe;
  size_t n;
  if (!get_ctx(a[4], fn, c) || !get_pe(a[2], fn, c.npes, pe) ||
      !get_count(a[3], fn, std::min(t.n, src.n), n) || !fits(n, t, fn, "target") ||
      !fits(n, src, fn, "source"))
    return nullptr;
  const size_t bytes = n * t.itemsize;
  if (bytes == 0) Py_RETURN_NONE;
  const bool is_put = kind == R_PUT || kind == R_PUT_NBI;
  if (is_put ? !check_symmetric(t, bytes, fn, "target") || !check_local(src, fn, "source")
             : !check_symmetric(src, bytes, fn, "source") || !check_local(t, fn, "target"))
    return nullptr;
  const Entry *e = t.e;
  PutFn f = kind == R_PUT ? e->put : kind == R_GET ? e->get : kind == R_PUT_NBI ? e->put_nbi
                                                                                  : e->get_nbi;
  const size_t units = bytes / e->unit;
  maybe_without_gil(bytes, [&] { f(c.ctx, t.data, src.data, units, pe); });
  Py_RETURN_NONE;
}

Sig sig_put{"put", 5, 3, {"target", "source", "pe", "size", "ctx"}, {}};
Sig sig_get{"get", 5, 3, {"target", "source", "pe", "size", "ctx"}, {}};
Sig sig_put_nbi{"put_nbi", 5, 3, {"target", "source", "pe", "size", "ctx"}, {}};
Sig sig_get_nbi{"get_nbi", 5, 3, {"target", "source", "pe", "size", "ctx"}, {}};

PyObject *f_put(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return rma(sig_put, R_PUT, a, n, k);
}
PyObject *f_get(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return rma(sig_get, R_GET, a, n, k);
}
PyObject *f_put_nbi(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return rma(sig_put_nbi, R_PUT_NBI, a, n, k);
}
PyObject *f_get_nbi(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return rma(sig_get_nbi, R_GET_NBI, a, n, k);
}

// Strided: element i of target at i*tst, of source at i*sst.
PyObject *strided(Sig &s, bool is_put, PyObject *const *args, Py_ssize_t nargs,
                  PyObject *kwnames) {
  PyObject *a[7];
  const char *fn = s.fname;
  Arr t, src;
  if (!rma_args(s, args, nargs, kwnames, a, t, src)) return nullptr;
  CtxRef c;
  int pe;
  ptrdiff_t tst, sst;
  if (!get_ctx(a[6], fn, c) || !get_pe(a[2], fn, c.npes, pe) ||
      !get_stride(a[3], fn, "tst", tst) || !get_stride(a[4], fn, "sst", sst))
    return nullptr;
  const Py_ssize_t dflt =
      std::min((t.n + tst - 1) / tst, (src.n + sst - 1) / sst);
  size_t n;
  if (!get_count(a[5], fn, dflt, n)) return nullptr;
  if (n == 0 || t.itemsize == 0) Py_RETURN_NONE;
  const size_t tlast = (n - 1) * static_cast<size_t>(tst), slast = (n - 1) * static_cast<size_t>(sst);
  if (tlast >= static_cast<size_t>(t.n) || slast >= static_cast<size_t>(src.n))
    return fail(PyExc_ValueError,
                "%s(): size %zu with strides tst=%zd, sst=%zd runs past the end of "
                "'%s' (%zd elements)",
                fn, n, static_cast<Py_ssize_t>(tst), static_cast<Py_ssize_t>(sst), tlast >= static_cast<size_t>(t.n) ? "target" : "source",
                tlast >= static_cast<size_t>(t.n) ? t.n : src.n);
  const size_t tbytes = (tlast + 1) * t.itemsize, sbytes = (slast + 1) * t.itemsize;
  if (is_put ? !check_symmetric(t, tbytes, fn, "target") || !check_local(src, fn, "source")
             : !check_symmetric(src, sbytes, fn, "source") || !check_local(t, fn, "target"))
    return nullptr;
  const Entry *e = t.e;
  StridedFn f = is_put ? e->iput : e->iget;
  // Elements larger than the routine's unit move as k interleaved lanes.
  const size_t unit = e->unit, k = t.itemsize / unit;
  maybe_without_gil(std::max(tbytes, sbytes), [&] {
    for (size_t j = 0; j < k; ++j)
      f(c.ctx, t.data + j * unit, src.data + j * unit, tst * static_cast<ptrdiff_t>(k),
        sst * static_cast<ptrdiff_t>(k), n, pe);
  });
  Py_RETURN_NONE;
}

Sig sig_iput{"iput", 7, 3, {"target", "source", "pe", "tst", "sst", "size", "ctx"}, {}};
Sig sig_iget{"iget", 7, 3, {"target", "source", "pe", "tst", "sst", "size", "ctx"}, {}};
PyObject *f_iput(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return strided(sig_iput, true, a, n, k);
}
PyObject *f_iget(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return strided(sig_iget, false, a, n, k);
}

// Blocked strided (1.6): block i of `bsize` elements at target[i*tst] and
// source[i*sst].
PyObject *blocked(Sig &s, bool is_put, PyObject *const *args, Py_ssize_t nargs,
                  PyObject *kwnames) {
  PyObject *a[8];
  const char *fn = s.fname;
  Arr t, src;
  if (!rma_args(s, args, nargs, kwnames, a, t, src)) return nullptr;
  CtxRef c;
  int pe;
  ptrdiff_t tst, sst;
  long long bs;
  if (!get_ctx(a[7], fn, c) || !get_pe(a[2], fn, c.npes, pe) ||
      !get_stride(a[3], fn, "tst", tst) || !get_stride(a[4], fn, "sst", sst) ||
      !as_integer(a[5], fn, "bsize", bs))
    return nullptr;
  if (bs < 0)
    return fail(PyExc_ValueError, "%s(): argument 'bsize' must not be negative (%lld)", fn, bs);
  const size_t bsize = static_cast<size_t>(bs);
  // By default, as many whole blocks as both arrays hold.
  const auto blocks_in = [bsize](const Arr &x, ptrdiff_t st) -> Py_ssize_t {
    if (bsize == 0 || static_cast<size_t>(x.n) < bsize) return 0;
    return static_cast<Py_ssize_t>((static_cast<size_t>(x.n) - bsize) / static_cast<size_t>(st) + 1);
  };
  long long nb_ll;
  size_t nblocks;
  if (!given(a[6])) {
    nblocks = static_cast<size_t>(std::min(blocks_in(t, tst), blocks_in(src, sst)));
  } else {
    if (!as_integer(a[6], fn, "nblocks", nb_ll)) return nullptr;
    if (nb_ll < 0)
      return fail(PyExc_ValueError, "%s(): argument 'nblocks' must not be negative (%lld)", fn,
                  nb_ll);
    nblocks = static_cast<size_t>(nb_ll);
  }
  if (nblocks == 0 || bsize == 0 || t.itemsize == 0) Py_RETURN_NONE;
  const size_t tend = (nblocks - 1) * static_cast<size_t>(tst) + bsize,
               send = (nblocks - 1) * static_cast<size_t>(sst) + bsize;
  if (tend > static_cast<size_t>(t.n) || send > static_cast<size_t>(src.n)) {
    const bool tgt = tend > static_cast<size_t>(t.n);
    return fail(PyExc_ValueError,
                "%s(): %zu blocks of bsize=%zu with strides tst=%zd, sst=%zd run past the end "
                "of '%s' (%zu elements needed, it has %zd)",
                fn, nblocks, bsize, static_cast<Py_ssize_t>(tst), static_cast<Py_ssize_t>(sst),
                tgt ? "target" : "source", tgt ? tend : send, tgt ? t.n : src.n);
  }
  const size_t tbytes = tend * t.itemsize, sbytes = send * t.itemsize;
  if (is_put ? !check_symmetric(t, tbytes, fn, "target") || !check_local(src, fn, "source")
             : !check_symmetric(src, sbytes, fn, "source") || !check_local(t, fn, "target"))
    return nullptr;
  const Entry *e = t.e;
  BlockedFn f = is_put ? e->ibput : e->ibget;
  if (!f)
    return not_available(fn, is_put ? "shmem_ctx_ibput (OpenSHMEM 1.6)"
                                    : "shmem_ctx_ibget (OpenSHMEM 1.6)");
  // An element of k units is k consecutive units: blocks and strides scale.
  const size_t k = t.itemsize / e->unit;
  maybe_without_gil(std::max(tbytes, sbytes), [&] {
    f(c.ctx, t.data, src.data, tst * static_cast<ptrdiff_t>(k), sst * static_cast<ptrdiff_t>(k),
      bsize * k, nblocks, pe);
  });
  Py_RETURN_NONE;
}

Sig sig_ibput{"ibput", 8, 6, {"target", "source", "pe", "tst", "sst", "bsize", "nblocks", "ctx"}, {}};
Sig sig_ibget{"ibget", 8, 6, {"target", "source", "pe", "tst", "sst", "bsize", "nblocks", "ctx"}, {}};
PyObject *f_ibput(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return blocked(sig_ibput, true, a, n, k);
}
PyObject *f_ibget(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return blocked(sig_ibget, false, a, n, k);
}

// One element needs an element: a 1-element (or larger) array.
inline bool nonempty(const Arr &a, const char *fn, const char *arg) {
  if (__builtin_expect(a.n >= 1 && a.itemsize > 0, 1)) return true;
  PyErr_Format(PyExc_ValueError, "%s(): argument '%s' is empty (it needs one element)", fn, arg);
  return false;
}

// The element of p and g: a[0], one symmetric element (arg), on the PE
// a[i_pe] of the context a[i_ctx].  Inline, as p and g are hot.
inline bool get_elem(PyObject *const *a, const char *fn, const char *arg, bool writeable,
                     int i_pe, int i_ctx, Arr &x, CtxRef &c, int &pe) {
  return get_arr(a[0], fn, arg, x, writeable) && nonempty(x, fn, arg) &&
         get_ctx(a[i_ctx], fn, c) && get_pe(a[i_pe], fn, c.npes, pe) &&
         check_symmetric(x, x.itemsize, fn, arg);
}

Sig sig_p{"p", 4, 3, {"target", "value", "pe", "ctx"}, {}};
PyObject *f_p(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[4];
  const char *fn = "p";
  if (!parse(sig_p, args, nargs, kw, a) || !active(fn)) return nullptr;
  Arr t;
  CtxRef c;
  int pe;
  if (!get_elem(a, fn, "target", true, 2, 3, t, c, pe)) return nullptr;
  Value v;
  if (!to_value(a[1], t, fn, "value", v)) return nullptr;
  if (t.e->p)
    t.e->p(c.ctx, t.data, v.s, pe);
  else
    t.e->put(c.ctx, t.data, v.ptr, t.itemsize / t.e->unit, pe);
  Py_RETURN_NONE;
}

Sig sig_g{"g", 3, 2, {"source", "pe", "ctx"}, {}};
PyObject *f_g(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[3];
  const char *fn = "g";
  if (!parse(sig_g, args, nargs, kw, a) || !active(fn)) return nullptr;
  Arr s;
  CtxRef c;
  int pe;
  if (!get_elem(a, fn, "source", false, 1, 2, s, c, pe)) return nullptr;
  if (s.e->g && s.e->to_py) {
    Scalar out;
    s.e->g(c.ctx, out, s.data, pe);
    return s.e->to_py(out);
  }
  std::vector<unsigned char> buf(s.itemsize + 16);
  void *p = buf.data() + (16 - reinterpret_cast<uintptr_t>(buf.data()) % 16) % 16;
  s.e->get(c.ctx, p, s.data, s.itemsize / s.e->unit, pe);
  return from_value(p, s);
}

// ---- AMOs ---------------------------------------------------------------------
const char *const kAmoNames[AMO_COUNT] = {
    "atomic_fetch",     "atomic_set",       "atomic_swap",          "atomic_compare_swap",
    "atomic_fetch_inc", "atomic_inc",       "atomic_fetch_add",     "atomic_add",
    "atomic_fetch_and", "atomic_and",       "atomic_fetch_or",      "atomic_or",
    "atomic_fetch_xor", "atomic_xor",       "atomic_fetch_nbi",     "atomic_swap_nbi",
    "atomic_compare_swap_nbi", "atomic_fetch_inc_nbi", "atomic_fetch_add_nbi",
    "atomic_fetch_and_nbi", "atomic_fetch_or_nbi", "atomic_fetch_xor_nbi"};

bool is_nbi(int op) { return op >= AMO_FETCH_NBI; }
bool returns_value(int op) {
  switch (op) {
  case AMO_FETCH: case AMO_SWAP: case AMO_CSWAP: case AMO_FINC: case AMO_FADD:
  case AMO_FAND: case AMO_FOR: case AMO_FXOR:
    return true;
  default:
    return false;
  }
}
bool takes_value(int op) {
  switch (op) {
  case AMO_FETCH: case AMO_FINC: case AMO_INC: case AMO_FETCH_NBI: case AMO_FINC_NBI:
    return false;
  default:
    return true;
  }
}
bool takes_cond(int op) { return op == AMO_CSWAP || op == AMO_CSWAP_NBI; }

std::string supported_list(uint32_t Entry::*mask, int op) {
  std::string out;
  for (char c : std::string("bhilqBHILQfdgFDG?")) {
    const Entry *e = entry_for_char(c);
    if (e && ((e->*mask) >> op & 1)) {
      if (!out.empty()) out += ", ";
      out += e->name;
    }
  }
  return out.empty() ? "none" : out;
}

PyObject *amo_type_error(const char *fn, const char *arg, const Arr &a, uint32_t Entry::*mask,
                         int op) {
  std::string list = supported_list(mask, op);
  return fail(PyExc_TypeError, "%s(): argument '%s' has dtype %S, which %s does not support "
              "(supported: %s)",
              fn, arg, a.descr, fn, list.c_str());
}

// Parameter positions of an AMO (-1: absent).
struct AmoSig {
  Sig sig;
  int op;          // AmoOp, or -1 for atomic_op & co. (taken from the `op` argument)
  int i_fetch, i_target, i_cond, i_value, i_op, i_pe, i_ctx;
  int family;      // for op strings: 0 atomic_op, 1 atomic_fetch_op, 2 atomic_fetch_op_nbi
};

bool amo_from_string(PyObject *o, const char *fn, int family, int &op) {
  static const char *names[6] = {"set", "inc", "add", "and", "or", "xor"};
  static const int ops[3][6] = {
      {AMO_SET, AMO_INC, AMO_ADD, AMO_AND, AMO_OR, AMO_XOR},
      {AMO_SWAP, AMO_FINC, AMO_FADD, AMO_FAND, AMO_FOR, AMO_FXOR},
      {AMO_SWAP_NBI, AMO_FINC_NBI, AMO_FADD_NBI, AMO_FAND_NBI, AMO_FOR_NBI, AMO_FXOR_NBI}};
  if (!PyUnicode_Check(o))
    return fail(PyExc_TypeError, "%s(): argument 'op' must be an AMO member or a string, not %.100s",
                fn, Py_TYPE(o)->tp_name),
           false;
  for (int i = 0; i < 6; ++i)
    if (name_is(o, names[i])) {
      op = ops[family][i];
      return true;
    }
  PyErr_Format(PyExc_ValueError,
               "%s(): argument 'op' (%R) is not an atomic operation (one of 'set' 'inc' "
               "'add' 'and' 'or' 'xor')",
               fn, o);
  return false;
}

PyObject *amo(AmoSig &as, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
  PyObject *a[7];
  const char *fn = as.sig.fname;
  if (!parse(as.sig, args, nargs, kwnames, a) || !active(fn)) return nullptr;
  int op = as.op;
  if (op < 0 && !amo_from_string(a[as.i_op], fn, as.family, op)) return nullptr;
  const char *tname = op == AMO_FETCH || op == AMO_FETCH_NBI ? "source" : "target";
  Arr t;
  if (!get_arr(a[as.i_target], fn, tname, t, op != AMO_FETCH && op != AMO_FETCH_NBI) ||
      !nonempty(t, fn, tname))
    return nullptr;
  const Entry *e = t.e;
  if (__builtin_expect(!(e->amo_allowed >> op & 1), 0))
    return amo_type_error(fn, tname, t, &Entry::amo_allowed, op);
  if (__builtin_expect(!e->amo_fns[op], 0)) return not_available(fn, kAmoNames[op]);
  CtxRef c;
  int pe;
  if (!get_ctx(a[as.i_ctx], fn, c) || !get_pe(a[as.i_pe], fn, c.npes, pe) ||
      !check_symmetric(t, t.itemsize, fn, tname))
    return nullptr;
  if (__builtin_expect(reinterpret_cast<uintptr_t>(t.data) % t.itemsize != 0, 0))
    return fail(PyExc_ValueError, "%s(): argument '%s' is not aligned to %zu bytes", fn, tname,
                t.itemsize);
  Value v, cond;
  if (takes_value(op) && !to_value(a[as.i_value], t, fn, "value", v)) return nullptr;
  if (takes_cond(op) && !to_value(a[as.i_cond], t, fn, "cond", cond)) return nullptr;
  Arr f;
  if (is_nbi(op)) {
    if (!get_arr(a[as.i_fetch], fn, "fetch", f, true) || !nonempty(f, fn, "fetch") ||
        !same_dtype(f, t, fn, "fetch", tname) || !check_local(f, fn, "fetch"))
      return nullptr;
    if (reinterpret_cast<uintptr_t>(f.data) % f.itemsize != 0)
      return fail(PyExc_ValueError, "%s(): argument 'fetch' is not aligned to %zu bytes", fn,
                  f.itemsize);
  }
  Scalar out;
  e->amo(*e, op, c.ctx, t.data, v.s, cond.s, out, f.data, pe);
  if (returns_value(op)) return e->to_py(out);
  Py_RETURN_NONE;
}

#define AMO_FN(NAME)                                                           \
  PyObject *f_##NAME(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) { \
    return amo(as_##NAME, a, n, k);                                            \
  }
//                    sig                                                                      op          fe tg cd va op pe ctx fam
AmoSig as_atomic_fetch{{"atomic_fetch", 3, 2, {"source", "pe", "ctx"}, {}}, AMO_FETCH, -1, 0, -1, -1, -1, 1, 2, 0};
AmoSig as_atomic_set{{"atomic_set", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_SET, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_swap{{"atomic_swap", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_SWAP, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_compare_swap{{"atomic_compare_swap", 5, 4, {"target", "cond", "value", "pe", "ctx"}, {}}, AMO_CSWAP, -1, 0, 1, 2, -1, 3, 4, 0};
AmoSig as_atomic_fetch_inc{{"atomic_fetch_inc", 3, 2, {"target", "pe", "ctx"}, {}}, AMO_FINC, -1, 0, -1, -1, -1, 1, 2, 0};
AmoSig as_atomic_inc{{"atomic_inc", 3, 2, {"target", "pe", "ctx"}, {}}, AMO_INC, -1, 0, -1, -1, -1, 1, 2, 0};
AmoSig as_atomic_fetch_add{{"atomic_fetch_add", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_FADD, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_add{{"atomic_add", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_ADD, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_fetch_and{{"atomic_fetch_and", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_FAND, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_and{{"atomic_and", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_AND, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_fetch_or{{"atomic_fetch_or", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_FOR, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_or{{"atomic_or", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_OR, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_fetch_xor{{"atomic_fetch_xor", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_FXOR, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_xor{{"atomic_xor", 4, 3, {"target", "value", "pe", "ctx"}, {}}, AMO_XOR, -1, 0, -1, 1, -1, 2, 3, 0};
AmoSig as_atomic_fetch_nbi{{"atomic_fetch_nbi", 4, 3, {"fetch", "source", "pe", "ctx"}, {}}, AMO_FETCH_NBI, 0, 1, -1, -1, -1, 2, 3, 0};
AmoSig as_atomic_swap_nbi{{"atomic_swap_nbi", 5, 4, {"fetch", "target", "value", "pe", "ctx"}, {}}, AMO_SWAP_NBI, 0, 1, -1, 2, -1, 3, 4, 0};
AmoSig as_atomic_compare_swap_nbi{{"atomic_compare_swap_nbi", 6, 5, {"fetch", "target", "cond", "value", "pe", "ctx"}, {}}, AMO_CSWAP_NBI, 0, 1, 2, 3, -1, 4, 5, 0};
AmoSig as_atomic_fetch_inc_nbi{{"atomic_fetch_inc_nbi", 4, 3, {"fetch", "target", "pe", "ctx"}, {}}, AMO_FINC_NBI, 0, 1, -1, -1, -1, 2, 3, 0};
AmoSig as_atomic_fetch_add_nbi{{"atomic_fetch_add_nbi", 5, 4, {"fetch", "target", "value", "pe", "ctx"}, {}}, AMO_FADD_NBI, 0, 1, -1, 2, -1, 3, 4, 0};
AmoSig as_atomic_fetch_and_nbi{{"atomic_fetch_and_nbi", 5, 4, {"fetch", "target", "value", "pe", "ctx"}, {}}, AMO_FAND_NBI, 0, 1, -1, 2, -1, 3, 4, 0};
AmoSig as_atomic_fetch_or_nbi{{"atomic_fetch_or_nbi", 5, 4, {"fetch", "target", "value", "pe", "ctx"}, {}}, AMO_FOR_NBI, 0, 1, -1, 2, -1, 3, 4, 0};
AmoSig as_atomic_fetch_xor_nbi{{"atomic_fetch_xor_nbi", 5, 4, {"fetch", "target", "value", "pe", "ctx"}, {}}, AMO_FXOR_NBI, 0, 1, -1, 2, -1, 3, 4, 0};
AmoSig as_atomic_op{{"atomic_op", 5, 4, {"target", "value", "op", "pe", "ctx"}, {}}, -1, -1, 0, -1, 1, 2, 3, 4, 0};
AmoSig as_atomic_fetch_op{{"atomic_fetch_op", 5, 4, {"target", "value", "op", "pe", "ctx"}, {}}, -1, -1, 0, -1, 1, 2, 3, 4, 1};
AmoSig as_atomic_fetch_op_nbi{{"atomic_fetch_op_nbi", 6, 5, {"fetch", "target", "value", "op", "pe", "ctx"}, {}}, -1, 0, 1, -1, 2, 3, 4, 5, 2};

AMO_FN(atomic_fetch)
AMO_FN(atomic_set)
AMO_FN(atomic_swap)
AMO_FN(atomic_compare_swap)
AMO_FN(atomic_fetch_inc)
AMO_FN(atomic_inc)
AMO_FN(atomic_fetch_add)
AMO_FN(atomic_add)
AMO_FN(atomic_fetch_and)
AMO_FN(atomic_and)
AMO_FN(atomic_fetch_or)
AMO_FN(atomic_or)
AMO_FN(atomic_fetch_xor)
AMO_FN(atomic_xor)
AMO_FN(atomic_fetch_nbi)
AMO_FN(atomic_swap_nbi)
AMO_FN(atomic_compare_swap_nbi)
AMO_FN(atomic_fetch_inc_nbi)
AMO_FN(atomic_fetch_add_nbi)
AMO_FN(atomic_fetch_and_nbi)
AMO_FN(atomic_fetch_or_nbi)
AMO_FN(atomic_fetch_xor_nbi)
AMO_FN(atomic_op)
AMO_FN(atomic_fetch_op)
AMO_FN(atomic_fetch_op_nbi)

// ---- Point-to-point synchronization ---------------------------------------------
enum WaitForm { W_ONE, W_ALL, W_ANY, W_SOME };

// True when `o` is a list or tuple of Python ints (bools included): the
// fast path of status and values.
bool list_of_ints(PyObject *o) {
  if (!PyList_Check(o) && !PyTuple_Check(o)) return false;
  const Py_ssize_t m = PySequence_Fast_GET_SIZE(o);
  PyObject **items = PySequence_Fast_ITEMS(o);
  for (Py_ssize_t i = 0; i < m; ++i)
    if (!PyLong_Check(items[i])) return false;
  return true;
}

// A sequence argument through NumPy: a flat C-ordered array (new
// reference) of kind in `kinds`, or null with TypeError naming it.
PyObject *flat_array(PyObject *o, const char *fn, const char *arg, const char *kinds,
                     const char *what) {
  PyObject *arr = nullptr;
  if (!PyUnicode_Check(o) && !PyBytes_Check(o) && o != Py_None) {
    arr = PyObject_CallOneArg(g_asarray, o);
    if (!arr) PyErr_Clear();
  }
  if (!arr || reinterpret_cast<NpArray *>(arr)->nd == 0 || !strchr(kinds, nd_kind(arr))) {
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be %s, not %.100s", fn, arg, what,
                 Py_TYPE(o)->tp_name);
    Py_XDECREF(arr);
    return nullptr;
  }
  // Order 'A': a Fortran-ordered array in memory order, as shmem4py 1.0
  // reads it; any other in C order.
  PyObject *flat = PyObject_CallMethod(arr, "ravel", "s", "A");
  Py_DECREF(arr);
  return flat;
}

// The status argument: one entry per element (extra entries are ignored,
// as in shmem4py 1.0); a non-zero entry excludes the element.  Any
// sequence or array of ints, bools or floats (a float mask from
// numpy.zeros: truncated to int first, as numpy.asarray(status, 'i') does).
bool get_status(PyObject *o, const char *fn, Py_ssize_t n, std::vector<int> &st) {
  if (!given(o)) return true;
  PyObject *items;
  if (list_of_ints(o)) {
    Py_INCREF(o);
    items = o;
  } else {
    PyObject *flat = flat_array(o, fn, "status", "biuf", "a sequence of ints or bools");
    if (!flat) return false;
    items = PyObject_CallMethod(flat, "tolist", nullptr);
    Py_DECREF(flat);
    if (!items) return false;
  }
  const Py_ssize_t m = PySequence_Fast_GET_SIZE(items);
  if (m < n) {
    Py_DECREF(items);
    PyErr_Format(PyExc_ValueError,
                 "%s(): argument 'status' has %zd entries for %zd elements (one per element)",
                 fn, m, n);
    return false;
  }
  st.resize(static_cast<size_t>(n));
  PyObject **it = PySequence_Fast_ITEMS(items);
  for (Py_ssize_t i = 0; i < n; ++i)
    st[static_cast<size_t>(i)] = PyFloat_Check(it[i])
                                     ? !(std::fabs(PyFloat_AS_DOUBLE(it[i])) < 1.0)
                                     : PyObject_IsTrue(it[i]) == 1;
  Py_DECREF(items);
  return true;
}

// The values argument of the _vector forms, in the C type of ivars: one
// per element (extra values are ignored, as in shmem4py 1.0).  A list or
// tuple of Python ints is range-checked value by value; any other sequence
// or array is cast to the dtype of ivars, as numpy.asarray(values, dtype)
// casts (floats truncate).
bool get_values(PyObject *o, const Arr &iv, const char *fn, std::vector<unsigned char> &packed) {
  if (list_of_ints(o)) {
    const Py_ssize_t m = PySequence_Fast_GET_SIZE(o);
    if (m < iv.n) {
      PyErr_Format(PyExc_ValueError,
                   "%s(): argument 'values' has %zd entries for %zd elements (one per element)",
                   fn, m, iv.n);
      return false;
    }
    packed.resize(static_cast<size_t>(iv.n) * iv.itemsize + 16);
    PyObject **items = PySequence_Fast_ITEMS(o);
    for (Py_ssize_t i = 0; i < iv.n; ++i) {
      Value v;
      if (!to_value(items[i], iv, fn, "values", v)) return false;
      std::memcpy(packed.data() + static_cast<size_t>(i) * iv.itemsize, v.ptr, iv.itemsize);
    }
    return true;
  }
  PyObject *flat = flat_array(o, fn, "values", "biuf", "a sequence or array of numbers");
  if (!flat) return false;
  const Py_ssize_t m = nd_size(flat);
  if (m < iv.n) {
    Py_DECREF(flat);
    PyErr_Format(PyExc_ValueError,
                 "%s(): argument 'values' has %zd entries for %zd elements (one per element)",
                 fn, m, iv.n);
    return false;
  }
  PyObject *cast = PyObject_CallMethod(flat, "astype", "O", iv.descr);
  Py_DECREF(flat);
  if (!cast) return false;
  packed.resize(static_cast<size_t>(iv.n) * iv.itemsize + 16);
  std::memcpy(packed.data(), reinterpret_cast<NpArray *>(cast)->data,
              static_cast<size_t>(iv.n) * iv.itemsize);
  Py_DECREF(cast);
  return true;
}

PyObject *index_or_none(size_t i) {
  if (i == SIZE_MAX) Py_RETURN_NONE;
  return PyLong_FromSize_t(i);
}

PyObject *index_list(const std::vector<size_t> &idx, size_t k) {
  PyObject *l = PyList_New(static_cast<Py_ssize_t>(k));
  if (!l) return nullptr;
  for (size_t i = 0; i < k; ++i) {
    PyObject *v = PyLong_FromSize_t(idx[i]);
    if (!v) {
      Py_DECREF(l);
      return nullptr;
    }
    PyList_SET_ITEM(l, static_cast<Py_ssize_t>(i), v);
  }
  return l;
}

// wait_until / test in every form.  a: ivars, cmp, value(s), [status].
PyObject *sync_impl(Sig &s, bool wait, WaitForm form, bool vector, PyObject *const *args,
                    Py_ssize_t nargs, PyObject *kwnames) {
  PyObject *a[4];
  const char *fn = s.fname;
  if (!parse(s, args, nargs, kwnames, a) || !active(fn)) return nullptr;
  const char *ivname = form == W_ONE ? "ivar" : "ivars";
  Arr iv;
  if (!get_arr(a[0], fn, ivname, iv, false)) return nullptr;
  if (form == W_ONE && !nonempty(iv, fn, ivname)) return nullptr;
  const int op = form == W_ONE ? SYNC_TEST
                 : form == W_ALL ? (vector ? SYNC_TEST_ALL_V : SYNC_TEST_ALL)
                 : form == W_ANY ? (vector ? SYNC_TEST_ANY_V : SYNC_TEST_ANY)
                                 : (vector ? SYNC_TEST_SOME_V : SYNC_TEST_SOME);
  const Entry *e = iv.e;
  if (!(e->sync_allowed >> op & 1)) return amo_type_error(fn, ivname, iv, &Entry::sync_allowed, op);
  if (!e->sync_fns[op]) return not_available(fn, fn);
  const size_t n = form == W_ONE ? 1 : static_cast<size_t>(iv.n);
  if (n && !check_symmetric(iv, n * iv.itemsize, fn, ivname)) return nullptr;
  if (reinterpret_cast<uintptr_t>(iv.data) % iv.itemsize != 0)
    return fail(PyExc_ValueError, "%s(): argument '%s' is not aligned to %zu bytes", fn, ivname,
                iv.itemsize);
  int py_cmp;
  if (!get_cmp(a[1], fn, py_cmp)) return nullptr;
  const int cmp = kCmpC[py_cmp];
  Value v;
  std::vector<unsigned char> packed;
  const void *values = nullptr;
  if (vector) {
    if (!get_values(a[2], iv, fn, packed)) return nullptr;
    values = packed.data();
  } else if (!to_value(a[2], iv, fn, "value", v)) {
    return nullptr;
  }
  std::vector<int> status;
  if (form != W_ONE && !get_status(a[3], fn, iv.n, status)) return nullptr;
  const int *st = status.empty() ? nullptr : status.data();
  std::vector<size_t> idx(form == W_SOME ? std::max<size_t>(n, 1) : 0);
  auto test = [&] {
    return e->sync(*e, op, iv.data, n, st, cmp, v.s, values, idx.empty() ? nullptr : idx.data());
  };
  if (!wait) {
    size_t r = test();
    switch (form) {
    case W_ONE: case W_ALL: return PyBool_FromLong(r != 0);
    case W_ANY: return index_or_none(r);
    default: return index_list(idx, r);
    }
  }
  // Nothing left to wait for: every element excluded (the C routines
  // return at once there too).
  bool none_left = n == 0;
  if (st && !none_left) none_left = std::all_of(status.begin(), status.end(), [](int x) { return x != 0; });
  if (none_left && form != W_ALL) {
    if (form == W_ANY) Py_RETURN_NONE;
    return PyList_New(0);
  }
  size_t r = 0;
  bool ok;
  char what[192];
  snprintf(what, sizeof what, "shmem.%s(%s=%p, %zu elements, cmp=%s) in Python", fn, ivname,
           static_cast<void *>(iv.data), n, cmp_member(cmp));
  switch (form) {
  case W_ANY: ok = wait_loop(what, [&] { return (r = test()) != SIZE_MAX; }); break;
  case W_SOME: ok = wait_loop(what, [&] { return (r = test()) != 0; }); break;
  default: ok = wait_loop(what, [&] { return test() != 0; }); break;
  }
  if (!ok) return nullptr;
  switch (form) {
  case W_ANY: return index_or_none(r);
  case W_SOME: return index_list(idx, r);
  default: Py_RETURN_NONE;
  }
}

#define SYNC_FN(NAME, NP, NREQ, WAIT, FORM, VEC, VALNAME)                      \
  Sig sig_##NAME{#NAME, NP, NREQ, {FORM == W_ONE ? "ivar" : "ivars", "cmp", VALNAME, "status"}, {}}; \
  PyObject *f_##NAME(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) { \
    return sync_impl(sig_##NAME, WAIT, FORM, VEC, a, n, k);                    \
  }
SYNC_FN(wait_until, 3, 3, true, W_ONE, false, "value")
SYNC_FN(wait_until_all, 4, 3, true, W_ALL, false, "value")
SYNC_FN(wait_until_any, 4, 3, true, W_ANY, false, "value")
SYNC_FN(wait_until_some, 4, 3, true, W_SOME, false, "value")
SYNC_FN(wait_until_all_vector, 4, 3, true, W_ALL, true, "values")
SYNC_FN(wait_until_any_vector, 4, 3, true, W_ANY, true, "values")
SYNC_FN(wait_until_some_vector, 4, 3, true, W_SOME, true, "values")
SYNC_FN(test, 3, 3, false, W_ONE, false, "value")
SYNC_FN(test_all, 4, 3, false, W_ALL, false, "value")
SYNC_FN(test_any, 4, 3, false, W_ANY, false, "value")
SYNC_FN(test_some, 4, 3, false, W_SOME, false, "value")
SYNC_FN(test_all_vector, 4, 3, false, W_ALL, true, "values")
SYNC_FN(test_any_vector, 4, 3, false, W_ANY, true, "values")
SYNC_FN(test_some_vector, 4, 3, false, W_SOME, true, "values")

// ---- Signals -----------------------------------------------------------------------
inline bool get_signal(PyObject *o, const char *fn, Arr &sg) {
  if (!get_arr(o, fn, "signal", sg, true) || !nonempty(sg, fn, "signal")) return false;
  if (sg.e->kind != K_UINT || sg.itemsize != sizeof(uint64_t)) {
    PyErr_Format(PyExc_TypeError, "%s(): argument 'signal' must be a uint64 array (shmem.new_signal()), "
                 "not dtype %S",
                 fn, sg.descr);
    return false;
  }
  if (!check_symmetric(sg, sizeof(uint64_t), fn, "signal")) return false;
  if (reinterpret_cast<uintptr_t>(sg.data) % sizeof(uint64_t) != 0) {
    PyErr_Format(PyExc_ValueError, "%s(): argument 'signal' is not aligned to 8 bytes", fn);
    return false;
  }
  return true;
}

bool get_u64(PyObject *o, const char *fn, const char *arg, uint64_t &v) {
  PyObject *num = integer_object(o, fn, arg);
  if (!num) return false;
  v = PyLong_AsUnsignedLongLong(num);
  Py_DECREF(num);
  if (v == static_cast<uint64_t>(-1) && PyErr_Occurred()) {
    PyErr_Clear();
    PyErr_Format(PyExc_OverflowError, "%s(): argument '%s' is out of range for uint64", fn, arg);
    return false;
  }
  return true;
}

// The SIGNAL value of Python (SET = 0, ADD = 1).
bool get_sigop(PyObject *o, const char *fn, int &op) {
  if (PyUnicode_Check(o)) {
    if (name_is(o, "set")) return op = 0, true;
    if (name_is(o, "add")) return op = 1, true;
    PyErr_Format(PyExc_ValueError, "%s(): argument 'sigop' (%R) is not 'set' or 'add'", fn, o);
    return false;
  }
  long long v;
  if (!as_integer(o, fn, "sigop", v)) return false;
  if (v != 0 && v != 1) {
    PyErr_Format(PyExc_ValueError, "%s(): argument 'sigop' (%lld) is not SIGNAL.SET or SIGNAL.ADD",
                 fn, v);
    return false;
  }
  op = static_cast<int>(v);
  return true;
}

Sig sig_signal_fetch{"signal_fetch", 1, 1, {"signal"}, {}};
PyObject *f_signal_fetch(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[1];
  const char *fn = "signal_fetch";
  if (!parse(sig_signal_fetch, args, nargs, kw, a) || !active(fn)) return nullptr;
#if SHMEM4PY_HAVE_SIGNAL
  if (!AVAILABLE(shmem_signal_fetch)) return not_available(fn, "shmem_signal_fetch");
  Arr sg;
  if (!get_signal(a[0], fn, sg)) return nullptr;
  return PyLong_FromUnsignedLongLong(shmem_signal_fetch(reinterpret_cast<uint64_t *>(sg.data)));
#else
  return not_available(fn, "shmem_signal_fetch");
#endif
}

Sig sig_signal_wait_until{"signal_wait_until", 3, 3, {"signal", "cmp", "value"}, {}};
PyObject *f_signal_wait_until(PyObject *, PyObject *const *args, Py_ssize_t nargs,
                              PyObject *kw) {
  PyObject *a[3];
  const char *fn = "signal_wait_until";
  if (!parse(sig_signal_wait_until, args, nargs, kw, a) || !active(fn)) return nullptr;
#if SHMEM4PY_HAVE_SIGNAL
  if (!AVAILABLE(shmem_signal_fetch)) return not_available(fn, "shmem_signal_fetch");
  Arr sg;
  int cmp;
  uint64_t value;
  if (!get_signal(a[0], fn, sg) || !get_cmp(a[1], fn, cmp) || !get_u64(a[2], fn, "value", value))
    return nullptr;
  auto *sig = reinterpret_cast<uint64_t *>(sg.data);
  uint64_t seen = 0;
  char what[160];
  snprintf(what, sizeof what, "shmem.signal_wait_until(signal=%p, cmp=%s, value=%llu) in Python",
           static_cast<void *>(sig), cmp_member(kCmpC[cmp]), static_cast<unsigned long long>(value));
  if (!wait_loop(what, [&] { return compare(seen = shmem_signal_fetch(sig), cmp, value); }))
    return nullptr;
  return PyLong_FromUnsignedLongLong(seen);
#else
  return not_available(fn, "shmem_signal_fetch");
#endif
}

PyObject *put_signal(Sig &s, bool nbi, PyObject *const *args, Py_ssize_t nargs,
                     PyObject *kwnames) {
  PyObject *a[8];
  const char *fn = s.fname;
  Arr t, src, sg;
  if (!rma_args(s, args, nargs, kwnames, a, t, src)) return nullptr;
  PutSignalFn f = nbi ? t.e->put_signal_nbi : t.e->put_signal;
  if (!f) return not_available(fn, fn);
  CtxRef c;
  int pe, sigop;
  size_t n;
  uint64_t value;
  if (!get_ctx(a[7], fn, c) || !get_pe(a[2], fn, c.npes, pe) || !get_signal(a[3], fn, sg) ||
      !get_u64(a[4], fn, "value", value) || !get_sigop(a[5], fn, sigop) ||
      !get_count(a[6], fn, std::min(t.n, src.n), n) || !fits(n, t, fn, "target") ||
      !fits(n, src, fn, "source"))
    return nullptr;
  const size_t bytes = n * t.itemsize;
  if (bytes && (!check_symmetric(t, bytes, fn, "target") || !check_local(src, fn, "source")))
    return nullptr;
  const size_t units = bytes / t.e->unit;
#if SHMEM4PY_HAVE_PUT_SIGNAL
  const int c_sigop = sigop ? SHMEM_SIGNAL_ADD : SHMEM_SIGNAL_SET;
  maybe_without_gil(bytes, [&] {
    f(c.ctx, t.data, src.data, units, reinterpret_cast<uint64_t *>(sg.data), value, c_sigop, pe);
  });
  Py_RETURN_NONE;
#else
  (void)units;
  return not_available(fn, fn);
#endif
}

Sig sig_put_signal{"put_signal", 8, 6, {"target", "source", "pe", "signal", "value", "sigop", "size", "ctx"}, {}};
Sig sig_put_signal_nbi{"put_signal_nbi", 8, 6, {"target", "source", "pe", "signal", "value", "sigop", "size", "ctx"}, {}};
PyObject *f_put_signal(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return put_signal(sig_put_signal, false, a, n, k);
}
PyObject *f_put_signal_nbi(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return put_signal(sig_put_signal_nbi, true, a, n, k);
}

// signal_add / signal_set (1.6): update the signal word on PE pe.
PyObject *signal_update(Sig &s, bool add, PyObject *const *args, Py_ssize_t nargs,
                        PyObject *kwnames) {
  PyObject *a[4];
  const char *fn = s.fname;
  if (!parse(s, args, nargs, kwnames, a) || !active(fn)) return nullptr;
  Arr sg;
  CtxRef c;
  int pe;
  uint64_t value;
  if (!get_signal(a[0], fn, sg) || !get_u64(a[1], fn, "value", value) || !get_ctx(a[3], fn, c) ||
      !get_pe(a[2], fn, c.npes, pe))
    return nullptr;
#if SHMEM4PY_HAVE_SIGNAL_ADD
  auto *sig = reinterpret_cast<uint64_t *>(sg.data);
  if (add) {
    if (!AVAILABLE(shmem_ctx_signal_add)) return not_available(fn, "shmem_ctx_signal_add");
    shmem_ctx_signal_add(c.ctx, sig, value, pe);
  } else {
    if (!AVAILABLE(shmem_ctx_signal_set)) return not_available(fn, "shmem_ctx_signal_set");
    shmem_ctx_signal_set(c.ctx, sig, value, pe);
  }
  Py_RETURN_NONE;
#else
  return not_available(fn, add ? "shmem_ctx_signal_add (OpenSHMEM 1.6)"
                               : "shmem_ctx_signal_set (OpenSHMEM 1.6)");
#endif
}

Sig sig_signal_add{"signal_add", 4, 3, {"signal", "value", "pe", "ctx"}, {}};
Sig sig_signal_set{"signal_set", 4, 3, {"signal", "value", "pe", "ctx"}, {}};
PyObject *f_signal_add(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return signal_update(sig_signal_add, true, a, n, k);
}
PyObject *f_signal_set(PyObject *, PyObject *const *a, Py_ssize_t n, PyObject *k) {
  return signal_update(sig_signal_set, false, a, n, k);
}

// ---- Ordering ------------------------------------------------------------------------
Sig sig_fence{"fence", 1, 0, {"ctx"}, {}};
PyObject *f_fence(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[1];
  if (!parse(sig_fence, args, nargs, kw, a) || !active("fence")) return nullptr;
  if (!given(a[0])) {
    shmem_fence();
    Py_RETURN_NONE;
  }
  CtxRef c;
  if (!get_ctx(a[0], "fence", c)) return nullptr;
  shmem_ctx_fence(c.ctx);
  Py_RETURN_NONE;
}

Sig sig_quiet{"quiet", 1, 0, {"ctx"}, {}};
PyObject *f_quiet(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[1];
  if (!parse(sig_quiet, args, nargs, kw, a) || !active("quiet")) return nullptr;
  if (!given(a[0])) {
    shmem_quiet();
    Py_RETURN_NONE;
  }
  CtxRef c;
  if (!get_ctx(a[0], "quiet", c)) return nullptr;
  shmem_ctx_quiet(c.ctx);
  Py_RETURN_NONE;
}

// pe_quiet (1.6): `pes` is one PE or a sequence of them (team-relative to
// the context's team), each checked before anything is completed.
Sig sig_pe_quiet{"pe_quiet", 2, 1, {"pes", "ctx"}, {}};
PyObject *f_pe_quiet(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[2];
  const char *fn = "pe_quiet";
  if (!parse(sig_pe_quiet, args, nargs, kw, a) || !active(fn)) return nullptr;
  CtxRef c;
  if (!get_ctx(a[1], fn, c)) return nullptr;
  std::vector<int> pes;
  PyObject *o = a[0];
  const bool one = PyLong_Check(o) ||
                  (is_ndarray(o) && reinterpret_cast<NpArray *>(o)->nd == 0) ||
                  (!PySequence_Check(o) && PyIndex_Check(o));
  if (one) {
    int pe;
    if (!get_pe(o, fn, c.npes, pe)) return nullptr;
    pes.push_back(pe);
  } else if (PyUnicode_Check(o) || PyBytes_Check(o) || !PySequence_Check(o)) {
    return fail(PyExc_TypeError,
                "%s(): argument 'pes' must be a PE number or a sequence of them, not %.100s", fn,
                Py_TYPE(o)->tp_name);
  } else {
    PyObject *seq = PySequence_Fast(o, "pe_quiet(): argument 'pes' must be a sequence");
    if (!seq) return nullptr;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    pes.reserve(static_cast<size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
      int pe;
      if (!get_pe(PySequence_Fast_GET_ITEM(seq, i), fn, c.npes, pe)) {
        Py_DECREF(seq);
        return nullptr;
      }
      pes.push_back(pe);
    }
    Py_DECREF(seq);
  }
#if SHMEM4PY_HAVE_PE_QUIET
  if (!AVAILABLE(shmem_ctx_pe_quiet)) return not_available(fn, "shmem_ctx_pe_quiet");
  shmem_ctx_pe_quiet(c.ctx, pes.data(), pes.size());
  Py_RETURN_NONE;
#else
  return not_available(fn, "shmem_ctx_pe_quiet (OpenSHMEM 1.6)");
#endif
}

// ---- Locks ------------------------------------------------------------------------------
bool get_lock(PyObject *o, const char *fn, Arr &l) {
  if (!get_arr(o, fn, "lock", l, true) || !nonempty(l, fn, "lock")) return false;
  if ((l.e->kind != K_INT && l.e->kind != K_UINT) || l.itemsize != sizeof(long)) {
    PyErr_Format(PyExc_TypeError, "%s(): argument 'lock' must be an int64 array (shmem.new_lock()), "
                 "not dtype %S",
                 fn, l.descr);
    return false;
  }
  if (!check_symmetric(l, sizeof(long), fn, "lock")) return false;
  if (reinterpret_cast<uintptr_t>(l.data) % sizeof(long) != 0) {
    PyErr_Format(PyExc_ValueError, "%s(): argument 'lock' is not aligned to 8 bytes", fn);
    return false;
  }
  return true;
}

Sig sig_set_lock{"set_lock", 1, 1, {"lock"}, {}};
PyObject *f_set_lock(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[1];
  Arr l;
  if (!parse(sig_set_lock, args, nargs, kw, a) || !active("set_lock") ||
      !get_lock(a[0], "set_lock", l))
    return nullptr;
  if (g_held_locks.count(l.data))
    return fail(g_shmem_error, "set_lock(): this PE holds the lock already (it would wait forever)");
  long *p = reinterpret_cast<long *>(l.data);
  Py_BEGIN_ALLOW_THREADS shmem_set_lock(p);
  Py_END_ALLOW_THREADS
  g_held_locks.insert(l.data);
  Py_RETURN_NONE;
}

Sig sig_test_lock{"test_lock", 1, 1, {"lock"}, {}};
PyObject *f_test_lock(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[1];
  Arr l;
  if (!parse(sig_test_lock, args, nargs, kw, a) || !active("test_lock") ||
      !get_lock(a[0], "test_lock", l))
    return nullptr;
  if (g_held_locks.count(l.data)) Py_RETURN_TRUE;
  int held = shmem_test_lock(reinterpret_cast<long *>(l.data));
  if (!held) g_held_locks.insert(l.data);
  return PyBool_FromLong(held);
}

Sig sig_clear_lock{"clear_lock", 1, 1, {"lock"}, {}};
PyObject *f_clear_lock(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[1];
  Arr l;
  if (!parse(sig_clear_lock, args, nargs, kw, a) || !active("clear_lock") ||
      !get_lock(a[0], "clear_lock", l))
    return nullptr;
  if (!g_held_locks.erase(l.data))
    return fail(g_shmem_error, "clear_lock(): this PE does not hold the lock");
  shmem_clear_lock(reinterpret_cast<long *>(l.data));
  Py_RETURN_NONE;
}

// ---- Queries ------------------------------------------------------------------------------
PyObject *f_my_pe(PyObject *, PyObject *const *, Py_ssize_t nargs, PyObject *kw) {
  if (nargs || kw) return fail(PyExc_TypeError, "my_pe() takes no arguments");
  if (!active("my_pe")) return nullptr;
  return PyLong_FromLong(g_me);
}
PyObject *f_n_pes(PyObject *, PyObject *const *, Py_ssize_t nargs, PyObject *kw) {
  if (nargs || kw) return fail(PyExc_TypeError, "n_pes() takes no arguments");
  if (!active("n_pes")) return nullptr;
  return PyLong_FromLong(g_npes);
}

// ---- Collectives (called by the wrappers of shmem.py) ------------------------------------
// a: team handle, team size, then the routine's own arguments.
bool get_team(PyObject *h, PyObject *n, const char *fn, shmem_team_t &team, int &npes) {
  void *p = PyLong_AsVoidPtr(h);
  if (!p && PyErr_Occurred()) return false;
  long long v;
  if (!as_integer(n, fn, "team size", v)) return false;
  if (!p || v < 1) {
    PyErr_Format(PyExc_ValueError, "%s(): the team is invalid (TEAM_INVALID, or destroyed)", fn);
    return false;
  }
  team = static_cast<shmem_team_t>(p);
  npes = static_cast<int>(v);
  return true;
}

bool overlap(const Arr &a, size_t abytes, const Arr &b, size_t bbytes) {
  return a.data < b.data + bbytes && b.data < a.data + abytes;
}

PyObject *coll_failed(const char *fn, int rc) {
  return fail(g_shmem_error, "%s(): the OpenSHMEM routine failed (return code %d)", fn, rc);
}

enum CollKind { C_BROADCAST, C_COLLECT, C_FCOLLECT, C_ALLTOALL };

// (team, npes, target, source, nelems, extra): extra is the root of
// broadcast and the total element count of collect (both checked by the
// caller, in shmem.py).
Sig sig_coll{"_collective", 7, 7, {"kind", "team", "npes", "target", "source", "nelems", "extra"}, {}};
PyObject *f_collective(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[7];
  if (!parse(sig_coll, args, nargs, kw, a)) return nullptr;
  long long kind, nel, extra;
  if (!as_integer(a[0], "_collective", "kind", kind)) return nullptr;
  static const char *names[] = {"broadcast", "collect", "fcollect", "alltoall"};
  // kind + 4: check the arguments only (collect checks them before its
  // exchange of sizes, and the sizes after it).
  const bool check_only = kind >= 4;
  if (check_only) kind -= 4;
  if (kind < 0 || kind > 3) return fail(PyExc_ValueError, "bad collective");
  const char *fn = names[kind];
  if (!active(fn)) return nullptr;
  shmem_team_t team;
  int npes;
  Arr t, s;
  if (!get_team(a[1], a[2], fn, team, npes) || !get_arr(a[3], fn, "target", t, true) ||
      !get_arr(a[4], fn, "source", s, false) || !same_dtype(t, s, fn, "target", "source") ||
      !as_integer(a[5], fn, "size", nel) || !as_integer(a[6], fn, "extra", extra))
    return nullptr;
  if (nel < 0) return fail(PyExc_ValueError, "%s(): argument 'size' must not be negative", fn);
  const size_t n = static_cast<size_t>(nel), item = t.itemsize;
  size_t tneed = 0, sneed = 0;
  switch (kind) {
  case C_BROADCAST: tneed = sneed = n; break;
  case C_COLLECT: tneed = static_cast<size_t>(extra); sneed = n; break;
  case C_FCOLLECT: tneed = n * npes; sneed = n; break;
  default: tneed = sneed = n * npes; break;
  }
  if (!fits(tneed, t, fn, "target") || !fits(sneed, s, fn, "source")) return nullptr;
  if (tneed && !check_symmetric(t, tneed * item, fn, "target")) return nullptr;
  if (sneed && !check_symmetric(s, sneed * item, fn, "source")) return nullptr;
  if (tneed && sneed && overlap(t, tneed * item, s, sneed * item))
    return fail(PyExc_ValueError, "%s(): arguments 'target' and 'source' overlap", fn);
  if (check_only) {
    if (!check_symmetric(t, 0, fn, "target")) return nullptr;
    Py_RETURN_NONE;
  }
  const Entry *e = t.e;
  int rc = -1;
  bool have = true;
  {
    nb::gil_scoped_release nogil;
    switch (kind) {
    case C_BROADCAST:
      if (e->broadcast) rc = e->broadcast(team, t.data, s.data, n * item / e->unit, static_cast<int>(extra));
#if SHMEM4PY_HAVE_TEAM_COLL
      else if (AVAILABLE(shmem_broadcastmem)) rc = shmem_broadcastmem(team, t.data, s.data, n * item, static_cast<int>(extra));
#endif
      else have = false;
      break;
    case C_COLLECT:
      if (e->collect && e->unit == item) rc = e->collect(team, t.data, s.data, n);
#if SHMEM4PY_HAVE_TEAM_COLL
      else if (AVAILABLE(shmem_collectmem)) rc = shmem_collectmem(team, t.data, s.data, n * item);
#endif
      else have = false;
      break;
    case C_FCOLLECT:
      if (e->fcollect && e->unit == item) rc = e->fcollect(team, t.data, s.data, n);
#if SHMEM4PY_HAVE_TEAM_COLL
      else if (AVAILABLE(shmem_fcollectmem)) rc = shmem_fcollectmem(team, t.data, s.data, n * item);
#endif
      else have = false;
      break;
    default:
      if (e->alltoall && e->unit == item) rc = e->alltoall(team, t.data, s.data, n);
#if SHMEM4PY_HAVE_TEAM_COLL
      else if (AVAILABLE(shmem_alltoallmem)) rc = shmem_alltoallmem(team, t.data, s.data, n * item);
#endif
      else have = false;
      break;
    }
  }
  if (!have) return not_available(fn, fn);
  if (rc != 0) return coll_failed(fn, rc);
  Py_RETURN_NONE;
}

Sig sig_alltoalls{"alltoalls", 7, 7, {"team", "npes", "target", "source", "tst", "sst", "size"}, {}};
PyObject *f_alltoalls(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[7];
  const char *fn = "alltoalls";
  if (!parse(sig_alltoalls, args, nargs, kw, a) || !active(fn)) return nullptr;
  shmem_team_t team;
  int npes;
  Arr t, s;
  ptrdiff_t tst, sst;
  if (!get_team(a[0], a[1], fn, team, npes) || !get_arr(a[2], fn, "target", t, true) ||
      !get_arr(a[3], fn, "source", s, false) || !same_dtype(t, s, fn, "target", "source") ||
      !get_stride(a[4], fn, "tst", tst) || !get_stride(a[5], fn, "sst", sst))
    return nullptr;
  const auto span = [](const Arr &x, ptrdiff_t st) {
    return x.n ? ((x.n - 1) / st + 1) : Py_ssize_t{0};
  };
  size_t n;
  if (!given(a[6])) {
    // As shmem4py 1.0: the blocks must divide the arrays evenly.
    const Py_ssize_t both = std::min(span(t, tst), span(s, sst));
    if (both % npes)
      return fail(PyExc_ValueError,
                  "%s(): with size=None, the %zd elements (with strides tst=%zd, sst=%zd) of "
                  "'target' and 'source' do not divide evenly among the team's %d PEs: "
                  "pass size",
                  fn, both, static_cast<Py_ssize_t>(tst), static_cast<Py_ssize_t>(sst), npes);
  }
  if (!get_count(a[6], fn, std::min(span(t, tst), span(s, sst)) / npes, n)) return nullptr;
  const size_t count = n * static_cast<size_t>(npes), item = t.itemsize;
  if (count) {
    const size_t tlast = (count - 1) * tst, slast = (count - 1) * sst;
    if (tlast >= static_cast<size_t>(t.n) || slast >= static_cast<size_t>(s.n))
      return fail(PyExc_ValueError,
                  "%s(): size %zu per PE with strides tst=%zd, sst=%zd runs past the end of '%s'",
                  fn, n, static_cast<Py_ssize_t>(tst), static_cast<Py_ssize_t>(sst), tlast >= static_cast<size_t>(t.n) ? "target" : "source");
    if (!check_symmetric(t, (tlast + 1) * item, fn, "target") ||
        !check_symmetric(s, (slast + 1) * item, fn, "source"))
      return nullptr;
    if (overlap(t, (tlast + 1) * item, s, (slast + 1) * item))
      return fail(PyExc_ValueError, "%s(): arguments 'target' and 'source' overlap", fn);
  }
  const Entry *e = t.e;
  AlltoallsFn f = e->alltoalls && e->unit == item ? e->alltoalls : nullptr;
  size_t lane = item, k = 1;
  if (!f && item) {
    lane = std::min<size_t>(e->unit, 8);
    while (item % lane) lane /= 2;
    k = item / lane;
    f = lane_alltoalls(lane);
  }
  if (!f) return not_available(fn, fn);
  int rc = 0;
  {
    nb::gil_scoped_release nogil;
    for (size_t j = 0; j < k && rc == 0; ++j)
      rc = f(team, t.data + j * lane, s.data + j * lane, tst * static_cast<ptrdiff_t>(k),
             sst * static_cast<ptrdiff_t>(k), n);
  }
  if (rc != 0) return coll_failed(fn, rc);
  Py_RETURN_NONE;
}

const char *const kReduceNames[RED_COUNT] = {"and_reduce", "or_reduce", "xor_reduce",
                                             "max_reduce", "min_reduce", "sum_reduce",
                                             "prod_reduce"};

// The operands of a reduction-shaped call (team, npes, _, target, source,
// size), checked in order: the team, the arrays and their dtype (one that
// OP allows), the count, symmetry, and dest and source not partly
// overlapping.  False with the Python error set.
bool reduction_operands(PyObject *const *a, const char *fn, int op, shmem_team_t &team, Arr &t,
                        Arr &s, size_t &n) {
  int npes;
  if (!get_team(a[0], a[1], fn, team, npes) || !get_arr(a[3], fn, "target", t, true) ||
      !get_arr(a[4], fn, "source", s, false) || !same_dtype(t, s, fn, "target", "source"))
    return false;
  if (!(t.e->reduce_allowed >> op & 1)) {
    amo_type_error(fn, "target", t, &Entry::reduce_allowed, op);
    return false;
  }
  if (!get_count(a[5], fn, std::min(t.n, s.n), n) || !fits(n, t, fn, "target") ||
      !fits(n, s, fn, "source"))
    return false;
  const size_t bytes = n * t.itemsize;
  if (!bytes) return true;
  if (!check_symmetric(t, bytes, fn, "target") || !check_symmetric(s, bytes, fn, "source"))
    return false;
  if (t.data != s.data && overlap(t, bytes, s, bytes)) {
    fail(PyExc_ValueError,
         "%s(): arguments 'target' and 'source' overlap (they may be the same array, "
         "but not partly overlap)",
         fn);
    return false;
  }
  return true;
}

// Runs one typed collective of the table (reduce or scan) without the GIL.
PyObject *run_collective(const char *fn, CollFn call,
                         shmem_team_t team, const Arr &t, const Arr &s, size_t n) {
  int rc;
  {
    nb::gil_scoped_release nogil;
    rc = call(team, t.data, s.data, n);
  }
  if (rc != 0) return coll_failed(fn, rc);
  Py_RETURN_NONE;
}

Sig sig_reduce{"reduce", 6, 6, {"team", "npes", "op", "target", "source", "size"}, {}};
PyObject *f_reduce(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[6];
  if (!parse(sig_reduce, args, nargs, kw, a)) return nullptr;
  long long op;
  if (!as_integer(a[2], "reduce", "op", op)) return nullptr;
  if (op < 0 || op >= RED_COUNT) return fail(PyExc_ValueError, "reduce(): argument 'op' (%lld) is not an OP value", op);
  const char *fn = kReduceNames[op];
  if (!active(fn)) return nullptr;
  shmem_team_t team;
  Arr t, s;
  size_t n;
  if (!reduction_operands(a, fn, static_cast<int>(op), team, t, s, n)) return nullptr;
  if (!t.e->reduce[op]) return not_available(fn, fn);
  return run_collective(fn, t.e->reduce[op], team, t, s, n);
}

// Prefix sums (1.6): (team, npes, exclusive, target, source, size).
Sig sig_scan{"scan", 6, 6, {"team", "npes", "exclusive", "target", "source", "size"}, {}};
PyObject *f_scan(PyObject *, PyObject *const *args, Py_ssize_t nargs, PyObject *kw) {
  PyObject *a[6];
  if (!parse(sig_scan, args, nargs, kw, a)) return nullptr;
  const int k = PyObject_IsTrue(a[2]);
  if (k < 0) return nullptr;
  const char *fn = k ? "sum_exscan" : "sum_inscan";
  if (!active(fn)) return nullptr;
  shmem_team_t team;
  Arr t, s;
  size_t n;
  if (!reduction_operands(a, fn, RED_SUM, team, t, s, n)) return nullptr;
  if (!t.e->scan[k])
    return not_available(fn, k ? "shmem_TYPENAME_sum_exscan (OpenSHMEM 1.6)"
                               : "shmem_TYPENAME_sum_inscan (OpenSHMEM 1.6)");
  return run_collective(fn, t.e->scan[k], team, t, s, n);
}

// ---- Method table ----------------------------------------------------------------------
#define FAST(NAME, DOC)                                                        \
  {#NAME, reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(f_##NAME)), \
   METH_FASTCALL | METH_KEYWORDS, DOC}

PyMethodDef g_methods[] = {
    FAST(put, "put($module, target, source, pe, size=None, ctx=None)\n--\n\n"
              "Copy `size` elements (default: as many as both hold) of the local array\n"
              "`source` into the symmetric array `target` on PE `pe`."),
    FAST(get, "get($module, target, source, pe, size=None, ctx=None)\n--\n\n"
              "Copy `size` elements of the symmetric array `source` on PE `pe` into the\n"
              "local array `target`."),
    FAST(put_nbi, "put_nbi($module, target, source, pe, size=None, ctx=None)\n--\n\n"
                  "Non-blocking put: complete with quiet()."),
    FAST(get_nbi, "get_nbi($module, target, source, pe, size=None, ctx=None)\n--\n\n"
                  "Non-blocking get: complete with quiet()."),
    FAST(iput, "iput($module, target, source, pe, tst=1, sst=1, size=None, ctx=None)\n--\n\n"
               "Strided put: target[i*tst] on PE `pe` = source[i*sst], for i < size\n"
               "(default: as many as both hold)."),
    FAST(iget, "iget($module, target, source, pe, tst=1, sst=1, size=None, ctx=None)\n--\n\n"
               "Strided get: target[i*tst] = source[i*sst] on PE `pe`."),
    FAST(ibput, "ibput($module, target, source, pe, tst, sst, bsize, nblocks=None, ctx=None)"
                "\n--\n\n"
                "Blocked strided put (OpenSHMEM 1.6): for i < nblocks, the `bsize` elements\n"
                "source[i*sst:i*sst+bsize] go to target[i*tst:i*tst+bsize] on PE `pe`\n"
                "(nblocks default: as many whole blocks as both hold)."),
    FAST(ibget, "ibget($module, target, source, pe, tst, sst, bsize, nblocks=None, ctx=None)"
                "\n--\n\n"
                "Blocked strided get (OpenSHMEM 1.6): target[i*tst:i*tst+bsize] =\n"
                "source[i*sst:i*sst+bsize] on PE `pe`, for i < nblocks."),
    FAST(p, "p($module, target, value, pe, ctx=None)\n--\n\n"
            "Store `value` into the first element of symmetric `target` on PE `pe`."),
    FAST(g, "g($module, source, pe, ctx=None)\n--\n\n"
            "Return the first element of symmetric `source` on PE `pe`."),
    FAST(atomic_fetch, "atomic_fetch($module, source, pe, ctx=None)\n--\n\n"
                       "Atomically fetch the first element of `source` on PE `pe`."),
    FAST(atomic_set, "atomic_set($module, target, value, pe, ctx=None)\n--\n\n"
                     "Atomically set the first element of `target` on PE `pe` to `value`."),
    FAST(atomic_swap, "atomic_swap($module, target, value, pe, ctx=None)\n--\n\n"
                      "Atomically set `target` on PE `pe` to `value`; return the old value."),
    FAST(atomic_compare_swap,
         "atomic_compare_swap($module, target, cond, value, pe, ctx=None)\n--\n\n"
         "Atomically set `target` on PE `pe` to `value` if it equals `cond`; return the\n"
         "old value."),
    FAST(atomic_fetch_inc, "atomic_fetch_inc($module, target, pe, ctx=None)\n--\n\n"
                           "Atomically increment `target` on PE `pe`; return the old value."),
    FAST(atomic_inc, "atomic_inc($module, target, pe, ctx=None)\n--\n\n"
                     "Atomically increment `target` on PE `pe`."),
    FAST(atomic_fetch_add, "atomic_fetch_add($module, target, value, pe, ctx=None)\n--\n\n"
                           "Atomically add `value` to `target` on PE `pe`; return the old value."),
    FAST(atomic_add, "atomic_add($module, target, value, pe, ctx=None)\n--\n\n"
                     "Atomically add `value` to `target` on PE `pe`."),
    FAST(atomic_fetch_and, "atomic_fetch_and($module, target, value, pe, ctx=None)\n--\n\n"
                           "Atomic bitwise AND into `target` on PE `pe`; return the old value."),
    FAST(atomic_and, "atomic_and($module, target, value, pe, ctx=None)\n--\n\n"
                     "Atomic bitwise AND of `value` into `target` on PE `pe`."),
    FAST(atomic_fetch_or, "atomic_fetch_or($module, target, value, pe, ctx=None)\n--\n\n"
                          "Atomic bitwise OR into `target` on PE `pe`; return the old value."),
    FAST(atomic_or, "atomic_or($module, target, value, pe, ctx=None)\n--\n\n"
                    "Atomic bitwise OR of `value` into `target` on PE `pe`."),
    FAST(atomic_fetch_xor, "atomic_fetch_xor($module, target, value, pe, ctx=None)\n--\n\n"
                           "Atomic bitwise XOR into `target` on PE `pe`; return the old value."),
    FAST(atomic_xor, "atomic_xor($module, target, value, pe, ctx=None)\n--\n\n"
                     "Atomic bitwise XOR of `value` into `target` on PE `pe`."),
    FAST(atomic_fetch_nbi, "atomic_fetch_nbi($module, fetch, source, pe, ctx=None)\n--\n\n"
                           "Non-blocking atomic fetch of `source` on PE `pe` into `fetch[0]`."),
    FAST(atomic_swap_nbi, "atomic_swap_nbi($module, fetch, target, value, pe, ctx=None)\n--\n\n"
                          "Non-blocking atomic swap; the old value lands in `fetch[0]`."),
    FAST(atomic_compare_swap_nbi,
         "atomic_compare_swap_nbi($module, fetch, target, cond, value, pe, ctx=None)\n--\n\n"
         "Non-blocking atomic compare-and-swap; the old value lands in `fetch[0]`."),
    FAST(atomic_fetch_inc_nbi, "atomic_fetch_inc_nbi($module, fetch, target, pe, ctx=None)\n--\n\n"
                               "Non-blocking atomic fetch-and-increment into `fetch[0]`."),
    FAST(atomic_fetch_add_nbi,
         "atomic_fetch_add_nbi($module, fetch, target, value, pe, ctx=None)\n--\n\n"
         "Non-blocking atomic fetch-and-add into `fetch[0]`."),
    FAST(atomic_fetch_and_nbi,
         "atomic_fetch_and_nbi($module, fetch, target, value, pe, ctx=None)\n--\n\n"
         "Non-blocking atomic fetch-and-AND into `fetch[0]`."),
    FAST(atomic_fetch_or_nbi,
         "atomic_fetch_or_nbi($module, fetch, target, value, pe, ctx=None)\n--\n\n"
         "Non-blocking atomic fetch-and-OR into `fetch[0]`."),
    FAST(atomic_fetch_xor_nbi,
         "atomic_fetch_xor_nbi($module, fetch, target, value, pe, ctx=None)\n--\n\n"
         "Non-blocking atomic fetch-and-XOR into `fetch[0]`."),
    FAST(atomic_op, "atomic_op($module, target, value, op, pe, ctx=None)\n--\n\n"
                    "Atomic operation `op` (AMO: 'set' 'inc' 'add' 'and' 'or' 'xor') on\n"
                    "`target` on PE `pe` (`value` is ignored for 'inc')."),
    FAST(atomic_fetch_op, "atomic_fetch_op($module, target, value, op, pe, ctx=None)\n--\n\n"
                          "Fetching atomic operation `op`; return the old value ('set' swaps)."),
    FAST(atomic_fetch_op_nbi,
         "atomic_fetch_op_nbi($module, fetch, target, value, op, pe, ctx=None)\n--\n\n"
         "Non-blocking fetching atomic operation `op`; the old value lands in `fetch[0]`."),
    FAST(wait_until, "wait_until($module, ivar, cmp, value)\n--\n\n"
                     "Wait until the first element of local symmetric `ivar` compares `cmp`\n"
                     "(CMP, or '==' '!=' '>' '<=' '<' '>=') with `value`."),
    FAST(wait_until_all, "wait_until_all($module, ivars, cmp, value, status=None)\n--\n\n"
                         "Wait until every element of `ivars` not excluded by a non-zero\n"
                         "`status` entry compares `cmp` with `value`."),
    FAST(wait_until_any, "wait_until_any($module, ivars, cmp, value, status=None)\n--\n\n"
                         "Wait until some element satisfies the comparison; return its index\n"
                         "(None when every element is excluded)."),
    FAST(wait_until_some, "wait_until_some($module, ivars, cmp, value, status=None)\n--\n\n"
                          "Wait until at least one element satisfies the comparison; return\n"
                          "the list of the indices of all that do."),
    FAST(wait_until_all_vector,
         "wait_until_all_vector($module, ivars, cmp, values, status=None)\n--\n\n"
         "wait_until_all with one comparison value per element."),
    FAST(wait_until_any_vector,
         "wait_until_any_vector($module, ivars, cmp, values, status=None)\n--\n\n"
         "wait_until_any with one comparison value per element."),
    FAST(wait_until_some_vector,
         "wait_until_some_vector($module, ivars, cmp, values, status=None)\n--\n\n"
         "wait_until_some with one comparison value per element."),
    FAST(test, "test($module, ivar, cmp, value)\n--\n\n"
               "Return whether the first element of `ivar` compares `cmp` with `value`."),
    FAST(test_all, "test_all($module, ivars, cmp, value, status=None)\n--\n\n"
                   "Return whether every included element satisfies the comparison."),
    FAST(test_any, "test_any($module, ivars, cmp, value, status=None)\n--\n\n"
                   "Return the index of an element satisfying the comparison, or None."),
    FAST(test_some, "test_some($module, ivars, cmp, value, status=None)\n--\n\n"
                    "Return the indices of the elements satisfying the comparison."),
    FAST(test_all_vector, "test_all_vector($module, ivars, cmp, values, status=None)\n--\n\n"
                          "test_all with one comparison value per element."),
    FAST(test_any_vector, "test_any_vector($module, ivars, cmp, values, status=None)\n--\n\n"
                          "test_any with one comparison value per element."),
    FAST(test_some_vector, "test_some_vector($module, ivars, cmp, values, status=None)\n--\n\n"
                           "test_some with one comparison value per element."),
    FAST(signal_fetch, "signal_fetch($module, signal)\n--\n\n"
                       "Return the value of the local signal word `signal`."),
    FAST(signal_wait_until, "signal_wait_until($module, signal, cmp, value)\n--\n\n"
                            "Wait until the local `signal` compares `cmp` with `value`; return\n"
                            "its value."),
    FAST(put_signal,
         "put_signal($module, target, source, pe, signal, value, sigop, size=None, ctx=None)"
         "\n--\n\n"
         "Put `source` into `target` on PE `pe`, then update `signal` there with `value`\n"
         "(sigop: SIGNAL.SET or SIGNAL.ADD); the data is visible before the signal."),
    FAST(put_signal_nbi,
         "put_signal_nbi($module, target, source, pe, signal, value, sigop, size=None, "
         "ctx=None)\n--\n\n"
         "Non-blocking put_signal."),
    FAST(signal_add, "signal_add($module, signal, value, pe, ctx=None)\n--\n\n"
                     "Atomically add `value` to the signal word `signal` on PE `pe`\n"
                     "(OpenSHMEM 1.6)."),
    FAST(signal_set, "signal_set($module, signal, value, pe, ctx=None)\n--\n\n"
                     "Atomically set the signal word `signal` on PE `pe` to `value`\n"
                     "(OpenSHMEM 1.6)."),
    FAST(fence, "fence($module, ctx=None)\n--\n\n"
                "Order the puts, AMOs and signals to each PE issued before it before those\n"
                "issued after it."),
    FAST(quiet, "quiet($module, ctx=None)\n--\n\n"
                "Complete every outstanding put, AMO, signal and non-blocking operation."),
    FAST(pe_quiet, "pe_quiet($module, pes, ctx=None)\n--\n\n"
                   "Complete the puts, AMOs and signals issued (on `ctx`) to the PE `pes`, or\n"
                   "to each PE of the sequence `pes` (OpenSHMEM 1.6)."),
    FAST(set_lock, "set_lock($module, lock)\n--\n\nAcquire the distributed lock `lock`, waiting for it."),
    FAST(test_lock, "test_lock($module, lock)\n--\n\n"
                    "Try to acquire `lock`: return False when it was acquired, True when it\n"
                    "was held already."),
    FAST(clear_lock, "clear_lock($module, lock)\n--\n\nRelease the distributed lock `lock`."),
    FAST(my_pe, "my_pe($module)\n--\n\nReturn the number of this PE."),
    FAST(n_pes, "n_pes($module)\n--\n\nReturn the number of PEs of the job."),
    FAST(collective, "Internal: the data collectives (see shmem.broadcast & co.)."),
    FAST(alltoalls, "Internal: strided all-to-all (see shmem.alltoalls)."),
    FAST(reduce, "Internal: the reductions (see shmem.reduce)."),
    FAST(scan, "Internal: the prefix sums (see shmem.sum_inscan, shmem.sum_exscan)."),
    {nullptr, nullptr, 0, nullptr}};

// ---- Layout checks at import -------------------------------------------------------
void check_numpy_layout(nb::module_ &np) {
  nb::object arr = np.attr("arange")(6, nb::arg("dtype") = "i8").attr("reshape")(2, 3);
  auto *p = reinterpret_cast<NpArray *>(arr.ptr());
  nb::object ai = arr.attr("__array_interface__");
  uintptr_t data = nb::cast<uintptr_t>(ai["data"][0]);
  bool ok = reinterpret_cast<uintptr_t>(p->data) == data && p->nd == 2 && p->dims[0] == 2 &&
            p->dims[1] == 3 && p->strides[1] == 8 && p->descr == arr.attr("dtype").ptr() &&
            (p->flags & kCContig) && (p->flags & kWriteable);
  nb::object ro = arr.attr("copy")();
  ro.attr("flags").attr("writeable") = false;
  ok = ok && !(reinterpret_cast<NpArray *>(ro.ptr())->flags & kWriteable);
  nb::object tr = arr.attr("T");
  auto *pt = reinterpret_cast<NpArray *>(tr.ptr());
  ok = ok && (pt->flags & kFContig) && !(pt->flags & kCContig) &&
       pt->base == tr.attr("base").ptr();
  if (!ok)
    throw nb::import_error("shmem4py: this NumPy's array layout is not the one shmem4py "
                           "was written for");
}

} // namespace

NB_MODULE(_shmem, m) {
  m.doc() = "shmem4py's extension module: the C calls behind shmem4py.shmem.";
  build_tables();

  nb::module_ np = nb::module_::import_("numpy");
  g_ndarray = reinterpret_cast<PyTypeObject *>(np.attr("ndarray").ptr());
  Py_INCREF(g_ndarray);
  g_asarray = np.attr("asarray").inc_ref().ptr();
  g_empty = np.attr("empty").inc_ref().ptr();
  g_npbool = reinterpret_cast<PyTypeObject *>(np.attr("bool_").inc_ref().ptr());
  check_numpy_layout(np);
  for (char c : std::string("?bhilqBHILQefdgFDG")) {
    nb::object d = np.attr("dtype")(std::string(1, c));
    auto *nd = reinterpret_cast<NpDescr *>(d.ptr());
    if (nd->type != c)
      throw nb::import_error("shmem4py: this NumPy's dtype layout is not the one shmem4py "
                             "was written for");
    g_builtin_descr[static_cast<unsigned char>(c)] = d.inc_ref().ptr();
    // Does a scalar of this type hold its value where own_dtype_value reads
    // it?  Compared with the bytes of an array holding the same value.
    if (c == 'g' || c == 'G') continue;
    nb::object one = np.attr("array")(c == '?' ? nb::cast(true) : nb::cast(3), d);
    nb::object scalar = one.attr("reshape")(nb::tuple()).attr("__getitem__")(nb::tuple());
    const size_t size = nb::cast<size_t>(d.attr("itemsize"));
    g_scalar_direct[static_cast<unsigned char>(c)] =
        Py_TYPE(scalar.ptr()) == nd->typeobj &&
        std::memcmp(reinterpret_cast<const char *>(scalar.ptr()) + kScalarValueOffset,
                    reinterpret_cast<NpArray *>(one.ptr())->data, size) == 0;
  }

  g_shmem_error = PyErr_NewExceptionWithDoc(
      "shmem4py.shmem.ShmemError",
      "A failure the OpenSHMEM runtime reports (heap exhausted, a call before init or\n"
      "after finalize, a failed team split...).",
      PyExc_RuntimeError, nullptr);
  m.attr("ShmemError") = nb::handle(g_shmem_error);

  static PyType_Slot block_slots[] = {
      {Py_tp_doc, const_cast<char *>("The owner of one symmetric allocation.")},
      {Py_tp_repr, reinterpret_cast<void *>(block_repr)},
      {Py_tp_getset, block_getset},
      {Py_bf_getbuffer, reinterpret_cast<void *>(block_getbuffer)},
      {0, nullptr}};
  static PyType_Spec block_spec = {"shmem4py._shmem.Block", sizeof(BlockObject), 0,
                                   Py_TPFLAGS_DEFAULT, block_slots};
  g_block_type = reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&block_spec));
  if (!g_block_type) throw nb::python_error();
  m.attr("Block") = nb::handle(reinterpret_cast<PyObject *>(g_block_type));

  nb::class_<CtxData>(m, "CtxBase", "The C++ half of shmem.Ctx: a context handle and the "
                                    "size of its team.")
      .def(nb::init<>())
      .def("_set", [](CtxData &c, uintptr_t handle, int npes) {
        c.ctx = reinterpret_cast<shmem_ctx_t>(handle);
        c.npes = npes;
      })
      .def_prop_ro("_handle", [](CtxData &c) { return reinterpret_cast<uintptr_t>(c.ctx); });
  g_ctx_type = reinterpret_cast<PyTypeObject *>(nb::type<CtxData>().ptr());

  if (PyModule_AddFunctions(m.ptr(), g_methods) < 0) throw nb::python_error();

#ifdef SHMEM4PY_EXTERNAL
  m.attr("EXTERNAL") = true;
#else
  m.attr("EXTERNAL") = false;
#endif

  // ---- Setup ------------------------------------------------------------------------
  // requested and the result: THREAD values of Python (0..3).
  m.def("init", [](bool threads, int requested) -> int {
    // After the last finalize a new init starts a new life (OpenSHMEM 1.6),
    // where the library can: the earlier life's memory, teams and contexts
    // are gone.
    if (g_state == S_FINALIZED && !library_nests())
      raise(g_shmem_error, "init(): shmem4py cannot be initialized again after finalize() "
                           "(the OpenSHMEM library it was built with is older than 1.6)");
    if (requested < 0 || requested > 3) raise(PyExc_ValueError, "init(): bad thread level");
    int provided = SHMEM_THREAD_SINGLE;
    if (g_state == S_FINALIZED) ++g_life;
    if (g_state != S_ACTIVE || library_nests()) {
      int rc = 0;
      {
        nb::gil_scoped_release nogil;
        if (threads)
          rc = shmem_init_thread(kThreadC[requested], &provided);
        else
          shmem_init();
      }
      if (rc != 0) raise(g_shmem_error, "init_thread(): shmem_init_thread failed (return code %d)", rc);
    }
    ++g_init_depth;
    shmem_query_thread(&provided);
    g_me = shmem_my_pe();
    g_npes = shmem_n_pes();
    g_state = S_ACTIVE;
    return thread_level(provided);
  });
  m.def("finalize", []() {
    if (g_state == S_FINALIZED) return;
    if (g_state == S_NEW) raise(g_shmem_error, "finalize(): shmem4py is not initialized");
    if (g_init_depth > 1) { // an inner finalize: a barrier, nothing ends
      --g_init_depth;
      nb::gil_scoped_release nogil;
      if (library_nests())
        shmem_finalize();
      else
        shmem_barrier_all();
      return;
    }
    {
      nb::gil_scoped_release nogil;
      shmem_finalize();
    }
    g_init_depth = 0;
    g_held_locks.clear();
    g_state = S_FINALIZED;
  });
  m.def("state", []() { return g_state; });
  m.def("query_initialized", []() -> bool {
#if SHMEM4PY_HAVE_QUERY_INIT
    if (AVAILABLE(shmem_query_initialized)) {
      int initialized = 0;
      shmem_query_initialized(&initialized);
      return initialized != 0;
    }
#endif
    raise(PyExc_NotImplementedError, "query_initialized(): shmem_query_initialized "
                                     "(OpenSHMEM 1.6) is not available in the OpenSHMEM "
                                     "library shmem4py was built with");
  });
  m.def("query_thread", []() {
    require_active("query_thread");
    int provided;
    shmem_query_thread(&provided);
    return thread_level(provided);
  });
  m.def("global_exit", [](int status) {
    nb::gil_scoped_release nogil;
    shmem_global_exit(status);
  });
  m.def("info_get_version", []() {
    int major = 0, minor = 0;
    shmem_info_get_version(&major, &minor);
    return nb::make_tuple(major, minor);
  });
  m.def("info_get_name", []() {
    char name[SHMEM_MAX_NAME_LEN + 1] = {};
    shmem_info_get_name(name);
    return std::string(name);
  });
  m.attr("MAJOR_VERSION") = SHMEM_MAJOR_VERSION;
  m.attr("MINOR_VERSION") = SHMEM_MINOR_VERSION;
  m.attr("VENDOR_STRING") = SHMEM_VENDOR_STRING;
  m.attr("MAX_NAME_LEN") = SHMEM_MAX_NAME_LEN;
  m.def("pe_accessible", [](int pe) {
    require_active("pe_accessible");
    return pe >= 0 && pe < g_npes && shmem_pe_accessible(pe) != 0;
  });
  m.def("pcontrol", [](int level) {
#if SHMEM4PY_HAVE_PCONTROL
    if (AVAILABLE(shmem_pcontrol)) shmem_pcontrol(level);
#else
    (void)level; // profiling control is optional: without it, nothing to do
#endif
  });

  // ---- Symmetric heap ---------------------------------------------------------------
  m.def("alloc", [](size_t nbytes, size_t align, long hints, bool clear) -> nb::object {
    require_active("alloc");
    void *p = nullptr;
    // At least one byte, as shmem4py 1.0 allocates: an empty block still
    // has an address, with the alignment asked for (the C routines return
    // NULL for size 0).
    const size_t ask = nbytes ? nbytes : 1;
    // A block cleared after the allocation's barrier would wipe a peer's
    // first put that landed before: where the clearing is ours (aligned or
    // hinted blocks; every block with another OpenSHMEM, whose calloc may
    // clear after its barrier), a barrier follows it.
#ifdef SHMEM4PY_EXTERNAL
    const bool clear_here = clear;
#else
    const bool clear_here = clear && (align || hints);
#endif
    {
      nb::gil_scoped_release nogil;
      if (align)
        p = shmem_align(align, ask);
#if SHMEM4PY_HAVE_MALLOC_HINTS
      else if (hints && AVAILABLE(shmem_malloc_with_hints))
        p = shmem_malloc_with_hints(ask, (hints & 1 ? SHMEM_MALLOC_ATOMICS_REMOTE : 0) |
                                             (hints & 2 ? SHMEM_MALLOC_SIGNAL_REMOTE : 0));
#endif
      else if (clear && !clear_here)
        p = shmem_calloc(1, ask);
      else
        p = shmem_malloc(ask);
      if (p && clear_here) {
        std::memset(p, 0, ask);
        shmem_barrier_all();
      }
    }
    (void)hints;
    if (!p)
      raise(g_shmem_error,
            "alloc(): the symmetric heap has no room for %zu bytes (raise "
            "SHMEM_SYMMETRIC_SIZE)",
            nbytes);
    PyObject *b = new_block(p, static_cast<Py_ssize_t>(nbytes));
    if (!b) throw nb::python_error();
    return nb::steal(b);
  });
  m.def("owner", [](nb::handle o) -> nb::object {
    BlockObject *b = owner_of(o.ptr());
    if (!b && PyObject_CheckBuffer(o.ptr()) && !PyMemoryView_Check(o.ptr())) {
      // e.g. a memoryview of a memoryview: ask NumPy for the array's base chain
      nb::object arr = nb::borrow(g_asarray)(o);
      b = owner_of(arr.ptr());
    }
    if (!b) return nb::none();
    return nb::borrow(reinterpret_cast<PyObject *>(b));
  });
  m.def("free", [](nb::handle block) {
    require_active("free");
    if (Py_TYPE(block.ptr()) != g_block_type) raise(PyExc_TypeError, "free(): not a Block");
    auto *b = reinterpret_cast<BlockObject *>(block.ptr());
    if (!block_live(b)) raise(PyExc_ValueError, "free(): the memory was freed already");
    b->live = 0;
    for (auto it = g_held_locks.begin(); it != g_held_locks.end();)
      it = (*it >= b->addr && *it < b->addr + b->size) ? g_held_locks.erase(it) : std::next(it);
    if (b->addr) {
      nb::gil_scoped_release nogil;
      shmem_free(b->addr);
    }
  });
  m.def("realloc", [](nb::handle block, size_t nbytes) -> nb::object {
    require_active("realloc");
    if (Py_TYPE(block.ptr()) != g_block_type) raise(PyExc_TypeError, "realloc(): not a Block");
    auto *b = reinterpret_cast<BlockObject *>(block.ptr());
    if (!block_live(b)) raise(PyExc_ValueError, "realloc(): the memory was freed already");
    void *p;
    {
      nb::gil_scoped_release nogil;
      const size_t ask = nbytes ? nbytes : 1; // as alloc: a block keeps an address
      p = b->addr ? shmem_realloc(b->addr, ask) : shmem_malloc(ask);
    }
    if (!p)
      raise(g_shmem_error,
            "realloc(): the symmetric heap has no room for %zu bytes (the old memory is "
            "unchanged)",
            nbytes);
    b->live = 0; // the old arrays may point at moved or released memory
    PyObject *nb2 = new_block(p, static_cast<Py_ssize_t>(nbytes));
    if (!nb2) throw nb::python_error();
    return nb::steal(nb2);
  });
  // team: 0 for shmem_ptr (pe a world PE), else shmem_team_ptr's team
  // (pe checked against the team's size by the caller).
  m.def("ptr", [](nb::handle array, size_t offset_lo, size_t nbytes, int pe,
                  uintptr_t team) -> nb::object {
    require_active("ptr");
    BlockObject *b = owner_of(array.ptr());
    if (pe < 0 || (!team && pe >= g_npes)) return nb::none();
    char *lo = reinterpret_cast<char *>(offset_lo);
    if (b ? !block_live(b) || lo < b->addr || lo + nbytes > b->addr + b->size
          : !in_symmetric_heap(lo, nbytes))
      return nb::none();
    void *r = nullptr;
    if (team) {
#if SHMEM4PY_HAVE_TEAM_PTR
      if (!AVAILABLE(shmem_team_ptr))
#endif
        raise(PyExc_NotImplementedError, "ptr(): shmem_team_ptr (OpenSHMEM 1.6) is not "
                                         "available in the OpenSHMEM library shmem4py was "
                                         "built with");
#if SHMEM4PY_HAVE_TEAM_PTR
      r = shmem_team_ptr(reinterpret_cast<shmem_team_t>(team), lo, pe);
#endif
    } else {
      r = shmem_ptr(lo, pe);
    }
    if (!r) return nb::none();
    PyObject *mv = PyMemoryView_FromMemory(static_cast<char *>(r), static_cast<Py_ssize_t>(nbytes),
                                           PyBUF_WRITE);
    if (!mv) throw nb::python_error();
    return nb::steal(mv);
  });
  m.def("addr_accessible", [](nb::handle array, int pe) {
    require_active("addr_accessible");
    BlockObject *b = owner_of(array.ptr());
    if (pe < 0 || pe >= g_npes) return false;
    if (!b) // memory from shmem4py.api (as in check_symmetric): the runtime decides
      return is_ndarray(array.ptr()) &&
             shmem_addr_accessible(reinterpret_cast<NpArray *>(array.ptr())->data, pe) != 0;
    if (!block_live(b) || !b->addr) return false;
    return shmem_addr_accessible(b->addr, pe) != 0;
  });

  // ---- Collectives, teams and contexts ------------------------------------------------
  m.def("barrier_all", []() {
    require_active("barrier_all");
    nb::gil_scoped_release nogil;
    shmem_barrier_all();
  });
  m.def("sync_all", []() {
    require_active("sync_all");
    nb::gil_scoped_release nogil;
    shmem_sync_all();
  });
  m.def("team_sync", [](uintptr_t team) {
    require_active("sync");
#if SHMEM4PY_HAVE_TEAM_SYNC
    if (AVAILABLE(shmem_team_sync)) {
      int rc;
      {
        nb::gil_scoped_release nogil;
        rc = shmem_team_sync(reinterpret_cast<shmem_team_t>(team));
      }
      if (rc != 0) raise(g_shmem_error, "sync(): shmem_team_sync failed (return code %d)", rc);
      return;
    }
#endif
    (void)team;
    raise(PyExc_NotImplementedError, "sync(): shmem_team_sync is not available in the "
                                     "OpenSHMEM library shmem4py was built with");
  });

  m.def("team_world", []() -> uintptr_t {
#if SHMEM4PY_HAVE_TEAMS
    return reinterpret_cast<uintptr_t>(SHMEM_TEAM_WORLD);
#else
    return 0;
#endif
  });
  m.def("team_shared", []() -> uintptr_t {
#if SHMEM4PY_HAVE_TEAMS
    return reinterpret_cast<uintptr_t>(SHMEM_TEAM_SHARED);
#else
    return 0;
#endif
  });
  m.def("ctx_default", []() { return reinterpret_cast<uintptr_t>(SHMEM_CTX_DEFAULT); });

  m.def("has", [](const std::string &what) -> bool {
#define HAS(NAME, HAVE, SYM)                                                   \
  if (what == NAME) return AVAILABLE_IF(HAVE, SYM);
    HAS("teams", SHMEM4PY_HAVE_TEAMS, shmem_team_split_strided)
    HAS("split_2d", SHMEM4PY_HAVE_TEAM_SPLIT_2D, shmem_team_split_2d)
    HAS("team_sync", SHMEM4PY_HAVE_TEAM_SYNC, shmem_team_sync)
    HAS("ctx", SHMEM4PY_HAVE_CTX, shmem_ctx_create)
    HAS("team_ctx", SHMEM4PY_HAVE_TEAM_CTX, shmem_team_create_ctx)
    HAS("ctx_get_team", SHMEM4PY_HAVE_CTX_GET_TEAM, shmem_ctx_get_team)
    HAS("signal", SHMEM4PY_HAVE_SIGNAL, shmem_signal_fetch)
    HAS("collectives", SHMEM4PY_HAVE_TEAM_COLL, shmem_broadcastmem)
    HAS("reductions", SHMEM4PY_HAVE_TEAM_REDUCE, shmem_int_sum_reduce)
    HAS("ibput", SHMEM4PY_HAVE_IBPUT, shmem_ctx_int_ibput)
    HAS("signal_add", SHMEM4PY_HAVE_SIGNAL_ADD, shmem_ctx_signal_add)
    HAS("pe_quiet", SHMEM4PY_HAVE_PE_QUIET, shmem_ctx_pe_quiet)
    HAS("query_initialized", SHMEM4PY_HAVE_QUERY_INIT, shmem_query_initialized)
    HAS("session", SHMEM4PY_HAVE_SESSION, shmem_ctx_session_start)
    HAS("scan", SHMEM4PY_HAVE_SCAN, shmem_int_sum_inscan)
    HAS("team_ptr", SHMEM4PY_HAVE_TEAM_PTR, shmem_team_ptr)
#undef HAS
    return false;
  });

#if SHMEM4PY_HAVE_TEAMS
  m.def("team_my_pe", [](uintptr_t t) {
    require_routine("Team.my_pe", AVAILABLE(shmem_team_my_pe),
                    "Team.my_pe(): not available");
    return shmem_team_my_pe(reinterpret_cast<shmem_team_t>(t));
  });
  m.def("team_n_pes", [](uintptr_t t) {
    require_routine("Team.n_pes", AVAILABLE(shmem_team_n_pes),
                    "Team.n_pes(): not available");
    return shmem_team_n_pes(reinterpret_cast<shmem_team_t>(t));
  });
  m.def("team_get_config", [](uintptr_t t) {
    require_routine("Team.get_config", AVAILABLE(shmem_team_get_config),
                    "Team.get_config(): not available");
    shmem_team_config_t cfg{};
    int rc = shmem_team_get_config(reinterpret_cast<shmem_team_t>(t), SHMEM_TEAM_NUM_CONTEXTS, &cfg);
    if (rc != 0) raise(g_shmem_error, "Team.get_config(): shmem_team_get_config failed (return code %d)", rc);
    return cfg.num_contexts;
  });
  m.def("team_translate_pe", [](uintptr_t src, int pe, uintptr_t dst) {
    require_routine("Team.translate_pe", AVAILABLE(shmem_team_translate_pe),
                    "Team.translate_pe(): not available");
    return shmem_team_translate_pe(reinterpret_cast<shmem_team_t>(src), pe,
                                   reinterpret_cast<shmem_team_t>(dst));
  });
  m.def("team_split_strided", [](uintptr_t parent, int start, int stride, int size,
                                 int num_contexts) {
    require_routine("split_strided", AVAILABLE(shmem_team_split_strided),
                    "Team.split_strided(): shmem_team_split_strided is "
                    "not available in the OpenSHMEM library shmem4py "
                    "was built with");
    shmem_team_config_t cfg{};
    cfg.num_contexts = num_contexts;
    shmem_team_t t = SHMEM_TEAM_INVALID;
    int rc;
    {
      nb::gil_scoped_release nogil;
      rc = shmem_team_split_strided(reinterpret_cast<shmem_team_t>(parent), start, stride,
                                    size, &cfg, num_contexts >= 0 ? SHMEM_TEAM_NUM_CONTEXTS : 0,
                                    &t);
    }
    return nb::make_tuple(rc, reinterpret_cast<uintptr_t>(t));
  });
  m.def("team_destroy", [](uintptr_t t) {
    require_routine("Team.destroy", AVAILABLE(shmem_team_destroy),
                    "Team.destroy(): not available");
    nb::gil_scoped_release nogil;
    shmem_team_destroy(reinterpret_cast<shmem_team_t>(t));
  });
#else
  for (const char *name : {"team_my_pe", "team_n_pes", "team_get_config", "team_translate_pe",
                           "team_split_strided", "team_destroy"})
    m.def(name, [](nb::args) {
      raise(PyExc_NotImplementedError, "teams (OpenSHMEM 1.5) are not available in the "
                                       "OpenSHMEM library shmem4py was built with");
    });
#endif
#if SHMEM4PY_HAVE_TEAM_SPLIT_2D
  m.def("team_split_2d", [](uintptr_t parent, int xrange, int xnc, int ync) {
    require_routine("split_2d", AVAILABLE(shmem_team_split_2d),
                    "Team.split_2d(): shmem_team_split_2d is not "
                    "available in the OpenSHMEM library shmem4py was "
                    "built with");
    shmem_team_config_t xc{}, yc{};
    xc.num_contexts = xnc;
    yc.num_contexts = ync;
    shmem_team_t x = SHMEM_TEAM_INVALID, y = SHMEM_TEAM_INVALID;
    int rc;
    {
      nb::gil_scoped_release nogil;
      rc = shmem_team_split_2d(reinterpret_cast<shmem_team_t>(parent), xrange, &xc,
                               xnc >= 0 ? SHMEM_TEAM_NUM_CONTEXTS : 0, &x, &yc,
                               ync >= 0 ? SHMEM_TEAM_NUM_CONTEXTS : 0, &y);
    }
    return nb::make_tuple(rc, reinterpret_cast<uintptr_t>(x), reinterpret_cast<uintptr_t>(y));
  });
#else
  m.def("team_split_2d", [](nb::args) {
    raise(PyExc_NotImplementedError, "Team.split_2d(): shmem_team_split_2d is not available "
                                     "in the OpenSHMEM library shmem4py was built with");
  });
#endif
  // options: CTX flags of Python (SERIALIZED 1, PRIVATE 2, NOSTORE 4).
  m.def("ctx_create", [](long py_options, uintptr_t team) -> nb::tuple {
    require_active("Ctx.create");
    const long options = (py_options & 1 ? SHMEM_CTX_SERIALIZED : 0) |
                         (py_options & 2 ? SHMEM_CTX_PRIVATE : 0) |
                         (py_options & 4 ? SHMEM_CTX_NOSTORE : 0);
    shmem_ctx_t c = SHMEM_CTX_INVALID;
    int rc = -1;
    if (team) {
      if (!AVAILABLE_IF(SHMEM4PY_HAVE_TEAM_CTX, shmem_team_create_ctx))
        raise(PyExc_NotImplementedError, "Ctx.create(): shmem_team_create_ctx is not available");
#if SHMEM4PY_HAVE_TEAM_CTX
      rc = shmem_team_create_ctx(reinterpret_cast<shmem_team_t>(team), options, &c);
#endif
    } else {
      if (!AVAILABLE_IF(SHMEM4PY_HAVE_CTX, shmem_ctx_create))
        raise(PyExc_NotImplementedError, "Ctx.create(): shmem_ctx_create is not available");
#if SHMEM4PY_HAVE_CTX
      rc = shmem_ctx_create(options, &c);
#endif
    }
    return nb::make_tuple(rc, reinterpret_cast<uintptr_t>(c));
  });
  m.def("ctx_destroy", [](uintptr_t c) {
    require_routine("Ctx.destroy", AVAILABLE_IF(SHMEM4PY_HAVE_CTX, shmem_ctx_destroy),
                    "Ctx.destroy(): shmem_ctx_destroy is not available");
#if SHMEM4PY_HAVE_CTX
    shmem_ctx_destroy(reinterpret_cast<shmem_ctx_t>(c));
#else
    (void)c;
#endif
  });
  m.def("ctx_get_team", [](uintptr_t c) -> uintptr_t {
    require_routine("Ctx.get_team", AVAILABLE_IF(SHMEM4PY_HAVE_CTX_GET_TEAM, shmem_ctx_get_team),
                    "Ctx.get_team(): shmem_ctx_get_team is not available");
#if SHMEM4PY_HAVE_CTX_GET_TEAM
    shmem_team_t t = SHMEM_TEAM_INVALID;
    int rc = shmem_ctx_get_team(reinterpret_cast<shmem_ctx_t>(c), &t);
    return rc == 0 ? reinterpret_cast<uintptr_t>(t) : 0;
#else
    (void)c;
    return 0;  // not reached: require_routine raised
#endif
  });
  m.def("fence_all", []() { shmem_fence(); });
  // Sessions (1.6).  options: CTX_SESSION flags of Python (BATCH 1);
  // total_ops < 0: not given (the config's mask leaves it out).
  m.def("ctx_session_start", [](uintptr_t c, long py_options, long long total_ops) {
    require_active("Ctx.session_start");
#if SHMEM4PY_HAVE_SESSION
    if (AVAILABLE(shmem_ctx_session_start)) {
      shmem_ctx_session_config_t cfg{};
      cfg.total_ops = total_ops < 0 ? 0 : static_cast<size_t>(total_ops);
      shmem_ctx_session_start(reinterpret_cast<shmem_ctx_t>(c),
                              py_options & 1 ? SHMEM_CTX_SESSION_BATCH : 0, &cfg,
                              total_ops < 0 ? 0 : SHMEM_CTX_SESSION_TOTAL_OPS);
      return;
    }
#endif
    (void)c, (void)py_options, (void)total_ops;
    raise(PyExc_NotImplementedError, "Ctx.session_start(): shmem_ctx_session_start "
                                     "(OpenSHMEM 1.6) is not available in the OpenSHMEM "
                                     "library shmem4py was built with");
  });
  m.def("ctx_session_stop", [](uintptr_t c) {
    require_active("Ctx.session_stop");
#if SHMEM4PY_HAVE_SESSION
    if (AVAILABLE(shmem_ctx_session_stop)) {
      shmem_ctx_session_stop(reinterpret_cast<shmem_ctx_t>(c));
      return;
    }
#endif
    (void)c;
    raise(PyExc_NotImplementedError, "Ctx.session_stop(): shmem_ctx_session_stop "
                                     "(OpenSHMEM 1.6) is not available in the OpenSHMEM "
                                     "library shmem4py was built with");
  });
}
