/* check.h - the one assertion of the self-checking C test programs.
 *
 *   CHECK(cond, "format", args...);
 *
 * When cond is false it prints "PE <pe>: <file>:<line>: CHECK(<cond>) failed:
 * <message>" on stderr and exits with status 1 (the launcher then ends the
 * other PEs).  It leaves through _exit(1), not exit(1): exit would run the
 * library's at-exit shmem_finalize, a collective that waits for PEs which
 * may themselves be waiting for this one, turning a failed check into a
 * hang.  It is safe before shmem_init and after shmem_finalize: the PE
 * number is remembered by check_pe(), which every program should call once
 * right after initializing (before that, the launcher's SHMEMRUN_PE is used,
 * or "?" when there is none). */
#ifndef SHMEM_TESTS_CHECK_H
#define SHMEM_TESTS_CHECK_H

#include <shmem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_my_pe_ = -1;

/* Remember (and return) this PE's number for the diagnostics. */
static inline int check_pe(void) {
  check_my_pe_ = shmem_my_pe();
  return check_my_pe_;
}

static inline void check_fail_prefix_(const char *file, int line, const char *cond) {
  if (check_my_pe_ >= 0) {
    fprintf(stderr, "PE %d: ", check_my_pe_);
  } else {
    const char *env = getenv("SHMEMRUN_PE");
    fprintf(stderr, "PE %s: ", env && *env ? env : "?");
  }
  fprintf(stderr, "%s:%d: CHECK(%s) failed: ", file, line, cond);
}

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fflush(stdout);                                                          \
      check_fail_prefix_(__FILE__, __LINE__, #cond);                           \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      fflush(stderr);                                                          \
      _exit(1);                                                                \
    }                                                                          \
  } while (0)

/* Whether this PE should reach world PE pe by loads and stores (shmem_ptr
 * gives a pointer, the PE is in SHMEM_TEAM_SHARED).  Every PE of one node
 * is, except under SHMEMI_NETWORK_LOOPBACK=1, where the library routes every
 * other PE through its transport interface as if it were on another node.
 * Under the mpi transport (a job of mpiexec) the PEs of this node are,
 * unless SHMEM_MPI_ONNODE=0 sends every other PE through MPI; the tests'
 * SHMEMI_MPI_NODE_SIZE=k makes nodes of k consecutive ranks. */
static inline int check_load_store(int pe) {
  const int me = shmem_my_pe();
  const char *loop = getenv("SHMEMI_NETWORK_LOOPBACK");
  if (loop && loop[0] == '1' && loop[1] == 0) return pe == me;
  if (pe < 0 || pe >= shmem_n_pes()) return 0;
  const char *transport = getenv("SHMEM_TRANSPORT");
  if ((transport && !strcmp(transport, "mpi")) ||
      (!getenv("SHMEMRUN_JOB") && (getenv("PMI_RANK") || getenv("PMIX_RANK")))) {
    const char *onnode = getenv("SHMEM_MPI_ONNODE");
    if (onnode && !strcmp(onnode, "0")) return pe == me;
    const char *k = getenv("SHMEMI_MPI_NODE_SIZE");
    if (k && atoi(k) > 0) return pe / atoi(k) == me / atoi(k);
  }
  return 1;
}

#endif /* SHMEM_TESTS_CHECK_H */
