"""The synthetic-model NMT benchmark compares like with like (scripts/synthetic_marian.py, bench.py nmt).

A small random-weight MarianMT model (same builder as the OPUS-MT-sized one the benchmark uses,
smaller dimensions) is converted with the project's own conversion code; under the forced-length
settings the benchmark times, both backends must decode exactly L tokens for every sentence, with no
early end of sentence, so their sentences/s measure the same amount of decoding work.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

pytest.importorskip("ctranslate2")
pytest.importorskip("transformers")

from synthetic_marian import build, forced_length_generate, forced_length_translate  # noqa: E402

SENTENCES = [
    "Premierminister Pham Minh Chinh leitete am Morgen die Sitzung des Lenkungsausschusses.",
    "Die Regierung hat 679 Aufgaben an 56 Behörden übertragen.",
    "Bis zum 31. Dezember 2025 müssen alle überfälligen Aufgaben abgeschlossen sein.",
    "Das Ministerium für Öffentliche Sicherheit hat 1.027 Verwaltungsverfahren gestrichen.",
    "Ja.",
]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    import torch

    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("synthetic")
    return build(out, "de", d_model=32, layers=2, heads=2, ffn=64, vocab_size=3000, spm_vocab=1500, max_length=128)


def test_small_model_has_opus_mt_layout_and_converts(small):
    from pipeline.translate import select

    marian, ct2 = small["marian"], small["ctranslate2"]
    assert {f.name for f in marian.iterdir()} >= {"config.json", "model.safetensors", "generation_config.json",
                                                  "source.spm", "target.spm", "vocab.json", "tokenizer_config.json"}
    assert small["info"]["vocab_size"] == 3000 and small["info"]["weights"].startswith("random")
    found = {m.path.name: m for m in select.scan(marian.parent)}
    assert found["opus-mt-de-en"].kind == "marian" and found["opus-mt-de-en-ct2"].kind == "ctranslate2"
    assert not found["opus-mt-de-en"].problem and not found["opus-mt-de-en-ct2"].problem
    assert ct2 == marian.parent / "opus-mt-de-en-ct2"


@pytest.mark.parametrize("length", [1, 7, 30])
def test_both_backends_decode_exactly_the_forced_length(small, length):
    from pipeline.translate.ct2 import CT2Engine
    from pipeline.translate.marian import MarianEngine

    marian = MarianEngine(small["marian"], "de")
    ct2 = CT2Engine(small["ctranslate2"], "de", threads=1)
    ids = forced_length_generate(marian, SENTENCES, length)
    pieces = forced_length_translate(ct2, SENTENCES, length)
    eos = marian.tokenizer.eos_token_id
    assert [len(x) for x in ids] == [length] * len(SENTENCES)
    assert [len(x) for x in pieces] == [length] * len(SENTENCES)
    assert all(eos not in x for x in ids)                  # no early </s>: every step is a real step
    assert all("</s>" not in x for x in pieces)

