// transport/mpi/mpi.cpp - the mpi transport's table, over the plugin.
#include "mpi.hpp"

#include <dlfcn.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "../../core/control.hpp"
#include "../shm/shm.hpp"
#include "mpi_plugin.h"

namespace shmemi::mpi {
namespace {

const shmemi_mpi_plugin *plugin = nullptr;

static_assert(int(AmoOp::fetch) == SHMEMI_MPI_FETCH && int(AmoOp::fetch_xor) == SHMEMI_MPI_FXOR &&
                  int(AmoOp::compare_swap) == SHMEMI_MPI_CSWAP,
              "mpi_plugin.h numbers the AMOs as AmoOp does");
static_assert(int(TypeCode::i32) == SHMEMI_MPI_I32 && int(TypeCode::f64) == SHMEMI_MPI_F64,
              "mpi_plugin.h numbers the types as TypeCode does");
static_assert(int(Coll::allreduce) == SHMEMI_MPI_ALLREDUCE && int(Coll::alltoall) == SHMEMI_MPI_ALLTOALL &&
                  int(Coll::broadcast) == SHMEMI_MPI_BCAST,
              "mpi_plugin.h numbers the collectives as Coll does");
static_assert(int(ElemKind::complex) == SHMEMI_MPI_COMPLEX && int(ReduceOp::prod) == SHMEMI_MPI_PROD &&
                  int(ReduceOp::max) == SHMEMI_MPI_MAX,
              "mpi_plugin.h numbers element kinds and operators as transport.hpp does");
static_assert(sizeof(CollRequest) >= SHMEMI_MPI_REQUEST_BYTES, "a CollRequest holds the plugin's");

bool env_has(const char *name) {
  const char *v = getenv(name);
  return v && *v;
}

// The plugin sits beside libshmem.so (the build tree, the wheel, an
// install); SHMEM_MPI_PLUGIN names another.
std::string plugin_path() {
  if (env_has("SHMEM_MPI_PLUGIN")) return getenv("SHMEM_MPI_PLUGIN");
  Dl_info info{};
  if (dladdr(reinterpret_cast<void *>(&plugin_path), &info) && info.dli_fname) {
    std::string self = info.dli_fname;
    size_t slash = self.rfind('/');
    if (slash != std::string::npos) return self.substr(0, slash + 1) + "libshmem_mpi.so";
  }
  return "libshmem_mpi.so";
}

int region(RegionId rg) { return static_cast<int>(rg); }

// ---- the table ----------------------------------------------------------
// Blocking puts wait for the local buffer only (MPI_Win_flush_local); quiet
// and fence flush every window to every PE.  Contexts share the windows,
// so a quiet on one completes the operations of all: more than required.

void ctx_create(shmemi_ctx *) {}
void ctx_destroy(shmemi_ctx *) { plugin->flush(-1); }

void put(shmemi_ctx *, int pe, RegionId rg, size_t off, const void *src, size_t bytes) {
  plugin->put(region(rg), pe, off, src, bytes, 1);
}
void get(shmemi_ctx *, int pe, RegionId rg, size_t off, void *dst, size_t bytes) {
  plugin->get(region(rg), pe, off, dst, bytes, 1);
}
void put_nbi(shmemi_ctx *, int pe, RegionId rg, size_t off, const void *src, size_t bytes) {
  plugin->put(region(rg), pe, off, src, bytes, 0);
}
void get_nbi(shmemi_ctx *, int pe, RegionId rg, size_t off, void *dst, size_t bytes) {
  plugin->get(region(rg), pe, off, dst, bytes, 0);
}
void amo(shmemi_ctx *, int pe, RegionId rg, size_t off, AmoOp op, TypeCode type,
         const void *operand, const void *cond, void *result) {
  plugin->amo(region(rg), pe, off, static_cast<int>(op), static_cast<int>(type), operand, cond,
              result);
}

// Synchronization words: a store or add is released after this PE's
// earlier operations to the PE (they are flushed first).
void sync_store(int pe, RegionId rg, size_t off, uint64_t value) {
  plugin->flush(pe);
  plugin->amo(region(rg), pe, off, SHMEMI_MPI_SET, SHMEMI_MPI_U64, &value, nullptr, nullptr);
}
uint64_t sync_add(int pe, RegionId rg, size_t off, uint64_t value) {
  plugin->flush(pe);
  uint64_t old = 0;
  plugin->amo(region(rg), pe, off, SHMEMI_MPI_FADD, SHMEMI_MPI_U64, &value, nullptr, &old);
  return old;
}
uint64_t sync_load(int pe, RegionId rg, size_t off) {
  uint64_t v = 0;
  plugin->amo(region(rg), pe, off, SHMEMI_MPI_FETCH, SHMEMI_MPI_U64, nullptr, nullptr, &v);
  return v;
}
void progress() { plugin->progress(); }
void fence(shmemi_ctx *) { plugin->flush(-1); }
void quiet(shmemi_ctx *) {
  plugin->flush(-1);
  plugin->progress();
}
void pe_quiet(shmemi_ctx *, int pe) { plugin->flush(pe); }

// Teams and collectives: the plugin's, in its plain-C form.
void *team_world() { return plugin->team_world(); }
void *team_split(void *parent, int color, int key) {
  return plugin->team_split(parent, color, key);
}
void team_free(void *team) { plugin->team_free(team); }
void coll_start(void *team, const CollCall &c, CollRequest *req) {
  const shmemi_mpi_coll call = {static_cast<int>(c.what), c.source, c.dest, c.count, c.counts,
                                c.displs, c.root, static_cast<int>(c.kind), c.size,
                                static_cast<int>(c.op)};
  plugin->coll_start(team, &call, req->opaque);
}
bool coll_test(CollRequest *req) { return plugin->coll_test(req->opaque) != 0; }

bool exit_handler_set = false;
void end_mpi_at_exit() {
  // Not from within MPI_Abort (an MPI may exit through exit()): the job is
  // ending, and MPI_Finalize there would wait for the PEs it kills.
  if (plugin && !g.ending) plugin->finalize();
}

[[noreturn]] void abort_through_mpi(int status) {
  g.ending = true;
  fflush(nullptr);
  plugin->abort(status);
  _exit(status ? status : 1);
}

} // namespace

const Transport ops = {
    .name = "mpi",
    .ctx_create = ctx_create,
    .ctx_destroy = ctx_destroy,
    .put = put,
    .get = get,
    .put_nbi = put_nbi,
    .get_nbi = get_nbi,
    .amo = amo,
    .sync_store = sync_store,
    .sync_add = sync_add,
    .sync_load = sync_load,
    .progress = progress,
    .fence = fence,
    .quiet = quiet,
    .pe_quiet = pe_quiet,
    .peer_ptr = nullptr,
    .team_world = team_world,
    .team_split = team_split,
    .team_free = team_free,
    .coll_start = coll_start,
    .coll_test = coll_test,
};

bool wanted() {
  const char *t = getenv("SHMEM_TRANSPORT");
  if (t && *t) {
    if (!strcmp(t, "mpi")) return true;
    if (!strcmp(t, "shm")) return false;
    fatal("shmem_init", "SHMEM_TRANSPORT=%s is not one of shm, mpi", t);
  }
  if (env_has("SHMEMRUN_JOB")) return false;
  if (!(env_has("PMI_RANK") || env_has("PMIX_RANK") || env_has("OMPI_COMM_WORLD_RANK")))
    return false;
  // An MPI launcher's job takes the mpi transport where it is installed (or
  // SHMEM_MPI_PLUGIN names one); without it every rank stays what a program
  // without shmemrun is, a job of one PE (a Python package that does not
  // ship the plugin, under mpiexec for mpi4py).
  return env_has("SHMEM_MPI_PLUGIN") || access(plugin_path().c_str(), R_OK) == 0;
}

bool active() { return plugin != nullptr; }

boot::Job bootstrap() {
  if (!plugin) {
    const std::string path = plugin_path();
    void *h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h)
      fatal("shmem_init",
            "this job was started by an MPI launcher (or SHMEM_TRANSPORT=mpi) but the mpi "
            "transport cannot be loaded: %s (it needs an MPICH-ABI libmpi.so.12: pip install "
            "\"shmem4py[mpi]\" brings one; or run with shmemrun, or set SHMEM_TRANSPORT=shm "
            "to make each rank a job of one PE)",
            dlerror());
    auto get = reinterpret_cast<const shmemi_mpi_plugin *(*)()>(dlsym(h, "shmemi_mpi_plugin_get"));
    const shmemi_mpi_plugin *p = get ? get() : nullptr;
    if (!p || p->abi != SHMEMI_MPI_PLUGIN_ABI)
      fatal("shmem_init", "%s is not an mpi transport plugin of ABI %d", path.c_str(),
            SHMEMI_MPI_PLUGIN_ABI);
    plugin = p;
  }
  boot::Job j;
  j.kind = "mpi";
  int threads = 0;
  if (const char *err = plugin->init(&j.rank, &j.size, &threads)) fatal("shmem_init", "%s", err);
  // Every SHMEM call may call MPI: the MPI must allow at least the
  // program's thread level (SHMEM_THREAD_* and MPI_THREAD_* have one order).
  static const char *const kLevel[] = {"SINGLE", "FUNNELED", "SERIALIZED", "MULTIPLE"};
  if (threads < g.thread_level)
    fatal("shmem_init",
          "the program asks for SHMEM_THREAD_%s but the MPI provides only MPI_THREAD_%s "
          "(%s): use an MPI built with thread support, or a lower level",
          kLevel[g.thread_level], kLevel[threads], plugin->library_version());
  g.me = j.rank; // from now on diagnostics name the PE
  // SHMEM_TRANSPORT=mpi under shmemrun: every PE would be an MPI job of its
  // own (a singleton), not one PE of the job.
  if (env_has("SHMEMRUN_NPES") && atoi(getenv("SHMEMRUN_NPES")) != j.size)
    fatal("shmem_init",
          "SHMEM_TRANSPORT=mpi, but shmemrun started %s PEs and MPI sees %d: start the job "
          "with mpiexec for the mpi transport",
          getenv("SHMEMRUN_NPES"), j.size);
  boot::abort_hook = abort_through_mpi;
  if (!exit_handler_set) atexit(end_mpi_at_exit);
  exit_handler_set = true;
  // A name unique to the job, for whatever the job names (rank 0's pid and
  // start time, as everyone sees them).
  struct {
    long pid;
    long when;
  } mine{static_cast<long>(getpid()), static_cast<long>(time(nullptr))}, first{};
  std::vector<decltype(mine)> all(static_cast<size_t>(j.size));
  plugin->allgather(&mine, all.data(), sizeof mine);
  first = all[0];
  j.id = std::to_string(first.pid) + "-" + std::to_string(first.when) + "-mpi";
  return j;
}

