#include "launcher_link.hpp"

#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "state.hpp"

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
} // namespace

void global_exit(int status) {
  fflush(nullptr);
  tell_launcher("exit", status);
  _exit(status);
}

void abort_job(int status) {
  fflush(nullptr);
  tell_launcher("abort", status);
  _exit(status);
}

void tell_launcher_init() {
  if (init_pid == getpid()) return;
  init_pid = getpid();
  tell_launcher("init", static_cast<long>(init_pid));
}

void tell_launcher_left() {
  if (init_pid != getpid()) return;
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
