"""shmemrun's behaviour (exit codes, failures, signals, output, cleanup),
checked by tests/launcher/test_launcher.sh with shell commands as PEs, and
the command-line spellings of mpiexec and oshrun that it accepts."""
import re
import subprocess

import pytest

from jobs import ROOT, shmemrun_path


def test_launcher_script(no_leaked_segments):
    script = ROOT / "tests" / "launcher" / "test_launcher.sh"
    try:
        r = subprocess.run(["bash", str(script), shmemrun_path()], capture_output=True,
                           text=True, timeout=600)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"launcher tests hung:\n{e.stdout}\n{e.stderr}")
    failed = [l for l in r.stdout.splitlines() if l.startswith("not ok")]
    assert r.returncode == 0 and not failed, f"{failed}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"


def launch(argv, timeout=60):
    try:
        return subprocess.run([shmemrun_path(), *argv], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"shmemrun {argv} hung:\n{e.stdout}\n{e.stderr}")


COUNT_PES = ["sh", "-c", 'echo "$SHMEMRUN_PE of $SHMEMRUN_NPES"']


@pytest.mark.parametrize("form", ["-n {}", "-np {}", "--np {}", "--np={}", "-c {}", "-c={}",
                                  "--n {}", "-n{}"])
@pytest.mark.parametrize("npes", [1, 2, 3, 4])
def test_mpiexec_spellings_of_the_pe_count(form, npes, no_leaked_segments):
    r = launch([*form.format(npes).split(), *COUNT_PES])
    assert r.returncode == 0, r.stderr
    assert sorted(r.stdout.splitlines()) == [f"{i} of {npes}" for i in range(npes)]
    assert r.stderr == ""


@pytest.mark.parametrize("flag", ["--oversubscribe", "-oversubscribe", "--allow-run-as-root"])
def test_open_mpi_flags_accepted_with_a_note(flag, no_leaked_segments):
    # Before and after the count, as users put them.
    for argv in ([flag, "-np", "3"], ["-np", "3", flag]):
        r = launch([*argv, *COUNT_PES])
        assert r.returncode == 0, r.stderr
        assert sorted(r.stdout.splitlines()) == [f"{i} of 3" for i in range(3)]
        assert r.stderr.splitlines() == [
            f"shmemrun: note: {flag} is not needed here and is ignored"], r.stderr


def test_version_and_help():
    r = launch(["--version"])
    assert r.returncode == 0 and re.fullmatch(r"shmemrun \(shmem4py\) \d+\.\d+\.\d+\S*\n",
                                              r.stdout), r.stdout
    r = launch(["--help"])
    assert r.returncode == 0
    for spelling in ("-np N", "-c N", "--oversubscribe", "--version"):
        assert spelling in r.stdout, spelling


@pytest.mark.parametrize("argv,message", [
    (["-c", "0", "true"], "bad number of PEs '0'"),
    (["-np"], "option -np needs a value"),
    (["--bind-to", "core", "true"], "unknown option '--bind-to'"),
])
def test_bad_spellings_are_named(argv, message):
    r = launch(argv)
    assert r.returncode != 0 and message in r.stderr, r.stderr
