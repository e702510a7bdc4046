// transport/mpi/mpi.hpp - the mpi transport: MPI-3 RMA on an existing MPI,
// for PEs that no shared memory reaches.  libshmem itself links no MPI: the
// MPI side lives in the plugin libshmem_mpi.so (mpi_plugin.h), loaded when
// the job was started by mpiexec/srun or SHMEM_TRANSPORT=mpi asks for it.
//
// The PEs of this node map each other's memory as under shmemrun (the shm
// transport's segments); the heap and the data segment are one MPI window
// each over the same memory, for the PEs of other nodes.  In a job of
// several nodes every AMO goes through MPI, this PE's own and its node's
// too, so that MPI sees every read-modify-write of a word that PEs of
// other nodes update through it; in a job of one node the CPU does them.
#pragma once
#include "../../bootstrap/bootstrap.hpp"
#include "../../core/state.hpp"
#include "../transport.hpp"

namespace shmemi::mpi {

// Whether this job is one for the mpi transport: SHMEM_TRANSPORT=mpi, or
// no shmemrun, the environment of an MPI launcher (PMI, PMIx, Open MPI) and
// the plugin installed.  SHMEM_TRANSPORT=shm says no.
bool wanted();
// Loads the plugin and starts MPI (the job's rank and size); failures are
// diagnosed (no plugin, another ABI, an MPI that cannot start).
boot::Job bootstrap();
// Maps this PE's regions and exposes them to every PE (collective): the
// PEs of this node map each other's (the shm transport) unless
// SHMEM_MPI_ONNODE=0 sends everything through MPI.
void init(State &st, const boot::Job &job);
// The last shmem_finalize (clean: every PE is in it, collectively) or an
// exit without it (the job ends through MPI_Abort).
void finalize(State &st, bool clean);
bool active();
[[noreturn]] void abort_job(int status);

extern const Transport ops;

} // namespace shmemi::mpi
