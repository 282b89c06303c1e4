"""Who reported a meeting: one column per outlet's original article, its copies and translations inside it.

A copy (``duplicate_of``, or the cluster's ``duplicates``) is never an outlet of its own: it counts with
the article it copies, whatever site re-posted it, so the diff shows it in its original's column.
"""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict

from pipeline.records import Cluster, Document


class DocInfo(BaseModel):
    """The few fields of a Document the meeting view needs (the body text stays on disk)."""

    model_config = ConfigDict(extra="ignore")

    doc_id: str
    lang: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    title: Optional[str] = None
    cluster_id: Optional[str] = None
    duplicate_of: Optional[str] = None

    @classmethod
    def of(cls, doc: Document) -> "DocInfo":
        return cls.model_validate(doc.model_dump(include=set(cls.model_fields)))


class CopyRef(BaseModel):
    doc_id: str
    lang: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None


class OutletColumn(BaseModel):
    """One outlet reporting a meeting: its original article, and the copies/translations of it."""

    label: str
    doc_id: str
    lang: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    copies: list[CopyRef] = []


def _root(doc_id: str, dup: dict[str, str]) -> str:
    seen = {doc_id}
    while doc_id in dup and dup[doc_id] not in seen:
        doc_id = dup[doc_id]
        seen.add(doc_id)
    return doc_id


def outlet_columns(cluster: Cluster, docs: dict[str, DocInfo]) -> tuple[list[OutletColumn], dict[str, int]]:
    """Columns (canonical article's outlet first, then by doc_id) and doc_id -> column index."""
    members = [d for d in cluster.doc_ids if d in docs]
    dup = {d: docs[d].duplicate_of or cluster.copies().get(d) for d in members}
    dup = {d: o for d, o in dup.items() if o and o in docs and o != d}
    roots = {d: _root(d, dup) for d in members}
    originals = sorted({r for r in roots.values()}, key=lambda d: (d != cluster.canonical_doc_id, d))
    names = [docs[d].outlet or d for d in originals]
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    columns = []
    position = {d: i for i, d in enumerate(originals)}
    copies_of: dict[str, list[CopyRef]] = {d: [] for d in originals}
    for c in sorted(members):
        r = roots[c]
        if c != r:
            copies_of[r].append(CopyRef(doc_id=c, lang=docs[c].lang, url=docs[c].url, outlet=docs[c].outlet))
    for d, name in zip(originals, names):
        label = name if counts[name] == 1 else f"{name} ({d})"
        info = docs[d]
        columns.append(OutletColumn(label=label, doc_id=d, lang=info.lang, url=info.url,
                                    published=info.published, copies=copies_of[d]))
    index = {d: position[roots[d]] for d in members}
    return columns, index
