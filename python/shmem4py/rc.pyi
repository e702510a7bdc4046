"""Type stubs of shmem4py.rc: at run time, ``shmem4py.rc`` is the Rc instance."""
from typing import Any, Optional

class Rc:
    initialize: bool
    threads: bool
    thread_level: str
    finalize: Optional[bool]
    def __init__(self, **kwargs: Any) -> None: ...
    def __call__(self, **kwargs: Any) -> None: ...

# ``import shmem4py.rc`` binds the instance: its options read as module attributes.
initialize: bool
threads: bool
thread_level: str
finalize: Optional[bool]
rc: Rc
