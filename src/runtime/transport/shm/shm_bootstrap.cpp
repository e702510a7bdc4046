// transport/shm/shm_bootstrap.cpp - creating and mapping the segments.
//
// Each PE creates a POSIX shared-memory segment for its heap (control block
// first) and, for C programs, one for its data+bss, which it maps back over
// itself.  Then every PE maps every other PE's segments.  Once all PEs have
// mapped everything (counted on PE 0's control block) each PE unlinks its
// own segments, so nothing is left in /dev/shm even if the job is killed;
// shmemrun removes the segments of a job that dies during start-up.
//
// Start-up is the one time the names exist, so it must not leak them even
// when shmemrun is killed by SIGKILL: shmemrun starts each PE with a
// parent-death signal (SIGKILL), which would kill the PE before it could
// unlink anything.  The PE suspends that signal while it holds names and
// watches the launcher instead (the control pipe loses its reader when
// shmemrun dies); a PE that finds the launcher gone unlinks every name of
// the job and ends.  A PE killed before it could do so leaves names that
// carry the launcher's pid and start time (the job id), and the next
// shmemrun removes them.
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../../bootstrap/bootstrap.hpp"
#include "shm.hpp"

namespace shmemi::shm {
namespace {

std::string job_id;
size_t page_size() { return static_cast<size_t>(sysconf(_SC_PAGESIZE)); }

std::string seg_name(int pe, const char *what) {
  return "/shmem4py." + job_id + "." + std::to_string(pe) + "." + what;
}

// The launcher-death watch of start-up (see the top of the file).
struct StartupWatch {
  int pdeath = 0;   // the parent-death signal, suspended until end()
  pid_t parent = 0; // the parent when it was suspended
  int npes = 1;
  int me = 0;

  void begin(int n, int pe) {
    npes = n;
    me = pe;
    parent = getppid();
    // The signal belongs to the thread that started the program; from
    // another thread it cannot be suspended (the next shmemrun cleans up).
    if (syscall(SYS_gettid) == getpid() && prctl(PR_GET_PDEATHSIG, &pdeath) == 0 && pdeath)
      prctl(PR_SET_PDEATHSIG, 0);
    else
      pdeath = 0;
    check();
  }
  bool launcher_gone() const {
    return shmemi::launcher_gone() || (pdeath && getppid() != parent);
  }
  void check() const {
    if (launcher_gone()) abandon();
  }
  [[noreturn]] void abandon() const {
    for (int pe = 0; pe < npes; ++pe)
      for (const char *what : {"heap", "data"}) shm_unlink(seg_name(pe, what).c_str());
    char msg[128];
    int n = snprintf(msg, sizeof msg, "shmem: PE %d: shmem_init: shmemrun is gone; this PE ends\n",
                     me);
    signal(SIGPIPE, SIG_IGN); // stderr may be a pipe to the dead launcher
    ssize_t ignored = write(STDERR_FILENO, msg, static_cast<size_t>(n));
    (void)ignored;
    if (pdeath) {
      signal(pdeath, SIG_DFL);
      raise(pdeath); // what the launcher's death would have done
    }
    _exit(1);
  }
  // The names are gone: the parent-death signal may come back.
  void end() const {
    if (!pdeath) return;
    prctl(PR_SET_PDEATHSIG, pdeath);
    if (getppid() != parent) { // died before the signal was back
      signal(pdeath, SIG_DFL);
      raise(pdeath);
    }
  }
};
StartupWatch watch;

int create_segment(const std::string &name, size_t bytes) {
  int fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0)
    fatal("shmem_init", "cannot create shared memory segment %s: %s", name.c_str(),
          strerror(errno));
  if (ftruncate(fd, static_cast<off_t>(bytes)) != 0)
    fatal("shmem_init", "cannot size segment %s to %zu bytes: %s", name.c_str(),
          bytes, strerror(errno));
  return fd;
}

// fd -1: private anonymous memory (a heap no other process maps).
char *map_fd(int fd, size_t bytes, void *at, const std::string &name) {
  int flags = (fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED) | (at ? MAP_FIXED : 0) |
              MAP_NORESERVE;
  void *p = mmap(at, bytes, PROT_READ | PROT_WRITE, flags, fd, 0);
  if (p == MAP_FAILED)
    fatal("shmem_init", "cannot map segment %s (%zu bytes): %s", name.c_str(), bytes,
          strerror(errno));
  return static_cast<char *>(p);
}

// Map this PE's heap at an address aligned to kHeapBaseAlign, so that
// alignment relative to the heap base (which is what the symmetric
// allocator computes) is alignment of the address on every PE.
char *map_aligned(int fd, size_t bytes, const std::string &name) {
  size_t span = bytes + kHeapBaseAlign;
  void *res = mmap(nullptr, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (res == MAP_FAILED)
    fatal("shmem_init", "cannot reserve %zu bytes of address space: %s", span, strerror(errno));
  uintptr_t lo = reinterpret_cast<uintptr_t>(res);
  uintptr_t at = (lo + kHeapBaseAlign - 1) & ~(uintptr_t)(kHeapBaseAlign - 1);
  if (at > lo) munmap(res, at - lo);
  if (lo + span > at + bytes) munmap(reinterpret_cast<void *>(at + bytes), lo + span - at - bytes);
  return map_fd(fd, bytes, reinterpret_cast<void *>(at), name);
}

// Open a peer's segment, waiting for it to be created and sized.
char *map_peer(int pe, const std::string &name, size_t bytes) {
  auto start = std::chrono::steady_clock::now();
  int fd = -1;
  for (;;) {
    fd = shm_open(name.c_str(), O_RDWR, 0600);
    if (fd >= 0) {
      struct stat sb;
      if (fstat(fd, &sb) == 0 && static_cast<size_t>(sb.st_size) >= bytes) break;
      close(fd);
      fd = -1;
    }
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(60))
      fatal("shmem_init",
            "PE %d has not reached shmem_init within 60 s (its segment %s did not appear)",
            pe, name.c_str());
    watch.check();
    usleep(200);
  }
  char *p = map_fd(fd, bytes, nullptr, name);
  close(fd);
  return p;
}

// The program's writable data and bss, less the part that becomes
// read-only after relocation (RELRO), rounded to pages.
struct Range {
  char *begin = nullptr;
  char *end = nullptr;
};
int find_data(struct dl_phdr_info *info, size_t, void *out) {
  auto *r = static_cast<Range *>(out);
  uintptr_t lo = 0, hi = 0, relro_end = 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W)) {
      lo = info->dlpi_addr + ph.p_vaddr;
      hi = lo + ph.p_memsz;
    } else if (ph.p_type == PT_GNU_RELRO) {
      relro_end = info->dlpi_addr + ph.p_vaddr + ph.p_memsz;
    }
  }
  uintptr_t pg = page_size();
  if (relro_end > lo && relro_end < hi) lo = relro_end;
  lo = (lo + pg - 1) & ~(pg - 1);
  hi = (hi + pg - 1) & ~(pg - 1);
  if (hi > lo) {
    r->begin = reinterpret_cast<char *>(lo);
    r->end = reinterpret_cast<char *>(hi);
  }
  return 1; // the first object is the main program
}

