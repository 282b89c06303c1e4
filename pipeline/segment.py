"""Sentence splitting per language, returning character spans into the text.

Abbreviations that end in a period ("No.", "Nr.", "TS.", "Dr.") are data files per language
(``data/<lang>/abbreviations.txt``); the splitter itself is language independent.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.config import DATA_DIR


@lru_cache(maxsize=None)
def _abbreviations(lang: str) -> frozenset[str]:
    words: set[str] = set()
    for name in ("common", lang):
        path = DATA_DIR / name / "abbreviations.txt" if name != "common" else DATA_DIR / "abbreviations.txt"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    words.add(line.lower().rstrip("."))
    return frozenset(words)


# A sentence ends at . ! ? ; (or "./.") followed by space(s) and an upper-case letter, digit, quote
# or opening bracket; paragraph breaks always end a sentence.
_BOUNDARY = re.compile(r"""(?<=[.!?…])["”»’)]*\s+(?=["“„«(\[]?[\w])""")
_PARA = re.compile(r"\n\s*\n|\n")


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, in order, whitespace trimmed."""
    abbrev = _abbreviations(lang)
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in _PARA.split(text) if text else []:
        start = text.find(para, pos)
        pos = start + len(para)
        _split_paragraph(text, start, start + len(para), abbrev, spans)
    return spans


def _split_paragraph(text: str, start: int, end: int, abbrev: frozenset[str], out: list[tuple[int, int]]) -> None:
    seg_start = start
    para = text[start:end]
    for m in _BOUNDARY.finditer(para):
        cut = start + m.start()
        before = text[seg_start:cut]
        last = re.search(r"(\S+)$", before)
        token = last.group(1).lower().rstrip(".!?…\"”»’)") if last else ""
        nxt = text[start + m.end(): start + m.end() + 1]
        if token in abbrev or (re.fullmatch(r"[a-zà-ỹ]", token) is not None):
            continue  # "No. 57", "Nr. 598", initials
        if re.fullmatch(r"\d+", token) and text[cut - 1] == "." and nxt.isdigit():
            continue  # "1. 2." numbering inside a line is kept together
        if not nxt.isupper() and not nxt.isdigit() and nxt not in "\"“„«([":
            continue  # lower-case continuation: not a sentence start
        _emit(text, seg_start, cut, out)
        seg_start = start + m.end()
    _emit(text, seg_start, end, out)


def _emit(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))
