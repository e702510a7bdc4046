// shmemrun - starts the PEs of an OpenSHMEM job on this machine and watches
// over them.
//
//   shmemrun [options] -n N PROGRAM [ARGS...]
//
// Each PE is PROGRAM run with SHMEMRUN_JOB, SHMEMRUN_PE, SHMEMRUN_NPES and
// SHMEMRUN_CTRL_FD in its environment.  The launcher relays the PEs' output
// line by line, ends the whole job as soon as one PE fails (or says so on the
// control pipe), and removes the job's /dev/shm segments whatever happens.
//
// The launcher is single-threaded: one poll loop over the PEs' output pipes,
// the control pipe and a self-pipe that the signal handlers write to.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#ifndef SHMEMRUN_VERSION
#define SHMEMRUN_VERSION "0.1.0"
#endif

extern char **environ;

namespace {

constexpr size_t kMaxLine = 64 * 1024;     // a longer line is passed on in pieces
constexpr size_t kReadChunk = 64 * 1024;
constexpr int64_t kKillGraceMs = 2000;     // SIGTERM first, SIGKILL this much later
constexpr long kMaxPes = 1 << 20;          // only guards the arithmetic; fds run out first
constexpr int kExitUsage = 2;
constexpr int kExitCannotRun = 127;
constexpr int kExitTimeout = 124;
constexpr int kExitInternal = 1;

// Signals ending the job: passed on to the PEs, then the launcher exits 128+sig.
constexpr int kEndSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
// Signals only passed on, as users send them to ask a running job for something.
constexpr int kRelaySignals[] = {SIGUSR1, SIGUSR2};
constexpr int kAllCaught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGTSTP, SIGCHLD};

// ---------------------------------------------------------------------------
// Signals: the handlers only raise a flag and wake the poll loop.

volatile sig_atomic_t g_pending[NSIG];
int g_wake_write = -1;

void on_signal(int sig) {
  int saved = errno;
  g_pending[sig] = 1;
  char byte = 0;
  ssize_t ignored = write(g_wake_write, &byte, 1);  // a full pipe already wakes us
  (void)ignored;
  errno = saved;
}

bool take_pending(int sig) {
  if (!g_pending[sig]) return false;
  g_pending[sig] = 0;
  return true;
}

bool end_signal_pending() {
  for (int sig : kEndSignals)
    if (g_pending[sig]) return true;
  return false;
}

int64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// Writes everything, as PE output must reach the terminal in whole lines.
bool write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= size_t(w);
  }
  return true;
}

void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void say(const char *fmt, ...) {
  char buf[1024];
  int n = snprintf(buf, sizeof buf, "shmemrun: ");
  va_list ap;
  va_start(ap, fmt);
  int m = vsnprintf(buf + n, sizeof buf - size_t(n) - 1, fmt, ap);
  va_end(ap);
  size_t len = std::min(size_t(n) + size_t(std::max(m, 0)), sizeof buf - 2);
  buf[len++] = '\n';
  write_all(STDERR_FILENO, buf, len);
}

