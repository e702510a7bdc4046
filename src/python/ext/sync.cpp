// sync.cpp - point-to-point synchronization: wait_until and test in every
// form, and the signals (fetch, wait, put with signal, add and set).
#include "ext.hpp"

namespace shmem4py {
namespace {

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
// wait).  describe(buf, size) writes what the wait is, for the hang
// watchdog: called only once the spin is over, as formatting costs more than
// a wait that is already satisfied (a pipeline's usual one).  False: an
// exception is set.
template <class Describe, class Done> bool wait_loop(Describe &&describe, Done &&done) {
  for (int i = 0; i < 32; ++i) {
    if (done()) return true;
    cpu_relax();
  }
  char what[192];
  describe(what, sizeof what);
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
  auto describe = [&](char *what, size_t size) {
    snprintf(what, size, "shmem.%s(%s=%p, %zu elements, cmp=%s) in Python", fn, ivname,
             static_cast<void *>(iv.data), n, cmp_member(cmp));
  };
  switch (form) {
  case W_ANY: ok = wait_loop(describe, [&] { return (r = test()) != SIZE_MAX; }); break;
  case W_SOME: ok = wait_loop(describe, [&] { return (r = test()) != 0; }); break;
  default: ok = wait_loop(describe, [&] { return test() != 0; }); break;
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
  auto describe = [&](char *what, size_t size) {
    snprintf(what, size, "shmem.signal_wait_until(signal=%p, cmp=%s, value=%llu) in Python",
             static_cast<void *>(sig), cmp_member(kCmpC[cmp]),
             static_cast<unsigned long long>(value));
  };
  if (!wait_loop(describe, [&] { return compare(seen = shmem_signal_fetch(sig), cmp, value); }))
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

} // namespace

PyMethodDef sync_methods[] = {
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
    {nullptr, nullptr, 0, nullptr}};

} // namespace shmem4py
