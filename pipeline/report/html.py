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
from pipeline.merge import MeetingView
from pipeline.report import RELATION, agreed_facts, cell, facts, summarize

CSS = """
:root { --ink:#1d232b; --muted:#5f6b7a; --line:#d5dbe3; --agree:#eaf6ec; --agree-ink:#1f6b32;
        --conflict:#fde8e6; --conflict-ink:#a4161a; --omit:#f4f5f7; --omit-ink:#8a94a3; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink);
       margin: 24px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.meta, .muted { color: var(--muted); }
.summary { margin: 8px 0 16px; }
.summary span { display: inline-block; margin-right: 14px; }
table.diff { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.diff th, table.diff td { border: 1px solid var(--line); padding: 8px 10px; vertical-align: top; text-align: left; }
table.diff thead th { background: #f0f3f7; position: sticky; top: 0; }
table.diff th.num { width: 36px; } table.diff th.what { width: 30%; }
.outlet-name { font-weight: 600; } .lang, .kind { display: inline-block; font-size: 11px; padding: 0 5px;
  border-radius: 3px; background: #e4e8ee; color: #37414d; margin-right: 4px; text-transform: uppercase; }
.kind.commitment { background: #dbe9ff; color: #1b4b91; } .kind.progress { background: #efe1fb; color: #5b2a86; }
.agreed { font-weight: 600; margin-top: 4px; }
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
table.index { border-collapse: collapse; width: 100%; } table.index th, table.index td {
  border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
"""


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _attr(v: str) -> str:
    return escape(v, quote=True)


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


