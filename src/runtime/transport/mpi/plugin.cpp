// transport/mpi/plugin.cpp - libshmem_mpi.so: MPI-3 passive-target RMA
// behind the plain-C boundary of mpi_plugin.h.  Each symmetric region is
// one window, locked to every PE once (lock_all) for the job's life; puts
// and gets are MPI_Put/MPI_Get, AMOs MPI_Fetch_and_op, MPI_Compare_and_swap
// and MPI_Accumulate, completion MPI_Win_flush.
#include <mpi.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <vector>

#include "mpi_plugin.h"
#include "window_hints.h"

namespace {

MPI_Comm comm = MPI_COMM_NULL; // a duplicate of MPI_COMM_WORLD: ours alone
// The world team's communicator, another duplicate: the bootstrap's
// barriers on comm (an exiting PE's among them) never pair with a team's
// collectives.
MPI_Comm *world_team = nullptr;
MPI_Win win[2] = {MPI_WIN_NULL, MPI_WIN_NULL};
// Per region, where each PE's region starts in its window (allocate aligns
// inside the MPI's memory, at a different distance on each PE).
std::vector<MPI_Aint> bias[2];
bool we_started_mpi = false;
char error_text[512];

// MPI counts are int: a transfer moves in pieces of at most 1 GiB.
constexpr size_t kPiece = size_t(1) << 30;

MPI_Datatype mpi_type(int t) {
  switch (t) {
  case SHMEMI_MPI_I32: return MPI_INT32_T;
  case SHMEMI_MPI_I64: return MPI_INT64_T;
  case SHMEMI_MPI_U32: return MPI_UINT32_T;
  case SHMEMI_MPI_U64: return MPI_UINT64_T;
  case SHMEMI_MPI_F32: return MPI_FLOAT;
  default: return MPI_DOUBLE;
  }
}

MPI_Op mpi_op(int op) {
  switch (op) {
  case SHMEMI_MPI_FETCH: return MPI_NO_OP;
  case SHMEMI_MPI_SET:
  case SHMEMI_MPI_SWAP: return MPI_REPLACE;
  case SHMEMI_MPI_FADD: return MPI_SUM;
  case SHMEMI_MPI_FAND: return MPI_BAND;
  case SHMEMI_MPI_FOR: return MPI_BOR;
  default: return MPI_BXOR;
  }
}

const char *init(int *rank, int *size, int *threads) {
  int started = 0;
  MPI_Initialized(&started);
  int provided = MPI_THREAD_SINGLE;
  if (!started) {
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS)
      return "MPI_Init_thread failed";
    we_started_mpi = true;
  } else {
    MPI_Query_thread(&provided);
  }
  // The transport is MPI-3 RMA (MPI_Win_allocate, lock_all, flush,
  // Fetch_and_op): an older MPI is named, not failed on later.
  int version = 0, subversion = 0;
  MPI_Get_version(&version, &subversion);
  if (version < 3) {
    snprintf(error_text, sizeof error_text,
             "the MPI is version %d.%d; the mpi transport needs MPI-3 one-sided communication "
             "(MPI_Win_allocate, MPI_Win_lock_all, MPI_Fetch_and_op)",
             version, subversion);
    return error_text;
  }
  *threads = provided == MPI_THREAD_MULTIPLE     ? 3
             : provided == MPI_THREAD_SERIALIZED ? 2
             : provided == MPI_THREAD_FUNNELED   ? 1
                                                 : 0;
  // Passive-target RMA from one thread at a time needs no more; a program
  // that calls SHMEM from several threads asks for more at shmem_init_thread.
  MPI_Comm_dup(MPI_COMM_WORLD, &comm);
  MPI_Comm_set_errhandler(comm, MPI_ERRORS_ARE_FATAL);
  MPI_Comm_rank(comm, rank);
  MPI_Comm_size(comm, size);
  return nullptr;
}

