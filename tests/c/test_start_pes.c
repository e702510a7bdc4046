/* test_start_pes.c - the deprecated setup, heap and cache routines:
 * start_pes, _my_pe, _num_pes, shmalloc, shfree, shrealloc, shmemalign,
 * shmem_{set,clear}_cache_{inv,line_inv}, shmem_udcflush{,_line}.
 * Like an OpenSHMEM 1.0 program it never calls shmem_finalize: the library
 * finalizes at exit. */
#include <shmem.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

int main(void) {
  start_pes(0); /* the argument is ignored: the launcher sets the PE count */
  int me = check_pe();
  int npes = _num_pes();
  CHECK(_my_pe() == shmem_my_pe() && me >= 0 && me < npes, "_my_pe() is %d", _my_pe());
  CHECK(npes == shmem_n_pes(), "_num_pes() %d, shmem_n_pes() %d", npes, shmem_n_pes());
  int right = (me + 1) % npes, left = (me + npes - 1) % npes;

  long *a = shmalloc(16 * sizeof(long));
  CHECK(a != NULL, "shmalloc failed");
  CHECK(shmem_addr_accessible(a, right), "shmalloc'd memory is not symmetric");
  long v[16];
  for (int i = 0; i < 16; ++i) v[i] = me * 100 + i;
  shmem_long_put(a, v, 16, right);
  shmem_barrier_all();
  for (int i = 0; i < 16; ++i) CHECK(a[i] == left * 100 + i, "put to shmalloc'd memory");
  shmem_barrier_all();

  a = shrealloc(a, 4096 * sizeof(long));
  CHECK(a != NULL, "shrealloc failed");
  for (int i = 0; i < 16; ++i) CHECK(a[i] == left * 100 + i, "shrealloc lost element %d", i);
  shmem_long_p(&a[4095], 7 + me, right);
  shmem_barrier_all();
  CHECK(a[4095] == 7 + left, "put to the shrealloc'd block");

  void *al = shmemalign(1024, 100);
  CHECK(al != NULL && (uintptr_t)al % 1024 == 0, "shmemalign(1024, 100) = %p", al);
  CHECK(shmem_addr_accessible(al, right), "shmemalign'd memory is not symmetric");
  CHECK((shmem_ptr(al, right) != NULL) == check_load_store(right),
        "shmem_ptr(shmemalign'd memory, %d) is %p", right, shmem_ptr(al, right));

  /* the cache routines are no-ops on coherent memory, but must exist */
  shmem_set_cache_inv();
  shmem_set_cache_line_inv(a);
  shmem_clear_cache_inv();
  shmem_clear_cache_line_inv(a);
  shmem_udcflush();
  shmem_udcflush_line(a);

  shfree(al);
  shfree(a);
  shmem_barrier_all();
  return 0; /* no shmem_finalize */
}
