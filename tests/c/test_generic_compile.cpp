/* C++ overloads of the generic interfaces (shmem_generic.h): a compile
 * check (overload resolution must find exactly one typed routine), then a
 * run check that each overload reaches the right one.  The body is shared
 * with test_generic_compile.c (generic_calls.h).  Complex reductions use the
 * C type double _Complex (a GNU C++ extension). */
#include <shmem.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "check.h"

static const int NE = 4;

/* x + y i, built through the two-reals layout of a complex. */
template <class Z, class R>
static Z mkz(R x, R y) {
  R a[2] = {x, y};
  Z z;
  std::memcpy(&z, a, sizeof z);
  return z;
}

#define SYM(T, n) (static_cast<T *>(shmem_calloc((n), sizeof(T))))
#define MKZD(x, y) mkz<double _Complex, double>((x), (y))
#define MKZF(x, y) mkz<float _Complex, float>((x), (y))

#include "generic_calls.h"
