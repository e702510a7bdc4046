"""Runtime options of shmem4py, read when :mod:`shmem4py.shmem` is first imported.

Set them before that import::

    from shmem4py import rc
    rc.initialize = False          # or: rc(initialize=False)
    from shmem4py import shmem     # does not call shmem.init()

Options:

``initialize`` (bool, default True)
    Initialize OpenSHMEM when ``shmem4py.shmem`` is imported.
``threads`` (bool, default False)
    Initialize with ``init_thread(thread_level)`` instead of ``init()``.
``thread_level`` (str, default ``"multiple"``)
    ``"multiple"``, ``"serialized"``, ``"funneled"`` or ``"single"``.
``finalize`` (None or bool, default None)
    Finalize at interpreter exit; None means "if shmem4py initialized".

The environment variables ``SHMEM4PY_RC_INITIALIZE``, ``SHMEM4PY_RC_THREADS``,
``SHMEM4PY_RC_THREAD_LEVEL`` and ``SHMEM4PY_RC_FINALIZE`` override the
defaults (``true``/``false``/``yes``/``no``/``on``/``off``/``1``/``0``, and
``none`` for ``finalize``); options set in the program override them.
Setting an unknown option raises TypeError.  ``vars(rc)`` is a dict of the
options.
"""
import os
import sys

_OPTIONS = ("initialize", "threads", "thread_level", "finalize")
_LEVELS = ("single", "funneled", "serialized", "multiple")
_TRUE = ("1", "true", "yes", "y", "on")
_FALSE = ("0", "false", "no", "n", "off")


def _check(name, value):
    if name in ("initialize", "threads"):
        if isinstance(value, int) and value in (0, 1):  # bool, or 0/1
            return bool(value)
        raise TypeError(f"shmem4py.rc.{name} must be a bool, not {value!r}")
    elif name == "finalize":
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if value is not None:
            raise TypeError(f"shmem4py.rc.finalize must be None or a bool, "
                            f"not {type(value).__name__}")
    elif name == "thread_level":
        if not isinstance(value, str):
            raise TypeError(f"shmem4py.rc.thread_level must be a str, not {type(value).__name__}")
        if value.lower() not in _LEVELS:
            raise ValueError(f"shmem4py.rc.thread_level must be one of {', '.join(_LEVELS)}; "
                             f"got {value!r}")
        value = value.lower()
    return value


def _from_env(name, default):
    var = "SHMEM4PY_RC_" + name.upper()
    text = os.environ.get(var)
    if text is None or text.strip() == "":
        return default
    t = text.strip().lower()
    if name == "thread_level":
        if t not in _LEVELS:
            raise ValueError(f"{var}={text!r}: expected one of {', '.join(_LEVELS)}")
        return t
    if name == "finalize" and t == "none":
        return None
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError(f"{var}={text!r}: expected true or false"
                     + (" or none" if name == "finalize" else ""))


class Rc:
    """Runtime options of shmem4py (``shmem4py.rc`` is the one instance).

    Set an option as an attribute, ``rc.threads = True``, or several with a
    call, ``rc(threads=True, thread_level="serialized")``.  An unknown option
    raises TypeError, a bad value TypeError or ValueError."""

    __module__ = "shmem4py"

    def __init__(self, **kwargs):
        for name in _OPTIONS:
            object.__setattr__(self, name, _DEFAULTS[name])
        self(**kwargs)

    def __setattr__(self, name, value):
        if name not in _OPTIONS:
            raise TypeError(f"shmem4py.rc has no option {name!r} "
                            f"(options: {', '.join(_OPTIONS)})")
        object.__setattr__(self, name, _check(name, value))

    def __delattr__(self, name):
        raise TypeError(f"shmem4py.rc option {name!r} cannot be deleted")

    def __call__(self, **kwargs):
        """Set several options at once: ``rc(initialize=False, finalize=False)``."""
        for name in kwargs:
            if name not in _OPTIONS:
                raise TypeError(f"shmem4py.rc() got an unexpected option {name!r} "
                                f"(options: {', '.join(_OPTIONS)})")
        for name, value in kwargs.items():
            setattr(self, name, value)

    def __repr__(self):
        # As shmem4py 1.0 prints it; vars(rc) shows the options.
        return f"<{type(self).__module__}.rc>"


_DEFAULTS = {
    "initialize": _from_env("initialize", True),
    "threads": _from_env("threads", False),
    "thread_level": _from_env("thread_level", "multiple"),
    "finalize": _from_env("finalize", None),
}

rc = Rc()
# ``import shmem4py.rc`` and ``from shmem4py import rc`` give the options
# object itself (as in shmem4py 1.0): its __dict__ holds the options only.
sys.modules[__name__] = rc
