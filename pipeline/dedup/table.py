"""`commitments clusters`: the meeting clusters of a run as a terminal table."""
from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.records import Cluster


class OutputsMissing(Exception):
    """The outputs folder lacks clusters.jsonl or documents.jsonl (or they are unreadable)."""


def _read(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise OutputsMissing(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
    return rows


def load(out_dir: Path) -> tuple[list[Cluster], dict[str, dict]]:
    """Clusters (as records) and the documents they name (doc_id -> documents.jsonl record)."""
    out_dir = Path(out_dir)
    missing = [n for n in ("clusters.jsonl", "documents.jsonl") if not (out_dir / n).is_file()]
    if missing:
        raise OutputsMissing(f"no {' or '.join(missing)} in {out_dir} (run `commitments extract --out {out_dir}` first)")
    clusters = [Cluster.model_validate(r) for r in _read(out_dir / "clusters.jsonl")]
    docs = {d["doc_id"]: d for d in _read(out_dir / "documents.jsonl") if "doc_id" in d}
    return clusters, docs


def render(clusters: list[Cluster], docs: dict[str, dict], console: Console) -> None:
    table = Table(title="Meetings", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Meeting", ratio=2)
    table.add_column("Committee", ratio=2)
    table.add_column("Kind", no_wrap=True)
    table.add_column("No.", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Lang", no_wrap=True)
    table.add_column("Outlets", ratio=1, overflow="fold")
    table.add_column("Documents", ratio=3, overflow="fold")
    for n, c in enumerate(clusters, 1):
        lines = Text()
        copies = c.copies()
        for i, doc_id in enumerate(c.doc_ids):
            d = docs.get(doc_id, {})
            if i:
                lines.append("\n")
            style = "bold" if doc_id == c.canonical_doc_id else ""
            lines.append(doc_id, style=style)
            meta = " ".join(x for x in (d.get("lang"), d.get("published")) if x)
            if meta:
                lines.append(f" [{meta}]", style="dim")
            if doc_id in copies:
                lines.append(f"\n  duplicate of {copies[doc_id]}", style="yellow")
        label = Text(c.label)
        label.append(f"\n{c.cluster_id}", style="dim")
        number = "-" if not c.number else str(c.number) + (f" of {c.number_scope}" if (c.number_scope or "").isdigit() else "")
        table.add_row(str(n), label, c.committee or "-", c.event_kind, number, c.date or "-",
                      ", ".join(c.languages) or "-", "\n".join(c.outlets) or "-", lines)
    console.print(table)
    n_docs = sum(len(c.doc_ids) for c in clusters)
    n_dups = sum(len(c.duplicates) for c in clusters)
    console.print(f"{len(clusters)} meeting(s), {n_docs} document(s), {n_dups} duplicate(s)", highlight=False)
