"""Determinism and resumability: the same corpus gives byte-identical outputs whatever the cache state or
the process (hash seed); an interrupted run (Ctrl-C, kill -9) leaves the previous outputs intact, and the
next run reuses the cache and ends with the outputs of an uninterrupted run."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.run import Settings, run

from conftest import ROOT
from test_reliability import DE_TEXT, EN_TEXT, VI_BODY, VI_TITLE

N_DOCS = 12
OUTPUTS = ("documents.jsonl", "commitments.jsonl", "clusters.jsonl")


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output that must be byte-identical run to run (run.json, with its timings, may differ)."""
    files = [out / f for f in OUTPUTS] + [p for p in (out / "meetings.jsonl", out / "tracking.jsonl") if p.exists()]
    files += sorted((out / "schema").glob("*.schema.json"))
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in files}


def cli_run(corpus: Path, out: Path, *args: str, hash_seed: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    # one worker: batches are cached one at a time, so "half-way" is a well-defined point to interrupt
    return subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(corpus), "--out", str(out), "-q",
                             "--workers", "1", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """12 short reports (English, German, Vietnamese) under distinct ids; the first 4 as a small corpus."""
    base = tmp_path_factory.mktemp("det")
    big, small = base / "big", base / "small"
    big.mkdir()
    small.mkdir()
    texts = [EN_TEXT, DE_TEXT, VI_TITLE + "\n\n" + VI_BODY + "\n"]
    for i in range(N_DOCS):
        for folder in (big, small) if i < 4 else (big,):
            (folder / f"doc_{i:02d}.txt").write_text(texts[i % 3], encoding="utf-8")
    return {"big": big, "small": small, "base": base}


def test_uncached_cached_and_other_process_runs_are_byte_identical(corpus, tmp_path):
    uncached = tmp_path / "uncached"
    finish(cli_run(corpus["small"], uncached, "--no-cache", hash_seed=1))   # its own process and hash seed
    reference = snapshot(uncached)
    assert reference["documents.jsonl"].count(b"\n") == 4 and reference["commitments.jsonl"]

    cache = tmp_path / "cache"
    cold = tmp_path / "cold"
    run(Settings(corpus=corpus["small"], out=cold, cache_dir=cache))
    assert snapshot(cold) == reference

    warm = tmp_path / "warm"
    info = run(Settings(corpus=corpus["small"], out=warm, cache_dir=cache))
    assert info.cache_hits == info.ok == 4                                 # served from the cache...
    assert snapshot(warm) == reference                                     # ...with the same bytes
    assert (warm / "run.json").read_bytes() != (cold / "run.json").read_bytes()  # run.json may differ

    for _ in range(2):                                                     # re-runs into one folder
        run(Settings(corpus=corpus["small"], out=warm, cache_dir=cache))
        assert snapshot(warm) == reference
    assert sorted(p.name for p in warm.iterdir()) == sorted(
        ["run.json", "schema", *OUTPUTS, *(n for n in ("meetings.jsonl", "tracking.jsonl")
                                                    if (warm / n).exists())])


@pytest.fixture(scope="module")
def reference(corpus) -> dict[str, bytes]:
    """An uninterrupted run of the big corpus (own cache: copies of one text share its embedding)."""
    out = corpus["base"] / "reference"
    run(Settings(corpus=corpus["big"], out=out, cache_dir=corpus["base"] / "reference-cache"))
    snap = snapshot(out)
    assert snap["documents.jsonl"].count(b"\n") == N_DOCS
    return snap


# --------------------------------------------------------------------------- interrupted runs
def cached_docs(cache_dir: Path) -> int:
    db = cache_dir / "cache.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM kv WHERE ns='doc'").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not created yet
        return 0


def interrupt_when_cached(proc: subprocess.Popen, cache: Path, above: int, sig: int) -> int:
    """Send ``sig`` as soon as the run has cached more than ``above`` documents; the count then."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be interrupted: {proc.stderr.read()}")
        if cached_docs(cache) > above:
            proc.send_signal(sig)
            proc.wait(timeout=60)
            return cached_docs(cache)
        time.sleep(0.005)
    proc.kill()
    pytest.fail("the run cached nothing in 300 s")


def test_interrupted_runs_keep_previous_outputs_and_the_next_run_resumes(corpus, reference, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    run(Settings(corpus=corpus["small"], out=out, cache_dir=cache))
    before = snapshot(out)
    assert cached_docs(cache) == 4

    # Ctrl-C half-way: one line, exit 130, previous outputs as they were, no work folder left.
    proc = cli_run(corpus["big"], out, "--cache", str(cache), "--batch-size", "2", hash_seed=3)
    interrupt_when_cached(proc, cache, 4, signal.SIGINT)
    assert proc.returncode == 130
    assert proc.stderr.read().strip() == "interrupted: previous outputs left intact"
    assert snapshot(out) == before
    assert not list(out.glob(".partial-*")) and not list(out.glob(".*.tmp"))

    # kill -9 half-way: nothing can clean up, yet the outputs are untouched.
    above = cached_docs(cache)
    proc = cli_run(corpus["big"], out, "--cache", str(cache), "--batch-size", "2", hash_seed=4)
    cached = interrupt_when_cached(proc, cache, above, signal.SIGKILL)
    assert above < cached < N_DOCS
    assert snapshot(out) == before
    assert len(list(out.glob(".partial-*"))) == 1         # the killed run's work folder...

    info = run(Settings(corpus=corpus["big"], out=out, cache_dir=cache))
    assert not list(out.glob(".partial-*"))               # ...is removed by the next run,
    assert info.cache_hits == cached                      # which processed only what was not cached
    assert cached_docs(cache) == N_DOCS
    assert snapshot(out) == reference                     # and ends as an uninterrupted run, byte for byte
