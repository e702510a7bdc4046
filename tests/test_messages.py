"""Every diagnostic and exception message comes out formatted.

* Statically: every format string given to PyErr_Format (and the
  extension's fail()/raise() wrappers, PyUnicode_FromFormat) uses only the
  conversions CPython formats on every supported Python, with as many
  arguments as conversions; every format given to the runtime's fatal()
  and shmemrun's say() is a literal whose conversions match its arguments
  (the compiler checks their types: -Werror=format).
* At run time: C programs that trigger diagnostics carrying values (sizes,
  offsets, PEs, addresses), and every misuse case of test_misuse*.py, end
  with a message that names the PE (in jobs of several PEs), the routine
  and the argument, with no conversion left raw and no '?' for a value; a
  Python script triggers the extension's messages with values, at 1 to 4
  PEs, and the double free raises the public ShmemFreedError.
"""
import ast
import re
import sys
import textwrap
import time

import pytest

import msgcheck
import test_misuse
import test_misuse_collectives
from jobs import BUILD, PE_COUNTS, ROOT, run_job

TIMEOUT = 30

PY_SOURCES = sorted([*(ROOT / "src" / "python").rglob("*.cpp"),
                     *(ROOT / "src" / "python").rglob("*.hpp")])
C_SOURCES = sorted([*(ROOT / "src" / "runtime").rglob("*.cpp"),
                    *(ROOT / "src" / "runtime").rglob("*.hpp"),
                    *(ROOT / "src" / "launcher").glob("*.cpp")])


# ---------------------------------------------------------------------------
# Static checks

def test_python_extension_formats_are_supported_by_cpython():
    problems, checked = [], 0
    for path in PY_SOURCES:
        p, n = msgcheck.check_file(path, msgcheck.PY_FORMATTERS, msgcheck.PY_CONVERSION)
        problems += p
        checked += n
    assert checked > 50, f"only {checked} format calls found: is the parser broken?"
    assert not problems, "format strings CPython would leave raw:\n" + "\n".join(problems)


def test_runtime_and_launcher_formats_match_their_arguments():
    problems, checked = [], 0
    for path in C_SOURCES:
        p, n = msgcheck.check_file(path, msgcheck.C_FORMATTERS, msgcheck.C_CONVERSION)
        problems += p
        checked += n
    assert checked > 50, f"only {checked} fatal()/say() calls found: is the parser broken?"
    assert not problems, "\n".join(problems)


def python_raise_problems(path):
    """Messages of `raise` statements in a Python file that would come out
    unformatted: a plain string with {name} (an f prefix forgotten) or with
    a %-conversion that no % operator fills."""
    problems = []
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and node.exc is not None):
            continue
        formatted = {id(n.left) for n in ast.walk(node.exc)
                     if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mod)}
        for sub in ast.walk(node.exc):
            if not (isinstance(sub, ast.Constant) and isinstance(sub.value, str)):
                continue
            if re.search(r"\{[A-Za-z_][\w.]*(?:![rs])?(?::[^}]*)?\}", sub.value):
                problems.append(f"{path.name}:{sub.lineno}: {{...}} without f: {sub.value!r}")
            if id(sub) not in formatted and msgcheck.RAW_CONVERSION.search(sub.value):
                problems.append(f"{path.name}:{sub.lineno}: % not filled: {sub.value!r}")
    return problems


def test_python_package_messages_are_formatted(tmp_path):
    files = sorted((ROOT / "python" / "shmem4py").glob("*.py"))
    assert files
    problems = [p for f in files for p in python_raise_problems(f)]
    assert not problems, "\n".join(problems)
    # and the check finds both faults
    bad = tmp_path / "bad.py"
    bad.write_text('def f(x):\n    raise ValueError("f(): bad {x}")\n\n'
                   'def g(x):\n    raise ValueError("g(): bad %d")\n\n'
                   'def h(x):\n    raise ValueError("h(): ok %d" % x)\n')
    assert len(python_raise_problems(bad)) == 2, python_raise_problems(bad)


