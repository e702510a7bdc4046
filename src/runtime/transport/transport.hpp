// transport/transport.hpp - the one interface between the core and a
// transport.  A transport provides, in its own namespace:
//   void   init(State &, const boot::Job &);  // map every PE's regions
//   void   finalize(State &);
//   void   put(void *dest, const void *src, size_t bytes, int pe);
//   void   get(void *dest, const void *src, size_t bytes, int pe);
//   T      amo<T>(Op, T *dest, T operand, T cond, int pe); // see shm.hpp
//   void   fence(); void quiet();
//   void  *peer_ptr(const void *addr, int pe); // load/store pointer or null
// The shm transport (one node, every heap mapped) is the default and is
// inlined into the API layer; the mpi transport will plug in behind the same
// names.
#pragma once
#include "shm/shm.hpp"

namespace shmemi {
namespace transport = shm;
}
