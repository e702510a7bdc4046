/* free_not_malloc.c MODE - shmem_free of a pointer shmem_malloc did not
 * return.  MODE: libc (a malloc'd pointer), interior (a pointer into a
 * symmetric block), twice (a block freed a second time), out_of_step (PE 1
 * frees a different block than PE 0; run with 2 or more PEs), realloc_libc
 * (shmem_realloc of a malloc'd pointer). */
#include <shmem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "libc";
  shmem_init();
  if (!strcmp(mode, "libc")) {
    void *p = malloc(64);
    shmem_free(p);
  } else if (!strcmp(mode, "realloc_libc")) {
    void *p = malloc(64);
    (void)shmem_realloc(p, 128);
  } else if (!strcmp(mode, "interior")) {
    char *p = shmem_malloc(256);
    shmem_free(p + 64);
  } else if (!strcmp(mode, "twice")) {
    char *p = shmem_malloc(256);
    shmem_free(p);
    shmem_free(p);
  } else if (!strcmp(mode, "out_of_step")) {
    char *a = shmem_malloc(256), *b = shmem_malloc(256);
    shmem_free(shmem_my_pe() == 1 ? b : a);
    /* were it not caught, the heaps now differ: this block is `a` on PE 0
     * and `b` on PE 1, and a put to it on PE 1 would land in PE 1's `a` */
    char *c = shmem_malloc(256);
    fprintf(stderr, "PE %d: a=%p b=%p c=%p\n", shmem_my_pe(), (void *)a, (void *)b,
            (void *)c);
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 0;
  }
  fprintf(stderr, "misuse not detected\n");
  shmem_finalize();
  return 0;
}
