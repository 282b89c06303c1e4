"""Plain-text page cleaning: drop site chrome, find title / source URL / date line, mark captions.

All patterns come from ``data/chrome.toml`` and ``data/outlets.toml``; nothing outlet-specific here.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.config import DATA_DIR, MAX_CAPTION_WORDS, MAX_TITLE_CHARS
from pipeline.ingest.metadata import date_from_line, outlet_of


@dataclass
class CleanPage:
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    caption_flags: list[bool] = field(default_factory=list)
    url: str | None = None
    outlet: str | None = None
    published: str | None = None

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
    }


_URL = re.compile(r"https?://\S+")
_TERMINAL = re.compile(r"""[.!?…:;"”»)\]]$""")


def is_caption(line: str) -> bool:
    return any(p.search(line) for p in _rules()["caption"])


def _is_chrome(line: str) -> bool:
    return any(p.fullmatch(line) for p in _rules()["drop"])


def _is_tail(line: str) -> bool:
    return any(p.fullmatch(line) for p in _rules()["tail"])


def clean_text_page(raw: str) -> CleanPage:
    rules = _rules()
    page = CleanPage()
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in raw.split("\n")]
    body: list[str] = []
    body_chars = 0
    for line in lines:
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
        date = date_from_line(line)
        if date and len(line) <= 80 and not re.search(r"[.!?]$", line):
            page.published = page.published or date
            continue
        lead = rules["lead_prefix"].match(line)
        if lead:
            hint = lead.group("outlet")
            page.outlet = page.outlet or outlet_of(hint)
            line = line[lead.end():]
        body.append(line)
        body_chars += len(line)

    # Title: the first line, when it is short, not a caption and not a finished sentence.
    if body:
        first = body[0]
        unfinished = not first.endswith(".") or first.endswith(("...", "…"))
        if len(first) <= MAX_TITLE_CHARS and not is_caption(first) and unfinished and len(body) > 1:
            page.title = first.rstrip()
            body = body[1:]
    for line in body:
        page.paragraphs.append(line)
        page.caption_flags.append(is_caption(line) or _caption_like(line))
    if page.url and not page.outlet:
        page.outlet = outlet_of(page.url)
    elif page.url:
        page.outlet = outlet_of(page.url) or page.outlet
    return page


def _caption_like(line: str) -> bool:
    """A short line with no final punctuation between paragraphs: a photo caption."""
    return len(line.split()) <= MAX_CAPTION_WORDS and not _TERMINAL.search(line)
