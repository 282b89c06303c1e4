"""Translation engines end to end with a real (tiny, random-weight) MarianMT model built at test time.

The model is built once per session (tests/tiny_marian.py), installed into temporary models/
folders and loaded through the same selection code a real OPUS-MT model goes through. Its English is
gibberish, so the tests assert structure: alignment, engine/model recorded, determinism, batching,
caching, long-input splitting, fallbacks, CTranslate2 conversion and preference.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from pipeline.records import Document, Span
from pipeline.translate import STATS, engine_notes, engine_signature, translate_document, translation_key
from pipeline.translate import fidelity, select
from pipeline.translate.nmt import ModelError, split_long
from tiny_marian import SOURCE, build_tiny_marian  # tests/ is on sys.path (pytest rootdir conftest)

ct2 = pytest.importorskip("ctranslate2")


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """Paths of the session's tiny models: marian (pad last, as OPUS-MT), marian with <pad> not last, ct2 int8."""
    import torch

    import pipeline.translate.ct2 as ct2_module
    from pipeline.translate.ct2 import convert_marian

    # One thread each: a 16-dim model gains nothing from more, and on a shared, loaded 2-core machine
    # multi-threaded torch spin-waits (measured: 8 sentences 3.3 s with 2 threads, 0.5 s with 1).
    torch.set_num_threads(1)
    ct2_module.NMT_CT2_THREADS = 1

    root = tmp_path_factory.mktemp("tiny-models")
    marian = build_tiny_marian(root / "opus-mt-vi-en")
    odd = build_tiny_marian(root / "odd-pad-vi-en", pad_last=False, seed=1)
    ct2_dir = convert_marian(marian, root / "opus-mt-vi-en-ct2")
    return {"marian": marian, "odd": odd, "ct2": ct2_dir, "root": root}


@pytest.fixture
def models_with(tmp_path, tiny):
    """models/ folders holding copies of the named tiny models."""
    def make(*names: str) -> Path:
        d = tmp_path / "models"
        d.mkdir(exist_ok=True)
        for n in names:
            shutil.copytree(tiny[n], d / tiny[n].name)
        return d
    return make


class _Settings:
    """What translate_document reads from the runner's Settings (models_dir, cache)."""

    def __init__(self, models_dir: Path, cache_dir: Path | None = None):
        from pipeline.run import Settings

        self._s = Settings(corpus=Path("."), out=Path("."), cache_dir=cache_dir, models_dir=models_dir)
        self.models_dir = models_dir

    def cache(self, ns):
        return self._s.cache(ns)


def _doc(text: str, lang: str = "vi", captions=()) -> tuple[Document, list[tuple[int, int]]]:
    from pipeline.segment import split_sentences

    doc = Document(doc_id="t", path="t.txt", status="ok", lang=lang, text=text,
                   captions=[Span(source_start=a, source_end=b) for a, b in captions])
    return doc, split_sentences(text, lang)


def _lexicon_available() -> bool:
    return select._lexicon("vi")[0] is not None


# ------------------------------------------------------------------ marian
def test_marian_folder_is_chosen_and_sentences_stay_aligned(models_with):
    models = models_with("marian")
    choice = select.choose("vi", models)
    assert choice.name == "marian" and choice.model.startswith("opus-mt-vi-en@")
    text = f"{SOURCE[0]} {SOURCE[1]}\n\n{SOURCE[2]}"
    doc, spans = _doc(text, captions=[(text.index(SOURCE[2]), len(text))])
    sents = translate_document(doc, spans, _Settings(models))
    assert len(sents) == len(spans) == 3
    assert [(s.source_start, s.source_end, s.source) for s in sents] == [(a, b, text[a:b]) for a, b in spans]
    assert [s.source for s in sents] == SOURCE[:3]
    assert {s.engine for s in sents} == {"marian"} and {s.model for s in sents} == {choice.model}
    assert [s.caption for s in sents] == [False, False, True]
    assert [s.english for s in sents] == choice.engine.translate(SOURCE[:3])
    # fidelity warnings are those of the check, e.g. the random model loses "679"
    for s in sents:
        assert s.warnings == fidelity.check(s.source, s.english, "vi")
    assert "figure 679 missing from translation" in sents[1].warnings


