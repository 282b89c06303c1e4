"""Reports of the meeting view: terminal tables (table.py) and self-contained HTML pages (html.py).

Both read `pipeline.meetings.MeetingView` records only; what a cell means and how rows are grouped
is decided here, once:

* a row x an outlet column is "agree" (carried, no dispute), "conflict" (carried, and this outlet's
  value differs from another's) or "omitted" (the outlet reported the meeting, not this);
* rows come in three groups, each counted: conflicts first, then facts carried by two or more
  outlets, then facts carried by one outlet (reading order inside each group);
* figures are shown as people write them ("3.2 million billion VND", "2.5 million", "716,000").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pipeline.meetings import MeetingView, OutletColumn, figure_label
from pipeline.records import Cluster, Conflict, ConflictValue, MeetingCommitment, MeetingSource

RELATION = {"progress": "progress on", "restated": "restates", "revised": "revises the target of",
            "deadline_moved": "moves the deadline of"}
# a cell lists at most this many copies of the outlet's article by name; the rest are counted
MAX_COPIES_SHOWN = 3


@dataclass
class Cell:
    state: str                      # agree | conflict | omitted
    sources: list[MeetingSource]    # the outlet's sentence(s): original first, then copies
    conflicts: list[Conflict]       # the disputes this outlet takes part in
    values: dict[str, ConflictValue]  # field -> this outlet's value in each dispute


def cell(row: MeetingCommitment, column: OutletColumn) -> Cell:
    sources = [s for s in row.sources if s.outlet == column.label]
    if not sources:
        return Cell("omitted", [], [], {})
    mine: list[Conflict] = []
    values: dict[str, ConflictValue] = {}
    for c in row.conflicts:
        v = next((v for v in c.values if v.outlet == column.label), None)
        if v is not None:
            mine.append(c)
            values.setdefault(c.field, v)
    return Cell("conflict" if mine else "agree", sources, mine, values)


def date_text(src: MeetingSource) -> str:
    if src.date is None:
        return ""
    iso = src.date.end or src.date.start
    return f"{src.date.text} ({iso})" if iso and iso not in src.date.text else src.date.text


def facts(src: MeetingSource) -> str:
    """'more than 3.2 million billion VND · by 2025 (2025-12-31) · Ministry of Home Affairs': one outlet's
    figures as it wrote them, its date and its bodies."""
    parts = [", ".join(f.text or figure_label(f) for f in src.figures)] if src.figures else []
    if src.date is not None:
        parts.append(date_text(src))
    if src.actors:
        parts.append(", ".join(a.name for a in src.actors))
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
    """'figure differs: vtv.vn 30%; vnexpress.net 30%; nhandan.vn 25%'."""
    what = {"figure": "figure", "date": "deadline"}.get(c.field, c.field)
    return f"{what} differs: " + "; ".join(f"{v.outlet} {v.value}" for v in c.values)


def others(c: Conflict, label: str) -> str:
    return "; ".join(f"{v.outlet}: {v.value}" for v in c.values if v.outlet != label)


@dataclass
class Summary:
    rows: int
    commitments: int
    progress: int
    outlets: int
    all_outlets: int     # carried by every outlet (0 when one outlet reported the meeting)
    shared: int          # carried by two or more outlets, without conflict
    single_outlet: int   # carried by one outlet (when more than one reported the meeting)
    conflicts: int


SECTIONS = (("conflicts", "Outlets disagree"), ("shared", "Carried by two or more outlets"),
            ("single", "Carried by one outlet"))


def section_of(row: MeetingCommitment) -> str:
    if row.conflicts:
        return "conflicts"
    return "shared" if len(row.outlets) > 1 else "single"


def sections(view: MeetingView) -> list[tuple[str, str, list[MeetingCommitment]]]:
    """(key, title, rows) for each non-empty group, in the order the reports show them."""
    out = []
    for key, title in SECTIONS:
        rows = [r for r in view.commitments if section_of(r) == key]
        if key == "single" and len(view.columns) == 1:
            title = "Reported by the only outlet"
        if rows:
            out.append((key, title, rows))
    return out


def summarize(view: MeetingView) -> Summary:
    rows = view.commitments
    n_cols = len(view.columns)
    return Summary(
        rows=len(rows),
        commitments=sum(r.kind == "commitment" for r in rows),
        progress=sum(r.kind == "progress" for r in rows),
        outlets=n_cols,
        all_outlets=sum(len(r.outlets) == n_cols and not r.conflicts for r in rows) if n_cols > 1 else 0,
        shared=sum(section_of(r) == "shared" for r in rows),
        single_outlet=sum(section_of(r) == "single" for r in rows) if n_cols > 1 else 0,
        conflicts=sum(bool(r.conflicts) for r in rows),
    )


def column_title(col: OutletColumn) -> str:
    shown = col.copies[:MAX_COPIES_SHOWN]
    copies = "".join(f" + copy {c.lang or '?'} ({c.doc_id})" for c in shown)
    if len(col.copies) > len(shown):
        copies += f" + {len(col.copies) - len(shown):,} more copies"
    return f"{col.label} [{col.lang or '?'}]{copies}"


def committee_of(cluster: Cluster) -> Optional[str]:
    """The committee a meeting belongs to, when the clusters name it."""
    return getattr(cluster, "committee", None) or None
