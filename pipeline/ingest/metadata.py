"""Metadata helpers: outlet from a URL; the publication date from a header or byline line, the HTML
metadata, a URL date code or an input field, with where it came from.

Dates inside a line are found and read by dateparser (weekday names, month names and numeric forms in
Vietnamese, English and German); what makes a line a byline, which label marks a publication date
and which an update, and how a URL codes a date are data (``data/outlets.toml``). A date is never
guessed: a day and month without a year is no publication date (the dateline "Chiều 24/9" is the
meeting day), and a date after the run's day is rejected with a reason.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from pipeline.config import (BYLINE_MAX_CHARS, BYLINE_MAX_RESIDUE_WORDS, BYLINE_MAX_RESIDUE_WORDS_TIMESTAMP, DATA_DIR,
                             MIN_PUBLISHED_YEAR)

# Where a publication date came from (Document.published_from).
FROM_HTML = "html-meta"
FROM_BYLINE = "byline"
FROM_URL = "url"
FROM_INPUT = "input"


@lru_cache(maxsize=1)
def _outlets() -> dict:
    with open(DATA_DIR / "outlets.toml", "rb") as fh:
        data = tomllib.load(fh)
    data["url_dates"] = [re.compile(p) for p in data["url_dates"]]
    by = data["byline"]

    def words(key: str) -> re.Pattern:
        alts = "|".join(re.escape(w) for w in sorted(by[key], key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)

    data["published_label"] = words("published_labels")
    data["updated_label"] = words("updated_labels")
    data["filler"] = words("filler")
    data["time"] = re.compile(by["time"], re.IGNORECASE)
    data["date_shape"] = re.compile(by["date_shape"])
    data["year"] = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
    return data


@lru_cache(maxsize=1)
def _sites() -> tuple[re.Pattern, dict[str, str]]:
    names = {k.casefold(): v for k, v in _outlets().get("sites", {}).items()}
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?P<name>{alts})(?:\s*$|\s+[-–—|:]\s)", re.IGNORECASE), names


def site_outlet(line: str) -> str | None:
    """The outlet a site's banner line names ("Tuổi Trẻ Online", "VietnamPlus - Vietnam News Agency"),
    from ``[sites]`` in data/outlets.toml; None when the line is not a known site's banner."""
    pattern, names = _sites()
    if not names:
        return None
    m = pattern.match(line.strip())
    return names.get(m.group("name").casefold()) if m else None


def banner_max_words() -> int:
    return int(_outlets().get("banner", {}).get("max_words", 0))


def outlet_of(url: str | None) -> str | None:
    """Host name without ``www.``; None when the URL has no host."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def today() -> dt.date:
    """The run's day: a publication date after it is in the future (module-level for tests)."""
    return dt.date.today()


def _valid(y: str, m: str, d: str) -> str | None:
    """ISO date from year, month, day strings; a two-digit year is 20yy, any other year below
    MIN_PUBLISHED_YEAR (or an impossible day) gives None."""
    year = int(y)
    if len(y) <= 2:
        year += 2000
    try:
        day = dt.date(year, int(m), int(d))
    except ValueError:
        return None
    if day.year < MIN_PUBLISHED_YEAR:
        return None
    return day.isoformat()


def date_from_url(url: str | None) -> str | None:
    """A date coded in the URL's path (``/2025/09/24/``, ``-20250924…``, VCCorp ids), if it is a
    calendar date no later than the run's day."""
    if not url:
        return None
    path = urlsplit(url).path if "//" in url else url
    for pat in _outlets()["url_dates"]:
        for m in pat.finditer(path):
            g = m.groupdict()
            if g.get("d") is None:
                continue
            iso = _valid(g["y"], g["m"], g["d"])
            if iso and iso <= today().isoformat():
                return iso
    return None


# ------------------------------------------------------------------ dates in a line
@dataclass(frozen=True)
class LineDate:
    """One date written in a line: its ISO value (None when it is no calendar date), its span,
    and the label written before it ("published", "updated" or None)."""

    iso: str | None
    start: int
    end: int
    label: str | None
    text: str
    timestamp: bool = False   # the byline gives a clock time too ("24/09/2025 17:30")


