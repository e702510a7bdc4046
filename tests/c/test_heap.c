/* test_heap.c - the symmetric heap and the setup/query routines.
 *
 * malloc/calloc/align/realloc/malloc_with_hints/free, symmetry of every
 * allocation (addr_accessible, shmem_ptr, a write through shmem_ptr seen
 * by the owner), reuse of freed memory, exhaustion (NULL on every PE, and
 * the heap still works afterwards), version and name queries,
 * pe_accessible/addr_accessible/shmem_ptr of non-symmetric memory, and a
 * repeated shmem_finalize.  The deprecated setup and heap names are in
 * test_start_pes.c (start_pes must be the first call of a program). */
#include <shmem.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

static int me, npes, right, left;

/* The allocation is symmetric: every PE can reach it, shmem_ptr gives a
 * real pointer to the copy of every PE reachable by loads and stores (and
 * NULL for any other), and a store through it (a put where there is no
 * pointer) is what the owner reads after a barrier. */
static void check_symmetric(void *p, size_t bytes, const char *what) {
  CHECK(p != NULL, "%s returned NULL", what);
  for (int pe = 0; pe < npes; ++pe) {
    CHECK(shmem_addr_accessible(p, pe) == 1, "%s: addr_accessible(p, %d) is 0", what, pe);
    CHECK(shmem_addr_accessible((char *)p + bytes - 1, pe) == 1,
          "%s: addr_accessible(last byte, %d) is 0", what, pe);
    CHECK((shmem_ptr(p, pe) != NULL) == check_load_store(pe),
          "%s: shmem_ptr(p, %d) is %p", what, pe, shmem_ptr(p, pe));
  }
  CHECK(shmem_ptr(p, me) == p, "%s: shmem_ptr(p, me) is not p", what);
  shmem_barrier_all();
  unsigned char *peer = shmem_ptr(p, right);
  const unsigned char last = (unsigned char)(bytes > 1 ? 0x80 : 0x40); /* 1 byte: first = last */
  const unsigned char hi = (unsigned char)(0x80 + me), lo = (unsigned char)(0x40 + me);
  if (peer) {
    peer[bytes - 1] = hi;
    peer[0] = lo;
  } else {
    shmem_putmem((char *)p + bytes - 1, &hi, 1, right);
    shmem_putmem(p, &lo, 1, right);
  }
  shmem_barrier_all();
  unsigned char *mine = p;
  CHECK(mine[0] == (unsigned char)(0x40 + left) && mine[bytes - 1] == (unsigned char)(last + left),
        "%s: a store through shmem_ptr by PE %d was not seen (%#x %#x)", what, left, mine[0],
        mine[bytes - 1]);
  shmem_barrier_all();
  /* and RMA reaches the same memory */
  unsigned char got = 0;
  shmem_getmem(&got, (char *)p + bytes - 1, 1, right);
  CHECK(got == (unsigned char)(last + me), "%s: getmem from PE %d read %#x", what, right, got);
  shmem_barrier_all();
}

static void test_malloc_free(void) {
  CHECK(shmem_malloc(0) == NULL, "shmem_malloc(0) is not NULL");
  shmem_free(NULL); /* does nothing */
  size_t sizes[] = {1, 8, 63, 64, 65, 1000, 4096, 1 << 20};
  void *ps[sizeof sizes / sizeof sizes[0]];
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
    ps[i] = shmem_malloc(sizes[i]);
    check_symmetric(ps[i], sizes[i], "shmem_malloc");
    memset(ps[i], (int)i + 1, sizes[i]);
  }
  /* live blocks do not overlap */
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
    const unsigned char *c = ps[i];
    for (size_t b = 0; b < sizes[i]; ++b)
      CHECK(c[b] == (unsigned char)(i + 1), "block %zu byte %zu was overwritten", i, b);
  }
  /* free in a different order than allocated */
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i += 2) shmem_free(ps[i]);
  for (size_t i = 1; i < sizeof sizes / sizeof sizes[0]; i += 2) shmem_free(ps[i]);
}

