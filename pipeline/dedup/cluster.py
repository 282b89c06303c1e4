"""Whole-corpus stage: same-article detection, then meeting clustering, on DocSummaries.

1. Candidate pairs (sub-quadratic): documents sharing a blocking key — same URL, a document code,
   a full date or a figure trigram that few documents share, the same committee and meeting number,
   the same committee within a two-week window — plus MinHash LSH buckets within each language and
   period. Pairs dated further apart than DEDUP_MAX_SPAN_DAYS are never proposed (no group may span more).
   A structural bucket larger than DEDUP_MAX_BUCKET is paired by sorted neighbourhood (each
   document with its DEDUP_WINDOW successors by date); a content key shared by more than
   DEDUP_MAX_KEY_DF documents proposes no pairs (it still counts, weakly, in the meeting score).
2. Duplicates: a candidate pair is the same article when, within a language, its shingle sets nearly
   coincide, or when its sentences align: every body sentence compared by its tokens (English word
   stems and figures), mutual best matches in order covering nearly all of the shorter report and
   most of the longer, with no matched sentences whose figures disagree. Two outlets' rewrites of one
   press release are separate reports. Duplicate groups point to their earliest member.
3. Meetings: duplicate groups are placed one by one, best-evidenced first; each joins the
   candidate cluster it scores best with, if that score passes DEDUP_ATTACH_THRESHOLD and no hard
   constraint forbids it: a meeting's identity is its committee, its event kind, its number within
   that number's scope (the committee, or a year: "the first meeting of 2026") and its date, so
   different committees, kinds (a conclusion notice joins the meeting it names by number or date),
   numbers in one scope, or meeting dates more than a day apart never join; nor do dates too far
   apart, leads about different documents such as a dispatch and a conclusion notice, or a report
   published before the other's meeting date. Otherwise a unit starts a new cluster.
Everything is ordered by doc_id / date, never by input order, so the result is deterministic.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections import defaultdict
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from pipeline.config import (COPY_LONGER, COPY_MAX_FIGURE_CONFLICTS, COPY_SENTENCE_SIM, COPY_SHORTER,
                             DEDUP_ATTACH_THRESHOLD, DEDUP_CONTENT_MIN_COS, DEDUP_CONTENT_NEIGHBOURS,
                             DEDUP_CONTENT_SATURATION, DEDUP_JACCARD, DEDUP_KEYS_SATURATION, DEDUP_LSH_THRESHOLD,
                             DEDUP_MAX_BUCKET, DEDUP_MAX_KEY_DF, DEDUP_MAX_SPAN_DAYS, DEDUP_MEETING_DATE_TOLERANCE,
                             DEDUP_MIN_LENGTH_RATIO, DEDUP_NUM_PERM, DEDUP_W_BODY, DEDUP_W_CONTENT, DEDUP_W_KEYS,
                             DEDUP_W_MEETING_DATE, DEDUP_W_NUMBER, DEDUP_W_NUMBER_UNDATED, DEDUP_W_SAME_DAY, DEDUP_W_SAME_DOCUMENT,
                             DEDUP_WINDOW)
from pipeline.records import Cluster, ClusterDuplicate

from pipeline import embed as service

from . import features as F
from .summary import EMBED_DIM, PURPOSE, DocSummary, embed, matrix, quantize

Assignments = dict[str, tuple[str, "str | None"]]


def _ordinal(d: str | None) -> int | None:
    return dt.date.fromisoformat(d).toordinal() if d else None


def _lis(seq: list[int]) -> int:
    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


def _codes(s: DocSummary) -> set[str]:
    """Every document code the text names (its c: keys; the lead is part of the text)."""
    return {k[2:] for k in s.keys if k.startswith("c:")} | set(s.lead_codes)


def _about_other_documents(lead_a: set[str], all_a: set[str], lead_b: set[str], all_b: set[str]) -> bool:
    """Both leads name documents (a dispatch, a conclusion notice, a directive) and neither text names
    any the other's lead does: articles about different documents (112/CĐ-TTg vs 612/TB-VPCP)."""
    return bool(lead_a and lead_b) and not (lead_a & all_b) and not (lead_b & all_a)


def _reports_before(published: int | None, meeting: int | None) -> bool:
    """A document published before a meeting took place cannot report it."""
    return published is not None and meeting is not None and published < meeting - DEDUP_MEETING_DATE_TOLERANCE


@dataclass
class Alignment:
    content: float    # 0..1 strength of strongly matching sentences (shared passages)