// SHMEM_MPI_ONNODE: whether the PEs of one node reach each other through
// shared memory (the shm transport's segments, default) or everything
// goes through MPI RMA (=0, which lets one machine test the network path).
static bool onnode_wanted() {
  const char *v = getenv("SHMEM_MPI_ONNODE");
  if (!v || !*v || !strcmp(v, "1")) return true;
  if (!strcmp(v, "0")) return false;
  fatal("shmem_init", "SHMEM_MPI_ONNODE=%s is not one of 0, 1", v);
}

// The PEs that share this PE's node, ascending, this PE among them.
// SHMEMI_MPI_NODE_SIZE=k (for the tests) makes nodes of k consecutive ranks
// within MPI's nodes, so that one machine runs a job of several "nodes".
static std::vector<int> node_pes(const State &st, const std::vector<int> &leader) {
  int split = 0;
  if (const char *k = getenv("SHMEMI_MPI_NODE_SIZE"); k && *k) {
    split = atoi(k);
    if (split < 1) fatal("shmem_init", "SHMEMI_MPI_NODE_SIZE=%s is not a positive number", k);
  }
  std::vector<int> pes;
  for (int pe = 0; pe < st.npes; ++pe)
    if (leader[pe] == leader[st.me] && (!split || pe / split == st.me / split)) pes.push_back(pe);
  return pes;
}

