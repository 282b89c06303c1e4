"""Plain-text page cleaning: drop site chrome, find title / source URL / date line, mark captions.

All patterns come from ``data/chrome.toml`` and ``data/outlets.toml``; nothing outlet-specific here.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.config import DATA_DIR, HEADER_MAX_PARAGRAPHS, MAX_CAPTION_WORDS, MAX_TITLE_CHARS
from pipeline.ingest.metadata import FROM_BYLINE, banner_max_words, byline_dates, choose_published, outlet_of, site_outlet


@dataclass
class CleanPage:
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    caption_flags: list[bool] = field(default_factory=list)
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_from: str | None = None   # "byline" when ``published`` was read from one
    published_note: str | None = None   # why a date the page states was not taken

    def text_and_captions(self) -> tuple[str, list[tuple[int, int]]]:
        """Body text (paragraphs joined by blank lines) and the spans of caption paragraphs."""
        parts, caps, pos = [], [], 0
        for para, is_cap in zip(self.paragraphs, self.caption_flags):
            if parts:
                pos += 2
            if is_cap:
                caps.append((pos, pos + len(para)))
            parts.append(para)
            pos += len(para)
        return "\n\n".join(parts), caps


@lru_cache(maxsize=1)
def _rules() -> dict:
    with open(DATA_DIR / "chrome.toml", "rb") as fh:
        raw = tomllib.load(fh)
    flags = re.IGNORECASE
    return {
        "drop": [re.compile(p, flags) for p in raw["drop"]],
        "tail": [re.compile(p, flags) for p in raw["tail"]],
        "source": re.compile(raw["source"], flags),
        "lead_prefix": re.compile(raw["lead_prefix"]),
        "caption": [re.compile(p, flags) for p in raw["caption"]],
        "menu": re.compile(raw["menu_separators"]),
        "breadcrumb": re.compile(raw["breadcrumb_separators"]),
        "menu_min_items": raw["menu_min_items"],
        "menu_max_words": raw["menu_max_words"],
        "html_lead": re.compile(raw["html_lead"], flags),
        "html_lead_min_chars": raw["html_lead_min_chars"],
    }


_URL = re.compile(r"https?://\S+")
_TERMINAL = re.compile(r"""[.!?…:;"”»)\]]$""")


def is_caption(line: str) -> bool:
    return any(p.search(line) for p in _rules()["caption"])


def _is_chrome(line: str) -> bool:
    return any(p.fullmatch(line) for p in _rules()["drop"])


def _is_tail(line: str) -> bool:
    return any(p.fullmatch(line) for p in _rules()["tail"])


MAX_QUESTION_TITLE_CHARS = 160  # a first line ending in "?" or "!" up to this long, above the body, is the headline
_SENTENCE_END = re.compile(r"""[.!?…]["”»)]?$""")


def _is_paragraph(line: str) -> bool:
    """A body paragraph (a finished sentence of some length), as opposed to a headline or a label
    (a headline cut short by the page ends in "…": "The first meeting of the Steering Committee ...")."""
    cut_headline = line.endswith(("...", "…")) and len(line) <= MAX_TITLE_CHARS
    return len(line.split()) >= 8 and bool(_SENTENCE_END.search(line)) and not cut_headline


def is_menu(raw_line: str) -> bool:
    """A navigation menu, share bar or breadcrumb trail (``raw_line`` before spaces are collapsed:
    some menus separate their items by runs of spaces)."""
    rules = _rules()
    line = raw_line.strip()
    for sep, least in ((rules["menu"], rules["menu_min_items"]), (rules["breadcrumb"], 2)):
        items = [x for x in sep.split(line) if x.strip()]
        if len(items) >= least and all(len(x.split()) <= rules["menu_max_words"]
                                       and not _SENTENCE_END.search(x.strip()) for x in items):
            return True
    return False


