// core/launcher_link.hpp - what a PE tells shmemrun.  shmemrun passes the
// write end of a pipe in SHMEMRUN_CTRL_FD; a PE that ends the job on
// purpose (shmem_global_exit, a fatal diagnostic) writes one line there
// before it exits, so the launcher can say why and stop the other PEs.
// A PE also says when it enters shmem_init and when it leaves the job, so
// that the launcher knows a PE that exits 0 without shmem_finalize (or
// before shmem_init while others wait for it there) for the failure it is.
#pragma once

namespace shmemi {
[[noreturn]] void global_exit(int status); // "exit <pe> <status>"
[[noreturn]] void abort_job(int status);   // "abort <pe> <status>"
void tell_launcher_init();                 // "init <pe> <pid>", once per process
void tell_launcher_left();                 // "fini <pe> <pid>", by the process that said init
bool launcher_gone();                      // shmemrun has exited (the pipe has no reader)
} // namespace shmemi