def test_the_checker_finds_what_it_must(tmp_path):
    """The static check itself fails on the faults it exists for."""
    src = tmp_path / "bad.cpp"
    src.write_text(textwrap.dedent('''\
        void f() {
          fail(PyExc_ValueError, "%s(): tst=%td", fn, tst);     // t: 3.12+
          fail(PyExc_ValueError, "%s(): %lx", fn, v);           // read as int before 3.12
          PyErr_Format(PyExc_ValueError, "%s(): %zd and %d", fn, n);  // too few arguments
          PyErr_Format(PyExc_ValueError, msg, fn);              // not a literal
          PyErr_Format(PyExc_ValueError, c ? "%s(): a" : "%s(): b %d", fn);
          PyErr_Format(PyExc_ValueError, "%s(): fine %zd %.100s %R", fn, n, s, o);
        }
        '''))
    problems, checked = msgcheck.check_file(src, msgcheck.PY_FORMATTERS,
                                            msgcheck.PY_CONVERSION)
    lines = sorted(int(p.split(":")[1]) for p in problems)
    assert lines == [2, 3, 4, 5, 6], problems
    assert checked == 5
    assert msgcheck.placeholder_problems("size 3 with strides tst=%td, sst=%td")
    assert msgcheck.placeholder_problems("PE 1 makes ? of 0 bytes (0)")
    assert not msgcheck.placeholder_problems(
        "shmem: PE 1: shmem_long_put: dest: 8 bytes run past the end (is nelems too large?)")


# ---------------------------------------------------------------------------
# C diagnostics

def diagnostic_line(stderr, routine):
    """The runtime's diagnostic of `routine` on stderr ("shmem: [PE k: ]
    routine: message"), or None."""
    for line in stderr.splitlines():
        if re.match(rf"shmem: (?:PE \d+: )?{re.escape(routine)}: ", line):
            return line
    return None


def check_c_message(stderr, routines, npes, expected=()):
    routines = routines if isinstance(routines, tuple) else (routines,)
    lines = [ln for r in routines if (ln := diagnostic_line(stderr, r))]
    assert lines, f"no diagnostic of {routines} on stderr:\n{stderr}"
    line = lines[0]
    assert not msgcheck.placeholder_problems(line), (
        f"unformatted: {msgcheck.placeholder_problems(line)} in\n{line}")
    if npes > 1:
        assert re.match(r"shmem: PE \d+: ", line), f"the PE is not named:\n{line}"
    expected = expected if isinstance(expected, tuple) else (expected,)
    for text in expected:
        assert text in line, f"{text!r} not in\n{line}"
    return line


# (mode, PEs, routine, texts the message must hold: the argument, values)
MESSAGE_CASES = [
    ("malloc_vs_barrier", 2, ("shmem_malloc", "shmem_barrier_all"), ()),
    ("malloc_vs_barrier", 3, ("shmem_malloc", "shmem_barrier_all"), ()),
    ("free_other_block", 2, "shmem_free",
     ("out of step", "a free of the block at heap offset")),
    ("free_other_block", 4, "shmem_free",
     ("out of step", "a free of the block at heap offset")),
    ("realloc_vs_malloc", 2, ("shmem_realloc", "shmem_malloc"),
     ("out of step", "a reallocation to 128 bytes", "an allocation of 100 bytes")),
    ("amo_misaligned", 2, "shmem_long_atomic_inc", ("dest:", "not aligned to 8 bytes")),
    ("amo_misaligned", 1, "shmem_long_atomic_inc", ("dest:", "not aligned to 8 bytes")),
    ("g_local", 2, "shmem_long_g", ("source:", "not symmetric", "target PE")),
    ("g_local", 3, "shmem_long_g", ("source:", "not symmetric", "target PE")),
    ("lock_misaligned", 2, "shmem_set_lock", ("lock", "not aligned to 8 bytes")),
    ("active_set_reach", 2, "shmem_long_sum_to_all",
     ("PE_start 0, logPE_stride 1, PE_size 2", "reaches PE 2")),
    ("nreduce_negative", 2, "shmem_long_sum_to_all", "nreduce -1 is negative"),
    ("thread_level", 2, "shmem_init_thread", "requested thread level 99"),
    ("wait_unwaitable", 2, "shmem_long_wait_until", "every other PE is in shmem_finalize"),
    ("wait_unwaitable", 4, "shmem_long_wait_until", "every other PE is in shmem_finalize"),
    ("barrier_vs_finalize", 2, ("shmem_barrier_all", "shmem_barrier_all/shmem_team_sync"),
     "PE 1 has called shmem_finalize"),
]


@pytest.mark.parametrize("mode,npes,routine,expected", [
    pytest.param(*c, id=f"{c[0]}-{c[1]}pe") for c in MESSAGE_CASES])
