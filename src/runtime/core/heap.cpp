// core/heap.cpp - first fit over an ordered free list, with coalescing.
#include "heap.hpp"

#include <atomic>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>

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
    fatal(routine, "%p is not in the symmetric heap", ptr);
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
    fatal(routine, "%p was not returned by shmem_malloc (or was freed already)", ptr);
  size_t len = it->second;
  used_blocks.erase(it);
  add_free(off, len);
}

void *resize(const char *routine, void *ptr, size_t size) {
  size_t off, len, want = round_up(size ? size : 1, kMinAlign);
  {
    std::lock_guard<std::mutex> lk(mtx);
    off = offset_of(routine, ptr);
    auto it = used_blocks.find(off);
    if (it == used_blocks.end())
      fatal(routine, "%p was not returned by shmem_malloc (or was freed already)", ptr);
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

// Each PE publishes (sequence, size, alignment) of its request in its
// control block (two alternating records, since a barrier separates
// consecutive requests); after the barrier that every allocation ends with,
// each PE compares its request with PE 0's.
void check_symmetric(const char *routine, size_t size, size_t alignment) {
  uint64_t seq = ++request_seq;
  uint64_t *mine = &g.my_ctrl()->team[0].scratch[(seq & 1) * 3];
  mine[0] = seq;
  mine[1] = size;
  mine[2] = alignment;
  team_sync(&team_world);
  const uint64_t *root = &g.ctrl[0]->team[0].scratch[(seq & 1) * 3];
  if (root[0] != seq || root[1] != size || root[2] != alignment)
    fatal(routine,
          "symmetric allocation out of step: this PE asked for %zu bytes (alignment "
          "%zu), PE 0 for %llu bytes (alignment %llu); every PE must make the same "
          "allocations in the same order",
          size, alignment, (unsigned long long)root[1], (unsigned long long)root[2]);
}

} // namespace shmemi::heap
