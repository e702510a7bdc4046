// api/extensions.cpp - shmemx.h.
#include <time.h>

#include <cstdio>
#include <cstring>

#include "../../../include/shmemx.h"
#include "../core/state.hpp"

extern "C" double shmemx_wtime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// The binding's wait state is the library's own watch, behind an opaque type.
static_assert(sizeof(shmemi::HangWatch) <= sizeof(shmemx_wait_t) &&
              alignof(shmemi::HangWatch) <= alignof(shmemx_wait_t));

extern "C" void shmemx_wait_poll(shmemx_wait_t *wait, const char *what) {
  if (__builtin_expect(shmemi::hang_timeout_ns == 0, 1) || !wait) return;
  shmemi::hang_tick(
      *reinterpret_cast<shmemi::HangWatch *>(wait),
      [](const void *c, char *b, size_t n) {
        snprintf(b, n, "%s", c ? static_cast<const char *>(c) : "a wait of the program");
      },
      what);
}

extern "C" void shmemx_wait_yield(unsigned spins) { shmemi::wait_turn(spins); }

extern "C" void shmemx_wait_end(shmemx_wait_t *wait) {
  if (!wait) return;
  auto &w = *reinterpret_cast<shmemi::HangWatch *>(wait);
  if (w.published) shmemi::hang_clear(w);
  memset(wait, 0, sizeof *wait);
}
