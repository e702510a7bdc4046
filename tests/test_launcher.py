"""shmemrun's behaviour (exit codes, failures, signals, output, cleanup),
checked by tests/launcher/test_launcher.sh with shell commands as PEs."""
import subprocess

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
