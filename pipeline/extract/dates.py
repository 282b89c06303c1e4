"""Date mentions in English text, resolved to ISO periods against the article's publication date.

    find_dates(text, published) -> list[DateMention]
    to_datespan(mention, kind) -> DateSpan

Pure regular expressions, compiled once at import from ``data/en/dates.toml`` (month names, cue
words and their roles, part/edge words). The grammar, in short:

* a *core* is a date expression: a day ("September 24, 2025", "24 September", "24/9/2025"),
  a month ("May 2025", "September"), a quarter ("the fourth quarter of 2025", "Q4 2025",
  "quarter IV/2025"), a half ("the first half of 2026", "H1 2026"), "the first 8 months of the
  year" / "the last 3 months of 2025", "the rest of the year", a year ("2025"), a year range
  ("2021-2030", "the period 2021–2025") or a relative year, quarter or month ("this year", "next
  quarter", "next month", "year-end", "mid-year"); optionally behind an edge ("the end of", "the
  beginning of") or a part word ("early", "mid-", "late"), which are matched backwards from the core.
* a *cue* right before the core gives the role and is part of the mention's text: "by", "no later
  than", "to be completed in" -> deadline; "as of" -> as_of; "from", "since", "effective" -> from;
  "in", "during", "between" -> period; "on" -> point.
* two cores joined as "from A to B", "between A and B" or "A - B" are one range mention;
  "from now until B" starts on the publication date.

Resolution rules:
* a missing year is the publication year; for a *deadline* that would then have ended more than
  DATE_DEADLINE_ROLL_DAYS before publication ("by March" in a November article) it is the next
  year; a deadline just past ("by mid-September" on 24 September) is a status date and stays. With no publication date,
  expressions that need one keep their text and get null dates.
* role deadline -> start None, end = last day ("by the end of 2025" -> None..2025-12-31);
  role from -> start = end = first day ("from July 1, 2025"); role as_of -> start = end = last day;
  other roles -> the whole period ("in 2025" -> 2025-01-01..2025-12-31).
* "the rest of the year" / "the remaining months of the year" runs from the publication date to
  31 December (from 1 January when the publication date is unknown or in another year).
* "the end of P" is P's last day, "the beginning of P" its first day; "early/mid/late P" is the
  part of P given in dates.toml ("mid-2026" = June 2026, "late September" = 21-30 September).
* a lone year or month, "the year", and "24/9" without a year need a cue ("in 2025", "on 24/9");
  "in the coming time", "soon", "to date" are not date mentions.
"""
from __future__ import annotations

import calendar
import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date, timedelta
from typing import Optional

from pipeline.config import (
    DATA_DIR, DATE_CUE_WINDOW, DATE_DEADLINE_ROLL_DAYS, DATE_RANGE_GAP, DATE_SHORT_RANGE_MAX_YEARS, DATE_YEAR_MAX,
    DATE_YEAR_MIN,
)
from pipeline.records import DateSpan, date_role


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    start_date: Optional[str]
    end_date: Optional[str]
    role: Optional[str]
    warning: Optional[str] = None  # why the dates were left null (an inverted range)
    # the latest reading of a year-less date ("December 31", "the end of the year") that is not after
    # publication: a reported result holds at a past date ("by December 31, 612 tasks had been
    # completed" in a February article is last December), while a deadline may roll forward
    past_start: Optional[str] = None
    past_end: Optional[str] = None


def to_datespan(m: DateMention, kind: str) -> DateSpan:
    """The statement's date record; its role says what the date means for a statement of ``kind``."""
    return DateSpan(text=m.text, role=date_role(kind, m.role, m.start_date, m.end_date), start=m.start_date,
                    end=m.end_date)


# ------------------------------------------------------------------ vocabulary (data file)

with open(DATA_DIR / "en" / "dates.toml", "rb") as _fh:
    _D = tomllib.load(_fh)

