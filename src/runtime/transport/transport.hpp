// transport/transport.hpp - the one interface between the core and the
// transports, chosen at run time and routed per PE.
//
// A transport moves bytes and does atomics at (PE, region, offset): the
// region is one of the symmetric regions (the heap, the program's data),
// the offset is from that region's start on the target PE, so no address
// of this process ever crosses the interface.  Operations carry the
// context they belong to, so that a transport with operations in flight
// tracks their completion per context (quiet) and per PE (pe_quiet).
//
// Routing (core/route.hpp): a PE whose memory this process maps (the shm
// transport: every PE of the node) is reached by loads, stores and CPU
// atomics directly - the core's and shmem_inline.h's fast paths, which
// never call through this table; every other PE goes to the network
// transport (g.net), which part 2 of the design adds (MPI-3 RMA).  The shm
// transport implements the table too: the core's generic paths call it
// for a PE that is mapped but not load/store reachable, which is also how
// SHMEMI_NETWORK_LOOPBACK=1 tests the routed paths on one node.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

struct shmemi_ctx;

namespace shmemi {

enum class RegionId : uint8_t { heap = 0, data = 1 };
constexpr int kRegions = 2;

// The AMOs of the specification, on 32- and 64-bit integers and (fetch,
// set, swap) floating-point values.
enum class AmoOp : uint8_t { fetch, set, swap, compare_swap, fetch_add, fetch_and, fetch_or, fetch_xor };
enum class TypeCode : uint8_t { i32, i64, u32, u64, f32, f64 };

template <class T> constexpr TypeCode type_code() {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8, "AMOs are on 32- and 64-bit types");
  if constexpr (std::is_floating_point_v<T>)
    return sizeof(T) == 4 ? TypeCode::f32 : TypeCode::f64;
  else if constexpr (std::is_signed_v<T>)
    return sizeof(T) == 4 ? TypeCode::i32 : TypeCode::i64;
  else
    return sizeof(T) == 4 ? TypeCode::u32 : TypeCode::u64;
}
constexpr size_t type_size(TypeCode t) {
  return t == TypeCode::i32 || t == TypeCode::u32 || t == TypeCode::f32 ? 4 : 8;
}

// A collective that a transport runs on its own (MPI's, on a team's
// communicator), nonblocking.  Reductions and scans count elements of a
// kind and size; the other collectives count bytes per member.
enum class Coll : uint8_t { allreduce, inscan, exscan, broadcast, allgather, allgatherv, alltoall };
enum class ElemKind : uint8_t { signed_int, unsigned_int, real, complex };
enum class ReduceOp : uint8_t { band, bor, bxor, max, min, sum, prod };
struct CollCall {
  Coll what;
  const void *source; // null: in place (dest holds this member's part)
  void *dest;
  size_t count;
  const int *counts = nullptr, *displs = nullptr; // allgatherv, in bytes
  int root = 0;                                   // broadcast, a member number
  ElemKind kind = ElemKind::unsigned_int;
  int size = 1;
  ReduceOp op = ReduceOp::sum;
};
// One collective in flight (room for an MPI_Request).
struct CollRequest {
  alignas(8) unsigned char opaque[16];
};

struct Transport {
  const char *name;

  // Contexts: a transport may keep completion state per context (created
  // with it; destroy completes its operations first).
  void (*ctx_create)(shmemi_ctx *ctx);
  void (*ctx_destroy)(shmemi_ctx *ctx);

  // RMA.  The blocking forms return once src may be reused (put) or dst
  // holds the data (get); a put is complete at the target after quiet.
  // The nbi forms may return at once: quiet on their context completes them.
  void (*put)(shmemi_ctx *ctx, int pe, RegionId rg, size_t off, const void *src, size_t bytes);
  void (*get)(shmemi_ctx *ctx, int pe, RegionId rg, size_t off, void *dst, size_t bytes);
  void (*put_nbi)(shmemi_ctx *ctx, int pe, RegionId rg, size_t off, const void *src,
                  size_t bytes);
  void (*get_nbi)(shmemi_ctx *ctx, int pe, RegionId rg, size_t off, void *dst, size_t bytes);

  // AMOs, sequentially consistent: operand, cond and result hold one value
  // of `type`; result (the old value) may be null for a non-fetching one.
  void (*amo)(shmemi_ctx *ctx, int pe, RegionId rg, size_t off, AmoOp op, TypeCode type,
              const void *operand, const void *cond, void *result);

  // 64-bit synchronization words (barriers, collectives, locks, signals),
  // outside any context: a store or add is ordered after this PE's earlier
  // operations to the same PE (release), a load before its later ones
  // (acquire).  Waits are on this PE's own words; progress() lets a
  // transport that needs it move its operations while this PE waits.
  void (*sync_store)(int pe, RegionId rg, size_t off, uint64_t value);
  uint64_t (*sync_add)(int pe, RegionId rg, size_t off, uint64_t value); // the old value
  uint64_t (*sync_load)(int pe, RegionId rg, size_t off);
  void (*progress)();

  // Ordering and completion: per context (null: every context), and per PE.
  void (*fence)(shmemi_ctx *ctx);
  void (*quiet)(shmemi_ctx *ctx);
  void (*pe_quiet)(shmemi_ctx *ctx, int pe);

  // A pointer for loads and stores to (pe, rg, off), or null.  Optional
  // (null where the transport has no such PEs).
  void *(*peer_ptr)(int pe, RegionId rg, size_t off);

  // Collectives of the transport's own (optional: null where it has none,
  // and the core runs its algorithms over the routines above).  A team
  // handle is the transport's group of the team's members: the world's,
  // or one made by team_split, collective over the parent's members, per
  // color (color < 0: this PE is in none; null), ranked by key.
  void *(*team_world)();
  void *(*team_split)(void *parent, int color, int key);
  void (*team_free)(void *team);
  void (*coll_start)(void *team, const CollCall &call, CollRequest *req);
  bool (*coll_test)(CollRequest *req); // true once the collective is done
};

} // namespace shmemi
