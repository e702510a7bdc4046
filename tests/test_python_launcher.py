"""The package from the outside: python -m shmem4py, a script without a
launcher, a PE that raises, global_exit, rc, the lifecycle (before init,
after finalize), checks under python -O, the installed shmemcc."""
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

from jobs import JOB_TIMEOUT, run_job

PY = sys.executable


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHMEMRUN_")}
    env.update(extra)
    return env


def run(argv, timeout=JOB_TIMEOUT, **extra_env):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              env=clean_env(**extra_env))
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{argv} hung\nstdout: {e.stdout}\nstderr: {e.stderr}")


def script(tmp_path, body, name="script.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def report(r):
    return f"exit {r.returncode}\nstdout:\n{r.stdout[-4000:]}\nstderr:\n{r.stderr[-4000:]}"


def test_version():
    import shmem4py
    r = run([PY, "-m", "shmem4py", "--version"])
    assert r.returncode == 0, report(r)
    assert r.stdout.strip() == f"shmem4py {shmem4py.__version__}"


def test_usage_errors():
    r = run([PY, "-m", "shmem4py"])
    assert r.returncode == 2 and "usage" in r.stdout
    r = run([PY, "-m", "shmem4py", "-n", "zero", "x.py"])
    assert r.returncode == 2 and "positive" in r.stderr


def test_module_runs_a_job(tmp_path, no_leaked_segments):
    s = script(tmp_path, """
        import sys
        from shmem4py import shmem
        print("PE", shmem.my_pe(), "of", shmem.n_pes(), "args", sys.argv[1:], flush=True)
    """)
    r = run([PY, "-m", "shmem4py", "-n", "2", str(s), "a", "b c"])
    assert r.returncode == 0, report(r)
    lines = sorted(r.stdout.splitlines())
    assert lines == ["PE 0 of 2 args ['a', 'b c']", "PE 1 of 2 args ['a', 'b c']"], report(r)
    r = run([PY, "-m", "shmem4py", "-n3", "--prefix", "-c",
             "from shmem4py import shmem; print(shmem.n_pes())"])
    assert r.returncode == 0, report(r)
    assert sorted(r.stdout.splitlines()) == [f"[PE {i}] 3" for i in range(3)], report(r)


def test_script_without_launcher_is_one_pe(tmp_path, no_leaked_segments):
    s = script(tmp_path, """
        from shmem4py import shmem
        import numpy as np
        a = shmem.zeros(4, dtype="i")
        shmem.put(a, np.arange(4, dtype="i"), 0)
        shmem.barrier_all()
        print(shmem.my_pe(), shmem.n_pes(), a.tolist())
    """)
    r = run([PY, str(s)])
    assert r.returncode == 0, report(r)
    assert r.stdout.strip() == "0 1 [0, 1, 2, 3]"


def test_uncaught_exception_ends_the_job(tmp_path, no_leaked_segments):
    s = script(tmp_path, """
        from shmem4py import shmem
        shmem.barrier_all()
        if shmem.my_pe() == 1:
            raise ValueError("boom from PE 1")
        shmem.barrier_all()  # the other PEs would wait here forever
        print("not reached")
    """)
    r = run_job([PY, str(s)], 3, timeout=60)
    assert r.returncode != 0, report(r)
    assert r.stderr.count("Traceback (most recent call last)") == 1, report(r)
    assert "ValueError: boom from PE 1" in r.stderr, report(r)
    assert "not reached" not in r.stdout


def test_global_exit_ends_the_job(tmp_path, no_leaked_segments):
    s = script(tmp_path, """
        import time
        from shmem4py import shmem
        if shmem.my_pe() == shmem.n_pes() - 1:
            print("leaving", flush=True)
            shmem.global_exit(3)
        time.sleep(60)
    """)
    r = run_job([PY, str(s)], 2, timeout=60)
    assert r.returncode == 3, report(r)
    assert "leaving" in r.stdout


def test_a_second_life(tmp_path, no_leaked_segments):
    """OpenSHMEM 1.6: init() after the last finalize() starts OpenSHMEM
    again.  What the first life made is gone, with errors that say so (its
    memory stays readable in this process: no crash), and the second life
    allocates, communicates and finalizes as the first."""
    s = script(tmp_path, """
        import numpy as np
        from shmem4py import shmem
        me, npes = shmem.my_pe(), shmem.n_pes()
        a = shmem.full(4, me, dtype="i")
        team = shmem.TEAM_WORLD.split_strided(0, 1, npes)
        ctx = shmem.Ctx.create()
        shmem.finalize()
        assert not shmem.query_initialized()
        shmem.init()
        assert shmem.query_initialized() and shmem.my_pe() == me and shmem.n_pes() == npes
        assert a.tolist() == [me] * 4  # still readable
        for call, what in ((lambda: shmem.put(a, np.zeros(4, "i"), 0), "was freed"),
                           (lambda: shmem.free(a), "freed already"),
                           (lambda: team.sync(), "invalid"),
                           (lambda: shmem.quiet(ctx=ctx), "not a valid context")):
            try:
                call()
            except ValueError as e:
                assert what in str(e), e
            else:
                raise AssertionError("no error for the first life's objects")
        b = shmem.zeros(1, dtype="l")
        shmem.atomic_add(b, me + 1, 0)
        shmem.barrier_all()
        assert me != 0 or b[0] == npes * (npes + 1) // 2, b
        total = shmem.zeros(1, dtype="l")
        shmem.sum_reduce(total, shmem.full(1, 1, dtype="l"))
        assert total[0] == npes, total
        t2 = shmem.TEAM_WORLD.split_strided(0, 1, npes)
        t2.sync()
        t2.destroy()
        shmem.free(total)
        shmem.free(b)
        shmem.finalize()
        print("ok")
    """)
    for npes in (1, 2, 3, 4):
        r = run_job([sys.executable, s], npes)
        assert r.returncode == 0 and r.stdout.split() == ["ok"] * npes, (npes, r.stdout, r.stderr)


def test_before_init_and_after_finalize(tmp_path, no_leaked_segments):
    s = script(tmp_path, """
        import numpy as np
        from shmem4py import rc
        rc.initialize = False
        from shmem4py import shmem
        for call in (lambda: shmem.my_pe(), lambda: shmem.barrier_all(),
                     lambda: shmem.zeros(2), lambda: shmem.put(np.zeros(1), np.zeros(1), 0),
                     lambda: shmem.sync(), lambda: shmem.TEAM_WORLD.split_strided(),
                     lambda: shmem.Ctx.create(), lambda: shmem.Lock(),
                     lambda: shmem.wait_until(np.zeros(1, "i"), "==", 0),
                     lambda: shmem.finalize()):
            try:
                call()
            except shmem.ShmemError as e:
                assert "not initialized" in str(e), e
            else:
                raise AssertionError("no error before init")
        shmem.init()
        a = shmem.zeros(1)
        shmem.p(a, 1.0, (shmem.my_pe() + 1) % shmem.n_pes())
        shmem.barrier_all()
        assert a[0] == 1.0
        shmem.finalize()
        shmem.finalize()  # again: nothing
        for call in (lambda: shmem.put(a, np.zeros(1), 0), lambda: shmem.g(a, 0),
                     lambda: shmem.barrier_all(), lambda: shmem.alloc(8),
                     lambda: shmem.sum_reduce(a, a), lambda: shmem.TEAM_WORLD.sync(),
                     lambda: shmem.free(a), lambda: shmem.quiet()):
            try:
                call()
            except shmem.ShmemError as e:
                assert "finalize" in str(e), e
            else:
                raise AssertionError("no error after finalize")
        print("ok", shmem.THREAD(0).name)
    """)
    r = run_job([PY, str(s)], 2)
    assert r.returncode == 0, report(r)
    assert r.stdout.split() == ["ok", "SINGLE"] * 2, report(r)


def test_rc_environment(tmp_path, no_leaked_segments):
    s = script(tmp_path, """
        from shmem4py import rc, shmem
        print(rc.threads, rc.thread_level, shmem.query_thread().name)
    """)
    r = run([PY, str(s)], SHMEM4PY_RC_THREADS="yes", SHMEM4PY_RC_THREAD_LEVEL="serialized")
    assert r.returncode == 0, report(r)
    assert r.stdout.split() == ["True", "serialized", "SERIALIZED"]
    s2 = script(tmp_path, """
        from shmem4py import rc, shmem
        try:
            shmem.my_pe()
        except shmem.ShmemError:
            print("not initialized", rc.initialize, rc.finalize)
    """, "s2.py")
    r = run([PY, str(s2)], SHMEM4PY_RC_INITIALIZE="0", SHMEM4PY_RC_FINALIZE="none")
    assert r.returncode == 0, report(r)
    assert r.stdout.strip() == "not initialized False None"
    r = run([PY, "-c", "import shmem4py.rc"], SHMEM4PY_RC_THREADS="maybe")
    assert r.returncode != 0 and "SHMEM4PY_RC_THREADS" in r.stderr


def test_checks_stay_on_under_python_O(tmp_path, no_leaked_segments):
    s = script(tmp_path, """
        import numpy as np
        from shmem4py import shmem
        a = shmem.zeros(2, dtype="i")
        for call, exc in ((lambda: shmem.put(a, np.zeros(2, "i"), 5), ValueError),
                          (lambda: shmem.put(a, np.zeros(3, "i"), 0, size=3), ValueError),
                          (lambda: shmem.put(a, np.zeros(2, "f"), 0), TypeError),
                          (lambda: shmem.atomic_add(a.astype("f"), 1, 0), TypeError),
                          (lambda: shmem.iput(a, a, 0, tst=-1), ValueError)):
            try:
                call()
            except exc:
                pass
            else:
                raise SystemExit("no error under -O")
        print("checked")
    """)
    r = run([PY, "-O", str(s)])
    assert r.returncode == 0 and r.stdout.strip() == "checked", report(r)


def test_installed_shmemcc_builds_a_c_program(tmp_path, no_leaked_segments):
    shmemcc = pathlib.Path(PY).parent / "shmemcc"
    if not shmemcc.exists():
        pytest.skip("shmemcc is not installed next to this Python")
    src = script(tmp_path, """
        #include <shmem.h>
        #include <stdio.h>
        int main(void) {
          shmem_init();
          printf("C PE %d of %d\\n", shmem_my_pe(), shmem_n_pes());
          shmem_finalize();
          return 0;
        }
    """, "hello.c")
    exe = tmp_path / "hello"
    r = run([str(shmemcc), str(src), "-o", str(exe)])
    assert r.returncode == 0, report(r)
    r = run_job([exe], 2)
    assert r.returncode == 0, report(r)
    assert sorted(r.stdout.splitlines()) == ["C PE 0 of 2", "C PE 1 of 2"]


def test_a_wait_is_interruptible(tmp_path, no_leaked_segments):
    import signal
    import time
    s = script(tmp_path, """
        from shmem4py import shmem
        flag = shmem.zeros(1, dtype="i")
        print("waiting", flush=True)
        shmem.wait_until(flag, "==", 1)  # nobody ever sets it
    """)
    proc = subprocess.Popen([PY, str(s)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=clean_env())
    assert proc.stdout.readline().strip() == "waiting"
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("wait_until did not return to Python on SIGINT")
    assert proc.returncode != 0 and "KeyboardInterrupt" in err, err