def test_c_diagnostic_is_formatted(mode, npes, routine, expected, no_leaked_segments):
    exe = BUILD / "tests" / "c" / "misuse_messages"
    assert exe.exists(), f"{exe} was not built (tests/c/misuse/messages.c)"
    t0 = time.monotonic()
    r = run_job([exe, mode], npes, timeout=TIMEOUT)
    assert "unknown mode" not in r.stderr, r.stderr
    assert "misuse not detected" not in r.stderr, r.stderr
    assert r.returncode != 0, f"{mode} exited 0:\n{r.stderr}"
    assert time.monotonic() - t0 < 20, f"{mode} took {time.monotonic() - t0:.1f} s"
    check_c_message(r.stderr, routine, npes, expected)


def test_heap_out_of_step_names_both_calls(no_leaked_segments):
    """The message of issue 14 ("PE 1 makes ? of 0 bytes (0)"): an
    allocation on PE 0 against a barrier on PE 1 says what each PE does."""
    exe = BUILD / "tests" / "c" / "misuse_messages"
    r = run_job([exe, "malloc_vs_barrier"], 2, timeout=TIMEOUT)
    assert r.returncode != 0, r.stderr
    # The check of collective identity may see the mismatch first, on either
    # PE: then its message names both calls.  Otherwise the heap's own
    # agreement does, saying what each PE does.
    if "collective mismatch" in r.stderr:
        check_c_message(r.stderr, ("shmem_malloc", "shmem_barrier_all"), 2,
                        ("PE 0 is in shmem_malloc", "PE 1 is in shmem_barrier_all"))
        return
    check_c_message(r.stderr, "shmem_malloc", 2,
                    ("PE 0:", "an allocation of 4096 bytes", "PE 1 is in no heap call"))


def test_bad_symmetric_size_is_formatted(no_leaked_segments):
    exe = BUILD / "tests" / "c" / "misuse_messages"
    r = run_job([exe, "none"], 2, timeout=TIMEOUT, env={"SHMEM_SYMMETRIC_SIZE": "12Q"})
    assert r.returncode != 0, r.stderr
    check_c_message(r.stderr, "shmem_init", 2, "SHMEM_SYMMETRIC_SIZE='12Q' is not a size")


def _misuse_params():
    for module, prefix in ((test_misuse, "misuse_"), (test_misuse_collectives, "misuse_coll_")):
        for case in module.CASES:
            if module is test_misuse:
                prog, arg, counts, routine, message = case
                npes = max(counts)
                exe = f"misuse_{prog}"
            else:
                prog, arg, npes, routine, message = case
                exe = f"misuse_coll_{prog}"
            yield pytest.param(exe, arg, npes, routine, id=f"{exe}-{arg or ''}-{npes}pe")


@pytest.mark.parametrize("exe,arg,npes,routine", list(_misuse_params()))
def test_misuse_message_is_formatted(exe, arg, npes, routine, no_leaked_segments):
    """Every diagnostic that test_misuse*.py triggers, once, at its largest
    PE count: formatted, and naming the PE where the job has several."""
    path = BUILD / "tests" / "c" / exe
    assert path.exists(), f"{path} was not built"
    r = run_job([path] + ([arg] if arg else []), npes, timeout=TIMEOUT)
    assert r.returncode != 0, r.stderr
    check_c_message(r.stderr, routine, npes)


# ---------------------------------------------------------------------------
# Python exceptions