const char *library_version() {
  static char v[MPI_MAX_LIBRARY_VERSION_STRING];
  int n = 0;
  MPI_Get_library_version(v, &n);
  if (char *nl = strchr(v, '\n')) *nl = '\0';
  return v;
}

void allgather(const void *mine, void *all, size_t bytes) {
  MPI_Allgather(mine, static_cast<int>(bytes), MPI_BYTE, all, static_cast<int>(bytes), MPI_BYTE,
                comm);
}

void barrier() { MPI_Barrier(comm); }

int barrier_within(double seconds) {
  MPI_Request req;
  MPI_Ibarrier(comm, &req);
  const double until = MPI_Wtime() + seconds;
  int done = 0;
  while (!(MPI_Test(&req, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && done) &&
         MPI_Wtime() < until) {
  }
  return done;
}

void abort_job(int status) { MPI_Abort(comm != MPI_COMM_NULL ? comm : MPI_COMM_WORLD, status); }

void finalize() {
  // The program may have finalized MPI itself (it started it, or mpi4py
  // did at exit): then nothing of MPI may be called any more.
  int done = 0;
  MPI_Finalized(&done);
  if (!done && world_team) MPI_Comm_free(world_team);
  delete world_team;
  world_team = nullptr;
  if (!done && comm != MPI_COMM_NULL) MPI_Comm_free(&comm);
  comm = MPI_COMM_NULL;
  if (we_started_mpi && !done) MPI_Finalize();
  we_started_mpi = false;
}

void node_leaders(int *leader) {
  MPI_Comm node;
  MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  int me = 0, lowest = 0;
  MPI_Comm_rank(comm, &me);
  MPI_Allreduce(&me, &lowest, 1, MPI_INT, MPI_MIN, node);
  MPI_Comm_free(&node);
  MPI_Allgather(&lowest, 1, MPI_INT, leader, 1, MPI_INT, comm);
}

int nprocs() {
  int n = 0;
  MPI_Comm_size(comm, &n);
  return n;
}

// This PE reads its own windows by plain loads (waits, and the memory that
// other PEs update through MPI): that needs the unified memory model, where
// public and private copies of a window are one.
const char *check_model(int region) {
  int *model = nullptr, found = 0;
  MPI_Win_get_attr(win[region], MPI_WIN_MODEL, &model, &found);
  if (found && *model != MPI_WIN_UNIFIED) {
    snprintf(error_text, sizeof error_text,
             "the MPI gives the %s window the separate memory model (MPI_WIN_SEPARATE); the "
             "mpi transport needs MPI_WIN_UNIFIED, where this PE's loads see what other PEs "
             "write through MPI",
             region == 0 ? "heap" : "data segment");
    return error_text;
  }
  return nullptr;
}

const char *attach(int region, void *base, size_t bytes) {
  MPI_Info info = shmemi_window_info();
  int rc = MPI_Win_create(bytes ? base : nullptr, static_cast<MPI_Aint>(bytes), 1, info, comm,
                          &win[region]);
  MPI_Info_free(&info);
  if (rc != MPI_SUCCESS) {
    snprintf(error_text, sizeof error_text, "MPI_Win_create of %zu bytes failed", bytes);
    return error_text;
  }
  bias[region].assign(static_cast<size_t>(nprocs()), 0);
  MPI_Win_lock_all(MPI_MODE_NOCHECK, win[region]);
  return check_model(region);
}

const char *allocate(int region, size_t bytes, size_t align, void **base) {
  MPI_Info info = shmemi_window_info();
  char *p = nullptr;
  int rc = MPI_Win_allocate(static_cast<MPI_Aint>(bytes + align), 1, info, comm, &p,
                            &win[region]);
  MPI_Info_free(&info);
  if (rc != MPI_SUCCESS) {
    snprintf(error_text, sizeof error_text, "MPI_Win_allocate of %zu bytes failed", bytes + align);
    return error_text;
  }
  const uintptr_t at = (reinterpret_cast<uintptr_t>(p) + align - 1) & ~(uintptr_t)(align - 1);
  MPI_Aint mine = static_cast<MPI_Aint>(at - reinterpret_cast<uintptr_t>(p));
  bias[region].assign(static_cast<size_t>(nprocs()), 0);
  MPI_Allgather(&mine, 1, MPI_AINT, bias[region].data(), 1, MPI_AINT, comm);
  MPI_Win_lock_all(MPI_MODE_NOCHECK, win[region]);
  *base = reinterpret_cast<void *>(at);
  return check_model(region);
}

void detach() {
  for (MPI_Win &w : win)
    if (w != MPI_WIN_NULL) {
      MPI_Win_unlock_all(w);
      MPI_Win_free(&w);
    }
}

void put(int region, int pe, size_t off, const void *src, size_t bytes, int wait_local) {
  const char *s = static_cast<const char *>(src);
  for (size_t done = 0; done < bytes; done += kPiece) {
    const int n = static_cast<int>(bytes - done < kPiece ? bytes - done : kPiece);
    MPI_Put(s + done, n, MPI_BYTE, pe, bias[region][pe] + static_cast<MPI_Aint>(off + done), n,
            MPI_BYTE, win[region]);
  }
  if (wait_local) MPI_Win_flush_local(pe, win[region]);
}

void get(int region, int pe, size_t off, void *dst, size_t bytes, int wait) {
  char *d = static_cast<char *>(dst);
  for (size_t done = 0; done < bytes; done += kPiece) {
    const int n = static_cast<int>(bytes - done < kPiece ? bytes - done : kPiece);
    MPI_Get(d + done, n, MPI_BYTE, pe, bias[region][pe] + static_cast<MPI_Aint>(off + done), n,
            MPI_BYTE, win[region]);
  }
  if (wait) MPI_Win_flush(pe, win[region]);
}

void amo(int region, int pe, size_t off, int op, int type, const void *operand, const void *cond,
         void *result) {
  const MPI_Datatype t = mpi_type(type);
  const MPI_Aint disp = bias[region][pe] + static_cast<MPI_Aint>(off);
  MPI_Win w = win[region];
  if (op == SHMEMI_MPI_CSWAP) {
    unsigned char ignored[8];
    MPI_Compare_and_swap(operand, cond, result ? result : ignored, t, pe, disp, w);
  } else if (result != nullptr || op == SHMEMI_MPI_FETCH) {
    unsigned char ignored[8];
    MPI_Fetch_and_op(operand, result ? result : ignored, t, pe, disp, mpi_op(op), w);
  } else {
    MPI_Accumulate(operand, 1, t, pe, disp, 1, t, mpi_op(op), w);
  }
  MPI_Win_flush(pe, w);
}

void flush(int pe) {
  for (MPI_Win w : win) {
    if (w == MPI_WIN_NULL) continue;
    if (pe < 0)
      MPI_Win_flush_all(w);
    else
      MPI_Win_flush(pe, w);
  }
}

void progress() {
  // An MPI that moves RMA in software does so while the target calls it;
  // Iprobe on our own communicator is the cheapest such call.
  int flag = 0;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &flag, MPI_STATUS_IGNORE);
  for (MPI_Win w : win)
    if (w != MPI_WIN_NULL) MPI_Win_sync(w);
}

