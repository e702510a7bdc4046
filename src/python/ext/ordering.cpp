// ordering.cpp - completion and ordering (fence, quiet, pe_quiet) and the
// distributed locks.
#include "ext.hpp"

namespace shmem4py {
namespace {

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

} // namespace

PyMethodDef ordering_methods[] = {
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
    {nullptr, nullptr, 0, nullptr}};

} // namespace shmem4py
