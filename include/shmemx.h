/* shmemx.h - libshmem extensions beyond OpenSHMEM 1.5. */
#ifndef SHMEMX_H
#define SHMEMX_H
#include "shmem.h"
#ifdef __cplusplus
extern "C" {
#endif
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

/* Each extension has a HAVE_SHMEMX_<NAME> macro (value 1): programs written
 * for several OpenSHMEM libraries test it before declaring a fallback of
 * their own (as Sandia OpenSHMEM's tests do). */

/* Wall-clock time in seconds (monotonic), for benchmarks. */
#define HAVE_SHMEMX_WTIME 1
double shmemx_wtime(void);

/* A wait in a binding's own loop (the Python package polls shmem_test so
 * that the interpreter can run signal handlers), made visible to the hang
 * watchdog (SHMEM_HANG_TIMEOUT): zero a shmemx_wait_t, call
 * shmemx_wait_poll in the loop (now and then: it reads the clock) and
 * shmemx_wait_end after it.  `what` describes the wait in the watchdog's
 * report; it is read only once the wait has lasted the timeout. */
typedef struct {
  uint64_t opaque[3];
} shmemx_wait_t;
#define HAVE_SHMEMX_WAIT_POLL 1
void shmemx_wait_poll(shmemx_wait_t *wait, const char *what);
#define HAVE_SHMEMX_WAIT_END 1
void shmemx_wait_end(shmemx_wait_t *wait);
/* One turn of such a loop that found nothing yet (`spins`: turns so far):
 * gives the core to other processes as the library's own waits do (a yield,
 * or a short sleep where yielding reaches no peer), and lets a network
 * transport move the operations that target this PE, which may be what the
 * loop waits for. */
#define HAVE_SHMEMX_WAIT_YIELD 1
void shmemx_wait_yield(unsigned spins);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
#ifdef __cplusplus
}
#endif
#endif
