"""Scoring a run against a gold set: the same matching rules as the reference scorer
(``/work/shared/eval/score.py``), so ``commitments eval`` and the referee always agree.

Gold statements are keyed by a verbatim quote in the article's own language; a predicted record
matches the gold statement of the same document whose quote its evidence (``source_text`` and
``text``) covers best, provided at least ``MATCH_COVERAGE`` of the quote's word tokens are covered.
Only required gold statements count for recall; records matching no gold statement at all are
false positives. Figures, dates, actors and value/date pairs are scored on matched statements.
"""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Iterable

# The referee's threshold (score.py): a quote is found when >= 60% of its tokens are covered.
MATCH_COVERAGE = 0.6

_TOK = re.compile(r"\w+", re.UNICODE)


def load_jsonl(path: str | Path) -> list[dict]:
    p = Path(path)
    if not p.exists():
        return []
    out = []
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line:
            out.append(json.loads(line))
    return out


def tokens(s: str | None) -> list[str]:
    return [t.lower() for t in _TOK.findall(s or "")]


def coverage(quote: str, evidence: str) -> float:
    """Share of the quote's tokens (with repeats) that occur anywhere in the evidence."""
    q, e = tokens(quote), set(tokens(evidence))
    return sum(t in e for t in q) / max(1, len(q))


def stem(doc_id) -> str:
    return Path(str(doc_id)).stem


