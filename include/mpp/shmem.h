/* mpp/shmem.h - where SGI/Cray SHMEM and OpenSHMEM 1.0 programs include
 * the API from (#include <mpp/shmem.h>): the same header as <shmem.h>. */
#include "../shmem.h"