def test_marian_is_deterministic_and_batch_equals_singles(tiny):
    from pipeline.translate.marian import MarianEngine

    a = MarianEngine(tiny["marian"], "vi")
    b = MarianEngine(tiny["marian"], "vi", batch_size=3)
    batch = a.translate(SOURCE)
    assert len(batch) == len(SOURCE) and all(isinstance(x, str) and x for x in batch)
    assert a.translate(SOURCE) == batch                       # same engine, twice
    assert b.translate(SOURCE) == batch                       # fresh load, batches of 3
    assert [a.translate([s])[0] for s in SOURCE] == batch     # N singles == batch of N
    assert a.translate(["", SOURCE[0]]) == ["", batch[0]]     # empty input passes through, order kept


def test_long_input_is_split_and_rejoined(tiny):
    from pipeline.translate.marian import MarianEngine

    eng = MarianEngine(tiny["marian"], "vi")
    assert eng.max_tokens == 31                                # tokenizer model_max_length 32, minus </s>
    long = ", ".join(s.rstrip(".") for s in SOURCE[:4]) + "."
    assert eng._count(long) > eng.max_tokens
    pieces = eng.pieces(long)
    assert len(pieces) > 1 and " ".join(pieces) == long
    assert all(eng._count(p) <= eng.max_tokens for p in pieces)
    assert eng.translate([long]) == [" ".join(eng.translate([p])[0] for p in pieces)]


def test_split_long_by_words_then_characters():
    count = len                                                # 1 "token" per character
    assert split_long("aaa bbb, ccc", count, 20) == ["aaa bbb, ccc"]
    assert split_long("aaa bbb, ccc ddd", count, 8) == ["aaa bbb,", "ccc ddd"]
    assert split_long("aaaa bbbb cccc", count, 9) == ["aaaa bbbb", "cccc"]
    assert split_long("abcdefgh", count, 3) == ["ab", "cd", "ef", "gh"]


# ------------------------------------------------------------------ cache
def test_second_run_is_served_from_the_cache(models_with, tmp_path):
    models = models_with("marian")
    settings = _Settings(models, cache_dir=tmp_path / "cache")
    doc, spans = _doc(" ".join(SOURCE[:4]))
    before = dict(STATS)
    first = translate_document(doc, spans, settings)
    assert STATS["translated"] - before.get("translated", 0) == 4
    mid = dict(STATS)
    second = translate_document(doc, spans, settings)
    assert second == first
    assert STATS["translated"] == mid["translated"] and STATS["engine_calls"] == mid["engine_calls"]
    assert STATS["cached"] - mid.get("cached", 0) == 4
    # the cache holds the English under (engine, model, language, source)
    choice = select.choose("vi", models)
    key = translation_key("marian", choice.model, "vi", SOURCE[0])
    assert settings.cache("translation").get_many([key]) == {key: first[0].english}
    # one new sentence: only it goes to the engine
    doc2, spans2 = _doc(" ".join(SOURCE[:5]))
    translate_document(doc2, spans2, settings)
    assert STATS["translated"] - mid["translated"] == 1


# ------------------------------------------------------------------ fallbacks
def test_missing_models_folder_falls_back_without_error(tmp_path):
    models = tmp_path / "no-models-here"
    choice = select.choose("vi", models)
    assert choice.name == ("lexicon" if _lexicon_available() else "identity")
    doc, spans = _doc(SOURCE[1])
    sents = translate_document(doc, spans, _Settings(models))
    assert len(sents) == 1 and sents[0].engine == choice.name
    notes = engine_notes(_Settings(models))
    vi = [n for n in notes if n.startswith("vi: ")]
    assert len(vi) == 1 and f"{models}/opus-mt-vi-en" in vi[0] and "commitments models import" in vi[0]