bool set_cloexec_nonblock(int fd, bool nonblock) {
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return false;
  if (nonblock && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return false;
  return fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

// ---------------------------------------------------------------------------
// Command line

struct Options {
  long npes = 1;
  bool prefix = false;
  double timeout_s = 0;  // 0: no limit
  int argi = 0;          // index of PROGRAM in argv
};

void usage(FILE *to) {
  fputs(
      "usage: shmemrun [options] [-n N] PROGRAM [ARGS...]\n"
      "Runs N copies (PEs) of PROGRAM as one OpenSHMEM job on this machine.\n"
      "\n"
      "options:\n"
      "  -n N, -np N, --np N   number of PEs (default 1); also -c N, --n N\n"
      "  -p, --prefix          start every output line with \"[PE i] \"\n"
      "      --tag-output      same as --prefix\n"
      "  -t S, --timeout S     end the job after S seconds (exit code 124)\n"
      "      --hang-timeout S  end the job when every PE has waited S seconds\n"
      "                        without progress, saying where each waits\n"
      "                        (sets SHMEM_HANG_TIMEOUT for the PEs)\n"
      "  -h, --help            show this help\n"
      "      --version         show the version\n"
      "      --oversubscribe, --allow-run-as-root\n"
      "                        accepted for mpiexec/oshrun habits, and ignored:\n"
      "                        every PE runs on this machine anyway, as any user\n"
      "\n"
      "SHMEMRUN_PREFIX=1 in the environment also turns on --prefix.\n"
      "SHMEM4PY_JOB_TAG=TAG puts TAG (letters, digits, '_') into the job id, and so\n"
      "into the names of the job's segments in /dev/shm.\n"
      "Options end at PROGRAM (or at \"--\").  stdin goes to PE 0 only.\n"
      "The exit code is 0 when every PE exits 0; otherwise that of the first PE\n"
      "to fail (128+signal for a PE killed by a signal; 1 for a PE that called\n"
      "shmem_init and exited without shmem_finalize, or that exited without\n"
      "shmem_init while others wait for it there).\n",
      to);
}

[[noreturn]] void usage_error(const std::string &msg) {
  fprintf(stderr, "shmemrun: %s\n\n", msg.c_str());
  usage(stderr);
  exit(kExitUsage);
}

std::string bad_npes(const char *v) {
  return std::string("bad number of PEs '") + v + "' (want a whole number >= 1)";
}

bool parse_npes(std::string_view s, long &out) {
  if (s.empty() || s.size() > 9) return false;
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return false;
  if (s[0] < '0' || s[0] > '9' || v < 1 || v > kMaxPes) return false;
  out = v;
  return true;
}

bool parse_seconds(const char *s, double &out) {
  if (!((*s >= '0' && *s <= '9') || *s == '.')) return false;
  char *end = nullptr;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || *end || !(v >= 0) || v > 1e9) return false;
  out = v;
  return true;
}

// Value of an option given as "--opt V" or "--opt=V"; nullptr when argv[i]
// is not one of `names`.
const char *option_value(int argc, char **argv, int &i, std::initializer_list<const char *> names) {
  std::string_view a = argv[i];
  for (std::string_view name : names) {
    if (a == name) {
      if (i + 1 >= argc) usage_error(std::string("option ") + argv[i] + " needs a value");
      return argv[++i];
    }
    if (a.size() > name.size() + 1 && a.substr(0, name.size()) == name && a[name.size()] == '=')
      return argv[i] + name.size() + 1;
  }
  return nullptr;
}

Options parse_args(int argc, char **argv) {
  Options o;
  const char *env_prefix = getenv("SHMEMRUN_PREFIX");
  if (env_prefix && *env_prefix && strcmp(env_prefix, "0") != 0) o.prefix = true;

  int i = 1;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a.empty() || a[0] != '-' || a == "-") break;  // PROGRAM
    if (const char *v = option_value(argc, argv, i, {"-n", "-np", "--np", "--n", "-c"})) {
      if (!parse_npes(v, o.npes)) usage_error(bad_npes(v));
    } else if (a.size() > 2 && a[1] == 'n' && a[2] >= '0' && a[2] <= '9') {  // -n4
      if (!parse_npes(a.substr(2), o.npes))
        usage_error(bad_npes(argv[i] + 2));
    } else if (const char *t = option_value(argc, argv, i, {"-t", "--timeout"})) {
      if (!parse_seconds(t, o.timeout_s)) usage_error(std::string("bad timeout '") + t + "' (want a number of seconds)");
    } else if (const char *h = option_value(argc, argv, i, {"--hang-timeout"})) {
      double secs = 0;
      if (!parse_seconds(h, secs) || !(secs > 0))
        usage_error(std::string("bad hang timeout '") + h + "' (want a number of seconds)");
      setenv("SHMEM_HANG_TIMEOUT", h, 1);  // the PEs' library watches
    } else if (a == "-p" || a == "--prefix" || a == "--tag-output") {
      o.prefix = true;
    } else if (a == "--oversubscribe" || a == "-oversubscribe" || a == "--allow-run-as-root") {
      // Open MPI needs these for more PEs than cores, or as root; here
      // neither limit exists, and a note says so instead of an error.
      fprintf(stderr, "shmemrun: note: %s is not needed here and is ignored\n", argv[i]);
    } else if (a == "-h" || a == "--help") {
      usage(stdout);
      exit(0);
    } else if (a == "--version") {
      printf("shmemrun (shmem4py) %s\n", SHMEMRUN_VERSION);
      exit(0);
    } else {
      usage_error(std::string("unknown option '") + argv[i] + "'");
    }
  }
  if (i >= argc) usage_error("no PROGRAM to run");
  o.argi = i;
  return o;
}

// ---------------------------------------------------------------------------
// The job

// A process is named by its pid and its start time (clock ticks after
// boot, field 22 of /proc/PID/stat), which tells a live process from a later
// one that reuses its pid.
enum class Proc { running, gone, unknown };
Proc process_start(pid_t pid, unsigned long long &start) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", int(pid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ESRCH ? Proc::gone : Proc::unknown;
  char buf[1024];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return n < 0 && errno == ESRCH ? Proc::gone : Proc::unknown;
  buf[n] = '\0';
  // The command name (field 2) may hold spaces and parentheses: count
  // fields from the last ')'.  Field 3, the state, is 'Z' for a zombie.
  char *p = strrchr(buf, ')');
  if (!p || p[1] != ' ') return Proc::unknown;
  if (p[2] == 'Z' || p[2] == 'X') return Proc::gone;
  int field = 2;
  for (++p; *p && field < 22; ++p)
    if (*p == ' ') ++field;
  char *end = nullptr;
  start = strtoull(p, &end, 10);
  return end != p ? Proc::running : Proc::unknown;
}

