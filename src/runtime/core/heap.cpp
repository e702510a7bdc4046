// core/heap.cpp - first fit over an ordered free list, with coalescing.
#include "heap.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>

#include "call_id.hpp"
#include "route.hpp"
#include "state.hpp"
#include "team.hpp"

namespace shmemi::heap {
namespace {

constexpr size_t kMinAlign = 64; // cache line: no false sharing between blocks
std::map<size_t, size_t> free_blocks; // offset -> bytes
std::map<size_t, size_t> used_blocks; // offset -> bytes
std::mutex mtx;
uint64_t request_seq = 0;

size_t round_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

void add_free(size_t off, size_t len) {
  auto next = free_blocks.lower_bound(off);
  if (next != free_blocks.end() && off + len == next->first) {
    len += next->second;
    next = free_blocks.erase(next);
  }
  if (next != free_blocks.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == off) {
      prev->second += len;
      return;
    }
  }
  free_blocks.emplace(off, len);
}

size_t offset_of(const char *routine, const void *ptr) {
  const char *p = static_cast<const char *>(ptr);
  if (!g.heap.contains(p, 1))
    fatal(routine, "ptr %p is not in the symmetric heap", ptr);
  return static_cast<size_t>(p - g.heap.local);
}

} // namespace

void init(size_t begin, size_t end) {
  std::lock_guard<std::mutex> lk(mtx);
  free_blocks.clear();
  used_blocks.clear();
  if (end > begin) free_blocks.emplace(begin, end - begin);
}

void *alloc(const char *, size_t alignment, size_t size) {
  std::lock_guard<std::mutex> lk(mtx);
  if (alignment < kMinAlign) alignment = kMinAlign;
  // Alignment is computed on heap offsets; the heap base is aligned to
  // kHeapBaseAlign, so larger alignments cannot be symmetric.
  if (size > g.heap.size || alignment > kHeapBaseAlign) return nullptr;
  size_t len = round_up(size ? size : 1, kMinAlign);
  for (auto it = free_blocks.begin(); it != free_blocks.end(); ++it) {
    size_t start = round_up(it->first, alignment);
    size_t lead = start - it->first;
    if (lead + len > it->second) continue;
    size_t blk_off = it->first, blk_len = it->second;
    free_blocks.erase(it);
    if (lead) free_blocks.emplace(blk_off, lead);
    if (blk_len > lead + len) free_blocks.emplace(start + len, blk_len - lead - len);
    used_blocks.emplace(start, len);
    return g.heap.local + start;
  }
  return nullptr;
}

void release(const char *routine, void *ptr) {
  std::lock_guard<std::mutex> lk(mtx);
  size_t off = offset_of(routine, ptr);
  auto it = used_blocks.find(off);
  if (it == used_blocks.end())
    fatal(routine, "ptr %p was not returned by shmem_malloc (or was freed already)", ptr);
  size_t len = it->second;
  used_blocks.erase(it);
  add_free(off, len);
}

void *resize(const char *routine, void *ptr, size_t size) {
  if (size > g.heap.size) return nullptr;
  size_t off, len, want = round_up(size ? size : 1, kMinAlign);
  {
    std::lock_guard<std::mutex> lk(mtx);
    off = offset_of(routine, ptr);
    auto it = used_blocks.find(off);
    if (it == used_blocks.end())
      fatal(routine, "ptr %p was not returned by shmem_malloc (or was freed already)", ptr);
    len = it->second;
    if (want <= len) { // shrink in place
      if (want < len) {
        it->second = want;
        add_free(off + want, len - want);
      }
      return ptr;
    }
    auto next = free_blocks.find(off + len); // grow in place
    if (next != free_blocks.end() && len + next->second >= want) {
      size_t rest = len + next->second - want;
      free_blocks.erase(next);
      if (rest) free_blocks.emplace(off + want, rest);
      it->second = want;
      return ptr;
    }
  }
  void *fresh = alloc(routine, kMinAlign, size);
  if (!fresh) return nullptr;
  std::memcpy(fresh, ptr, len);
  release(routine, ptr);
  return fresh;
}

size_t block_size(const void *ptr) {
  std::lock_guard<std::mutex> lk(mtx);
  const char *p = static_cast<const char *>(ptr);
  if (!g.heap.contains(p, 1)) return 0;
  auto it = used_blocks.find(static_cast<size_t>(p - g.heap.local));
  return it == used_blocks.end() ? 0 : it->second;
}