def test_broken_model_folders_are_skipped_with_a_note(tmp_path, tiny):
    models = tmp_path / "models"
    (models / "opus-mt-vi-en").mkdir(parents=True)
    (models / "opus-mt-vi-en" / "config.json").write_text("{}")            # no tokenizer, no weights
    bad = models / "opus-mt-vi-en-ct2"
    shutil.copytree(tiny["ct2"], bad)
    (bad / "model.bin").write_bytes(b"not a model")                        # corrupt weights
    choice = select.choose("vi", models)
    assert choice.name == ("lexicon" if _lexicon_available() else "identity")
    assert any("not a MarianMT model folder (missing source.spm, target.spm, vocab.json" in n for n in choice.notes)
    assert any(n.startswith(f"vi: skipped {bad}: cannot load it") for n in choice.notes)
    doc, spans = _doc(SOURCE[0])
    assert translate_document(doc, spans, _Settings(models))[0].engine == choice.name
    # de is not affected by vi folders
    assert select.choose("de", models).notes == []


def test_engine_failing_at_run_time_is_replaced(models_with, monkeypatch):
    models = models_with("marian")
    choice = select.choose("vi", models)

    def boom(_sentences):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(choice.engine, "translate", boom)
    doc, spans = _doc(SOURCE[0])
    try:
        sents = translate_document(doc, spans, _Settings(models))
        assert sents[0].engine == ("lexicon" if _lexicon_available() else "identity")
        assert any("failed while translating (RuntimeError: out of memory)" in n
                   for n in select.choose("vi", models).notes)
    finally:
        select.reset()


# ------------------------------------------------------------------ CTranslate2
def test_ct2_is_preferred_over_marian(models_with):
    models = models_with("marian", "ct2")
    choice = select.choose("vi", models)
    assert choice.name == "ctranslate2" and choice.model.startswith("opus-mt-vi-en-ct2@")
    doc, spans = _doc(" ".join(SOURCE))
    sents = translate_document(doc, spans, _Settings(models))
    assert {s.engine for s in sents} == {"ctranslate2"} and len(sents) == len(SOURCE)
    out = choice.engine.translate(SOURCE)
    assert [s.english for s in sents] == out
    assert [choice.engine.translate([s])[0] for s in SOURCE] == out
    assert engine_signature(_Settings(models)).startswith("de=")
    assert f"vi=ctranslate2:{choice.model}" in engine_signature(_Settings(models))
    assert any(n.startswith("vi: CTranslate2 neural translator (opus-mt-vi-en-ct2@") for n in engine_notes(_Settings(models)))


def test_ct2_conversion_reorders_pad_and_matches_marian(tiny, tmp_path):
    """A model whose <pad> is not last converts correctly: float32 CTranslate2 == MarianMT, token for token."""
    from pipeline.translate.ct2 import CT2Engine, convert_marian
    from pipeline.translate.marian import MarianEngine

    vocab = json.loads((tiny["odd"] / "vocab.json").read_text())
    assert vocab["<pad>"] == 2 != len(vocab) - 1
    out = convert_marian(tiny["odd"], tmp_path / "odd-ct2", quantization="float32")
    shared = json.loads((out / "shared_vocabulary.json").read_text())
    assert "<pad>" not in shared and len(shared) == len(vocab) - 1
    assert CT2Engine(out, "vi", compute_type="float32").translate(SOURCE) == MarianEngine(tiny["odd"], "vi").translate(SOURCE)
    with pytest.raises(ModelError, match="already exists"):
        convert_marian(tiny["odd"], out)


