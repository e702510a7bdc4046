// api/heap.cpp - symmetric heap routines.  Allocation is collective: every
// routine that changes the heap ends (and free begins) with a barrier.
#include <cstring>

#include "../core/call_id.hpp"
#include "../core/heap.hpp"
#include "../core/team.hpp"

using namespace shmemi;

namespace {
void *collective_alloc(const char *routine, size_t alignment, size_t size, bool clear) {
  require_init(routine);
  begin_call(&team_world);
  // Every PE allocates the largest size any PE asked for (see heap::agree).
  size_t agreed = heap::agree(routine, heap::Op::alloc, size, alignment);
  void *p = agreed ? heap::alloc(routine, alignment, agreed) : nullptr;
  if (p && clear) std::memset(p, 0, agreed);
  team_sync(&team_world, call_kind(routine, CallClass::heap));
  return p;
}
} // namespace

extern "C" {

void *shmem_malloc(size_t size) { return collective_alloc("shmem_malloc", 0, size, false); }

void *shmem_calloc(size_t count, size_t size) {
  size_t total;
  if (__builtin_mul_overflow(count, size, &total)) {
    require_init("shmem_calloc");
    begin_call(&team_world);
    heap::agree("shmem_calloc", heap::Op::alloc, SIZE_MAX, 0);
    team_sync(&team_world, call_kind("shmem_calloc", CallClass::heap));
    return nullptr;
  }
  return collective_alloc("shmem_calloc", 0, total, true);
}

void *shmem_align(size_t alignment, size_t size) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0)
    fatal("shmem_align", "alignment %zu is not a power of two", alignment);
  return collective_alloc("shmem_align", alignment, size, false);
}

// Hints only permit optimizations; on one node every block already suits
// remote AMOs and signals, so every hint (known or not, as later versions
// of the specification may add some) allocates as shmem_malloc does.
void *shmem_malloc_with_hints(size_t size, long hints) {
  (void)hints;
  return collective_alloc("shmem_malloc_with_hints", 0, size, false);
}

void shmem_free(void *ptr) {
  require_init("shmem_free");
  if (!ptr) return;
  heap::check_allocated("shmem_free", ptr);
  begin_call(&team_world);
  heap::agree("shmem_free", heap::Op::free, heap::offset_in_heap(ptr), 0);
  heap::release("shmem_free", ptr);
}

void *shmem_realloc(void *ptr, size_t size) {
  if (!ptr) return shmem_malloc(size);
  if (size == 0) {
    shmem_free(ptr);
    return nullptr;
  }
  require_init("shmem_realloc");
  heap::check_allocated("shmem_realloc", ptr);
  begin_call(&team_world);
  size_t agreed = heap::agree("shmem_realloc", heap::Op::realloc, size,
                              heap::offset_in_heap(ptr)); // a barrier on entry
  void *p = heap::resize("shmem_realloc", ptr, agreed);
  team_sync(&team_world, call_kind("shmem_realloc", CallClass::heap));
  return p;
}

// Deprecated names.
void *shmalloc(size_t size) { return shmem_malloc(size); }
void shfree(void *ptr) { shmem_free(ptr); }
void *shrealloc(void *ptr, size_t size) { return shmem_realloc(ptr, size); }
void *shmemalign(size_t alignment, size_t size) { return shmem_align(alignment, size); }

} // extern "C"
