"""The soak test: 4 PEs on the machine's cores, RMA, AMOs, signals and
collectives mixed, every result checked, for a bounded time
(SHMEM_SOAK_SECONDS, default 20 s here; tests/c/test_soak.c)."""
import os
import re

from jobs import BUILD, run_job


def test_soak_4_pes(no_leaked_segments):
    seconds = os.environ.get("SHMEM_SOAK_SECONDS", "20")
    r = run_job([BUILD / "tests" / "c" / "test_soak"], 4, timeout=120 + 2 * float(seconds),
                env={"SHMEM_SOAK_SECONDS": seconds, "SHMEM_SOAK_REPORT": "1"})
    assert r.returncode == 0, f"soak failed\nstdout: {r.stdout}\nstderr: {r.stderr}"
    m = re.search(r"soak: (\d+) iterations in ([\d.]+) s on 4 PEs", r.stdout)
    assert m and int(m.group(1)) > 0, r.stdout
    print(f"\n{m.group(0)}")
