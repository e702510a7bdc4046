// module.cpp - the module `_shmem`: NumPy's layout checked at import, the
// exception type, the method tables of every family, setup and queries.
// ext.hpp says how the extension is laid out.
#include "ext.hpp"

namespace shmem4py {
namespace {

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


PyMethodDef query_methods[] = {
    FAST(my_pe, "my_pe($module)\n--\n\nReturn the number of this PE."),
    FAST(n_pes, "n_pes($module)\n--\n\nReturn the number of PEs of the job."),
    {nullptr, nullptr, 0, nullptr}};

} // namespace
} // namespace shmem4py

using namespace shmem4py;

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

  g_block_type = make_block_type();
  if (!g_block_type) throw nb::python_error();
  m.attr("Block") = nb::handle(reinterpret_cast<PyObject *>(g_block_type));

  for (PyMethodDef *table : {rma_methods, amo_methods, sync_methods, ordering_methods,
                             collective_methods, query_methods})
    if (PyModule_AddFunctions(m.ptr(), table) < 0) throw nb::python_error();

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


  def_heap(m);
  def_teams(m);
}
