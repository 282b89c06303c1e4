"""Fidelity check: every figure of a source sentence must reappear in its English translation.

Figures are compared as numbers after each side is read with its own language's number format
(``data/<lang>/numbers.toml``): German/Vietnamese "1.027" and English "1,027" are both 1027,
"3,2" and "3.2" are both 3.2, "95 %" and "95%" are both 95. Years, day numbers and document numbers
("57/NQ-TW") are figures too. Month names and number words ("September", "four", "thứ tư") are
*implicit* figures: they can stand in for a figure on the other side ("23/9" -> "September 23") but
are never required themselves.

Two kinds of warning, one string each, recorded in ``Sentence.warnings``:
    "figure 1027 missing from translation"      a source figure the English lost or changed
    "figure 1.027 not in source"                 an English figure the source does not have
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
    )


# A run of digits with inner separators: "1.027", "3,2", "1 027" (narrow/no-break space), "13.03.2025".
# "/" and "-" are not separators: "23/9/2025" and "57/NQ-TW" are read as their parts.
_NUMBER = re.compile(r"(?<!\d)\d+(?:[.,\u00a0\u202f]\d+)*")
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


def figures(text: str, lang: str) -> set[str]:
    """Canonical values of the figures written with digits in ``text``."""
    fmt = number_format(lang)
    out: set[str] = set()
    for m in _NUMBER.finditer(text):
        out.update(_parse(m.group(0), fmt))
    return out


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
    src, tgt = figures(source, lang), figures(english, target_lang)
    src_words, tgt_words = implicit_figures(source, lang), implicit_figures(english, target_lang)
    warnings = [f"figure {v} missing from translation" for v in sorted(src - tgt - tgt_words, key=_sort_key)]
    warnings += [f"figure {v} not in source" for v in sorted(tgt - src - src_words, key=_sort_key)]
    return warnings


def _sort_key(v: str) -> tuple[Decimal, str]:
    return Decimal(v), v