static void test_calloc(void) {
  /* dirty a block, free it, and calloc the same size: zeroed */
  size_t n = 5000;
  unsigned char *dirty = shmem_malloc(n * sizeof(long));
  CHECK(dirty != NULL, "shmem_malloc failed");
  memset(dirty, 0xAB, n * sizeof(long));
  shmem_free(dirty);
  long *z = shmem_calloc(n, sizeof(long));
  check_symmetric(z, n * sizeof(long), "shmem_calloc");
  z[0] = 0;
  z[n - 1] = 0; /* check_symmetric wrote the first and last bytes */
  for (size_t i = 0; i < n; ++i) CHECK(z[i] == 0, "shmem_calloc: element %zu is %ld", i, z[i]);
  shmem_barrier_all();
  shmem_free(z);
  CHECK(shmem_calloc(0, 8) == NULL, "shmem_calloc(0, 8) is not NULL");
  CHECK(shmem_calloc(8, 0) == NULL, "shmem_calloc(8, 0) is not NULL");
  /* count * size overflows: NULL, not a small block */
  CHECK(shmem_calloc(SIZE_MAX / 2, 4) == NULL, "shmem_calloc with an overflowing size");
}

static void test_align(void) {
  void *blocks[7];
  int k = 0;
  for (size_t a = 64; a <= 4096; a *= 2, ++k) {
    void *first = shmem_malloc(24); /* so the aligned block does not start the free list */
    blocks[k] = shmem_align(a, 100 + (size_t)k);
    CHECK(((uintptr_t)blocks[k] % a) == 0, "shmem_align(%zu): %p is not aligned", a, blocks[k]);
    check_symmetric(blocks[k], 100 + (size_t)k, "shmem_align");
    shmem_free(first);
  }
  /* small alignments are valid too */
  for (size_t a = 1; a < 64; a *= 2) {
    void *p = shmem_align(a, 10);
    CHECK(p != NULL && (uintptr_t)p % a == 0, "shmem_align(%zu, 10) = %p", a, p);
    shmem_free(p);
  }
  CHECK(shmem_align(4096, 0) == NULL, "shmem_align(4096, 0) is not NULL");
  for (int i = 0; i < k; ++i) shmem_free(blocks[i]);
}

static void test_realloc(void) {
  /* NULL ptr: the same as shmem_malloc */
  int *p = shmem_realloc(NULL, 10 * sizeof(int));
  check_symmetric(p, 10 * sizeof(int), "shmem_realloc(NULL, n)");
  for (int i = 0; i < 10; ++i) p[i] = me * 1000 + i;
  /* grow while another block sits right after it: it has to move */
  void *blocker = shmem_malloc(64);
  CHECK(blocker != NULL, "shmem_malloc failed");
  p = shmem_realloc(p, 100000 * sizeof(int));
  check_symmetric(p, 100000 * sizeof(int), "shmem_realloc (grow)");
  for (int i = 1; i < 10; ++i) /* byte 0 was written by check_symmetric */
    CHECK(p[i] == me * 1000 + i, "shmem_realloc (grow) lost element %d: %d", i, p[i]);
  for (int i = 0; i < 100000; ++i) p[i] = me * 1000000 + i;
  shmem_barrier_all();
  /* the grown block is symmetric: RMA to every element of it */
  int v = 424242 + me;
  shmem_int_p(&p[99999], v, right);
  shmem_barrier_all();
  CHECK(p[99999] == 424242 + left, "put to the grown block: %d", p[99999]);
  p[99999] = me * 1000000 + 99999;
  /* grow in place (nothing after it), then shrink */
  p = shmem_realloc(p, 200000 * sizeof(int));
  CHECK(p != NULL, "shmem_realloc (grow again) failed");
  for (int i = 1; i < 100000; ++i)
    CHECK(p[i] == me * 1000000 + i, "shmem_realloc (grow again) lost element %d", i);
  p = shmem_realloc(p, 50 * sizeof(int));
  check_symmetric(p, 50 * sizeof(int), "shmem_realloc (shrink)");
  for (int i = 1; i < 49; ++i)
    CHECK(p[i] == me * 1000000 + i, "shmem_realloc (shrink) lost element %d: %d", i, p[i]);
  /* size 0: frees the block and returns NULL */
  CHECK(shmem_realloc(p, 0) == NULL, "shmem_realloc(p, 0) is not NULL");
  shmem_free(blocker);
  /* a failed realloc leaves the block as it was */
  long *q = shmem_malloc(16 * sizeof(long));
  CHECK(q != NULL, "shmem_malloc failed");
  for (int i = 0; i < 16; ++i) q[i] = i * 3 + me;
  CHECK(shmem_realloc(q, (size_t)1 << 46) == NULL, "shmem_realloc to 64 TiB succeeded");
  for (int i = 0; i < 16; ++i) CHECK(q[i] == i * 3 + me, "failed realloc changed element %d", i);
  shmem_free(q);
}

