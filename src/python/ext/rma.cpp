// rma.cpp - put and get: contiguous, strided, blocked strided (1.6),
// non-blocking, and the single elements p and g.
#include "ext.hpp"

namespace shmem4py {
namespace {

enum RmaKind { R_PUT, R_GET, R_PUT_NBI, R_GET_NBI };

// The remote side of a put is its target, of a get its source: that one must
// be symmetric over the bytes it spans, the other any live memory.
inline bool remote_and_local(bool is_put, const Arr &t, size_t tbytes, const Arr &src,
                             size_t sbytes, const char *fn) {
  return is_put ? check_symmetric(t, tbytes, fn, "target") && check_local(src, fn, "source")
                : check_symmetric(src, sbytes, fn, "source") && check_local(t, fn, "target");
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
  if (!remote_and_local(is_put, t, bytes, src, bytes, fn)) return nullptr;
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
  if (!remote_and_local(is_put, t, tbytes, src, sbytes, fn)) return nullptr;
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
  if (!remote_and_local(is_put, t, tbytes, src, sbytes, fn)) return nullptr;
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

} // namespace

PyMethodDef rma_methods[] = {
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
    {nullptr, nullptr, 0, nullptr}};

} // namespace shmem4py
