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
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pydantic import BaseModel

from pipeline import PIPELINE_VERSION, code_fingerprint, dedup
from pipeline.cache import Cache, key_of
from pipeline.config import BATCH_SIZE, MAX_DOC_BYTES
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
    batch_size: int = BATCH_SIZE
    progress: Callable[[int], None] | None = field(default=None, repr=False)
    # When a dict: filled with seconds per stage (worker stages summed over workers) and counts.
    timings: dict | None = field(default=None, repr=False)

    def cache(self, namespace: str) -> Cache:
        return Cache(self.cache_dir / "cache.sqlite" if self.cache_dir else None, namespace)


class DocResult(BaseModel):
    """Everything the per-document stages produce for one input."""

    document: Document
    statements: list[Statement] = []
    summary: dedup.DocSummary | None = None


# A document whose processing raised is written as rejected with a reason starting with this; it is
# never cached, so a fixed stage processes it on the next run.
INTERNAL_ERROR = "internal error in the"


_CURRENT = ["idle"]  # the stage this process is running now (read by scripts/bench.py's memory sampler)


def current_stage() -> str:
    return _CURRENT[0]


class StageClock:
    """Seconds spent per stage (process-local); ``current_stage()`` names the stage running now."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()

    @contextmanager
    def __call__(self, stage: str):
        prev, _CURRENT[0] = _CURRENT[0], stage
        t = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - t
            _CURRENT[0] = prev


def process_document(doc: Document, settings: Settings) -> DocResult:
    """lang -> segment -> translate -> extract -> summarize, for one document."""
    return process_documents([doc], settings)[0]


def process_documents(docs: list[Document], settings: Settings, clock: StageClock | None = None) -> list[DocResult]:
    """The per-document stages over a batch; extraction runs once over the whole batch (nlp.pipe).

    A stage raising for one document rejects that document (reason ``internal error in the <stage>
    stage: ...``) and the others are unaffected.
    """
    clock = clock or StageClock()
    results: list[DocResult | None] = [None] * len(docs)
    ready: list[tuple[int, Document, list[Sentence]]] = []
    for i, doc in enumerate(docs):
        stage = "language"
        try:
            with clock("language"):
                doc = identify(doc)
            if doc.status != "ok":
                results[i] = DocResult(document=doc)
                continue
            stage = "segment"
            with clock("segment"):
                cut: list[str] = []
                spans = split_sentences(doc.text, doc.lang or "en", cut)
                if cut:
                    doc = doc.model_copy(update={"warnings": [*doc.warnings, *cut]})
            stage = "translate"
            with clock("translate"):
                sentences: list[Sentence] = translate_document(doc, spans, settings)
                doc = _with_translation(doc, sentences)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the corpus
            results[i] = DocResult(document=_failed(doc, stage, exc))
            continue
        ready.append((i, doc, sentences))
    with clock("extract"):
        extracted = _extract_all([(d, s) for _, d, s in ready])
    for (i, doc, sentences), statements in zip(ready, extracted):
        if isinstance(statements, Exception):
            results[i] = DocResult(document=_failed(doc, "extract", statements))
            continue
        try:
            with clock("summarize"):
                summary = dedup.summarize(doc, sentences, settings)
        except Exception as exc:  # noqa: BLE001
            results[i] = DocResult(document=_failed(doc, "summarize", exc))
            continue
        results[i] = DocResult(document=doc, statements=statements, summary=summary)
    return results  # type: ignore[return-value]


def _with_translation(doc: Document, sentences: list[Sentence]) -> Document:
    if doc.lang == "en" or not sentences:
        return doc
    engines = sorted({s.engine for s in sentences})
    models = sorted({s.model for s in sentences if s.model})
    warnings = [w for s in sentences for w in s.warnings]
    return doc.model_copy(update={"translation": Translation(
        engine="+".join(engines), model="+".join(models) or None, sentences=sentences, warnings=warnings)})


def _failed(doc: Document, stage: str, exc: BaseException) -> Document:
    import logging

    msg = f"{INTERNAL_ERROR} {stage} stage: {type(exc).__name__}: {exc}"
    logging.getLogger("pipeline.run").warning("%s: %s", doc.doc_id, msg)
    return doc.model_copy(update={"status": "rejected", "reason": msg, "translation": None})


def _extract_all(items: list[tuple[Document, list[Sentence]]]) -> list[list[Statement] | Exception]:
    """Statements per (document, sentences): one batched call when the extractor offers it."""
    if not items:
        return []
    try:
        from pipeline.extract import extract_documents
    except ImportError:
        extract_documents = None
    if extract_documents is not None:
        try:
            return list(extract_documents(items))
        except Exception:  # noqa: BLE001 - isolate the failing document below
            pass
    out: list[list[Statement] | Exception] = []
    for doc, sentences in items:
        try:
            out.append(extract_document(doc, sentences))
        except Exception as exc:  # noqa: BLE001
            out.append(exc)
    return out


@dataclass(slots=True)
class Packed:
    """One document's results as they are written: JSONL lines plus what the runner counts.

    Built in the worker (so the parent only copies strings), and stored as-is in the
    per-document cache (so a warm re-run is string copying too).
    """

    status: str
    lang: str | None
    engine: str | None
    document: str
    statements: list[str]
    summary: dict | None
    cacheable: bool = True

    def to_cache(self) -> dict:
        return {"status": self.status, "lang": self.lang, "engine": self.engine, "document": self.document,
                "statements": self.statements, "summary": self.summary}

    @classmethod
    def from_cache(cls, value: dict) -> "Packed":
        return cls(value["status"], value["lang"], value["engine"], value["document"], value["statements"],
                   value["summary"])


def pack(res: DocResult) -> Packed:
    d = res.document
    return Packed(
        status=d.status, lang=d.lang, engine=d.translation.engine if d.translation else None,
        document=dumps(d), statements=[dumps(s) for s in res.statements],
        summary=res.summary.model_dump(mode="json") if res.summary is not None else None,
        cacheable=not (d.status == "rejected" and (d.reason or "").startswith(INTERNAL_ERROR)))


@dataclass(slots=True)
class BatchOutput:
    results: list[Packed]
    seconds: dict[str, float]


def process_batch(docs: list[Document], settings: Settings) -> BatchOutput:
    """Worker side: the per-document stages over one batch, packed for the parent. No cache here."""
    clock = StageClock()
    results = process_documents(docs, settings, clock)
    with clock("serialize"):
        packed = [pack(r) for r in results]
    return BatchOutput(packed, dict(clock.seconds))


def _doc_cache_key(doc: Document, signature: str) -> str | None:
    if doc.status != "ok" or not doc.content_hash:
        return None
    meta = (doc.doc_id, doc.lang, doc.published, doc.url, doc.outlet, doc.title,
            tuple((c.source_start, c.source_end) for c in doc.captions))
    return key_of(PIPELINE_VERSION, code_fingerprint(), doc.content_hash, meta, signature)


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
    """doc_ids must be unique. File ids are their paths (``ingest.readers.input_name``), so a clash
    needs a JSONL line's own ``id`` equal to another input's id: the later input is then named by its
    path with extension (and ``#line``), unique per input."""
    seen: set[str] = set()
    for doc in docs:
        if doc.doc_id in seen:
            n = 2
            new = doc.path
            while new in seen:
                new, n = f"{doc.path}~{n}", n + 1
            doc = doc.model_copy(update={"doc_id": new})
        seen.add(doc.doc_id)
        yield doc


def count_inputs(corpus: Path, out: Path | None = None) -> int:
    return sum(1 for _ in discover(corpus, skip=(out,) if out else ()))


@dataclass
class _Pending:
    keys: list[str | None]
    hits: set[str]
    todo: list[int]                      # positions computed by the engine
    computed: list[Packed] | None = None


def map_batches(batches: Iterable[list[Document]], settings: Settings, cache: Cache | None = None,
                clock: StageClock | None = None) -> Iterator[list[Packed]]:
    """Packed results per batch, in input order, with the configured engine.

    The per-document cache is consulted here, in the parent: only misses travel to the engine
    (so a warm re-run starts no worker or cluster at all), and fresh results are stored here (the
    workers never touch the cache, which also holds on a cluster without a shared disk).
    """
    from pipeline.engine import get_engine
    from pipeline.translate import engine_signature

    cache = cache if cache is not None else settings.cache("doc")
    clock = clock or StageClock()
    signature = engine_signature(settings)
    queue: deque[_Pending] = deque()      # every batch, in order
    awaiting: deque[_Pending] = deque()   # batches with misses whose results have not come back

    def work() -> Iterator[list[Document]]:
        while True:
            with clock("ingest"):
                batch = next(batches_it, None)
            if batch is None:
                return
            with clock("cache"):
                keys = [_doc_cache_key(d, signature) for d in batch]
                hits = cache.present([k for k in keys if k])
            todo = [i for i, k in enumerate(keys) if not (k and k in hits)]
            entry = _Pending(keys, hits, todo)
            queue.append(entry)
            if todo:
                awaiting.append(entry)
                yield [batch[i] for i in todo]

    def finish(entry: _Pending) -> list[Packed]:
        out: list[Packed | None] = [None] * len(entry.keys)
        for i, p in zip(entry.todo, entry.computed or []):
            out[i] = p
        fresh = {entry.keys[i]: p.to_cache() for i, p in zip(entry.todo, entry.computed or [])
                 if entry.keys[i] and p.cacheable}
        with clock("cache"):
            cache.put_many(fresh)
            hit_keys = [k for k in entry.keys if k and k in entry.hits]
            values = cache.get_many(hit_keys) if hit_keys else {}
        for i, k in enumerate(entry.keys):
            if out[i] is None:
                if k not in values:
                    raise RuntimeError(f"the cache at {cache.path} lost entries during the run (deleted?); run again")
                out[i] = Packed.from_cache(values[k])
        return out  # type: ignore[return-value]

    batches_it = iter(batches)
    results = get_engine(settings).map(process_batch, work(), settings)
    while True:
        while queue and (not queue[0].todo or queue[0].computed is not None):
            yield finish(queue.popleft())
        try:
            out: BatchOutput = next(results)
        except StopIteration:
            if awaiting:
                raise RuntimeError("engine returned fewer results than batches submitted")
            while queue:
                yield finish(queue.popleft())
            return
        for stage, sec in out.seconds.items():
            clock.seconds[stage] += sec
        awaiting.popleft().computed = out.results


class RunError(Exception):
    """The run cannot proceed (output folder or cache unusable, another run writing): one line for the user."""


def check_out_is_not_corpus(corpus: Path, out: Path) -> None:
    """An output folder equal to the corpus folder would have its outputs read back as articles by the
    next run: refused. (An output folder *inside* the corpus is fine: the walk skips it.)"""
    try:
        same = corpus.is_dir() and out.exists() and os.path.samefile(corpus, out)
    except OSError:
        same = False
    if same or (corpus.is_dir() and not out.exists() and corpus.resolve() == out.resolve()):
        raise RunError(f"the output folder is the corpus folder itself ({out}): its outputs would be read back as "
                       "articles; choose another --out (a folder inside the corpus is fine, it is skipped)")


def run(settings: Settings) -> RunInfo:
    """Run the pipeline; the outputs appear in ``settings.out`` together at the end, or not at all.

    Everything is written under ``OUT/.partial-*/`` first and renamed into place once complete, so an
    interrupted run (Ctrl-C, kill -9, a crash) leaves the previous outputs as they were. A lock on
    ``OUT/.lock`` keeps two runs from writing one folder; a killed run's leftovers are removed by
    the next run.
    """
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    out = Path(settings.out)
    if out.exists() and not out.is_dir():
        raise RunError(f"output path is a file, not a folder: {out}")
    check_out_is_not_corpus(Path(settings.corpus), out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"output folder cannot be created: {out} ({exc.strerror or exc})") from None
    _check_cache(settings)
    with _out_lock(out):
        _clean_leftovers(out)
        try:
            work = Path(tempfile.mkdtemp(prefix=".partial-", dir=out))
        except OSError as exc:
            raise RunError(f"output folder is not writable: {out} ({exc.strerror or exc})") from None
        try:
            info = _run(settings, work, started, t0)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return info


# File descriptors of the output locks this process holds. A forked child (a pool worker) shares
# the parent's open file and with it the lock, which would then outlive a killed run for as long as
# the child lives: each child lets go of them at once (see _drop_inherited_locks).
_HELD_LOCKS: set[int] = set()


def _drop_inherited_locks() -> None:
    """After a fork, in the child: point the inherited lock descriptors at /dev/null, so the
    output folder's lock belongs to the run alone (the parent's own descriptor keeps it)."""
    if not _HELD_LOCKS:
        return
    try:
        null = os.open(os.devnull, os.O_RDONLY)
    except OSError:
        return
    for fd in _HELD_LOCKS:
        try:
            os.dup2(null, fd, inheritable=False)
        except OSError:
            pass
    os.close(null)
    _HELD_LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextmanager
def _out_lock(out: Path) -> Iterator[None]:
    """Exclusive lock on OUT/.lock for the whole run (the OS releases it even on kill -9; worker
    processes do not inherit it). The file is removed when the run ends, so a finished run leaves no
    empty ``.lock`` behind; a run that locked a file another run had just removed tries again on the
    file now at that path."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock; two runs must not share an output folder
        yield
        return
    path = out / ".lock"
    for _attempt in range(100):
        try:
            fh = open(path, "a")
        except OSError as exc:
            raise RunError(f"output folder is not writable: {out} ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise RunError(f"another run is writing to {out}; wait for it or choose another --out") from None
        try:
            current = os.stat(path)
        except OSError:
            current = None
        mine = os.fstat(fh.fileno())
        if current is not None and (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino):
            break
        fh.close()  # the run before removed this file after we opened it: lock the one there now
    else:
        raise RunError(f"could not lock {path}; try again")
    with fh:
        _HELD_LOCKS.add(fh.fileno())
        try:
            yield
        finally:
            _HELD_LOCKS.discard(fh.fileno())
            try:
                path.unlink()  # while still holding the lock: a run waiting on this file retries
            except OSError:
                pass


def _clean_leftovers(out: Path) -> None:
    """Remove what a killed run left behind: its work folder and half-written temp files."""
    for p in out.glob(".partial-*"):
        shutil.rmtree(p, ignore_errors=True)
    for folder in (out, out / "schema"):
        for p in folder.glob(".*.tmp"):
            try:
                p.unlink()
            except OSError:
                pass


def _check_cache(settings: Settings) -> None:
    """Fail early, in one line, when the cache folder or file cannot be used."""
    if not settings.cache_dir:
        return
    import sqlite3

    try:
        settings.cache("doc").present(["probe"])
    except (OSError, sqlite3.Error) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise RunError(f"cache {Path(settings.cache_dir) / 'cache.sqlite'} cannot be used ({why}); "
                       "delete it, choose another --cache, or run with --no-cache") from None


def _publish(stage: Path, out: Path) -> None:
    """Move every staged output into ``out``, each by one rename (never half a file); run.json last."""
    files = sorted((p for p in stage.rglob("*") if p.is_file()), key=lambda p: (p.name == "run.json", str(p)))
    for src in files:
        dst = out / src.relative_to(stage)
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
    for folder in sorted({out, *((out / f.relative_to(stage)).parent for f in files)}):
        _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _run(settings: Settings, work: Path, started: dt.datetime, t0: float) -> RunInfo:
    out = work / "out"  # outputs are staged here and published into settings.out at the very end
    docs_tmp, stmts_tmp = work / "documents.stage.jsonl", work / "commitments.stage.jsonl"
    summaries: list[str] = []  # DocSummary dumps as JSON text (a third of the memory of the dicts)
    counts: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    n_statements = 0
    engines: dict[str, str] = {}
    doc_cache = settings.cache("doc")
    clock = StageClock()

    docs = _unique_ids(iter_documents(settings.corpus, settings.max_bytes,
                                      settings.cache("ingest") if settings.cache_dir else None,
                                      skip=(Path(settings.out),)))
    with open(docs_tmp, "w", encoding="utf-8") as dfh, open(stmts_tmp, "w", encoding="utf-8") as sfh:
        for results in map_batches(_batched(docs, settings.batch_size), settings, doc_cache, clock):
            with clock("collect"):
                for res in results:
                    counts[res.status] += 1
                    if res.status == "ok" and res.lang:
                        langs[res.lang] += 1
                        if res.engine:
                            engines.setdefault(res.lang, res.engine)
                    dfh.write(res.document + "\n")
                    for line in res.statements:
                        sfh.write(line + "\n")
                    n_statements += len(res.statements)
                    if res.summary is not None:  # one compact string per document until clustering
                        summaries.append(json.dumps(res.summary, sort_keys=True, ensure_ascii=False))
            if settings.progress:
                settings.progress(len(results))
    t_parallel = time.perf_counter() - t0

    with clock("cluster"):
        assignments, clusters = _cluster(summaries, settings)
    summaries.clear()
    _release_memory()

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

    with clock("write"):
        write_jsonl(out / "documents.jsonl", documents())
        write_jsonl(out / "commitments.jsonl", statements())
        write_jsonl(out / "clusters.jsonl", clusters)
    with clock("meetings"):
        _write_meetings(out, settings)
    with clock("write"):
        write_schemas(out)
    info = RunInfo(
        pipeline_version=PIPELINE_VERSION, corpus=os.fsencode(settings.corpus).decode("utf-8", "backslashreplace"),
        started=started.isoformat(timespec="seconds"),
        finished=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - t0, 3), documents=sum(counts.values()), ok=counts["ok"],
        rejected=counts["rejected"], languages=dict(sorted(langs.items())), statements=n_statements,
        clusters=len(clusters), engines=dict(sorted(engines.items())), cache_hits=doc_cache.hits)
    write_json(out / "run.json", info)
    _publish(out, Path(settings.out))
    if settings.timings is not None:
        from pipeline import embed

        settings.timings.update(stages=dict(clock.seconds), parallel_phase=t_parallel,
                                total=time.perf_counter() - t0, documents=info.documents, ok=info.ok,
                                embeddings=embed.stats())  # this process's (workers count their own)
    return info


def _release_memory() -> None:
    """Hand the memory the clustering freed back to the OS (glibc keeps freed heap pages otherwise),
    so the parent stays small for the meeting stage. A no-op where there is no malloc_trim."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _cluster(summaries: list[str], settings: Settings) -> tuple[dict[str, tuple[str, str | None]], list]:
    """``dedup.cluster`` over the corpus' summaries, cached (namespace "cluster") by the code and every
    summary: a re-run over the same documents reads the assignments and clusters back."""
    from pipeline.records import Cluster

    cache = settings.cache("cluster") if settings.cache_dir else None
    key = None
    if cache is not None:
        h = hashlib.sha256()
        for summary in summaries:
            h.update(summary.encode("utf-8"))
            h.update(b"\n")
        key = key_of("cluster", code_fingerprint(), h.hexdigest())
        hit = cache.get(key)
        if hit is not None:
            return ({d: (cid, dup) for d, cid, dup in hit["assignments"]},
                    [Cluster.model_validate(c) for c in hit["clusters"]])
    from pipeline import embed
    from pipeline.engine import get_engine

    def mapper(chunks):  # embeddings a decision needs for many documents at once: on the engine's workers
        return get_engine(settings, clean_start=True).map(embed.embed_chunk, chunks, settings)

    assignments, clusters = dedup.cluster([dedup.DocSummary.model_validate_json(x) for x in summaries],
                                          cache=settings.cache("embeddings") if settings.cache_dir else None,
                                          mapper=mapper)
    if cache is not None:
        cache.put(key, {"assignments": [[d, cid, dup] for d, (cid, dup) in assignments.items()],
                        "clusters": [c.model_dump(mode="json") for c in clusters]})
    return assignments, clusters


def _write_meetings(out: Path, settings: Settings) -> None:
    """Meeting-level merge and tracking (meetings.jsonl, tracking.jsonl)."""
    from pipeline.meetings import write_meeting_outputs

    write_meeting_outputs(out, cache=settings.cache("statement-embeddings") if settings.cache_dir else None,
                          settings=settings)
