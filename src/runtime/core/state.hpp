// core/state.hpp - the state of this PE: who it is, where every PE's
// symmetric regions are mapped, and the diagnostics every routine uses.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "control.hpp"

// Hot-path helpers are small; the compiler must not out-of-line them.
#define SHMEMI_HOT inline __attribute__((always_inline))

namespace shmemi {

// A symmetric region: the same object lives at `local` in this PE and at
// `peer[pe]` in this PE's mapping of PE pe's copy.  Bases differ between PEs
// (address-space randomization), so remote addresses are always computed by
// offset from the local base.
struct Region {
  char *local = nullptr;
  size_t size = 0;
  std::vector<char *> peer;
  bool contains(const void *p, size_t bytes) const {
    size_t off = static_cast<size_t>(static_cast<const char *>(p) - local);
    return off < size && bytes <= size - off;
  }
};

struct Transport; // transport/transport.hpp

// How this PE reaches each PE (State::reach): RMA by loads and stores
// (Region::peer[pe] is set exactly then), AMOs by CPU atomics (a network
// transport may own the atomics even of PEs it can load and store).
// Anything a PE's flags leave out goes through the PE's transport.
constexpr uint8_t kReachLoadStore = 1;
constexpr uint8_t kReachAmo = 2;
constexpr uint8_t kReachAll = kReachLoadStore | kReachAmo;
// Before shmem_init (one PE, no regions): every call takes the routed path,
// which diagnoses it.
inline constexpr uint8_t kNoReach[1] = {0};
inline const Transport *const kNoVia[1] = {nullptr};

struct State {
  std::atomic<bool> initialized{false};
  bool finalized = false;
  int me = 0;
  int npes = 1;
  int thread_level = 0;
  Region heap;                 // control block + user heap, one segment per PE
  Region data;                 // the program's data and bss (size 0 if off)
  size_t heap_user_offset = 0; // user allocations start here
  // Routing (core/route.cpp): reach[pe] holds kReach* flags; what they
  // leave out goes to via[pe], the transport of PE pe (null: none reaches it).
  const uint8_t *reach = kNoReach;
  const Transport *const *via = kNoVia;
  bool all_load_store = true;     // every PE has kReachAll
  const Transport *net = nullptr; // the off-node transport, if one is loaded
  // Long waits sleep instead of yielding: the PEs of this node share too
  // few cores and sit in different scheduling groups, across which
  // sched_yield gives the core to nobody (transport/mpi/mpi.cpp).
  bool wait_sleeps = false;
  // The job is being ended (MPI_Abort after a diagnostic or global_exit):
  // if the MPI exits through exit(), this PE's exit handlers must not leave
  // the job as a PE that exits would, or its peers diagnose that instead.
  bool ending = false;
  Control *my_ctrl() const { return reinterpret_cast<Control *>(heap.local); }
};

extern State g;

// Diagnostics: print "shmem: ROUTINE: message" on stderr and end the job
// through the launcher (non-zero exit).
[[noreturn]] void fatal(const char *routine, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

[[noreturn]] void not_initialized(const char *routine);
[[noreturn]] void bad_pe(const char *routine, int pe);
// `arg` names the argument that holds the address (dest, source ...).
[[noreturn]] void bad_address(const char *routine, const void *addr,
                              size_t bytes, int pe, const char *arg = "dest");

SHMEMI_HOT void require_init(const char *routine) {
  if (__builtin_expect(!g.initialized.load(std::memory_order_relaxed), 0))
    not_initialized(routine);
}

SHMEMI_HOT void check_pe(const char *routine, int pe) {
  if (__builtin_expect(static_cast<unsigned>(pe) >= static_cast<unsigned>(g.npes), 0)) {
    require_init(routine);
    bad_pe(routine, pe);
  }
}

// The address of `addr` (a symmetric object of `bytes` bytes in this PE) in
// this PE's mapping of PE `pe`, or nullptr when it is not symmetric.
// Also nullptr when PE pe is not reachable by loads and stores (the caller
// then routes the operation: core/route.hpp).
SHMEMI_HOT char *try_remote(const void *addr, size_t bytes, int pe) {
  const char *p = static_cast<const char *>(addr);
  if (g.heap.contains(p, bytes)) {
    char *base = g.heap.peer[pe];
    return __builtin_expect(base != nullptr, 1) ? base + (p - g.heap.local) : nullptr;
  }
  if (g.data.contains(p, bytes)) {
    char *base = g.data.peer[pe];
    return __builtin_expect(base != nullptr, 1) ? base + (p - g.data.local) : nullptr;
  }
  return nullptr;
}

// Whether [addr, addr + bytes) lies wholly in one symmetric region.
SHMEMI_HOT bool is_symmetric(const void *addr, size_t bytes) {
  return g.heap.contains(addr, bytes) || g.data.contains(addr, bytes);
}

// Waiting: spin briefly with a pause, then yield the core, because CI runs
// more PEs than there are cores.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}
void yield_core(unsigned spins); // spins: how long the wait has lasted
void net_progress(); // a network transport moves its operations while this PE waits
// One turn of a wait past its spinning: the core goes to another thread,
// and a network transport moves what targets this PE (maybe what the wait
// is for).  The library's waits and a binding's own loops
// (shmemx_wait_yield) take the same turn.
inline void wait_turn(unsigned spins) {
  yield_core(spins);
  if (__builtin_expect(g.net != nullptr, 0)) net_progress();
}
// A wait on memory that only peers can change (wait_until, test loops,
// locks) cannot end once every other PE is in shmem_finalize: it is
// diagnosed instead of hanging.  peers_all_finalizing() is asked now and
// then from the slow path; the wait is diagnosed (unwaitable) only if what
// it waits for still does not hold after that: a peer's last update may
// have landed just before it entered shmem_finalize.  Such waits pass the
// routine that waits, for the diagnostic; the others (barriers) pass none.
bool peers_all_finalizing();
[[noreturn]] void unwaitable(const char *routine);

// The hang watchdog (SHMEM_HANG_TIMEOUT=S, core/watchdog.cpp): a wait that
// has lasted S seconds publishes where it waits; once every PE has, one of
// them reports them all and ends the job.  `describe` writes the routine
// and its arguments; it runs only then.
extern uint64_t hang_timeout_ns; // 0: no watchdog
using Describe = void (*)(const void *ctx, char *buf, size_t n);
struct HangWatch {
  uint64_t since = 0, refreshed = 0;
  bool published = false;
};
void hang_tick(HangWatch &w, Describe d, const void *ctx);
void hang_clear(HangWatch &w);

template <class Pred, class Desc>
inline void wait_for(Pred done, const char *peers_can_end, const Desc &describe) {
  HangWatch w;
  for (unsigned spins = 0; !done(); ++spins) {
    if (spins < 32) {
      cpu_relax(); // ~1 us of pause on current x86
    } else {
      wait_turn(spins);
      if (peers_can_end && (spins & 4095) == 0 && peers_all_finalizing() && !done())
        unwaitable(peers_can_end);
      if (__builtin_expect(hang_timeout_ns != 0, 0) && (spins & 255) == 0)
        hang_tick(
            w,
            [](const void *c, char *b, size_t n) { (*static_cast<const Desc *>(c))(b, n); },
            &describe);
    }
  }
  if (w.published) hang_clear(w);
}

template <class Pred> inline void wait_for(Pred done, const char *peers_can_end = nullptr) {
  wait_for(done, peers_can_end, [](char *b, size_t n) {
    if (n) b[0] = 0;
  });
}

} // namespace shmemi
