/* ring_put.c - each PE puts its number into the next PE's symmetric array,
 * then checks what its predecessor sent.
 *   shmemcc ring_put.c -o ring_put && shmemrun -n 4 ./ring_put */
#include <shmem.h>
#include <stdio.h>

#define N 8

int main(void) {
  shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();
  int *inbox = shmem_calloc(N, sizeof(int));
  int msg[N];
  for (int i = 0; i < N; ++i) msg[i] = me * 100 + i;

  shmem_int_put(inbox, msg, N, (me + 1) % npes);
  shmem_barrier_all(); /* all puts are complete and visible */

  int from = (me + npes - 1) % npes, ok = 1;
  for (int i = 0; i < N; ++i) ok &= inbox[i] == from * 100 + i;
  printf("PE %d received %d..%d from PE %d: %s\n", me, inbox[0], inbox[N - 1], from,
         ok ? "ok" : "WRONG");
  shmem_free(inbox);
  shmem_finalize();
  return ok ? 0 : 1;
}
