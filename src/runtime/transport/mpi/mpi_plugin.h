/* transport/mpi/mpi_plugin.h - the boundary between libshmem and its MPI
 * plugin, libshmem_mpi.so.
 *
 * libshmem links no MPI: when a job is started by mpiexec (or
 * SHMEM_TRANSPORT=mpi) it loads the plugin with dlopen, and only the
 * plugin links libmpi.  The plugin is MPI and nothing else: the bootstrap
 * (rank, size, a job id, an allgather, a barrier, abort) and one-sided
 * operations on one window per symmetric region, in plain C types.  The
 * transport table the core calls (transport/mpi/mpi.cpp) is built in
 * libshmem on top of it.  SHMEMI_MPI_PLUGIN_ABI changes with any change of
 * this struct; libshmem refuses a plugin of another ABI. */
#ifndef SHMEMI_MPI_PLUGIN_H
#define SHMEMI_MPI_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define SHMEMI_MPI_PLUGIN_ABI 3

#ifdef __cplusplus
extern "C" {
#endif

/* AMO operations and types: the values of AmoOp and TypeCode
 * (transport/transport.hpp), checked there by static_asserts. */
enum { SHMEMI_MPI_FETCH, SHMEMI_MPI_SET, SHMEMI_MPI_SWAP, SHMEMI_MPI_CSWAP,
       SHMEMI_MPI_FADD, SHMEMI_MPI_FAND, SHMEMI_MPI_FOR, SHMEMI_MPI_FXOR };
enum { SHMEMI_MPI_I32, SHMEMI_MPI_I64, SHMEMI_MPI_U32, SHMEMI_MPI_U64, SHMEMI_MPI_F32,
       SHMEMI_MPI_F64 };

/* A collective on a team's communicator: the values of shmemi::Coll
 * (transport/transport.hpp), checked there. */
enum { SHMEMI_MPI_ALLREDUCE, SHMEMI_MPI_INSCAN, SHMEMI_MPI_EXSCAN, SHMEMI_MPI_BCAST,
       SHMEMI_MPI_ALLGATHER, SHMEMI_MPI_ALLGATHERV, SHMEMI_MPI_ALLTOALL };
/* Reductions: the kind of element (its size says which) and the operator. */
enum { SHMEMI_MPI_SIGNED, SHMEMI_MPI_UNSIGNED, SHMEMI_MPI_REAL, SHMEMI_MPI_COMPLEX };
enum { SHMEMI_MPI_BAND, SHMEMI_MPI_BOR, SHMEMI_MPI_BXOR, SHMEMI_MPI_MAX, SHMEMI_MPI_MIN,
       SHMEMI_MPI_SUM, SHMEMI_MPI_PROD };
typedef struct shmemi_mpi_coll {
  int what;           /* SHMEMI_MPI_ALLREDUCE ... */
  const void *source; /* NULL: in place, dest holds this member's part */
  void *dest;
  size_t count;        /* elements (reductions, scans), else bytes per member */
  const int *counts;   /* ALLGATHERV: each member's bytes */
  const int *displs;   /* ALLGATHERV: where each member's bytes go in dest */
  int root;            /* BCAST, as a member number */
  int kind, size, op;  /* reductions and scans: element kind and size, operator */
} shmemi_mpi_coll;
/* Room for one MPI_Request. */
#define SHMEMI_MPI_REQUEST_BYTES 16

typedef struct shmemi_mpi_plugin {
  int abi; /* SHMEMI_MPI_PLUGIN_ABI */

  /* Bootstrap.  init starts MPI unless the program already did (mpi4py, or
   * MPI_Init before shmem_init), asking for MPI_THREAD_MULTIPLE; it returns
   * NULL or what is missing (a message), and in *threads the thread level
   * the MPI provides, as 0 single, 1 funneled, 2 serialized, 3 multiple. */
  const char *(*init)(int *rank, int *size, int *threads);
  const char *(*library_version)(void);
  void (*allgather)(const void *mine, void *all, size_t bytes);
  void (*barrier)(void);
  /* A barrier that gives up after `seconds`: 1 if every PE entered it. */
  int (*barrier_within)(double seconds);
  void (*abort)(int status);
  /* Ends MPI if init started it (and nobody else finalized it). */
  void (*finalize)(void);
  /* Which PEs share a node (MPI_Comm_split_type SHARED), collective:
   * leader[pe] is the lowest rank on PE pe's node, for every PE. */
  void (*node_leaders)(int *leader);

  /* Windows: one per symmetric region (0 heap, 1 data), exposing [base,
   * base + bytes) of every PE, collective, under one passive-target epoch
   * to every PE.  Returns NULL or an error message. */
  const char *(*attach)(int region, void *base, size_t bytes);
  /* The same for memory the MPI allocates (MPI_Win_allocate, which lets an
   * MPI reach the PEs of one node by loads and stores, without their
   * help): *base receives bytes aligned to align. */
  const char *(*allocate)(int region, size_t bytes, size_t align, void **base);
  void (*detach)(void); /* collective: frees every window */

  /* One-sided operations on PE pe at byte offset off of a region.  put
   * with wait_local returns once src may be reused, get with wait returns
   * with dst filled; without, the next flush completes them. */
  void (*put)(int region, int pe, size_t off, const void *src, size_t bytes, int wait_local);
  void (*get)(int region, int pe, size_t off, void *dst, size_t bytes, int wait);
  /* One AMO, complete at the target when it returns; result may be NULL
   * for a non-fetching one. */
  void (*amo)(int region, int pe, size_t off, int op, int type, const void *operand,
              const void *cond, void *result);
  /* Completes every operation to PE pe (pe < 0: to every PE) at its target. */
  void (*flush)(int pe);
  /* Makes other PEs' updates of this PE's windows visible to its loads, and
   * lets MPI move operations that target this PE. */
  void (*progress)(void);

  /* Teams.  A team is a communicator: team_world's has every PE (ours
   * alone, apart from the bootstrap's), team_split makes one per color of
   * a parent's members (collective over the parent; color < 0: none for
   * this PE, NULL), ordered by key. */
  void *(*team_world)(void);
  void *(*team_split)(void *parent, int color, int key);
  void (*team_free)(void *team);
  /* Starts a collective on a team (nonblocking) in request, which
   * coll_test completes: 1 once it is done (the request is then free). */
  void (*coll_start)(void *team, const shmemi_mpi_coll *c, void *request);
  int (*coll_test)(void *request);
} shmemi_mpi_plugin;

/* The plugin's one symbol. */
const shmemi_mpi_plugin *shmemi_mpi_plugin_get(void);

#ifdef __cplusplus
}
#endif
#endif /* SHMEMI_MPI_PLUGIN_H */
