"""Type stubs of the shmem4py package."""
from . import shmem as shmem
from .rc import Rc as Rc

__version__: str
rc: Rc

def get_include() -> str: ...
def get_lib_dir() -> str: ...
