/* mpp/shmemx.h - the extensions header where SGI/Cray SHMEM programs look
 * for it (#include <mpp/shmemx.h>): the same header as <shmemx.h>. */
#include "../shmemx.h"
