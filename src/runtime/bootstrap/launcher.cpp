// bootstrap/launcher.cpp - the job as shmemrun describes it in the
// environment of each PE (SHMEMRUN_JOB, SHMEMRUN_PE, SHMEMRUN_NPES,
// SHMEMRUN_CTRL_FD), or a job of one PE for a program run on its own.
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "../core/state.hpp"
#include "bootstrap.hpp"

namespace shmemi {
namespace {
// The process that said "init": a child forked from a PE runs the PE's
// atexit handlers too, and must not speak for it.
pid_t init_pid = 0;

int ctrl_fd() {
  const char *fd_s = getenv("SHMEMRUN_CTRL_FD");
  return fd_s && *fd_s ? atoi(fd_s) : -1;
}

void tell_launcher(const char *what, long value) {
  int fd = ctrl_fd();
  if (fd < 0) return;
  char line[96];
  int n = snprintf(line, sizeof line, "%s %d %ld\n", what, g.me, value);
  ssize_t ignored = write(fd, line, static_cast<size_t>(n));
  (void)ignored;
}

int env_int(const char *name, int dflt) {
  const char *s = getenv(name);
  return s && *s ? atoi(s) : dflt;
}

// A program started without shmemrun is a job of one PE that owns its
// name, in the form of shmemrun's job ids: PID-START-PIDNS-[TAG_]single.
std::string single_job_id() {
  unsigned long long start = 0, ns = 0;
  if (FILE *f = fopen("/proc/self/stat", "re")) {
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (char *p = strrchr(buf, ')')) {
      int field = 2;
      for (++p; *p && field < 22; ++p)
        if (*p == ' ') ++field;
      start = strtoull(p, nullptr, 10);
    }
  }
  struct stat sb;
  if (stat("/proc/self/ns/pid", &sb) == 0) ns = sb.st_ino;
  const char *tag = getenv("SHMEM4PY_JOB_TAG");
  std::string t = tag && *tag ? std::string(tag).substr(0, 32) + "_" : std::string();
  for (char &c : t)
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  return std::to_string(getpid()) + "-" + std::to_string(start) + "-" + std::to_string(ns) +
         "-" + t + "single";
}
} // namespace

namespace boot {

void (*abort_hook)(int status) = nullptr;

Job identify() {
  Job j;
  const char *job = getenv("SHMEMRUN_JOB");
  if (!job) {
    j.id = single_job_id();
    return j;
  }
  j.kind = "shmemrun";
  j.id = job;
  j.size = env_int("SHMEMRUN_NPES", 1);
  j.rank = env_int("SHMEMRUN_PE", 0);
  if (j.size < 1 || j.rank < 0 || j.rank >= j.size)
    fatal("shmem_init", "bad launcher environment: PE %d of %d", j.rank, j.size);
  return j;
}

bool early_rank(int *rank, int *size) {
  const char *pe = getenv("SHMEMRUN_PE"), *npes = getenv("SHMEMRUN_NPES");
  int p = pe ? atoi(pe) : -1, n = npes ? atoi(npes) : 0;
  if (!getenv("SHMEMRUN_JOB") || n <= 0 || p < 0 || p >= n) return false;
  *rank = p;
  *size = n;
  return true;
}

} // namespace boot

void global_exit(int status) {
  fflush(nullptr);
  tell_launcher("exit", status);
  if (boot::abort_hook) boot::abort_hook(status);
  _exit(status);
}

void abort_job(int status) {
  fflush(nullptr);
  tell_launcher("abort", status);
  if (boot::abort_hook) boot::abort_hook(status);
  _exit(status);
}

// A library initialized again after its last shmem_finalize (1.6) is in
// the job again: the launcher hears "init" anew, so that an exit without
// the second finalize is a failure like the first.
static bool told_left = false;

void tell_launcher_init() {
  if (init_pid == getpid() && !told_left) return;
  init_pid = getpid();
  told_left = false;
  tell_launcher("init", static_cast<long>(init_pid));
}

void tell_launcher_left() {
  if (init_pid != getpid()) return;
  told_left = true;
  tell_launcher("fini", static_cast<long>(init_pid));
}

bool launcher_gone() {
  int fd = ctrl_fd();
  if (fd < 0) return false;
  // The write end of a pipe polls POLLERR once no process holds the read
  // end, and only shmemrun does.
  pollfd p{fd, 0, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}
} // namespace shmemi
