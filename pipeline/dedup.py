"""Deduplication and meeting clustering.

Public API (the runner uses only this):
    summarize(doc, sentences) -> DocSummary        per document, in the parallel stage
    cluster(summaries) -> (assignments, clusters)  once, over the whole corpus's summaries
where assignments maps doc_id -> (cluster_id, duplicate_of).
"""
from __future__ import annotations

import hashlib

from pydantic import BaseModel

from pipeline.records import Cluster, Document, Sentence


class DocSummary(BaseModel):
    doc_id: str
    lang: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None


def summarize(doc: Document, sentences: list[Sentence]) -> DocSummary:
    return DocSummary(doc_id=doc.doc_id, lang=doc.lang, published=doc.published, url=doc.url,
                      outlet=doc.outlet, title=doc.title)


def cluster(summaries: list[DocSummary]) -> tuple[dict[str, tuple[str, str | None]], list[Cluster]]:
    """Placeholder until clustering lands: one cluster per document."""
    assignments: dict[str, tuple[str, str | None]] = {}
    clusters = []
    for s in sorted(summaries, key=lambda s: s.doc_id):
        cid = "m-" + hashlib.sha1(s.doc_id.encode()).hexdigest()[:10]
        assignments[s.doc_id] = (cid, None)
        clusters.append(Cluster(cluster_id=cid, doc_ids=[s.doc_id], canonical_doc_id=s.doc_id, date=s.published,
                                label=s.title or s.doc_id, languages=[s.lang] if s.lang else [],
                                outlets=[s.outlet] if s.outlet else []))
    return assignments, clusters