void check_allocated(const char *routine, const void *ptr) {
  if (!g.heap.contains(static_cast<const char *>(ptr), 1))
    fatal(routine, "ptr %p is not in the symmetric heap (it was not returned by shmem_malloc)", ptr);
  if (block_size(ptr) == 0)
    fatal(routine, "ptr %p was not returned by shmem_malloc (or was freed already)", ptr);
}

// A heap request in words, for the diagnostics of agree().
void describe(char *out, size_t n, Op op, uint64_t a, uint64_t b) {
  const auto x = static_cast<unsigned long long>(a), y = static_cast<unsigned long long>(b);
  switch (op) {
  case Op::alloc:
    if (a == SIZE_MAX)
      snprintf(out, n, "an allocation whose size overflows (shmem_calloc)");
    else if (b)
      snprintf(out, n, "an allocation of %llu bytes aligned to %llu", x, y);
    else
      snprintf(out, n, "an allocation of %llu bytes", x);
    return;
  case Op::free: snprintf(out, n, "a free of the block at heap offset %llu", x); return;
  case Op::realloc:
    snprintf(out, n, "a reallocation to %llu bytes of the block at heap offset %llu", x, y);
    return;
  }
  snprintf(out, n, "an unknown heap request (code %llu, corrupt control block)",
           static_cast<unsigned long long>(op));
}

// Each PE publishes (sequence, operation, two arguments) of its request in
// its control block (two alternating records, since a barrier separates
// consecutive requests); after the barrier that every heap operation
// contains, each PE compares its request with every PE's.  The operation
// and its second argument (alignment, block offset) must agree; sizes may
// differ, as some programs size their blocks per PE (undefined in the spec,
// tolerated by the common implementations): every PE then takes the
// largest, so the heap stays symmetric.
uint64_t agree(const char *routine, Op op, uint64_t a, uint64_t b) {
  uint64_t seq = ++request_seq;
  uint64_t *mine_words = g.my_ctrl()->team[0].scratch;
  uint64_t *mine = &mine_words[(seq & 1) * 4];
  mine[0] = seq;
  mine[1] = static_cast<uint64_t>(op);
  mine[2] = a;
  mine[3] = b;
  team_sync(&team_world, call_kind(routine, CallClass::heap));
  uint64_t agreed = a;
  int odd = -1; // the first PE whose request differs from this PE's
  // PE pe's record, read word by word (route.hpp).
  auto record = [&](int pe, uint64_t which, uint64_t out[4]) {
    for (int k = 0; k < 4; ++k)
      out[k] = word_load<std::memory_order_relaxed>(pe, &mine_words[(which & 1) * 4 + k]);
  };
  for (int pe = 0; pe < g.npes; ++pe) {
    uint64_t rec[4];
    record(pe, seq, rec);
    bool same = rec[0] == seq && rec[1] == mine[1] && rec[3] == b &&
                (op != Op::free || rec[2] == a);
    if (same) {
      if (rec[2] > agreed) agreed = rec[2];
    } else if (odd < 0) {
      odd = pe;
    }
  }
  if (odd < 0) return agreed;
  // Agreement is an equivalence, so PE 0 sees every mismatch that any PE
  // sees: it alone reports, so that the diagnosis is the same whichever PE
  // gets there first.  The others wait for the launcher to end the job.
  if (g.me != 0) {
    sleep(5);
    fatal(routine, "symmetric heap operations out of step with PE %d's (see PE 0's message)",
          odd);
  }
  uint64_t rec[4];
  record(odd, seq, rec);
  char mine_text[160], theirs_text[160];
  describe(mine_text, sizeof mine_text, op, a, b);
  if (rec[0] != seq) {
    // The peer published no record of this request: it reached the same
    // barrier from another call (shmem_barrier_all, a collective) or has
    // made another number of heap calls.
    uint64_t other[4];
    record(odd, seq + 1, other);
    unsigned long long last = rec[0] > other[0] ? rec[0] : other[0];
    fatal(routine,
          "symmetric heap calls out of step: this PE makes %s (its heap call number "
          "%llu), while PE %d is in no heap call (it has made %llu heap calls; it is in "
          "shmem_barrier_all or another collective); every PE must make the same "
          "allocations and frees in the same order",
          mine_text, (unsigned long long)seq, odd, last);
  }
  describe(theirs_text, sizeof theirs_text, static_cast<Op>(rec[1]), rec[2], rec[3]);
  fatal(routine,
        "symmetric heap calls out of step: this PE makes %s, PE %d makes %s; every PE "
        "must make the same allocations and frees in the same order",
        mine_text, odd, theirs_text);
}

uint64_t offset_in_heap(const void *ptr) {
  return static_cast<uint64_t>(static_cast<const char *>(ptr) - g.heap.local);
}

} // namespace shmemi::heap
