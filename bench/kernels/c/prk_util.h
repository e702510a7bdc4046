/* bench/kernels/c/prk_util.h - what every C kernel of bench/ shares,
 * whatever its communication library: the clock, the checks of the
 * positional arguments and the one machine-readable RESULT line that
 * bench/run parses (bench contract, issue #17).
 *
 * Exit statuses, the same for every kernel and variant:
 *   0  the result validates;
 *   1  it does not (RESULT says valid=0);
 *   2  the arguments or the PE count cannot be used (said on stderr).
 *
 * Plain C11 and POSIX only: the same header serves libshmem, Open MPI's
 * OSHMEM and MPI builds. */
#ifndef PRK_UTIL_H
#define PRK_UTIL_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PRK_EXIT_INVALID = 1, PRK_EXIT_USAGE = 2 };

/* Wall-clock seconds, monotonic; the same clock for every variant so
 * that their times compare. */
static inline double prk_wtime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Every PE parses the same arguments and reaches the same verdict, so no
 * broadcast is needed; only PE 0 speaks, so that a bad argument is said
 * once, not once per PE. */
struct prk_args {
  const char *kernel; /* for the messages */
  int argc;
  char **argv;
  int me;
  int error; /* set by the first failed check; later checks stay silent */
};

static inline void prk_args_init(struct prk_args *a, const char *kernel, int argc, char **argv,
                                 int me) {
  a->kernel = kernel;
  a->argc = argc;
  a->argv = argv;
  a->me = me;
  a->error = 0;
}

/* Reports an unusable argument or PE count on stderr (PE 0 only) and
 * marks the run as one to end with PRK_EXIT_USAGE. */
#define prk_usage_error(a, ...)                                                         \
  do {                                                                                  \
    if (!(a)->error && (a)->me == 0) {                                                  \
      fprintf(stderr, "%s: ", (a)->kernel);                                             \
      fprintf(stderr, __VA_ARGS__);                                                     \
      fputc('\n', stderr);                                                              \
      fflush(stderr);                                                                   \
    }                                                                                   \
    (a)->error = 1;                                                                     \
  } while (0)

/* Checks the number of positional arguments against [lo, hi]. */
static inline void prk_args_count(struct prk_args *a, int lo, int hi, const char *usage) {
  int n = a->argc - 1;
  if (n < lo || n > hi) prk_usage_error(a, "usage: %s %s (got %d arguments)", a->kernel, usage, n);
}

/* The integer positional argument `index` (1-based) named `name`, which
 * must lie in [lo, hi]; `dflt` when it is optional and absent. */
static inline long prk_long_arg(struct prk_args *a, int index, const char *name, long lo, long hi,
                                long dflt) {
  if (a->error) return dflt;
  if (index >= a->argc) return dflt;
  const char *text = a->argv[index];
  char *end = NULL;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || end == text || *end != '\0') {
    prk_usage_error(a, "argument %d (%s) must be an integer, got '%s'", index, name, text);
    return dflt;
  }
  if (v < lo || v > hi) {
    prk_usage_error(a, "argument %d (%s) must be in [%ld, %ld], got %ld", index, name, lo, hi, v);
    return dflt;
  }
  return v;
}

/* The positional argument `index` chosen among `choices` (NULL-terminated);
 * returns its position in `choices`, 0 (the default) when absent. */
static inline int prk_choice_arg(struct prk_args *a, int index, const char *name,
                                 const char *const *choices) {
  if (a->error || index >= a->argc) return 0;
  for (int k = 0; choices[k]; ++k)
    if (strcmp(a->argv[index], choices[k]) == 0) return k;
  char list[256] = "";
  for (int k = 0; choices[k]; ++k) {
    strncat(list, k ? "|" : "", sizeof list - strlen(list) - 1);
    strncat(list, choices[k], sizeof list - strlen(list) - 1);
  }
  prk_usage_error(a, "argument %d (%s) must be one of %s, got '%s'", index, name, list,
                  a->argv[index]);
  return 0;
}

/* The first human line of every kernel, as the PRK print theirs. */
static inline void prk_banner(const char *what) {
  printf("Parallel Research Kernels (shmem4py bench, C)\n%s\n", what);
}

/* The machine-readable line, printed by PE 0 last.  The rate keeps nine
 * significant digits so that small GUP/s figures survive. */
static inline void prk_result(const char *kernel, const char *variant, int npes, int valid,
                              double rate, const char *unit, double time_s, int argc,
                              char **argv) {
  printf("RESULT kernel=%s variant=%s npes=%d valid=%d rate=%.9g unit=%s time_s=%.9g args=",
         kernel, variant, npes, valid ? 1 : 0, rate, unit, time_s);
  for (int i = 1; i < argc; ++i) printf("%s%s", i > 1 ? "," : "", argv[i]);
  printf("\n");
  fflush(stdout);
}

