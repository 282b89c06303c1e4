"""The meeting diff as a rich table: facts as rows (conflicts first, then facts carried by two or more
outlets, then by one), outlets as columns."""
from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from pipeline.meetings import MeetingView
from pipeline.report import (MAX_COPIES_SHOWN, RELATION, agreed_facts, cell, column_title, committee_of, facts,
                             sections, summarize)

_MAX_TEXT = 160


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def meeting_table(view: MeetingView) -> Group:
    c = view.cluster
    s = summarize(view)
    head = Text()
    head.append(f"{c.label}", style="bold")
    committee = committee_of(c)
    head.append(f"  {committee + '  ' if committee else ''}{c.date or 'date unknown'}  {c.cluster_id}\n", style="dim")
    head.append(f"{s.rows} facts ({s.commitments} commitments, {s.progress} progress): {s.conflicts} in conflict, "
                f"{s.shared} carried by two or more outlets ({s.all_outlets} by every outlet), "
                f"{s.single_outlet} by one only")
    if len(view.columns) == 1:
        head.append("\none outlet reported this meeting: nothing to compare its facts with", style="yellow")
    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True, width=3)
    table.add_column("fact", ratio=3)
    for col in view.columns:
        table.add_column(column_title(col), ratio=2, overflow="fold")
    i = 0
    for key, title, rows in sections(view):
        table.add_row("", Text(f"{title} ({len(rows)})", style="bold red" if key == "conflicts" else "bold"),
                      *[Text("") for _ in view.columns])
        for row in rows:
            i += 1
            main = Text()
            main.append("C " if row.kind == "commitment" else "P ",
                        style="bold cyan" if row.kind == "commitment" else "bold magenta")
            main.append(_short(row.text, _MAX_TEXT))
            agreed = agreed_facts(row)
            if agreed:
                main.append(f"\n{agreed}", style="bold")
            for d in row.details:
                main.append(f"\nless detail: {d.outlet} {d.note}", style="dim")
            for link in view.earlier:
                if link.from_id == row.id:
                    changed = f"; deadline {link.to_deadline} -> {link.from_deadline}" if link.deadline_changed else ""
                    main.append(f"\n↳ {RELATION[link.relation]} a {link.to_meeting_date} commitment{changed}",
                                style="yellow")
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
                        t.append("; ".join(f"{k}: {v.value}" for k, v in cl.values.items()), style="bold red")
                    else:
                        t.append("✓ ", style="bold green")
                        t.append(facts(src) or "carried", style="green")
                    if src.text != row.text:
                        t.append("\n" + _short(src.text, 90), style="dim")
                    for cp in cl.sources[1:1 + MAX_COPIES_SHOWN]:
                        t.append(f"\n+ copy {cp.lang} ({cp.doc_id})", style="dim italic")
                    rest = len(cl.sources) - 1 - MAX_COPIES_SHOWN
                    if rest > 0:
                        t.append(f"\n+ {rest:,} more copies", style="dim italic")
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
    for name in ("committee", "date", "meeting", "cluster", "outlets", "facts", "all", "one only", "conflicts"):
        table.add_column(name)
    for v in sorted(views, key=lambda v: (committee_of(v.cluster) is None, committee_of(v.cluster) or "",
                                          v.cluster.date or "9999", v.cluster.cluster_id)):
        s = summarize(v)
        outlets = ", ".join(col.label + (f" (+{len(col.copies)} cop{'ies' if len(col.copies) > 1 else 'y'})"
                                         if col.copies else "") for col in v.columns)
        table.add_row(committee_of(v.cluster) or "?", v.cluster.date or "?", _short(v.cluster.label, 60),
                      v.cluster.cluster_id, outlets, str(s.rows), str(s.all_outlets), str(s.single_outlet),
                      str(s.conflicts))
    console.print(table)
