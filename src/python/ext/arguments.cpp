// arguments.cpp - the checks and conversions of ext.hpp that are not
// inline: error helpers, and the slow paths of integers, dtypes, symmetry
// and values (the fast paths are inline in ext.hpp).
#include "ext.hpp"

namespace shmem4py {

// Whether the OpenSHMEM library nests init and finalize itself (1.6 and up);
// with an older one an inner finalize() is a barrier of shmem4py's own.
bool library_nests() {
  int major = 0, minor = 0;
  shmem_info_get_version(&major, &minor);
  return major > 1 || (major == 1 && minor >= 6);
}

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

bool intern_keys(Sig &s) {
  for (int i = 0; i < s.nparams; ++i) {
    s.keys[i] = PyUnicode_InternFromString(s.names[i]);
    if (!s.keys[i]) return false;
  }
  return true;
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

namespace {
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
} // namespace

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

namespace {
// Keep the single value of the size-1 array `arr` (of the array's dtype) in v.
void hold(PyObject *arr, const Arr &a, Value &v) {
  v.tmp = arr;
  v.ptr = reinterpret_cast<NpArray *>(arr)->data;
  if (a.itemsize <= sizeof(v.s.raw)) {
    std::memcpy(v.s.raw, v.ptr, a.itemsize);
    v.ptr = v.s.raw;
  }
}
} // namespace

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

namespace {
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
} // namespace

PyObject *amo_type_error(const char *fn, const char *arg, const Arr &a, uint32_t Entry::*mask,
                         int op) {
  std::string list = supported_list(mask, op);
  return fail(PyExc_TypeError, "%s(): argument '%s' has dtype %S, which %s does not support "
              "(supported: %s)",
              fn, arg, a.descr, fn, list.c_str());
}

} // namespace shmem4py
