"""Translation stage: a document's sentences, each beside its English translation.

Public API (the runner uses only this):
    translate_document(doc, spans, settings) -> list[Sentence]
English documents pass through with engine "identity". Engines live in sibling modules.
"""
from __future__ import annotations

from pipeline.records import Document, Sentence


def identity_sentences(doc: Document, spans: list[tuple[int, int]]) -> list[Sentence]:
    caption_spans = [(c.start, c.end) for c in doc.captions]
    out = []
    for a, b in spans:
        src = doc.text[a:b]
        cap = any(cs <= a and b <= ce for cs, ce in caption_spans)
        out.append(Sentence(start=a, end=b, source=src, english=src, engine="identity", caption=cap))
    return out


def translate_document(doc: Document, spans: list[tuple[int, int]], settings=None) -> list[Sentence]:
    """Sentence-aligned English for ``doc``. Placeholder until the engines land: identity only."""
    return identity_sentences(doc, spans)


def engine_signature(settings=None) -> str:
    """What would translate each language now (engine + model version); part of cache keys."""
    return "identity"
