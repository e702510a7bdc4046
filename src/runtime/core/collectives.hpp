// core/collectives.hpp - collective algorithms for teams and for the
// deprecated active sets, written once over a Group of members.
//
// The algorithms pull: after a sync
// that says every source is ready, each PE reads what it needs straight
// from its peers' symmetric source buffers, and a final sync keeps every
// source unmodified until all peers have read it.  Reductions split the
// elements into one chunk per member; member i reduces chunk i over all
// sources (a block of a few KiB at a time, to stay in cache) and writes the
// block to every member's dest.  Chunks are disjoint and a block is read
// from every source before it is written to any dest, so dest == source
// works.  Every read and write of a peer's memory is routed per member
// (route.hpp): loads and stores where the member is mapped - the
// specialization that one node always takes - its transport otherwise.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <functional>
#include <utility>
#include <vector>

#include "call_id.hpp"
#include "coll_net.hpp"
#include "route.hpp"
#include "team_mgmt.hpp"

namespace shmemi::coll {

// The members of a collective: member i is world PE start + i * stride,
// this PE is member `me`.  Team collectives synchronize with the team's
// barrier and exchange words in the team's slot; active-set collectives
// synchronize through the user's pSync array.
struct Group {
  const char *routine;
  int start, stride, n, me;
  shmemi_team *team = nullptr;
  long *psync = nullptr;
  uint32_t kind = 0; // the call's identity (call_id.hpp), checked at every sync
  int world(int i) const { return start + i * stride; }
};

// A team's group; SHMEM_TEAM_INVALID and destroyed teams are diagnosed.
// Counts one collective call on the team.
Group team_group(const char *routine, shmem_team_t team, CallClass c = CallClass::own);
// An active set's group, with its checks: the set lies within the job, this
// PE is in it, pSync is symmetric and holds SHMEM_SYNC_VALUE.
Group active_set(const char *routine, int PE_start, int logPE_stride, int PE_size,
                 long *pSync, CallClass c = CallClass::own);

void sync(const Group &gr); // every member has arrived (no quiet)

// nelems * elem_size, diagnosed on overflow.
size_t bytes_of(const char *routine, size_t nelems, size_t elem_size);
// The object [p, p + bytes) must lie in one symmetric region of this PE.
void check_symmetric(const char *routine, const char *what, const void *p, size_t bytes);
// dest and source must not overlap (allow_same: dest == source exactly is fine).
void check_overlap(const char *routine, const void *dest, size_t dbytes, const void *src,
                   size_t sbytes, bool allow_same);

// update_root: the root's dest gets the data as well (1.5 teams); the
// deprecated active-set form leaves the root's dest alone.  dest may be
// source (in place) in both forms.
int broadcast(const Group &gr, void *dest, const void *source, size_t bytes, int root,
              bool update_root);
int collect(const Group &gr, void *dest, const void *source, size_t elem_size,
            size_t nelems);
int fcollect(const Group &gr, void *dest, const void *source, size_t bytes);
int alltoall(const Group &gr, void *dest, const void *source, size_t bytes);
int alltoalls(const Group &gr, void *dest, const void *source, ptrdiff_t dst, ptrdiff_t sst,
              size_t elem_size, size_t nelems);

// ---- Reductions --------------------------------------------------------
// Each operator, and its name for a transport's collectives.
struct op_and {
  static constexpr ReduceOp net = ReduceOp::band;
  template <class T> static T apply(T a, T b) { return static_cast<T>(a & b); }
};
struct op_or {
  static constexpr ReduceOp net = ReduceOp::bor;
  template <class T> static T apply(T a, T b) { return static_cast<T>(a | b); }
};
struct op_xor {
  static constexpr ReduceOp net = ReduceOp::bxor;
  template <class T> static T apply(T a, T b) { return static_cast<T>(a ^ b); }
};
struct op_max {
  static constexpr ReduceOp net = ReduceOp::max;
  template <class T> static T apply(T a, T b) { return b > a ? b : a; }
};
struct op_min {
  static constexpr ReduceOp net = ReduceOp::min;
  template <class T> static T apply(T a, T b) { return b < a ? b : a; }
};
struct op_sum {
  static constexpr ReduceOp net = ReduceOp::sum;
  template <class T> static T apply(T a, T b) { return static_cast<T>(a + b); }
};
struct op_prod {
  static constexpr ReduceOp net = ReduceOp::prod;
  template <class T> static T apply(T a, T b) { return static_cast<T>(a * b); }
};

// This member's chunk [lo, hi) of count elements: one chunk per member, in
// whole cache lines so that no two members write one line.
template <class T> std::pair<size_t, size_t> chunk_of(const Group &gr, size_t count) {
  constexpr size_t kLine = sizeof(T) >= 64 ? 1 : 64 / sizeof(T);
  size_t per = (count + gr.n - 1) / gr.n;
  per = (per + kLine - 1) / kLine * kLine;
  const size_t lo = std::min(count, per * static_cast<size_t>(gr.me));
  return {lo, std::min(count, lo + per)};
}

// The frame of the chunked collectives (reductions, prefix sums): the
// checks, the sync that says every source is ready, this member's chunk
// with every member's source and dest as pointers where they are mapped,
// the completion of routed puts, and the sync that keeps every source
// until all members have read it.  body(lo, hi, src, dst, mapped) does the
// chunk [lo, hi); mapped says that every src[i] and dst[i] is a pointer.
// The arguments of a reduction or prefix sum: dest and source symmetric,
// the same array or apart.  Returns their size in bytes.
size_t check_reduction(const char *routine, const void *dest, const void *source, size_t count,
                       size_t elem_size);

// A reduction or prefix sum on the team's network transport, where it
// serves the team (coll_net.hpp): true once done.
template <class T>
bool on_net(const Group &gr, Coll what, ReduceOp op, T *dest, const T *source, size_t count) {
  if (!net::serves(gr.team)) return false;
  check_reduction(gr.routine, dest, source, count, sizeof(T));
  return net::reduce(gr, what, dest, source, count, net::elem_kind<T>(), sizeof(T), op);
}

template <class T, class Body>
int chunked(const Group &gr, T *dest, const T *source, size_t count, Body body) {
  const size_t bytes = check_reduction(gr.routine, dest, source, count, sizeof(T));
  sync(gr);
  if (bytes) {
    const auto [lo, hi] = chunk_of<T>(gr, count);
    bool mapped = true;
    if (lo < hi) {
      std::vector<const T *> src(gr.n);
      std::vector<T *> dst(gr.n);
      for (int i = 0; i < gr.n; ++i) {
        src[i] = reinterpret_cast<const T *>(try_remote(source, bytes, gr.world(i)));
        dst[i] = reinterpret_cast<T *>(try_remote(dest, bytes, gr.world(i)));
        mapped = mapped && src[i] && dst[i];
      }
      body(lo, hi, src, dst, mapped);
    }
    // Puts through a transport complete before the sync says "done".
    if (!mapped) quiet(nullptr);
  }
  sync(gr);
  return 0;
}

// Elements go a block of a few KiB at a time, to stay in cache.
template <class T> constexpr size_t kBlock = sizeof(T) >= 4096 ? 1 : 4096 / sizeof(T);

template <class T, class Op>
int reduce(const Group &gr, T *dest, const T *source, size_t count) {
  const char *r = gr.routine;
  if (on_net(gr, Coll::allreduce, Op::net, dest, source, count)) return 0;
  return chunked<T>(gr, dest, source, count,
                    [&](size_t lo, size_t hi, const std::vector<const T *> &src,
                        const std::vector<T *> &dst, bool mapped) {
    constexpr size_t B = kBlock<T>;
    T tmp[B], in[B];
    for (size_t b = lo; b < hi; b += B) {
      const size_t m = std::min(B, hi - b);
      if (mapped) {
        std::memcpy(tmp, src[0] + b, m * sizeof(T));
        for (int i = 1; i < gr.n; ++i) {
          const T *s = src[i] + b;
          for (size_t k = 0; k < m; ++k) tmp[k] = Op::apply(tmp[k], s[k]);
        }
        for (int i = 0; i < gr.n; ++i) std::memcpy(dst[i] + b, tmp, m * sizeof(T));
      } else {
        get_from(r, nullptr, tmp, source + b, m * sizeof(T), gr.world(0));
        for (int i = 1; i < gr.n; ++i) {
          get_from(r, nullptr, in, source + b, m * sizeof(T), gr.world(i));
          for (size_t k = 0; k < m; ++k) tmp[k] = Op::apply(tmp[k], in[k]);
        }
        for (int i = 0; i < gr.n; ++i)
          put_to(r, nullptr, dest + b, tmp, m * sizeof(T), gr.world(i));
      }
    }
  });
}

// Prefix sums (1.6), split like the reductions: member m takes chunk m of
// the elements and, block by block, runs the sum through members 0..n-1 in
// order, writing each member's partial sum to that member's dest.  Each
// element is read once from every source and written once to every dest,
// so the data moved equals a reduction's and the work is balanced.  Within
// a block an element is read from a source before that member's dest is
// written, so dest == source works.
template <class T>
int scan(const Group &gr, T *dest, const T *source, size_t count, bool inclusive) {
  const char *r = gr.routine;
  if (on_net(gr, inclusive ? Coll::inscan : Coll::exscan, ReduceOp::sum, dest, source, count))
    return 0;
  return chunked<T>(gr, dest, source, count,
                    [&](size_t lo, size_t hi, const std::vector<const T *> &src,
                        const std::vector<T *> &dst, bool mapped) {
    constexpr size_t B = kBlock<T>;
    T acc[B], in[B];
    for (size_t b = lo; b < hi; b += B) {
      const size_t m = std::min(B, hi - b);
      std::fill(acc, acc + m, T{});
      for (int i = 0; i < gr.n; ++i) {
        if (mapped) {
          const T *s = src[i] + b;
          T *d = dst[i] + b;
          for (size_t k = 0; k < m; ++k) {
            const T v = s[k]; // read before d (maybe s) is written
            const T before = acc[k];
            acc[k] = op_sum::apply(acc[k], v);
            d[k] = inclusive ? acc[k] : before;
          }
        } else {
          get_from(r, nullptr, in, source + b, m * sizeof(T), gr.world(i));
          if (!inclusive) put_to(r, nullptr, dest + b, acc, m * sizeof(T), gr.world(i));
          for (size_t k = 0; k < m; ++k) acc[k] = op_sum::apply(acc[k], in[k]);
          if (inclusive) put_to(r, nullptr, dest + b, acc, m * sizeof(T), gr.world(i));
        }
      }
    }
  });
}

} // namespace shmemi::coll
