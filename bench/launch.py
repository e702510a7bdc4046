"""Where the bench/ drivers find the project and its launcher."""
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def shmemrun():
    """shmemrun of the running Python environment, else of build/, else on PATH."""
    here = pathlib.Path(sys.executable).parent / "shmemrun"
    if here.exists():
        return str(here)
    build = ROOT / "build" / "shmemrun"
    return str(build) if build.exists() else shutil.which("shmemrun")
