// api/extensions.cpp - shmemx.h.
#include <time.h>

#include "../../../include/shmemx.h"

extern "C" double shmemx_wtime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
