// core/control.hpp - the control block at the start of every PE's heap
// segment: the words peers touch to synchronize (init, barriers, team
// collectives, locks).  Its layout is identical in every PE.
#pragma once
#include <cstddef>
#include <cstdint>

namespace shmemi {

constexpr int kMaxTeams = 64;        // team slots (WORLD, SHARED, splits)
constexpr int kMaxRounds = 32;       // dissemination rounds: log2(max PEs)
constexpr size_t kCacheLine = 64;
constexpr size_t kControlBytes = 2u << 20; // reserved; heap starts after
constexpr size_t kHeapBaseAlign = size_t(1) << 30; // largest symmetric alignment

struct alignas(kCacheLine) PaddedU64 {
  uint64_t value;
  char pad[kCacheLine - sizeof(uint64_t)];
};

// A dissemination barrier's signal word.  In round 0 the signaller also
// leaves the identity of its collective call (see core/call_id.hpp) in the
// same cache line, so the receiver checks it at no extra miss.  Two
// identities, by epoch parity: a signaller can be one barrier ahead.
struct alignas(kCacheLine) BarrierWord {
  uint64_t value;
  uint64_t ident[2];
  char pad[kCacheLine - 3 * sizeof(uint64_t)];
};

// Per-team synchronization words, indexed by team slot.
struct TeamSync {
  BarrierWord barrier[kMaxRounds]; // dissemination barrier epochs, per round
  PaddedU64 coll_arrive;         // collectives: "my source is ready" epoch
  PaddedU64 coll_done;           // collectives: "I have read the sources" epoch
  uint64_t scratch[64];          // small per-team collective scratch
};

struct Control {
  uint64_t magic;                 // kReady once the segment is set up
  uint64_t data_size;             // bytes of the symmetric data region
  alignas(kCacheLine) uint64_t init_arrived; // on PE 0: PEs that mapped all
  alignas(kCacheLine) uint64_t finalizing;   // this PE has entered shmem_finalize
  uint64_t finalized;                        // ... and left: kLeftBy*
  alignas(kCacheLine) TeamSync team[kMaxTeams];
  // Identifies the library build, so that peers decode each other's call
  // identities only when they run the same one (core/call_id.hpp).
  uint64_t lib_fingerprint;
  // The hang watchdog (SHMEM_HANG_TIMEOUT): where this PE has been waiting,
  // published once a wait has lasted the timeout; `what` is guarded by
  // `version` (odd while it is being written).
  alignas(kCacheLine) uint64_t wait_since_ns; // 0: not waiting that long
  uint64_t wait_version;
  uint64_t hang_reported;                     // on PE 0: a PE is reporting
  char wait_what[256];
};
static_assert(sizeof(Control) <= kControlBytes, "control block too large");

constexpr uint64_t kLeftByFinalize = 1; // shmem_finalize
constexpr uint64_t kLeftByExit = 2;     // exit() without shmem_finalize
constexpr uint64_t kReady = 0x5348454d34505931ull; // "SHEM4PY1"

} // namespace shmemi
