/* put_stack.c - a put whose destination is a stack (non-symmetric)
 * variable. */
#include <shmem.h>
#include <stdio.h>

int main(void) {
  shmem_init();
  long on_stack[4] = {0, 0, 0, 0};
  long v[4] = {1, 2, 3, 4};
  shmem_long_put(on_stack, v, 4, (shmem_my_pe() + 1) % shmem_n_pes());
  fprintf(stderr, "misuse not detected (%ld)\n", on_stack[0]);
  shmem_finalize();
  return 0;
}
