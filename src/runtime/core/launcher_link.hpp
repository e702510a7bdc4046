// core/launcher_link.hpp - what a PE tells shmemrun.  shmemrun passes the
// write end of a pipe in SHMEMRUN_CTRL_FD; a PE that ends the job on
// purpose (shmem_global_exit, a fatal diagnostic) writes one line there
// before it exits, so the launcher can say why and stop the other PEs.
#pragma once

namespace shmemi {
[[noreturn]] void global_exit(int status); // "exit <pe> <status>"
[[noreturn]] void abort_job(int status);   // "abort <pe> <status>"
} // namespace shmemi
