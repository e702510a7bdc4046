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

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
#ifdef __cplusplus
}
#endif
#endif