PY_SCRIPT = r'''
import numpy as np
from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
nxt = (me + 1) % npes
t = shmem.zeros(4, dtype="l")
d = shmem.zeros(4, dtype="d")
src = np.arange(4, dtype="l")
ivars = shmem.zeros(4, dtype="l")
sig = shmem.new_signal()
big = shmem.zeros(8, dtype="l")

CASES = [
    # (routine, exception, texts the message must hold, call)
    ("iput", ValueError, ["size 3 with strides tst=2, sst=1", "'target' (4 elements)"],
     lambda: shmem.iput(t, src, nxt, tst=2, size=3)),
    ("iget", ValueError, ["size 3 with strides tst=1, sst=2", "'source' (4 elements)"],
     lambda: shmem.iget(src, t, nxt, tst=1, sst=2, size=3)),
    ("alltoalls", ValueError, ["per PE with strides tst=3, sst=2", "'target'"],
     lambda: shmem.alltoalls(big, big, tst=3, sst=2, size=4)),
    ("put", ValueError, [f"PE {npes} is out of range (0 <= pe < {npes})"],
     lambda: shmem.put(t, src, npes)),
    ("put", ValueError, [f"PE {2**70} is out of range"], lambda: shmem.put(t, src, 2**70)),
    ("put", ValueError, ["size 9 is larger than argument", "(4 elements)"],
     lambda: shmem.put(t, src, nxt, size=9)),
    ("put", ValueError, ["argument 'size' must not be negative (-2)"],
     lambda: shmem.put(t, src, nxt, size=-2)),
    ("iput", ValueError, ["argument 'tst' must be at least 1, not 0"],
     lambda: shmem.iput(t, src, nxt, tst=0)),
    ("put", TypeError, ["takes at most 5 arguments (6 given)"],
     lambda: shmem.put(t, src, nxt, 1, None, 7)),
    ("put", TypeError, ["unexpected keyword argument 'bogus'"],
     lambda: shmem.put(t, src, nxt, bogus=1)),
    ("put", TypeError, ["missing required argument 'source' (pos 2)"], lambda: shmem.put(t)),
    ("put", TypeError, ["'target' (dtype int64)", "'source' (dtype float64)"],
     lambda: shmem.put(t, np.zeros(4), nxt)),
    ("atomic_add", OverflowError, [f"argument 'value' ({2**80}) is out of range for dtype"],
     lambda: shmem.atomic_add(t[:1], 2**80, nxt)),
    ("wait_until", ValueError, ["argument 'cmp' (99) is not a CMP value"],
     lambda: shmem.wait_until(t[:1], 99, 0)),
    ("wait_until_all", ValueError, ["argument 'status' has 1 entries for 4 elements"],
     lambda: shmem.wait_until_all(ivars, shmem.CMP.EQ, 0, status=[0])),
    ("put_signal", ValueError, ["argument 'sigop' (9) is not SIGNAL.SET or SIGNAL.ADD"],
     lambda: shmem.put_signal(t, src, nxt, sig, 1, 9)),
    ("put_signal", ValueError, ["argument 'sigop' ('sub') is not 'set' or 'add'"],
     lambda: shmem.put_signal(t, src, nxt, sig, 1, "sub")),
    ("alloc", shmem.ShmemError, ["no room for", "bytes"], lambda: shmem.alloc(2**50)),
]

for routine, exc, texts, call in CASES:
    try:
        call()
    except exc as e:
        print(f"MSG {routine}|{type(e).__name__}|{'|'.join(texts)}|{e}", flush=True)
    else:
        print(f"MSG {routine}|{exc.__name__}|NOT RAISED", flush=True)

r = repr(shmem._shmem.owner(t))
print(f"MSG repr|str|symmetric block of 32 bytes|{r}", flush=True)

# Freeing twice: the public ShmemFreedError, caught as any of its bases.
a = shmem.zeros(3, dtype="i")
shmem.free(a)
for base in (shmem.ShmemFreedError, shmem.ShmemError, ValueError, KeyError):
    try:
        shmem.free(a)
    except base as e:
        assert type(e) is shmem.ShmemFreedError, type(e)
        print(f"MSG free|{base.__name__}|freed already|{e}", flush=True)
shmem.barrier_all()
print("DONE", flush=True)
'''


@pytest.mark.parametrize("npes", PE_COUNTS)
def test_python_exceptions_are_formatted(npes, tmp_path, no_leaked_segments):
    script = tmp_path / "messages.py"
    script.write_text(PY_SCRIPT)
    r = run_job([sys.executable, script], npes, timeout=120)
    report = f"stdout:\n{r.stdout[-6000:]}\nstderr:\n{r.stderr[-4000:]}"
    assert r.returncode == 0, report
    assert r.stdout.count("DONE") == npes, report
    msgs = [ln[4:] for ln in r.stdout.splitlines() if ln.startswith("MSG ")]
    assert len(msgs) == npes * 23, report
    for m in msgs:
        routine, exc, *texts, text = m.split("|")
        assert texts != ["NOT RAISED"], f"{routine}: {exc} was not raised"
        assert not msgcheck.placeholder_problems(text), (
            f"unformatted: {msgcheck.placeholder_problems(text)} in {text!r}")
        if routine != "repr":
            assert text.startswith(f"{routine}()"), f"routine not named first: {text!r}"
        for t in texts:
            assert t in text, f"{t!r} not in {text!r}"


def test_shmem_freed_error_is_public():
    """ShmemFreedError is exported, documented and typed, and is both a
    ShmemError and what shmem4py 1.0 raised (KeyError), and a ValueError."""
    text = (ROOT / "python" / "shmem4py" / "shmem.py").read_text()
    stub = (ROOT / "python" / "shmem4py" / "shmem.pyi").read_text()
    assert re.search(r"^class ShmemFreedError\(ShmemValueError, KeyError\):\n\s+\"\"\"",
                     text, re.M)
    assert '"ShmemFreedError"' in text and "class ShmemFreedError(ShmemValueError, KeyError)" in stub
    assert "_FreedAlready(" not in text
