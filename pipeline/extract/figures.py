"""Figures (quantities) in English text: value, unit, qualifier and the span they were read from.

    find_figures(text) -> list[Figure]

Pure regular expressions compiled once at import from ``data/en/figures.toml``; no spaCy. A figure is

    [qualifier] [currency] NUMBER [scale words] [% | currency | measure | unit noun phrase]

* NUMBER: ``80``, ``6.6``, ``1,027``, ``3,000,000``; ``3.000.000`` (two or more dot groups) is a
  thousands-grouped integer; ``1.027`` is the decimal 1.027 unless a counted noun follows
  ("1.027 administrative procedures" -> 1027: a count cannot be fractional); ``39,27%`` (decimal
  comma, 1-2 digits, before % or a scale word) is 39.27.
* scale words multiply, also in a row: "3.2 million billion VND" = 3.2e15.
* unit: "%" for %/percent; the ISO code for a currency before or after ("VND 1.7 trillion",
  "$2 billion", "1.7 trillion VND"); a measure ("500 km", "20 MW"); else the noun phrase after the
  number up to its head, the first plural noun ("890 administrative procedures and ..." ->
  "administrative procedures"), lower case, leading evaluative adjectives dropped ("4 important
  Laws" -> "laws"), "groups of tasks" kept whole. A number in "A out of B <unit>", "A-B <unit>",
  "from A to B <unit>" takes B's unit (and, for ranges, B's scale: "2-3 million" -> 2e6);
  "of which N" takes the unit before it.
* qualifier: the phrase right before the figure ("over", "more than", "nearly", ...), normalised.
* ``text``/``start``/``end`` cover qualifier, number and unit as written: text == input[start:end].

Not figures: years (a bare integer 1900-2100), numbers inside date mentions
(``extract.dates.find_dates``: "September 23, 2025", "23/9/2025", "the first 8 months"),
identifiers after a naming word ("Resolution 57", "Decree No. 13", "Project 06", "Industry 4.0"),
numbers glued to letters, slashes or hyphen-words ("57/NQ-TW", "4th", "5G", "COVID-19",
"3-level"), leading-zero numbers ("06"), times ("15:30", "3 pm"), phone numbers, list markers
("(1)", "1)" and "1." at a line start), spelled-out numbers ("three tasks").
"""
from __future__ import annotations

import math
import re
import tomllib
from decimal import Decimal, InvalidOperation
from typing import Optional

from pipeline.config import (
    DATA_DIR, DATE_YEAR_MAX, DATE_YEAR_MIN, FIGURE_MAX_DIGITS, FIGURE_MAX_UNIT_WORDS, FIGURE_MAX_VALUE,
    FIGURE_QUALIFIER_WINDOW,
)
from pipeline.extract.dates import find_dates
from pipeline.records import Figure

with open(DATA_DIR / "en" / "figures.toml", "rb") as _fh:
    _F = tomllib.load(_fh)


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _alt(words, boundary: bool = True) -> str:
    """Alternation, longest first; multi-word phrases match any whitespace; word-like phrases end at \\b."""
    parts = sorted(set(words), key=len, reverse=True)
    out = []
    for w in parts:
        p = r"\s+".join(re.escape(x) for x in w.split())
        if boundary and re.match(r".*\w$", w):
            p += r"\b"
        out.append(p)
    return "(?:" + "|".join(out) + ")"


_QUALS = {_norm(k): v for k, v in _F["qualifiers"].items()}
_SCALES = {k.lower(): Decimal(str(v)) for k, v in _F["scales"].items()}
_SCALES_CUR = {k.lower(): Decimal(str(v)) for k, v in _F["scales_after_currency"].items()}
_CUR_BEFORE = {_norm(k): v for k, v in _F["currency_before"].items()}
_CUR_AFTER = {_norm(k): v for k, v in _F["currency_after"].items()}
_PCT = {_norm(k): v for k, v in _F["percent"].items()}
_SIGNS = {_norm(k): int(v) for k, v in _F["signs"].items()}
_MEASURES = {k.lower(): v for k, v in _F["measures"].items()}
_N = _F["nouns"]
_IRREG = set(_N["irregular_plurals"])
_NOT_PL = tuple(_N["not_plural_endings"])
_PARTITIVE = set(_N["partitives"])
_DROP = set(_N["drop_leading"])
_STOP = set(_N["stop_words"])
_TIME_UNITS = set(_N["time_units"])
_IDENT = {w.lower() for w in _F["not_figures"]["identifier_before"]}
_TIME_AFTER = [w.lower() for w in _F["not_figures"]["time_after"]]