def _dateparser_settings() -> dict:
    return {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"],
            # absolute dates only: "2 giờ trước" / "vor 2 Stunden" would resolve against the clock
            "PARSERS": ["custom-formats", "absolute-time"]}


@lru_cache(maxsize=4096)
def _search(line: str) -> tuple[tuple[str, str], ...]:
    """(matched text, ISO date) pairs in order, as dateparser reads them (cached: sidebars repeat)."""
    from dateparser.search import search_dates

    found = search_dates(line, languages=_outlets()["byline"]["languages"], settings=_dateparser_settings())
    out = []
    for text, when in found or ():
        iso = _valid(str(when.year), str(when.month), str(when.day))
        if iso and _outlets()["year"].search(text):  # the year must be written, never filled in
            out.append((text, iso))
    return tuple(out)


def dates_in_line(line: str) -> list[LineDate]:
    """Every full date (day, month and year) written in ``line``, with its label; a date-shaped
    token that is no calendar date ("31/02/2025") is listed with ``iso=None``."""
    conf = _outlets()
    if not conf["year"].search(line):
        return []
    found: list[tuple[int, int, str | None, str]] = []
    pos = 0
    for text, iso in _search(line):
        at = line.find(text, pos)
        if at < 0:
            continue
        found.append((at, at + len(text), iso, text))
        pos = at + len(text)
    for m in conf["date_shape"].finditer(line):  # numeric dates dateparser refused: not calendar dates
        if not any(a < m.end() and m.start() < b for a, b, _, _ in found):
            found.append((m.start(), m.end(), None, m.group(0)))
    found.sort()
    out = []
    prev = 0
    for a, b, iso, text in found:
        before = line[prev:a]
        label = None
        pub = list(conf["published_label"].finditer(before))
        upd = list(conf["updated_label"].finditer(before))
        last_pub = pub[-1].start() if pub else -1
        last_upd = upd[-1].start() if upd else -1
        if last_pub >= 0 or last_upd >= 0:
            label = "published" if last_pub > last_upd else "updated"
        out.append(LineDate(iso, a, b, label, text))
        prev = b
    return out


def byline_dates(line: str) -> list[LineDate] | None:
    """The dates of a header or byline line, or None when ``line`` is not one.

    A byline holds dates plus at most BYLINE_MAX_RESIDUE_WORDS other words (a section, an author, a
    place) besides labels, weekdays, times and time zones (BYLINE_MAX_RESIDUE_WORDS_TIMESTAMP when it
    gives a clock time: "Thứ Tư, 24/09/2025 - 17:30 | Nhóm phóng viên Chính trị - Xã hội"), or two or
    more timestamps (a header that
    also shows a sidebar story's time). A sentence that mentions a date ("… trước ngày 31/12/2025.")
    is not one."""
    line = line.strip()
    if not line or len(line) > BYLINE_MAX_CHARS:
        return None
    conf = _outlets()
    if not conf["year"].search(line):
        return None
    stamps = len(conf["time"].findall(line))
    allowed = BYLINE_MAX_RESIDUE_WORDS_TIMESTAMP if stamps else BYLINE_MAX_RESIDUE_WORDS
    if stamps < 2:  # cheap test before dateparser: a written date adds at most a few words ("tháng", "năm")
        rough = line
        for pat in ("time", "published_label", "updated_label", "filler"):
            rough = conf[pat].sub(" ", rough)
        if len(re.findall(r"[^\W\d_]{2,}", rough)) > allowed + 4:
            return None
    dates = dates_in_line(line)
    if not dates:
        return None
    rest = []
    prev = 0
    for d in dates:
        rest.append(line[prev:d.start])
        prev = d.end
    rest.append(line[prev:])
    residue = " ".join(rest)
    for pat in ("time", "published_label", "updated_label", "filler"):
        residue = conf[pat].sub(" ", residue)
    words = re.findall(r"[^\W\d_]{2,}", residue)
    ends_sentence = re.search(r"[.!?…]$", line) and not re.search(r"\d[.]?$", line)
    if ends_sentence and len(words) > 2:
        return None
    if len(words) <= allowed or (stamps >= 2 and len(dates) >= 2):
        return [d if not stamps else LineDate(d.iso, d.start, d.end, d.label, d.text, True) for d in dates]
    return None


