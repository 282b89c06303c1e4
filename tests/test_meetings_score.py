"""Meeting-view scoring (pipeline/meetings/score.py) on a small hand-made gold and run; every expected
number worked out by hand, and the shared referee (meetings_score.py) gives the same."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.meetings.score import has_gold, score_meetings

ROOT = Path(__file__).resolve().parents[1]
REFEREE = Path("/work/shared/eval/meetings_score.py")

QUOTES = {
    "a1": ("a.txt", "the share of online tax filings will reach 30 percent"),
    "b1": ("b.txt", "the share of online tax filings will reach 25 percent"),
    "c1": ("c.txt", "online tax filings to reach 30 percent"),
    "a2": ("a.txt", "connect the land database"),
    "b2": ("b.txt", "the land database will be connected"),
    "c2": ("c.txt", "train officials in digital skills"),
    "p1": ("p.txt", "the share of online tax filings should reach 20 percent"),
}


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture()
def case(tmp_path):
    gold, out = tmp_path / "gold", tmp_path / "out"
    gold.mkdir()
    out.mkdir()
    _write(gold / "documents.jsonl", [{"doc": d, "lang": "en", "published": None, "meeting": m, "same_article_as": None}
                                      for d, m in (("a.txt", "m1"), ("b.txt", "m1"), ("c.txt", "m1"), ("p.txt", "m0"))])
    _write(gold / "statements.jsonl", [{"doc": d, "quote": q, "kind": "commitment", "required": True, "figures": [],
                                        "figures_optional": [], "dates": [], "actors": [], "pairs": []}
                                       for d, q in QUOTES.values()])
    _write(gold / "samefact.jsonl", [
        {"meeting": "m1", "members": [list(QUOTES[k]) for k in ("a1", "b1", "c1")], "relation": "conflict"},
        {"meeting": "m1", "members": [list(QUOTES[k]) for k in ("a2", "b2")], "relation": "agree"}])
    _write(gold / "tracklinks.jsonl", [{"later": list(QUOTES["a1"]), "earlier": list(QUOTES["p1"]),
                                        "relation": "revised"}])
    # predicted statements: one per gold quote, the quote as its text
    _write(out / "commitments.jsonl", [{"id": "s-" + k, "doc_id": d[0], "kind": "commitment", "text": q,
                                        "source_text": q, "figures": [], "date": None, "actors": []}
                                       for k, (d, q) in QUOTES.items()])

    def row(rid, keys, conflict=False):
        return {"id": rid, "outlets": [QUOTES[k][0] for k in keys], "sources": [{"statement_id": "s-" + k} for k in keys],
                "conflicts": [{"field": "figure"}] if conflict else []}

    # R1 a1+b1 with a conflict (c1 left alone in R2); R3 joins a2, b2 and wrongly c2; R4 the earlier meeting
    _write(out / "meetings.jsonl", [row("R1", ["a1", "b1"], True), row("R2", ["c1"]), row("R3", ["a2", "b2", "c2"]),
                                    row("R4", ["p1"])])
    _write(out / "tracking.jsonl", [{"from_id": "R1", "to_id": "R4"}, {"from_id": "R3", "to_id": "R4"}])
    return gold, out


def test_meeting_scores_by_hand(case):
    gold, out = case
    assert has_gold(gold) and not has_gold(out)
    r = score_meetings(gold, out)
    # pairs of different documents of m1: (a1,b1) tp, (a1,c1) fn, (b1,c1) fn, (a2,b2) tp, (a2,c2) fp, (b2,c2) fp
    assert r["merge"] == {"p": 0.5, "r": 0.5, "f1": 0.5, "tp": 2, "fp": 2, "fn": 2}
    # R1 is the only conflict row (2 documents), its group is a real conflict; the one gold conflict is shown
    assert r["conflicts"] == {"judged": 1, "precision": 1.0, "gold": 1, "recall": 1.0}
    # R1 -> R4 holds the gold link a1 -> p1; R3 -> R4 holds none: P 1/2; the one mapped gold link is found
    assert r["tracking"] == {"links": 2, "judged": 2, "precision": 0.5, "gold": 1, "gold_mapped": 1, "recall": 1.0}
    assert (r["rows"], r["rows_multi_outlet"], r["rows_with_conflicts"]) == (4, 2, 1)


@pytest.mark.skipif(not REFEREE.exists(), reason="shared meeting-view scorer not available")
def test_agrees_with_the_shared_scorer_and_the_cli(case):
    gold, out = case
    ref = subprocess.run([sys.executable, str(REFEREE), str(gold), str(out), "--json"],
                         capture_output=True, text=True, check=True)
    assert score_meetings(gold, out) == json.loads(ref.stdout)
    plain = subprocess.run([sys.executable, str(REFEREE), str(gold), str(out)], capture_output=True, text=True, check=True)
    # `commitments eval` prints the referee's line after the statement scores
    _write(out / "documents.jsonl", [])
    res = subprocess.run([str(ROOT / ".venv" / "bin" / "commitments"), "eval", "--gold", str(gold), "--out", str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "meeting view: " + plain.stdout.strip() in res.stdout
    js = subprocess.run([str(ROOT / ".venv" / "bin" / "commitments"), "eval", "--gold", str(gold), "--out", str(out),
                         "--json"], capture_output=True, text=True)
    assert json.loads(js.stdout)["meeting_view"] == json.loads(ref.stdout)
