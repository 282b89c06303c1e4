"""Bytes to text: BOMs, UTF-16, UTF-8, then legacy code pages; binary content is refused; and the
characters no reader should see (lone surrogates, NUL, invisible format characters) cleaned out.

Every refusal is a ``Rejected`` exception carrying a reason a person can read; every repair a
warning (``decode_report``, ``clean_characters``).
"""
from __future__ import annotations

import codecs
import re
import tomllib
import unicodedata
from functools import lru_cache

from charset_normalizer import from_bytes

from pipeline.config import DATA_DIR, NUL_MAX_SHARE, UTF8_REPAIR_MIN_VALID_PER_INVALID


class Rejected(Exception):
    """An input that cannot become a document; ``str(exc)`` is the human-readable reason."""


# Leading bytes of common binary formats that end up in scraped folders.
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a media file",
    b"BM": None,  # too short to trust on its own
}

def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; text is NFC-normalised with ``\\n`` line ends."""
    text, enc, _ = decode_report(data)
    return text, enc


def utf16_family(data: bytes) -> str | None:
    """The UTF-16/32 codec a file is written in (by its BOM or its NUL byte pattern), else None."""
    if data.startswith(codecs.BOM_UTF8):
        return None
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _looks_utf16(data)


def decode_report(data: bytes) -> tuple[str, str, list[str]]:
    """``(text, encoding, warnings)``: as ``decode``, with what was repaired on the way."""
    if not data.strip():
        raise Rejected("empty file" if not data else "file holds only whitespace")
    for magic, what in _MAGIC.items():
        if what and data.startswith(magic):
            raise Rejected(f"binary content ({what})")
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        enc, data = "utf-8", data[len(codecs.BOM_UTF8):]
    else:
        enc = utf16_family(data)
    if enc and enc != "utf-8":
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise Rejected(f"declared {enc} but the bytes do not decode ({exc.reason} at byte {exc.start})") from None
        return _finish(text), enc, warnings
    # NUL bytes: one rule for the whole file (a text never has them; a few are a scraper's strays,
    # removed by clean_characters with a warning; more are binary content)
    nul = data.count(b"\x00")
    if nul and nul > len(data) * NUL_MAX_SHARE:
        raise Rejected("binary content (NUL bytes)")
    try:
        return _finish(data.decode("utf-8")), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    repaired = _mostly_utf8(data)
    if repaired is not None:
        text, bad = repaired
        warnings.append(f"{bad} byte sequence{'s' if bad > 1 else ''} not valid UTF-8 in an otherwise UTF-8 "
                        "file: replaced with U+FFFD")
        return _finish(text), "utf-8", warnings
    text, enc = _detect(data)
    return _finish(text), enc, warnings


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """``(text, invalid sequences)`` when ``data`` is UTF-8 with a few damaged bytes: at least
    UTF8_REPAIR_MIN_VALID_PER_INVALID valid non-ASCII characters per invalid sequence. A legacy
    code page read as UTF-8 gives almost no valid multi-byte characters, so it never passes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if bad <= 0:
        return None
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    if valid < UTF8_REPAIR_MIN_VALID_PER_INVALID * bad:
        return None
    return text, bad


def _detect(data: bytes) -> tuple[str, str]:
    # Vietnamese in Windows-1258 is often guessed as cp1252/latin-1 (same byte range), and short
    # samples are not guessed at all. cp1258 writes tone marks as combining characters after the
    # vowel they sit on, which no other language's cp125x text produces: when enough of them follow
    # vowels, it is cp1258 (the text is NFC-composed afterwards).
    try:
        vi = data.decode("cp1258")
    except UnicodeDecodeError:
        vi = None
    if vi is not None and _vietnamese_tones(vi):
        return vi, "cp1258"
    # English and German in a legacy code page are Windows-1252 (or its subset Latin-1): taken
    # when every non-ASCII character it gives is one those languages write (data/encodings.toml)
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and all(ord(ch) < 0x80 or ch in _western() for ch in set(western)):
        return western, "cp1252"
    results = from_bytes(data[:200_000], cp_isolation=None)
    best = results.best()
    if best is None:
        raise Rejected("not UTF-8 and no other encoding fits")
    enc = best.encoding
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        raise Rejected("not UTF-8 and no other encoding fits") from None