def close(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def date_end(rec: dict) -> str | None:
    d = rec.get("date") or rec.get("deadline") or rec.get("as_of")
    if isinstance(d, dict):
        return d.get("end") or d.get("start")
    return d if isinstance(d, str) else None


def actor_names(rec: dict) -> set[str]:
    out = set()
    for a in rec.get("actors") or []:
        n = a.get("name") if isinstance(a, dict) else a
        if n:
            out.add(re.sub(r"^the\s+", "", n.strip().lower()))
    return out


def action_overlap(pred: str | None, gold: str) -> float:
    """Token-overlap F1 of a predicted action with the gold action (lower-cased word tokens as sets)."""
    p, g = set(tokens(pred)), set(tokens(gold))
    common = len(p & g)
    if not common:
        return 0.0
    prec, rec = common / len(p), common / len(g)
    return 2 * prec * rec / (prec + rec)


def _keep(only: Iterable[str] | None):
    only = [o for o in (only or []) if o]
    return (lambda d: any(stem(d).startswith(o) for o in only)) if only else (lambda d: True)


def score(gold_dir: str | Path, out_dir: str | Path, only: Iterable[str] | None = None) -> dict:
    """Score ``out_dir`` (commitments.jsonl, documents.jsonl) against ``gold_dir``; same result as score.py."""
    gold = load_jsonl(Path(gold_dir) / "statements.jsonl")
    gdocs = load_jsonl(Path(gold_dir) / "documents.jsonl")
    keep = _keep(only)
    gold = [g for g in gold if keep(g["doc"])]
    gdocs = [g for g in gdocs if keep(g["doc"])]
    preds = load_jsonl(Path(out_dir) / "commitments.jsonl")
    pdocs = {stem(d.get("doc_id")): d for d in load_jsonl(Path(out_dir) / "documents.jsonl")}
    gold_docs = {stem(g["doc"]) for g in gold}
    by_doc: dict[str, list[dict]] = {}
    for p in preds:
        by_doc.setdefault(stem(p.get("doc_id")), []).append(p)
    res: dict = {"records": len(preds)}
    tp = fp = fn = 0
    kind_ok = kind_n = 0
    ftp = ffp = ffn = 0
    dtp = dfp = dfn = 0
    atp = afp = afn = 0
    pair_ok = pair_n = 0
    act_sum, act_n = 0.0, 0
    misses: list[str] = []
    for d in sorted(gold_docs):
        G = [g for g in gold if stem(g["doc"]) == d]
        P = by_doc.get(d, [])
        match: dict[int, int] = {}
        for i, p in enumerate(P):
            ev = " ".join(filter(None, [p.get("source_text"), p.get("text")]))
            best, bj = 0.0, None
            for j, g in enumerate(G):
                c = coverage(g["quote"], ev)
                if c > best:
                    best, bj = c, j
            if best >= MATCH_COVERAGE:
                match[i] = bj
        for j, g in enumerate(G):
            mine = [P[i] for i, jj in match.items() if jj == j]
            if not g["required"]:
                continue
            if not mine:
                fn += 1
                ffn += len(g["figures"]); dfn += len(g["dates"]); afn += len(g["actors"])
                pair_n += len(g["pairs"])
                misses.append(f'{d[:3]}: {g["quote"][:70]}')
                continue
            tp += 1
            if g.get("action"):
                act_n += 1
                act_sum += max(action_overlap(m.get("action"), g["action"]) for m in mine)
            kind_n += 1
            kind_ok += any(m.get("kind") == g["kind"] for m in mine)
            pv = [f.get("value") for m in mine for f in (m.get("figures") or []) if isinstance(f, dict)]
            gv = [f["value"] for f in g["figures"]]
            ov = [f["value"] for f in g["figures_optional"]]
            used = [False] * len(pv)
            for v in gv:
                k = next((k for k, x in enumerate(pv) if not used[k] and close(x, v)), None)
                if k is None:
                    ffn += 1
                else:
                    used[k] = True
                    ftp += 1
            for k, x in enumerate(pv):
                if not used[k] and not any(close(x, v) for v in ov + gv):
                    ffp += 1
            pd = {date_end(m) for m in mine if date_end(m)}
            gd = set(g["dates"])
            dtp += len(pd & gd); dfn += len(gd - pd); dfp += len(pd - gd)
            if g["actors"]:
                pa = set().union(*[actor_names(m) for m in mine])
                ga = {a.lower() for a in g["actors"]}
                atp += len(pa & ga); afn += len(ga - pa); afp += len(pa - ga)
            for v, dt in g["pairs"]:
                pair_n += 1
                pair_ok += any(date_end(m) == dt and any(close(f.get("value"), v) for f in m.get("figures") or []
                                                         if isinstance(f, dict)) for m in mine)
        fp += sum(1 for i in range(len(P)) if i not in match)
    res["statements"] = prf(tp, fp, fn)
    res["kind_acc"] = round(kind_ok / kind_n, 3) if kind_n else 0.0
    res["figures"] = prf(ftp, ffp, ffn)
    res["dates"] = prf(dtp, dfp, dfn)
    res["actors"] = prf(atp, afp, afn)
    res["pairs_acc"] = round(pair_ok / pair_n, 3) if pair_n else None
    # the task named by `action`, against the hand-written gold action (token-overlap F1, mean over
    # the matched required statements whose gold has one); not part of the referee's summary line
    res["action"] = {"overlap": round(act_sum / act_n, 3) if act_n else None, "n": act_n}
    lang_ok = pub_ok = pub_n = 0
    for g in gdocs:
        p = pdocs.get(stem(g["doc"]), {})
        lang_ok += p.get("lang") == g["lang"]
        if g["published"]:
            pub_n += 1
            pub_ok += p.get("published") == g["published"]
    n = len(gdocs) or 1
    res["doc_lang_acc"] = round(lang_ok / n, 3)
    res["doc_published_acc"] = round(pub_ok / pub_n, 3) if pub_n else None
    ctp = cfp = cfn = 0
    for a, b in itertools.combinations(gdocs, 2):
        same_g = a["meeting"] == b["meeting"]
        pa, pb = pdocs.get(stem(a["doc"]), {}), pdocs.get(stem(b["doc"]), {})
        same_p = pa.get("cluster_id") is not None and pa.get("cluster_id") == pb.get("cluster_id")
        ctp += same_g and same_p; cfp += same_p and not same_g; cfn += same_g and not same_p
    res["clusters"] = prf(ctp, cfp, cfn)
    names = {stem(g["doc"]) for g in gdocs}
    gpairs = {frozenset((stem(g["doc"]), stem(g["same_article_as"]))) for g in gdocs if g["same_article_as"]}
    ppairs = set()
    for d, p in pdocs.items():
        if d in names and p.get("duplicate_of") and stem(p["duplicate_of"]) in names:
            ppairs.add(frozenset((d, stem(p["duplicate_of"]))))
    res["duplicates"] = prf(len(gpairs & ppairs), len(ppairs - gpairs), len(gpairs - ppairs))
    res["missed"] = misses
    return res


def summary_line(r: dict) -> str:
    """The referee's one-line summary, word for word."""
    s = r["statements"]
    return (f'statements F1 {s["f1"]} (P {s["p"]} R {s["r"]}) kind {r["kind_acc"]} figures F1 {r["figures"]["f1"]} '
            f'dates F1 {r["dates"]["f1"]} actors F1 {r["actors"]["f1"]} pairs {r["pairs_acc"]} '
            f'lang {r["doc_lang_acc"]} published {r["doc_published_acc"]} clusters F1 {r["clusters"]["f1"]} '
            f'duplicates F1 {r["duplicates"]["f1"]}')


def render(r: dict, console) -> None:
    """A readable rich table of the scores, then the missed required statements."""
    from rich.table import Table

    t = Table(title=f"evaluation ({r['records']} records)")
    for col in ("part", "P", "R", "F1 / acc", "tp", "fp", "fn"):
        t.add_column(col, justify="left" if col == "part" else "right")
    for part in ("statements", "figures", "dates", "actors", "clusters", "duplicates"):
        x = r[part]
        t.add_row(part, f'{x["p"]:.3f}', f'{x["r"]:.3f}', f'{x["f1"]:.3f}', str(x["tp"]), str(x["fp"]), str(x["fn"]))
    act = r.get("action") or {}
    if act.get("n"):
        t.add_row(f"action overlap ({act['n']})", "", "", f"{act['overlap']:.3f}", "", "", "")
    for part, key in (("kind accuracy", "kind_acc"), ("pairs accuracy", "pairs_acc"),
                      ("document language", "doc_lang_acc"), ("publication date", "doc_published_acc")):
        v = r[key]
        t.add_row(part, "", "", "n/a" if v is None else f"{v:.3f}", "", "", "")
    console.print(t)
    if r["missed"]:
        console.print(f"missed required statements ({len(r['missed'])}):", highlight=False)
        for m in r["missed"]:
            console.print(f"  {m}", highlight=False, markup=False)


def meeting_view(gold_dir: str | Path, out_dir: str | Path) -> dict | None:
    """Meeting-view scores (``pipeline.meetings.score``: same-fact merges, conflicts, tracking links)
    when the gold has samefact.jsonl / tracklinks.jsonl and the run wrote meetings.jsonl; else None."""
    from pipeline.meetings.score import has_gold, score_meetings

    if not has_gold(gold_dir) or not (Path(out_dir) / "meetings.jsonl").exists():
        return None
    return score_meetings(gold_dir, out_dir)