@dataclass
class CopyAlignment:
    """Every body sentence of two reports compared by their tokens (features.sentence_tokens)."""

    aligned: int      # mutual best matches sharing >= COPY_SENTENCE_SIM of their tokens, in order
    conflicts: int    # matched sentences that both state figures and share none of them
    sizes: tuple[int, int]

    def is_copy(self) -> bool:
        """Nearly all of the shorter report and most of the longer align, and no figures disagree."""
        short, long = min(self.sizes), max(self.sizes)
        return short > 0 and self.aligned >= COPY_SHORTER * short and self.aligned >= COPY_LONGER * long \
            and self.conflicts <= COPY_MAX_FIGURE_CONFLICTS


class Corpus:
    """Summaries plus decoded views and pair features (computed on demand, never all pairs)."""

    VECTOR_CACHE = 2048  # decoded (k, 384) float32 matrices kept (~30 KB each)

    def __init__(self, summaries: list[DocSummary], cache=None, mapper=None):
        """``cache``: the run's persistent cache (embeddings are kept in its file by the embedding
        service); ``mapper``: runs ``pipeline.embed.embed_chunk`` over chunks on an engine (``prefetch``)."""
        self.s = sorted(summaries, key=lambda x: x.doc_id)
        self.cache, self.mapper = cache, mapper
        self._int8: dict[int, bytes] = {}  # int8 rows embedded for this corpus (3.8 KB per document)
        self.n = len(self.s)
        self.eff = [_ordinal(x.effective_date) for x in self.s]
        self.mdate = [_ordinal(x.meeting_date) for x in self.s]
        self.pub = [_ordinal(x.published) for x in self.s]
        self._vec: OrderedDict[int, np.ndarray] = OrderedDict()
        self._facts: dict[int, _Cluster] = {}
        self._tok: OrderedDict[int, tuple] = OrderedDict()
        df: dict[str, int] = defaultdict(int)
        for x in self.s:
            for k in x.keys:
                df[k] += 1
        self.df = df

    def embeddable(self, i: int) -> bool:
        return self.s[i].embeddable

    def _rows(self, i: int) -> bytes:
        """Document ``i``'s int8 sentence rows: given in its summary, or embedded now (once)."""
        s = self.s[i]
        if s.vectors or not s.embed_texts:
            return s.vectors
        b = self._int8.get(i)
        if b is None:
            b = self._int8[i] = embed(s.embed_texts, self.cache)
            service.decided(PURPOSE, "documents embedded")
        return b

    def prefetch(self, docs: list[int]) -> None:
        """Embed the sentences of ``docs`` not embedded yet in one go (on the engine's workers when
        there is a mapper and enough of them): for a decision that needs every document's vector."""
        todo = [i for i in docs if not self.s[i].vectors and self.s[i].embed_texts and i not in self._int8]
        if not todo:
            return
        step = 2000  # documents per service call: bounded memory on large corpora
        for start in range(0, len(todo), step):
            part = todo[start:start + step]
            texts = [t for i in part for t in self.s[i].embed_texts]
            mapper = self.mapper if self.mapper is not None and len(texts) > 8 * service.CHUNK else None
            rows = service.vectors(texts, self.cache, PURPOSE, mapper)
            at = 0
            for i in part:
                k = len(self.s[i].embed_texts)
                self._int8[i] = quantize(rows[at:at + k])
                at += k
            service.decided(PURPOSE, "documents embedded", len(part))

    def vec(self, i: int) -> np.ndarray:
        v = self._vec.get(i)
        if v is None:
            v = self._vec[i] = matrix(self._rows(i))
            if len(self._vec) > self.VECTOR_CACHE:
                self._vec.popitem(last=False)
        else:
            self._vec.move_to_end(i)
        return v

    def align(self, i: int, j: int) -> Alignment:
        """How strongly the embedded lead and closing sentences of two reports match (shared passages)."""
        a, b = self.vec(i), self.vec(j)
        if len(a) == 0 or len(b) == 0:
            return Alignment(0.0)
        sim = a @ b.T
        bi, bj = sim.argmax(1), sim.argmax(0)
        rows = np.arange(len(a))
        mutual = bj[bi] == rows
        best = sim[rows, bi]
        strong = float(np.clip(best[mutual] - DEDUP_CONTENT_MIN_COS, 0.0, None).sum())
        return Alignment(min(1.0, strong / (1.0 - DEDUP_CONTENT_MIN_COS) / DEDUP_CONTENT_SATURATION))

    def tokens(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Document ``i``'s sentence fingerprints as (tokens sorted, their sentence numbers, tokens per
        sentence, figure tokens per sentence), decoded once and kept like the vectors."""
        t = self._tok.get(i)
        if t is None:
            s = self.s[i]
            flat = np.frombuffer(s.sentence_tokens, dtype=np.uint32)
            sizes = np.asarray(s.sentence_sizes, dtype=np.int64)
            sent = np.repeat(np.arange(len(sizes)), sizes)
            order = np.argsort(flat, kind="stable")
            numbers = np.bincount(sent[(flat & F.NUMBER_BIT) != 0], minlength=len(sizes))
            t = self._tok[i] = (flat[order], sent[order], sizes, numbers)
            if len(self._tok) > self.VECTOR_CACHE:
                self._tok.popitem(last=False)
        else:
            self._tok.move_to_end(i)
        return t

    def copy_alignment(self, i: int, j: int) -> CopyAlignment:
        """Every fingerprinted sentence of ``i`` against every one of ``j``: token Dice, mutual best
        matches at or above COPY_SENTENCE_SIM kept in order, and the matches whose figures disagree.
        Shared tokens are counted by a sorted join (no dense matrices: a report has a few hundred)."""
        ta, sa, size_a, num_a = self.tokens(i)
        tb, sb, size_b, num_b = self.tokens(j)
        sizes = (len(size_a), len(size_b))
        if not len(ta) or not len(tb):
            return CopyAlignment(0, 0, sizes)
        lo, hi = np.searchsorted(tb, ta, "left"), np.searchsorted(tb, ta, "right")
        count = hi - lo
        total = int(count.sum())
        if total == 0:
            return CopyAlignment(0, 0, sizes)
        which = np.repeat(np.arange(len(ta)), count)               # a-token of each shared pair
        at = np.repeat(lo, count) + (np.arange(total) - np.repeat(np.cumsum(count) - count, count))
        inter = np.zeros(sizes, dtype=np.float32)
        np.add.at(inter, (sa[which], sb[at]), 1.0)
        is_number = (ta[which] & F.NUMBER_BIT) != 0
        shared_numbers = np.zeros(sizes, dtype=np.float32)
        np.add.at(shared_numbers, (sa[which][is_number], sb[at][is_number]), 1.0)
        size = size_a[:, None] + size_b[None, :]
        dice = 2.0 * inter / np.maximum(size, 1)
        bi, bj = dice.argmax(1), dice.argmax(0)
        rows = np.arange(sizes[0])
        keep = (bj[bi] == rows) & (dice[rows, bi] >= COPY_SENTENCE_SIM)
        p, q = rows[keep], bi[keep]
        conflicts = int(((num_a[p] > 0) & (num_b[q] > 0) & (shared_numbers[p, q] == 0)).sum())
        return CopyAlignment(_lis(q.tolist()), conflicts, sizes)

    def jaccard(self, i: int, j: int) -> float:
        a, b = self.s[i].hashvalues(), self.s[j].hashvalues()
        if len(a) == 0 or len(a) != len(b):
            return 0.0
        return float(np.mean(a == b))

    def keys_score(self, i: int, j: int) -> float:
        shared = set(self.s[i].keys) & set(self.s[j].keys)
        strength = sum(1.0 / max(1, self.df[k] - 1) for k in shared)
        return min(1.0, strength / DEDUP_KEYS_SATURATION)

    # ---------------------------------------------------------------- hard constraints
    def facts(self, i: int) -> "_Cluster":
        f = self._facts.get(i)
        if f is None:
            f = self._facts[i] = _unit_facts(self, [i])
        return f

    def conflict(self, i: int, j: int) -> bool:
        """The two reports cannot be about one event (see ``_cluster_conflict``)."""
        return _cluster_conflict(self.facts(i), self.facts(j))

    # ---------------------------------------------------------------- same article
    def duplicate(self, i: int, j: int) -> bool:
        """The same text: within a language, nearly the same word shingles (a re-post, a lightly edited
        copy); in any language, every sentence compared in order (CopyAlignment.is_copy: a translation,
        a mirror). Two outlets' rewrites of one press release share their lead, not their text."""
        a, b = self.s[i], self.s[j]
        if self.conflict(i, j):
            return False
        if min(a.n_sentences, b.n_sentences) < DEDUP_MIN_LENGTH_RATIO * max(a.n_sentences, b.n_sentences):
            return False
        if a.lang == b.lang and self.jaccard(i, j) >= DEDUP_JACCARD:
            return True
        return self.copy_alignment(i, j).is_copy()