unsigned long long my_start_time() {
  unsigned long long start = 0;
  return process_start(getpid(), start) == Proc::running ? start : 0;
}

// The pid namespace: a pid means something only inside it, and /dev/shm may
// be shared with processes of another one (a container).  0: unknown.
unsigned long long pid_namespace() {
  struct stat sb;
  return stat("/proc/self/ns/pid", &sb) == 0 ? (unsigned long long)sb.st_ino : 0;
}

// SHMEM4PY_JOB_TAG puts a label into the job id, and so into the names of
// the job's segments: a test suite finds the segments of its own jobs.
bool valid_tag(const char *t) {
  size_t n = strlen(t);
  if (n == 0 || n > 32) return false;
  for (size_t i = 0; i < n; ++i)
    if (!isalnum((unsigned char)t[i]) && t[i] != '_') return false;
  return true;
}

// "PID-START-PIDNS-[TAG_]RANDOM": the segments of the job are
// /dev/shm/shmem4py.JOB.PE.KIND, so that a later shmemrun can tell the
// segments of a launcher that died (SIGKILL) from those of a live job.
std::string make_job_id(const char *tag) {
  uint64_t r = 0;
  if (getrandom(&r, sizeof r, GRND_NONBLOCK) != ssize_t(sizeof r)) {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    r = uint64_t(ts.tv_nsec) * 0x9e3779b97f4a7c15ull ^ uint64_t(ts.tv_sec) ^ uint64_t(getpid());
  }
  char buf[160];
  snprintf(buf, sizeof buf, "%d-%llu-%llu-%s%s%08x", int(getpid()), my_start_time(),
           pid_namespace(), tag ? tag : "", tag ? "_" : "", unsigned(r ^ (r >> 32)));
  return buf;
}

// Segments of PEs that died before unlinking them would outlive the job.
void remove_segments(const std::string &job) {
  DIR *d = opendir("/dev/shm");
  if (!d) return;
  std::string lead = "shmem4py." + job + ".";
  std::vector<std::string> doomed;
  while (dirent *e = readdir(d))
    if (strncmp(e->d_name, lead.c_str(), lead.size()) == 0) doomed.emplace_back(e->d_name);
  for (const std::string &name : doomed) unlinkat(dirfd(d), name.c_str(), 0);
  closedir(d);
}

// Whether the owner named in a segment "shmem4py.PID-START-PIDNS-..." is
// known to be gone.  Only a definite answer counts: a name of another
// format, another pid namespace or an unknown start time is left alone.
bool owner_is_gone(const char *name, unsigned long long my_ns) {
  unsigned long long pid = 0, start = 0, ns = 0;
  int used = 0;
  if (sscanf(name, "shmem4py.%llu-%llu-%llu-%n", &pid, &start, &ns, &used) != 3 || used == 0)
    return false;
  if (my_ns == 0 || ns != my_ns || start == 0 || pid == 0 || pid > (1ull << 30)) return false;
  if (pid_t(pid) == getpid()) return false;
  if (kill(pid_t(pid), 0) != 0 && errno == ESRCH) return true;
  // The pid is taken: by the owner, by its zombie or by a later process.
  unsigned long long now = 0;
  switch (process_start(pid_t(pid), now)) {
  case Proc::gone: return true;
  case Proc::running: return now != start;
  case Proc::unknown: return false;
  }
  return false;
}

// A launcher killed by SIGKILL cannot clean up, and PEs that did not get the
// chance either (killed before they could notice) leave their segments;
// every shmemrun removes such remains of this user's earlier jobs.
void remove_stale_segments() {
  unsigned long long my_ns = pid_namespace();
  DIR *d = opendir("/dev/shm");
  if (!d) return;
  std::vector<std::string> doomed;
  while (dirent *e = readdir(d)) {
    if (strncmp(e->d_name, "shmem4py.", 9) != 0) continue;
    struct stat sb;
    if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || sb.st_uid != geteuid() ||
        !S_ISREG(sb.st_mode))
      continue;
    if (owner_is_gone(e->d_name, my_ns)) doomed.emplace_back(e->d_name);
  }
  for (const std::string &name : doomed) unlinkat(dirfd(d), name.c_str(), 0);
  closedir(d);
}

struct Stream {
  int fd = -1;  // our read end; -1 once closed
  int dest = STDOUT_FILENO;
  std::string partial;  // the unfinished last line
  bool at_line_start = true;
};

struct Pe {
  pid_t pid = -1;
  bool own_group = false;  // leads its own process group, so kill(-pid) reaches its children
  bool running = false;    // started and not yet exited
  // What the PE told us on the control pipe: the library says "init" as
  // shmem_init begins and "fini" when the PE leaves the job (shmem_finalize,
  // or the implicit one of exit()).
  bool in_init = false;
  bool finalized = false;
  bool gone_before_init = false;  // exited with status 0 without "init"
  Stream out, err;
  std::string tag;  // "[PE i] "
};