// ---- teams and their collectives -----------------------------------------

void *team_world() {
  if (!world_team) {
    world_team = new MPI_Comm;
    MPI_Comm_dup(comm, world_team);
  }
  return world_team;
}

void *team_split(void *parent, int color, int key) {
  MPI_Comm made = MPI_COMM_NULL;
  MPI_Comm_split(*static_cast<MPI_Comm *>(parent), color < 0 ? MPI_UNDEFINED : color, key,
                 &made);
  return made == MPI_COMM_NULL ? nullptr : new MPI_Comm(made);
}

void team_free(void *team) {
  auto *c = static_cast<MPI_Comm *>(team);
  if (c == world_team) return; // finalize frees it
  int done = 0;
  MPI_Finalized(&done);
  if (!done) MPI_Comm_free(c);
  delete c;
}

MPI_Datatype element_type(int kind, int size) {
  switch (kind) {
  case SHMEMI_MPI_SIGNED:
    return size == 1 ? MPI_INT8_T : size == 2 ? MPI_INT16_T : size == 4 ? MPI_INT32_T : MPI_INT64_T;
  case SHMEMI_MPI_UNSIGNED:
    return size == 1   ? MPI_UINT8_T
           : size == 2 ? MPI_UINT16_T
           : size == 4 ? MPI_UINT32_T
                       : MPI_UINT64_T;
  case SHMEMI_MPI_REAL:
    return size == 4 ? MPI_FLOAT : size == 8 ? MPI_DOUBLE : MPI_LONG_DOUBLE;
  default: return size == 8 ? MPI_C_FLOAT_COMPLEX : MPI_C_DOUBLE_COMPLEX;
  }
}