# -------------------------------------------------------------------- candidates
def _too_far(c: Corpus, i: int, j: int) -> bool:
    """Both dated and further apart than DEDUP_MAX_SPAN_DAYS: such a pair can never be used (no
    duplicate group or meeting cluster may span more, see ``_cluster_conflict``), so it is not proposed."""
    a, b = c.eff[i], c.eff[j]
    return a is not None and b is not None and abs(a - b) > DEDUP_MAX_SPAN_DAYS


def candidate_pairs(c: Corpus) -> dict[int, set[int]]:
    """Neighbours of each document: every pair that shares a block (sub-quadratic), minus the pairs
    dated too far apart to ever be used."""
    structural: dict[str, list[int]] = defaultdict(list)
    content: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(c.s):
        if s.url:
            content["u:" + s.url].append(i)
        for k in s.keys:
            content[k].append(i)
        b = s.committee or "?"
        week = c.eff[i] // 7 if c.eff[i] is not None else None
        if s.number:
            structural[f"n:{b}:{s.number_scope}:{s.number}"].append(i)
        if week is not None:
            structural[f"w:{b}:{week}"].append(i)
            structural[f"w:{b}:{week + 1}"].append(i)
    neigh: dict[int, set[int]] = defaultdict(set)

    def pair(i: int, j: int) -> None:
        if i != j and not _too_far(c, i, j):
            neigh[i].add(j)
            neigh[j].add(i)

    def link(members: list[int]) -> None:
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pair(members[x], members[y])

    for key in sorted(content):
        members = content[key]
        if 1 < len(members) <= DEDUP_MAX_KEY_DF:
            link(members)
    for key in sorted(structural):
        members = structural[key]
        if len(members) <= DEDUP_MAX_BUCKET:
            link(members)
            continue
        order = sorted(members, key=lambda i: (c.eff[i] if c.eff[i] is not None else 10 ** 9, c.s[i].doc_id))
        for x, i in enumerate(order):
            for j in order[x + 1:x + 1 + DEDUP_WINDOW]:
                pair(i, j)
    for i, j in _minhash_pairs(c):
        pair(i, j)
    for i, j in content_neighbours(c):
        pair(i, j)
    return neigh


