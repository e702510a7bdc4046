// transport/shm/shm.hpp - one-node transport over POSIX shared memory.
// Every PE maps every PE's segments, so put/get are memcpy and atomics are
// CPU atomics on the peer's memory.  The core reaches mapped PEs by loads
// and stores itself (core/route.hpp); the table `ops` is the same transport
// behind the interface, for the core's routed paths.
#pragma once
#include <vector>

#include "../../bootstrap/bootstrap.hpp"
#include "../../core/state.hpp"
#include "../transport.hpp"

namespace shmemi::shm {

// Maps every PE of the job (st.me and st.npes are set), or the PEs of
// `node` alone (ascending, this PE among them: the mpi transport's PEs of
// this node), and publishes the mappings in st.heap.peer and st.data.peer
// (null for a PE not mapped).
void init(State &st, const boot::Job &job, const std::vector<int> &node = {});
// This PE's regions alone, mapped by no other process: a PE whose peers
// are all reached through a network transport (the mpi transport's).  The
// heap is `heap` (heap_bytes() at kHeapBaseAlign), or mapped here if null.
size_t heap_bytes();
void init_local(State &st, char *heap = nullptr);
void finalize(State &st);
void privatize_after_fork();

// Every PE's regions as this process maps them, by RegionId: kept here
// whatever the routing publishes in State.
extern std::vector<char *> mapped[kRegions];

extern const Transport ops;

} // namespace shmemi::shm
