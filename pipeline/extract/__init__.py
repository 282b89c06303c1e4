"""Extraction stage: statements (commitments / progress) with figures, dates and actors.

Public API (the runner uses only this):
    extract_document(doc, sentences) -> list[Statement]
"""
from __future__ import annotations

from pipeline.records import Document, Sentence, Statement


def extract_document(doc: Document, sentences: list[Sentence]) -> list[Statement]:
    """Placeholder until the extractor lands: no statements."""
    return []
