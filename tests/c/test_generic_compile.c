/* C11 type-generic interfaces (shmem_generic.h): a compile check (a type
 * outside a routine's table or a wrong argument count fails to build), then
 * a run check that each generic reaches the right typed routine.  The body
 * is shared with test_generic_compile.cpp (generic_calls.h). */
#include <shmem.h>

#include <complex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L
#error "this test needs C11 (_Generic)"
#endif

#define NE 4
#define SYM(T, n) ((T *)shmem_calloc((n), sizeof(T)))
#define MKZD(x, y) ((double)(x) + (double)(y) * I)
#define MKZF(x, y) ((float)(x) + (float)(y) * I)

#include "generic_calls.h"
