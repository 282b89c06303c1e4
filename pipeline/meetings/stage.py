"""The meeting stage of a run: meetings.jsonl and tracking.jsonl from documents/clusters/commitments.jsonl.

Streams: meetings are merged in batches (on the run's engine when there is one: meetings are
independent of each other) and written in cluster order as they come back; each meeting reads only
its own statements from disk (by byte offset). Each meeting's rows are cached by everything they
depend on, and the tracking links by every meeting's rows, so a re-run with nothing changed merges
nothing, tracks nothing and starts no worker. The bytes are the same either way.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from pipeline import config
from pipeline.io import AtomicWriter, dumps, read_jsonl
from pipeline.meetings.embed import Embedder, embed_chunk
from pipeline.meetings.outlets import DocInfo
from pipeline.meetings.rows import merge_cluster
from pipeline.meetings.tracking import for_tracking, track
from pipeline.records import Cluster, MeetingCommitment, Statement, TrackingLink


class OutputsMissing(FileNotFoundError):
    pass


def read_docs(out_dir: Path) -> dict[str, DocInfo]:
    docs = {}
    for rec in read_jsonl(Path(out_dir) / "documents.jsonl"):
        if rec.get("status") == "ok":
            info = DocInfo.model_validate(rec)
            docs[info.doc_id] = info
    return docs


def read_clusters(out_dir: Path) -> list[Cluster]:
    return [Cluster.model_validate(r) for r in read_jsonl(Path(out_dir) / "clusters.jsonl")]


def meeting_date(cluster: Cluster, docs: dict[str, DocInfo]) -> Optional[str]:
    """The meeting's date, else the earliest publication date of its reports."""
    if cluster.date:
        return cluster.date
    dates = sorted(docs[d].published for d in cluster.doc_ids if d in docs and docs[d].published)
    return dates[0] if dates else None


