// core/call_id.cpp - naming collective calls and reporting mismatches.
#include "call_id.hpp"

#include <atomic>
#include <cstdio>

#include "route.hpp"
#include "team.hpp"

namespace shmemi {

const char call_anchor[] = "shmem4py collective call anchor";

namespace {
// Differs between builds of the library: the distance from the anchor to
// a function's code.
uint64_t fingerprint() {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&collective_mismatch) -
                               reinterpret_cast<uintptr_t>(call_anchor)) ^
         (sizeof(Control) << 48);
}

void order(int a, uint32_t ka, int b, uint32_t kb, int *p0, uint32_t *k0, int *p1,
           uint32_t *k1) {
  if (a <= b) {
    *p0 = a, *k0 = ka, *p1 = b, *k1 = kb;
  } else {
    *p0 = b, *k0 = kb, *p1 = a, *k1 = ka;
  }
}
} // namespace

void call_id_init() {
  std::atomic_ref<uint64_t>(g.my_ctrl()->lib_fingerprint)
      .store(fingerprint(), std::memory_order_release);
}

const char *call_name(uint32_t kind, int pe) {
  const uint32_t off = kind & ((uint32_t{1} << kNameBits) - 1);
  if (off == 0) return "a routine outside the library";
  if (pe != g.me && word_load(pe, &g.my_ctrl()->lib_fingerprint) != fingerprint())
    return "a collective of another build of the library";
  return call_anchor + (static_cast<int64_t>(off) - kNameBias);
}

void team_name(const shmemi_team *t, char *buf, size_t n) {
  if (t == &team_world)
    snprintf(buf, n, "SHMEM_TEAM_WORLD");
  else if (t == &team_shared)
    snprintf(buf, n, "SHMEM_TEAM_SHARED");
  else
    snprintf(buf, n, "the team of %d PEs (world PEs %d, %d, ... stride %d)", t->size,
             t->start, t->start + t->stride, t->stride);
}

void collective_mismatch(const shmemi_team *t, int from, uint32_t mine, uint32_t theirs) {
  char team[128];
  team_name(t, team, sizeof team);
  int p0, p1;
  uint32_t k0, k1;
  order(g.me, mine, from, theirs, &p0, &k0, &p1, &k1);
  fatal(call_name(mine, g.me),
        "collective mismatch on %s (call #%llu): PE %d is in %s, PE %d is in %s; every "
        "member of a team must make the same collective calls in the same order",
        team, (unsigned long long)t->calls, p0, call_name(k0, p0), p1, call_name(k1, p1));
}

void active_set_mismatch(int start, int stride, int size, const long *psync, int from,
                         uint32_t mine, uint32_t theirs, bool other_set) {
  int log = 0;
  while ((1 << log) < stride) ++log;
  int p0, p1;
  uint32_t k0, k1;
  order(g.me, mine, from, theirs, &p0, &k0, &p1, &k1);
  fatal(call_name(mine, g.me),
        "collective mismatch on the active set (PE_start %d, logPE_stride %d, PE_size %d) "
        "with pSync %p: PE %d is in %s, PE %d is in %s%s; every member of an active set "
        "must make the same collective calls in the same order",
        start, log, size, (const void *)psync, p0, call_name(k0, p0), p1, call_name(k1, p1),
        other_set ? " (on another active set or pSync)" : "");
}

} // namespace shmemi