def date_from_line(line: str) -> str | None:
    """The publication date a single header line states (its last unlabelled or published date),
    else None: a convenience for one line; pages use :func:`choose_published`."""
    dates = byline_dates(line)
    if not dates:
        return None
    published, _ = choose_published([(0, True, dates)])
    return published


# ------------------------------------------------------------------ choosing the publication date
def _future(iso: str) -> bool:
    return iso > today().isoformat()


def choose_published(lines: list[tuple[int, bool, list[LineDate]]]) -> tuple[str | None, str | None]:
    """The publication date from a page's byline lines, and a note when a stated date was refused.

    ``lines``: (line number, in the header?, dates of that byline) in page order. In order of trust:
    a date labelled as the publication date ("Published", "Ngày đăng", "Veröffentlicht"); else the
    header's unlabelled dates, taking the last date of each line (a header that also shows a sidebar
    story's time lists the article's own last); else a date labelled as an update ("Cập nhật",
    "Updated"), the page's only timestamp on many outlets; else a timestamp (date and clock time)
    below the article's start ("Ngọc Anh | 24/09/2025 17:30" at its foot). An unlabelled date without a
    time below the start (a signature "Hà Nội, ngày 19 tháng 11 năm 2025") is not its publication date.
    Two different dates of one kind (a related-stories list), a date after the run's day, or a byline
    date that is no calendar date give None and a note (never a guess)."""
    notes: list[str] = []
    published: list[str] = []
    plain: list[str] = []
    updated: list[str] = []
    footer: list[str] = []
    for _n, header, dates in lines:
        line_plain = [d for d in dates if d.label is None]
        for d in dates:
            if d.iso is None:
                if d.label or header:
                    notes.append(f"byline date '{d.text}' is not a calendar date")
                continue
            if _future(d.iso):
                notes.append(f"byline date {d.iso} is after the run's day ({today().isoformat()})")
                continue
            if d.label == "published":
                published.append(d.iso)
            elif d.label == "updated":
                updated.append(d.iso)
        own = [d for d in line_plain if d.iso and not _future(d.iso)]
        if own and header:
            plain.append(own[-1].iso)
        elif own and own[-1].timestamp:
            footer.append(own[-1].iso)
    for kind, found in (("publication", published), ("header", plain), ("update", updated), ("footer", footer)):
        distinct = sorted(set(found))
        if len(distinct) == 1:
            return distinct[0], None
        if len(distinct) > 1:
            return None, f"conflicting {kind} dates in the byline ({', '.join(distinct)}): none taken"
    return None, "; ".join(dict.fromkeys(notes)) or None


def normalise_date(value: str | None) -> tuple[str | None, str | None]:
    """(ISO date, note) from a metadata value (ISO datetime, yyyy-mm-dd, dd/mm/yyyy, a written date).
    The date is as written (no time-zone shift); a year below MIN_PUBLISHED_YEAR, an impossible day or
    a date after the run's day gives None and a note."""
    if not value:
        return None, None
    value = str(value).strip()
    m = re.match(r"(\d{1,4})-(\d{1,2})-(\d{1,2})(?![\d])", value)
    if m:
        iso = _valid(*m.groups()) if len(m.group(1)) == 4 else None
        if iso is None:
            return None, f"date '{value[:40]}' is not a calendar date from {MIN_PUBLISHED_YEAR} on"
    else:
        dates = [d for d in dates_in_line(value[:BYLINE_MAX_CHARS])]
        if not dates or dates[0].iso is None:
            return None, f"date '{value[:40]}' could not be read"
        iso = dates[0].iso
    if _future(iso):
        return None, f"date {iso} is after the run's day ({today().isoformat()})"
    return iso, None