def _statement_index(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Byte span of every statement line of ``path`` (commitments.jsonl), by cluster_id, in file order."""
    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    pos = 0
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                cid = json.loads(line).get("cluster_id")
                if cid:
                    index[cid].append((pos, len(line)))
            pos += len(line)
    return index


Batch = list[tuple[Cluster, dict[str, DocInfo], list[bytes]]]


def meeting_batches(out_dir: Path, clusters: list[Cluster], docs: dict[str, DocInfo]) -> Iterator[Batch]:
    """Meetings in cluster-file order, grouped into batches of about MERGE_BATCH_STATEMENTS statements;
    each meeting carries its documents' infos and its statement lines (read from disk by offset)."""
    path = Path(out_dir) / "commitments.jsonl"
    index = _statement_index(path)
    batch: Batch = []
    size = 0
    with open(path, "rb") as fh:
        for c in clusters:
            lines = []
            for pos, n in index.pop(c.cluster_id, []):
                fh.seek(pos)
                lines.append(fh.read(n))
            batch.append((c, {d: docs[d] for d in c.doc_ids if d in docs}, lines))
            size += len(lines) + 1
            if size >= config.MERGE_BATCH_STATEMENTS:
                yield batch
                batch, size = [], 0
    if batch:
        yield batch


def _merge_one(cluster: Cluster, docs: dict[str, DocInfo], lines: list[bytes], emb: Embedder) -> list[MeetingCommitment]:
    rows = merge_cluster(cluster, docs, [Statement.model_validate_json(x) for x in lines], emb)
    emb.forget()  # statement vectors are not needed again; keeps memory flat on large corpora
    return rows


_EMBEDDERS: dict[str, Embedder] = {}


def merge_batch(batch: Batch, settings=None, emb: Embedder | None = None) -> list[list[str]]:
    """Engine task (module level: it runs in pool or Dask workers): merge a batch of meetings; per
    meeting, its rows as JSONL lines. The worker's embedder (one per process) keeps statement vectors
    in the run's cache when there is one."""
    if emb is None:
        where = str(settings.cache_dir) if settings is not None and settings.cache_dir else ""
        if where not in _EMBEDDERS:
            _EMBEDDERS[where] = Embedder(settings.cache("statement-embeddings") if where else None)
        emb = _EMBEDDERS[where]
    return [[dumps(r) for r in _merge_one(cluster, docs, lines, emb)] for cluster, docs, lines in batch]


def build(out_dir: Path, emb: Embedder | None = None
          ) -> tuple[list[Cluster], dict[str, DocInfo], list[list[MeetingCommitment]], list[TrackingLink]]:
    """Meeting rows per cluster (cluster file order) and tracking links, from a run's outputs."""
    out_dir = Path(out_dir)
    docs = read_docs(out_dir)
    clusters = read_clusters(out_dir)
    emb = emb or Embedder()
    per_cluster = []
    for batch in meeting_batches(out_dir, clusters, docs):
        for cluster, info, lines in batch:
            per_cluster.append(_merge_one(cluster, info, lines, emb))
    links = track([(c, meeting_date(c, docs), [for_tracking(r) for r in rows])
                   for c, rows in zip(clusters, per_cluster)], emb)
    return clusters, docs, per_cluster, links


def _meeting_key(cluster: Cluster, docs: dict[str, DocInfo], lines: list[bytes]) -> str:
    """Cache key of one meeting's merge: the code, the cluster, its documents' infos, its statements."""
    from pipeline import code_fingerprint
    from pipeline.cache import key_of

    return key_of("meeting", code_fingerprint(), cluster.model_dump_json(),
                  *(docs[d].model_dump_json() for d in sorted(docs)), *(x.rstrip(b"\n").decode("utf-8") for x in lines))


def write_meeting_outputs(out_dir: str | Path, emb: Embedder | None = None, cache=None, settings=None
                          ) -> tuple[int, int]:
    """Write OUT/meetings.jsonl and OUT/tracking.jsonl (deterministic, atomic). Returns their counts.
    ``cache`` (a pipeline.cache.Cache) keeps statement embeddings between runs; with ``settings`` (a
    pipeline.run.Settings) the batches run on its engine and each meeting's rows are cached."""
    out_dir = Path(out_dir)
    emb = emb or Embedder(cache)
    docs = read_docs(out_dir)
    clusters = read_clusters(out_dir)
    batches = meeting_batches(out_dir, clusters, docs)
    if settings is not None:
        results = _cached_merge(batches, settings)
    else:
        results = (merge_batch(b, None, emb) for b in batches)
    clusters_it = iter(clusters)
    inputs = hashlib.sha256()  # everything tracking reads: each meeting's id, date and rows
    n = 0
    with AtomicWriter(out_dir / "meetings.jsonl") as fh:
        for result in results:
            for lines in result:
                c = next(clusters_it)
                inputs.update(f"{c.cluster_id}\x1f{meeting_date(c, docs)}\x1f{len(lines)}\n".encode("utf-8"))
                for line in lines:
                    fh.write(line)
                    fh.write("\n")
                    inputs.update(line.encode("utf-8"))
                    inputs.update(b"\n")
                n += len(lines)
    m = _write_tracking(out_dir, clusters, docs, emb, settings, inputs.hexdigest())
    return n, m


def _write_tracking(out_dir: Path, clusters: list[Cluster], docs: dict[str, DocInfo], emb: Embedder,
                    settings, inputs: str) -> int:
    """OUT/tracking.jsonl from the meeting rows just written; cached (namespace "tracking") by the code
    and ``inputs`` (a hash of every meeting's id, date and rows)."""
    from pipeline import code_fingerprint
    from pipeline.cache import key_of

    cache = settings.cache("tracking") if settings is not None and settings.cache_dir else None
    key = key_of("tracking", code_fingerprint(), inputs)
    lines = cache.get(key) if cache is not None else None
    if lines is None:
        rows: dict[str, list[MeetingCommitment]] = defaultdict(list)
        with open(out_dir / "meetings.jsonl", "rb") as fh:  # one slim copy of each row (what tracking reads)
            for line in fh:
                row = for_tracking(MeetingCommitment.model_validate_json(line))
                rows[row.cluster_id].append(row)
        kept = [(c, meeting_date(c, docs), rows.pop(c.cluster_id, [])) for c in clusters]
        if settings is not None:  # texts the merge did not embed (or no cache): on the engine's workers
            from pipeline.engine import get_engine

            emb.mapper = lambda chunks: get_engine(settings, clean_start=True).map(embed_chunk, chunks, settings)
        try:
            lines = [dumps(link) for link in track(kept, emb)]
        finally:
            emb.mapper = None
        if cache is not None:
            cache.put(key, lines)
    with AtomicWriter(out_dir / "tracking.jsonl") as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")
    return len(lines)


@dataclass
class _MeetingBatch:
    """One batch of meetings on its way through ``_cached_merge``."""

    keys: list[str]
    lines: dict[str, list[str]]   # key -> row lines: the cache hits, then the merged ones
    todo: list[int]               # positions sent to the engine
    done: bool


def _cached_merge(batches: Iterable[Batch], settings) -> Iterator[list[list[str]]]:
    """Per batch, every meeting's row lines, in order: cached meetings read here, the others merged
    on the settings' engine (only batches with a miss are sent; results come back in order)."""
    from pipeline.engine import get_engine

    cache = settings.cache("meeting") if settings.cache_dir else None
    queue: deque[_MeetingBatch] = deque()

    def work():
        for batch in batches:
            keys = [_meeting_key(c, info, lines) for c, info, lines in batch]
            known = cache.get_many(keys) if cache is not None else {}
            todo = [i for i, k in enumerate(keys) if k not in known]
            queue.append(_MeetingBatch(keys, known, todo, done=not todo))
            if todo:
                yield [batch[i] for i in todo]

    results = get_engine(settings, clean_start=True).map(merge_batch, work(), settings)
    while True:
        while queue and queue[0].done:
            entry = queue.popleft()
            yield [entry.lines[k] for k in entry.keys]
        out = next(results, None)
        if out is None:
            if queue and not queue[0].done:
                raise RuntimeError("engine returned fewer results than meeting batches submitted")
            if not queue:
                return
            continue
        entry = next(e for e in queue if not e.done)
        fresh = {entry.keys[i]: lines for i, lines in zip(entry.todo, out)}
        entry.lines.update(fresh)
        entry.done = True
        if cache is not None:
            cache.put_many(fresh)
