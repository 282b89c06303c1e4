"""Reports of the meeting view: terminal tables (table.py) and self-contained HTML pages (html.py).

Both read `pipeline.merge.MeetingView` records only; what a cell means is decided here, once:
a commitment row x an outlet column is "agree" (carried, no dispute), "conflict" (carried, and this
outlet's value differs from another's) or "omitted" (the outlet reported the meeting, not this).
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.merge import MeetingView, OutletColumn, figure_label
from pipeline.records import Conflict, MeetingCommitment, MeetingSource


RELATION = {"progress": "progress on", "restated": "restates", "revised": "revises the target of"}


@dataclass
class Cell:
    state: str                      # agree | conflict | omitted
    sources: list[MeetingSource]    # the outlet's sentence(s): original first, then copies
    conflicts: list[Conflict]       # the disputes this outlet takes part in
    values: dict[str, str]          # field -> this outlet's value in each dispute


def cell(row: MeetingCommitment, column: OutletColumn) -> Cell:
    sources = [s for s in row.sources if s.outlet == column.label]
    if not sources:
        return Cell("omitted", [], [], {})
    mine = [c for c in row.conflicts if column.label in c.values]
    values = {c.field: c.values[column.label] for c in mine}
    return Cell("conflict" if mine else "agree", sources, mine, values)


def date_text(src: MeetingSource) -> str:
    if src.date is None:
        return ""
    iso = src.date.end or src.date.start
    return f"{src.date.text} ({iso})" if iso and iso not in src.date.text else src.date.text


def facts(src: MeetingSource) -> str:
    """'80% · by 2025 (2025-12-31) · Ministry of Home Affairs' for one outlet's sentence."""
    parts = [", ".join(figure_label(f) for f in src.figures)] if src.figures else []
    if src.date is not None:
        parts.append(date_text(src))
    if src.actors:
        parts.append(", ".join(src.actors))
    return " · ".join(parts)


def agreed_facts(row: MeetingCommitment) -> str:
    parts = [", ".join(figure_label(f) for f in row.figures)] if row.figures else []
    if row.date is not None:
        iso = row.date.end or row.date.start
        parts.append(f"due {iso}" if row.kind == "commitment" else f"as of {iso}")
    if row.actors:
        parts.append(", ".join(a.name for a in row.actors))
    return " · ".join(p for p in parts if p)


def conflict_text(c: Conflict) -> str:
    what = {"figure": "figure", "unit": "unit", "date": "date", "actor": "actor"}[c.field]
    vals = "; ".join(f"{k}: {v}" for k, v in c.values.items())
    return f"{what} differs ({vals})"


@dataclass
class Summary:
    rows: int
    commitments: int
    progress: int
    all_outlets: int
    single_outlet: int
    conflicts: int


def summarize(view: MeetingView) -> Summary:
    rows = view.commitments
    n_cols = len(view.columns)
    return Summary(
        rows=len(rows),
        commitments=sum(r.kind == "commitment" for r in rows),
        progress=sum(r.kind == "progress" for r in rows),
        all_outlets=sum(len(r.outlets) == n_cols for r in rows) if n_cols > 1 else 0,
        single_outlet=sum(len(r.outlets) == 1 for r in rows) if n_cols > 1 else 0,
        conflicts=sum(bool(r.conflicts) for r in rows),
    )


def column_title(col: OutletColumn) -> str:
    copies = "".join(f" + copy {c.lang or '?'} ({c.doc_id})" for c in col.copies)
    return f"{col.label} [{col.lang or '?'}]{copies}"
