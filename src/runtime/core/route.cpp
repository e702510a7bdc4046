// core/route.cpp - per-PE routing: which PEs this PE reaches by loads and
// stores, which transport takes the others, and the out-of-line paths of
// every routed operation (see route.hpp).
#include "route.hpp"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "../transport/mpi/mpi.hpp"
#include "../transport/shm/shm.hpp"

namespace shmemi {
namespace {

std::vector<uint8_t> reach_table;
std::vector<const Transport *> via_table;

const Transport *transport_for(const char *r, int pe) {
  const Transport *t = g.via[pe];
  if (__builtin_expect(t == nullptr, 0))
    fatal(r,
          "PE %d is not on this node and this library has no network transport to reach it",
          pe);
  return t;
}

// The target of a routed operation as (region, offset); a call after
// shmem_finalize or an address that is not symmetric is diagnosed.
void where(const char *r, const void *addr, size_t bytes, int pe, const char *arg,
           RegionId *rg, size_t *off) {
  if (__builtin_expect(!locate(addr, bytes, rg, off), 0)) bad_address(r, addr, bytes, pe, arg);
}

// The library's own words are in the control block (heap) or are the
// user's pSync, both checked before use.
void where_word(const void *word, int pe, RegionId *rg, size_t *off) {
  if (!locate(word, 8, rg, off))
    fatal("shmem", "internal error: synchronization word %p for PE %d is not symmetric",
          word, pe);
}

} // namespace

void route_init() {
  // SHMEMI_NETWORK_LOOPBACK (for the tests) exercises the routed paths on
  // one machine, with the shm transport's table playing the network
  // transport: =1 treats every other PE as if it were on another node,
  // reached only through the interface; =amo keeps loads and stores to
  // every PE and sends only the AMOs (and sync-word adds) of the other PEs
  // through the interface, as a network transport that owns the atomics
  // of on-node PEs would.
  const char *loop = getenv("SHMEMI_NETWORK_LOOPBACK");
  const bool loop_all = loop && strcmp(loop, "1") == 0;
  const bool loop_amo = loop && strcmp(loop, "amo") == 0;
  if (loop && *loop && !loop_all && !loop_amo && strcmp(loop, "0") != 0)
    fatal("shmem_init", "SHMEMI_NETWORK_LOOPBACK=%s is not one of 0, 1, amo", loop);
  reach_table.assign(static_cast<size_t>(g.npes), kReachAll);
  via_table.assign(static_cast<size_t>(g.npes), &shm::ops);
  g.net = nullptr;
  g.all_load_store = true;
  if (g.npes > 1 && (loop_all || loop_amo)) {
    g.net = &shm::ops;
    g.all_load_store = false;
    for (int pe = 0; pe < g.npes; ++pe) {
      if (pe == g.me) continue;
      if (loop_amo) {
        reach_table[pe] = kReachLoadStore;
        continue;
      }
      reach_table[pe] = 0;
      g.heap.peer[pe] = nullptr;
      g.data.peer[pe] = nullptr;
    }
  }
  bool every_pe_mapped = true;
  for (int pe = 0; pe < g.npes; ++pe) every_pe_mapped = every_pe_mapped && g.heap.peer[pe];
  if (mpi::active() && !every_pe_mapped) {
    // The PEs this PE maps (its node's, and itself) by loads and stores,
    // the others through MPI.  Every AMO goes through MPI: it must see every
    // read-modify-write of a word that PEs of other nodes update through
    // it.  (A job whose PEs are all mapped here is a one-node job: the
    // defaults above, the CPU's atomics and no network transport.)
    g.net = &mpi::ops;
    g.all_load_store = false;
    via_table.assign(static_cast<size_t>(g.npes), &mpi::ops);
    for (int pe = 0; pe < g.npes; ++pe) reach_table[pe] = g.heap.peer[pe] ? kReachLoadStore : 0;
  }
  g.reach = reach_table.data();
  g.via = via_table.data();
}

void net_progress() {
  if (g.net && g.net->progress) g.net->progress();
}

bool locate(const void *addr, size_t bytes, RegionId *rg, size_t *off) {
  const char *p = static_cast<const char *>(addr);
  if (g.heap.contains(p, bytes)) {
    *rg = RegionId::heap;
    *off = static_cast<size_t>(p - g.heap.local);
    return true;
  }
  if (g.data.contains(p, bytes)) {
    *rg = RegionId::data;
    *off = static_cast<size_t>(p - g.data.local);
    return true;
  }
  return false;
}

void routed_put(const char *r, shmemi_ctx *ctx, void *dest, const void *src, size_t bytes,
                int pe, bool nbi) {
  RegionId rg;
  size_t off;
  where(r, dest, bytes, pe, "dest", &rg, &off);
  const Transport *t = transport_for(r, pe);
  (nbi ? t->put_nbi : t->put)(ctx, pe, rg, off, src, bytes);
}

void routed_get(const char *r, shmemi_ctx *ctx, void *dest, const void *src, size_t bytes,
                int pe, bool nbi) {
  RegionId rg;
  size_t off;
  where(r, src, bytes, pe, "source", &rg, &off);
  const Transport *t = transport_for(r, pe);
  (nbi ? t->get_nbi : t->get)(ctx, pe, rg, off, dest, bytes);
}

void misaligned(const char *r, const char *arg, const void *addr, size_t align) {
  fatal(r, "%s: atomic target %p is not aligned to %zu bytes", arg, addr, align);
}

void routed_amo(const char *r, shmemi_ctx *ctx, const void *dest, int pe, const char *arg,
                AmoOp op, TypeCode type, const void *operand, const void *cond, void *result) {
  const size_t size = type_size(type);
  RegionId rg;
  size_t off;
  where(r, dest, size, pe, arg, &rg, &off);
  // Regions start page-aligned on every PE: alignment here is alignment there.
  // (size is 4 or 8: a mask, not a division, on this path of every AMO.)
  if (reinterpret_cast<uintptr_t>(dest) & (size - 1)) misaligned(r, arg, dest, size);
  transport_for(r, pe)->amo(ctx, pe, rg, off, op, type, operand, cond, result);
}

void routed_sync_store(int pe, const void *word, uint64_t v) {
  RegionId rg;
  size_t off;
  where_word(word, pe, &rg, &off);
  transport_for("shmem", pe)->sync_store(pe, rg, off, v);
}

uint64_t routed_sync_add(int pe, const void *word, uint64_t v) {
  RegionId rg;
  size_t off;
  where_word(word, pe, &rg, &off);
  return transport_for("shmem", pe)->sync_add(pe, rg, off, v);
}

uint64_t routed_sync_load(int pe, const void *word) {
  RegionId rg;
  size_t off;
  where_word(word, pe, &rg, &off);
  return transport_for("shmem", pe)->sync_load(pe, rg, off);
}

} // namespace shmemi