@lru_cache(maxsize=1)
def _western() -> frozenset[str]:
    with open(DATA_DIR / "encodings.toml", "rb") as fh:
        conf = tomllib.load(fh)["cp1252"]
    return frozenset(conf["letters"] + conf["punctuation"])


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


def _vietnamese_tones(text: str) -> bool:
    """True when ``text`` (decoded as cp1258) carries Vietnamese tone marks on vowels: at least 3,
    and at least one per 100 characters (real Vietnamese has one on about every third syllable)."""
    n = sum(1 for prev, ch in zip(text, text[1:]) if ch in _TONES and prev in _VOWELS)
    return n >= 3 and n * 100 >= len(text)


# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; newline and tab are allowed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _finish(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = unicodedata.normalize("NFC", text)
    # Control characters other than newline and tab mean binary content read as text.
    ctrl = len(_CONTROL.findall(text, 0, 20000))
    if ctrl > max(3, len(text[:20000]) // 100):
        raise Rejected("binary content (control characters)")
    return text


# ------------------------------------------------------------------ characters no reader should see
_SURROGATE = re.compile("[\ud800-\udfff]")
# Unicode category Cf (format characters): zero-width space, joiners, word joiner, soft hyphen,
# bidi marks, embeddings and isolates, BOM, invisible operators, tags …
@lru_cache(maxsize=1)
def _format_chars() -> re.Pattern:
    """Every Cf character of this Python's Unicode version (built once per process, ~0.2 s)."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x110000)
                                    if unicodedata.category(chr(c)) == "Cf") + "]")

_JOINERS = "\u200c\u200d"  # ZWNJ, ZWJ: part of the spelling of some scripts (and of emoji sequences)


def clean_characters(text: str) -> tuple[str, list[str]]:
    """``(text, warnings)``: lone surrogates (which no UTF-8 output can hold) replaced with U+FFFD and
    NUL characters removed, each with a warning; invisible format characters (Unicode category Cf)
    removed, except a zero-width joiner or non-joiner between two letters (or symbols) of scripts
    that spell with them (not Latin: "Min\u200distry" is "Ministry"). The result is NFC."""
    warnings: list[str] = []
    changed = False
    n = len(_SURROGATE.findall(text))
    if n:
        text = _SURROGATE.sub("\ufffd", text)
        warnings.append(f"{n} lone surrogate{'s' if n > 1 else ''} (not a character) replaced with U+FFFD")
    n = text.count("\x00")
    if n:
        text = text.replace("\x00", "")
        warnings.append(f"{n} NUL character{'s' if n > 1 else ''} removed")
        changed = True
    fmt = None if text.isascii() else _format_chars()  # every Cf character is outside ASCII
    if fmt is not None and fmt.search(text):
        text = fmt.sub(lambda m: m.group(0) if _keeps_joiner(text, m.start()) else "", text)
        changed = True
    if changed:
        text = unicodedata.normalize("NFC", text)
    return text, warnings


def _keeps_joiner(text: str, i: int) -> bool:
    if text[i] not in _JOINERS or i == 0 or i + 1 >= len(text):
        return False
    return _joins(text[i - 1]) and _joins(text[i + 1])


def _joins(ch: str) -> bool:
    """A character a joiner may stand beside: a letter, mark or symbol outside the Latin script."""
    if ord(ch) < 0x250 or not unicodedata.category(ch).startswith(("L", "M", "So", "Sk")):
        return False
    return "LATIN" not in unicodedata.name(ch, "")