class Launcher {
 public:
  Launcher(const Options &o, char **argv) : opt_(o), argv_(argv + o.argi) {}
  int run();

 private:
  void setup_signals();
  void setup_fd_limit();
  bool start_pe(int i, const std::vector<std::string> &base_env);
  [[noreturn]] void child(int i, int out_w, int err_w, int err_pipe_w, char **envp);
  void loop();
  void handle_signals();
  void suspend();
  void read_stream(Pe &pe, Stream &s, bool drain);
  void emit_lines(Pe &pe, Stream &s, const char *data, size_t n);
  void finish_stream(Pe &pe, Stream &s);
  void emit(int dest, const std::string &text);
  void drain_pe(Pe &pe);
  void read_ctrl();
  void ctrl_line(std::string_view line);
  void check_exits();
  void check_left_out_of_init();
  void begin_ending(int code, int sig, int spare_pe = -1);
  void signal_all(int sig, int spare_pe = -1);
  void reap_all();

  Options opt_;
  char **argv_;
  std::string job_;
  std::vector<Pe> pes_;
  int running_ = 0;

  int wake_read_ = -1;
  int ctrl_read_ = -1, ctrl_write_ = -1;
  std::string ctrl_buf_;

  bool ending_ = false;
  int exit_code_ = 0;
  int64_t kill_deadline_ = -1;     // when SIGKILL follows the SIGTERM; -1: none pending
  int64_t timeout_deadline_ = -1;  // -t; -1: none
  bool dest_broken_[3] = {false, false, false};

  struct sigaction orig_action_[NSIG];
  sigset_t orig_mask_;
  rlimit orig_nofile_{};
  pid_t launcher_pid_ = 0;
  bool pe0_in_our_group_ = false;

  std::vector<char> rbuf_ = std::vector<char>(kReadChunk);
  std::string obuf_;
};

void Launcher::setup_signals() {
  int p[2];
  if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0) {
    say("cannot create a pipe: %s", strerror(errno));
    exit(kExitInternal);
  }
  wake_read_ = p[0];
  g_wake_write = p[1];

  sigprocmask(SIG_SETMASK, nullptr, &orig_mask_);
  for (int sig : kAllCaught) sigaction(sig, nullptr, &orig_action_[sig]);
  sigaction(SIGPIPE, nullptr, &orig_action_[SIGPIPE]);

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : kAllCaught) {
    // A signal ignored by whoever started us (nohup, a background job of a
    // script) stays ignored, for us and for the PEs; SIGCHLD we always need.
    if (sig != SIGCHLD && orig_action_[sig].sa_handler == SIG_IGN) continue;
    struct sigaction s = sa;
    if (sig == SIGCHLD) s.sa_flags |= SA_NOCLDSTOP;
    sigaction(sig, &s, nullptr);
  }
  // A reader that goes away must show up as EPIPE, not kill the launcher
  // before it can stop the PEs and clean up.
  signal(SIGPIPE, SIG_IGN);

  sigset_t unblock;
  sigemptyset(&unblock);
  for (int sig : kAllCaught) sigaddset(&unblock, sig);
  sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
}

void Launcher::setup_fd_limit() {
  // Each PE costs the launcher two fds while it runs (and a few more while
  // it starts); a large -n should not fail for a soft limit we may raise.
  getrlimit(RLIMIT_NOFILE, &orig_nofile_);
  rlim_t need = rlim_t(opt_.npes) * 2 + 64;
  if (orig_nofile_.rlim_cur != RLIM_INFINITY && orig_nofile_.rlim_cur < need) {
    rlimit r = orig_nofile_;
    r.rlim_cur = std::min(need, r.rlim_max);
    setrlimit(RLIMIT_NOFILE, &r);
  }
}

void Launcher::child(int i, int out_w, int err_w, int err_pipe_w, char **envp) {
  if (pes_[i].own_group) setpgid(0, 0);
  // If the launcher is SIGKILLed, nothing else would stop the PEs.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != launcher_pid_) _exit(kExitCannotRun);

  for (int sig : kAllCaught) {
    if (sig == SIGCHLD) {
      signal(SIGCHLD, SIG_DFL);
    } else {
      sigaction(sig, &orig_action_[sig], nullptr);
    }
  }
  sigaction(SIGPIPE, &orig_action_[SIGPIPE], nullptr);
  sigprocmask(SIG_SETMASK, &orig_mask_, nullptr);
  setrlimit(RLIMIT_NOFILE, &orig_nofile_);

  if (i != 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0 && null_fd != STDIN_FILENO) {
      dup2(null_fd, STDIN_FILENO);
      close(null_fd);
    }
  }
  dup2(out_w, STDOUT_FILENO);
  dup2(err_w, STDERR_FILENO);
  fcntl(ctrl_write_, F_SETFD, 0);  // the one launcher fd the PE keeps

  execvpe(argv_[0], argv_, envp);
  int e = errno;
  ssize_t ignored = write(err_pipe_w, &e, sizeof e);
  (void)ignored;
  _exit(kExitCannotRun);
}

