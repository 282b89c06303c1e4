"""What the meeting view compares, read from the records: figures as metrics, deadlines, actors, words.

Every judgement of "same fact" is built from these parts; none of them reads a document's text, only
Statement fields (text, source_text, figures, date, actors, action, kind).

* **Metric of a figure**: its unit, the content words around it inside its clause (what it counts:
  "80% of *records processed online*"), its value, how precisely the value was written (the last digit
  of "65.2 million" is worth 100,000; of "over 65 million", 1,000,000) and its qualifier (over, nearly…).
* **Values** are *equal*, *compatible* (one is a rounder or qualified form of the other: "over 65
  million" vs "65.2 million", "nearly 400" vs 398) or *different* ("25%" vs "30%").
* **Units** are the same, *less detailed* (one outlet gives none: "716,000" vs "716,000 identification
  records"; or only the head noun: "records" vs "identification records") or other.
* **Deadlines** (ISO) are the same, *vaguer* (one period contains the other's end: "in 2025" vs "by
  June 30, 2025"), missing on one side, or different.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from pipeline import config
from pipeline.records import DateSpan, Figure

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CLAUSE = re.compile(r"[,;:()\u2013\u2014]|\.(?=\s)|\s-\s")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    path = config.DATA_DIR / "en" / "merge_stopwords.txt"
    words = [w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()]
    return frozenset(w for w in words if w and not w.startswith("#"))


@lru_cache(maxsize=1)
def words() -> dict:
    """pipeline/data/en/samefact.toml, with its word lists as sets and the qualifiers inverted."""
    with open(config.DATA_DIR / "en" / "samefact.toml", "rb") as fh:
        data = tomllib.load(fh)
    # the words of state bodies' names (gazetteer, English names and aliases) are weak too: a shared
    # ministry alone is not a shared fact
    with open(config.DATA_DIR / "gazetteer.toml", "rb") as fh:
        bodies = tomllib.load(fh).get("body", [])
    body_words = {w for b in bodies for name in [b.get("name", "")] + list(b.get("en", []))
                  for w in _WORD.findall(name.lower()) if len(w) >= 3}
    return {
        "generic_units": frozenset(u.lower() for u in data["generic_units"]),
        "tracking_generic_units": frozenset(u.lower() for u in data["tracking_generic_units"]),
        "unit_aliases": {k.lower(): v.lower() for k, v in data["unit_aliases"].items()},
        "qualifiers": {" ".join(w.lower().split()): kind for kind, ws in data["qualifiers"].items() for w in ws},
        "scale_stems": frozenset(stem(w) for w in data["scale_words"]) |
        frozenset(stem(w) for ws in data["qualifiers"].values() for q in ws for w in q.split()),
        "weak_stems": frozenset(stem(w) for w in list(data["weak_words"]) + sorted(body_words)),
        "vague_date": re.compile(r"\b(?:" + "|".join(re.escape(w) for w in data["vague_date_words"]) + r")\b",
                                 re.IGNORECASE),
    }


def stem(word: str) -> str:
    return word.lower()[: config.MERGE_STEM_CHARS]


def stems(text: str) -> frozenset[str]:
    """Content-word stems of an English text (stop words, short words and numbers dropped)."""
    stop = _stopwords()
    return frozenset(stem(w) for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in stop)


def strong(stem_set: Iterable[str]) -> frozenset[str]:
    """The stems that are not weak (words every meeting report uses; samefact.toml ``weak_words``)."""
    weak = words()["weak_stems"]
    return frozenset(w for w in stem_set if w not in weak)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def core_text(text: str, date: Optional[DateSpan]) -> str:
    """A statement's wording without its deadline's words (deadlines are compared as dates)."""
    return " ".join(text.replace(date.text, " ").split()) if date and date.text else text


# ----------------------------------------------------------------------------- figures
def unit_key(unit: Optional[str]) -> str:
    u = " ".join((unit or "").strip().lower().split())
    return words()["unit_aliases"].get(u, u)


def generic_unit(unit: Optional[str]) -> bool:
    """A unit that does not name what is counted ('%', 'VND', none): the words around say it."""
    u = unit_key(unit)
    return u in words()["generic_units"] or not _WORD.search(u)


def qualifier_kind(q: Optional[str]) -> Optional[str]:
    """'over' (the true value is at least this), 'under' (at most), 'about' (near), or None."""
    if not q:
        return None
    return words()["qualifiers"].get(" ".join(q.lower().split()))


def written_step(f: Figure) -> float:
    """What one unit of the last written digit is worth: 100,000 for "65.2 million", 1 for "398",
    0.01 for "39.27%"; 0 when the figure's text does not show how it was written."""
    if not f.value or not f.text:
        return 0.0
    for m in _NUMBER.finditer(f.text):
        digits = m.group().replace(",", "")
        try:
            mantissa = float(digits)
        except ValueError:
            continue
        if mantissa == 0:
            continue
        scale = abs(f.value) / mantissa
        exp = round(math.log10(scale)) if scale > 0 else 0
        if scale > 0 and math.isclose(scale, 10.0 ** exp, rel_tol=1e-6):
            decimals = len(digits.split(".")[1]) if "." in digits else 0
            return 10.0 ** (exp - decimals)
    return 0.0


