"""Scale without all pairs (issue 19 item 3): a wire story re-posted 200 times with one word changed per
copy, marked as copies or not, and one document with thousands of statements. These assert that the
merge completes and the rows are right; time and memory at 2,000 copies are measured by
scripts/bench_copies.py, not here."""
from __future__ import annotations

import hashlib

import pytest

from pipeline.meetings import DocInfo, Embedder, merge_cluster
from pipeline.records import Cluster, DateSpan, Figure, Statement

EMB = Embedder()

STORY = [
    ("The Prime Minister requested ministries to complete the national land database no later than the fourth "
     "quarter of 2025.", "commitment", None, ("no later than the fourth quarter of 2025", "2025-10-01", "2025-12-31")),
    ("In the first 8 months of the year, the digital technology industry's revenue reached more than 3.2 million "
     "billion VND.", "progress", ("more than 3.2 million billion VND", 3.2e15, "VND", "more than"), None),
    ("Nearly 400 medical facilities connected more than 2.5 million electronic medical records.", "progress",
     ("more than 2.5 million electronic medical records", 2.5e6, "electronic medical records", "more than"), None),
    ("The Ministry of Home Affairs must review and arrange enough human resources for digital transformation.",
     "commitment", None, None),
    ("Implement the settlement of 80% of administrative procedures in the digital environment by 2025.",
     "commitment", ("80%", 80, "%"), ("by 2025", "2025-01-01", "2025-12-31")),
    ("More than 890 administrative procedures and 222 business conditions were cut and simplified.", "progress",
     ("222 business conditions", 222, "business conditions"), None),
]
SWAPS = [("requested", "asked"), ("reached", "hit"), ("connected", "linked"), ("review", "examine"),
         ("Implement", "Carry out"), ("simplified", "streamlined")]


def _statements(doc: str, k: int) -> list[Statement]:
    out = []
    for j, (text, kind, fig, date) in enumerate(STORY):
        if k and j == k % len(STORY):  # copy k changes one word of one sentence
            a, b = SWAPS[j]
            text = text.replace(a, b, 1)
        figs = []
        if fig:
            i = text.index(fig[0])
            figs = [Figure(value=fig[1], unit=fig[2], text=fig[0], text_start=i, text_end=i + len(fig[0]),
                           qualifier=fig[3] if len(fig) > 3 else None)]
        sid = hashlib.sha1(f"{doc}|{j}".encode()).hexdigest()[:12]
        out.append(Statement(id=sid, doc_id=doc, kind=kind, text=text, source_text=text, lang="en", figures=figs,
                             date=DateSpan(text=date[0], start=date[1], end=date[2]) if date else None,
                             source_start=j * 200, source_end=j * 200 + len(text)))
    return out


@pytest.mark.parametrize("marked", [True, False], ids=["marked-copies", "unmarked-reposts"])
def test_two_hundred_near_copies_make_one_row_per_fact(marked):
    ids = [f"c{k:03d}" for k in range(201)]
    docs = {d: DocInfo(doc_id=d, outlet=f"site{k}.example", lang="en", duplicate_of=ids[0] if marked and k else None)
            for k, d in enumerate(ids)}
    cluster = Cluster(cluster_id="m-wire", doc_ids=ids, canonical_doc_id=ids[0], label="wire",
                      duplicates=[{"doc_id": d, "duplicate_of": ids[0]} for d in ids[1:]] if marked else [])
    statements = [s for k, d in enumerate(ids) for s in _statements(d, k)]
    rows = merge_cluster(cluster, docs, statements, EMB)
    assert len(rows) == len(STORY)
    assert [r.text for r in rows] == [t for t, *_ in STORY]
    for r in rows:
        assert sorted(s.doc_id for s in r.sources) == ids and r.conflicts == []
        # marked: every copy counts with the original (one outlet); unmarked: 201 outlets carry it
        assert r.outlets == (["site0.example"] if marked else [f"site{k}.example" for k in range(201)])
        if marked:
            assert all(s.copy_of == ids[0] for s in r.sources[1:])


def test_one_document_with_thousands_of_statements():
    """A single 'article' of 3,000 short lines: no pair is ever compared (one outlet), each is a row."""
    texts = [f"Locality {k} must digitise {k + 10} land records by 2026." for k in range(3000)]
    statements = [Statement(id=f"s{k}", doc_id="big", kind="commitment", text=t, source_text=t, lang="en",
                            source_start=k * 60, source_end=k * 60 + len(t)) for k, t in enumerate(texts)]
    cluster = Cluster(cluster_id="m-big", doc_ids=["big"], canonical_doc_id="big", label="big")
    rows = merge_cluster(cluster, {"big": DocInfo(doc_id="big", outlet="big.example")}, statements, EMB)
    assert len(rows) == 3000 and all(r.outlets == ["big.example"] and r.omitted_by == [] for r in rows)