bool Launcher::start_pe(int i, const std::vector<std::string> &base_env) {
  Pe &pe = pes_[i];
  pe.tag = "[PE " + std::to_string(i) + "] ";
  pe.out.dest = STDOUT_FILENO;
  pe.err.dest = STDERR_FILENO;
  pe.own_group = !(i == 0 && pe0_in_our_group_);

  std::vector<std::string> extra = {
      "SHMEMRUN_JOB=" + job_,
      "SHMEMRUN_PE=" + std::to_string(i),
      "SHMEMRUN_NPES=" + std::to_string(opt_.npes),
      "SHMEMRUN_CTRL_FD=" + std::to_string(ctrl_write_),
  };
  std::vector<char *> envp;
  envp.reserve(base_env.size() + extra.size() + 1);
  for (const std::string &s : base_env) envp.push_back(const_cast<char *>(s.c_str()));
  for (std::string &s : extra) envp.push_back(s.data());
  envp.push_back(nullptr);

  int out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, exec_p[2] = {-1, -1};
  if (pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0 || pipe2(exec_p, O_CLOEXEC) != 0) {
    int e = errno;
    for (int fd : {out_p[0], out_p[1], err_p[0], err_p[1], exec_p[0], exec_p[1]})
      if (fd >= 0) close(fd);
    say("cannot start PE %d: %s", i, strerror(e));
    begin_ending(kExitInternal, SIGTERM);
    return false;
  }

  // Keep our handlers from running in the child between fork and exec.
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  pid_t pid = fork();
  if (pid == 0) child(i, out_p[1], err_p[1], exec_p[1], envp.data());
  int fork_errno = errno;
  if (pid > 0 && pe.own_group) setpgid(pid, pid);  // the child may not have got there yet
  sigprocmask(SIG_SETMASK, &old, nullptr);

  close(out_p[1]);
  close(err_p[1]);
  close(exec_p[1]);
  if (pid < 0) {
    for (int fd : {out_p[0], err_p[0], exec_p[0]}) close(fd);
    say("cannot start PE %d: %s", i, strerror(fork_errno));
    begin_ending(kExitInternal, SIGTERM);
    return false;
  }
  pe.pid = pid;
  pe.running = true;
  ++running_;
  set_cloexec_nonblock(out_p[0], true);
  set_cloexec_nonblock(err_p[0], true);
  pe.out.fd = out_p[0];
  pe.err.fd = err_p[0];

  // The child writes errno here if exec fails; EOF means exec worked.  One
  // message for the job, rather than one from each PE.
  int e = 0;
  ssize_t r;
  do r = read(exec_p[0], &e, sizeof e);
  while (r < 0 && errno == EINTR);
  close(exec_p[0]);
  if (r == ssize_t(sizeof e)) {
    say("cannot run '%s': %s", argv_[0], strerror(e));
    begin_ending(kExitCannotRun, SIGTERM);
    return false;
  }
  return true;
}

void Launcher::signal_all(int sig, int spare_pe) {
  // Exited PEs are not reaped before the end, so their pids (and group ids)
  // cannot have been reused: kill(-pid) still only reaches their children.
  for (size_t i = 0; i < pes_.size(); ++i) {
    const Pe &pe = pes_[i];
    if (pe.pid <= 0 || int(i) == spare_pe) continue;
    if (pe.own_group)
      kill(-pe.pid, sig);
    else if (pe.running)
      kill(pe.pid, sig);
  }
}

void Launcher::begin_ending(int code, int sig, int spare_pe) {
  if (ending_) return;
  ending_ = true;
  exit_code_ = code;
  signal_all(sig, spare_pe);
  if (sig != SIGKILL) signal_all(SIGCONT, spare_pe);  // a stopped PE cannot act on it
  kill_deadline_ = now_ms() + kKillGraceMs;
}

void Launcher::emit(int dest, const std::string &text) {
  if (text.empty() || dest_broken_[dest]) return;
  if (write_all(dest, text.data(), text.size())) return;
  // Nobody reads our output any more: close the PEs' pipes too, so that
  // they meet the broken pipe they would have met writing there directly.
  dest_broken_[dest] = true;
  for (Pe &pe : pes_) {
    Stream &s = dest == STDOUT_FILENO ? pe.out : pe.err;
    if (s.fd >= 0) {
      close(s.fd);
      s.fd = -1;
      s.partial.clear();
    }
  }
}

