"""Scoring the meeting view against hand-made links: the rules of the shared scorer
(``/work/shared/eval/meetings_score.py``), so ``commitments eval`` and the referee always agree.

Gold (beside statements.jsonl and documents.jsonl): ``samefact.jsonl`` — groups of gold statements of
different documents of one meeting reporting one fact, ``relation`` agree | conflict — and
``tracklinks.jsonl`` — a later statement -> the earlier commitment it follows up. Each gold statement
is mapped to the predicted statement of its document whose evidence covers >= 60% of the quote's
tokens, then to the meeting row whose sources hold that statement.

* merge: over pairs of gold statements from different documents of one gold meeting, both mapped to
  rows: same predicted row vs same gold fact -> pairwise precision / recall;
* conflicts: predicted rows holding gold statements of two or more documents and carrying a conflict;
  precision = the share whose gold group is a real conflict; recall = gold conflict groups shown as one;
* tracking: predicted links whose two rows both hold gold statements; precision = the share a gold
  link joins (later in the from-row, earlier in the to-row); recall = gold links (both ends mapped)
  that some predicted link joins.
"""
from __future__ import annotations

import itertools
from pathlib import Path

from pipeline.evaluate import MATCH_COVERAGE, coverage, load_jsonl, prf, stem


def best_match(by_doc: dict[str, list[dict]], doc: str, quote: str) -> dict | None:
    """The predicted statement of `doc` whose source and English text best cover the gold quote, when it
    covers at least MATCH_COVERAGE of it (the referee's matching rule); else None."""
    best, bp = 0.0, None
    for p in by_doc.get(doc, []):
        c = coverage(quote, " ".join(filter(None, [p.get("source_text"), p.get("text")])))
        if c > best:
            best, bp = c, p
    return bp if bp is not None and best >= MATCH_COVERAGE else None


def has_gold(gold_dir: str | Path) -> bool:
    g = Path(gold_dir)
    return (g / "samefact.jsonl").exists() or (g / "tracklinks.jsonl").exists()


def _key(doc, quote) -> tuple[str, str]:
    return stem(doc), quote


def score_meetings(gold_dir: str | Path, out_dir: str | Path) -> dict:
    """Merge, conflict and tracking precision / recall of ``out_dir`` against ``gold_dir``."""
    g, o = Path(gold_dir), Path(out_dir)
    gold = load_jsonl(g / "statements.jsonl")
    gdocs = {stem(d["doc"]): d["meeting"] for d in load_jsonl(g / "documents.jsonl")}
    groups = load_jsonl(g / "samefact.jsonl")
    links = load_jsonl(g / "tracklinks.jsonl")
    preds = load_jsonl(o / "commitments.jsonl")
    rows = load_jsonl(o / "meetings.jsonl")
    track = load_jsonl(o / "tracking.jsonl")

    by_doc: dict[str, list[dict]] = {}
    for p in preds:
        by_doc.setdefault(stem(p.get("doc_id")), []).append(p)
    row_of_stmt = {}
    for r in rows:
        for s in r.get("sources", []):
            row_of_stmt[s.get("statement_id")] = r["id"]
    conflict_rows = {r["id"] for r in rows if r.get("conflicts")}

    def row_of(k):
        bp = best_match(by_doc, *k)
        return row_of_stmt.get(bp["id"]) if bp is not None else None

    stmts = [_key(s["doc"], s["quote"]) for s in gold]
    rmap = {k: row_of(k) for k in stmts}
    fact = {}
    for i, grp in enumerate(groups):
        for d, q in grp["members"]:
            fact[_key(d, q)] = i

    tp = fp = fn = 0
    for a, b in itertools.combinations(stmts, 2):
        if a[0] == b[0] or gdocs.get(a[0]) != gdocs.get(b[0]) or rmap[a] is None or rmap[b] is None:
            continue
        same_gold = a in fact and fact.get(a) == fact.get(b)
        same_pred = rmap[a] == rmap[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    res: dict = {"merge": prf(tp, fp, fn)}

    judged = shown_real = 0
    for rid in conflict_rows:
        members = [k for k, r in rmap.items() if r == rid]
        if len({k[0] for k in members}) < 2:
            continue
        judged += 1
        gids = {fact.get(k) for k in members} - {None}
        shown_real += any(groups[i]["relation"] == "conflict" for i in gids)
    gold_conf = [grp for grp in groups if grp["relation"] == "conflict"]
    found = sum(1 for grp in gold_conf if any(rmap.get(_key(d, q)) in conflict_rows for d, q in grp["members"]))
    res["conflicts"] = {"judged": judged, "precision": round(shown_real / judged, 3) if judged else None,
                        "gold": len(gold_conf), "recall": round(found / len(gold_conf), 3) if gold_conf else None}

    members_of: dict[str, set] = {}
    for k, r in rmap.items():
        if r is not None:
            members_of.setdefault(r, set()).add(k)
    gl = {(_key(*link["later"]), _key(*link["earlier"])) for link in links}
    judged = good = 0
    joined = set()
    for t in track:
        a, b = members_of.get(t.get("from_id"), set()), members_of.get(t.get("to_id"), set())
        if not a or not b:
            continue
        judged += 1
        hits = {(x, y) for x in a for y in b if (x, y) in gl}
        good += bool(hits)
        joined |= hits
    mapped = {(x, y) for x, y in gl if rmap.get(x) and rmap.get(y)}
    res["tracking"] = {"links": len(track), "judged": judged, "precision": round(good / judged, 3) if judged else None,
                       "gold": len(gl), "gold_mapped": len(mapped),
                       "recall": round(len(joined & mapped) / len(mapped), 3) if mapped else None}
    res["rows"] = len(rows)
    res["rows_multi_outlet"] = sum(1 for r in rows if len(r.get("outlets", [])) > 1)
    res["rows_with_conflicts"] = len(conflict_rows)
    return res


def summary_line(r: dict) -> str:
    """The referee's one-line summary, word for word."""
    m, c, t = r["merge"], r["conflicts"], r["tracking"]
    return (f'merge P {m["p"]} R {m["r"]} (tp {m["tp"]} fp {m["fp"]} fn {m["fn"]}) | conflicts P {c["precision"]} '
            f'({c["judged"]} judged) R {c["recall"]} ({c["gold"]} gold) | tracking P {t["precision"]} ({t["judged"]} of '
            f'{t["links"]} judged) R {t["recall"]} ({t["gold_mapped"]} gold mapped) | rows {r["rows"]}, '
            f'multi-outlet {r["rows_multi_outlet"]}, with conflicts {r["rows_with_conflicts"]}')
