"""Dask engine: per-document stages on a two-worker LocalCluster, outputs byte-identical to local."""
from __future__ import annotations

import importlib.util
import logging
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from pipeline.engine import DaskEngine, EngineError  # noqa: E402
from pipeline.run import Settings, run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
OUTPUT_FILES = ("documents.jsonl", "commitments.jsonl", "clusters.jsonl", "meetings.jsonl", "tracking.jsonl")


def _outputs(folder: Path) -> dict[str, bytes]:
    return {f: (folder / f).read_bytes() for f in OUTPUT_FILES}


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, silence_logs=logging.ERROR,
                     dashboard_address=None)
    yield c
    c.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "scripts" / "gen_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gen_corpus"] = mod
    spec.loader.exec_module(mod)
    out = tmp_path_factory.mktemp("gen") / "corpus"
    mod.generate(8, out, seed=21)  # en/de/vi, txt/jsonl/html; small: every run embeds and parses
    return out


def test_dask_local_cluster_matches_local_engine_on_the_seeds(seed_run, tmp_path):
    dask = tmp_path / "dask"
    timings: dict = {}
    # no scheduler: the engine starts (and closes) its own two-worker LocalCluster
    info = run(Settings(corpus=SEEDS, out=dask, cache_dir=None, engine="dask", workers=2, batch_size=2,
                        timings=timings))
    assert info.documents == 5 and info.ok == 5
    assert _outputs(seed_run) == _outputs(dask)  # seed_run: the serial local run (conftest)
    assert timings["stages"]["extract"] > 0  # computed on the workers, reported back


def test_dask_scheduler_address_matches_local_engine_on_a_generated_corpus(cluster, generated, tmp_path):
    from distributed import Client

    local, dask, warm, cache = tmp_path / "local", tmp_path / "dask", tmp_path / "warm", tmp_path / "cache"
    run(Settings(corpus=generated, out=local, cache_dir=cache, workers=1, batch_size=3))
    info = run(Settings(corpus=generated, out=dask, cache_dir=None, engine="dask", scheduler=cluster.scheduler_address,
                        batch_size=3))
    assert info.documents == 8 and info.ok == 8
    assert set(info.languages) == {"en", "de", "vi"}
    assert _outputs(local) == _outputs(dask)
    # the batches ran in the cluster's worker processes (they imported the runner), not here
    with Client(cluster.scheduler_address) as client:
        loaded = client.run(lambda: "pipeline.run" in sys.modules)
    assert len(loaded) == 2 and any(loaded.values())
    # warm re-run: nothing listens at this address, so it can only succeed without connecting
    info = run(Settings(corpus=generated, out=warm, cache_dir=cache, engine="dask", scheduler="tcp://127.0.0.1:9",
                        batch_size=3))
    assert info.cache_hits == 8
    assert _outputs(local) == _outputs(warm)


def test_unreachable_scheduler_is_a_clear_error():
    engine = DaskEngine("tcp://127.0.0.1:9", workers=1, timeout=3)
    t = time.monotonic()
    with pytest.raises(EngineError, match="cannot reach the Dask scheduler"):
        list(engine.map(pow, [(1, 2)], None))
    assert time.monotonic() - t < 30
