/* malloc_out_of_step.c - PE 1 asks shmem_align for an alignment that PE 0
 * does not (run with 2 or more PEs).  (Different sizes alone are tolerated:
 * every PE gets the largest; test_heap.c checks that.) */
#include <shmem.h>
#include <stdio.h>

int main(void) {
  shmem_init();
  void *p = shmem_my_pe() == 1 ? shmem_align(4096, 1024) : shmem_malloc(1024);
  fprintf(stderr, "misuse not detected (%p)\n", p);
  shmem_finalize();
  return 0;
}
