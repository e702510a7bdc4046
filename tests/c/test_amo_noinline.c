/* test_amo_noinline.c - test_amo.c again with SHMEM_NO_INLINE, so that the
 * library's own AMO entry points are checked on the heap as well: with
 * optimization, test_amo.c runs their inlined fast paths (shmem_inline.h)
 * wherever the target lies in the symmetric heap. */
#define SHMEM_NO_INLINE 1
#include "test_amo.c"
