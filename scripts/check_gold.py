#!/usr/bin/env python3
"""Checks a hand-annotated gold folder against its articles (format: ../shared/gold/README.md).

usage: check_gold.py CORPUS_DIR GOLD_DIR

Every problem is printed as one line; the exit status is 1 when there is any. It checks what a
person annotating by hand gets wrong, never what the pipeline finds:
- documents.jsonl: one line per article file, each file annotated once, lang in en/de/vi, ISO dates,
  same_article_as naming another annotated file of the same meeting;
- statements.jsonl: every quote a verbatim substring of its article, found once; kind, figures,
  dates (ISO), actors (canonical names from pipeline/data/gazetteer.toml), pairs well formed;
- samefact.jsonl: members are gold statements (doc + quote) of different documents of one meeting;
- tracklinks.jsonl: both ends gold statements, the later one from a later meeting than the earlier.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"commitment", "progress"}
LANGS = {"en", "de", "vi"}
RELATIONS = {"agree", "conflict"}
TRACK = {"progress", "restated", "revised"}
ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not JSON: {exc}")
    return rows


def iso(s) -> bool:
    try:
        dt.date.fromisoformat(s)
        return True
    except (TypeError, ValueError):
        return False


def articles(corpus: Path) -> dict[str, str]:
    """Gold document name -> raw text: the file name, or for a JSONL line its ``id`` (text, else html)."""
    out: dict[str, str] = {}
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in ARTICLE_SUFFIXES):
        if path.suffix != ".jsonl":
            out[path.name] = path.read_text(encoding="utf-8")
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                rec = json.loads(line)
                out[str(rec.get("id") or f"{path.name}#{n}")] = rec.get("text") or rec.get("html") or ""
    return out


def main(corpus: Path, gold: Path) -> int:
    problems: list[str] = []
    names = {b["name"] for b in tomllib.loads((ROOT / "pipeline/data/gazetteer.toml").read_text())["body"]}
    texts = articles(corpus)
    docs = load(gold / "documents.jsonl")
    seen: dict[str, dict] = {}
    for d in docs:
        doc = d.get("doc")
        if doc in seen:
            problems.append(f"documents: {doc} annotated twice")
        seen[doc] = d
        if doc not in texts:
            problems.append(f"documents: {doc} has no file (or JSONL id) in {corpus}")
        if d.get("lang") not in LANGS:
            problems.append(f"documents: {doc}: lang {d.get('lang')!r}")
        if d.get("published") is not None and not iso(d["published"]):
            problems.append(f"documents: {doc}: published {d['published']!r} is not ISO")
        if not d.get("meeting"):
            problems.append(f"documents: {doc}: no meeting label")
        orig = d.get("same_article_as")
        if orig is not None:
            if orig not in seen and orig not in {x["doc"] for x in docs}:
                problems.append(f"documents: {doc}: same_article_as {orig} is not annotated")
            elif next(x for x in docs if x["doc"] == orig)["meeting"] != d.get("meeting"):
                problems.append(f"documents: {doc}: same_article_as {orig} of another meeting")
    for f in texts:
        if f not in seen:
            problems.append(f"documents: article {f} not annotated")
    stmts = load(gold / "statements.jsonl")
    keys = set()
    for s in stmts:
        doc, quote = s.get("doc"), s.get("quote") or ""
        where = f"statements: {doc}: {quote[:50]!r}"
        if doc not in texts:
            problems.append(f"{where}: no such article")
            continue
        n = texts[doc].count(quote)
        if n != 1:
            problems.append(f"{where}: quote found {n} times (must be verbatim and unique)")
        if (doc, quote) in keys:
            problems.append(f"{where}: annotated twice")
        keys.add((doc, quote))
        if s.get("kind") not in KINDS:
            problems.append(f"{where}: kind {s.get('kind')!r}")
        if not isinstance(s.get("required"), bool):
            problems.append(f"{where}: required must be true/false")
        for field in ("figures", "figures_optional"):
            for fig in s.get(field, []):
                if not isinstance(fig.get("value"), (int, float)) or "unit" not in fig:
                    problems.append(f"{where}: {field} entry {fig} needs a numeric value and a unit (or null)")
        for d in s.get("dates", []):
            if not iso(d):
                problems.append(f"{where}: date {d!r} is not ISO")
        for a in s.get("actors", []):
            if a not in names:
                problems.append(f"{where}: actor {a!r} is not a canonical gazetteer name")
        for p in s.get("pairs", []):
            if not (isinstance(p, list) and len(p) == 2 and iso(p[1])):
                problems.append(f"{where}: pair {p} must be [value, ISO date]")
        for k in ("figures", "figures_optional", "dates", "actors", "pairs"):
            if k not in s:
                problems.append(f"{where}: missing {k} (use [])")
    meeting_of = {d["doc"]: d.get("meeting") for d in docs}
    for i, g in enumerate(load(gold / "samefact.jsonl"), 1):
        where = f"samefact {i}"
        if g.get("relation") not in RELATIONS:
            problems.append(f"{where}: relation {g.get('relation')!r}")
        members = [tuple(m) for m in g.get("members", [])]
        if len({m[0] for m in members}) < 2:
            problems.append(f"{where}: needs statements of two or more documents")
        for m in members:
            if m not in keys:
                problems.append(f"{where}: member {m[0]} {m[1][:40]!r} is not a gold statement")
            if meeting_of.get(m[0]) != g.get("meeting"):
                problems.append(f"{where}: member {m[0]} belongs to meeting {meeting_of.get(m[0])!r}, not {g.get('meeting')!r}")
    pub = {d["doc"]: d.get("published") for d in docs}
    for i, l in enumerate(load(gold / "tracklinks.jsonl"), 1):
        where = f"tracklink {i}"
        if l.get("relation") not in TRACK:
            problems.append(f"{where}: relation {l.get('relation')!r}")
        later, earlier = tuple(l.get("later", ())), tuple(l.get("earlier", ()))
        for end in (later, earlier):
            if end not in keys:
                problems.append(f"{where}: {end[:1]} {str(end[1:])[:40]} is not a gold statement")
        if later and earlier and meeting_of.get(later[0]) == meeting_of.get(earlier[0]):
            problems.append(f"{where}: both ends are of one meeting")
        if later and earlier and pub.get(later[0]) and pub.get(earlier[0]) and pub[later[0]] <= pub[earlier[0]]:
            problems.append(f"{where}: the later statement's article is not published after the earlier one's")
    for p in problems:
        print(p)
    print(f"{len(docs)} documents, {len(stmts)} statements: {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