@dataclass(frozen=True, eq=False)
class Metric:
    """One figure of a statement, as the comparison sees it."""

    value: float
    unit: str                    # unit key ('' when none)
    head: str                    # stem of the unit's last word ('' for generic units)
    generic: bool
    subject: frozenset[str]      # content stems around the figure in its clause, unit words excluded
    unit_stems: frozenset[str]
    step: float                  # see written_step
    qualifier: Optional[str]     # see qualifier_kind
    figure: Figure


def figure_subject(text: str, fig: Figure) -> frozenset[str]:
    """Content-word stems around a figure, inside its clause: what the figure counts."""
    start, end = fig.text_start, fig.text_end
    if start is None or end is None or end > len(text) or text[start:end] != fig.text:
        pos = text.find(fig.text) if fig.text else -1
        if pos < 0:
            return stems(text)
        start, end = pos, pos + len(fig.text)
    before = _CLAUSE.split(text[:start])[-1]
    after = _CLAUSE.split(text[end:])[0]
    n = config.MERGE_SUBJECT_WORDS
    stop = _stopwords()
    words_before = [w for w in _WORD.findall(before.lower()) if len(w) >= 3 and w not in stop][-n:]
    words_after = [w for w in _WORD.findall(after.lower()) if len(w) >= 3 and w not in stop][:n]
    inside = [w for w in _WORD.findall(fig.text.lower()) if len(w) >= 3 and w not in stop]
    return frozenset(stem(w) for w in words_before + words_after + inside)


def metric(text: str, f: Figure) -> Metric:
    key = unit_key(f.unit)
    unit_words = [w for w in _WORD.findall(key) if w not in _stopwords()]
    unit_stems = frozenset(stem(w) for w in unit_words)
    generic = generic_unit(f.unit)
    subject = figure_subject(text, f) - unit_stems - words()["scale_stems"]
    return Metric(value=f.value, unit=key, head="" if generic or not unit_words else stem(unit_words[-1]),
                  generic=generic, subject=subject, unit_stems=unit_stems, step=written_step(f),
                  qualifier=qualifier_kind(f.qualifier), figure=f)


def metrics(text: str, figures: list[Figure]) -> tuple[Metric, ...]:
    return tuple(metric(text, f) for f in figures)


def values_relation(a: Metric, b: Metric) -> str:
    """equal | compatible (a rounder or qualified form of the other) | different."""
    if math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-9):
        return "equal"
    if _covers(a, b) or _covers(b, a):
        return "compatible"
    return "different"


