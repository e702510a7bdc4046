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

/* Wall-clock time in seconds (monotonic), for benchmarks. */
double shmemx_wtime(void);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif
#ifdef __cplusplus
}
#endif
#endif