/* Sizes that differ between PEs (undefined in the spec, done by real
 * programs that size blocks per PE): every PE gets a block of the largest
 * size at the same place, so RMA up to the largest size reaches the peers
 * and later allocations stay symmetric. */
static void test_uneven_sizes(void) {
  size_t mine = 1000 + 300 * (size_t)me, largest = 1000 + 300 * (size_t)(npes - 1);
  unsigned char *p = shmem_malloc(mine);
  check_symmetric(p, largest, "shmem_malloc (uneven sizes)");
  unsigned char *src = malloc(largest);
  memset(src, 0x30 + me, largest);
  shmem_putmem(p, src, largest, right);
  shmem_barrier_all();
  for (size_t i = 0; i < largest; ++i)
    CHECK(p[i] == 0x30 + left, "uneven block byte %zu: %#x", i, p[i]);
  long *z = shmem_calloc(me + 1, sizeof(long));
  check_symmetric(z, (size_t)npes * sizeof(long), "shmem_calloc (uneven sizes)");
  for (int i = 0; i < npes; ++i) z[i] = 7;
  shmem_free(z);
  z = shmem_calloc(me + 1, sizeof(long)); /* the same block: zeroed up to the largest size */
  for (int i = 0; i < npes; ++i) CHECK(z[i] == 0, "uneven calloc element %d: %ld", i, z[i]);
  p = shmem_realloc(p, mine * 3);
  check_symmetric(p, largest * 3, "shmem_realloc (uneven sizes)");
  long *after = shmem_malloc(8);
  check_symmetric(after, 8, "shmem_malloc after uneven sizes");
  shmem_free(after);
  shmem_free(z);
  shmem_free(p);
  free(src);
}

static void test_hints(void) {
  /* hints of later versions (unknown bits) allocate as shmem_malloc does */
  long hints[] = {0, SHMEM_MALLOC_ATOMICS_REMOTE, SHMEM_MALLOC_SIGNAL_REMOTE,
                  SHMEM_MALLOC_ATOMICS_REMOTE | SHMEM_MALLOC_SIGNAL_REMOTE, 1L << 20, ~1L};
  for (int i = 0; i < 6; ++i) {
    uint64_t *p = shmem_malloc_with_hints(64 * sizeof(uint64_t), hints[i]);
    check_symmetric(p, 64 * sizeof(uint64_t), "shmem_malloc_with_hints");
    p[1] = 0;
    shmem_barrier_all();
    shmem_uint64_atomic_add(&p[1], 1, 0);
    shmem_barrier_all();
    if (me == 0)
      CHECK(p[1] == (uint64_t)npes, "AMO on a hinted block: %llu", (unsigned long long)p[1]);
    shmem_barrier_all();
    shmem_free(p);
  }
  CHECK(shmem_malloc_with_hints(0, 0) == NULL, "shmem_malloc_with_hints(0, 0) is not NULL");
}

/* 10000 cycles of 1 MiB: 10 GiB in all, far more than the heap, so the
 * freed memory must be reused. */
static void test_reuse(void) {
  void *first = NULL;
  for (int i = 0; i < 10000; ++i) {
    unsigned char *p = shmem_malloc(1 << 20);
    CHECK(p != NULL, "shmem_malloc(1 MiB) failed on cycle %d: freed memory is not reused", i);
    if (i == 0) first = p;
    p[0] = 1;
    p[(1 << 20) - 1] = 2;
    shmem_free(p);
  }
  (void)first;
  /* interleaved sizes, freed in reverse: the free list coalesces */
  for (int round = 0; round < 50; ++round) {
    void *a = shmem_malloc(3000), *b = shmem_align(256, 70000), *c = shmem_calloc(9, 1000);
    CHECK(a && b && c, "interleaved allocation failed in round %d", round);
    shmem_free(c);
    shmem_free(b);
    shmem_free(a);
  }
}

/* Fill the heap with 64 MiB blocks, free them all, then take most of it in
 * one piece: the freed blocks merged again. */
