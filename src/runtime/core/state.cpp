// core/state.cpp - the PE's state and the diagnostics of every routine.
#include "state.hpp"

#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "../bootstrap/bootstrap.hpp"
#include "route.hpp"

namespace shmemi {

State g;

void yield_core(unsigned spins) {
  // A few yields first: a peer about to answer is usually on the other
  // core.  Then, where yielding reaches no other group, a short sleep.
  if (__builtin_expect(g.wait_sleeps, 0) && spins > 96) {
    const timespec nap{0, 1000};
    nanosleep(&nap, nullptr);
  } else {
    sched_yield();
  }
}

bool peers_all_finalizing() {
  // With several threads per PE another thread of this PE may end the wait.
  if (!g.initialized.load(std::memory_order_relaxed) || g.npes < 2 || g.thread_level == 3)
    return false;
  for (int pe = 0; pe < g.npes; ++pe) {
    if (pe == g.me) continue;
    // acquire: the peer's updates before shmem_finalize are visible after
    if (!word_load(pe, &g.my_ctrl()->finalizing))
      return false;
  }
  return true;
}

void unwaitable(const char *routine) {
  bool exited = false;
  for (int pe = 0; pe < g.npes; ++pe)
    if (pe != g.me)
      exited |= word_load(pe, &g.my_ctrl()->finalized) == kLeftByExit;
  // A PE that exited may have failed: let the launcher report it and end
  // the job first (it reacts within milliseconds; the job must end within
  // 2 s of the exit either way).
  if (exited) usleep(500000);
  fatal(routine,
        "every other PE is in shmem_finalize, so nothing can end this PE's wait: the "
        "PEs' calls are out of step");
}

void fatal(const char *routine, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fflush(stdout);
  if (!g.initialized.load(std::memory_order_relaxed) && !g.finalized) {
    // Before shmem_init this PE does not know its place yet, but the
    // launcher's environment does: name the PE, to the user and to the
    // launcher (abort_job reports g.me).
    int p, n;
    if (boot::early_rank(&p, &n)) {
      g.me = p;
      g.npes = n;
    }
  }
  if (g.npes > 1)
    fprintf(stderr, "shmem: PE %d: %s: %s\n", g.me, routine, msg);
  else
    fprintf(stderr, "shmem: %s: %s\n", routine, msg);
  fflush(stderr);
  abort_job(1);
}

void not_initialized(const char *routine) {
  if (g.finalized)
    fatal(routine, "called after shmem_finalize");
  fatal(routine, "called before shmem_init (call shmem_init first)");
}

void bad_pe(const char *routine, int pe) {
  fatal(routine, "PE %d is out of range (the job has %d PEs, 0..%d)", pe, g.npes,
        g.npes - 1);
}

void bad_address(const char *routine, const void *addr, size_t bytes, int pe,
                 const char *arg) {
  require_init(routine);
  const char *p = static_cast<const char *>(addr);
  if (g.heap.contains(p, 1) || g.data.contains(p, 1))
    fatal(routine,
          "%s: %zu bytes at %p run past the end of the symmetric region (target PE %d)",
          arg, bytes, addr, pe);
  fatal(routine,
        "%s: address %p is not symmetric (allocate it with shmem_malloc, or use a "
        "global or static variable; target PE %d)",
        arg, addr, pe);
}

} // namespace shmemi