// Copies bytes (a multiple of 8) of the program's data, or into it, and
// says whether they hold a non-zero byte.  Under AddressSanitizer the data
// segment holds the redzones around globals, which the program must not
// touch; this copy must, so it is not instrumented, and it goes through
// volatile pointers so that the compiler does not turn the loop into a
// call of memcpy, which ASan intercepts and checks.
__attribute__((no_sanitize("address", "hwaddress"), noinline)) bool
copy_unchecked(void *dst, const void *src, size_t bytes) {
  const volatile uint64_t *in = static_cast<const volatile uint64_t *>(src);
  volatile uint64_t *out = static_cast<volatile uint64_t *>(dst);
  uint64_t any = 0;
  for (size_t i = 0; i < bytes / 8; ++i) {
    const uint64_t v = in[i];
    out[i] = v;
    any |= v;
  }
  return any != 0;
}

// Move [begin, end) onto a shared segment mapped at the same address.
// Runs before any other thread of the PE: nothing writes the range between
// the copy and the map.  Pages go through a buffer (the copy above), then
// into the segment; zero pages stay sparse.
void share_data(const Range &r, const std::string &name) {
  size_t bytes = static_cast<size_t>(r.end - r.begin), pg = page_size();
  int fd = create_segment(name, bytes);
  std::vector<uint64_t> buf(pg / 8);
  for (size_t off = 0; off < bytes; off += pg)
    if (copy_unchecked(buf.data(), r.begin + off, pg) &&
        pwrite(fd, buf.data(), pg, static_cast<off_t>(off)) != static_cast<ssize_t>(pg))
      fatal("shmem_init", "cannot copy the data segment: %s", strerror(errno));
  map_fd(fd, bytes, r.begin, name);
  close(fd);
}

// A child forked from a PE is not a PE: give it private copies of the
// shared data pages, so that its writes to globals do not reach its parent.
void after_fork_child() { privatize_after_fork(); }

