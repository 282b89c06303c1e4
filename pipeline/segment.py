"""Sentence splitting per language, returning character spans into the text.

The splitter is language independent; what differs per language is data under ``data/<lang>/``:

* ``abbreviations.txt`` (plus the shared ``data/abbreviations.txt``): words that end in a period
  without ending the sentence ("Nr. 57", "TS. Nguyễn Văn A", "z.B.", "Dr.");
* ``numbers.toml`` ``[months]``: month names, so that "am 1. Juli 2025" stays one sentence;
* ``segment.toml``: ``ordinal_dot`` (the language writes ordinals as "15.") and ``ordinal_before``
  (words that introduce such an ordinal: "der 15. Nationalversammlung").

Other rules: paragraph breaks (newlines) always end a sentence; a period followed by a lower-case
word, a digit after "1." inside a run of numbers, or a list marker ("1.", "a)", "II.") at the start
of a line or after ": ; ," never do;
single letters before a period are initials ("Nguyễn Văn A.", "z. B."). Decimal commas and points
("3,2", "3.2") have no space after them and never split.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from pipeline.config import DATA_DIR, MAX_SENTENCE_CHARS


@dataclass(frozen=True)
class _Rules:
    abbreviations: frozenset[str]
    months: frozenset[str]
    ordinal_dot: bool
    ordinal_before: frozenset[str]


def _read_words(path) -> set[str]:
    words: set[str] = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                words.add(line.lower().rstrip("."))
    return words


def _read_toml(path) -> dict:
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def _rules(lang: str) -> _Rules:
    abbrev = _read_words(DATA_DIR / "abbreviations.txt") | _read_words(DATA_DIR / lang / "abbreviations.txt")
    months = {m.lower() for m in _read_toml(DATA_DIR / lang / "numbers.toml").get("months", {})}
    seg = _read_toml(DATA_DIR / lang / "segment.toml")
    return _Rules(frozenset(abbrev), frozenset(months), bool(seg.get("ordinal_dot", False)),
                  frozenset(w.lower() for w in seg.get("ordinal_before", [])))


def _abbreviations(lang: str) -> frozenset[str]:
    return _rules(lang).abbreviations


# A candidate boundary: . ! ? … (plus closing quotes/brackets) followed by whitespace and a word
# character, an opening quote or bracket. Each candidate is then vetted by the rules below.
_BOUNDARY = re.compile(r"""(?<=[.!?…])(["”»’“)\]]*)\s+(?=["“„«‘(\[]?[\w])""")
_PARA = re.compile(r"\n\s*\n|\n")
_OPENERS = "\"'“„«‘(["
_CLOSERS = ".!?…\"'”»’“)]"
# A segment that is nothing but a list marker: "1.", "12)", "a)", "(b)", "IV."
_LIST_MARKER = re.compile(r"\(?(?:\d{1,3}|[A-Za-z]|[IVXLivxl]{1,5})[.)]")
_WORD = re.compile(r"[^\W\d_]+")


def split_sentences(text: str, lang: str = "en", warnings: list[str] | None = None,
                    max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, in order, whitespace trimmed.

    A sentence longer than ``max_chars`` (no real one is: see config) is cut into parts of at most
    that size, at the last space before the limit (a word longer than a part is left out);
    ``warnings`` (when a list) gets one message per sentence cut."""
    rules = _rules(lang)
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in _PARA.split(text) if text else []:
        start = text.find(para, pos)
        pos = start + len(para)
        _split_paragraph(text, start, start + len(para), rules, spans)
    if any(b - a > max_chars for a, b in spans):
        spans = _cut_long(text, spans, max_chars, warnings)
    return spans


def _cut_long(text: str, spans: list[tuple[int, int]], max_chars: int,
              warnings: list[str] | None) -> list[tuple[int, int]]:
    """Each span over ``max_chars`` cut at spaces into parts of at most ``max_chars``; a single word
    longer than that (no space to cut at) is left out of every part rather than cut in pieces, whose
    fragments would read as words or numbers of their own."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if b - a <= max_chars:
            out.append((a, b))
            continue
        parts: list[tuple[int, int]] = []
        dropped = 0
        s = a
        while b - s > max_chars:
            limit = s + max_chars
            cut = max(text.rfind(" ", s + 1, limit + 1), text.rfind("\n", s + 1, limit + 1))
            if cut > s:
                _emit(text, s, cut, parts)
                s = cut
            else:  # the word at s is longer than a part: skip to the space after it
                end = next((i for i in range(limit, b) if text[i].isspace()), b)
                dropped += 1
                s = end
            while s < b and text[s].isspace():
                s += 1
        _emit(text, s, b, parts)
        out.extend(parts)
        if warnings is not None:
            left = f"; {dropped} word{'s' if dropped > 1 else ''} longer than that left out" if dropped else ""
            warnings.append(f"sentence at characters {a:,}-{b:,} is {b - a:,} characters long: cut at spaces into "
                            f"{len(parts)} part{'s' if len(parts) != 1 else ''} of at most {max_chars:,}{left}")
    return out


def _split_paragraph(text: str, start: int, end: int, rules: _Rules, out: list[tuple[int, int]]) -> None:
    seg_start = start
    para = text[start:end]
    for m in _BOUNDARY.finditer(para):
        cut = start + m.end(1)           # after the terminal punctuation and closing quotes
        nxt_at = start + m.end()         # first character of the next sentence
        if not _is_boundary(text, seg_start, cut, nxt_at, end, rules):
            continue
        _emit(text, seg_start, cut, out)
        seg_start = nxt_at
    _emit(text, seg_start, end, out)


def _is_boundary(text: str, seg_start: int, cut: int, nxt_at: int, end: int, rules: _Rules) -> bool:
    before = text[seg_start:cut]
    last = re.search(r"(\S+)$", before)
    raw = last.group(1) if last else ""
    token = raw.lower().lstrip(_OPENERS).rstrip(_CLOSERS)
    period = raw.rstrip("\"'”»’“)]").endswith(".")
    nxt = text[nxt_at:nxt_at + 1]
    if nxt in _OPENERS:
        nxt = text[nxt_at + 1:nxt_at + 2] or nxt
    word = _WORD.match(text, nxt_at + (1 if text[nxt_at] in _OPENERS else 0))
    next_word = word.group(0).lower() if word else ""

    if period and token in rules.abbreviations:
        return False                     # "Nr. 57", "TS. Nguyễn", "z.B. die"
    if period and re.fullmatch(r"[^\W\d_]", token):
        return False                     # initials: "Nguyễn Văn A. Trần", "z. B."
    if period and _LIST_MARKER.fullmatch(raw):
        words = before[:len(before) - len(raw)].split()
        if not words or words[-1][-1] in ":;,":
            return False                 # "1. Die Regierung …", "Nhiệm vụ: 1. Hoàn thiện …; 2. Phát triển …"
    if period and token.isdigit():
        if nxt.isdigit():
            words = before[:len(before) - len(raw)].split()
            if not words or re.fullmatch(r"\d+\.", words[-1]):
                return False             # "1. 2. 3." numbering kept together
            # "... required by Project 06. 30 out of 34 provinces ..." is a new sentence
        if rules.ordinal_dot:
            if next_word in rules.months:
                return False             # "am 1. Juli 2025"
            words = before[:len(before) - len(raw)].split()
            prev = words[-1].lower().strip(_OPENERS + _CLOSERS + ",;:") if words else ""
            if prev in rules.ordinal_before:
                return False             # "der 15. Nationalversammlung"
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False                     # lower-case continuation: not a sentence start
    return True


def _emit(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))
