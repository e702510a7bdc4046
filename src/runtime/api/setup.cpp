// api/setup.cpp - library setup, exit and query routines.
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "../core/call_id.hpp"
#include "../core/heap.hpp"
#include "../bootstrap/bootstrap.hpp"
#include "../core/team_mgmt.hpp"
#include "../core/route.hpp"
#include "../transport/mpi/mpi.hpp"
#include "../transport/shm/shm.hpp"

using namespace shmemi;

// The predefined handles name static objects, so they hold their final
// values from the moment the library is loaded: a program (or a CFFI module
// that reads them as constants at import) may take them before shmem_init.
// Using them before shmem_init is still diagnosed by each routine.
shmem_team_t SHMEM_TEAM_WORLD = &team_world;
shmem_team_t SHMEM_TEAM_SHARED = &team_shared;
shmem_ctx_t SHMEM_CTX_DEFAULT = &ctx_default;
shmemi_fastpath_t shmemi_fastpath{}; // npes 0: programs call the library
// Layout 1's symbol (see shmem.h), zero for good: npes 0 and no load_store,
// so programs compiled against it take the library's path.
extern "C" {
extern const unsigned char shmemi_fastpath_layout1[32] __asm__("shmemi_fastpath")
    __attribute__((visibility("default")));
const unsigned char shmemi_fastpath_layout1[32] = {};
}

namespace {
std::mutex init_mtx;
// Nesting (1.6): each shmem_init or shmem_init_thread adds one, each
// shmem_finalize takes one; only the last finalize ends the library.
int init_depth = 0;

bool left_by_exit = false; // finalized at exit: no init may follow

// Leave the job: peers see this PE as finalized (their waits on it are
// diagnosed, not hung); its memory stays mapped in them.
void leave(bool barrier) {
  shmemi_fastpath = {}; // programs' inlined paths call the library from now on
  std::atomic_ref<uint64_t>(g.my_ctrl()->finalizing).store(1, std::memory_order_release);
  if (barrier) { // finalize's barrier, named as such in diagnostics
    shmemi::quiet(nullptr);
    team_sync(begin_call(&team_world), call_kind("shmem_finalize", CallClass::sync));
  }
  shmemi::quiet(nullptr);
  if (barrier) teams_finalize();
  if (g.net) g.net->ctx_destroy(&ctx_default);
  std::atomic_ref<uint64_t>(g.my_ctrl()->finalized)
      .store(barrier ? kLeftByFinalize : kLeftByExit, std::memory_order_release);
  // The mpi transport frees its windows, the heap among them: nothing of
  // this PE's control block is touched after this.
  mpi::finalize(g, barrier);
  shm::finalize(g);
  g.initialized.store(false);
  g.finalized = true;
  left_by_exit = !barrier;
}

// A program that exits without shmem_finalize is finalized here, without
// the barrier: exit() may come from a PE that failed while the others are
// busy, and a barrier would keep it - and the job - from ending.
void finalize_at_exit() {
  if (g.initialized.load() && !g.ending) leave(false);
}

// The specification's informational variables, SHMEM_VERSION and
// SHMEM_INFO (SMA_VERSION and SMA_INFO are their deprecated names): PE 0
// prints once the job is up.
bool env_set(const char *name, const char *deprecated) {
  const char *v = getenv(name), *d = getenv(deprecated);
  return (v && *v) || (d && *d);
}
void print_requested_info() {
  if (g.me != 0) return;
  if (env_set("SHMEM_VERSION", "SMA_VERSION"))
    printf("%s, API version %d.%d\n", SHMEM_VENDOR_STRING, SHMEM_MAJOR_VERSION,
           SHMEM_MINOR_VERSION);
  if (env_set("SHMEM_INFO", "SMA_INFO")) {
    const char *size = getenv("SHMEM_SYMMETRIC_SIZE");
    if (!size) size = getenv("SMA_SYMMETRIC_SIZE");
    printf("%s, API version %d.%d: %d PEs, heap %zu bytes per PE\n"
           "  SHMEM_VERSION          print the library version at start-up\n"
           "  SHMEM_INFO             print this text at start-up\n"
           "  SHMEM_SYMMETRIC_SIZE   symmetric heap per PE, e.g. 512M, 2G (now %s)\n"
           "  SHMEM_DEBUG            debugging messages (none beyond the diagnostics)\n"
           "  SHMEM_SYMMETRIC_DATA=0 leave the program's globals private\n",
           SHMEM_VENDOR_STRING, SHMEM_MAJOR_VERSION, SHMEM_MINOR_VERSION, g.npes,
           g.heap.size - g.heap_user_offset, size ? size : "default 1G");
  }
  fflush(stdout);
}

int do_init(int requested) {
  std::lock_guard<std::mutex> lk(init_mtx);
  if (g.initialized.load()) { // nested: counted, nothing else
    ++init_depth;
    return 0;
  }
  // After the last shmem_finalize a new init starts the library afresh:
  // every PE maps new segments, as at the first init.
  if (g.finalized && left_by_exit)
    fatal("shmem_init", "the library was ended by exit and cannot be initialized again");
  g.finalized = false;
  if (requested < SHMEM_THREAD_SINGLE || requested > SHMEM_THREAD_MULTIPLE)
    fatal("shmem_init_thread", "requested thread level %d is not one of SHMEM_THREAD_*", requested);
  g.thread_level = requested;
  const bool via_mpi = mpi::wanted();
  const boot::Job job = via_mpi ? mpi::bootstrap() : boot::identify();
  g.me = job.rank;
  g.npes = job.size;
  tell_launcher_init();
  // Under shmemrun every PE of the job is on this node: the shm transport
  // maps them all, and the routing decides which it reaches by loads and
  // stores.  Under an MPI launcher the mpi transport reaches the others.
  if (via_mpi)
    mpi::init(g, job);
  else
    shm::init(g, job);
  route_init();
  heap::init(g.heap_user_offset, g.heap.size);
  teams_init();
  // The default context exists from init on: a transport that tracks
  // completion per context starts tracking it here.
  if (g.net) g.net->ctx_create(&ctx_default);
  g.initialized.store(true);
  init_depth = 1;
  // The programs' inlined RMA and AMO fast paths (shmem_inline.h) start
  // here, for the PEs the routing reaches by loads, stores and CPU atomics.
  static_assert(kReachLoadStore == SHMEMI_REACH_LOAD_STORE && kReachAmo == SHMEMI_REACH_AMO,
                "the routing's flags are the ones shmem_inline.h reads");
  shmemi_fastpath = shmemi_fastpath_t{SHMEMI_FASTPATH_VERSION,
                                      g.npes,
                                      reinterpret_cast<uintptr_t>(g.heap.local),
                                      g.heap.size,
                                      g.heap.peer.data(),
                                      g.reach,
                                      g.all_load_store ? 1 : 0};
  static bool registered = false;
  if (!registered) atexit(finalize_at_exit);
  registered = true;
  call_id_init();
  team_sync(begin_call(&team_world), call_kind("shmem_init"));
  print_requested_info();
  return 0;
}
} // namespace

