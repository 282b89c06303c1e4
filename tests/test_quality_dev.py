"""Generalisation gate: articles written for this test from other outlets and another meeting/directive.

The seeds are the development set; these three hand-annotated articles (Vietnamese from a
government portal, German from a mirror, English from an international outlet; a fifth meeting and
a directive the seeds never mention) check that the rules carry over. Gold: tests/gold/dev/.
Floors sit a little under what the pipeline measured when they were pinned.
"""
import pytest

from conftest import ROOT, run_and_score

DEV = ROOT / "tests" / "fixtures" / "dev"
GOLD = ROOT / "tests" / "gold" / "dev"


@pytest.fixture(scope="module")
def dev_scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("dev-out")
    return run_and_score(DEV, GOLD, out)


def test_statements_figures_dates_actors_hold_on_unseen_articles(dev_scores):
    r = dev_scores
    assert r["statements"]["f1"] >= 0.85, r["missed"]
    assert r["kind_acc"] >= 0.9
    assert r["figures"]["f1"] >= 0.85
    assert r["dates"]["f1"] >= 0.85
    assert r["actors"]["f1"] >= 0.85


def test_documents_and_meetings_on_unseen_articles(dev_scores):
    r = dev_scores
    assert r["doc_lang_acc"] == 1.0
    assert r["doc_published_acc"] == 1.0
    # the directive reported in German and English shares a cluster; the fifth meeting stands alone
    assert r["clusters"]["f1"] == 1.0
    assert r["duplicates"]["fp"] == 0