// Passes on whole lines only, so that lines of different PEs never mix.
void Launcher::emit_lines(Pe &pe, Stream &s, const char *data, size_t n) {
  obuf_.clear();
  size_t pos = 0;
  while (pos < n) {
    const void *nl = memchr(data + pos, '\n', n - pos);
    if (!nl) break;
    size_t end = size_t(static_cast<const char *>(nl) - data) + 1;
    if (opt_.prefix && s.at_line_start) obuf_ += pe.tag;
    obuf_ += s.partial;
    s.partial.clear();
    obuf_.append(data + pos, end - pos);
    s.at_line_start = true;
    pos = end;
  }
  if (pos < n) {
    s.partial.append(data + pos, n - pos);
    if (s.partial.size() >= kMaxLine) {
      if (opt_.prefix && s.at_line_start) obuf_ += pe.tag;
      obuf_ += s.partial;
      s.partial.clear();
      s.at_line_start = false;
    }
  }
  emit(s.dest, obuf_);
}

void Launcher::finish_stream(Pe &pe, Stream &s) {
  obuf_.clear();
  if (!s.partial.empty()) {
    if (opt_.prefix && s.at_line_start) obuf_ += pe.tag;
    obuf_ += s.partial;
    s.partial.clear();
    s.at_line_start = false;
  }
  // Unprefixed output passes through byte for byte; prefixed output is
  // line-oriented, so the next PE's tag must start a new line.
  if (opt_.prefix && !s.at_line_start) obuf_ += '\n';
  s.at_line_start = true;
  emit(s.dest, obuf_);
  if (s.fd >= 0) close(s.fd);
  s.fd = -1;
}

// drain: read what is in the pipe now (not what the PE's children may still
// write, which could go on for ever); otherwise read once.
void Launcher::read_stream(Pe &pe, Stream &s, bool drain) {
  int left = 0;
  if (drain && ioctl(s.fd, FIONREAD, &left) != 0) left = int(kReadChunk);
  do {
    if (s.fd < 0) return;
    size_t want = kReadChunk;
    if (drain) {
      if (left <= 0) return;
      want = std::min(want, size_t(left));
    }
    ssize_t r = read(s.fd, rbuf_.data(), want);
    if (r > 0) {
      left -= int(r);
      emit_lines(pe, s, rbuf_.data(), size_t(r));
    } else if (r < 0 && errno == EINTR) {
      continue;
    } else if (r < 0 && errno == EAGAIN) {
      return;
    } else {
      finish_stream(pe, s);  // EOF, or an error that will not go away
      return;
    }
  } while (drain);
}

void Launcher::drain_pe(Pe &pe) {
  if (pe.out.fd >= 0) read_stream(pe, pe.out, true);
  if (pe.err.fd >= 0) read_stream(pe, pe.err, true);
}

void Launcher::read_ctrl() {
  while (ctrl_read_ >= 0) {
    char buf[4096];
    ssize_t r = read(ctrl_read_, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) break;
    if (r <= 0) {
      close(ctrl_read_);
      ctrl_read_ = -1;
      break;
    }
    ctrl_buf_.append(buf, size_t(r));
    size_t nl;
    while ((nl = ctrl_buf_.find('\n')) != std::string::npos) {
      std::string line = ctrl_buf_.substr(0, nl);
      ctrl_buf_.erase(0, nl + 1);
      ctrl_line(line);
    }
    if (ctrl_buf_.size() > 4096) ctrl_buf_.clear();  // not ours: a PE wrote junk to the fd
  }
}

// "exit <pe> <status>", "abort <pe> <status>", "init <pe> <pid>" or
// "fini <pe> <pid>"
void Launcher::ctrl_line(std::string_view line) {
  auto word = [&line]() {
    size_t b = line.find_first_not_of(' ');
    if (b == std::string_view::npos) return std::string_view();
    line.remove_prefix(b);
    size_t e = std::min(line.find(' '), line.size());
    std::string_view w = line.substr(0, e);
    line.remove_prefix(e);
    return w;
  };
  auto number = [](std::string_view w, long &v) {
    auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    return !w.empty() && ec == std::errc() && end == w.data() + w.size();
  };
  std::string_view what = word(), pe_s = word(), status_s = word();
  long pe = -1, status = 0;
  bool ok = (what == "exit" || what == "abort" || what == "init" || what == "fini") && number(pe_s, pe) && number(status_s, status) &&
            word().empty() && pe >= 0 && pe < long(pes_.size());
  if (!ok) {
    say("ignoring a bad message on the control pipe: '%.*s'", int(std::min<size_t>(line.size(), 200)),
        line.data());
    return;
  }
  if (what == "init") {
    pes_[pe].in_init = true;
    pes_[pe].finalized = false; // initialized again after its last finalize
    check_left_out_of_init();
    return;
  }
  if (what == "fini") {
    pes_[pe].finalized = true;
    return;
  }
  if (ending_) return;
  drain_pe(pes_[pe]);  // its last words come before ours
  if (what == "exit") {
    say("PE %ld called shmem_global_exit(%ld); ending the job", pe, status);
    // The status goes through exit(), which keeps its low 8 bits.
    begin_ending(int(status & 0xff), SIGTERM, int(pe));
  } else {
    say("PE %ld aborted (see its message above); ending the job", pe);
    int code = int(status & 0xff);
    begin_ending(code ? code : 1, SIGTERM, int(pe));
  }
}

