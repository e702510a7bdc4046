"""Where the SPMD tests run: which world PEs this PE should reach by loads
and stores (its node's, SHMEM_TEAM_SHARED), from how the job was started,
not from the library under test."""
import os


def shared_pes(me, npes):
    """Every PE under shmemrun; only this one with SHMEMI_NETWORK_LOOPBACK=1;
    under the mpi transport (mpiexec) only this one with SHMEM_MPI_ONNODE=0,
    or its "node" of SHMEMI_MPI_NODE_SIZE consecutive ranks."""
    env = os.environ
    if env.get("SHMEMI_NETWORK_LOOPBACK") == "1":
        return [me]
    under_mpi = env.get("SHMEM_TRANSPORT") == "mpi" or (
        not env.get("SHMEMRUN_JOB") and ("PMI_RANK" in env or "PMIX_RANK" in env))
    if under_mpi and env.get("SHMEM_MPI_ONNODE") == "0":
        return [me]
    k = int(env.get("SHMEMI_MPI_NODE_SIZE", "0") or 0) if under_mpi else 0
    if k > 0:
        return [pe for pe in range(npes) if pe // k == me // k]
    return list(range(npes))


def amo_by_cpu(me, npes, pe):
    """Whether this PE does PE pe's AMOs with the CPU: where it reaches pe
    by loads and stores and no network transport owns the atomics (which a
    job of several nodes gives MPI, for every PE; SHMEMI_NETWORK_LOOPBACK=amo
    gives the transport interface those of the other PEs)."""
    env = os.environ
    near = shared_pes(me, npes)
    if pe not in near or (pe != me and env.get("SHMEMI_NETWORK_LOOPBACK") == "amo"):
        return False
    under_mpi = env.get("SHMEM_TRANSPORT") == "mpi" or (
        not env.get("SHMEMRUN_JOB") and ("PMI_RANK" in env or "PMIX_RANK" in env))
    return not (under_mpi and len(near) < npes)
