"""The specification's informational environment variables: with
SHMEM_VERSION (or the deprecated SMA_VERSION) set, the library prints its
version at start-up, once per job; with SHMEM_INFO (SMA_INFO) it prints
what the variables do.  Without them it prints nothing."""
import pytest

from jobs import BUILD, run_job

SMOKE = BUILD / "tests" / "c" / "test_smoke"


@pytest.mark.parametrize("var", ["SHMEM_VERSION", "SMA_VERSION"])
def test_version_printed_once(var, no_leaked_segments):
    r = run_job([SMOKE], 3, env={var: "1"})
    assert r.returncode == 0, r.stderr
    lines = [l for l in r.stdout.splitlines() if "API version 1.6" in l]
    assert len(lines) == 1, r.stdout


@pytest.mark.parametrize("var", ["SHMEM_INFO", "SMA_INFO"])
def test_info_names_the_variables(var, no_leaked_segments):
    r = run_job([SMOKE], 2, env={var: "1", "SHMEM_SYMMETRIC_SIZE": "64M"})
    assert r.returncode == 0, r.stderr
    for name in ("SHMEM_VERSION", "SHMEM_INFO", "SHMEM_SYMMETRIC_SIZE", "SHMEM_DEBUG"):
        assert r.stdout.count(name) == 1, r.stdout
    assert "64M" in r.stdout and "67108864 bytes" in r.stdout, r.stdout


def test_silent_by_default(no_leaked_segments):
    r = run_job([SMOKE], 2, env={"SHMEM_VERSION": "", "SHMEM_INFO": ""})
    assert r.returncode == 0 and r.stdout == "", r.stdout
