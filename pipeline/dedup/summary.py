"""Per-document dedup summary (the parallel stage): compact, language-independent evidence.

A DocSummary holds what clustering needs and nothing else (it stays in memory for the whole
corpus): meeting facts (committee, event kind, number and its scope, date), language-independent keys (document codes, full
dates, figure trigrams), the ordered figures, a MinHash of normalised shingles, and the
DEDUP_SENTENCES lead and closing body sentences that the clustering embeds (int8, through the
embedding service) only where the cheap evidence leaves a decision open.
"""
from __future__ import annotations

import base64

import numpy as np
from pydantic import BaseModel, ConfigDict, field_validator

from pipeline import embed as service
from pipeline.config import (DEDUP_FIGURE_TRIGRAMS, DEDUP_LEAD_SENTENCES, DEDUP_MAX_COPY_SENTENCES, DEDUP_MAX_FIGURES,
                             DEDUP_MIN_SENTENCE_WORDS,
                             DEDUP_NUM_PERM, DEDUP_SENTENCES, DEDUP_SHINGLE_WORDS, DEDUP_TAIL_SENTENCES)
from pipeline.records import Document, Sentence

from . import features as F

EMBED_DIM = service.DIM
EMBED_MODEL = service.MODEL_ID


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
    vectors: bytes = b""             # (k, 384) int8 sentence embeddings, row-normalised on use (given, or
    embed_texts: list[str] = []      # embedded by the clustering from these: lead + closing sentences)
    sentence_tokens: bytes = b""     # uint32 token hashes of every body sentence, concatenated (copies)
    sentence_sizes: list[int] = []   # tokens per sentence, in order

    @field_validator("minhash", "vectors", "sentence_tokens", mode="before")
    @classmethod
    def _from_base64(cls, v):
        """JSON dumps write bytes as base64 (ser_json_bytes); read them back the same way."""
        return base64.urlsafe_b64decode(v) if isinstance(v, str) else v

    # ---- decoded views (not fields)
    def vector_matrix(self) -> np.ndarray:
        """(k, 384) float32, L2-normalised rows of ``vectors`` (empty when they were not embedded:
        the clustering embeds ``embed_texts`` only for the pairs a decision needs them for)."""
        return matrix(self.vectors)

    @property
    def embeddable(self) -> bool:
        return bool(self.vectors or self.embed_texts)

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


PURPOSE = "dedup"


def embed(texts: list[str], cache=None) -> bytes:
    """int8 sentence embeddings of ``texts`` (rows in order) from the embedding service
    (pipeline/embed.py: one model per process, rows kept by content in memory and in ``cache``'s file).

    The model embeds each text independently of the batch it is in (checked: bit-identical alone,
    in a batch, in another order) and ``quantize`` scales each row by itself, so a row from the
    cache equals a fresh one and the bytes do not depend on what was cached. ``cache`` may also be
    a run's Settings (its cache file, when it has one).
    """
    if not texts:
        return b""
    if cache is not None and hasattr(cache, "cache_dir"):
        cache = cache.cache("embeddings") if cache.cache_dir else None
    return quantize(service.vectors(texts, cache, PURPOSE))


def matrix(vectors: bytes) -> np.ndarray:
    """(k, 384) float32, L2-normalised rows of int8 ``vectors`` (``quantize``'s bytes)."""
    if not vectors:
        return np.zeros((0, EMBED_DIM), dtype=np.float32)
    a = np.frombuffer(vectors, dtype=np.int8).reshape(-1, EMBED_DIM).astype(np.float32)
    n = np.linalg.norm(a, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return a / n


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
        n_sentences=len(body), minhash=_minhash(doc.text), embed_texts=picked,
        sentence_tokens=np.asarray([t for ts in toks for t in ts], dtype=np.uint32).tobytes(),
        sentence_sizes=[len(ts) for ts in toks])