extern "C" {

void shmem_init(void) { do_init(SHMEM_THREAD_SINGLE); }

int shmem_init_thread(int requested, int *provided) {
  int rc = do_init(requested);
  if (provided) *provided = g.thread_level;
  return rc;
}

void shmem_query_thread(int *provided) {
  require_init("shmem_query_thread");
  if (provided) *provided = g.thread_level;
}

void shmem_finalize(void) {
  if (!g.initialized.load()) {
    if (g.finalized) return; // idempotent
    fatal("shmem_finalize", "called before shmem_init");
  }
  bool inner;
  {
    std::lock_guard<std::mutex> lk(init_mtx);
    inner = init_depth > 1;
    init_depth = inner ? init_depth - 1 : 0;
  }
  if (inner) { // a barrier that frees nothing
    shmemi::quiet(nullptr);
    team_sync(begin_call(&team_world), call_kind("shmem_finalize", CallClass::sync));
    return;
  }
  leave(true);
}

void shmem_query_initialized(int *initialized) {
  if (initialized) *initialized = g.initialized.load() ? 1 : 0;
}

int shmem_my_pe(void) {
  require_init("shmem_my_pe");
  return g.me;
}
int shmem_n_pes(void) {
  require_init("shmem_n_pes");
  return g.npes;
}

int shmem_pe_accessible(int pe) {
  require_init("shmem_pe_accessible");
  return pe >= 0 && pe < g.npes;
}

int shmem_addr_accessible(const void *addr, int pe) {
  require_init("shmem_addr_accessible");
  // Symmetric, and some route reaches the PE.
  RegionId rg;
  size_t off;
  return pe >= 0 && pe < g.npes && locate(addr, 1, &rg, &off) &&
         ((g.reach[pe] & kReachLoadStore) || g.via[pe] != nullptr);
}

void *shmem_ptr(const void *dest, int pe) {
  require_init("shmem_ptr");
  return shmemi::peer_ptr(dest, pe);
}

void *shmem_team_ptr(shmem_team_t team, const void *dest, int pe) {
  // SHMEM_TEAM_INVALID gives a null pointer (the spec's rule); a destroyed
  // team is diagnosed.
  if (!live_team("shmem_team_ptr", team) || pe < 0 || pe >= team->size) return nullptr;
  return shmemi::peer_ptr(dest, team->world_pe(pe));
}

void shmem_info_get_version(int *major, int *minor) {
  if (major) *major = SHMEM_MAJOR_VERSION;
  if (minor) *minor = SHMEM_MINOR_VERSION;
}

void shmem_info_get_name(char *name) {
  if (!name) return;
  strncpy(name, SHMEM_VENDOR_STRING, SHMEM_MAX_NAME_LEN - 1);
  name[SHMEM_MAX_NAME_LEN - 1] = '\0';
}

void shmem_global_exit(int status) { shmemi::global_exit(status); }

void shmem_pcontrol(const int level, ...) { (void)level; }

// Deprecated names.
void start_pes(int npes) {
  (void)npes; // the launcher decides the number of PEs
  shmem_init();
}
int _my_pe(void) { return shmem_my_pe(); }
int _num_pes(void) { return shmem_n_pes(); }

// Cache management: shared memory is coherent; these are the spec's no-ops.
void shmem_clear_cache_inv(void) {}
void shmem_set_cache_inv(void) {}
void shmem_clear_cache_line_inv(void *dest) { (void)dest; }
void shmem_set_cache_line_inv(void *dest) { (void)dest; }
void shmem_udcflush(void) {}
void shmem_udcflush_line(void *dest) { (void)dest; }

} // extern "C"
