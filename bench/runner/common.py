"""What the PingPong and kernel drivers share: running one job, and the
record of what was skipped or failed."""
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field


# The variants on libshmem, the project's own; the others run on MPICH or
# Open MPI, whose runtimes are peers.
OURS = {"c-shmem", "py-shmem", "numba-shmem", "njit-shmem"}
# Job.returncode of a run that did not end within its time.
TIMED_OUT = -9


@dataclass
class Job:
    """One program run: its command, environment and outcome."""
    bench: str
    variant: str
    cmd: list
    npes: int = 2
    env: dict = None
    returncode: int = None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)

    def run(self, timeout):
        """Runs the command; a timeout counts as a failure (returncode TIMED_OUT).

        The job runs in a session of its own, so that a timeout ends the
        launcher and every process it started (a launcher killed alone
        leaves its PEs spinning)."""
        t0 = time.monotonic()
        shm_before = mpich_files()
        proc = subprocess.Popen([str(c) for c in self.cmd], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.env,
                                start_new_session=True)
        try:
            self.stdout, self.stderr = proc.communicate(timeout=timeout)
            self.returncode = proc.returncode
        except subprocess.TimeoutExpired:
            _end_group(proc)
            out, err = proc.communicate()
            self.returncode, self.stdout = TIMED_OUT, out or ""
            self.stderr = (err or "") + f"\ntimed out after {timeout:g} s"
        except BaseException:
            _end_group(proc)  # Ctrl-C in bench/run ends the job too
            raise
        self.seconds = time.monotonic() - t0
        if self.returncode != 0:
            # MPICH leaves its shared-memory files behind when a job of it
            # is killed or aborts.
            remove_unmapped_mpich_files(mpich_files() - shm_before)
        return self

    def tail(self, n=400):
        """What says why the job failed, for messages: its last error lines
        (launchers wrap them in banners), else the end of stderr or stdout."""
        text = (self.stderr or self.stdout).strip()
        errors = [line.strip() for line in (self.stderr + "\n" + self.stdout).splitlines()
                  if re.search(r"error|exception|fail|valid|abort|signal|timed out", line, re.I)
                  and not line.startswith("RESULT ")]
        if errors:
            text = " | ".join(errors[-3:])
        return " ".join(text.split())[-n:]


def mpich_files():
    """MPICH's shared-memory files in /dev/shm."""
    try:
        return {n for n in os.listdir("/dev/shm") if n.startswith("mpich_shm_")}
    except FileNotFoundError:
        return set()


def remove_unmapped_mpich_files(names):
    """Removes those of NAMES that no process maps now: MPICH leaves its
    files when a job of it is aborted or killed; a job still running
    (anyone else's) keeps them mapped and keeps them."""
    names = set(names)
    if not names:
        return
    mapped = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/maps") as f:
                mapped.update(line.rsplit("/dev/shm/", 1)[1].split()[0]
                              for line in f if "/dev/shm/mpich_shm_" in line)
        except OSError:
            pass
    for name in names - mapped:
        try:
            os.unlink(os.path.join("/dev/shm", name))
        except FileNotFoundError:
            pass


def _end_group(proc):
    """SIGTERM to PROC's process group, SIGKILL to what is left after 2 s."""
    for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            # The launcher is gone; its PEs, in the same group, may not be.
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue
        return


class Record:
    """Variants that were not run (and why) and runs that failed."""

    def __init__(self):
        self.skipped = []
        self.failures = []

    def skip(self, bench, variant, reason, npes=None):
        """Notes a variant that is not available here."""
        self.skipped.append({"bench": bench, "variant": variant, "npes": npes, "reason": reason})

    def fail(self, bench, variant, npes, reason, peer=False):
        """Notes a run that did not validate; PEERS' failures do not fail the run."""
        self.failures.append({"bench": bench, "variant": variant, "npes": npes,
                              "reason": reason, "peer": peer})