// An MPI launcher starts each rank in a session of its own (MPICH's hydra
// does), so under the kernel's autogroup scheduling each rank is a group,
// and a waiting rank's sched_yield gives its core to no rank of another
// group: with more ranks on the node than cores, every wait would then
// last a time slice.  There the waits sleep instead (State::wait_sleeps).
static bool yielding_reaches_no_peer(const State &st, const std::vector<int> &leader) {
  std::vector<long> sid(static_cast<size_t>(st.npes));
  long mine = static_cast<long>(getsid(0));
  plugin->allgather(&mine, sid.data(), sizeof mine);
  FILE *f = fopen("/proc/sys/kernel/sched_autogroup_enabled", "r");
  int autogroup = 0;
  if (f) {
    if (fscanf(f, "%d", &autogroup) != 1) autogroup = 0;
    fclose(f);
  }
  cpu_set_t cpus;
  const int cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
  bool other_group = false;
  int on_node = 0;
  for (int pe = 0; pe < st.npes; ++pe)
    if (leader[pe] == leader[st.me]) {
      other_group = other_group || sid[pe] != mine;
      ++on_node;
    }
  return autogroup && other_group && on_node > cores;
}

void init(State &st, const boot::Job &job) {
  // Which PEs share a node: leader[pe] is the lowest rank of PE pe's.
  std::vector<int> leader(static_cast<size_t>(st.npes));
  plugin->node_leaders(leader.data());
  st.wait_sleeps = yielding_reaches_no_peer(st, leader);
  const std::vector<int> node = node_pes(st, leader);
  if (onnode_wanted()) {
    // The PEs of this node map each other's segments (the shm transport),
    // so the routing reaches them by loads and stores; MPI windows over
    // the same memory reach the other nodes.
    shm::init(st, job, node);
    if (const char *err = plugin->attach(region(RegionId::heap), st.heap.local, st.heap.size))
      fatal("shmem_init", "%s", err);
  } else {
    // The heap comes from MPI_Win_allocate (an MPI may then reach the PEs
    // of one node by loads and stores, without their help), aligned inside
    // the MPI's memory to kHeapBaseAlign as the symmetric allocator needs.
    void *heap = nullptr;
    if (const char *err = plugin->allocate(region(RegionId::heap), shm::heap_bytes(),
                                           kHeapBaseAlign, &heap))
      fatal("shmem_init", "%s", err);
    shm::init_local(st, static_cast<char *>(heap));
  }
  // Every PE must run the same program: its data segment has one size.
  std::vector<uint64_t> sizes(static_cast<size_t>(st.npes));
  uint64_t mine = st.data.size;
  plugin->allgather(&mine, sizes.data(), sizeof mine);
  for (int pe = 0; pe < st.npes; ++pe)
    if (sizes[pe] != mine)
      fatal("shmem_init",
            "PE %d's data segment is %llu bytes, this PE's %llu: all PEs must run the same "
            "program",
            pe, (unsigned long long)sizes[pe], (unsigned long long)mine);
  // The data segment is the program's (on a shared segment where PEs of
  // this node map it), exposed with MPI_Win_create.
  if (const char *err = plugin->attach(region(RegionId::data), st.data.local, st.data.size))
    fatal("shmem_init", "%s", err);
}

void finalize(State &st, bool clean) {
  if (!plugin) return;
  plugin->flush(-1);
  if (!clean && !plugin->barrier_within(1.5)) {
    // An exit without shmem_finalize while other PEs are not exiting: they
    // may wait for this one forever, so the job ends here.  (When every PE
    // exits so, that is the implicit finalize of exit, as under shmemrun.)
    fprintf(stderr,
            "shmem: PE %d: exited without calling shmem_finalize; ending the job (MPI_Abort)\n",
            st.me);
    abort_through_mpi(1);
  }
  if (clean) plugin->barrier(); // no PE touches another's windows from here on
  plugin->detach();
}

[[noreturn]] void abort_job(int status) { abort_through_mpi(status); }

} // namespace shmemi::mpi