size_t parse_size(const char *s) {
  char *end = nullptr;
  double v = strtod(s, &end);
  if (end == s || v < 0)
    fatal("shmem_init", "SHMEM_SYMMETRIC_SIZE='%s' is not a size (use e.g. 512M, 2G)", s);
  double mult = 1;
  switch (*end) {
  case 'k': case 'K': mult = 1024.0; ++end; break;
  case 'm': case 'M': mult = 1024.0 * 1024; ++end; break;
  case 'g': case 'G': mult = 1024.0 * 1024 * 1024; ++end; break;
  case 't': case 'T': mult = 1024.0 * 1024 * 1024 * 1024; ++end; break;
  default: break;
  }
  if (*end == 'b' || *end == 'B') ++end;
  if (*end != '\0')
    fatal("shmem_init", "SHMEM_SYMMETRIC_SIZE='%s' is not a size (use e.g. 512M, 2G)", s);
  return static_cast<size_t>(v * mult);
}

} // namespace

// The mappings of a finalized library (see finalize), unmapped by the next
// init: by then every PE has passed the last finalize's barrier.
static size_t retired_heap_bytes = 0, retired_data_bytes = 0;
// Whether this library mapped its heaps (not so for a heap the MPI allocated).
static bool retired_heap_own = true;
// Whether the data segment is shared (moved onto a segment other PEs map).
static bool data_shared = false;

static void unmap_retired(State &st) {
  // By what this process mapped, not by what the routing published (which
  // hides PEs from the routed tests).
  auto &heaps = mapped[static_cast<int>(RegionId::heap)];
  auto &datas = mapped[static_cast<int>(RegionId::data)];
  for (int pe = 0; pe < static_cast<int>(heaps.size()); ++pe) {
    // This PE's own heap stays: what a program still holds of it (a Python
    // array that outlived its life) is memory, no longer symmetric.
    if (retired_heap_bytes && retired_heap_own && heaps[pe] && pe != st.me)
      munmap(heaps[pe], retired_heap_bytes);
    // This PE's own data pages are the program's globals: the new init maps
    // its new segment over them.
    if (pe != st.me && retired_data_bytes && datas.size() > static_cast<size_t>(pe) && datas[pe])
      munmap(datas[pe], retired_data_bytes);
  }
  retired_heap_bytes = retired_data_bytes = 0;
}

// SHMEM_SYMMETRIC_SIZE (SMA_SYMMETRIC_SIZE), default 1 GiB, in whole pages.
static size_t user_heap_bytes() {
  size_t pg = page_size();
  const char *sz = getenv("SHMEM_SYMMETRIC_SIZE");
  if (!sz || !*sz) sz = getenv("SMA_SYMMETRIC_SIZE");
  size_t user = (sz && *sz) ? parse_size(sz) : (size_t(1) << 30);
  return (user + pg - 1) & ~(pg - 1);
}

size_t heap_bytes() { return kControlBytes + user_heap_bytes(); }

void init_local(State &st, char *heap) {
  unmap_retired(st);
  data_shared = false;
  const size_t bytes = heap_bytes();
  st.heap_user_offset = kControlBytes;
  st.heap.local = heap ? heap : map_aligned(-1, bytes, "heap");
  st.heap.size = bytes;
  retired_heap_own = heap == nullptr;
  if (bytes - kControlBytes >= (size_t(64) << 20)) madvise(st.heap.local, bytes, MADV_HUGEPAGE);
  st.heap.peer.assign(st.npes, nullptr);
  st.data.peer.assign(st.npes, nullptr);
  st.heap.peer[st.me] = st.heap.local;
  Range data;
  const char *sd = getenv("SHMEM_SYMMETRIC_DATA");
  if (!(sd && sd[0] == '0')) dl_iterate_phdr(find_data, &data);
  st.data.local = data.begin;
  st.data.size = static_cast<size_t>(data.end - data.begin);
  st.data.peer[st.me] = st.data.local;
  Control *own = reinterpret_cast<Control *>(st.heap.local);
  own->data_size = st.data.size;
  std::atomic_ref<uint64_t>(own->magic).store(kReady, std::memory_order_release);
  for (int r = 0; r < kRegions; ++r) mapped[r].assign(st.npes, nullptr);
  mapped[static_cast<int>(RegionId::heap)][st.me] = st.heap.local;
  mapped[static_cast<int>(RegionId::data)][st.me] = st.data.local;
}

