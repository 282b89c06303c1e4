"""Extraction stage: statements (commitments / progress) with figures, dates and actors.

Public API (the runner uses only this):
    extract_documents(items) -> list[list[Statement]]   batch form: one nlp.pipe over all sentences
    extract_document(doc, sentences) -> list[Statement]  one document (calls the batch form)

Modules: ``statements`` (kind, anchors, atomic split, dates per statement), ``actors`` (gazetteer,
roles, province anaphora), ``figures`` and ``dates`` (quantities and date mentions), ``nlp``
(the cached spaCy pipeline with the gazetteer EntityRuler).
"""
from __future__ import annotations

from pipeline.records import Document, Sentence, Statement


def extract_documents(items: list[tuple[Document, list[Sentence]]]) -> list[list[Statement]]:
    """Statements for each (document, sentences) pair, in order; the English side of every
    sentence of the batch (and each title) is parsed in one ``nlp.pipe`` call."""
    from pipeline.config import EXTRACT_PIPE_BATCH
    from pipeline.extract.nlp import parse
    from pipeline.extract.statements import extract_parsed

    texts: list[str] = []
    for doc, sentences in items:
        if doc.status != "ok":
            continue
        texts.append(doc.title or "")
        texts.extend(s.english for s in sentences)
    parsed = parse(texts, EXTRACT_PIPE_BATCH)  # each distinct text once
    out: list[list[Statement]] = []
    for doc, sentences in items:
        if doc.status != "ok":
            out.append([])
            continue
        title_doc = next(parsed)
        sdocs = [next(parsed) for _ in sentences]
        out.append(extract_parsed(doc, sentences, sdocs, title_doc))
    return out


def extract_document(doc: Document, sentences: list[Sentence]) -> list[Statement]:
    return extract_documents([(doc, sentences)])[0]