def _minhash_pairs(c: Corpus) -> Iterator[tuple[int, int]]:
    """MinHash LSH within each language (near-copies whose metadata says nothing), one index per
    language and period of DEDUP_MAX_SPAN_DAYS: a dated document queries its own period and the two
    beside it, so a boilerplate report repeated every month is not compared with every other month's
    (the work stays linear in the number of periods); an undated one queries every period."""
    from datasketch import LeanMinHash, MinHashLSH

    def sketch(i: int) -> LeanMinHash:
        return LeanMinHash(seed=1, hashvalues=c.s[i].hashvalues().astype(np.uint64), scheme="affine32")

    by_lang: dict[str, dict[int | None, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, s in enumerate(c.s):
        if s.minhash:
            by_lang[s.lang or "?"][c.eff[i] // DEDUP_MAX_SPAN_DAYS if c.eff[i] is not None else None].append(i)
    for lang in sorted(by_lang):
        periods = by_lang[lang]
        order = sorted(periods, key=lambda p: (p is None, p or 0))  # dated periods in time order, undated last
        index: dict[int | None, MinHashLSH] = {}
        for p in order:
            index[p] = lsh = MinHashLSH(threshold=DEDUP_LSH_THRESHOLD, num_perm=DEDUP_NUM_PERM)
            for i in periods[p]:
                lsh.insert(i, sketch(i))
        for p in order:
            near = order if p is None else [q for q in (p - 1, p, p + 1, None) if q in index]
            for i in periods[p]:
                m = sketch(i)
                for q in near:
                    for j in sorted(index[q].query(m)):
                        if j != i:
                            yield i, j


def content_neighbours(c: Corpus) -> list[tuple[int, int]]:
    """Pairs for documents that blocking cannot place (no committee named, or no date): each one's
    DEDUP_CONTENT_NEIGHBOURS nearest documents by centred mean sentence embedding, among documents
    within DEDUP_MAX_SPAN_DAYS (all documents when it is undated). Linear in corpus size times the
    window; the undated ones (a few per cent) are compared with everything, in chunks."""
    poor = [i for i, s in enumerate(c.s) if s.embeddable and (not s.committee or c.eff[i] is None)]
    if not poor:
        return []
    service.decided(PURPOSE, "content neighbours: documents without committee or date", len(poor))
    # the centring below takes every document's mean vector: all are embedded (in one go)
    c.prefetch([i for i in range(c.n) if c.embeddable(i)])
    docs = np.zeros((c.n, EMBED_DIM), dtype=np.float32)
    has = np.zeros(c.n, dtype=bool)
    for i, s in enumerate(c.s):
        if s.embeddable:
            docs[i] = c.vec(i).mean(axis=0)
            has[i] = True
    docs[has] -= docs[has].mean(axis=0)          # remove what every report shares (domain, style)
    norms = np.linalg.norm(docs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    docs /= norms
    dated = sorted((c.eff[i], i) for i in range(c.n) if has[i] and c.eff[i] is not None)
    days = [d for d, _ in dated]
    undated_all = np.array([i for i in range(c.n) if has[i]], dtype=np.int64)
    groups: dict[int | None, list[int]] = defaultdict(list)
    for i in poor:
        groups[c.eff[i] // 7 if c.eff[i] is not None else None].append(i)
    pairs: list[tuple[int, int]] = []
    k = DEDUP_CONTENT_NEIGHBOURS
    for week in sorted(groups, key=lambda w: (w is None, w or 0)):
        rows = groups[week]
        if week is None:
            pool = undated_all
        else:
            lo = bisect.bisect_left(days, week * 7 - DEDUP_MAX_SPAN_DAYS)
            hi = bisect.bisect_right(days, week * 7 + 6 + DEDUP_MAX_SPAN_DAYS)
            pool = np.array([i for _, i in dated[lo:hi]], dtype=np.int64)
        if len(pool) == 0:
            continue
        for start in range(0, len(rows), 256):
            chunk = rows[start:start + 256]
            sim = docs[chunk] @ docs[pool].T
            for r, i in enumerate(chunk):
                sim[r, pool == i] = -2.0
                top = np.argpartition(-sim[r], min(k, len(pool) - 1))[:k] if len(pool) > k else np.arange(len(pool))
                pairs.extend((i, int(pool[t])) for t in top if int(pool[t]) != i)
    return pairs


# -------------------------------------------------------------------- union-find
class _DSU:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, x: int) -> int:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _age_key(s: DocSummary) -> tuple:
    """Earliest first: dated before undated (an undated copy is usually a later mirror), then doc_id."""
    return (s.published is None, s.published or "", s.doc_id)


@dataclass
class _Cluster:
    members: list[int] = field(default_factory=list)
    numbers: set[tuple[str | None, int]] = field(default_factory=set)  # (scope, number)
    committees: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    mdates: set[int] = field(default_factory=set)
    dates: set[int] = field(default_factory=set)
    pubs: set[int] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)      # document codes in the members' leads
    all_codes: set[str] = field(default_factory=set)  # document codes anywhere in the members' texts

    def scope_years(self) -> set[int]:
        return {int(sc) for sc, _ in self.numbers if sc and sc.isdigit()}


def _unit_facts(c: Corpus, unit: list[int]) -> _Cluster:
    u = _Cluster(members=list(unit))
    for i in unit:
        s = c.s[i]
        if s.number:
            u.numbers.add((s.number_scope, s.number))
        if s.committee:
            u.committees.add(s.committee)
        if s.event_kind:
            u.kinds.add(s.event_kind)
        u.codes |= set(s.lead_codes)
        u.all_codes |= _codes(s)
        if c.mdate[i] is not None:
            u.mdates.add(c.mdate[i])
        if c.eff[i] is not None:
            u.dates.add(c.eff[i])
        if c.pub[i] is not None:
            u.pubs.add(c.pub[i])
    return u


def _absorb(k: _Cluster, u: _Cluster) -> None:
    """Add unit ``u``'s members and facts to cluster ``k``."""
    k.members += u.members
    k.numbers |= u.numbers
    k.committees |= u.committees
    k.kinds |= u.kinds
    k.mdates |= u.mdates
    k.dates |= u.dates
    k.pubs |= u.pubs
    k.codes |= u.codes
    k.all_codes |= u.all_codes


def _comparable(x: str | None, y: str | None) -> bool:
    """Two number scopes count alike: equal, or an unnamed year ("its first meeting this year" in an
    undated report) and a named one."""
    return x == y or (x == F.SOME_YEAR and (y or "").isdigit()) or (y == F.SOME_YEAR and (x or "").isdigit())


def _numbers_conflict(a: set, b: set) -> bool:
    """Numbers counted in comparable scopes differ ("first meeting of 2026" and "second meeting of 2026";
    the committee's 4th and 5th). Numbers in different scopes cannot be compared: "the first meeting of
    2026" may be the committee's seventh."""
    for sa in {sc for sc, _ in a}:
        for sb in {sc for sc, _ in b}:
            if _comparable(sa, sb) and not {n for sc, n in a if sc == sa} & {n for sc, n in b if sc == sb}:
                return True
    return False


def _same_number(a: _Cluster, b: _Cluster) -> bool:
    return any(n == m and _comparable(sa, sb) for sa, n in a.numbers for sb, m in b.numbers)


def _same_meeting_day(a: _Cluster, b: _Cluster) -> bool:
    return bool(a.mdates and b.mdates) and \
        min(abs(x - y) for x in a.mdates for y in b.mdates) <= DEDUP_MEETING_DATE_TOLERANCE


def _year_of(day: int) -> int:
    return dt.date.fromordinal(day).year


def _cluster_conflict(u: _Cluster, k: _Cluster) -> bool:
    """Hard constraints: different committees, event kinds that never join (a notice joins the meeting it
    concludes only by its number or its meeting date), numbers in one scope that differ, a number
    counted in a year the other's meeting is not in, meeting dates more than a day apart, leads about
    different documents, a report published before the other's meeting, or dates too far apart."""
    if u.committees and k.committees and not u.committees & k.committees:
        return True
    if any(not F.kinds_join(a, b) for a in u.kinds for b in k.kinds):
        return True
    if _numbers_conflict(u.numbers, k.numbers):
        return True
    for x, y in ((u, k), (k, u)):
        years = x.scope_years()
        if years and y.mdates and not years & {_year_of(d) for d in y.mdates}:
            return True
        if x.kinds == {"notice"} and "meeting" in y.kinds and not (_same_number(x, y) or _same_meeting_day(x, y)):
            return True  # a conclusion notice joins the meeting it names, by number or date
    if u.mdates and k.mdates and not _same_meeting_day(u, k):
        return True
    # leads naming different documents are about different documents (a dispatch and a notice); a
    # meeting report's lead names background documents ("Decision 598/QĐ-TTg", the notice that
    # concludes it), so a meeting's reports are not held apart by them
    if "meeting" not in u.kinds | k.kinds and _about_other_documents(u.codes, u.all_codes, k.codes, k.all_codes):
        return True
    if u.pubs and k.mdates and _reports_before(min(u.pubs), max(k.mdates)):
        return True
    if k.pubs and u.mdates and _reports_before(min(k.pubs), max(u.mdates)):
        return True
    if u.dates and k.dates:
        span = max(u.dates | k.dates) - min(u.dates | k.dates)
        if span > DEDUP_MAX_SPAN_DAYS:
            return True
    return False


def _structural_score(u: _Cluster, k: _Cluster) -> float:
    score = 0.0
    # the same number is full evidence only where both sides are dated (or the number names its year):
    # an undated "first meeting" may be any year's first meeting, so alone it never joins
    if _same_number(u, k):
        dated = (u.dates and k.dates) or u.scope_years() & k.scope_years()
        score += DEDUP_W_NUMBER if dated else DEDUP_W_NUMBER_UNDATED
    if _same_meeting_day(u, k):
        score += DEDUP_W_MEETING_DATE
    elif u.dates and k.dates and min(abs(a - b) for a in u.dates for b in k.dates) <= DEDUP_MEETING_DATE_TOLERANCE:
        score += DEDUP_W_SAME_DAY
    if u.committees & k.committees:
        score += DEDUP_W_BODY
    # both leads name the same directive, decision or notice: reports of that one document
    if (u.kinds | k.kinds) & F.rules().document_kinds and u.codes & k.codes:
        score += DEDUP_W_SAME_DOCUMENT
    return score


def meeting_score(c: Corpus, u: _Cluster, k: _Cluster, pairs: list[tuple[int, int]]) -> float | None:
    """Score for placing unit ``u`` in cluster ``k`` (None: forbidden); ``pairs`` are the candidate
    pairs (unit member, cluster member) that content and keys are measured on."""
    parts = _cheap_parts(c, u, k, pairs)
    return None if parts is None else _score(parts[0], _content(c, pairs), parts[1])


def _cheap_parts(c: Corpus, u: _Cluster, k: _Cluster, pairs: list[tuple[int, int]]) -> tuple[float, float] | None:
    """(structural score, keys score) of placing ``u`` in ``k``, None when forbidden: everything but the
    content, which needs the embeddings."""
    if _cluster_conflict(u, k):
        return None
    keys = 0.0
    for i, j in pairs:
        a, b = (i, j) if i < j else (j, i)
        keys = max(keys, c.keys_score(a, b))
    return _structural_score(u, k), keys


def _content(c: Corpus, pairs: list[tuple[int, int]]) -> float:
    content = 0.0
    for i, j in pairs:
        a, b = (i, j) if i < j else (j, i)
        content = max(content, c.align(a, b).content)
        if content >= 1.0:
            break
    return content


def _score(structural: float, content: float, keys: float) -> float:
    return structural + DEDUP_W_CONTENT * content + DEDUP_W_KEYS * keys


def place(c: Corpus, u: _Cluster, clusters: list[_Cluster], by_cluster: dict[int, list[tuple[int, int]]]) -> int | None:
    """The cluster ``u`` joins: the first (by index) of the best ``meeting_score`` at or above
    DEDUP_ATTACH_THRESHOLD, else None. The content score (embeddings) is computed only where it can
    change that answer: a cluster that cannot pass even with full content, or cannot beat another's
    score without content, is not measured, and a single cluster that passes without content is
    taken as it is. Each outcome is counted (pipeline.embed.stats, purpose "dedup")."""
    bounds: dict[int, tuple[float, float, float, float]] = {}
    for k in sorted(by_cluster):
        parts = _cheap_parts(c, u, clusters[k], by_cluster[k])
        if parts is None:
            continue
        lower, upper = _score(parts[0], 0.0, parts[1]), _score(parts[0], 1.0, parts[1])
        if upper >= DEDUP_ATTACH_THRESHOLD:
            bounds[k] = (lower, upper, *parts)
    if not bounds:
        if by_cluster:
            service.decided(PURPOSE, "placements decided without content: no cluster can pass")
        return None
    floor = max(b[0] for b in bounds.values())
    open_ = [k for k in sorted(bounds) if bounds[k][1] >= floor]
    if len(open_) == 1 and bounds[open_[0]][0] >= DEDUP_ATTACH_THRESHOLD:
        service.decided(PURPOSE, "placements decided without content: one cluster passes")
        return open_[0]
    service.decided(PURPOSE, "placements that needed content")
    best, best_score = None, DEDUP_ATTACH_THRESHOLD
    for k in open_:
        _, _, structural, keys = bounds[k]
        score = _score(structural, _content(c, by_cluster[k]), keys)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = k, score
    return best


def _ordinal_word(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


KIND_LABEL = {"meeting": "meeting", "notice": "conclusion notice", "decision": "decision",
              "directive": "directive", "conference": "conference", "campaign": "campaign",
              "briefing": "press briefing"}
RECORD_KINDS = ("meeting", "notice", "decision", "directive", "conference", "campaign")


def _label(canon: DocSummary, kind: str, number: int | None, scope: str | None, committee: str | None,
           date: str | None) -> str:
    """"4th meeting, <committee> (2025-09-24)", "1st meeting of 2026, <committee> (…)", "conclusion
    notice of the 3rd meeting, <committee>", "directive, <committee>", else the canonical report's headline."""
    when = f" ({date})" if date else ""
    name = F.committee_name(committee)
    if name:
        what = KIND_LABEL.get(kind, "")
        if number and kind in ("meeting", "notice", "conference"):
            noun = "conference" if kind == "conference" else "meeting"
            nth = f"{_ordinal_word(number)} {noun}" + (f" of {scope}" if scope and scope.isdigit() else "")
            what = f"{what} of the {nth}" if kind == "notice" else nth
        return f"{what}, {name}{when}" if what else f"{name}{when}"
    head = (canon.title or canon.doc_id).strip()
    if len(head) > 100:
        head = head[:99].rsplit(" ", 1)[0] + "…"
    return f"{head}{when}"


def _cluster_number(canon: DocSummary, k: _Cluster) -> tuple[int | None, str | None]:
    """The meeting's number and scope: the canonical report's, else the one its reports agree on
    (a year scope preferred to the committee's count, which reports of one meeting may not agree on)."""
    if canon.number:
        return canon.number, canon.number_scope
    for scope in sorted({sc for sc, _ in k.numbers if sc}, key=lambda sc: (not sc.isdigit(), sc)):
        ns = {n for sc, n in k.numbers if sc == scope}
        if len(ns) == 1:
            return ns.pop(), scope
    return None, None


def _cluster_kind(kinds: set[str]) -> str:
    """A meeting with its conclusion notices is a meeting; otherwise the one kind its reports name."""
    if "meeting" in kinds:
        return "meeting"
    return next(iter(kinds)) if len(kinds) == 1 else "other"


def cluster(summaries: list[DocSummary], cache=None, mapper=None) -> tuple[Assignments, list[Cluster]]:
    """Same-article groups and meeting clusters. ``cache`` (the run's persistent cache) and ``mapper``
    (an engine's map for ``pipeline.embed.embed_chunk``) serve the embeddings the decisions need."""
    c = Corpus(summaries, cache, mapper)
    neigh = candidate_pairs(c)
    # ---- same article
    # a pair of copies joins their groups only when the groups' meeting facts agree too: copies of
    # copies must not chain reports of different meetings (the same boilerplate report published
    # months apart, each copy pair alike but the ends on other dates) into one "article"
    dsu = _DSU(c.n)
    facts = {i: _unit_facts(c, [i]) for i in range(c.n)}
    for i in range(c.n):
        for j in sorted(neigh.get(i, ())):
            if i < j and c.duplicate(i, j):
                ri, rj = dsu.find(i), dsu.find(j)
                if ri == rj or _cluster_conflict(facts[ri], facts[rj]):
                    continue
                dsu.union(ri, rj)
                keep, gone = (ri, rj) if dsu.find(ri) == ri else (rj, ri)
                _absorb(facts[keep], facts.pop(gone))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(c.n):
        groups[dsu.find(i)].append(i)
    duplicate_of: dict[int, int] = {}
    units = []
    for members in groups.values():
        root = min(members, key=lambda i: _age_key(c.s[i]))
        for i in members:
            if i != root:
                duplicate_of[i] = root
        units.append(_unit_facts(c, sorted(members, key=lambda i: _age_key(c.s[i]))))

    # ---- meetings: best-evidenced units first, then by date and id
    def evidence(u: _Cluster) -> tuple:
        first = c.s[u.members[0]]
        known = bool(u.numbers) + bool(u.mdates) + bool(u.committees) + bool(u.dates)
        return (-known, min(u.dates) if u.dates else 10 ** 9, first.doc_id)

    clusters: list[_Cluster] = []
    where: dict[int, int] = {}
    for u in sorted(units, key=evidence):
        by_cluster: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for i in u.members:
            for j in sorted(neigh.get(i, ())):
                if j in where:
                    by_cluster[where[j]].append((i, j))
        best = place(c, u, clusters, by_cluster)
        if best is None:
            clusters.append(_Cluster())
            best = len(clusters) - 1
        k = clusters[best]
        _absorb(k, u)
        for i in u.members:
            where[i] = best

    # ---- records
    assignments: Assignments = {}
    out: list[Cluster] = []
    for k in clusters:
        originals = [i for i in k.members if i not in duplicate_of]
        kind = _cluster_kind(k.kinds)
        # the canonical report is an original of the cluster's own kind (a meeting's report, not the
        # notice that concludes it), the earliest dated, then by doc_id
        canon_i = min(originals, key=lambda i: (c.s[i].event_kind not in (kind, None),
                                                c.eff[i] if c.eff[i] is not None else 10 ** 9, c.s[i].doc_id))
        canon = c.s[canon_i]
        cid = "m-" + hashlib.sha1(canon.doc_id.encode("utf-8")).hexdigest()[:10]
        mdates = sorted(c.s[i].meeting_date for i in k.members if c.s[i].meeting_date)
        pubs = sorted(c.s[i].published for i in k.members if c.s[i].published)
        date = max(set(mdates), key=lambda d: (mdates.count(d), d)) if mdates else (pubs[0] if pubs else None)
        number, scope = _cluster_number(canon, k)
        committee = min(k.committees) if len(k.committees) == 1 else None
        ids = sorted(c.s[i].doc_id for i in k.members)
        dups = {c.s[i].doc_id: c.s[duplicate_of[i]].doc_id for i in k.members if i in duplicate_of}
        for i in k.members:
            assignments[c.s[i].doc_id] = (cid, c.s[duplicate_of[i]].doc_id if i in duplicate_of else None)
        out.append(Cluster(
            cluster_id=cid, doc_ids=ids, canonical_doc_id=canon.doc_id, date=date,
            label=_label(canon, kind, number, scope, committee, date),
            languages=sorted({c.s[i].lang for i in k.members if c.s[i].lang}),
            outlets=sorted({c.s[i].outlet for i in k.members if c.s[i].outlet}),
            duplicates=[ClusterDuplicate(doc_id=a, duplicate_of=b) for a, b in sorted(dups.items())],
            committee=F.committee_name(committee),
            event_kind=kind if kind in RECORD_KINDS else "other",
            number=number, number_scope=scope))
    out.sort(key=lambda r: (r.date or "9999", r.cluster_id))
    return assignments, out
