"""Process lifecycle (issue 19, item 1): workers die with the run and never hold its lock; SIGTERM ends
a run like Ctrl-C (one line, previous outputs intact, no process left behind).

The signal tests run the command as a user does (a subprocess) and poll for what they wait on
(workers started, processes gone) with generous bounds, so a loaded machine makes them slower,
not flaky.
"""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline.engine import LocalEngine
from pipeline.run import _out_lock

from conftest import ROOT
from test_reliability import DE_TEXT, EN_TEXT, VI_BODY, VI_TITLE

psutil = pytest.importorskip("psutil")

WAIT_S = 240  # bound of every wait below; reached only when something is broken


def _descendants(pid: int) -> list:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _running(procs) -> list[int]:
    """Pids of ``procs`` still running (zombies count as gone: they hold no memory nor files)."""
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return out


def _wait_gone(procs, bound: float = 60) -> list[int]:
    deadline = time.monotonic() + bound
    while _running(procs) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _running(procs)


@pytest.fixture
def reaper():
    """Processes a test started (directly or not): whatever still runs at the end is killed, so a
    failing test never leaves orphans to the rest of the suite."""
    procs: list = []
    yield procs
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                p.kill()
        except psutil.NoSuchProcess:
            pass


def _wait_for(predicate, proc: subprocess.Popen, what: str, reaper: list):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            reaper.extend(value)
            return value
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {what}: {proc.stderr.read()}")
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"no {what} within {WAIT_S} s")


def _lock_is_free(out: Path) -> bool:
    with open(out / ".lock", "a") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return True


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Nine short reports: with --batch-size 1 and two workers the pool starts at once."""
    folder = tmp_path_factory.mktemp("life") / "corpus"
    folder.mkdir()
    texts = [EN_TEXT, DE_TEXT, VI_TITLE + "\n\n" + VI_BODY + "\n"]
    for i in range(9):
        (folder / f"doc_{i}.txt").write_text(texts[i % 3], encoding="utf-8")
    return folder


def _start(reaper: list, corpus: Path, out: Path, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(corpus), "--out", str(out), "-q",
                             *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    reaper.append(psutil.Process(proc.pid))
    return proc


def _workers_started(proc: subprocess.Popen, n: int = 2):
    kids = _descendants(proc.pid)
    return kids if len(kids) >= n else None


# --------------------------------------------------------------------------- kill -9
def test_kill_9_of_a_run_leaves_no_worker_and_no_lock(corpus, tmp_path, reaper):
    out = tmp_path / "out"
    proc = _start(reaper, corpus, out, "--no-cache", "-j", "2", "--batch-size", "1")
    workers = _wait_for(lambda: _workers_started(proc), proc, "pool workers", reaper)
    proc.kill()
    proc.wait(timeout=60)
    assert _wait_gone(workers) == []          # the workers died with the run...
    assert _lock_is_free(out)                 # ...and the output folder is free again
    again = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(corpus), "--out", str(out), "-q",
                            "--no-cache", "-j", "1"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert (out / "documents.jsonl").read_text(encoding="utf-8").count("\n") == 9


# --------------------------------------------------------------------------- SIGTERM
def test_sigterm_ends_a_run_like_ctrl_c(corpus, tmp_path, reaper):
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_text("previous\n", encoding="utf-8")
    proc = _start(reaper, corpus, out, "--no-cache", "-j", "2", "--batch-size", "1")
    _wait_for(lambda: _workers_started(proc), proc, "pool workers", reaper)
    started = _descendants(proc.pid)
    reaper.extend(started)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=WAIT_S)
    assert proc.returncode == 143
    assert err.strip() == "terminated: previous outputs left intact"
    assert (out / "documents.jsonl").read_text(encoding="utf-8") == "previous\n"
    assert not list(out.glob(".partial-*")) and not list(out.glob(".*.tmp"))
    assert _wait_gone(started) == []
    assert _lock_is_free(out)


# --------------------------------------------------------------------------- engine level
# The meeting stage's pool starts its workers from a forkserver (clean_start), with a resource
# tracker beside it: neither may outlive the run, however it ends.
_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {tests!r})
    from pipeline import cli
    from pipeline.engine import LocalEngine
    from test_lifecycle import slow
    cli._handle_sigterm()
    try:
        for _ in LocalEngine(2, clean_start={clean}).map(slow, range(8)):
            pass
    except KeyboardInterrupt:
        cli._interrupted()
""")


