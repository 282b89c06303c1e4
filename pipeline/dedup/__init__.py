"""Deduplication and meeting clustering.

Public API (the runner uses only this):
    summarize(doc, sentences, settings=None) -> DocSummary   per document, in the parallel stage
    cluster(summaries) -> (assignments, clusters)             once, over the whole corpus's summaries
where assignments maps doc_id -> (cluster_id, duplicate_of).

Modules: ``features`` (language-aware extraction, knowledge in data/meetings.toml), ``summary``
(the per-document DocSummary, embeddings cached by content), ``cluster`` (candidates, duplicates,
meetings). Thresholds live in pipeline/config.py, section "dedup".
"""
from __future__ import annotations

from .cluster import cluster
from .summary import DocSummary, summarize

__all__ = ["DocSummary", "cluster", "summarize"]
