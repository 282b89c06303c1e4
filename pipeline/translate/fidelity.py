"""Fidelity check: every figure of a source sentence must reappear in its English translation.

Figures are compared as numbers after each side is read with its own language's number format
(``data/<lang>/numbers.toml``): German/Vietnamese "1.027" and English "1,027" are both 1027,
"3,2" and "3.2" are both 3.2, "95 %" and "95%" are both 95. Years, day numbers and document numbers
("57/NQ-TW") are figures too. Scale words after a figure (``[scales]``: "tỷ", "Milliarden",
"billion") give it a second reading, so "1.000 tỷ" and "1 trillion" match. Month names and number words ("September", "four", "thứ tư") are
*implicit* figures: they can stand in for a figure on the other side ("23/9" -> "September 23") but
are never required themselves.

Two kinds of warning, one string each, recorded in ``Sentence.warnings``:
    "figure 1027 missing from translation"      a source figure the English lost or changed
    "figure 1.027 not in source"                 an English figure the source does not have
    "figure 1.5 (= 1500000000) missing from translation"   a scaled figure ("1,5 Milliarden") whose
                                                 value the English changed ("1.5 trillion")
The source side wins: a consumer that needs a figure should read it from ``Sentence.source`` when the
sentence carries a warning for it.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pipeline.config import DATA_DIR


@dataclass(frozen=True)
class NumberFormat:
    lang: str
    decimal: str = "."
    thousands: tuple[str, ...] = (",",)
    months: dict[str, int] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    scales: dict[str, Decimal] = field(default_factory=dict)


@lru_cache(maxsize=None)
def number_format(lang: str) -> NumberFormat:
    """The number format of ``lang`` from ``data/<lang>/numbers.toml`` (English rules if absent)."""
    path = DATA_DIR / lang / "numbers.toml"
    if not path.exists():
        path = DATA_DIR / "en" / "numbers.toml"
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    return NumberFormat(
        lang=lang,
        decimal=raw.get("decimal", "."),
        thousands=tuple(raw.get("thousands", [","])),
        months={k.lower(): int(v) for k, v in raw.get("months", {}).items()},
        words={k.lower(): int(v) for k, v in raw.get("words", {}).items()},
        scales={k.lower(): Decimal(str(v)) for k, v in raw.get("scales", {}).items()},
    )


# A run of digits with inner separators: "1.027", "3,2", "1 027" (narrow/no-break space), "13.03.2025".
# "/" and "-" are not separators: "23/9/2025" and "57/NQ-TW" are read as their parts.
# "12 500" with a plain space is one number only in groups of three after 1-3 digits, and not right
# after another number ("năm 2025 100 ..." is two).
_NUMBER = re.compile(r"(?<!\d)(?:(?<!\d )\d{1,3}(?: \d{3})+(?![\d.,\u00a0\u202f]\d)|\d+(?:[.,\u00a0\u202f]\d+)*)")
_WORD = re.compile(r"[^\W\d_]+")


def _canon(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def _parse(token: str, fmt: NumberFormat) -> list[str]:
    """Canonical values of one digit run; a run that is no single number yields its integer parts."""
    t = token.replace("\u00a0", " ").replace("\u202f", " ")
    seps = set(re.findall(r"[., ]", t))
    if not seps:
        return [_canon(Decimal(t))]
    thousands = set(fmt.thousands) | {" "}
    int_part, dec_part = t, None
    if fmt.decimal in seps and t.count(fmt.decimal) == 1:
        int_part, dec_part = t.split(fmt.decimal)
    groups = re.split(r"[., ]", int_part)
    seps_int = set(re.findall(r"[., ]", int_part))
    grouped_ok = (len(groups) == 1 or (seps_int <= thousands and len(seps_int) == 1 and 1 <= len(groups[0]) <= 3
                                       and all(len(g) == 3 for g in groups[1:])))
    if grouped_ok and (dec_part is None or dec_part.isdigit()):
        try:
            return [_canon(Decimal("".join(groups) + ("." + dec_part if dec_part else "")))]
        except InvalidOperation:
            pass
    if len(seps) == 1 and t.count(next(iter(seps))) == 1 and " " not in seps:
        # one separator that the language's rules do not explain ("1.5" in a German text): a decimal
        return [_canon(Decimal(t.replace(",", ".")))]
    return [_canon(Decimal(p)) for p in re.split(r"[., ]", t) if p]   # "13.03.2025": a date's parts


@dataclass(frozen=True)
class FigureSpan:
    """One figure written with digits: where it stands, its value as written and with its scale
    words applied ("3,2 triệu tỷ" -> raw "3.2", value "3200000000000000", end after "tỷ")."""

    start: int           # offset of the first digit
    end: int             # offset after the last digit, or after the last scale word
    num_end: int         # offset after the last digit
    raw: str             # canonical value as written ("1027", "3.2")
    value: str           # canonical value with scale words applied
    scaled: bool         # a scale word follows
    single: bool         # the digit run is one number (not a date's parts such as "13.03.2025")


def figure_spans(text: str, lang: str) -> list[FigureSpan]:
    """Every figure of ``text`` read with ``lang``'s number format and scale words, with its span.
    A digit run that is no single number ("13.03.2025") yields one entry per part, all with the
    run's span and ``single`` False."""
    fmt = number_format(lang)
    out: list[FigureSpan] = []
    for m in _NUMBER.finditer(text):
        parts = _parse(m.group(0), fmt)
        scale, pos = Decimal(1), m.end()
        while fmt.scales and len(parts) == 1:                 # "3,2 triệu tỷ" = 3.2 x 10^6 x 10^9
            w = _WORD.match(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))
            if not w or w.group(0).lower() not in fmt.scales:
                break
            scale *= fmt.scales[w.group(0).lower()]
            pos = w.end()
        out.extend(FigureSpan(m.start(), pos, m.end(), p, _canon(Decimal(p) * scale), pos != m.end(), len(parts) == 1)
                   for p in parts)
    return out


