// heap.cpp - the symmetric heap: the Block type that owns each symmetric
// allocation, and alloc, free, realloc, ptr and addr_accessible.
#include "ext.hpp"

namespace shmem4py {
namespace {

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

} // namespace

PyObject *new_block(void *addr, Py_ssize_t size) {
  auto *b = PyObject_New(BlockObject, g_block_type);
  if (!b) return nullptr;
  b->addr = static_cast<char *>(addr);
  b->size = size;
  b->live = 1;
  b->life = g_life;
  return reinterpret_cast<PyObject *>(b);
}

PyTypeObject *make_block_type() {
  static PyType_Slot block_slots[] = {
      {Py_tp_doc, const_cast<char *>("The owner of one symmetric allocation.")},
      {Py_tp_repr, reinterpret_cast<void *>(block_repr)},
      {Py_tp_getset, block_getset},
      {Py_bf_getbuffer, reinterpret_cast<void *>(block_getbuffer)},
      {0, nullptr}};
  static PyType_Spec block_spec = {"shmem4py._shmem.Block", sizeof(BlockObject), 0,
                                   Py_TPFLAGS_DEFAULT, block_slots};
  return reinterpret_cast<PyTypeObject *>(PyType_FromSpec(&block_spec));
}

void def_heap(nb::module_ &m) {
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
}

} // namespace shmem4py