MPI_Op reduce_op(int op) {
  static const MPI_Op ops[] = {MPI_BAND, MPI_BOR, MPI_BXOR, MPI_MAX, MPI_MIN, MPI_SUM, MPI_PROD};
  return ops[op];
}

static_assert(sizeof(MPI_Request) <= SHMEMI_MPI_REQUEST_BYTES, "an MPI_Request fits the room");

void coll_start(void *team, const shmemi_mpi_coll *c, void *request) {
  MPI_Comm tc = *static_cast<MPI_Comm *>(team);
  auto *req = static_cast<MPI_Request *>(request);
  const void *src = c->source ? c->source : MPI_IN_PLACE;
  const int n = static_cast<int>(c->count); // the core keeps counts within int
  switch (c->what) {
  case SHMEMI_MPI_ALLREDUCE:
  case SHMEMI_MPI_INSCAN:
  case SHMEMI_MPI_EXSCAN: {
    const MPI_Datatype t = element_type(c->kind, c->size);
    const MPI_Op op = reduce_op(c->op);
    if (c->what == SHMEMI_MPI_ALLREDUCE)
      MPI_Iallreduce(src, c->dest, n, t, op, tc, req);
    else if (c->what == SHMEMI_MPI_INSCAN)
      MPI_Iscan(src, c->dest, n, t, op, tc, req);
    else
      MPI_Iexscan(src, c->dest, n, t, op, tc, req);
    break;
  }
  case SHMEMI_MPI_BCAST: {
    int me = 0;
    MPI_Comm_rank(tc, &me);
    // The root sends from source, the others receive into dest.
    void *buf = me == c->root && c->source ? const_cast<void *>(c->source) : c->dest;
    MPI_Ibcast(buf, n, MPI_BYTE, c->root, tc, req);
    break;
  }
  case SHMEMI_MPI_ALLGATHER: MPI_Iallgather(src, n, MPI_BYTE, c->dest, n, MPI_BYTE, tc, req); break;
  case SHMEMI_MPI_ALLGATHERV:
    MPI_Iallgatherv(src, n, MPI_BYTE, c->dest, c->counts, c->displs, MPI_BYTE, tc, req);
    break;
  default: MPI_Ialltoall(src, n, MPI_BYTE, c->dest, n, MPI_BYTE, tc, req); break;
  }
}

int coll_test(void *request) {
  int done = 0;
  MPI_Test(static_cast<MPI_Request *>(request), &done, MPI_STATUS_IGNORE);
  return done;
}

const shmemi_mpi_plugin plugin = {
    SHMEMI_MPI_PLUGIN_ABI, init, library_version, allgather, barrier, barrier_within, abort_job,
    finalize, node_leaders,
    attach, allocate, detach, put, get, amo, flush, progress,
    team_world, team_split, team_free, coll_start, coll_test,
};

} // namespace

extern "C" __attribute__((visibility("default"))) const shmemi_mpi_plugin *
shmemi_mpi_plugin_get(void) {
  return &plugin;
}