def _figures(text: str, lang: str) -> list[tuple[str, str, bool]]:
    """(as written, with scale words applied, has a scale word) per figure:
    "1.000 tỷ" -> ("1000", "1000000000000", True)."""
    return [(f.raw, f.value, f.scaled) for f in figure_spans(text, lang)]


def figures(text: str, lang: str) -> set[str]:
    """Canonical values of the figures written with digits in ``text`` (as written, no scale words)."""
    return {raw for raw, _, _ in _figures(text, lang)}


def implicit_figures(text: str, lang: str) -> set[str]:
    """Values written as words: month names and number words ("September" = 9, "vier" = 4)."""
    fmt = number_format(lang)
    out: set[str] = set()
    for m in _WORD.finditer(text):
        w = m.group(0).lower()
        if w in fmt.months:
            out.add(str(fmt.months[w]))
        if w in fmt.words:
            out.add(str(fmt.words[w]))
    return out


def check(source: str, english: str, lang: str, target_lang: str = "en") -> list[str]:
    """Warnings for figures lost or invented by a translation of ``source`` (in ``lang``) to ``english``."""
    src, tgt = _figures(source, lang), _figures(english, target_lang)
    missing = _unmatched(src, tgt, implicit_figures(english, target_lang))
    invented = _unmatched(tgt, src, implicit_figures(source, lang))
    return ([f"figure {v} missing from translation" for v in sorted(missing, key=_sort_key)]
            + [f"figure {v} not in source" for v in sorted(invented, key=_sort_key)])


def _unmatched(these: list[tuple[str, str, bool]], other: list[tuple[str, str, bool]],
               other_words: set[str]) -> set[str]:
    """Figures of ``these`` with no counterpart in ``other``. A counterpart has the same scaled value
    ("1.000 tỷ" = "1 trillion"), or the same number as written when at most one of the two carries a
    scale word ("3,2 triệu tỷ" = "3.2 quadrillion" by value, "= 3.2" when the scale word was left as is;
    but "1,5 Milliarden" != "1.5 trillion"), or is a month name / number word on the other side."""
    values = {v for _, v, _ in other}
    plain = {r for r, _, scaled in other if not scaled} | other_words
    any_raw = {r for r, _, _ in other}
    return {f"{r} (= {v})" if scaled else r for r, v, scaled in these
            if v not in values and r not in plain and (scaled or r not in any_raw)}


def _sort_key(label: str) -> tuple[Decimal, str]:
    return Decimal(label.split(" ", 1)[0]), label
