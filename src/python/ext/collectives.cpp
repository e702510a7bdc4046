// collectives.cpp - the data collectives, reductions and prefix sums, called
// by the wrappers of shmem.py (which check the teams and roots).
#include "ext.hpp"

namespace shmem4py {
namespace {

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

} // namespace

PyMethodDef collective_methods[] = {
    FAST(collective, "Internal: the data collectives (see shmem.broadcast & co.)."),
    FAST(alltoalls, "Internal: strided all-to-all (see shmem.alltoalls)."),
    FAST(reduce, "Internal: the reductions (see shmem.reduce)."),
    FAST(scan, "Internal: the prefix sums (see shmem.sum_inscan, shmem.sum_exscan)."),
    {nullptr, nullptr, 0, nullptr}};

} // namespace shmem4py
