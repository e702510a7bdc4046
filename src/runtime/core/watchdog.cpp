// core/watchdog.cpp - the optional hang watchdog (SHMEM_HANG_TIMEOUT=S).
//
// A job where every PE waits on something no PE will do ends up either
// diagnosed (a wait on PEs that all finalized, a barrier with a finalized
// PE) or hung.  With the watchdog on, every wait of the library checks the
// clock now and then from its slow path; once it has lasted S seconds it
// publishes, in this PE's control block, the time it began and what it is
// (routine, arguments, current value).  A PE that sees every PE waiting
// that long (or gone) reports them all and ends the job.  Off, it costs one
// predictable branch in the slow path of a wait.
#include <time.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "../bootstrap/bootstrap.hpp"
#include "route.hpp"
#include "state.hpp"

namespace shmemi {
namespace {

constexpr uint64_t kClaimed = ~uint64_t{0}; // the record is being written
constexpr uint64_t kRefreshNs = 100'000'000;

double timeout_s = 0;

uint64_t parse_timeout() {
  const char *v = getenv("SHMEM_HANG_TIMEOUT");
  if (!v || !*v) return 0;
  char *end = nullptr;
  double s = strtod(v, &end);
  if (end == v || *end || !(s > 0) || s > 1e9) {
    fprintf(stderr,
            "shmem: SHMEM_HANG_TIMEOUT=%s is not a positive number of seconds; the hang "
            "watchdog is off\n",
            v);
    return 0;
  }
  timeout_s = s;
  return static_cast<uint64_t>(s * 1e9);
}

uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

void write_what(Control *c, Describe d, const void *ctx) {
  std::atomic_ref<uint64_t> ver(c->wait_version);
  ver.fetch_add(1, std::memory_order_acq_rel); // odd: being written
  std::atomic_thread_fence(std::memory_order_release);
  char buf[sizeof c->wait_what];
  d(ctx, buf, sizeof buf);
  if (!buf[0]) snprintf(buf, sizeof buf, "a wait of the library");
  memcpy(c->wait_what, buf, sizeof buf);
  ver.fetch_add(1, std::memory_order_release);
}

// A consistent copy of PE pe's record (the writer may be refreshing it),
// read through the PE's route (this PE's record has the same offsets).
void read_what(int pe, char *out, size_t n) {
  Control *mine = g.my_ctrl();
  for (int attempt = 0; attempt < 1000; ++attempt) {
    uint64_t v0 = word_load(pe, &mine->wait_version);
    if (v0 & 1) continue;
    char buf[sizeof mine->wait_what];
    get_from("shmem", nullptr, buf, mine->wait_what, sizeof buf, pe);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (word_load<std::memory_order_relaxed>(pe, &mine->wait_version) == v0) {
      buf[sizeof buf - 1] = 0;
      snprintf(out, n, "%s", buf);
      return;
    }
  }
  snprintf(out, n, "(its record is being updated)");
}

[[noreturn]] void report(uint64_t now) {
  fflush(stdout);
  fprintf(stderr,
          "shmem: hang: every PE has waited %g s or more without progress "
          "(SHMEM_HANG_TIMEOUT=%g); the job ends. Where each PE waits:\n",
          timeout_s, timeout_s);
  for (int pe = 0; pe < g.npes; ++pe) {
    const Control *c = g.my_ctrl(); // the offsets of PE pe's words
    uint64_t left = word_load(pe, &c->finalized);
    if (left) {
      fprintf(stderr, "shmem:   PE %d has left the job (%s)\n", pe,
              left == kLeftByFinalize ? "shmem_finalize" : "exit without shmem_finalize");
      continue;
    }
    char what[sizeof c->wait_what];
    read_what(pe, what, sizeof what);
    uint64_t since = word_load(pe, &c->wait_since_ns);
    double secs = since && since != kClaimed && now > since ? (now - since) / 1e9 : 0;
    fprintf(stderr, "shmem:   PE %d waits in %s (for %.1f s)\n", pe, what, secs);
  }
  fflush(stderr);
  abort_job(1);
}

} // namespace

uint64_t hang_timeout_ns = parse_timeout();

void hang_tick(HangWatch &w, Describe d, const void *ctx) {
  if (!g.initialized.load(std::memory_order_relaxed) || !g.heap.size) return;
  const uint64_t now = now_ns();
  if (!w.since) {
    w.since = now;
    return;
  }
  if (now - w.since < hang_timeout_ns) return;
  Control *c = g.my_ctrl();
  std::atomic_ref<uint64_t> since(c->wait_since_ns);
  if (!w.published) {
    // One record per PE: with several threads, the first that waits that
    // long publishes.
    uint64_t zero = 0;
    if (!since.compare_exchange_strong(zero, kClaimed, std::memory_order_acq_rel)) return;
    write_what(c, d, ctx);
    since.store(w.since, std::memory_order_release);
    w.published = true;
    w.refreshed = now;
  } else if (now - w.refreshed >= kRefreshNs) {
    write_what(c, d, ctx); // the current value may have changed
    w.refreshed = now;
  }
  for (int pe = 0; pe < g.npes; ++pe) {
    if (word_load(pe, &c->finalized)) continue; // gone: it will not end anyone's wait
    uint64_t s = word_load(pe, &c->wait_since_ns);
    if (s == 0 || s == kClaimed || now < s || now - s < hang_timeout_ns) return;
  }
  if (amo_on<uint64_t>("shmem", nullptr, &c->hang_reported, 0, "hang_reported",
                       AmoOp::compare_swap, static_cast<uint64_t>(g.me) + 1, 0) != 0)
    return; // another PE reports
  report(now);
}

void hang_clear(HangWatch &w) {
  std::atomic_ref<uint64_t>(g.my_ctrl()->wait_since_ns).store(0, std::memory_order_release);
  w.published = false;
}

} // namespace shmemi
