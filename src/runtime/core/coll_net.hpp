// core/coll_net.hpp - a team's collectives on its network transport's own
// (MPI's collectives on the team's communicator).
//
// In a job of several nodes, the core's algorithms would pay a round trip
// through the transport for every synchronization word and every pulled
// block; an MPI's collectives are built for that network (trees, rings,
// shared memory within a node).  So every team of more than one PE gets
// the transport's handle of its members (team.cpp, team_mgmt.cpp), and its
// barriers, broadcasts, collects, alltoalls, reductions and prefix sums go
// there.  What stays with the core: the active sets that are not the
// world, and a call whose counts MPI's int cannot hold.
//
// Each call starts with an agreement: one allreduce (MAX of every value
// and of its complement) of the call's identity, root and size, so that
// members in different collectives, or with different roots or sizes, are
// diagnosed by name as on one node, instead of pairing one call's messages
// with another's.  Every wait polls the transport's request from the
// library's wait loop: it yields, lets MPI progress and is seen by the
// hang watchdog like any other wait.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "../transport/transport.hpp"
#include "team.hpp"

namespace shmemi::coll {

struct Group;

namespace net {

// Whether the group's collectives go to the network transport.
inline bool serves(const shmemi_team *t) { return t && t->net; }

// The handles of a job's teams: made by teams_init and team splits,
// collective over the parent (color < 0: this PE is in no new team).
void teams_init(shmemi_team &world, shmemi_team &shared);
void team_made(shmemi_team *parent, shmemi_team *made, int color);
void team_ended(shmemi_team *t);

// A barrier of the team's members (team_sync on such a team).
void sync(shmemi_team *t, uint32_t kind);

// The data collectives, once the caller has checked its own arguments.
// false: the transport cannot take this call (a count beyond an int), and
// the caller runs the core's algorithm; every member decides alike.
bool broadcast(const Group &gr, void *dest, const void *source, size_t bytes, int root,
               bool update_root);
bool collect(const Group &gr, void *dest, const void *source, size_t elem_size,
             size_t nelems);
bool fcollect(const Group &gr, void *dest, const void *source, size_t bytes);
bool alltoall(const Group &gr, void *dest, const void *source, size_t bytes);
// Strided: packed into contiguous blocks, exchanged, unpacked.
bool alltoalls(const Group &gr, void *dest, const void *source, ptrdiff_t dst, ptrdiff_t sst,
               size_t elem_size, size_t nelems);
// Reductions (Coll::allreduce) and prefix sums (inscan, exscan) of count
// elements of one kind and size.
bool reduce(const Group &gr, Coll what, void *dest, const void *source, size_t count,
            ElemKind kind, int size, ReduceOp op);

template <class T> constexpr ElemKind elem_kind() {
  if constexpr (std::is_integral_v<T>)
    return std::is_signed_v<T> ? ElemKind::signed_int : ElemKind::unsigned_int;
  else if constexpr (std::is_floating_point_v<T>)
    return ElemKind::real;
  else
    return ElemKind::complex; // float _Complex, double _Complex
}

} // namespace net
} // namespace shmemi::coll
