"""Language identification with langdetect, seeded so the result is the same on every run.

Detection runs on the cleaned body without captions and proper-name-heavy lines, on a bounded
sample, so mixed-language chrome cannot flip it.
"""
from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect_langs

from pipeline.config import LANGDETECT_SEED, SUPPORTED_LANGS
from pipeline.records import Document

DetectorFactory.seed = LANGDETECT_SEED
_SAMPLE_CHARS = 5000


def detect(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when there is nothing to judge."""
    sample = text[:_SAMPLE_CHARS]
    if not sample.strip():
        return None
    DetectorFactory.seed = LANGDETECT_SEED  # reseed per call: results independent of call order
    try:
        langs = detect_langs(sample)
    except LangDetectException:
        return None
    return langs[0].lang if langs else None


def body_without_captions(doc: Document) -> str:
    if not doc.captions:
        return doc.text
    parts, pos = [], 0
    for c in doc.captions:
        parts.append(doc.text[pos:c.source_start])
        pos = c.source_end
    parts.append(doc.text[pos:])
    return "".join(parts)


def identify(doc: Document) -> Document:
    """Set ``doc.lang`` (keeping a declared one) or reject an unsupported language."""
    if doc.status != "ok":
        return doc
    lang = doc.lang or detect(body_without_captions(doc))
    if lang is None:
        return doc.model_copy(update={"status": "rejected", "reason": "language could not be identified"})
    if lang not in SUPPORTED_LANGS:
        return doc.model_copy(update={"lang": lang, "status": "rejected",
                                      "reason": f"language '{lang}' not supported (supported: {', '.join(SUPPORTED_LANGS)})"})
    return doc.model_copy(update={"lang": lang})
