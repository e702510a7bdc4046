/* putmem_huge.c MODE - a transfer that runs past the end of the symmetric
 * heap.  MODE: putmem (shmem_putmem of 1 TiB into a small block), getmem
 * (shmem_getmem of 1 TiB from it), iput (shmem_long_iput whose last element
 * lies past the end of the heap). */
#include <shmem.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "putmem";
  shmem_init();
  char *p = shmem_malloc(1024);
  int right = (shmem_my_pe() + 1) % shmem_n_pes();
  size_t huge = (size_t)1 << 40;
  if (!strcmp(mode, "putmem")) {
    shmem_putmem(p, p, huge, right);
  } else if (!strcmp(mode, "getmem")) {
    shmem_getmem(p, p, huge, right);
  } else if (!strcmp(mode, "iput")) {
    long v[2] = {1, 2};
    shmem_long_iput((long *)p, v, (ptrdiff_t)1 << 37, 1, 2, right);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 0;
  }
  fprintf(stderr, "misuse not detected\n");
  shmem_finalize();
  return 0;
}
