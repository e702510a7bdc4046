/* my_pe_before_init.c - shmem_my_pe before shmem_init. */
#include <shmem.h>
#include <stdio.h>

int main(void) {
  int me = shmem_my_pe();
  fprintf(stderr, "misuse not detected (my_pe %d)\n", me);
  shmem_init();
  shmem_finalize();
  return 0;
}
