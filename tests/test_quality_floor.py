"""Pinned quality floors of the whole pipeline on the English seed articles (000, 002, 003, 004),
scored with the referee's rules (pipeline/evaluate.py) against tests/gold/seeds.

Floors sit at or just below what the extractor achieves (statements 0.971, kind 1.0, figures
1.0, dates 0.968, actors 0.833, pairs 1.0 when pinned); the issue's targets are 0.85 / 0.9 /
0.9 / 0.85 / 0.85 / 0.9. The two misses in 003 are structural: the photo caption's non-required
quote is fully contained in the body sentence that holds two required statements, so the
referee matches that sentence to the caption's quote first.
"""
import json
from pathlib import Path

import pytest

from pipeline.evaluate import score

GOLD = Path(__file__).resolve().parent / "gold" / "seeds"

ENGLISH = ["000", "002", "003", "004"]

FLOORS = {
    "statements": 0.95,
    "figures": 0.95,
    "dates": 0.93,
    "actors": 0.80,
}


@pytest.fixture(scope="module")
def english(seed_run):
    return score(GOLD, seed_run, ENGLISH)


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_f1_floor(english, part):
    assert english[part]["f1"] >= FLOORS[part], (part, english[part], english["missed"])


def test_kind_and_pairs_floor(english):
    assert english["kind_acc"] >= 0.95
    assert english["pairs_acc"] >= 1.0


def test_precision_stays_high(english):
    # a record matching no gold statement at all is a false positive; the seeds have none
    assert english["statements"]["p"] >= 0.95


def test_records_are_consistent_with_their_documents(seed_run):
    docs = {}
    for line in (seed_run / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        docs[d["doc_id"]] = d
    recs = [json.loads(x) for x in (seed_run / "commitments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert recs
    assert len({r["id"] for r in recs}) == len(recs)
    for r in recs:
        d = docs[r["doc_id"]]
        assert d["text"][r["source_start"]:r["source_end"]] == r["source_text"]
        assert r["lang"] == d["lang"]
        assert r["kind"] in ("commitment", "progress")
        if d["lang"] == "en":
            assert r["text"] in r["source_text"]
