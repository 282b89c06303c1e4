"""Self-contained HTML pages of the meeting diff: OUT/diff/<cluster_id>.html and OUT/diff/index.html.

Inline CSS only: no scripts, fonts or images, so a page opens offline and can be mailed as one file.
Machine-findable markup: every commitment row is ``<tr class="row" data-row-id=… data-kind=…>``,
every outlet cell ``<td class="cell agree|conflict|omitted" data-outlet=… data-state=…>``; a
conflict cell carries ``data-conflict="date figure"`` (the disputed fields) and a visible label.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from pipeline.io import AtomicWriter
from pipeline.meetings import MeetingView
from pipeline.report import (MAX_COPIES_SHOWN, RELATION, agreed_facts, cell, committee_of, facts, others,
                             sections, summarize)

CSS = """
:root { --ink:#1d232b; --muted:#5f6b7a; --line:#d5dbe3; --agree:#eaf6ec; --agree-ink:#1f6b32;
        --conflict:#fde8e6; --conflict-ink:#a4161a; --omit:#f4f5f7; --omit-ink:#8a94a3; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink);
       margin: 24px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
a { color: #1b4b91; }
.meta, .muted { color: var(--muted); }
.summary { margin: 8px 0 16px; }
.summary span { display: inline-block; margin-right: 14px; }
.note { margin: 8px 0; padding: 6px 10px; background: #fff7e0; border-left: 4px solid #e0b100; }
.scroll { overflow-x: auto; }
table.diff { border-collapse: collapse; width: 100%; table-layout: auto; }
table.diff th, table.diff td { border: 1px solid var(--line); padding: 8px 10px; vertical-align: top; text-align: left; }
table.diff thead th { background: #f0f3f7; position: sticky; top: 0; }
table.diff th.num { width: 36px; } table.diff td.what { min-width: 280px; width: 30%; }
table.diff td.cell { min-width: 200px; }
tr.group th { background: #e9edf3; font-size: 13px; text-transform: uppercase; letter-spacing: .03em; }
tr.group.conflicts th { background: var(--conflict); color: var(--conflict-ink); }
.outlet-name { font-weight: 600; white-space: nowrap; } .lang, .kind { display: inline-block; font-size: 11px;
  padding: 0 5px; border-radius: 3px; background: #e4e8ee; color: #37414d; margin-right: 4px; text-transform: uppercase; }
.kind.commitment { background: #dbe9ff; color: #1b4b91; } .kind.progress { background: #efe1fb; color: #5b2a86; }
.agreed { font-weight: 600; margin-top: 4px; }
.details { font-size: 12px; color: var(--muted); margin-top: 4px; }
.track { margin-top: 4px; font-size: 12px; color: #7a5a00; }
td.cell.agree { background: var(--agree); }
td.cell.conflict { background: var(--conflict); box-shadow: inset 4px 0 0 var(--conflict-ink); }
td.cell.omitted { background: var(--omit); color: var(--omit-ink); font-style: italic; }
.state { font-size: 11px; font-weight: 700; letter-spacing: .03em; text-transform: uppercase; }
.agree .state { color: var(--agree-ink); } .conflict .state { color: var(--conflict-ink); }
.conflict-label { color: var(--conflict-ink); font-weight: 600; margin: 2px 0 6px; }
blockquote { margin: 4px 0; padding-left: 8px; border-left: 3px solid var(--line); }
.english { color: #2d3a48; font-size: 13px; margin: 2px 0 4px; } .english::before { content: "EN: "; color: var(--muted); }
.facts { font-size: 12px; color: var(--muted); }
.copy { margin-top: 6px; padding-top: 4px; border-top: 1px dashed var(--line); font-size: 12px; }
.legend span { display: inline-block; padding: 2px 8px; margin-right: 8px; border-radius: 3px; }
table.index { border-collapse: collapse; width: 100%; margin-bottom: 8px; } table.index th, table.index td {
  border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
table.index td.n { text-align: right; } table.index td.n.conflicts { color: var(--conflict-ink); font-weight: 600; }
"""


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _attr(v: str) -> str:
    return escape(v, quote=True)


def _link(url: str | None, text: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a{c} href="{_attr(url)}">{escape(text)}</a>'
    return f"<span{c}>{escape(text)}</span>"


def _source_block(src, lang_default: str | None) -> str:
    lang = src.lang or lang_default or "und"
    out = [f'<blockquote lang="{_attr(lang)}" class="source"><span class="lang">{escape(lang)}</span>'
           f'{escape(src.source_text)}</blockquote>']
    if lang != "en" and src.text != src.source_text:
        out.append(f'<div class="english" lang="en">{escape(src.text)}</div>')
    f = facts(src)
    if f:
        out.append(f'<div class="facts">{escape(f)}</div>')
    return "".join(out)


def _copy_block(src) -> str:
    return (f'<div class="copy" data-copy-of="{_attr(src.copy_of or "")}">copy '
            f'<span class="lang">{escape(src.lang or "?")}</span>{escape(src.doc_id)}{_source_block(src, None)}</div>')


def _what(view: MeetingView, row) -> str:
    what = [f'<span class="kind {row.kind}">{row.kind}</span>{escape(row.text)}']
    agreed = agreed_facts(row)
    if agreed:
        what.append(f'<div class="agreed">{escape(agreed)}</div>')
    if row.details:
        what.append('<div class="details">less detail: ' + "; ".join(
            f"{escape(d.outlet)} {escape(d.note)}" for d in row.details) + "</div>")
    for link in view.earlier:
        if link.from_id == row.id:
            changed = (f"; deadline changed {link.to_deadline} → {link.from_deadline}"
                       if link.deadline_changed else "")
            what.append(f'<div class="track" data-relation="{link.relation}">↳ {escape(RELATION[link.relation])} the '
                        f'{escape(link.to_meeting_date or "")} commitment: “{escape(link.to_text)}”'
                        f'{escape(changed)}</div>')
    return "".join(what)


def _cell(row, col) -> str:
    cl = cell(row, col)
    base = f'class="cell {cl.state}" data-outlet="{_attr(col.label)}" data-state="{cl.state}"'
    if cl.state == "omitted":
        return f'<td {base}><span class="state">not reported</span></td>'
    parts = []
    if cl.state == "conflict":
        base += f' data-conflict="{_attr(" ".join(sorted(cl.values)))}"'
        for cf in cl.conflicts:
            mine = cl.values[cf.field]
            parts.append(f'<div class="conflict-label" data-field="{cf.field}">Conflict on {cf.field}: '
                         f'{escape(mine.value)} <span class="muted">(elsewhere: {escape(others(cf, col.label))})'
                         f'</span></div>')
    else:
        parts.append('<div class="state">carried</div>')
    first = cl.sources[0]
    parts.append(_copy_block(first) if first.copy_of else _source_block(first, col.lang))
    shown = cl.sources[1:1 + MAX_COPIES_SHOWN]
    parts.extend(_copy_block(cp) for cp in shown)
    rest = len(cl.sources) - 1 - len(shown)
    if rest > 0:
        parts.append(f'<div class="copy muted" data-more-copies="{rest}">+ {rest:,} more copies carry it</div>')
    return f'<td {base}>{"".join(parts)}</td>'


def meeting_html(view: MeetingView) -> str:
    c = view.cluster
    s = summarize(view)
    committee = committee_of(c)
    head = [f"<h1>{escape(c.label)}</h1>",
            f'<div class="meta">{escape(committee) + " · " if committee else ""}meeting {escape(c.date or "date unknown")}'
            f' · cluster <code>{escape(c.cluster_id)}</code> · {len(view.columns)} outlet(s) · '
            '<a href="index.html">all meetings</a></div>',
            '<div class="summary">'
            f'<span data-count="rows">{s.rows} facts</span><span>{s.commitments} commitments</span>'
            f'<span>{s.progress} progress</span>'
            f'<span data-count="conflicts">{s.conflicts} in conflict</span>'
            f'<span data-count="shared">{s.shared} carried by two or more outlets</span>'
            f'<span data-count="all">{s.all_outlets} by every outlet</span>'
            f'<span data-count="single">{s.single_outlet} by one outlet only</span></div>',
            '<div class="legend"><span style="background:var(--agree)">carried, agrees</span>'
            '<span style="background:var(--conflict)">carried, conflicts</span>'
            '<span style="background:var(--omit)">not reported</span></div>']
    if len(view.columns) == 1:
        head.append('<div class="note" data-note="one-outlet">One outlet reported this meeting: there is nothing to '
                    'compare its facts with.</div>')
    cols = ['<th class="num">#</th>', '<th class="what">fact (merged)</th>']
    for col in view.columns:
        copies = "".join(f'<div class="muted copy-of">+ copy <span class="lang">{escape(cp.lang or "?")}</span>'
                         f'{_link(cp.url, cp.doc_id)}</div>' for cp in col.copies[:MAX_COPIES_SHOWN])
        if len(col.copies) > MAX_COPIES_SHOWN:
            copies += f'<div class="muted copy-of">+ {len(col.copies) - MAX_COPIES_SHOWN:,} more copies</div>'
        cols.append(f'<th data-outlet="{_attr(col.label)}">{_link(col.url, col.label, "outlet-name")} '
                    f'<span class="lang">{escape(col.lang or "?")}</span>'
                    f'<div class="muted">{escape(col.doc_id)}</div>{copies}</th>')
    body = []
    i = 0
    for key, title, rows in sections(view):
        body.append(f'<tbody class="section" data-section="{key}"><tr class="group {key}"><th colspan="{len(cols)}">'
                    f'{escape(title)} <span data-count="{key}">({len(rows)})</span></th></tr>')
        for row in rows:
            i += 1
            tds = [f'<td class="num">{i}</td>', f'<td class="what">{_what(view, row)}</td>']
            tds.extend(_cell(row, col) for col in view.columns)
            body.append(f'<tr class="row" data-row-id="{_attr(row.id)}" data-kind="{row.kind}" data-section="{key}">'
                        f'{"".join(tds)}</tr>')
        body.append("</tbody>")
    if not view.commitments:
        body.append(f'<tbody><tr><td colspan="{len(cols)}" class="muted">no commitments or progress statements '
                    "extracted from these reports</td></tr></tbody>")
    table = (f'<div class="scroll"><table class="diff"><thead><tr>{"".join(cols)}</tr></thead>\n' +
             "\n".join(body) + "\n</table></div>")
    return _page(f"{c.label} — outlet diff", "\n".join(head) + "\n" + table)


def index_html(views: list[MeetingView]) -> str:
    by_committee: dict[str, list[MeetingView]] = {}
    for v in views:
        by_committee.setdefault(committee_of(v.cluster) or "", []).append(v)
    parts = ['<h1>Meetings</h1><p class="muted">Each page compares what the outlets reporting one meeting carried: '
             "facts as rows, outlets as columns; conflicts first.</p>"]
    for committee in sorted(by_committee, key=lambda k: (k == "", k)):
        group = sorted(by_committee[committee], key=lambda v: (v.cluster.date or "9999", v.cluster.cluster_id))
        title = committee or "Committee not named"
        parts.append(f'<h2 data-committee="{_attr(committee)}">{escape(title)} <span class="muted">({len(group)} '
                     f'meeting{"s" if len(group) != 1 else ""})</span></h2>')
        rows = []
        for v in group:
            s = summarize(v)
            outlets = "<br>".join(escape(col.label) + (
                f' <span class="muted">+ {len(col.copies)} cop{"ies" if len(col.copies) != 1 else "y"} '
                f'({escape(", ".join(cp.lang or "?" for cp in col.copies[:MAX_COPIES_SHOWN]))}'
                f'{"…" if len(col.copies) > MAX_COPIES_SHOWN else ""})</span>' if col.copies else "")
                for col in v.columns)
            rows.append(f'<tr data-cluster="{_attr(v.cluster.cluster_id)}"><td>{escape(v.cluster.date or "?")}</td>'
                        f'<td><a href="{_attr(v.cluster.cluster_id)}.html">{escape(v.cluster.label)}</a></td>'
                        f'<td>{outlets}</td><td class="n">{s.rows}</td><td class="n">{s.all_outlets}</td>'
                        f'<td class="n">{s.single_outlet}</td><td class="n conflicts">{s.conflicts}</td></tr>')
        parts.append('<table class="index"><thead><tr><th>date</th><th>meeting</th><th>outlets</th><th>facts</th>'
                     "<th>carried by all outlets</th><th>by one outlet</th><th>in conflict</th></tr></thead><tbody>"
                     + "\n".join(rows) + "</tbody></table>")
    if not views:
        parts.append('<p class="muted">No meetings in this run.</p>')
    return _page("Meetings — outlet diff", "\n".join(parts))


def write_pages(views: list[MeetingView], out_dir: Path, only: MeetingView | None = None) -> list[Path]:
    """Write OUT/diff/<cluster_id>.html (for `only`, or every meeting) and OUT/diff/index.html."""
    folder = Path(out_dir) / "diff"
    written = []
    for v in ([only] if only else views):
        path = folder / f"{v.cluster.cluster_id}.html"
        with AtomicWriter(path) as fh:
            fh.write(meeting_html(v))
        written.append(path)
    index = folder / "index.html"
    with AtomicWriter(index) as fh:
        fh.write(index_html(views))
    written.append(index)
    return written
