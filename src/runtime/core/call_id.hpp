// core/call_id.hpp - the identity of a collective call, so that PEs that
// enter different collectives are diagnosed at once instead of pairing one
// call's synchronization with another's (and computing garbage).
//
// A call kind is 32 bits: the routine's name, as the offset of its string
// literal from an anchor in this library (the same in every PE that runs
// the same library file, whatever the load address), and a class.  Calls of
// one class match each other whatever their names: pure synchronizations
// (barrier_all, sync_all, team_sync, the active-set barrier and sync,
// finalize's barrier) are interchangeable in this implementation, and the
// symmetric heap routines run their own, more precise check of what each PE
// asks for (heap::agree).  Other calls match only the same routine.
//
// Every synchronization of a collective publishes (epoch, kind) where the
// PE it signals in the barrier's first round reads it; each PE compares
// what its first-round signaller published with its own.  Equality along
// that ring (PE i checks PE i-1) implies equality over the whole team, so
// one compare per barrier covers every member.
#pragma once
#include <cstdint>

#include "state.hpp"

struct shmemi_team;

namespace shmemi {

enum class CallClass : uint32_t { own = 0, sync = 1, heap = 2 };

extern const char call_anchor[];
constexpr uint32_t kNameBits = 29;
constexpr int64_t kNameBias = int64_t{1} << (kNameBits - 1);

SHMEMI_HOT uint32_t call_kind(const char *routine, CallClass c = CallClass::own) {
  int64_t off = (routine - call_anchor) + kNameBias;
  if (off <= 0 || off >= (int64_t{1} << kNameBits)) off = 0; // not ours: nameless
  return (static_cast<uint32_t>(c) << kNameBits) | static_cast<uint32_t>(off);
}
SHMEMI_HOT uint32_t call_key(uint32_t kind) {
  return (kind >> kNameBits) ? (kind & ~((uint32_t{1} << kNameBits) - 1)) : kind;
}
SHMEMI_HOT bool same_call(uint32_t a, uint32_t b) { return call_key(a) == call_key(b); }

// The routine named by a kind that PE `pe` published ("?" when that PE
// runs another build of the library).
const char *call_name(uint32_t kind, int pe);
void call_id_init(); // publishes this library's fingerprint

// A team barrier found its first-round signaller (world PE `from`) in
// another collective: report both calls and end the job.
[[noreturn]] void collective_mismatch(const shmemi_team *t, int from, uint32_t mine,
                                      uint32_t theirs);
// The same for an active set (PE_start, stride, size) synchronizing through
// pSync; `other_set` when the peer is on another active set or pSync.
[[noreturn]] void active_set_mismatch(int start, int stride, int size, const long *psync,
                                      int from, uint32_t mine, uint32_t theirs,
                                      bool other_set);

// "SHMEM_TEAM_WORLD", "SHMEM_TEAM_SHARED" or a description of a split team.
void team_name(const shmemi_team *t, char *buf, size_t n);

} // namespace shmemi
