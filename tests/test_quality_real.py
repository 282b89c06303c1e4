"""Realistic corpora: articles written by hand the way real outlets publish them (bylines, sidebars with their own
timestamps, captions, cut-off endings, rewrites of one press release, mirrors and translations, several committees,
two years of meetings), in Vietnamese, English and German, annotated by hand (tests/gold/real/).

- dev (dev_a: the Government Steering Committee's meetings across 2025-26; dev_b: other committees, conclusion
  notices, decisions, directives, campaigns) is what rules may be written against;
- heldout was written separately and no rule was written for it: its score is the honest one.

Each set is run once per session (module fixtures) and scored with pipeline.evaluate (which agrees with the shared
referee, tests/test_evaluate.py). Floors sit a little under what was measured when they were pinned; the README's
quality table has the measured numbers.
"""
import shutil

import pytest

from conftest import ROOT

REAL = ROOT / "tests" / "fixtures" / "real"
REAL_GOLD = ROOT / "tests" / "gold" / "real"
GOLD_FILES = ("documents.jsonl", "statements.jsonl", "samefact.jsonl", "tracklinks.jsonl")


def combined(parts: list[str], tmp) -> tuple:
    """One corpus folder and one gold folder holding the given parts (their files never share a name)."""
    corpus, gold = tmp / "corpus", tmp / "gold"
    corpus.mkdir()
    gold.mkdir()
    for part in parts:
        for f in sorted((REAL / part).iterdir()):
            shutil.copy(f, corpus / f.name)
    for name in GOLD_FILES:
        (gold / name).write_text("".join((REAL_GOLD / p / name).read_text(encoding="utf-8")
                                         for p in parts if (REAL_GOLD / p / name).exists()), encoding="utf-8")
    return corpus, gold


def run_real(parts: list[str], tmp):
    from pipeline.run import Settings, run

    corpus, gold = combined(parts, tmp)
    out = tmp / "out"
    run(Settings(corpus=corpus, out=out, cache_dir=None))
    return out, gold


@pytest.fixture(scope="module")
def real_dev(tmp_path_factory):
    """(outputs folder, gold folder) of one run over dev_a + dev_b."""
    return run_real(["dev_a", "dev_b"], tmp_path_factory.mktemp("real-dev"))


@pytest.fixture(scope="module")
def real_heldout(tmp_path_factory):
    return run_real(["heldout"], tmp_path_factory.mktemp("real-heldout"))


@pytest.fixture(scope="module")
def real_dev_scores(real_dev):
    from pipeline.evaluate import score

    out, gold = real_dev
    return score(gold, out)


@pytest.fixture(scope="module")
def real_heldout_scores(real_heldout):
    from pipeline.evaluate import score

    out, gold = real_heldout
    return score(gold, out)


def test_statements_on_realistic_dev(real_dev_scores):
    r = real_dev_scores
    assert r["statements"]["f1"] >= 0.84, r["missed"]
    assert r["figures"]["f1"] >= 0.82
    assert r["dates"]["f1"] >= 0.78
    assert r["actors"]["f1"] >= 0.79


def test_documents_and_meetings_on_realistic_dev(real_dev_scores):
    r = real_dev_scores
    assert r["doc_lang_acc"] == 1.0
    # issue 14, measured: published 1.0, clusters F1 0.994, duplicates F1 0.947 (precision 1.0; the one copy
    # missed is a German mirror whose offline lexicon English is mostly untranslated words)
    assert r["doc_published_acc"] >= 0.98
    assert r["clusters"]["f1"] >= 0.97
    assert r["clusters"]["p"] >= 0.97
    assert r["duplicates"]["f1"] >= 0.94
    assert r["duplicates"]["p"] >= 0.99


def test_statements_on_heldout(real_heldout_scores):
    r = real_heldout_scores
    assert r["statements"]["f1"] >= 0.88, r["missed"]
    assert r["figures"]["f1"] >= 0.84
    assert r["dates"]["f1"] >= 0.76
    assert r["actors"]["f1"] >= 0.83


def test_documents_and_meetings_on_heldout(real_heldout_scores):
    r = real_heldout_scores
    assert r["doc_lang_acc"] == 1.0
    assert r["doc_published_acc"] >= 0.95
    assert r["clusters"]["f1"] >= 0.93
    assert r["duplicates"]["f1"] >= 0.75


def test_meeting_view_on_realistic_dev(real_dev):
    """Same-fact rows, conflicts and tracking links (pipeline/meetings/score.py, the shared referee's
    rules) on dev. Measured when pinned (issue 17, round 2): merge P 0.912 R 0.814 (tp 351 fp 34 fn 80),
    conflicts P 1.0 (20 judged) R 0.8 (25 gold), tracking P 0.725 (40 judged) R 0.673 (55 gold mapped).
    Most remaining merge false positives pair one extracted sentence that the gold splits into two
    statements (two facts in one sentence) or a statement the gold groups with no other; scripts/
    meeting_errors.py lists them. Floors a little under the measurement."""
    from pipeline.meetings.score import score_meetings

    out, gold = real_dev
    r = score_meetings(gold, out)
    assert r["merge"]["p"] >= 0.89 and r["merge"]["r"] >= 0.79
    # a conflict is a claim that outlets disagree: precision first (the lone dissenter, deadlines told in
    # other words and across languages are found by mutual closest match)
    assert r["conflicts"]["precision"] >= 0.9 and r["conflicts"]["recall"] >= 0.76
    assert r["tracking"]["precision"] >= 0.68 and r["tracking"]["recall"] >= 0.62