_FIG = re.compile(
    rf"""
    (?:(?P<cpre>{_alt(_CUR_BEFORE, boundary=False)})[ \t]?)?
    (?P<num>(?<!\d[ \u00a0\u202f])\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?:\.\d+)?(?![\d])|\d+(?:[.,]\d+)*)
    (?P<scales>(?:[ \t]*-?[ \t]*{_alt(_SCALES)})*)
    (?P<sabbr>{_alt(_SCALES_CUR)})?
    (?:[ \t]*(?P<pct>{_alt(_PCT)}))?
    (?:[ \t]*(?P<cpost>{_alt(_CUR_AFTER)}))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_FIG_NOCUR = re.compile(_FIG.pattern.replace("(?P<cpre>", "(?P<cpre>(?!)"), re.IGNORECASE | re.VERBOSE)
_MEASURE = re.compile(rf"[ \t]*(?P<m>{_alt(_MEASURES)})(?![\w-])", re.IGNORECASE)
_WORD = re.compile(r"[ \t]+([^\W\d_][\w'’\-]*)")
_OF = re.compile(r"[ \t]+of\b", re.IGNORECASE)
_QUAL = re.compile(rf"(?:^|(?<=[^\w]))(?P<q>{_alt(_QUALS)})[ \t]+$", re.IGNORECASE)
_TIME = re.compile(rf"[ \t]*{_alt(_TIME_AFTER)}(?!\w)", re.IGNORECASE)
_PREV_TOKEN = re.compile(r"(\S+)[ \t]*$")
_PHONE = re.compile(
    r"(?<![\w.,])(?:\+\d{1,3}[ .\-]?\(?\d{1,4}\)?|\(?0\d{1,4}\)?)(?:[ .\-]\d{2,4}){2,}(?!\w)"
)
_LINE_MARKER = re.compile(r"(?:^|\n)[ \t\-–•*]*$")
_UNIT_LINK = re.compile(r"[ \t]*(?:out[ \t]+of|of|/)[ \t]*$", re.IGNORECASE)
_RANGE_LINK = re.compile(r"[ \t]*(?:[-–—]|to|and|or)[ \t]*$", re.IGNORECASE)
_OF_WHICH = re.compile(
    r"(?:of[ \t]+which|of[ \t]+these|of[ \t]+them|in[ \t]+which|among[ \t]+which|among[ \t]+them|including)[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"[ \u00a0\u202f]")
# a "-" / "−" glued to the number is a minus sign unless the number before it makes it a range dash
_SIGN_CHARS = "-−+"
_SIGN_OPENERS = "([{:=;,/"
_RANGE_BEFORE = re.compile(r"[\d%][ \t]*$")
_SIGN_WORD = re.compile(rf"(?:^|(?<=\W))(?P<w>{_alt(_SIGNS)})[ \t]+$", re.IGNORECASE)
# numbers no reader should take at face value: scientific or power notation ("1e308", "10^1000")
_NOTATION = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*(?:[eE][+-]?\d+|[ \t]*(?:\^|\*\*)[ \t]*[+-]?\d+)(?![\w.,]\d)")
# web addresses and percent-encoded tokens ("report%202025"): their numbers are not figures
_URL = re.compile(r"(?:https?://|www\.)\S+|\S*%[0-9A-Fa-f]{2}\S*", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")
_THOUSANDS_DOT_DEC = re.compile(r"\d{1,3}(?:\.\d{3})+,\d{1,2}")   # "94.000,50 €"
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_DOT_GROUP = re.compile(r"[1-9]\d{0,2}\.\d{3}")


_IDENTIFIER = object()   # _read's answer for "Resolution 57": not a figure, and the start of a list of them
_LIST_LINK = re.compile(r"[ \t]*(?:,|&|and|or|,[ \t]*and)[ \t]*(?:no\.?[ \t]*)?", re.IGNORECASE)
# units that are not counts of things: a "1.027" before them stays a decimal
_CURRENCIES = set(_CUR_BEFORE.values()) | set(_CUR_AFTER.values())
_NON_COUNT = set(_PCT.values()) | _CURRENCIES | set(_MEASURES.values()) | _TIME_UNITS


def _is_plural(w: str) -> bool:
    if w in _IRREG:
        return True
    return len(w) > 2 and w.endswith("s") and not w.endswith(_NOT_PL)


class _Fig:
    __slots__ = ("value", "unit", "start", "end", "qualifier", "has_scale", "scale", "num", "dot_group")

    def __init__(self, **kw):
        for k in self.__slots__:
            setattr(self, k, kw.get(k))


def _parse_number(num: str, decimal_comma_ok: bool) -> Optional[Decimal]:
    num = _SPACES.sub("", num)   # "12 500": space-grouped thousands
    try:
        if _THOUSANDS_COMMA.fullmatch(num):
            return Decimal(num.replace(",", ""))
        if _THOUSANDS_DOT.fullmatch(num):
            return Decimal(num.replace(".", ""))
        if _DECIMAL.fullmatch(num):
            return Decimal(num)
        if decimal_comma_ok and _DECIMAL_COMMA.fullmatch(num):
            return Decimal(num.replace(",", "."))
        if decimal_comma_ok and _THOUSANDS_DOT_DEC.fullmatch(num):
            return Decimal(num.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
    return None


def _excluded(text: str) -> list[tuple[int, int]]:
    spans = [(m.start, m.end) for m in find_dates(text, None)]
    spans += [(m.start(), m.end()) for m in _PHONE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _URL.finditer(text)]
    spans += [(m.start(), m.end()) for m in _NOTATION.finditer(text)]
    return spans


def _significant_digits(num: str) -> int:
    return len(re.sub(r"\D", "", num).lstrip("0"))


def find_figures(text: str, warnings: Optional[list[str]] = None) -> list[Figure]:
    """Every figure in ``text``, in order of position. Numbers that cannot be read as a true value
    (scientific or power notation, more than FIGURE_MAX_DIGITS digits, over FIGURE_MAX_VALUE) are
    skipped, each with a message appended to ``warnings`` when a list is given."""
    if not text or not (_DIGIT.search(text) or _WORDNUM_TRIGGER.search(text)):
        return []
    warn: list[str] = warnings if warnings is not None else []
    for m in _NOTATION.finditer(text):
        tok = m.group(0) + re.match(r"\S*", text[m.end():]).group(0)
        warn.append(f"figure '{tok.rstrip('.,;:')}' skipped: a number in scientific or power notation is not read")
    excl = _excluded(text)
    figs: list[_Fig] = []
    ident_end = -1   # end of the last identifier number: "Resolutions 57, 59, 66 and 68"
    pos = 0
    while True:
        m = _FIG.search(text, pos)
        if m is None:
            break
        if m.group("cpre") and m.start() > 0 and text[m.start() - 1].isalnum():
            m = _FIG_NOCUR.match(text, m.start("num"))  # "AVND 5": not a currency sign after all
        pos = m.end()
        f = _read(text, m, excl, figs[-1].end if figs else 0)
        if isinstance(f, _Fig):
            bad = None
            if _significant_digits(f.num) > FIGURE_MAX_DIGITS:
                bad = f"more than {FIGURE_MAX_DIGITS} digits"
            elif abs(f.value) > Decimal(str(FIGURE_MAX_VALUE)):
                bad = f"over {FIGURE_MAX_VALUE:g}"
            if bad:
                warn.append(f"figure '{text[f.start:f.end]}' skipped: {bad}, not a plausible quantity")
                f = None
        if (ident_end >= 0 and _LIST_LINK.fullmatch(text, ident_end, m.start())
                and (f is None or f is _IDENTIFIER or f.unit is None)):
            f = _IDENTIFIER   # a unitless number continuing a list of identifiers
        if f is _IDENTIFIER:
            ident_end = m.end("num")
        elif f is not None:
            ident_end = -1
            figs.append(f)
    figs = _with_word_counts(text, figs, excl)
    _share_units(text, figs)
    for f in figs:
        # "1.027 administrative procedures", "1.027 out of 1.084 procedures": a count is never fractional
        # ... nor is a currency amount given to a thousandth: "94.000 €" is 94,000 euros
        if f.dot_group and f.unit is not None and (f.unit not in _NON_COUNT or f.unit in _CURRENCIES):
            f.value = Decimal(f.num.replace(".", ""))
    out = []
    for f in figs:
        v = float(f.value)
        if not math.isfinite(v):
            continue
        out.append(Figure(value=v, unit=f.unit, text=text[f.start:f.end], qualifier=f.qualifier,
                          text_start=f.start, text_end=f.end))
    return out


def _read(text: str, m: re.Match, excl: list[tuple[int, int]], lo: int):
    """The figure of one number match (a _Fig), _IDENTIFIER, or None; ``lo``: end of the previous figure."""
    num, ns, ne = m.group("num"), m.start("num"), m.end("num")
    cpre = m.group("cpre")
    s = m.start()
    if any(a <= ns < b for a, b in excl):
        return None
    # a sign glued to the number ("-2.5%", "−3.1%", "+4%") or a sign word ("minus 2%")
    sign, sstart = 1, s
    if s > 0 and text[s - 1] in _SIGN_CHARS:
        pre = text[s - 2] if s > 1 else ""
        if (pre == "" or pre.isspace() or pre in _SIGN_OPENERS) and not _RANGE_BEFORE.search(text, max(0, s - 12), s - 1):
            sign, sstart = (1 if text[s - 1] == "+" else -1), s - 1
    else:
        sw = _SIGN_WORD.search(text, max(0, s - 12), s)
        if sw:
            sign, sstart = _SIGNS[_norm(sw.group("w"))], sw.start()
    # what touches the number (or its sign) on the left
    before = text[sstart - 1] if sstart > 0 else ""
    if before and (before.isalnum() or before in "_/.:#+&@$€£¥"):
        return None
    if not cpre and sstart == s and before and before in "-–" and s > 1 and text[s - 2].isalpha():
        return None  # COVID-19, F-16
    if sstart == s and before in ("-", "–") and re.search(r"(?<![\d.,])(?:1[89]|2[01])\d\d$", text[max(0, s - 6):s - 1]):
        return None  # "2015-32": a code after a year, not a figure
    # ... and on the right (before scale words): ordinals, codes, "3-level", times, "57/NQ"
    after = text[ne:ne + 2]
    if after[:1] == "/" or after[:1] == ":" and after[1:2].isdigit():
        return None
    if after[:1] in "-–" and after[1:2].isalpha():
        return None
    glued = ne < len(text) and text[ne].isalpha()
    scales_txt, sabbr, pct, cpost = m.group("scales"), m.group("sabbr"), m.group("pct"), m.group("cpost")
    if sabbr and not cpre:
        return None  # "5m" without a currency: metres, or a code
    measure = None
    end = m.end()
    if not (pct or cpost or sabbr or cpre):
        mm = _MEASURE.match(text, end)
        if mm:
            measure, end = _MEASURES[mm.group("m").lower()], mm.end()
    if glued and not (scales_txt or sabbr or (pct and text[ne] != " ") or cpost or measure):
        return None
    if num[0] == "0" and len(num) > 1 and num[1].isdigit():
        return None  # "06", "02": identifiers, codes, phone numbers
    if _TIME.match(text, end) and not (pct or cpost or cpre or measure):
        return None
    prev = _PREV_TOKEN.search(text, max(0, s - 25), s)
    if prev and not cpre:
        tok = prev.group(1).lower()
        if tok in _IDENT or tok.rstrip(".") in _IDENT:
            return _IDENTIFIER
    value = _parse_number(num, decimal_comma_ok=bool(pct or scales_txt or cpre or cpost))
    if value is None:
        return None
    plain_int = num.isdigit()
    bare = not (cpre or scales_txt or sabbr or pct or cpost or measure)
    if bare and plain_int and len(num) == 4 and DATE_YEAR_MIN <= int(num) <= DATE_YEAR_MAX:
        return None  # a year
    # list markers: "(1)", "1)" and "1." at a line start
    if bare and plain_int and len(num) <= 2:
        nxt = text[ne:ne + 1]
        if nxt == ")" and (before == "(" or before.isspace() or before == ""):
            return None
        # "1. Complete ..." at a line start; a lone "12" on its own line ("Total:\n12") is a figure
        if nxt and nxt in ".)" and re.match(r"[ \t]+\S", text[ne + 1:ne + 3]) and _LINE_MARKER.search(text, 0, s):
            return None
    scale = Decimal(1)
    for w in _LETTERS.findall(scales_txt or ""):
        scale *= _SCALES[w.lower()]
    if sabbr:
        scale *= _SCALES_CUR[sabbr.lower()]
    unit: Optional[str] = None
    if pct:
        unit = _PCT[_norm(pct)]
    elif cpre or cpost:
        unit = _CUR_BEFORE[_norm(cpre)] if cpre else _CUR_AFTER[_norm(cpost)]
    elif measure:
        unit = measure
    else:
        unit, uend = _unit_phrase(text, end, value * scale)
        if unit is not None:
            end = uend
    start = sstart
    value = value * sign
    qualifier = None
    q = _QUAL.search(text, max(lo, sstart - FIGURE_QUALIFIER_WINDOW), sstart)
    if q:
        qualifier, start = _QUALS[_norm(q.group("q"))], q.start()
    return _Fig(value=value * scale, unit=unit, start=start, end=end, qualifier=qualifier,
                has_scale=bool(scales_txt or sabbr), scale=scale, num=num,
                dot_group=bool(_DOT_GROUP.fullmatch(num)) and scale == 1)


_WN = _F["word_numbers"]
_WN_UNITS = {k: int(v) for k, v in _WN["units"].items()}
_WN_TEENS = {k: int(v) for k, v in _WN["teens"].items()}
_WN_TENS = {k: int(v) for k, v in _WN["tens"].items()}
_WORDNUM = re.compile(
    rf"(?<![\w-])(?P<w>(?P<tens>{_alt(_WN_TENS)})(?:[ -](?P<tu>{_alt(k for k in _WN_UNITS if k != 'one')}|one))?"
    rf"|{_alt(_WN_TEENS)}|{_alt(_WN_UNITS)})(?![\w-])",
    re.IGNORECASE,
)
_WORDNUM_TRIGGER = re.compile(r"\b(?:" + "|".join(sorted({*_WN_UNITS, *_WN_TEENS, *_WN_TENS})) + r")\b", re.IGNORECASE)
_WN_NOT_COUNTED = {_norm(w) for w in _WN["not_counted"]}
_WN_ONE_AFTER = {_norm(w) for w in _WN["one_after"]}
_WN_VERB = re.compile(rf"[ \t]+{_alt(_WN['verbs_after'])}", re.IGNORECASE)
_WN_NOT = re.compile(rf"[ \t]+{_alt(_WN['not_after'])}", re.IGNORECASE)
_WN_RATIO = re.compile(r"(?:\d|" + _WORDNUM_TRIGGER.pattern + r")[ \t]+(?:in|out[ \t]+of)[ \t]+$", re.IGNORECASE)
_WN_OF = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?(?=\S)", re.IGNORECASE)


def _word_value(w: str) -> int:
    w = w.lower()
    for sep in (" ", "-"):
        if sep in w:
            a, b = w.split(sep, 1)
            return _WN_TENS[a] + _WN_UNITS[b]
    return _WN_UNITS.get(w) or _WN_TEENS.get(w) or _WN_TENS[w]


def _with_word_counts(text: str, figs: list, excl: list[tuple[int, int]]) -> list:
    """``figs`` with the counts written in words added (see [word_numbers] in figures.toml)."""
    if not _WORDNUM_TRIGGER.search(text):
        return figs
    taken = [(f.start, f.end) for f in figs]
    out = list(figs)
    for m in _WORDNUM.finditer(text):
        s, e = m.start(), m.end()
        if any(a <= s < b or a < e <= b for a, b in excl + taken):
            continue
        if _WN_NOT.match(text, e) or _WN_RATIO.search(text, max(0, s - 30), s):
            continue
        value = Decimal(_word_value(m.group("w")))
        q = _QUAL.search(text, max(0, s - FIGURE_QUALIFIER_WINDOW), s)
        if value == 1 and not (q and _norm(q.group("q")) in _WN_ONE_AFTER):
            continue   # "one of the", "use one law", "nearly one half": not a count
        unit, end = _unit_phrase(text, e, value)
        if unit is None:
            of = _WN_OF.match(text, e)
            nxt = _WORDNUM.match(text, of.end()) if of else None
            if of and nxt:              # "Four of the six decrees": the decrees' unit
                unit, _ = _unit_phrase(text, nxt.end(), Decimal(_word_value(nxt.group("w"))))
                end = e
            elif _WN_VERB.match(text, e):
                end = e                 # "nine were behind schedule"
            else:
                continue
        if unit is not None and (unit in _TIME_UNITS or unit.split()[-1] in _WN_NOT_COUNTED or unit in _WN_NOT_COUNTED):
            continue   # "within two months": a duration; "the two sides agreed": a description
        start = s
        if q:
            start = q.start()
        out.append(_Fig(value=value, unit=unit, start=start, end=end, qualifier=_QUALS[_norm(q.group("q"))] if q else None,
                        has_scale=False, scale=Decimal(1), num=str(value), dot_group=False))
        taken.append((start, end))
    out.sort(key=lambda f: f.start)
    return out


def _unit_phrase(text: str, p: int, value: Decimal) -> tuple[Optional[str], int]:
    """The noun phrase after a number, up to its head noun (see module doc)."""
    words: list[str] = []
    head: Optional[tuple[int, int]] = None   # (number of words, end offset)
    q = p
    for k in range(FIGURE_MAX_UNIT_WORDS + 2):
        m = _WORD.match(text, q)
        if not m:
            break
        raw = m.group(1)
        w = raw.lower().rstrip("-'’")
        wend = m.end() - (len(raw) - len(w))   # "provinces'": the span stops before the apostrophe
        if k == 0 and w in _TIME_UNITS:
            return w, wend
        if w in _STOP or len(words) >= FIGURE_MAX_UNIT_WORDS:
            break
        words.append(w)
        q = wend
        if _is_plural(w):
            head = (len(words), q)
            if w in _PARTITIVE:
                of = _OF.match(text, q)
                if of:
                    words.append("of")
                    q = of.end()
                    continue
            break
    if head is None:
        if value == 1 and words and words[-1] != "of":
            head = (len(words), q)
        else:
            return None, p
    kept = words[:head[0]]
    while len(kept) > 1 and kept[0] in _DROP:
        kept.pop(0)
    return " ".join(kept), head[1]


def _share_units(text: str, figs: list[_Fig]) -> None:
    """'1,027 out of 1,084 procedures', '10-15%', '2-3 million', '73 tasks, of which 50'."""
    for i in range(len(figs) - 1, -1, -1):
        f = figs[i]
        if f.unit is not None:
            continue
        if i + 1 < len(figs):
            g = figs[i + 1]
            gap = text[f.end:g.start]
            if g.unit is not None and g.qualifier is None and len(gap) <= 12:
                if _UNIT_LINK.fullmatch(gap):
                    f.unit = g.unit
                    continue
                if _RANGE_LINK.fullmatch(gap):
                    f.unit = g.unit
                    if not f.has_scale and g.has_scale:
                        f.value *= g.scale
                    continue
        if i > 0 and figs[i - 1].unit is not None:
            lead = text[figs[i - 1].end:f.start]
            if len(lead) <= 40 and _OF_WHICH.search(lead) and not re.search(r"[.;]", lead):
                f.unit = figs[i - 1].unit