def clean_text_page(raw: str) -> CleanPage:
    rules = _rules()
    page = CleanPage()
    raw_lines = raw.split("\n")
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in raw_lines]
    body: list[str] = []
    body_chars = 0
    paragraphs = 0
    menu_at = menus = 0  # body lines above the header's first menu: the site's banner, not the headline
    bylines: list[tuple[int, bool, list]] = []
    banner_outlet = None
    for n, line in enumerate(lines):
        if not line:
            continue
        m = rules["source"].fullmatch(line)
        if m:
            value = m.group("value").strip()
            url = _URL.search(value)
            if url and not page.url:
                page.url = url.group(0).rstrip(".,;)")
            elif not url and not page.outlet and len(value) < 60:
                page.outlet = outlet_of(value) or value
            continue
        if _is_tail(line) and body_chars > 200:
            break
        if _is_chrome(line):
            continue
        dates = byline_dates(line)
        if dates:  # a header or byline line: chrome, its dates are candidates for the publication date
            bylines.append((n, paragraphs < HEADER_MAX_PARAGRAPHS, dates))
            continue
        site = site_outlet(line) if not paragraphs and not _is_paragraph(line) else None
        if site:  # the site's banner ("Tuổi Trẻ Online"), not a lead "VOV.VN - Bộ ...": names the outlet
            banner_outlet = banner_outlet or site
            continue
        if not paragraphs and is_menu(raw_lines[n]):
            menu_at = menu_at if menus else len(body)
            menus += 1
            continue
        paragraphs += _is_paragraph(line)
        lead = rules["lead_prefix"].match(line)
        if lead:
            hint = lead.group("outlet")
            page.outlet = page.outlet or outlet_of(hint)
            line = line[lead.end():]
        body.append(line)
        body_chars += len(line)

    page.published, page.published_note = choose_published(bylines)
    page.published_from = FROM_BYLINE if page.published else None
    # Title: among the header's lines (above the first paragraph, below any menu), the longest that is
    # short, not a caption and not a finished sentence: a site name or an author line is shorter than
    # the headline. Header lines above it (a site banner, a section name) are dropped.
    header = next((i for i, ln in enumerate(body) if _is_paragraph(ln)), len(body))
    titles = [i for i in range(menu_at, header) if _title_like(body[i])]
    # A headline that asks or exclaims reads like a finished sentence: it is the title when nothing above
    # it could be one but a site's name ("Vietnam Kurier" above "Kann Vietnam ... erreichen?").
    if (all(_banner_like(body[i]) for i in titles) and header < len(body) - 1
            and _question_headline(body[header]) and all(i >= menu_at for i in titles)):
        titles = [header]
    if titles and len(body) > 1:
        t = max(titles, key=lambda i: (len(body[i].split()), -i))
        page.title = body[t].rstrip()
        body = body[t + 1:]
    elif menu_at:
        body = body[menu_at:]
    for line in body:
        page.paragraphs.append(line)
        page.caption_flags.append(is_caption(line) or _caption_like(line))
    page.outlet = page.outlet or banner_outlet
    if page.url and not page.outlet:
        page.outlet = outlet_of(page.url)
    elif page.url:
        page.outlet = outlet_of(page.url) or page.outlet
    return page


def _title_like(line: str) -> bool:
    unfinished = not line.endswith(".") or line.endswith(("...", "…"))
    return len(line) <= MAX_TITLE_CHARS and unfinished and not is_caption(line)


def _question_headline(line: str) -> bool:
    return line.endswith(("?", "!", "?”", "!”", '?"', '!"')) and len(line) <= MAX_QUESTION_TITLE_CHARS


def _banner_like(line: str) -> bool:
    """Could be a site's name: a few words, each capitalised (or a number or "&"), no sentence
    punctuation ("Vietnam Kurier", "Saigon Times Online"; not "Datenzentrum geht in Betrieb")."""
    words = line.split()
    if not words or len(words) > banner_max_words() or re.search(r"[.:;!?,]\s|[!?:;,]$", line):
        return False
    return all(w[0].isdigit() or w[0] == "&" or w[0].isupper() for w in words)


def _caption_like(line: str) -> bool:
    """A short line with no final punctuation between paragraphs: a photo caption."""
    return len(line.split()) <= MAX_CAPTION_WORDS and not _TERMINAL.search(line)


def html_lead(tree) -> str | None:
    """The page's lead paragraph set apart from the body (``class="detail-sapo"``, a standfirst), from a
    parsed lxml tree; None when the page marks none."""
    rules = _rules()
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "script", "style", "head", "title", "link"):
            continue
        marks = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
        if marks and rules["html_lead"].search(marks):
            text = re.sub(r"\s+", " ", el.text_content()).strip()
            if len(text) >= rules["html_lead_min_chars"]:
                return text
    return None