# ------------------------------------------------------------------ CLI: commitments models …
def test_models_cli_import_list_convert(tiny, tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    models = tmp_path / "models"
    run = CliRunner().invoke
    r = run(app, ["models", "import", str(tiny["marian"]), "--lang", "vi", "--name", "my-vi", "--models", str(models)])
    assert r.exit_code == 0, r.output
    assert json.loads((models / "my-vi" / "model-info.json").read_text())["lang"] == "vi"
    assert select.choose("vi", models).name == "marian"                   # found by model-info.json, not name
    r = run(app, ["models", "import", str(tiny["marian"]), "--name", "my-vi", "--models", str(models)])
    assert r.exit_code != 0 and "already exists" in str(r.exception)
    r = run(app, ["models", "convert", "my-vi", "--models", str(models)])
    assert r.exit_code == 0, r.output
    assert (models / "my-vi-ct2" / "model.bin").is_file()
    r = run(app, ["models", "list", "--models", str(models)])
    assert r.exit_code == 0
    assert "my-vi-ct2" in r.output and "in use" in r.output
    assert "vi: CTranslate2 neural translator" in r.output


def test_models_import_rejects_incomplete_folders(tmp_path, tiny):
    from pipeline.translate.install import import_model

    partial = tmp_path / "partial"
    shutil.copytree(tiny["marian"], partial)
    (partial / "target.spm").unlink()
    with pytest.raises(ModelError, match=r"not a MarianMT model folder \(missing target.spm\)"):
        import_model(partial, tmp_path / "models", lang="vi")
    with pytest.raises(ModelError, match="--lang must be one of de, vi"):
        import_model(tiny["marian"], tmp_path / "models", lang="fr")
    assert not (tmp_path / "models" / "opus-mt-vi-en").exists()


def test_models_import_ct2_folder_gets_ct2_name(tmp_path, tiny):
    from pipeline.translate.install import import_model

    m = import_model(tiny["ct2"], tmp_path / "models")                    # language from the folder name
    assert (m.kind, m.lang, m.path.name) == ("ctranslate2", "vi", "opus-mt-vi-en-ct2")
    assert select.choose("vi", tmp_path / "models").name == "ctranslate2"


def test_fetch_models_without_network_is_one_line_and_non_zero(tmp_path):
    import os
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "fetch_models.py"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    r = subprocess.run([sys.executable, str(script), "--models-dir", str(tmp_path / "m")], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 3
    assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert "commitments models import DIR" in r.stderr
    assert not (tmp_path / "m").exists()


# ------------------------------------------------------------------ runner integration
def test_runner_stores_translation_with_engine_and_warnings(models_with):
    from pipeline.run import Settings, process_document

    models = models_with("marian")
    text = " ".join(SOURCE[:3]) + " " + "Thủ tướng chủ trì cuộc họp thứ tư của Ban Chỉ đạo. " * 5
    doc = Document(doc_id="x", path="x.txt", status="ok", lang="vi", text=text.strip())
    res = process_document(doc, Settings(corpus=Path("."), out=Path("."), cache_dir=None, models_dir=models))
    tr = res.document.translation
    assert tr is not None and tr.engine == "marian" and tr.model.startswith("opus-mt-vi-en@")
    assert tr.warnings == [w for s in tr.sentences for w in s.warnings]


def test_throughput_marian_vs_ct2(tiny, record_property):
    """Informational: sentences/s of the tiny model in both engines on the same batch (recorded as the
    test's properties, in `pytest --junitxml` reports; nothing is printed into the test output)."""
    from pipeline.translate.ct2 import CT2Engine
    from pipeline.translate.marian import MarianEngine

    batch = [f"{s} ({i})" for i in range(4) for s in SOURCE]   # 32 distinct sentences
    rates = {}
    for name, eng in (("marian", MarianEngine(tiny["marian"], "vi")), ("ctranslate2", CT2Engine(tiny["ct2"], "vi"))):
        eng.translate(batch[:2])
        t0 = time.perf_counter()
        eng.translate(batch)
        rates[name] = len(batch) / (time.perf_counter() - t0)
    for name, rate in rates.items():
        record_property(f"{name}_sentences_per_second", round(rate))
    assert all(r > 0 for r in rates.values())
