// core/collectives.cpp - groups, synchronization through pSync, and the
// data-movement collectives (see collectives.hpp).
#include "collectives.hpp"

#include <atomic>
#include <cstdio>

#include "route.hpp"

namespace shmemi::coll {
namespace {

// pSync protocol of the active-set collectives.  Round k of the
// dissemination barrier ADDS one quantum to the partner's pSync[k]; the
// waiter waits until its pSync[k] holds at least one quantum above
// SHMEM_SYNC_VALUE and takes it back.  A fast partner that signals the next
// call early only leaves a quantum for that call, and every word returns to
// SHMEM_SYNC_VALUE once its signals are consumed, so pSync can be reused.
// Only whole quanta count, so a word at rest may also hold 0: a pSync in
// static storage that the program never set to SHMEM_SYNC_VALUE (some
// conformance tests and old programs do that, and other libraries accept
// it) works the same.  Any other value is diagnosed.
constexpr long kQuantum = 1L << 32;
constexpr int kSizeWord = SHMEM_SYNC_SIZE - 1; // collect: this PE's nelems
// The identity of the call (call_id.hpp) that the first-round signaller
// leaves in the receiver's pSync; the receiver puts SHMEM_SYNC_VALUE back
// once it has checked it, and a signaller one call ahead waits for that.
// Bits 32..62 hash the active set, so that PEs on different sets (or
// pSync arrays) sharing a word are told apart; never 0 or -1.
constexpr int kIdentWord = SHMEM_SYNC_SIZE - 2;

int rounds(int n) {
  int k = 0;
  for (int dist = 1; dist < n; dist <<= 1) ++k;
  return k;
}

bool at_rest(long v) { return v == SHMEM_SYNC_VALUE || v == 0; }

// At rest, plus the quanta of signals not yet taken.
bool psync_word_ok(long v) {
  return v >= SHMEM_SYNC_VALUE && at_rest(SHMEM_SYNC_VALUE + (v - SHMEM_SYNC_VALUE) % kQuantum);
}

long set_ident(const Group &gr) {
  uint64_t h = static_cast<uint64_t>(gr.start) * 0x9E3779B1u ^
               static_cast<uint64_t>(gr.stride) * 0x85EBCA77u ^ static_cast<uint64_t>(gr.n);
  h = (h ^ (h >> 29)) & 0x7fffffffu;
  return static_cast<long>((h << 32) | gr.kind | (gr.kind ? 0 : 1));
}

void psync_barrier(const Group &gr) {
  const int n = gr.n;
  const long ident = set_ident(gr);
  for (int round = 0, dist = 1; dist < n; ++round, dist <<= 1) {
    const int to = gr.world((gr.me + dist) % n);
    auto describe = [&](char *b, size_t len) {
      int log = 0;
      while ((1 << log) < gr.stride) ++log;
      snprintf(b, len,
               "%s(PE_start=%d, logPE_stride=%d, PE_size=%d, pSync=%p), waiting for PE %d "
               "(barrier round %d)",
               gr.routine, gr.start, log, gr.n, (void *)gr.psync,
               gr.world((gr.me - dist % n + n) % n), round);
    };
    if (round == 0) {
      long *slot = &gr.psync[kIdentWord]; // the partner's copy
      wait_for([&] { return at_rest(static_cast<long>(word_load(to, slot))); }, nullptr,
               describe);
      word_store<std::memory_order_relaxed>(to, slot, static_cast<uint64_t>(ident));
    }
    word_add(to, &gr.psync[round], static_cast<uint64_t>(kQuantum));
    std::atomic_ref<long> own(gr.psync[round]);
    wait_for([&] { return own.load(std::memory_order_acquire) >= SHMEM_SYNC_VALUE + kQuantum; },
             nullptr, describe);
    if (round == 0) {
      std::atomic_ref<long> mine(gr.psync[kIdentWord]);
      long got = mine.load(std::memory_order_relaxed);
      mine.store(SHMEM_SYNC_VALUE, std::memory_order_release);
      // A pSync that the program reset to SHMEM_SYNC_VALUE in between
      // carries no identity: nothing to check.
      if (!at_rest(got) && got != ident) {
        const uint32_t theirs = static_cast<uint32_t>(got);
        const bool other_set = (got >> 32) != (ident >> 32);
        if (other_set || !same_call(theirs, gr.kind))
          active_set_mismatch(gr.start, gr.stride, gr.n, gr.psync,
                              gr.world((gr.me - 1 + n) % n), gr.kind, theirs, other_set);
      }
    }
    own.fetch_sub(kQuantum, std::memory_order_acq_rel);
  }
}

// The exchange word (a count for collect): this PE's copy, and member i's.
uint64_t *size_word(const Group &gr) {
  if (gr.team) return &gr.team->my_words().scratch[scratch::kCollectCount];
  return reinterpret_cast<uint64_t *>(&gr.psync[kSizeWord]);
}
uint64_t size_of_member(const Group &gr, int i) {
  return word_load<std::memory_order_relaxed>(gr.world(i), size_word(gr));
}

bool overlaps(const void *a, size_t an, const void *b, size_t bn) {
  const char *x = static_cast<const char *>(a), *y = static_cast<const char *>(b);
  return an && bn && x < y + bn && y < x + an;
}

// Member order starting at this PE, so that the readers of one source are
// spread over time.
inline int rotated(const Group &gr, int k) { return (gr.me + k) % gr.n; }

} // namespace

Group team_group(const char *r, shmem_team_t team, CallClass c) {
  shmemi_team *t = begin_call(check_team(r, team));
  return Group{r, t->start, t->stride, t->size, t->my_pe, t, nullptr, call_kind(r, c)};
}

Group active_set(const char *r, int PE_start, int logPE_stride, int PE_size, long *pSync,
                 CallClass c) {
  require_init(r);
  if (PE_size < 1) fatal(r, "PE_size %d must be at least 1", PE_size);
  if (logPE_stride < 0 || logPE_stride > 30)
    fatal(r, "logPE_stride %d must be between 0 and 30", logPE_stride);
  if (PE_start < 0 || PE_start >= g.npes)
    fatal(r, "PE_start %d is out of range (the job has %d PEs)", PE_start, g.npes);
  const long stride = 1L << logPE_stride;
  const long last = PE_start + (PE_size - 1L) * stride;
  if (last >= g.npes)
    fatal(r,
          "the active set (PE_start %d, logPE_stride %d, PE_size %d) reaches PE %ld but "
          "the job has %d PEs",
          PE_start, logPE_stride, PE_size, last, g.npes);
  const long off = g.me - PE_start;
  if (off < 0 || off % stride != 0 || off / stride >= PE_size)
    fatal(r,
          "this PE (%d) is not in the active set (PE_start %d, logPE_stride %d, PE_size "
          "%d): only its members may call the routine",
          g.me, PE_start, logPE_stride, PE_size);
  if (!pSync) fatal(r, "pSync is NULL");
  if (!try_remote(pSync, SHMEM_SYNC_SIZE * sizeof(long), g.me))
    fatal(r,
          "pSync %p is not a symmetric array of SHMEM_SYNC_SIZE (%d) longs (allocate it "
          "with shmem_malloc, or use a global or static array)",
          (void *)pSync, SHMEM_SYNC_SIZE);
  if (reinterpret_cast<uintptr_t>(pSync) % alignof(long))
    fatal(r, "pSync %p is not aligned to a long", (void *)pSync);
  const int used = std::max(rounds(PE_size), 1);
  for (int k = 0; k < used; ++k) {
    long v = std::atomic_ref<long>(pSync[k]).load(std::memory_order_acquire);
    if (!psync_word_ok(v))
      fatal(r,
            "pSync is not initialized to SHMEM_SYNC_VALUE: pSync[%d] holds %ld (set every "
            "element to SHMEM_SYNC_VALUE and synchronize before the first use)",
            k, v);
  }
  // An active set of every PE is the world team: its collectives then
  // synchronize through the library's own words, so a pSync that some PE
  // initializes only just before the call cannot lose a signal.
  if (PE_start == 0 && PE_size == g.npes && (stride == 1 || PE_size == 1))
    return Group{r, 0, 1, g.npes, g.me, begin_call(&team_world), nullptr, call_kind(r, c)};
  return Group{r, PE_start, static_cast<int>(stride), PE_size, static_cast<int>(off / stride),
               nullptr, pSync, call_kind(r, c)};
}

void sync(const Group &gr) {
  if (gr.team)
    team_sync(gr.team, gr.kind);
  else
    psync_barrier(gr);
}

size_t bytes_of(const char *r, size_t nelems, size_t elem_size) {
  size_t b;
  if (__builtin_mul_overflow(nelems, elem_size, &b))
    fatal(r, "nelems %zu is too large (%zu-byte elements overflow size_t)", nelems,
          elem_size);
  return b;
}

void check_symmetric(const char *r, const char *what, const void *p, size_t bytes) {
  if (__builtin_expect(try_remote(p, bytes, g.me) != nullptr, 1)) return;
  const char *c = static_cast<const char *>(p);
  if (g.heap.contains(c, 1) || g.data.contains(c, 1))
    fatal(r, "%s %p: %zu bytes run past the end of its symmetric region (is nelems too "
             "large?)",
          what, p, bytes);
  fatal(r,
        "%s %p is not symmetric (allocate it with shmem_malloc, or use a global or "
        "static variable)",
        what, p);
}

void check_overlap(const char *r, const void *dest, size_t dbytes, const void *src,
                   size_t sbytes, bool allow_same) {
  if (!overlaps(dest, dbytes, src, sbytes)) return;
  if (allow_same && dest == src && dbytes == sbytes) return;
  if (allow_same)
    fatal(r, "dest %p and source %p overlap: they must be the same array or not overlap",
          dest, src);
  fatal(r, "dest %p (%zu bytes) and source %p (%zu bytes) overlap: they must not", dest,
        dbytes, src, sbytes);
}

size_t check_reduction(const char *r, const void *dest, const void *source, size_t count,
                       size_t elem_size) {
  const size_t bytes = bytes_of(r, count, elem_size);
  if (bytes) {
    check_symmetric(r, "dest", dest, bytes);
    check_symmetric(r, "source", source, bytes);
    check_overlap(r, dest, bytes, source, bytes, true);
  }
  return bytes;
}

int broadcast(const Group &gr, void *dest, const void *source, size_t bytes, int root,
              bool update_root) {
  const char *r = gr.routine;
  if (root < 0 || root >= gr.n)
    fatal(r, "PE_root %d is not a member (the %s has %d PEs, 0..%d)", root,
          gr.team ? "team" : "active set", gr.n, gr.n - 1);
  if (bytes) {
    check_symmetric(r, "dest", dest, bytes);
    check_symmetric(r, "source", source, bytes);
    // In place (dest == source) is a broadcast too: the root's copy is
    // already there.  A partial overlap would have the root rewrite its
    // source while peers read it.
    check_overlap(r, dest, bytes, source, bytes, true);
  }
  if (net::serves(gr.team) && net::broadcast(gr, dest, source, bytes, root, update_root))
    return 0;
  sync(gr);
  if (bytes && (gr.me != root || (update_root && dest != source)))
    get_from(r, nullptr, dest, source, bytes, gr.world(root));
  sync(gr);
  return 0;
}

int collect(const Group &gr, void *dest, const void *source, size_t elem_size,
            size_t nelems) {
  const char *r = gr.routine;
  const size_t bytes = bytes_of(r, nelems, elem_size);
  if (bytes) check_symmetric(r, "source", source, bytes);
  if (net::serves(gr.team) && net::collect(gr, dest, source, elem_size, nelems)) return 0;
  long rest = SHMEM_SYNC_VALUE; // this PE's count word at rest, given back at the end
  if (!gr.team) {
    rest = std::atomic_ref<long>(gr.psync[kSizeWord]).load(std::memory_order_relaxed);
    if (!at_rest(rest))
      fatal(r, "pSync is not initialized to SHMEM_SYNC_VALUE: pSync[%d] holds %ld",
            kSizeWord, rest);
  }
  std::atomic_ref<uint64_t>(*size_word(gr)).store(nelems, std::memory_order_relaxed);
  sync(gr);
  std::vector<size_t> off(gr.n + 1, 0);
  for (int i = 0; i < gr.n; ++i) {
    size_t c = size_of_member(gr, i);
    if (__builtin_add_overflow(off[i], bytes_of(r, c, elem_size), &off[i + 1]))
      fatal(r, "the collected elements overflow size_t");
  }
  const size_t total = off[gr.n];
  if (total) {
    check_symmetric(r, "dest", dest, total);
    check_overlap(r, dest, total, source, bytes, false);
  }
  for (int k = 0; k < gr.n; ++k) {
    int i = rotated(gr, k);
    size_t b = off[i + 1] - off[i];
    if (b) get_from(r, nullptr, static_cast<char *>(dest) + off[i], source, b, gr.world(i));
  }
  sync(gr);
  if (!gr.team)
    std::atomic_ref<long>(gr.psync[kSizeWord]).store(rest, std::memory_order_relaxed);
  return 0;
}

int fcollect(const Group &gr, void *dest, const void *source, size_t bytes) {
  const char *r = gr.routine;
  const size_t total = bytes_of(r, bytes, static_cast<size_t>(gr.n));
  if (bytes) {
    check_symmetric(r, "source", source, bytes);
    check_symmetric(r, "dest", dest, total);
    check_overlap(r, dest, total, source, bytes, false);
  }
  if (net::serves(gr.team) && net::fcollect(gr, dest, source, bytes)) return 0;
  sync(gr);
  if (bytes)
    for (int k = 0; k < gr.n; ++k) {
      int i = rotated(gr, k);
      get_from(r, nullptr, static_cast<char *>(dest) + i * bytes, source, bytes, gr.world(i));
    }
  sync(gr);
  return 0;
}

int alltoall(const Group &gr, void *dest, const void *source, size_t bytes) {
  const char *r = gr.routine;
  const size_t total = bytes_of(r, bytes, static_cast<size_t>(gr.n));
  if (bytes) {
    check_symmetric(r, "source", source, total);
    check_symmetric(r, "dest", dest, total);
    check_overlap(r, dest, total, source, total, false);
  }
  if (net::serves(gr.team) && net::alltoall(gr, dest, source, bytes)) return 0;
  sync(gr);
  if (bytes)
    for (int k = 0; k < gr.n; ++k) {
      int i = rotated(gr, k);
      get_from(r, nullptr, static_cast<char *>(dest) + i * bytes,
               static_cast<const char *>(source) + gr.me * bytes, bytes, gr.world(i));
    }
  sync(gr);
  return 0;
}

namespace {
template <size_t E>
void strided_copy(char *d, const char *s, ptrdiff_t dst, ptrdiff_t sst, size_t n,
                  size_t elem) {
  const size_t e = E ? E : elem;
  for (size_t k = 0; k < n; ++k)
    std::memcpy(d + static_cast<ptrdiff_t>(k) * dst * static_cast<ptrdiff_t>(e),
                s + static_cast<ptrdiff_t>(k) * sst * static_cast<ptrdiff_t>(e), E ? E : elem);
}
} // namespace

int alltoalls(const Group &gr, void *dest, const void *source, ptrdiff_t dst, ptrdiff_t sst,
              size_t elem, size_t nelems) {
  const char *r = gr.routine;
  if (dst < 1 || sst < 1)
    fatal(r, "the strides dst %td and sst %td must be at least 1", dst, sst);
  size_t count = bytes_of(r, nelems, static_cast<size_t>(gr.n)); // elements per side
  size_t dspan = 0, sspan = 0;
  if (count) {
    // The last element touched is (count - 1) * stride; its end bounds the object.
    dspan = bytes_of(r, bytes_of(r, count - 1, static_cast<size_t>(dst)) + 1, elem);
    sspan = bytes_of(r, bytes_of(r, count - 1, static_cast<size_t>(sst)) + 1, elem);
    check_symmetric(r, "source", source, sspan);
    check_symmetric(r, "dest", dest, dspan);
    if (dst == 1 && sst == 1) check_overlap(r, dest, dspan, source, sspan, false);
  }
  if (net::serves(gr.team) && net::alltoalls(gr, dest, source, dst, sst, elem, nelems))
    return 0;
  sync(gr);
  if (count)
    for (int k = 0; k < gr.n; ++k) {
      int i = rotated(gr, k);
      const size_t from = static_cast<size_t>(gr.me) * nelems * static_cast<size_t>(sst) * elem;
      char *d = static_cast<char *>(dest) +
                static_cast<size_t>(i) * nelems * static_cast<size_t>(dst) * elem;
      const char *s = try_remote(source, sspan, gr.world(i));
      if (!s) { // not mapped: element by element through the transport
        for (size_t k = 0; k < nelems; ++k)
          get_from(r, nullptr, d + k * static_cast<size_t>(dst) * elem,
                   static_cast<const char *>(source) + from + k * static_cast<size_t>(sst) * elem,
                   elem, gr.world(i));
        continue;
      }
      s += from;
      switch (elem) {
      case 1: strided_copy<1>(d, s, dst, sst, nelems, elem); break;
      case 2: strided_copy<2>(d, s, dst, sst, nelems, elem); break;
      case 4: strided_copy<4>(d, s, dst, sst, nelems, elem); break;
      case 8: strided_copy<8>(d, s, dst, sst, nelems, elem); break;
      case 16: strided_copy<16>(d, s, dst, sst, nelems, elem); break;
      default: strided_copy<0>(d, s, dst, sst, nelems, elem); break;
      }
    }
  sync(gr);
  return 0;
}

} // namespace shmemi::coll