def slow(item, settings):
    print("working", item, flush=True)
    time.sleep(600)
    return item


def _engine_run(clean: bool, reaper: list) -> subprocess.Popen:
    code = _SCRIPT.format(tests=str(ROOT / "tests"), clean=clean)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    reaper.append(psutil.Process(proc.pid))
    return proc


def _busy_workers(proc: subprocess.Popen, clean: bool):
    """Every descendant once two workers are busy (for a clean start: forkserver and tracker too)."""
    kids = _descendants(proc.pid)
    names = " ".join(" ".join(k.cmdline()) for k in kids if k.is_running())
    ready = len(kids) >= (4 if clean else 2) and (not clean or "forkserver" in names)
    return kids if ready else None


@pytest.mark.parametrize("clean", [False, True], ids=["fork", "forkserver"])
def test_workers_die_when_the_run_is_killed(clean, reaper):
    if clean and "forkserver" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs the forkserver start method")
    proc = _engine_run(clean, reaper)
    kids = _wait_for(lambda: _busy_workers(proc, clean), proc, "busy workers", reaper)
    proc.kill()
    proc.wait(timeout=60)
    assert _wait_gone(kids) == []


@pytest.mark.parametrize("clean", [False, True], ids=["fork", "forkserver"])
def test_sigterm_stops_the_pool_and_its_helpers(clean, reaper):
    if clean and "forkserver" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs the forkserver start method")
    proc = _engine_run(clean, reaper)
    kids = _wait_for(lambda: _busy_workers(proc, clean), proc, "busy workers", reaper)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=WAIT_S)
    assert (proc.returncode, err.strip()) == (143, "terminated: previous outputs left intact")
    assert _wait_gone(kids) == []


_OTHER_THREAD = textwrap.dedent("""
    import signal, sys, threading, time
    sys.path.insert(0, {tests!r})
    from pipeline import cli
    from pipeline.engine import LocalEngine
    from test_lifecycle import slow
    cli._handle_sigterm()

    def poke():  # SIGTERM to the pool's manager thread, once it runs
        while True:
            time.sleep(0.5)
            others = [t for t in threading.enumerate() if t not in (threading.main_thread(), threading.current_thread())]
            if others:
                signal.pthread_kill(others[0].ident, signal.SIGTERM)
                return

    threading.Thread(target=poke, daemon=True).start()
    try:
        for _ in LocalEngine(2).map(slow, range(8)):
            pass
    except KeyboardInterrupt:
        cli._interrupted()
""")


def test_sigterm_taken_by_another_thread_still_ends_the_run(reaper):
    # The kernel may hand a process' SIGTERM to any of its threads; when that is the pool's manager
    # thread, the main thread (waiting for a batch that takes 10 minutes here) must still act on it.
    proc = subprocess.Popen([sys.executable, "-c", _OTHER_THREAD.format(tests=str(ROOT / "tests"))], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    reaper.append(psutil.Process(proc.pid))
    _wait_for(lambda: _workers_started(proc), proc, "pool workers", reaper)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("a SIGTERM taken by a pool thread was not acted on within 60 s")
    assert (proc.returncode, err.strip()) == (143, "terminated: previous outputs left intact")


def lock_descriptors(item, settings):
    """The descriptors of this process open on an output lock file."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").endswith("/.lock"):
                found.append(int(fd))
        except OSError:
            pass
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs procfs")
def test_pool_workers_do_not_hold_the_output_lock(tmp_path):
    with _out_lock(tmp_path):
        assert lock_descriptors(None, None)   # the run itself holds it
        seen = list(LocalEngine(workers=2).map(lock_descriptors, range(6), None))
    assert seen == [[]] * 6
