"""What the PingPong and kernel drivers share: running one job, and the
record of what was skipped or failed."""
import re
import subprocess
import time
from dataclasses import dataclass, field


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
        """Runs the command; a timeout counts as a failure (returncode -9)."""
        t0 = time.monotonic()
        try:
            r = subprocess.run([str(c) for c in self.cmd], capture_output=True, text=True,
                               env=self.env, timeout=timeout)
            self.returncode, self.stdout, self.stderr = r.returncode, r.stdout, r.stderr
        except subprocess.TimeoutExpired as e:
            self.returncode = -9
            self.stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            self.stderr = f"timed out after {timeout} s"
        self.seconds = time.monotonic() - t0
        return self

    def tail(self, n=400):
        """What says why the job failed, for messages: its last error lines
        (launchers wrap them in banners), else the end of stderr or stdout."""
        text = (self.stderr or self.stdout).strip()
        errors = [line.strip() for line in (self.stderr + "\n" + self.stdout).splitlines()
                  if re.search(r"error|exception|fail|valid|abort|signal", line, re.I)
                  and not line.startswith("RESULT ")]
        if errors:
            text = " | ".join(errors[-3:])
        return " ".join(text.split())[-n:]


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