void init(State &st, const boot::Job &job, const std::vector<int> &node) {
  unmap_retired(st);
  retired_heap_own = true;
  data_shared = false;
  job_id = job.id;
  watch.begin(st.npes, st.me);
  // The PEs that map each other's segments: every PE of the job, or those
  // of this node (the mpi transport's on-node path).
  std::vector<int> pes = node;
  if (pes.empty())
    for (int pe = 0; pe < st.npes; ++pe) pes.push_back(pe);
  const int shared = static_cast<int>(pes.size());

  size_t user = user_heap_bytes();
  size_t heap_bytes = kControlBytes + user;
  st.heap_user_offset = kControlBytes;

  Range data;
  const char *sd = getenv("SHMEM_SYMMETRIC_DATA");
  if (!(sd && sd[0] == '0')) dl_iterate_phdr(find_data, &data);

  st.heap.peer.assign(st.npes, nullptr);
  st.data.peer.assign(st.npes, nullptr);
  std::vector<Control *> ctrl(st.npes, nullptr); // the mapped PEs' control blocks

  std::string heap_name = seg_name(st.me, "heap");
  int fd = create_segment(heap_name, heap_bytes);
  st.heap.local = map_aligned(fd, heap_bytes, heap_name);
  close(fd);
  st.heap.size = heap_bytes;
  // Ask for transparent huge pages on large heaps (ignored where off).
  if (user >= (size_t(64) << 20)) madvise(st.heap.local, heap_bytes, MADV_HUGEPAGE);
  if (shared == 1) {
    shm_unlink(heap_name.c_str());
    watch.end();
  }

  Control *own = reinterpret_cast<Control *>(st.heap.local);
  if (data.begin) {
    // A PE that no other maps keeps its data where it is.
    data_shared = shared > 1;
    if (data_shared) share_data(data, seg_name(st.me, "data"));
    st.data.local = data.begin;
    st.data.size = static_cast<size_t>(data.end - data.begin);
    static bool atfork_done = false;
    if (!atfork_done) pthread_atfork(nullptr, nullptr, after_fork_child);
    atfork_done = true;
  }
  own->data_size = st.data.size;
  std::atomic_ref<uint64_t>(own->magic).store(kReady, std::memory_order_release);

  for (int pe : pes) {
    if (pe == st.me) {
      st.heap.peer[pe] = st.heap.local;
      st.data.peer[pe] = st.data.local;
    } else {
      std::string n = seg_name(pe, "heap");
      st.heap.peer[pe] = map_peer(pe, n, heap_bytes);
      Control *c = reinterpret_cast<Control *>(st.heap.peer[pe]);
      unsigned polls = 0;
      wait_for([&] {
        if ((++polls & 63) == 0) watch.check();
        return std::atomic_ref<uint64_t>(c->magic).load(std::memory_order_acquire) == kReady;
      });
      if (c->data_size != st.data.size)
        fatal("shmem_init",
              "PE %d's data segment is %zu bytes, this PE's %zu: all PEs must run "
              "the same program",
              pe, static_cast<size_t>(c->data_size), st.data.size);
      if (st.data.size) st.data.peer[pe] = map_peer(pe, seg_name(pe, "data"), st.data.size);
    }
    ctrl[pe] = reinterpret_cast<Control *>(st.heap.peer[pe]);
  }
  mapped[static_cast<int>(RegionId::heap)] = st.heap.peer;
  mapped[static_cast<int>(RegionId::data)] = st.data.peer;

  if (shared > 1) {
    // Everyone has mapped everything once the first PE's counter reaches
    // the number of PEs that map each other.
    std::atomic_ref<uint64_t> arrived(ctrl[pes[0]]->init_arrived);
    arrived.fetch_add(1, std::memory_order_acq_rel);
    auto start = std::chrono::steady_clock::now();
    unsigned polls = 0;
    wait_for([&] {
      if ((++polls & 63) == 0) watch.check();
      if (std::chrono::steady_clock::now() - start > std::chrono::seconds(120))
        fatal("shmem_init", "only %llu of %d PEs started within 120 s",
              (unsigned long long)arrived.load(), shared);
      return arrived.load(std::memory_order_acquire) == static_cast<uint64_t>(shared);
    });
    shm_unlink(heap_name.c_str());
    if (st.data.size) shm_unlink(seg_name(st.me, "data").c_str());
    watch.end();
  }
}

void finalize(State &st) {
  // The launcher counts a PE that exits 0 without this as failed.
  tell_launcher_left();
  // Mappings stay: peers may still read this PE's heap until they finalize,
  // and the data segment must stay where the program's globals are.  The
  // regions are forgotten, so that a later RMA or AMO fails its address
  // translation and is diagnosed as a call after shmem_finalize.
  retired_heap_bytes = st.heap.size;
  retired_data_bytes = data_shared ? st.data.size : 0;
  st.heap.size = 0;
  st.data.size = 0;
}

void privatize_after_fork() {
  State &st = g;
  if (!st.data.size) return;
  size_t bytes = st.data.size;
  void *tmp = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (tmp == MAP_FAILED) return;
  copy_unchecked(tmp, st.data.local, bytes);
  mmap(st.data.local, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
       -1, 0);
  copy_unchecked(st.data.local, tmp, bytes);
  munmap(tmp, bytes);
}

} // namespace shmemi::shm
