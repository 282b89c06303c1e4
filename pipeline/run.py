"""The pipeline run: composes the stages; owns no NLP logic of its own.

Flow (each arrow one stage module, records in between):

    ingest -> lang -> segment -> translate -> extract -> dedup.summarize      (per document, parallel)
    dedup.cluster (whole corpus, on the small summaries)
    write documents / commitments / clusters (+ meetings, tracking) atomically, schemas, run.json

Per-document work streams: documents are read lazily, processed in batches, and their results
spill to temp files; only the compact dedup summaries stay in memory for clustering.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pydantic import BaseModel

from pipeline import PIPELINE_VERSION, code_fingerprint, dedup
from pipeline.cache import Cache, key_of
from pipeline.config import MAX_DOC_BYTES
from pipeline.extract import extract_document
from pipeline.ingest import discover, iter_documents
from pipeline.io import AtomicWriter, dumps, write_json, write_jsonl, write_schemas
from pipeline.lang import identify
from pipeline.records import Document, RunInfo, Sentence, Statement, Translation
from pipeline.segment import split_sentences
from pipeline.translate import translate_document


@dataclass
class Settings:
    corpus: Path
    out: Path
    cache_dir: Path | None = Path(".cache")
    models_dir: Path = Path("models")
    max_bytes: int = MAX_DOC_BYTES
    engine: str = "local"          # local | dask
    workers: int = 1
    scheduler: str | None = None   # dask scheduler address
    batch_size: int = 64
    progress: Callable[[int], None] | None = field(default=None, repr=False)

    def cache(self, namespace: str) -> Cache:
        return Cache(self.cache_dir / "cache.sqlite" if self.cache_dir else None, namespace)


class DocResult(BaseModel):
    """Everything the per-document stages produce for one input."""

    document: Document
    statements: list[Statement] = []
    summary: dedup.DocSummary | None = None


def process_document(doc: Document, settings: Settings) -> DocResult:
    """lang -> segment -> translate -> extract -> summarize, for one document."""
    doc = identify(doc)
    if doc.status != "ok":
        return DocResult(document=doc)
    spans = split_sentences(doc.text, doc.lang or "en")
    sentences: list[Sentence] = translate_document(doc, spans, settings)
    if doc.lang != "en" and sentences:
        engines = sorted({s.engine for s in sentences})
        models = sorted({s.model for s in sentences if s.model})
        warnings = [w for s in sentences for w in s.warnings]
        doc = doc.model_copy(update={"translation": Translation(
            engine="+".join(engines), model="+".join(models) or None, sentences=sentences, warnings=warnings)})
    statements = extract_document(doc, sentences)
    summary = dedup.summarize(doc, sentences)
    return DocResult(document=doc, statements=statements, summary=summary)


def _doc_cache_key(doc: Document, settings: Settings) -> str | None:
    if doc.status != "ok" or not doc.content_hash:
        return None
    from pipeline.translate import engine_signature

    meta = (doc.doc_id, doc.lang, doc.published, doc.url, doc.outlet, doc.title,
            tuple((c.start, c.end) for c in doc.captions))
    return key_of(PIPELINE_VERSION, code_fingerprint(), doc.content_hash, meta, engine_signature(settings))


def process_batch(docs: list[Document], settings: Settings) -> list[DocResult]:
    """Process a batch, serving unchanged documents from the per-document cache."""
    cache = settings.cache("doc")
    keys = [_doc_cache_key(d, settings) for d in docs]
    cached = cache.get_many([k for k in keys if k])
    results: list[DocResult] = []
    fresh: dict[str, dict] = {}
    for doc, key in zip(docs, keys):
        if key and key in cached:
            results.append(DocResult.model_validate(cached[key]))
            continue
        res = process_document(doc, settings)
        results.append(res)
        if key:
            fresh[key] = res.model_dump(mode="json")
    cache.put_many(fresh)
    return results


def _batched(items: Iterable[Document], n: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for it in items:
        batch.append(it)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def _unique_ids(docs: Iterable[Document]) -> Iterator[Document]:
    """doc_ids must be unique: on a clash, the later input is named by its path instead."""
    seen: set[str] = set()
    for doc in docs:
        if doc.doc_id in seen:
            alt = doc.path.rsplit(".", 1)[0] if "#" not in doc.path else doc.path
            n = 2
            new = alt
            while new in seen:
                new, n = f"{alt}~{n}", n + 1
            doc = doc.model_copy(update={"doc_id": new})
        seen.add(doc.doc_id)
        yield doc


def count_inputs(corpus: Path) -> int:
    return sum(1 for _ in discover(corpus))


def map_batches(batches: Iterable[list[Document]], settings: Settings) -> Iterator[list[DocResult]]:
    """Run ``process_batch`` over batches with the configured engine, in input order."""
    from pipeline.engine import get_engine

    yield from get_engine(settings).map(process_batch, batches, settings)


def run(settings: Settings) -> RunInfo:
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    out = Path(settings.out)
    out.mkdir(parents=True, exist_ok=True)
    if not os.access(out, os.W_OK):
        raise PermissionError(f"output folder is not writable: {out}")
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=out))
    try:
        info = _run(settings, work, started, t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return info


def _run(settings: Settings, work: Path, started: dt.datetime, t0: float) -> RunInfo:
    out = Path(settings.out)
    docs_tmp, stmts_tmp = work / "documents.stage.jsonl", work / "commitments.stage.jsonl"
    summaries: list[dedup.DocSummary] = []
    counts: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    n_statements = 0
    engines: dict[str, str] = {}
    doc_cache = settings.cache("doc")

    docs = _unique_ids(iter_documents(settings.corpus, settings.max_bytes))
    with open(docs_tmp, "w", encoding="utf-8") as dfh, open(stmts_tmp, "w", encoding="utf-8") as sfh:
        for results in map_batches(_batched(docs, settings.batch_size), settings):
            for res in results:
                d = res.document
                counts[d.status] += 1
                if d.status == "ok" and d.lang:
                    langs[d.lang] += 1
                    if d.translation:
                        engines.setdefault(d.lang, d.translation.engine)
                dfh.write(dumps(d) + "\n")
                for s in res.statements:
                    sfh.write(dumps(s) + "\n")
                    n_statements += 1
                if res.summary is not None:
                    summaries.append(res.summary)
            if settings.progress:
                settings.progress(len(results))

    assignments, clusters = dedup.cluster(summaries)
    summaries.clear()

    def documents() -> Iterator[dict]:
        with open(docs_tmp, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                cid, dup = assignments.get(rec["doc_id"], (None, None))
                rec["cluster_id"], rec["duplicate_of"] = cid, dup
                yield rec

    def statements() -> Iterator[dict]:
        with open(stmts_tmp, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                rec["cluster_id"] = assignments.get(rec["doc_id"], (None, None))[0]
                yield rec

    write_jsonl(out / "documents.jsonl", documents())
    write_jsonl(out / "commitments.jsonl", statements())
    write_jsonl(out / "clusters.jsonl", clusters)
    _write_meetings(out)
    write_schemas(out)
    info = RunInfo(
        pipeline_version=PIPELINE_VERSION, corpus=str(settings.corpus), started=started.isoformat(timespec="seconds"),
        finished=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - t0, 3), documents=sum(counts.values()), ok=counts["ok"],
        rejected=counts["rejected"], languages=dict(sorted(langs.items())), statements=n_statements,
        clusters=len(clusters), engines=dict(sorted(engines.items())), cache_hits=doc_cache.hits)
    write_json(out / "run.json", info)
    return info


def _write_meetings(out: Path) -> None:
    """Meeting-level merge and tracking, when that stage is installed."""
    try:
        from pipeline.merge import write_meeting_outputs  # type: ignore[attr-defined]
    except ImportError:
        return
    write_meeting_outputs(out)