_MONTHS: dict[str, int] = {k.lower(): int(v) for k, v in _D["months"].items()}
_ORD: dict[str, int] = {k.lower(): int(v) for k, v in _D["ordinals"].items()}
_NUMW: dict[str, int] = {k.lower(): int(v) for k, v in _D["numbers"].items()}
_DAYW: dict[str, int] = {k.lower(): int(v) for k, v in _D["day_ordinals"].items()}
_AMBIG_MONTHS: set[str] = {w.lower() for w in _D["ambiguous_months"]["words"]}
_BEFORE_STRICT: set[str] = {" ".join(w.lower().split()) for w in _D["strict_cues"]["before"]}
_AFTER_STRICT: set[str] = {" ".join(w.lower().split()) for w in _D["strict_cues"]["after"]}
_RELY: dict[str, int] = {" ".join(k.lower().split()): int(v) for k, v in _D["relative_years"].items()}
_RELM: dict[str, int] = {" ".join(k.lower().split()): int(v) for k, v in _D["relative_months"].items()}
_EDGES: dict[str, str] = {k.lower(): v for k, v in _D["edges"].items()}
_PARTS: dict[str, dict[str, tuple[int, int]]] = {
    kind: {w.lower(): (int(a), int(b)) for w, (a, b) in table.items()} for kind, table in _D["parts"].items()
}
_MID_DAY: dict[str, int] = {k.lower(): int(v) for k, v in _D["month_point"].items()}
_HALVES: dict[str, int] = {k.lower(): int(v) for k, v in _D["halves"].items()}
_CUES: dict[str, str] = {" ".join(k.lower().split()): v for k, v in _D["cues"].items()}
_BARE: set[str] = {w.lower() for w in _D["bare_cues"]["words"]}
_DM_CUES: set[str] = {" ".join(w.lower().split()) for w in _D["dm_cues"]["words"]}
_NOW = [w.lower() for w in _D["now"]["words"]]
_NOW_RANGE = [w.lower() for w in _D["now"]["range_words"]]
_PAST_CUES: set[str] = {" ".join(w.lower().split()) for w in _D["past_cues"]["words"]}
_FROM_W = {w.lower() for w in _D["ranges"]["from_words"]}
_BETWEEN_W = {w.lower() for w in _D["ranges"]["between_words"]}
_TO_W = [w.lower() for w in _D["ranges"]["to_words"]]
_NOT_DATES = {w.lower().rstrip(".") for w in _D["not_dates"]["before"]}


