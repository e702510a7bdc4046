"""The inlined fast paths of shmem_inline.h: an optimized program reads the
library's published fast-path state instead of calling the small RMA
routines; at -O0 or with SHMEM_NO_INLINE it calls them.  Both kinds of build
move the same data (test_rma and test_rma_noinline check every routine)."""
import subprocess

import pytest

from jobs import BUILD, run_job

PROGRAM = r"""
#include <shmem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  shmem_init();
  int me = shmem_my_pe(), npes = shmem_n_pes();
  long *x = shmem_calloc(1, sizeof(long));
  /* the state the inlined paths read is the library's (a copy relocation in
   * a PIE must not leave the program a stale copy) */
#ifdef SHMEM_INLINE_H
  if (shmemi_fastpath.version != SHMEMI_FASTPATH_VERSION || shmemi_fastpath.npes != npes)
    return 2;
  /* per PE: a heap address exactly for load/store PEs, the AMO flag apart */
  const char *loop = getenv("SHMEMI_NETWORK_LOOPBACK");
  int all = !loop || !strcmp(loop, "0") || npes == 1, amo = loop && !strcmp(loop, "amo");
  if (shmemi_fastpath.load_store != all) return 4;
  for (int pe = 0; pe < npes; ++pe) {
    int want = all || pe == me ? SHMEMI_REACH_LOAD_STORE | SHMEMI_REACH_AMO
               : amo           ? SHMEMI_REACH_LOAD_STORE
                               : 0;
    if (shmemi_fastpath.reach[pe] != want) return 5;
    if ((shmemi_fastpath.peer_heap[pe] != NULL) != !!(want & SHMEMI_REACH_LOAD_STORE)) return 6;
    if ((shmem_ptr(x, pe) != NULL) != !!(want & SHMEMI_REACH_LOAD_STORE)) return 7;
  }
#endif
  shmem_long_p(x, 100 + me, (me + 1) % npes);
  shmem_fence();
  shmem_barrier_all();
  shmem_long_atomic_add(x, 1000, (me + 1) % npes);
  shmem_barrier_all();
  long left = shmem_long_g(x, me);
  if (left != 1100 + (me + npes - 1) % npes) return 1;
  shmem_free(x);
  shmem_finalize();
#ifdef SHMEM_INLINE_H
  if (shmemi_fastpath.npes != 0) return 3;
#endif
  shmem_long_p(x, 1, 0);   /* after finalize: the library diagnoses it */
  return 0;
}
"""


def build(tmp_path, name, *flags):
    src = tmp_path / "inline.c"
    src.write_text(PROGRAM)
    exe = tmp_path / name
    r = subprocess.run([BUILD / "shmemcc", *flags, src, "-o", exe], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return exe


def dynamic_symbols(exe):
    """The dynamic symbols of exe (shmemi_fastpath2 is a copy relocation in
    a PIE: defined in the program's bss, shared with the library)."""
    out = subprocess.run(["nm", "-D", exe], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}


@pytest.mark.parametrize("flags,inlined", [
    (("-O2",), True),
    (("-O0",), False),
    (("-O2", "-DSHMEM_NO_INLINE"), False),
])
@pytest.mark.parametrize("loopback", ("0", "1", "amo"))
def test_inline_build_and_run(tmp_path, flags, inlined, loopback, no_leaked_segments):
    """The published state says, per PE, what the inlined paths may do:
    every PE by loads, stores and CPU atomics on one node; only this PE
    when the others are routed through the transport interface
    (SHMEMI_NETWORK_LOOPBACK=1); loads and stores but not atomics with
    =amo.  Either way the program's RMA and AMOs move the right data."""
    exe = build(tmp_path, "prog", *flags)
    assert ("shmemi_fastpath2" in dynamic_symbols(exe)) == inlined
    for npes in (1, 2, 3, 4):
        r = run_job([exe], npes, env={"SHMEMI_NETWORK_LOOPBACK": loopback})
        assert r.returncode != 0 and "after shmem_finalize" in r.stderr, r.stderr
        assert "shmem_long_p" in r.stderr


LAYOUT1 = r"""
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
/* What a program compiled against layout 1 of the published struct (no
 * version field) declares: the symbol shmemi_fastpath, 32 bytes. */
extern struct {
  uintptr_t heap;
  size_t heap_size;
  char *const *peer_heap;
  int npes;
  int load_store;
} shmemi_fastpath;
void shmem_init(void);
void shmem_finalize(void);
int main(void) {
  shmem_init();
  printf("LAYOUT1 %lu %lu %d %d\n", (unsigned long)shmemi_fastpath.heap,
         (unsigned long)shmemi_fastpath.heap_size, shmemi_fastpath.npes,
         shmemi_fastpath.load_store);
  shmem_finalize();
  return 0;
}
"""


def test_layout1_programs_take_the_library_path(tmp_path, no_leaked_segments):
    """A program built against the unversioned layout binds to a symbol the
    library keeps all zero (npes 0: it calls the library), never to the
    current struct, which it would misread (or overflow by its copy
    relocation)."""
    src = tmp_path / "layout1.c"
    src.write_text(LAYOUT1)
    exe = tmp_path / "layout1"
    r = subprocess.run([BUILD / "shmemcc", "-O2", src, "-o", exe], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    for npes in (1, 3):
        r = run_job([exe], npes)
        assert r.returncode == 0, r.stderr
        assert r.stdout.count("LAYOUT1 0 0 0 0") == npes, r.stdout
        assert "different size" not in r.stderr, r.stderr
