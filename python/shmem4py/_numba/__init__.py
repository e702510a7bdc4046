"""shmem4py's API inside Numba-compiled code (``@numba.njit``).

The overloads register themselves when Numba starts compiling (the
``numba_extensions`` entry point of the package calls :func:`_init`) or when
``shmem4py.shmem`` is imported in a process that has imported Numba already,
whichever comes later: registering needs the API's function objects, and
importing ``shmem4py.shmem`` starts OpenSHMEM, which a program that only uses
Numba must not pay for.  See docs/numba.rst."""
import sys

_registered = False


def _init():
    """Register the overloads once ``shmem4py.shmem`` is imported (Numba's
    entry point; called again from ``shmem4py.shmem`` itself)."""
    global _registered
    if _registered or "shmem4py.shmem" not in sys.modules:
        return
    _registered = True
    from . import _amo, _coll, _rma, _sync
    for module in (_rma, _amo, _sync, _coll):
        module.register()