def meeting_html(view: MeetingView) -> str:
    c = view.cluster
    s = summarize(view)
    head = [f"<h1>{escape(c.label)}</h1>",
            f'<div class="meta">meeting {escape(c.date or "date unknown")} · cluster <code>{escape(c.cluster_id)}</code>'
            f' · {len(view.columns)} outlet(s) · <a href="index.html">all meetings</a></div>',
            '<div class="summary">'
            f'<span data-count="rows">{s.rows} rows</span><span>{s.commitments} commitments</span>'
            f'<span>{s.progress} progress</span><span>{s.all_outlets} carried by every outlet</span>'
            f'<span>{s.single_outlet} by one outlet only</span>'
            f'<span data-count="conflicts">{s.conflicts} with conflicts</span></div>',
            '<div class="legend"><span class="cell agree" style="background:var(--agree)">carried, agrees</span>'
            '<span style="background:var(--conflict)">carried, conflicts</span>'
            '<span style="background:var(--omit)">not reported</span></div>']
    cols = ['<th class="num">#</th>', '<th class="what">commitment (merged)</th>']
    for col in view.columns:
        link = f'<div class="muted"><a href="{_attr(col.url)}">{escape(col.doc_id)}</a></div>' if col.url else \
            f'<div class="muted">{escape(col.doc_id)}</div>'
        copies = "".join(f'<div class="muted copy-of">+ copy <span class="lang">{escape(cp.lang or "?")}</span>'
                         f'{escape(cp.doc_id)}</div>' for cp in col.copies)
        cols.append(f'<th data-outlet="{_attr(col.label)}"><span class="outlet-name">{escape(col.label)}</span> '
                    f'<span class="lang">{escape(col.lang or "?")}</span>{link}{copies}</th>')
    rows = []
    for i, row in enumerate(view.commitments, start=1):
        what = [f'<span class="kind {row.kind}">{row.kind}</span>{escape(row.text)}']
        agreed = agreed_facts(row)
        if agreed:
            what.append(f'<div class="agreed">{escape(agreed)}</div>')
        for link in view.earlier:
            if link.to_id == row.id:
                changed = (f"; deadline changed {link.from_deadline} → {link.to_deadline}"
                           if link.deadline_changed else "")
                what.append(f'<div class="track" data-relation="{link.relation}">↳ {escape(RELATION[link.relation])} the '
                            f'{escape(link.from_meeting_date or "")} commitment: “{escape(link.from_text)}”'
                            f'{escape(changed)}</div>')
        tds = [f'<td class="num">{i}</td>', f'<td class="what">{"".join(what)}</td>']
        for col in view.columns:
            cl = cell(row, col)
            base = f'class="cell {cl.state}" data-outlet="{_attr(col.label)}" data-state="{cl.state}"'
            if cl.state == "omitted":
                tds.append(f'<td {base}><span class="state">not reported</span></td>')
                continue
            parts = []
            if cl.state == "conflict":
                fields = " ".join(sorted(cl.values))
                base += f' data-conflict="{_attr(fields)}"'
                for cf in cl.conflicts:
                    others = "; ".join(f"{k}: {v}" for k, v in cf.values.items() if k != col.label)
                    parts.append(f'<div class="conflict-label" data-field="{cf.field}">Conflict on {cf.field}: '
                                 f'{escape(cf.values[col.label])} <span class="muted">(elsewhere: {escape(others)})'
                                 f'</span></div>')
            else:
                parts.append('<div class="state">carried</div>')
            first = cl.sources[0]
            if first.copy_of:  # only the copy carried it (the original's sentence was not extracted)
                parts.append(f'<div class="copy" data-copy-of="{_attr(first.copy_of)}">copy '
                             f'<span class="lang">{escape(first.lang or "?")}</span>{escape(first.doc_id)}'
                             f'{_source_block(first, None)}</div>')
            else:
                parts.append(_source_block(first, col.lang))
            for cp in cl.sources[1:]:
                parts.append(f'<div class="copy" data-copy-of="{_attr(cp.copy_of or "")}">copy '
                             f'<span class="lang">{escape(cp.lang or "?")}</span>{escape(cp.doc_id)}'
                             f'{_source_block(cp, None)}</div>')
            tds.append(f'<td {base}>{"".join(parts)}</td>')
        rows.append(f'<tr class="row" data-row-id="{_attr(row.id)}" data-kind="{row.kind}">{"".join(tds)}</tr>')
    if not rows:
        rows.append(f'<tr><td colspan="{len(cols)}" class="muted">no commitments or progress statements extracted</td></tr>')
    table = (f'<table class="diff"><thead><tr>{"".join(cols)}</tr></thead>\n<tbody>\n' + "\n".join(rows) +
             "\n</tbody></table>")
    return _page(f"{c.label} — outlet diff", "\n".join(head) + "\n" + table)


def index_html(views: list[MeetingView]) -> str:
    rows = []
    for v in sorted(views, key=lambda v: (v.cluster.date or "9999", v.cluster.cluster_id)):
        s = summarize(v)
        outlets = "<br>".join(escape(col.label) + "".join(
            f' <span class="muted">+ copy {escape(cp.lang or "?")} ({escape(cp.doc_id)})</span>' for cp in col.copies)
            for col in v.columns)
        rows.append(f'<tr data-cluster="{_attr(v.cluster.cluster_id)}"><td>{escape(v.cluster.date or "?")}</td>'
                    f'<td><a href="{_attr(v.cluster.cluster_id)}.html">{escape(v.cluster.label)}</a></td>'
                    f'<td>{outlets}</td><td>{s.rows}</td><td>{s.commitments}</td><td>{s.progress}</td>'
                    f'<td>{s.all_outlets}</td><td>{s.single_outlet}</td><td>{s.conflicts}</td></tr>')
    body = ("<h1>Meetings</h1><p class=\"muted\">Each page compares what the outlets reporting one meeting "
            "carried: commitments as rows, outlets as columns.</p>"
            '<table class="index"><thead><tr><th>date</th><th>meeting</th><th>outlets</th><th>rows</th>'
            "<th>commitments</th><th>progress</th><th>carried by all</th><th>one outlet only</th><th>conflicts</th>"
            "</tr></thead><tbody>" + "\n".join(rows) + "</tbody></table>")
    return _page("Meetings — outlet diff", body)


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
