"""Local engine: a process pool gives the serial results, in order; failures surface, never hang."""
from __future__ import annotations

import importlib.util
import os
import signal
import sys
from pathlib import Path

import pytest

from pipeline.engine import EngineError, LocalEngine, get_engine
from pipeline.run import Settings, run

ROOT = Path(__file__).resolve().parents[1]
OUTPUT_FILES = ("documents.jsonl", "commitments.jsonl", "clusters.jsonl", "meetings.jsonl", "tracking.jsonl")


def _load_gen():
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "scripts" / "gen_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gen_corpus"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "corpus"
    _load_gen().generate(8, out, seed=21)  # en/de/vi, txt/jsonl/html; small: every run embeds and parses
    return out


@pytest.fixture
def no_hang():
    """A hung pool must fail the test, not the suite (engine tests only: their work is trivial)."""
    def boom(*_):
        raise TimeoutError("engine hung")
    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


# Module-level functions: the pool pickles them by reference.
def square_with_pid(x, settings):
    return x * x, os.getpid()


def fail_on_three(x, settings):
    if x == 3:
        raise ValueError("bad item 3")
    return x


def die_on_two(x, settings):
    if x == 2:
        os._exit(7)  # a worker killed mid-batch (OOM killer, segfault)
    return x


def test_pool_keeps_input_order_and_uses_several_processes(no_hang):
    engine = LocalEngine(workers=2)
    out = list(engine.map(square_with_pid, range(40), None))
    assert [v for v, _ in out] == [x * x for x in range(40)]
    assert engine.pool_started
    assert os.getpid() not in {pid for _, pid in out}


def test_single_batch_runs_in_process_without_a_pool(no_hang):
    engine = LocalEngine(workers=2)
    out = list(engine.map(square_with_pid, [5], None))
    assert out == [(25, os.getpid())]
    assert not engine.pool_started


def test_pool_pulls_input_lazily(no_hang):
    """Bounded in flight: the pool must not drain the corpus before results are consumed."""
    pulled = []

    def items():
        for i in range(1000):
            pulled.append(i)
            yield i

    engine = LocalEngine(workers=2, in_flight_per_worker=2)
    it = engine.map(square_with_pid, items(), None)
    assert next(it)[0] == 0
    assert len(pulled) <= 2 * 2 + 1
    it.close()


def test_exception_in_worker_is_a_clear_error(no_hang):
    with pytest.raises(EngineError, match=r"batch 3 failed in a worker: ValueError: bad item 3"):
        list(LocalEngine(workers=2).map(fail_on_three, range(8), None))


def test_dead_worker_is_an_error_not_a_hang(no_hang):
    with pytest.raises(EngineError, match="worker process died"):
        list(LocalEngine(workers=2).map(die_on_two, range(8), None))


def test_engine_choice():
    s = Settings(corpus=ROOT, out=ROOT, engine="local", workers=0)
    assert get_engine(s).workers >= 1
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine(Settings(corpus=ROOT, out=ROOT, engine="spark"))


def _outputs(folder: Path) -> dict[str, bytes]:
    return {f: (folder / f).read_bytes() for f in OUTPUT_FILES}


def test_pipeline_pool_output_is_byte_identical_to_serial_and_warm_rerun(small_corpus, tmp_path, monkeypatch):
    serial, pooled, warm, cache = tmp_path / "serial", tmp_path / "pooled", tmp_path / "warm", tmp_path / "cache"
    t1: dict = {}
    t2: dict = {}
    t3: dict = {}
    info1 = run(Settings(corpus=small_corpus, out=serial, cache_dir=cache, workers=1, batch_size=3, timings=t1))
    info2 = run(Settings(corpus=small_corpus, out=pooled, cache_dir=None, workers=2, batch_size=3, timings=t2))
    assert info1.documents == info2.documents == 8
    assert info1.ok == 8 and set(info1.languages) == {"en", "de", "vi"}
    assert info1.statements > 0
    assert _outputs(serial) == _outputs(pooled)
    # the stage work really happened (in the workers for the pooled run) and is accounted for
    for t in (t1, t2):
        assert t["stages"]["language"] > 0 and t["stages"]["extract"] > 0
    # nothing changed: every document comes from the per-document cache, nothing is recomputed,
    # not even the clustering (read back from the cache by the summaries it was computed from)
    from pipeline import dedup

    def no_clustering(summaries):
        raise AssertionError("clustering recomputed on a warm re-run")

    monkeypatch.setattr(dedup, "cluster", no_clustering)
    info3 = run(Settings(corpus=small_corpus, out=warm, cache_dir=cache, workers=2, batch_size=3, timings=t3))
    assert info3.cache_hits == 8
    assert "extract" not in t3["stages"] and "language" not in t3["stages"]
    assert _outputs(serial) == _outputs(warm)


_PARENT_STATE: list[int] = []


def _sees_parent_state(item, settings):
    return bool(_PARENT_STATE)


@pytest.mark.skipif("forkserver" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="needs the forkserver start method")
def test_clean_start_workers_do_not_inherit_the_parents_heap():
    # the meeting stage's pool starts after clustering: its workers must not be forks of that heap
    _PARENT_STATE.append(1)
    try:
        from pipeline.engine import _start_method

        forked = _start_method() == "fork"  # not when torch is loaded in this process (see _start_method)
        assert list(LocalEngine(workers=2).map(_sees_parent_state, range(4))) == [forked] * 4
        assert list(LocalEngine(workers=2, clean_start=True).map(_sees_parent_state, range(4))) == [False] * 4
    finally:
        _PARENT_STATE.clear()
