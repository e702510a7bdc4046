// core/heap.hpp - the symmetric heap allocator.
//
// Allocation is collective and deterministic: every PE runs the same
// allocator over the same offsets, so a block has the same offset from each
// PE's heap base.  Each request is also checked against PE 0's (same size,
// same alignment) so that a PE allocating out of step is reported instead
// of corrupting memory.
#pragma once
#include <cstddef>
#include <cstdint>

namespace shmemi::heap {

void init(size_t begin, size_t end);         // offsets within the heap segment
void *alloc(const char *routine, size_t alignment, size_t size); // local, no barrier
void release(const char *routine, void *ptr);                    // local, no barrier
void *resize(const char *routine, void *ptr, size_t size);       // local, no barrier
size_t block_size(const void *ptr);           // 0 when not an allocated block
void check_allocated(const char *routine, const void *ptr); // diagnosed when not
enum class Op : uint64_t { alloc = 1, free = 2, realloc = 3 };
// Collective: a barrier, then a check that every PE made the same request
// (op, b); returns the largest a (the size) over the PEs.
uint64_t agree(const char *routine, Op op, uint64_t a, uint64_t b);
uint64_t offset_in_heap(const void *ptr);

} // namespace shmemi::heap