// PEs are looked at with WNOWAIT and reaped only at the very end: while a PE
// is a zombie its pid stays taken, so signalling its process group is safe.
void Launcher::check_exits() {
  for (size_t i = 0; i < pes_.size(); ++i) {
    Pe &pe = pes_[i];
    if (!pe.running) continue;
    siginfo_t info{};
    int rc;
    do rc = waitid(P_PID, id_t(pe.pid), &info, WEXITED | WNOHANG | WNOWAIT);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      info.si_pid = pe.pid;  // gone (should not happen): count it as ended
      info.si_code = CLD_EXITED;
      info.si_status = 0;
    }
    if (info.si_pid != pe.pid) continue;
    pe.running = false;
    --running_;
    // A line sent just before the exit explains it, so it goes first.
    read_ctrl();
    if (ending_) continue;
    drain_pe(pe);
    if (info.si_code == CLD_EXITED) {
      if (info.si_status == 0) {
        if (pe.finalized) continue;
        if (pe.in_init) {
          // Its peers wait for it (in a barrier, a wait_until) and nothing
          // in the library can tell them it is gone.
          say("PE %zu exited with status 0 without calling shmem_finalize; ending the job", i);
          begin_ending(kExitInternal, SIGTERM);
          continue;
        }
        // Not a SHMEM program, or not yet one: wrong only if others are
        // in shmem_init, which waits for every PE.
        pe.gone_before_init = true;
        check_left_out_of_init();
        continue;
      }
      say("PE %zu exited with status %d; ending the job", i, info.si_status);
      begin_ending(info.si_status, SIGTERM);
    } else if (info.si_status == SIGPIPE && (dest_broken_[STDOUT_FILENO] || dest_broken_[STDERR_FILENO])) {
      // Our reader left (shmemrun ... | head): the PE's broken pipe is a
      // consequence, not news, just as a shell pipeline keeps quiet about it.
      begin_ending(128 + SIGPIPE, SIGTERM);
    } else {
      int sig = info.si_status;
      const char *name = strsignal(sig);
      say("PE %zu was killed by signal %d (%s); ending the job", i, sig, name ? name : "unknown");
      begin_ending(128 + sig, SIGTERM);
    }
  }
}

// A PE that exited without calling shmem_init while another is in it: the
// other would wait for its segment until its time-out.  A job where no PE
// calls shmem_init (not a SHMEM program) is fine.
void Launcher::check_left_out_of_init() {
  if (ending_) return;
  int gone = -1, waiting = -1;
  for (size_t i = 0; i < pes_.size(); ++i) {
    if (gone < 0 && pes_[i].gone_before_init) gone = int(i);
    if (waiting < 0 && pes_[i].in_init) waiting = int(i);
  }
  if (gone < 0 || waiting < 0) return;
  say("PE %d exited with status 0 without calling shmem_init, while PE %d waits for it in "
      "shmem_init; ending the job",
      gone, waiting);
  begin_ending(kExitInternal, SIGTERM);
}