def _covers(m: Metric, other: Metric) -> bool:
    """Could figure ``m`` be a rounder or qualified way of writing ``other``'s value?"""
    v = other.value
    if m.step and _finer(other, m.step) and abs(v - m.value) <= m.step / 2 * (1 + 1e-9):
        return True  # "65 million" for 65.2 million
    if m.qualifier and m.value:
        # a qualified round number reaches further than a precise one: "nearly 400" may be 385, "nearly
        # 58.7 million" is not 57.8 million (a figure written to a tenth of a million says which it is)
        reach = max(min(config.MERGE_QUALIFIER_TOLERANCE * abs(m.value), 5 * _round_step(m)), m.step)
        if m.qualifier == "over":
            return m.value <= v <= m.value + reach
        if m.qualifier == "under":
            return m.value - reach <= v <= m.value
        if m.qualifier == "about":
            return abs(v - m.value) <= reach
    return False


def _round_step(m: Metric) -> float:
    """The written step of a figure times ten per trailing zero of its digits ("400": 100; "58.7
    million": 100,000; "65 million": 1,000,000); its value when the writing is unknown."""
    if not m.step:
        return abs(m.value)
    step = m.step
    for d in _NUMBER.finditer(m.figure.text or ""):
        digits = d.group().replace(",", "")
        if "." not in digits:
            stripped = digits.rstrip("0")
            step *= 10 ** (len(digits) - len(stripped)) if stripped else 1
        break
    return step


def significant_digits(m: Metric) -> int:
    """Digits of the value as written, trailing zeros aside: "48.7 million" 3, "42,000" 2, "500,000" 1."""
    step = _round_step(m)
    if not step or not m.value:
        return 0
    return len(str(int(round(abs(m.value) / step))).rstrip("0") or "0")


def _finer(other: Metric, coarse: float) -> bool:
    """``other`` is written more precisely than a step of ``coarse`` (25 vs the step 10 of "30" is not:
    both are whole numbers, so "30%" and "25%" are two values, not a rounding)."""
    if other.step:
        return other.step < coarse and not _multiple(other.value, coarse)
    return not _multiple(other.value, coarse)


def _multiple(v: float, step: float) -> bool:
    ratio = v / step
    return math.isclose(ratio, round(ratio), abs_tol=1e-9)


def units_relation(a: Metric, b: Metric) -> str:
    """same | less (one gives no unit, or a unit whose head noun the other's shares) | other."""
    if a.unit == b.unit:
        return "same"
    if not a.unit or not b.unit:
        return "less" if not (a.generic and a.unit) and not (b.generic and b.unit) else "other"
    if a.head and a.head == b.head:
        return "less"
    # "63.6 million people had activated ... accounts" against "66.3 million electronic identification
    # accounts": the figure names the other's counted noun right beside it, the outlets count one thing
    if a.head and b.head and not a.generic and not b.generic and (a.head in b.subject or b.head in a.subject):
        return "less"
    return "other"


def subject_overlap(a: Metric, b: Metric) -> frozenset[str]:
    """Strong words the two figures' subjects share. The words of a unit count as subject for the other
    side ("14 tasks overdue" and "14 overdue tasks"; "716,000" of identification records and "716,000
    identification records"), but a unit both sides give is the unit, not a shared subject."""
    sa = a.subject | a.unit_stems
    sb = b.subject | b.unit_stems
    return strong((sa & sb) - (a.unit_stems & b.unit_stems))


def same_metric(a: Metric, b: Metric) -> bool:
    """Two figures measure one thing: compatible units and, unless the unit names it, shared subject words.

    A named unit shared ("identification records") is enough when one side names nothing else around
    the figure; otherwise the subjects must share a strong word. Generic units ('%', 'VND') and missing
    units always need shared strong subject words."""
    rel = units_relation(a, b)
    if rel == "other":
        return False
    shared = subject_overlap(a, b)
    if rel == "same" and not a.generic:
        return bool(shared) or not strong(a.subject) or not strong(b.subject)
    return len(shared) >= 1


