"""The meeting diff as a rich table: commitments as rows, outlets as columns."""
from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from pipeline.merge import MeetingView
from pipeline.report import RELATION, agreed_facts, cell, column_title, facts, summarize

_MAX_TEXT = 160


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def meeting_table(view: MeetingView) -> Group:
    c = view.cluster
    s = summarize(view)
    head = Text()
    head.append(f"{c.label}", style="bold")
    head.append(f"  {c.date or 'date unknown'}  {c.cluster_id}\n", style="dim")
    head.append(f"{s.rows} rows ({s.commitments} commitments, {s.progress} progress); "
                f"{s.all_outlets} carried by every outlet, {s.single_outlet} by one only, {s.conflicts} with conflicts")
    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True, width=3)
    table.add_column("commitment", ratio=3)
    for col in view.columns:
        table.add_column(column_title(col), ratio=2)
    for i, row in enumerate(view.commitments, start=1):
        main = Text()
        main.append("C " if row.kind == "commitment" else "P ", style="bold cyan" if row.kind == "commitment" else "bold magenta")
        main.append(_short(row.text, _MAX_TEXT))
        agreed = agreed_facts(row)
        if agreed:
            main.append(f"\n{agreed}", style="bold")
        for link in view.earlier:
            if link.to_id == row.id:
                changed = f"; deadline {link.from_deadline} -> {link.to_deadline}" if link.deadline_changed else ""
                main.append(f"\n↳ {RELATION[link.relation]} a {link.from_meeting_date} commitment{changed}", style="yellow")
        cells = []
        for col in view.columns:
            cl = cell(row, col)
            t = Text()
            if cl.state == "omitted":
                t.append("— not reported", style="dim")
            else:
                src = cl.sources[0]
                if src.copy_of:
                    t.append(f"(copy {src.lang}) ", style="dim italic")
                if cl.state == "conflict":
                    t.append("≠ ", style="bold red")
                    t.append("; ".join(f"{k}: {v}" for k, v in cl.values.items()), style="bold red")
                else:
                    t.append("✓ ", style="bold green")
                    t.append(facts(src) or "carried", style="green")
                if src.text != row.text:
                    t.append("\n" + _short(src.text, 90), style="dim")
                for cp in cl.sources[1:]:
                    t.append(f"\n+ copy {cp.lang} ({cp.doc_id})", style="dim italic")
            cells.append(t)
        table.add_row(str(i), main, *cells)
    if not view.commitments:
        table.add_row("", Text("no commitments or progress statements extracted", style="dim"),
                      *[Text("") for _ in view.columns])
    legend = Text("✓ carried, values agree   ≠ carried, values differ (conflict)   — not reported (omission)   "
                  "C commitment  P progress", style="dim")
    return Group(head, table, legend)


def print_meeting(view: MeetingView, console: Console) -> None:
    console.print(meeting_table(view))


def print_index(views: list[MeetingView], console: Console) -> None:
    table = Table(title="meetings", header_style="bold")
    for name in ("cluster", "date", "meeting", "outlets", "rows", "all", "one only", "conflicts"):
        table.add_column(name)
    for v in views:
        s = summarize(v)
        outlets = ", ".join(col.label + (f" (+{len(col.copies)} copy)" if col.copies else "") for col in v.columns)
        table.add_row(v.cluster.cluster_id, v.cluster.date or "?", _short(v.cluster.label, 60), outlets,
                      str(s.rows), str(s.all_outlets), str(s.single_outlet), str(s.conflicts))
    console.print(table)