static void test_exhaustion(void) {
  enum { CHUNK = 64 << 20, MAXB = 4096 };
  static void *blocks[MAXB];
  /* far more than any symmetric heap: NULL on every PE */
  void *huge = shmem_malloc((size_t)1 << 46);
  CHECK(huge == NULL, "shmem_malloc(64 TiB) returned %p", huge);
  huge = shmem_align(4096, (size_t)1 << 46);
  CHECK(huge == NULL, "shmem_align(4096, 64 TiB) returned %p", huge);
  huge = shmem_calloc((size_t)1 << 40, 64);
  CHECK(huge == NULL, "shmem_calloc of 64 TiB returned %p", huge);
  /* the heap still works */
  long *small = shmem_malloc(8 * sizeof(long));
  check_symmetric(small, 8 * sizeof(long), "shmem_malloc after a failed one");
  shmem_free(small);

  int *counts = shmem_calloc((size_t)npes, sizeof(int));
  CHECK(counts != NULL, "shmem_calloc failed");
  int n = 0;
  while (n < MAXB) {
    void *p = shmem_malloc(CHUNK);
    if (p == NULL) break;
    blocks[n++] = p;
  }
  CHECK(n > 0 && n < MAXB, "filled the heap with %d blocks of 64 MiB", n);
  /* the failure is the same on every PE: all PEs counted the same n */
  for (int pe = 0; pe < npes; ++pe) shmem_int_p(&counts[me], n, pe);
  shmem_barrier_all();
  for (int pe = 0; pe < npes; ++pe)
    CHECK(counts[pe] == n, "PE %d fit %d blocks, this PE %d", pe, counts[pe], n);
  shmem_barrier_all();
  for (int i = n - 1; i >= 0; i -= 2) shmem_free(blocks[i]);
  for (int i = n - 2; i >= 0; i -= 2) shmem_free(blocks[i]);
  size_t big = (size_t)n * CHUNK - (1 << 20);
  unsigned char *all = shmem_malloc(big);
  CHECK(all != NULL, "after freeing %d blocks of 64 MiB, shmem_malloc(%zu) failed", n, big);
  all[0] = 1;
  all[big - 1] = 1;
  shmem_free(all);
  shmem_free(counts);
}

/* Alignments past the page size: the pointer itself must be aligned, on
 * every PE, not just its offset in the heap.  Up to 2 MiB (a huge page)
 * they must succeed; larger ones may be refused (NULL) but never
 * misaligned. */
static void test_large_alignments(void) {
  for (size_t a = 8192; a <= ((size_t)64 << 20); a *= 2) {
    void *first = shmem_malloc(64); /* so the block does not start the free list */
    void *p = shmem_align(a, 1000);
    CHECK(p != NULL || a > ((size_t)2 << 20), "shmem_align(%zu, 1000) failed", a);
    CHECK((uintptr_t)p % a == 0, "shmem_align(%zu, 1000) returned %p, which is not aligned "
          "(misaligned by %zu bytes)", a, p, (size_t)((uintptr_t)p % a));
    if (p) check_symmetric(p, 1000, "shmem_align (large alignment)");
    shmem_free(p);
    shmem_free(first);
  }
}

/* Sizes so large that rounding them up to the allocator's granule
 * overflows: still NULL on every PE, and nothing is allocated. */
static void test_overflowing_sizes(void) {
  void *huge = shmem_malloc(SIZE_MAX);
  CHECK(huge == NULL, "shmem_malloc(SIZE_MAX) returned %p", huge);
  huge = shmem_malloc(SIZE_MAX - 32);
  CHECK(huge == NULL, "shmem_malloc(SIZE_MAX - 32) returned %p", huge);
  huge = shmem_align(4096, SIZE_MAX - 100);
  CHECK(huge == NULL, "shmem_align(4096, SIZE_MAX - 100) returned %p", huge);
  long *p = shmem_malloc(64);
  CHECK(p != NULL, "shmem_malloc(64) failed");
  p[0] = 5;
  huge = shmem_realloc(p, SIZE_MAX);
  CHECK(huge == NULL, "shmem_realloc(p, SIZE_MAX) returned %p", huge);
  CHECK(p[0] == 5, "a failed shmem_realloc changed the block");
  shmem_free(p);
}

