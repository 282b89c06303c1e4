#!/usr/bin/env python3
"""List the meeting view's errors against the hand-made gold: false and missed merges, false and missed
conflicts, false and missed tracking links (the matching rules of pipeline/meetings/score.py, which are
the shared scorer's).

usage: python scripts/meeting_errors.py GOLD_DIR OUT_DIR [--rerun] [--cache PATH] [--only merge,conflicts,tracking]

--rerun   first rebuild OUT_DIR/meetings.jsonl and tracking.jsonl from the run's documents, clusters and
          commitments (the meeting stage only: extraction is not repeated), embedding through the cache
          at --cache (default /tmp/meeting-errors-emb.sqlite) so repeated runs embed only new texts.

GOLD_DIR holds statements.jsonl, documents.jsonl, samefact.jsonl and tracklinks.jsonl (for the realistic
corpora, the parts' files concatenated: see /work/notes/score_real.sh or `commitments eval`).
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

from pipeline.evaluate import load_jsonl, stem
from pipeline.meetings.score import best_match, score_meetings


def short(s: str, n: int = 110) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def rerun(out_dir: Path, cache_path: str) -> None:
    from pipeline.cache import Cache
    from pipeline.meetings.embed import Embedder
    from pipeline.meetings.stage import write_meeting_outputs

    emb = Embedder(Cache(cache_path, "statement-embeddings"))
    n, m = write_meeting_outputs(out_dir, emb)
    print(f"meeting stage re-run: {n} rows, {m} tracking links", file=sys.stderr)


class Why:
    """The parts of the pair verdict (rows.judge) for two predicted statements."""

    def __init__(self, out_dir: Path, cache_path: str) -> None:
        from pipeline.cache import Cache
        from pipeline.meetings.embed import Embedder
        from pipeline.meetings.stage import read_clusters, read_docs

        self.emb = Embedder(Cache(cache_path, "statement-embeddings"))
        self.docs = read_docs(out_dir)
        self.clusters = {c.cluster_id: c for c in read_clusters(out_dir)}

    def item(self, p: dict):
        from pipeline.meetings.outlets import outlet_columns
        from pipeline.meetings.rows import Item
        from pipeline.records import Statement

        st = Statement.model_validate(p)
        cl = self.clusters[st.cluster_id]
        cols, col_of = outlet_columns(cl, {d: self.docs[d] for d in cl.doc_ids if d in self.docs})
        original = cols[col_of[st.doc_id]].doc_id
        return Item(st, col_of[st.doc_id], None if st.doc_id == original else original)

    def __call__(self, p: dict, q: dict) -> str:
        from pipeline.meetings import features as F
        from pipeline.meetings import rows as R

        if p.get("cluster_id") != q.get("cluster_id") or p.get("cluster_id") not in self.clusters:
            return f'other clusters ({p.get("cluster_id")} / {q.get("cluster_id")})'
        a, b = self.item(p), self.item(q)
        ev = R.figure_evidence(a.metrics, b.metrics)
        v = R.judge(self.emb, a, b)
        return (f"kinds {a.st.kind}/{b.st.kind} compatible {R.compatible(a, b)} agree "
                f"{[(x.value, y.value, r) for x, y, r in ev.agree]} clash {[(x.value, y.value) for x, y in ev.clash]} "
                f"disjoint {ev.disjoint} ambiguous {ev.ambiguous} distinctive {ev.distinctive} dates "
                f"{F.dates_relation(a.st.date, b.st.date)} strong {sorted(F.strong(a.stems & b.stems))} sim "
                f"{R.similarity(self.emb, a, b):.3f} verdict {v}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold")
    ap.add_argument("out")
    ap.add_argument("--rerun", action="store_true")
    ap.add_argument("--cache", default="/tmp/meeting-errors-emb.sqlite")
    ap.add_argument("--only", default="merge,conflicts,tracking")
    ap.add_argument("--why", action="store_true", help="for each missed merge, the pair verdict's parts")
    a = ap.parse_args(argv)
    g, o = Path(a.gold), Path(a.out)
    for need in (g / "statements.jsonl", o / "commitments.jsonl"):
        if not need.exists():
            print(f"error: {need} not found", file=sys.stderr)
            return 2
    if a.rerun:
        rerun(o, a.cache)
    only = set(a.only.split(","))

    gold = load_jsonl(g / "statements.jsonl")
    gdocs = {stem(d["doc"]): d["meeting"] for d in load_jsonl(g / "documents.jsonl")}
    groups = load_jsonl(g / "samefact.jsonl")
    links = load_jsonl(g / "tracklinks.jsonl")
    preds = load_jsonl(o / "commitments.jsonl")
    rows = {r["id"]: r for r in load_jsonl(o / "meetings.jsonl")}
    track = load_jsonl(o / "tracking.jsonl")
    by_doc = defaultdict(list)
    for p in preds:
        by_doc[stem(p.get("doc_id"))].append(p)
    row_of_stmt = {s.get("statement_id"): r["id"] for r in rows.values() for s in r.get("sources", [])}
    quote = {}

    def mapped(k):
        bp = best_match(by_doc, *k)
        return (None, None) if bp is None else (bp, row_of_stmt.get(bp["id"]))

    stmts = [(stem(s["doc"]), s["quote"]) for s in gold]
    pmap = {k: mapped(k) for k in stmts}
    rmap = {k: v[1] for k, v in pmap.items()}
    fact = {}
    for i, grp in enumerate(groups):
        for d, q in grp["members"]:
            fact[(stem(d), q)] = i

    def show(k):
        p, r = pmap.get(k, (None, None))
        txt = p["text"] if p else "(unmapped)"
        fig = ", ".join(f'{f.get("value")} {f.get("unit") or ""}'.strip() for f in (p or {}).get("figures", []))
        date = ((p or {}).get("date") or {}).get("end") if p else None
        kind = p.get("kind") if p else None
        return f'{k[0][:34]:34} [{kind}] {short(txt)} | figs: {fig} | date: {date} | row {r}'

    if "merge" in only:
        fps, fns = [], []
        for x, y in itertools.combinations(stmts, 2):
            if x[0] == y[0] or gdocs.get(x[0]) != gdocs.get(y[0]) or rmap[x] is None or rmap[y] is None:
                continue
            same_gold = x in fact and fact.get(x) == fact.get(y)
            same_pred = rmap[x] == rmap[y]
            if same_pred and not same_gold:
                fps.append((x, y))
            elif same_gold and not same_pred:
                fns.append((x, y))
        print(f"=== false merges ({len(fps)} pairs)")
        for x, y in fps:
            print(f"  row {rmap[x]}  gold facts {fact.get(x)} / {fact.get(y)}")
            print("    " + show(x))
            print("    " + show(y))
        print(f"=== missed merges ({len(fns)} pairs)")
        why = Why(o, a.cache) if a.why else None
        for x, y in fns:
            print(f'  gold fact {fact[x]} ({groups[fact[x]]["relation"]}): {short(groups[fact[x]].get("note", ""), 90)}')
            print("    " + show(x))
            print("    " + show(y))
            if why is not None:
                print("      why: " + why(pmap[x][0], pmap[y][0]))

    if "conflicts" in only:
        conflict_rows = {rid for rid, r in rows.items() if r.get("conflicts")}
        print("=== conflict rows judged")
        for rid in sorted(conflict_rows):
            members = [k for k, r in rmap.items() if r == rid]
            if len({k[0] for k in members}) < 2:
                continue
            gids = {fact.get(k) for k in members} - {None}
            real = any(groups[i]["relation"] == "conflict" for i in gids)
            print(f'  {"OK   " if real else "FALSE"} row {rid}: {json.dumps(rows[rid]["conflicts"], ensure_ascii=False)[:300]}')
            for k in members:
                print("    " + show(k))
        print("=== gold conflicts missed")
        for i, grp in enumerate(groups):
            if grp["relation"] != "conflict":
                continue
            ks = [(stem(d), q) for d, q in grp["members"]]
            if any(rmap.get(k) in conflict_rows for k in ks):
                continue
            print(f'  fact {i}: {short(grp.get("note", ""), 150)}')
            for k in ks:
                print("    " + show(k))

    if "tracking" in only:
        members_of = defaultdict(set)
        for k, r in rmap.items():
            if r is not None:
                members_of[r].add(k)
        gl = {((stem(l["later"][0]), l["later"][1]), (stem(l["earlier"][0]), l["earlier"][1])): l["relation"]
              for l in links}
        joined = set()
        print("=== false tracking links")
        for t in track:
            xa, xb = members_of.get(t.get("from_id"), set()), members_of.get(t.get("to_id"), set())
            if not xa or not xb:
                continue
            hits = {(x, y) for x in xa for y in xb if (x, y) in gl}
            joined |= hits
            if not hits:
                print(f'  {t["relation"]} conf {t["confidence"]} sim {t["similarity"]} {t["from_meeting_date"]} -> {t["to_meeting_date"]}')
                print(f'    later:   {short(t["from_text"], 150)}')
                print(f'    earlier: {short(t["to_text"], 150)}')
        print("=== missed tracking links")
        for (x, y), rel in gl.items():
            if rmap.get(x) and rmap.get(y) and (x, y) not in joined:
                print(f"  {rel}")
                print("    later:   " + show(x))
                print("    earlier: " + show(y))

    print(json.dumps(score_meetings(g, o), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