def _alt(words) -> str:
    """Regex alternation of phrases, longest first, spaces matching any whitespace."""
    parts = sorted({w for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in parts) + ")"


_LONGEST = {n: max((k for k, v in _MONTHS.items() if v == n), key=len) for n in set(_MONTHS.values())}
# full names end at a word boundary; abbreviations ("Sept.", "Oct") may take a period
_M = (
    "(?:" + _alt(set(_LONGEST.values())) + r"\b|"
    + _alt(k for k in _MONTHS if k not in _LONGEST.values()) + r"(?:\.|\b))"
)
_Y = r"(?:1[89]\d\d|2[01]\d\d)"
_YS = rf"(?:(?P<y>{_Y})(?!\d)|(?P<yrel>{_alt(_RELY)})\s+year\b(?!s))"
# a day and month followed by a relative year: "August 18 last year", "1 June next year"
_YREL_DM = rf"(?P<yrel>{_alt(w for w in _RELY if w != 'the')})\s+year\b(?!s)"
# Edge/part words before a core ("the end of", "early", "mid-") are matched backwards from the
# core's start (a leading optional group would be tried at every position of every sentence).
_PRE_BACK = re.compile(
    rf"(?:^|(?<=[^\w]))(?:(?:the\s+)?(?P<edge>{_alt(_EDGES)})\s+of\s+(?:the\s+)?"
    rf"|(?P<edgeh>{_alt(_EDGES)})-"   # "end-2025", "end-June": the newswire form
    rf"|(?P<part>{_alt(_PARTS['year'])})(?:\s*-\s*|\s+(?:in\s+(?:the\s+)?)?))$",
    re.IGNORECASE,
)
_TAKES_PRE = {"month", "quarter", "half", "year", "relyear", "relmonth", "relquarter"}
_LB = r"(?<![\w/.,])(?<!\d[-–])"          # a number starts here, not inside another number or code
_NUMEND = r"(?![\w/]|[.,\-–]\d)"          # ... and ends here
_QORD = _alt([k for k in _ORD if not k.isdigit() and k not in ("i", "ii", "iii", "iv")])
_NUMWORDS = _alt(_NUMW)
# "twenty-first" / "twenty first"
_DAYWORDS = "(?:" + "|".join(re.escape(w).replace(r"\-", r"[\s-]") for w in sorted(_DAYW, key=len, reverse=True)) + r")\b"

_CORES: list[tuple[str, re.Pattern]] = [
    (kind, re.compile(p, re.IGNORECASE))
    for kind, p in [
        ("day_num", _LB + rf"(?P<d>\d{{1,2}})(?P<sep>[/.\-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>{_Y})" + _NUMEND),
        ("iso", _LB + rf"(?P<y>{_Y})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})" + _NUMEND),
        ("dm_num", _LB + r"(?P<d>\d{1,2})/(?P<m>\d{1,2})" + _NUMEND),
        ("my_num", _LB + rf"(?:month\s+)?(?P<m>\d{{1,2}})/(?P<y>{_Y})(?![\w/]|[.\-–]\w)"),
        ("mdy", rf"(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?\b(?P<mon>{_M})\s*"
                rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?(?![\d:])"
                rf"(?:\s*,?\s*(?P<y>{_Y})(?!\d)|\s+{_YREL_DM})?"),
        ("dmy", _LB + rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?"
                rf"\s+(?:of\s+)?(?P<mon>{_M})(?:,?\s+(?P<y>{_Y})(?!\d)|\s+{_YREL_DM})?"),
        ("dmy_w", rf"(?:\bthe\s+)?\b(?P<dw>{_DAYWORDS})\s+(?:day\s+)?of\s+(?P<mon>{_M})(?:,?\s+(?P<y>{_Y})(?!\d))?"),
        ("mdy_w", rf"\b(?P<mon>{_M})\s+(?:the\s+)?(?P<dw>{_DAYWORDS})(?:,?\s+(?P<y>{_Y})(?!\d))?"),
        # "January-September 2025", "Jan-Sept": two capitalised months joined by a dash
        ("mrange", rf"\b(?P<mon>{_M})\s*[-–]\s*(?P<mon2>{_M})(?:,?\s+(?:of\s+)?{_YS})?"),
        ("month", rf"\b(?P<mon>{_M})(?:,?\s+(?:of\s+)?{_YS})?"),
        ("quarter", rf"(?:the\s+)?(?:(?P<qo>{_QORD})\s+quarter|\bQ(?P<qn>[1-4])|\bquarter\s+(?P<qr>IV|III|II|I|[1-4]))\b"
                    rf"(?:\s*(?:,|of|/|-)?\s*{_YS})?"),
        ("half", rf"(?:the\s+)?(?:\b(?P<ho>{_alt(_HALVES)})\s+half|\bH(?P<hn>[12]))\b"
                 rf"(?:\s*(?:,|of|/|-)?\s*{_YS})?"),
        ("months", rf"(?:the\s+)?\b(?:(?P<first>first)|last|final)\s+(?P<n>\d{{1,2}}|{_NUMWORDS})\s+months\b(?:\s+of\s+{_YS})?"),
        ("yrange", rf"(?:the\s+)?(?:period\s+(?:of\s+|from\s+)?)?" + _LB
                   + rf"(?P<y>{_Y})\s*(?:[-–—]|to)\s*(?P<y2>{_Y}|\d\d)(?![\w/]|[.,\-–]\d)(?:\s+period\b)?"),
        ("year", rf"(?:(?:the\s+)?(?P<yw>(?:fiscal\s+)?year\s+))?" + _LB + rf"(?P<y>{_Y})(?![\w/%]|[.,\-–]\d)"),
        ("relyear", rf"(?:(?P<yend>(?:\bthe\s+)?\byear(?:[\s-]|['’]s\s+)end\b)|\b(?P<yrel>{_alt(_RELY)})\s+year\b(?!s)"
                    rf"|(?P<ymid>\bmid[\s-]year\b))"),
        ("relmonth", rf"\b(?P<mrel>{_alt(_RELM)})\s+month\b(?!s)"),
        ("relquarter", rf"\b(?P<qrel>{_alt(_RELM)})\s+quarter\b(?!s)"),
        ("rest", rf"(?:the\s+)?\b(?:(?:remaining|last|final|coming)\s+months\s+of|rest\s+of|remainder\s+of)\s+{_YS}"),
    ]
]

_CUE_RE = re.compile(rf"(?:^|(?<=[^\w]))(?P<cue>{_alt(list(_CUES) + list(_BARE))})\s*,?\s+$", re.IGNORECASE)
_NOW_RE = re.compile(rf"(?:^|(?<=[^\w]))(?P<cue>from\s+{_alt(_NOW)}\s+{_alt(_NOW_RANGE)}|between\s+{_alt(_NOW)}\s+and)\s+$",
                     re.IGNORECASE)
_GAP_RE = re.compile(
    rf"\s*(?:\([^()]{{0,{DATE_RANGE_GAP}}}\))?\s*,?\s*(?P<to>{_alt([w for w in _TO_W if w.isalpha()])}\b|[-–—])\s*(?:the\s+)?$",
    re.IGNORECASE,
)
_PREV_WORD = re.compile(r"([\w.]+)\s*$")


# ------------------------------------------------------------------ cores

@dataclass
class _Core:
    kind: str
    start: int
    end: int
    year: Optional[int] = None      # explicit year
    yrel: Optional[int] = None      # relative year offset (this year = 0)
    mrel: Optional[int] = None      # relative month offset
    qrel: Optional[int] = None      # relative quarter offset
    month: Optional[int] = None
    day: Optional[int] = None
    day2: Optional[int] = None
    quarter: Optional[int] = None
    half: Optional[int] = None
    nmonths: Optional[int] = None
    year2: Optional[int] = None
    edge: Optional[str] = None
    part: Optional[str] = None
    needs_cue: bool = False
    dm: bool = False                # day/month with a slash, no year: stricter cues
    month2: Optional[int] = None    # a month range's last month
    soft_year: bool = False         # "the year" ("by the end of the year"): which year is read from the context


def _norm(s: Optional[str]) -> Optional[str]:
    return " ".join(s.lower().split()) if s else None


def _core_from(kind: str, m: re.Match, pre: Optional[re.Match] = None) -> Optional[_Core]:
    g = m.groupdict()
    c = _Core(kind, m.start(), m.end())
    if pre is not None:
        g.update({k: v for k, v in pre.groupdict().items() if v})
        c.start = pre.start()
    if g.get("edgeh") and not g.get("edge"):
        g["edge"] = g["edgeh"]
    if g.get("edge"):
        e = _EDGES[_norm(g["edge"])]
        if e == "mid":
            c.part = "mid"
        else:
            c.edge = e
    if g.get("part"):
        c.part = _norm(g["part"])
    if g.get("y"):
        c.year = int(g["y"])
        if not DATE_YEAR_MIN <= c.year <= DATE_YEAR_MAX:
            return None
    if g.get("yrel"):
        c.yrel = _RELY[_norm(g["yrel"])]
        c.soft_year = _norm(g["yrel"]) in ("the", "the current", "the same")
        if kind == "relyear" and _norm(g["yrel"]) == "the" and not (c.edge or c.part):
            c.needs_cue = True
    if g.get("mon"):
        tok = g["mon"]
        key = tok.lower().rstrip(".")
        if not tok[0].isupper() and (key in _AMBIG_MONTHS or key not in _LONGEST.values()):
            # "may" the verb, "march" the verb, "mar", "dec": in lower case only beside a day or a year
            if not (g.get("y") or (kind in ("dmy", "dmy_w") or key not in _AMBIG_MONTHS) and (g.get("d") or g.get("dw"))):
                return None
        c.month = _MONTHS[key]
    if g.get("mon2"):
        if not (g["mon"][0].isupper() and g["mon2"][0].isupper()):
            return None
        c.month2 = _MONTHS[g["mon2"].lower().rstrip(".")]
        if c.month2 == c.month:
            return None
    if g.get("dw"):
        c.day = _DAYW[re.sub(r"[\s-]+", "-", g["dw"].lower())]
    if kind in ("day_num", "iso", "dm_num", "my_num"):
        c.month = int(g["m"])
        if kind in ("day_num", "dm_num") and c.month > 12 and 1 <= int(g["d"]) <= 12:
            c.month, g["d"] = int(g["d"]), g["m"]   # "9/23/2025": month first, as US outlets write
        if not 1 <= c.month <= 12:
            return None
    if g.get("d"):
        c.day = int(g["d"])
        if not 1 <= c.day <= 31:
            return None
    if g.get("d2"):
        c.day2 = int(g["d2"])
        if not (c.day or 0) < c.day2 <= 31:
            return None
    if kind == "dm_num":
        c.needs_cue = c.dm = True
    elif kind == "month":
        c.needs_cue = not (c.year or c.yrel is not None or c.edge or c.part)
    elif kind == "quarter":
        key = g.get("qo") or g.get("qn") or g.get("qr")
        c.quarter = _ORD[key.lower()]
    elif kind == "half":
        c.half = _HALVES[_norm(g["ho"])] if g.get("ho") else int(g["hn"])
        c.needs_cue = c.year is None and c.yrel is None and not (c.edge or c.part)
    elif kind == "months":
        n = g["n"].lower()
        c.nmonths = int(n) if n.isdigit() else _NUMW[n]
        if not 1 <= c.nmonths <= 12:
            return None
        if not g.get("first"):
            if c.year is None and c.yrel is None:
                return None  # "the last 6 months": counted back from an unknown point
            c.nmonths = -c.nmonths  # "the last 3 months of 2025": October-December
    elif kind == "yrange":
        y2 = g["y2"]
        c.year2 = int(y2) if len(y2) == 4 else c.year // 100 * 100 + int(y2)
        if not c.year < c.year2 <= DATE_YEAR_MAX:
            return None
        if len(y2) == 2 and c.year2 - c.year > DATE_SHORT_RANGE_MAX_YEARS:
            return None  # "2015-32": a code, not 2015 to 2032
    elif kind == "year":
        c.needs_cue = not (g.get("yw") or c.edge or c.part)
    elif kind == "relyear":
        if g.get("yend"):
            c.yrel, c.edge = 0, c.edge or "end"
        elif g.get("ymid"):
            c.yrel, c.part = 0, "mid"
    elif kind in ("relmonth", "relquarter"):
        word = _norm(g["mrel"] if kind == "relmonth" else g["qrel"])
        if kind == "relmonth":
            c.mrel = _RELM[word]
        else:
            c.qrel = _RELM[word]
        if word == "the" and not (c.edge or c.part):
            c.needs_cue = True
    return c


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _period(c: _Core, pub: Optional[date], shift: int = 0) -> Optional[tuple[date, date, bool]]:
    """(first day, last day, year_was_implicit) of the core, or None when unresolvable."""
    implicit = False
    if c.year is not None:
        y = c.year
    elif c.yrel is not None:
        if pub is None:
            return None
        y = pub.year + c.yrel
    elif c.mrel is not None:
        if pub is None:
            return None
        k = pub.year * 12 + pub.month - 1 + c.mrel
        y, mon = divmod(k, 12)
        c = replace(c, month=mon + 1)
    elif c.qrel is not None:
        if pub is None:
            return None
        k = pub.year * 4 + (pub.month - 1) // 3 + c.qrel
        y, q = divmod(k, 4)
        c = replace(c, quarter=q + 1)
    else:
        if pub is None:
            return None
        y, implicit = pub.year, True
    y += shift
    try:
        k = c.kind
        if k in ("day_num", "iso", "dm_num", "mdy", "dmy", "dmy_w", "mdy_w"):
            a = date(y, c.month, c.day)
            b = date(y, c.month, c.day2) if c.day2 else a
        elif k == "mrange":   # "November-February" runs into the next year
            a = date(y, c.month, 1)
            b = _month_end(y + (c.month2 < c.month), c.month2)
        elif k == "dm_mid":
            a = b = date(y, c.month, _MID_DAY["mid"])
        elif k in ("month", "my_num", "relmonth"):
            a, b = date(y, c.month, 1), _month_end(y, c.month)
        elif k == "rest":
            a, b = (pub if pub is not None and pub.year == y else date(y, 1, 1)), date(y, 12, 31)
        elif k in ("quarter", "relquarter"):
            a, b = date(y, 3 * c.quarter - 2, 1), _month_end(y, 3 * c.quarter)
        elif k == "half":
            a, b = date(y, 6 * c.half - 5, 1), _month_end(y, 6 * c.half)
        elif k == "months" and c.nmonths < 0:
            a, b = date(y, 13 + c.nmonths, 1), date(y, 12, 31)
        elif k == "months":
            a, b = date(y, 1, 1), _month_end(y, c.nmonths)
        elif k == "yrange":
            a, b = date(y, 1, 1), date(c.year2 + shift, 12, 31)
        else:  # year, relyear
            a, b = date(y, 1, 1), date(y, 12, 31)
        if c.part:
            a, b = _apply_part(k, c.part, a, b)
    except (ValueError, KeyError):
        return None
    if c.edge == "end":
        a = b
    elif c.edge == "start":
        b = a
    return a, b, implicit


def _apply_part(kind: str, part: str, a: date, b: date) -> tuple[date, date]:
    if kind in ("month", "my_num", "relmonth"):
        lo, hi = _PARTS["month"][part]
        last = b.day
        return a.replace(day=min(lo, last)), a.replace(day=min(hi, last))
    table = {"quarter": "quarter", "relquarter": "quarter", "half": "half"}.get(kind, "year")
    lo, hi = _PARTS[table][part]
    return date(a.year, a.month + lo - 1, 1), _month_end(a.year, a.month + hi - 1)


# ------------------------------------------------------------------ finding

# Cheap tests run once per text: a core pattern is only tried when its key word occurs
# (the full patterns, with their optional prefixes, cost ~70 µs per sentence each).
_MONTH_STEMS = sorted({k[:3] for k in _MONTHS})
_TRIGGERS = {
    "month": re.compile(r"\b(?:" + "|".join(_MONTH_STEMS) + ")", re.IGNORECASE),
    "quarter": re.compile(r"quarter|\bQ[1-4]", re.IGNORECASE),
    "half": re.compile(r"half|\bH[12]", re.IGNORECASE),
    "months": re.compile(r"months", re.IGNORECASE),
    "year": re.compile(r"(?:1[89]|2[01])\d\d"),
    "relyear": re.compile(r"year", re.IGNORECASE),
    "relmonth": re.compile(r"month", re.IGNORECASE),
    "relquarter": re.compile(r"quarter", re.IGNORECASE),
    "rest": re.compile(r"months|rest|remainder", re.IGNORECASE),
    "slash": re.compile(r"\d[/.\-]\d"),
}
_NEEDS = {
    "day_num": ("slash",), "iso": ("year",), "dm_num": ("slash",), "my_num": ("slash",),
    "mrange": ("month",), "mdy": ("month",), "dmy": ("month",), "dmy_w": ("month",), "mdy_w": ("month",), "month": ("month",), "quarter": ("quarter",),
    "half": ("half",), "months": ("months",), "yrange": ("year",), "year": ("year",),
    "relyear": ("relyear",), "relmonth": ("relmonth",), "relquarter": ("relquarter",),
    "rest": ("rest",),
}


def _candidates(text: str) -> list[_Core]:
    out: list[_Core] = []
    hit = {k: rx.search(text) is not None for k, rx in _TRIGGERS.items()}
    if not any(hit.values()):
        return out
    for kind, rx in _CORES:
        if not all(hit[t] for t in _NEEDS[kind]):
            continue
        for m in rx.finditer(text):
            pre = _PRE_BACK.search(text, max(0, m.start() - 24), m.start()) if kind in _TAKES_PRE else None
            c = _core_from(kind, m, pre)
            if c is not None:
                out.append(c)
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    return out


def _cue(text: str, lo: int, s: int) -> Optional[re.Match]:
    return _CUE_RE.search(text, max(lo, s - DATE_CUE_WINDOW), s)


def _parse_pub(published: Optional[str]) -> Optional[date]:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def find_dates(text: str, published: Optional[str]) -> list[DateMention]:
    """Every date mention of ``text``, in order, non-overlapping."""
    if not text:
        return []
    # the same text is read several times per sentence (statement dates, as-of dates, figures)
    return list(_find_dates(text, published))


@lru_cache(maxsize=4096)
def _find_dates(text: str, published: Optional[str]) -> tuple[DateMention, ...]:
    return tuple(_find_dates_uncached(text, published))


def _find_dates_uncached(text: str, published: Optional[str]) -> list[DateMention]:
    pub = _parse_pub(published)
    # 1. candidates that stand on their own or have the cue they need, longest-leftmost
    chosen: list[tuple[_Core, Optional[str], int]] = []   # (core, cue role/word, mention start)
    last = 0
    for c in _candidates(text):
        if c.start < last:
            continue
        cm = _cue(text, last, c.start)
        cue = _norm(cm.group("cue")) if cm else None
        if cue in _BARE and cue not in _CUES and not c.needs_cue:
            cm = cue = None  # "and", "of" only license a bare year/month; elsewhere not part of the mention
        if c.needs_cue:
            if cue is None or (c.dm and cue not in _DM_CUES):
                continue
            if c.kind in ("dm_num", "my_num") and _doc_number_before(text, cm.start() if cm else c.start):
                continue
        if c.kind == "my_num" and _doc_number_before(text, c.start):
            continue
        chosen.append((c, cue, cm.start() if cm else c.start))
        last = c.end
    # 2. ranges and roles
    out: list[DateMention] = []
    i = 0
    while i < len(chosen):
        c, cue, mstart = chosen[i]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if nxt is not None and _is_range(text, c, cue, nxt[0]):
            c2 = nxt[0]
            a, b = _inherit_years(c, c2)
            pa, pb = _period(a, pub), _period(b, pub)
            out.append(_mention(text, mstart, c2.end, pa[0] if pa else None, pb[1] if pb else None, "period"))
            i += 2
            continue
        nm = _NOW_RE.search(text, max(0, (out[-1].end if out else 0), mstart - DATE_CUE_WINDOW - 20), c.start)
        if nm:
            p = _period(c, pub)
            if p and pub and p[2] and _past(p[1], pub):
                p = _period(c, pub, shift=1)
            out.append(_mention(text, nm.start(), c.end, pub if p else None, p[1] if p else None, "deadline"))
            i += 1
            continue
        role = _CUES.get(cue) if cue else None
        if c.kind == "yrange":
            role = "period"
        if c.part in _MID_DAY and c.kind in ("month", "relmonth") and role in ("deadline", "from", "as_of"):
            # "by mid-March", "since mid-November": a single day, the month's middle day
            c = replace(c, part=None, kind="dm_mid")
        p = _period(c, pub)
        if p and role == "deadline" and pub and p[2] and _past(p[1], pub):
            p = _period(c, pub, shift=1)  # "by March" written in November: next March
        elif p and cue in _PAST_CUES and pub and p[2] and p[0] > pub:
            p = _period(c, pub, shift=-1)  # "since mid-November" written in April: last November
        s, e = _by_role(p, role, cue)
        m = _mention(text, mstart, c.end, s, e, role)
        if pub is not None and e is not None and e > pub.isoformat() and (p[2] or c.soft_year) \
                and role in ("deadline", "as_of"):
            for shift in (0, -1):
                ps, pe = _by_role(_period(c, pub, shift=shift), role, cue)
                if pe is not None and pe <= pub.isoformat():
                    m = replace(m, past_start=ps, past_end=pe)
                    break
        out.append(m)
        i += 1
    return [_unless_inverted(m) for m in out]


def _by_role(p, role: Optional[str], cue: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(start, end) in ISO of a resolved period ``p`` for the mention's role and cue."""
    if p is None:
        return None, None
    if cue in _AFTER_STRICT:
        p = (p[1] + timedelta(days=1),) * 2 + (p[2],)    # "after 2016" starts on 2017-01-01
    elif cue in _BEFORE_STRICT and p[0] != p[1]:
        p = (p[0], p[0] - timedelta(days=1), p[2])     # "before 2018" ends on 2017-12-31
    if role == "deadline":
        s, e = None, p[1]
    elif role == "from":
        s = e = p[0]
    elif role == "as_of":
        s = e = p[1]
    else:
        s, e = p[0], p[1]
    return (s.isoformat() if s else None), e.isoformat()


def range_warnings(text: str, published: Optional[str]) -> list[str]:
    """Why date expressions of ``text`` were left unresolved (an inverted range), one message each."""
    return [m.warning for m in find_dates(text, published) if m.warning]


def _unless_inverted(m: DateMention) -> DateMention:
    """A span that ends before it starts ("from 2026 to 2025", "between June 30 and May 1, 2026"):
    which end is wrong is not for us to guess, so both dates are left null (the text is kept)."""
    if m.start_date and m.end_date and m.start_date > m.end_date:
        return replace(m, start_date=None, end_date=None,
                       warning=f"date range '{m.text}' ends before it starts: left unresolved")
    return m


def _past(end: date, pub: date) -> bool:
    """A deadline without a year that ended well before publication means next year's."""
    return end < pub - timedelta(days=DATE_DEADLINE_ROLL_DAYS)


def _doc_number_before(text: str, s: int) -> bool:
    m = _PREV_WORD.search(text, max(0, s - 30), s)
    return bool(m) and m.group(1).lower().rstrip(".") in _NOT_DATES


def _is_range(text: str, a: _Core, cue: Optional[str], b: _Core) -> bool:
    gap = text[a.end:b.start]
    if len(gap) > DATE_RANGE_GAP + 20:
        return False
    m = _GAP_RE.fullmatch(gap)
    if not m:
        return False
    to = m.group("to").lower()
    if cue in _BETWEEN_W:
        return to == "and"
    if to == "and":
        return False
    if cue in _FROM_W:
        return True
    return to in ("-", "–", "—") or cue is None


def _inherit_years(a: _Core, b: _Core) -> tuple[_Core, _Core]:
    """'from July 20 to September 23, 2025': the first end takes the second's year (and back)."""
    if a.year is None and a.yrel is None and a.mrel is None and b.year is not None:
        y = b.year
        if a.month and b.month and (a.month, a.day or 1) > (b.month, b.day or 1):
            y -= 1
        a = replace(a, year=y)
    elif b.year is None and b.yrel is None and b.mrel is None and a.year is not None:
        y = a.year
        if a.month and b.month and (a.month, a.day or 1) > (b.month, b.day or 1):
            y += 1
        b = replace(b, year=y)
    return a, b


def _mention(text: str, s: int, e: int, a, b, role) -> DateMention:
    iso = lambda d: d.isoformat() if isinstance(d, date) else d
    return DateMention(text=text[s:e], start=s, end=e, start_date=iso(a), end_date=iso(b), role=role)


# ------------------------------------------------------------------ impossible dates
_BAD_QUARTER = re.compile(
    # "Q5" and "quarter 5" are also districts and city quarters: only with a year are they a date
    rf"\bQ0\b|\b(?:Q|quarter\s+)[5-9](?=\s*(?:/|-|,|of)?\s*{_Y}\b)|\bquarter\s+(?:0|V|VI|VII|VIII|IX|X)\b(?!-)"
    r"|\b(?:fifth|sixth|seventh|eighth|zeroth)\s+quarter\b",
    re.IGNORECASE,
)
_NUM_DATE = re.compile(rf"(?<![\w/.,])(?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>{_Y})(?![\w/]|[.,]\d)")


def date_warnings(text: str) -> list[str]:
    """Date expressions that name no real period ("31/02/2025", "February 30", "Q0", "quarter V"):
    the readers above give them no date; this says so, one message each, for the record."""
    out: list[str] = []
    if not text:
        return out
    for m in _BAD_QUARTER.finditer(text):
        out.append(f"date '{m.group(0)}' skipped: a year has four quarters")
    if not (_TRIGGERS["slash"].search(text) or _TRIGGERS["month"].search(text)):
        return out
    for m in _NUM_DATE.finditer(text):
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if not (_valid(y, b, a) or _valid(y, a, b)):
            out.append(f"date '{m.group(0)}' skipped: no such day")
    for kind, rx in _CORES:
        if kind not in ("mdy", "dmy", "mdy_w", "dmy_w") or not _TRIGGERS["month"].search(text):
            continue
        for m in rx.finditer(text):
            c = _core_from(kind, m)
            if c is not None and c.day and not _valid(c.year or 2024, c.month, c.day):  # 2024: 29 February exists
                out.append(f"date '{m.group(0).strip()}' skipped: no such day")
    return out


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True
