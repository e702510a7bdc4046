// bootstrap/bootstrap.hpp - who this PE is and how it leaves the job, apart
// from how it reaches its peers' memory (transport/).
//
// A bootstrap gives the job's identity (a name unique to the job, this PE's
// rank, the number of PEs), tells whoever started the job when this PE
// enters and leaves it, and ends the job.  Today the one bootstrap is
// shmemrun's environment (bootstrap/launcher.cpp), or a job of one PE when
// the program runs on its own; an MPI bootstrap (the mpi transport's
// mpiexec/srun case) is chosen by identify() when it exists, and brings the
// exchange of addresses and keys that an off-node transport needs.  The shm
// transport needs no exchange: every PE finds its peers' segments by name.
#pragma once
#include <string>

namespace shmemi::boot {

struct Job {
  const char *kind = "single"; // which bootstrap: "shmemrun" or "single"
  std::string id;              // unique to the job; names its shared segments
  int rank = 0;                // this PE
  int size = 1;                // PEs in the job
};

// Reads this PE's place in the job (once, at shmem_init); a bad launcher
// environment is diagnosed.
Job identify();

// Before identify() (a diagnostic of a call before shmem_init), the
// launcher's word on this PE's rank and the job's size, if it has one.
bool early_rank(int *rank, int *size);

// How a job of another bootstrap ends (the mpi transport's: MPI_Abort),
// after abort_job and global_exit have told shmemrun, if it is there.
extern void (*abort_hook)(int status);

} // namespace shmemi::boot

namespace shmemi {
// What a PE tells the launcher (shmemrun passes the write end of a pipe in
// SHMEMRUN_CTRL_FD): a PE that ends the job on purpose (shmem_global_exit,
// a fatal diagnostic) writes one line there before it exits, so the
// launcher can say why and stop the other PEs.  A PE also says when it
// enters shmem_init and when it leaves the job, so that the launcher knows
// a PE that exits 0 without shmem_finalize (or before shmem_init while
// others wait for it there) for the failure it is.
[[noreturn]] void global_exit(int status); // "exit <pe> <status>"
[[noreturn]] void abort_job(int status);   // "abort <pe> <status>"
void tell_launcher_init();                 // "init <pe> <pid>", once per process
void tell_launcher_left();                 // "fini <pe> <pid>", by the process that said init
bool launcher_gone();                      // shmemrun has exited (the pipe has no reader)
} // namespace shmemi
