"""Library information, setup and query routines, the enums, rc."""
import enum

import numpy as np
import pytest
from spmd_util import ME, NPES

import shmem4py
from shmem4py import shmem


def test_information():
    assert isinstance(shmem4py.__version__, str)
    assert shmem.MAJOR_VERSION == 1 and shmem.MINOR_VERSION == 6
    assert shmem.info_get_version() == (1, 6)
    assert isinstance(shmem.VENDOR_STRING, str) and shmem.VENDOR_STRING
    assert shmem.info_get_name() == shmem.VENDOR_STRING
    assert len(shmem.info_get_name()) < shmem.MAX_NAME_LEN


def test_query():
    assert type(shmem.my_pe()) is int and 0 <= shmem.my_pe() < shmem.n_pes()
    assert shmem.n_pes() == NPES
    for pe in range(NPES):
        assert shmem.pe_accessible(pe) is True
        assert shmem.pe_accessible(np.int16(pe))
    assert shmem.pe_accessible(NPES) is False and shmem.pe_accessible(-1) is False
    with pytest.raises(TypeError, match="pe"):
        shmem.pe_accessible("0")
    with pytest.raises(TypeError):
        shmem.my_pe(1)
    shmem.pcontrol()
    shmem.pcontrol(0)
    shmem.pcontrol(level=2)


def test_init_again_and_threads():
    shmem.init()  # initializing again is harmless
    assert shmem.query_thread() in tuple(shmem.THREAD)
    assert isinstance(shmem.query_thread(), shmem.THREAD)
    assert [int(t) for t in shmem.THREAD] == [0, 1, 2, 3]
    assert shmem.THREAD_MULTIPLE == shmem.THREAD.MULTIPLE == 3
    with pytest.raises(ValueError):
        shmem.init_thread(7)
    with pytest.raises(ValueError):
        shmem.init_thread("many")


def test_enums():
    assert issubclass(shmem.CMP, enum.IntEnum) and shmem.CMP_GE == 5
    assert [m.name for m in shmem.CMP] == ["EQ", "NE", "GT", "LE", "LT", "GE"]
    assert shmem.AMO_ADD == "add" and shmem.AMO.XOR.value == "xor" and str(shmem.AMO_SET) == "set"
    assert [m.value for m in shmem.OP] == ["and", "or", "xor", "max", "min", "sum", "prod"]
    assert shmem.OP_SUM == "sum"
    assert shmem.SIGNAL_SET == 0 and shmem.SIGNAL_ADD == 1
    assert shmem.MALLOC_ATOMICS_REMOTE | shmem.MALLOC_SIGNAL_REMOTE == 3
    assert isinstance(shmem.CTX_PRIVATE | shmem.CTX_SERIALIZED, shmem.CTX)
    assert shmem.CTX_NOSTORE == 4


def test_rc():
    from shmem4py import rc
    import shmem4py.rc as rc_module
    assert rc is rc_module is shmem4py.rc
    assert rc.initialize is True and rc.threads in (True, False)
    assert rc.thread_level in ("single", "funneled", "serialized", "multiple")
    assert rc.finalize in (None, True, False)
    with pytest.raises(TypeError):
        rc.bogus = 1
    with pytest.raises(TypeError):
        rc(bogus=1)
    with pytest.raises(TypeError):
        rc.threads = "yes"
    with pytest.raises(ValueError):
        rc.thread_level = "lots"
    saved = rc.thread_level
    rc(thread_level="FUNNELED")
    assert rc.thread_level == "funneled"
    rc.thread_level = saved
    # As in shmem4py 1.0: the repr, and vars(rc) holds the options only, so
    # that rc(**vars(rc)) sets them again.
    assert repr(rc) == "<shmem4py.rc>"
    assert set(vars(rc)) == {"initialize", "threads", "thread_level", "finalize"}
    rc(**vars(rc))
    rc()
    rc.threads = rc.threads
    rc.finalize = rc.finalize


def test_docstrings_everywhere():
    for name in shmem.__all__:
        obj = getattr(shmem, name)
        if isinstance(obj, (int, str, enum.Enum, shmem.Team, shmem.Ctx)):
            continue
        assert obj.__doc__, f"shmem.{name} has no docstring"
    for cls in (shmem.Team, shmem.Ctx, shmem.Lock):
        for attr, value in vars(cls).items():
            if callable(value) and not attr.startswith("_"):
                assert value.__doc__, f"{cls.__name__}.{attr} has no docstring"
    assert shmem.__doc__ and shmem4py.__doc__ and shmem4py.rc.__doc__


def test_type_stubs_are_installed():
    import pathlib
    pkg = pathlib.Path(shmem4py.__file__).parent
    assert (pkg / "py.typed").exists() and (pkg / "shmem.pyi").exists()
    stub = (pkg / "shmem.pyi").read_text()
    for name in shmem.__all__:
        assert name in stub, f"shmem.pyi lacks {name}"
    assert ME == shmem.my_pe()