def disputable(a: Metric, b: Metric) -> bool:
    """Two figures whose different values would be a conflict: both give a unit (one outlet giving none
    says less, it does not contradict) and the words around them share a strong word (a bare shared
    unit such as "tasks" does not make "98 tasks completed" and "21 tasks behind schedule" one count)."""
    if units_relation(a, b) == "other" or not subject_overlap(a, b):
        return False
    return _stated(a, b) and _stated(b, a)


def _stated(a: Metric, other: Metric) -> bool:
    """``a`` gives a unit, or names the other's unit's head noun right beside the figure ("the number of
    activated accounts to 75 million" against "70 million electronic identification accounts")."""
    return bool(a.unit) or (bool(other.head) and other.head in a.subject)


def distinctive_value(m: Metric) -> bool:
    """A value unlikely to recur by chance in one meeting's reports: a share that is not a multiple of 5
    ("91%", "52.3%"), a count of a thousand or more ("65.2 million", "3,008"), a number with decimals.
    "100%", "30%", "21 tasks" are not: many facts of one meeting share them."""
    v = abs(m.value)
    if not float(v).is_integer():
        return True
    if m.unit == "%":
        return v % 5 != 0
    return v >= 1000


# ----------------------------------------------------------------------------- dates
def date_key(d: Optional[DateSpan]) -> Optional[str]:
    if d is None:
        return None
    return d.end or d.start or None


YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def dates_relation(a: Optional[DateSpan], b: Optional[DateSpan]) -> str:
    """same | vaguer | missing (one or both unresolved) | different.

    Vaguer: one period holds the other's end ("in 2025" and "by June 30, 2025"; "in August 2025" and
    "since August 18, 2025"), an approximate date
    in the other's month ("mid-November" and "November 15"), or the same month and day where one text
    names no year (its year was guessed from the publication date: "by the end of the year" in a report
    published in January)."""
    ka, kb = date_key(a), date_key(b)
    if ka is None or kb is None:
        return "missing"
    if ka == kb:
        return "same"
    if _holds(a, kb) or _holds(b, ka):
        return "vaguer"
    vague = words()["vague_date"]
    if ka[:7] == kb[:7] and (vague.search(a.text) or vague.search(b.text)):
        return "vaguer"
    if ka[4:] == kb[4:] and (not YEAR.search(a.text) or not YEAR.search(b.text)):
        return "vaguer"
    return "different"


def _holds(d: DateSpan, iso: str) -> bool:
    """A period ("in August 2025", "in 2025", "2021-2030": a stated start before its end) that contains
    ``iso``: "in August 2025" against "August 18, 2025" gives less detail, it does not disagree. A
    deadline ("by the end of August": no start) holds nothing: against "before August 19" it is
    another deadline."""
    if not d.start or not d.end or d.start >= d.end:
        return False
    return d.start <= iso <= d.end


# ----------------------------------------------------------------------------- display
_SCALES = ((1e15, "million billion"), (1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def human_number(v: float) -> str:
    """A value as people write it: "3.2 million billion", "2.5 million", "716,000", "39.27"."""
    if not math.isfinite(v):
        return str(v)
    a = abs(v)
    for scale, word in _SCALES:
        if a >= scale:
            x = v / scale
            if word == "trillion" and a >= 1e15:
                continue
            return f"{_short_decimal(x)} {word}"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")


def _short_decimal(x: float) -> str:
    s = f"{x:.3f}".rstrip("0").rstrip(".")
    whole, _, frac = s.partition(".")
    return f"{int(whole):,}" + (f".{frac}" if frac else "") if whole.lstrip("-").isdigit() else s


def figure_label(f: Figure) -> str:
    """'80%', '273 tasks', 'more than 3.2 million billion VND': qualifier, value and unit as a reader
    expects them (never "3200000000000000")."""
    v = human_number(f.value)
    q = f"{f.qualifier} " if f.qualifier else ""
    if not f.unit:
        return q + v
    return q + (f"{v}{f.unit}" if f.unit == "%" else f"{v} {f.unit}")
