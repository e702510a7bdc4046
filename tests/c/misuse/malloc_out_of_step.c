/* malloc_out_of_step.c - PE 1 asks shmem_malloc for a different size than
 * PE 0 (run with 2 or more PEs). */
#include <shmem.h>
#include <stdio.h>

int main(void) {
  shmem_init();
  size_t size = shmem_my_pe() == 1 ? 2048 : 1024;
  void *p = shmem_malloc(size);
  fprintf(stderr, "misuse not detected (%p)\n", p);
  shmem_finalize();
  return 0;
}