static void test_queries(void) {
  int major = -1, minor = -1;
  shmem_info_get_version(&major, &minor);
  CHECK(major == SHMEM_MAJOR_VERSION && minor == SHMEM_MINOR_VERSION,
        "shmem_info_get_version: %d.%d, the header says %d.%d", major, minor,
        SHMEM_MAJOR_VERSION, SHMEM_MINOR_VERSION);
  CHECK(major == 1 && minor == 6, "version %d.%d is not 1.6", major, minor);
  CHECK(_SHMEM_MAJOR_VERSION == SHMEM_MAJOR_VERSION &&
            _SHMEM_MINOR_VERSION == SHMEM_MINOR_VERSION &&
            _SHMEM_MAX_NAME_LEN == SHMEM_MAX_NAME_LEN,
        "deprecated version macros differ");
  char name[SHMEM_MAX_NAME_LEN];
  memset(name, 'x', sizeof name);
  shmem_info_get_name(name);
  const char *nul = memchr(name, '\0', sizeof name);
  CHECK(nul != NULL && nul != name, "shmem_info_get_name: no terminated, non-empty name");
  CHECK(strcmp(name, SHMEM_VENDOR_STRING) == 0,
        "shmem_info_get_name gave \"%s\", SHMEM_VENDOR_STRING is \"%s\"", name,
        SHMEM_VENDOR_STRING);
  CHECK(strcmp(_SHMEM_VENDOR_STRING, SHMEM_VENDOR_STRING) == 0, "_SHMEM_VENDOR_STRING differs");

  CHECK(shmem_n_pes() == npes && shmem_my_pe() == me, "my_pe/n_pes changed");
  CHECK(me >= 0 && me < npes, "my_pe %d outside 0..%d", me, npes - 1);
  for (int pe = 0; pe < npes; ++pe)
    CHECK(shmem_pe_accessible(pe) == 1, "shmem_pe_accessible(%d) is 0", pe);
  CHECK(shmem_pe_accessible(-1) == 0, "shmem_pe_accessible(-1) is not 0");
  CHECK(shmem_pe_accessible(npes) == 0, "shmem_pe_accessible(n_pes) is not 0");

  int on_stack = 0;
  char *private_mem = malloc(64);
  static int static_var;
  for (int pe = 0; pe < npes; ++pe) {
    CHECK(shmem_addr_accessible(&on_stack, pe) == 0,
          "shmem_addr_accessible(stack variable, %d) is not 0", pe);
    CHECK(shmem_addr_accessible(private_mem, pe) == 0,
          "shmem_addr_accessible(malloc'd memory, %d) is not 0", pe);
    CHECK(shmem_ptr(&on_stack, pe) == NULL, "shmem_ptr(stack variable, %d) is not NULL", pe);
    CHECK(shmem_ptr(private_mem, pe) == NULL, "shmem_ptr(malloc'd memory, %d) is not NULL", pe);
    CHECK(shmem_addr_accessible(&static_var, pe) == 1,
          "shmem_addr_accessible(static variable, %d) is 0", pe);
    CHECK((shmem_ptr(&static_var, pe) != NULL) == check_load_store(pe),
          "shmem_ptr(static variable, %d) is %p", pe, shmem_ptr(&static_var, pe));
  }
  CHECK(shmem_addr_accessible(&static_var, npes) == 0,
        "shmem_addr_accessible(static variable, n_pes) is not 0");
  CHECK(shmem_ptr(&static_var, npes) == NULL, "shmem_ptr(static variable, n_pes) is not NULL");
  free(private_mem);
  /* a store through shmem_ptr to a static variable */
  static_var = 0;
  shmem_barrier_all();
  if (check_load_store(right))
    *(int *)shmem_ptr(&static_var, right) = 77 + me;
  else
    shmem_int_p(&static_var, 77 + me, right);
  shmem_barrier_all();
  CHECK(static_var == 77 + left, "store through shmem_ptr to a static variable: %d",
        static_var);
  shmem_barrier_all();

  int provided = -1;
  shmem_query_thread(&provided);
  CHECK(provided >= SHMEM_THREAD_SINGLE && provided <= SHMEM_THREAD_MULTIPLE,
        "shmem_query_thread: %d", provided);
  shmem_pcontrol(1);
  shmem_pcontrol(0, "ignored");
}

int main(void) {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  right = (me + 1) % npes;
  left = (me + npes - 1) % npes;

  test_queries();
  test_malloc_free();
  test_calloc();
  test_align();
  test_realloc();
  test_uneven_sizes();
  test_hints();
  test_reuse();
  test_exhaustion();
  /* the last two find known runtime bugs: they come last so that they do
   * not hide the checks above */
  test_large_alignments();
  test_overflowing_sizes();

  shmem_finalize();
  shmem_finalize(); /* a second finalize does nothing */
  return 0;
}
