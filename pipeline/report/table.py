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
_MIN_FACT = 24   # narrowest fact column of the grid
_MIN_CELL = 14   # narrowest outlet column of the grid; narrower than that, facts are listed one by one
_MAX_WORD = 24  # a column is never narrower than its longest word up to this (outlet names are not cut)


def _longest_word(*texts: str) -> int:
    return min(_MAX_WORD, max((len(w) for t in texts for w in t.split()), default=1))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def meeting_table(view: MeetingView, width: int = 200) -> Group:
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
    legend = Text("✓ carried, values agree   ≠ carried, values differ (conflict)   — not reported (omission)   "
                  "C commitment  P progress", style="dim")
    titles = [column_title(col) for col in view.columns]
    mins = [max(_MIN_CELL, _longest_word(t)) for t in titles]
    if 3 + _MIN_FACT + sum(mins) + 3 * (len(titles) + 2) + 1 > width:
        return Group(head, *_fact_blocks(view, titles, width), legend)
    table = Table(show_lines=True, expand=True, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True, width=3)
    table.add_column("fact", ratio=3, min_width=_MIN_FACT)
    for title, least in zip(titles, mins):
        table.add_column(title.replace(" + ", "\n+ "), ratio=2, overflow="fold", min_width=least)
    i = 0
    for key, title, rows in sections(view):
        table.add_row("", Text(f"{title} ({len(rows)})", style="bold red" if key == "conflicts" else "bold"),
                      *[Text("") for _ in view.columns])
        for row in rows:
            i += 1
            table.add_row(str(i), _fact_text(view, row), *[_cell_text(row, col) for col in view.columns])
    if not view.commitments:
        table.add_row("", Text("no commitments or progress statements extracted", style="dim"),
                      *[Text("") for _ in view.columns])
    return Group(head, table, legend)


def _fact_blocks(view: MeetingView, titles: list[str], width: int) -> list:
    """The diff for a terminal too narrow for one column per outlet: each fact, then one line per
    outlet with what it carried."""
    out: list = []
    label_width = max(8, min(max((len(t) for t in titles), default=8), width // 3))
    i = 0
    for key, title, rows in sections(view):
        out.append(Text(f"\n{title} ({len(rows)})", style="bold red" if key == "conflicts" else "bold"))
        for row in rows:
            i += 1
            fact = Table.grid(padding=(0, 1))
            fact.add_column(justify="right", width=3)
            fact.add_column()
            fact.add_row(Text(str(i), style="bold"), _fact_text(view, row))
            cells = Table.grid(padding=(0, 1))
            cells.add_column(width=3)
            cells.add_column(width=label_width, overflow="fold", style="bold")
            cells.add_column()
            for title, col in zip(titles, view.columns):
                cells.add_row("", title.replace(" + ", "\n+ "), _cell_text(row, col))
            out.extend([Text(""), fact, cells])
    if not view.commitments:
        out.append(Text("no commitments or progress statements extracted", style="dim"))
    return out


def _fact_text(view: MeetingView, row) -> Text:
    """A fact's own cell: kind, text, agreed values, details and tracking links."""
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
            main.append(f"\n↳ {RELATION[link.relation]} a {link.to_meeting_date} commitment{changed}", style="yellow")
    return main


def _cell_text(row, col) -> Text:
    """What one outlet carried of one fact."""
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
    return t


def print_meeting(view: MeetingView, console: Console) -> None:
    console.print(meeting_table(view, console.width))


_INDEX = ("committee", "date", "meeting", "cluster", "outlets", "facts", "all", "one only", "conflicts")


def print_index(views: list[MeetingView], console: Console) -> None:
    """One row per meeting, outlets one per line, every column at least as wide as its longest word (up
    to 24 characters) so names wrap between words, never inside one. Where the table does not fit the
    terminal (80 columns), each meeting is a short block of lines instead."""
    rows = []
    for v in sorted(views, key=lambda v: (committee_of(v.cluster) is None, committee_of(v.cluster) or "",
                                          v.cluster.date or "9999", v.cluster.cluster_id)):
        s = summarize(v)
        outlets = [col.label + (f" (+{len(col.copies)} cop{'ies' if len(col.copies) > 1 else 'y'})"
                                if col.copies else "") for col in v.columns]
        rows.append((committee_of(v.cluster) or "?", v.cluster.date or "?", _short(v.cluster.label, 60),
                     v.cluster.cluster_id, "\n".join(outlets), str(s.rows), str(s.all_outlets),
                     str(s.single_outlet), str(s.conflicts)))
    mins = [_longest_word(name.split()[0] if i >= 5 else name, *(r[i] for r in rows))
            for i, name in enumerate(_INDEX)]
    if sum(mins) + 3 * len(mins) + 1 > console.width:
        _print_index_blocks(rows, console)
        return
    table = Table(title="meetings", header_style="bold")
    for i, name in enumerate(_INDEX):
        numeric = i >= 5
        table.add_column(name, justify="right" if numeric else "left", no_wrap=name in ("date", "cluster"),
                         min_width=mins[i], ratio=None if numeric or name in ("date", "cluster") else 1)
    for r in rows:
        table.add_row(*r)
    console.print(table)


def _print_index_blocks(rows: list[tuple[str, ...]], console: Console) -> None:
    from rich.padding import Padding

    console.print(Text(f"meetings ({len(rows)})", style="bold"))
    for committee, date, label, cid, outlets, facts_, every, one, conflicts in rows:
        head = Text()
        head.append(f"\n{date}  ", style="bold")
        head.append(cid, style="bold cyan")
        console.print(head)
        body = Text()
        body.append(f"{label}\n")
        if committee != "?":
            body.append(f"{committee}\n", style="dim")
        body.append("outlets: ", style="dim")
        body.append(", ".join(outlets.split("\n")) + "\n")
        body.append(f"{facts_} facts: {every} carried by every outlet, {one} by one only, ", style="dim")
        body.append(f"{conflicts} in conflict", style="bold red" if conflicts != "0" else "dim")
        console.print(Padding(body, (0, 0, 0, 2)))