void Launcher::suspend() {
  // Ctrl-Z: stop the whole job, stop ourselves, and on fg continue it all.
  signal_all(SIGSTOP);
  struct sigaction dfl {}, mine {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(SIGTSTP, &dfl, &mine);
  raise(SIGTSTP);  // returns at once where job control is not in use
  sigaction(SIGTSTP, &mine, nullptr);
  signal_all(SIGCONT);
}

void Launcher::handle_signals() {
  char sink[256];
  while (read(wake_read_, sink, sizeof sink) > 0) {
  }
  for (int sig : kEndSignals) {
    if (!take_pending(sig)) continue;
    if (ending_) {
      signal_all(SIGKILL);  // asked twice: no more grace
      continue;
    }
    const char *name = strsignal(sig);
    say("caught signal %d (%s); ending the job", sig, name ? name : "unknown");
    begin_ending(128 + sig, sig);
  }
  for (int sig : kRelaySignals)
    if (take_pending(sig)) signal_all(sig);
  if (take_pending(SIGTSTP)) suspend();
}

void Launcher::loop() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Pe *, Stream *>> polled;
  while (running_ > 0) {
    int64_t now = now_ms();
    if (!ending_ && timeout_deadline_ >= 0 && now >= timeout_deadline_) {
      say("job timed out after %g s", opt_.timeout_s);
      begin_ending(kExitTimeout, SIGTERM);
    }
    if (kill_deadline_ >= 0 && now >= kill_deadline_) {
      signal_all(SIGKILL);
      kill_deadline_ = -1;
    }
    // Sleep until something happens; wake by the clock only for a deadline.
    int64_t wait = -1;
    for (int64_t d : {kill_deadline_, ending_ ? int64_t(-1) : timeout_deadline_})
      if (d >= 0) wait = wait < 0 ? d - now : std::min(wait, d - now);

    fds.clear();
    polled.clear();
    fds.push_back({wake_read_, POLLIN, 0});
    size_t ctrl_index = 0;  // 0: not polled
    if (ctrl_read_ >= 0) {
      ctrl_index = fds.size();
      fds.push_back({ctrl_read_, POLLIN, 0});
    }
    size_t first_stream = fds.size();
    for (Pe &pe : pes_)
      for (Stream *s : {&pe.out, &pe.err})
        if (s->fd >= 0) {
          fds.push_back({s->fd, POLLIN, 0});
          polled.emplace_back(&pe, s);
        }
    int n = poll(fds.data(), fds.size(), wait < 0 ? -1 : int(std::clamp<int64_t>(wait, 1, 3600 * 1000)));
    if (n < 0 && errno != EINTR) {
      say("poll failed: %s", strerror(errno));
      begin_ending(kExitInternal, SIGKILL);
      return;
    }
    // Our own signals first: a PE that dies of the Ctrl-C we also got is
    // part of the ending, not a failure to report.
    handle_signals();
    if (n > 0) {
      for (size_t k = 0; k < polled.size(); ++k) {
        auto [pe, s] = polled[k];
        if (fds[first_stream + k].revents && s->fd >= 0) read_stream(*pe, *s, false);
      }
      if (ctrl_index && fds[ctrl_index].revents) read_ctrl();
    }
    if (take_pending(SIGCHLD)) check_exits();
  }
}

void Launcher::reap_all() {
  for (Pe &pe : pes_) {
    if (pe.pid <= 0) continue;
    while (waitpid(pe.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

int Launcher::run() {
  launcher_pid_ = getpid();
  const char *tag = getenv("SHMEM4PY_JOB_TAG");
  if (tag && !*tag) tag = nullptr;
  if (tag && !valid_tag(tag))
    usage_error(std::string("SHMEM4PY_JOB_TAG='") + tag +
                "' is not a tag (1 to 32 letters, digits or '_')");
  job_ = make_job_id(tag);
  remove_stale_segments();
  pes_.resize(size_t(opt_.npes));
  // A PE reading a terminal must share its process group with us, or it is
  // stopped by SIGTTIN as soon as it reads.
  pe0_in_our_group_ = tcgetpgrp(STDIN_FILENO) != -1;

  setup_signals();
  setup_fd_limit();

  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    say("cannot create a pipe: %s", strerror(errno));
    return kExitInternal;
  }
  ctrl_read_ = p[0];
  ctrl_write_ = p[1];
  set_cloexec_nonblock(ctrl_read_, true);

  std::vector<std::string> base_env;
  for (char **e = environ; *e; ++e) {
    std::string_view v = *e;
    bool ours = false;
    for (std::string_view name : {"SHMEMRUN_JOB=", "SHMEMRUN_PE=", "SHMEMRUN_NPES=", "SHMEMRUN_CTRL_FD="})
      if (v.substr(0, name.size()) == name) ours = true;
    if (!ours) base_env.emplace_back(v);
  }

  for (int i = 0; i < opt_.npes; ++i) {
    if (!start_pe(i, base_env) || end_signal_pending()) break;
  }
  close(ctrl_write_);  // from now on EOF means every PE has let go of it
  ctrl_write_ = -1;
  if (opt_.timeout_s > 0) timeout_deadline_ = now_ms() + int64_t(opt_.timeout_s * 1000 + 0.5);

  loop();

  // All PEs have exited; pass on what they left in the pipes.
  for (Pe &pe : pes_) {
    drain_pe(pe);
    for (Stream *s : {&pe.out, &pe.err})
      if (s->fd >= 0) finish_stream(pe, *s);
  }
  read_ctrl();
  // When the job was cut short, the PEs' own children go too.
  if (ending_) signal_all(SIGKILL);
  reap_all();
  remove_segments(job_);
  if (ctrl_read_ >= 0) close(ctrl_read_);
  return exit_code_;
}

// The PEs' pipes and the control fd must not land on 0-2, where a PE would
// take them for its stdio.
void ensure_std_fds() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) >= 0) continue;
    int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (n >= 0 && n != fd) {
      dup2(n, fd);
      close(n);
    }
  }
}

}  // namespace

int main(int argc, char **argv) {
  ensure_std_fds();
  Options opt = parse_args(argc, argv);
  Launcher launcher(opt, argv);
  return launcher.run();
}