/* The human closing lines of the PRK ("Solution validates", "Rate (...)"). */
static inline void prk_report(int valid, const char *unit, double rate, double avgtime) {
  if (valid)
    printf("Solution validates\nRate (%s): %lf Avg time (s): %lf\n", unit, rate, avgtime);
  else
    printf("ERROR: solution does not validate\n");
  fflush(stdout);
}

/* Block distribution of n items over p parts, the first n % p parts one
 * item larger: the PRK's split of a grid dimension over PEs. */
static inline long prk_block_start(long n, long p, long k) {
  long q = n / p, r = n % p;
  return k * q + (k < r ? k : r);
}
static inline long prk_block_size(long n, long p, long k) {
  return n / p + (k < n % p ? 1 : 0);
}

/* The GUPS random stream of the random-access kernel: a linear feedback
 * shift register over GF(2), x -> x * t mod (t^64 + t^2 + t + 1), the
 * polynomial of the HPC Challenge RandomAccess.  Its n-th element is t^n,
 * computed by square and multiply so that every PE can start its own
 * stretch of one global stream without running through the others'. */
#define PRK_GUPS_POLY UINT64_C(0x7)

static inline uint64_t prk_gups_next(uint64_t x) {
  return (x << 1) ^ ((int64_t)x < 0 ? PRK_GUPS_POLY : 0);
}

/* a * b mod the polynomial, Horner-style over the bits of b. */
static inline uint64_t prk_gups_mulmod(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  for (int bit = 63; bit >= 0; --bit) {
    r = prk_gups_next(r);
    if ((b >> bit) & 1) r ^= a;
  }
  return r;
}

/* The stream's element number n (t^n), n >= 0. */
static inline uint64_t prk_gups_start(uint64_t n) {
  uint64_t result = 1, base = 2; /* t^0, t^1 */
  while (n) {
    if (n & 1) result = prk_gups_mulmod(result, base);
    base = prk_gups_mulmod(base, base);
    n >>= 1;
  }
  return result;
}

/* Where the update `ran` goes: the PE and the word of its table part
 * (2^log2_local words per PE).  The PE is taken modulo the PE count so
 * that any PE count works, not only powers of two. */
static inline int prk_gups_pe(uint64_t ran, int log2_local, int npes) {
  return (int)((ran >> log2_local) % (uint64_t)npes);
}
static inline uint64_t prk_gups_index(uint64_t ran, int log2_local) {
  return ran & ((UINT64_C(1) << log2_local) - 1);
}

/* Validation of the random-access kernel, the same for every variant:
 * rebuilds the part of the table owned by `me` from every PE's updates
 * (XOR commutes, so their order does not matter) and counts the words
 * that differ.  PE q applies the stream's elements q*updates+1 ..
 * (q+1)*updates.  An update lost or applied twice shows as a difference,
 * where the PRK's undo-and-compare would pass an empty run. */
static inline long prk_gups_errors(const uint64_t *table, int log2_local, long updates, int me,
                                   int npes) {
  size_t local = (size_t)1 << log2_local;
  uint64_t *ref = malloc(local * sizeof *ref);
  if (!ref) {
    fprintf(stderr, "random: PE %d cannot allocate the reference table (%zu words)\n", me, local);
    return (long)local;
  }
  for (size_t i = 0; i < local; ++i) ref[i] = (uint64_t)me * local + i;
  for (int q = 0; q < npes; ++q) {
    uint64_t ran = prk_gups_start((uint64_t)q * (uint64_t)updates);
    for (long k = 0; k < updates; ++k) {
      ran = prk_gups_next(ran);
      if (prk_gups_pe(ran, log2_local, npes) == me) ref[prk_gups_index(ran, log2_local)] ^= ran;
    }
  }
  long errors = 0;
  for (size_t i = 0; i < local; ++i) errors += table[i] != ref[i];
  free(ref);
  return errors;
}

/* The value every element of the reduce kernel's result must hold: each
 * iteration adds sum over PEs p of (p + 1 + i % 7) to element i (see
 * reduce_*.c), iterations + 1 times counting the warm-up. */
static inline double prk_reduce_expected(long iterations, int npes, long i) {
  double per_iter = 0.5 * npes * (npes + 1.0) + (double)npes * (double)(i % 7);
  return (double)(iterations + 1) * per_iter;
}
static inline double prk_reduce_addend(int me, long i) { return me + 1.0 + (double)(i % 7); }

#endif
