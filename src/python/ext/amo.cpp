// amo.cpp - the atomic memory operations, blocking and non-blocking, and
// atomic_op & co. that take the operation as an argument.
#include "ext.hpp"

namespace shmem4py {
namespace {

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

} // namespace

PyMethodDef amo_methods[] = {
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
    {nullptr, nullptr, 0, nullptr}};

} // namespace shmem4py
