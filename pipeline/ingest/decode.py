"""Bytes to text: BOMs, UTF-16, UTF-8, then charset detection; binary content is refused.

Every refusal is a ``Rejected`` exception carrying a reason a person can read.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes


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
    if not data.strip():
        raise Rejected("empty file" if not data else "file holds only whitespace")
    for magic, what in _MAGIC.items():
        if what and data.startswith(magic):
            raise Rejected(f"binary content ({what})")
    enc = None
    if data.startswith(codecs.BOM_UTF8):
        enc, data = "utf-8", data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        enc = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    else:
        enc = _looks_utf16(data)
    if enc:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise Rejected(f"declared {enc} but the bytes do not decode ({exc.reason} at byte {exc.start})") from None
        return _finish(text), enc
    if b"\x00" in data[:8192]:
        raise Rejected("binary content (NUL bytes)")
    try:
        return _finish(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    text, enc = _detect(data)
    return _finish(text), enc


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
    results = from_bytes(data[:200_000], cp_isolation=None)
    best = results.best()
    if best is None:
        raise Rejected("not UTF-8 and no other encoding fits")
    enc = best.encoding
    try:
        return data.decode(enc), enc
    except (UnicodeDecodeError, LookupError):
        raise Rejected("not UTF-8 and no other encoding fits") from None


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
