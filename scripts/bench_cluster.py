#!/usr/bin/env python3
"""Benchmark `pipeline.dedup.cluster` on synthetic corpora of DocSummaries (no embedding model needed).

usage: python scripts/bench_cluster.py [SIZE ...]     (default: 1000 10000)

The synthetic corpus imitates the real one's structure: meetings of a handful of bodies over three
years (numbered per body, about 20 per body; more bodies in a bigger corpus), 2-14 reports each in en/vi/de from different outlets,
a fifth of the reports being translations or mirrors of another report, reports without a date or
number, and a few document codes cited by nearly everyone. Sentence vectors share a strong common
direction, as real ones do (raw cosine of unrelated sentences ~0.8); a meeting's reports draw their
sentences from the meeting's own pool, and every report also carries generic sentences. Prints the
clustering time per size, wall and CPU (growth is by CPU time, as the box may be shared), candidate pairs, and pairwise precision/recall against
the generating truth, so a speed-up that breaks clustering shows.
"""
from __future__ import annotations

import datetime as dt
import itertools
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.config import DEDUP_NUM_PERM, DEDUP_SENTENCES  # noqa: E402
from pipeline.dedup import DocSummary, cluster  # noqa: E402
from pipeline.dedup.cluster import Corpus, candidate_pairs  # noqa: E402
from pipeline.dedup.summary import EMBED_DIM, quantize  # noqa: E402

BODIES = ["gov-sc-sti", "central-sc-sti", "na-standing-committee", "gov-regular-meeting", "state-sc-key-projects",
          "national-sc-admin-reform"]
LANGS = ["en", "vi", "de"]
COMMON_CODES = ["57NQTW", "03NQCP", "66NQCP", "18NQTW"]


def _unit(rng, n):
    v = rng.standard_normal((n, EMBED_DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def synth(n_docs: int, seed: int = 0) -> tuple[list[DocSummary], dict[str, int], dict[str, str]]:
    """Summaries, the true meeting of each doc, and the true original of each copy."""
    rng = np.random.default_rng(seed)
    trng = np.random.default_rng(seed + 1)  # sentence fingerprints: their own stream, the rest as before
    common = _unit(rng, 1)[0]
    generic = _unit(rng, 400)             # boilerplate sentences any report may contain

    def sentences(base: np.ndarray, noise: float) -> np.ndarray:
        """Unit rows: common direction (0.9) + the sentence's meaning (0.43) + rewording noise of norm
        ``noise``. Unrelated sentences score ~0.75, two wordings of one sentence ~0.9."""
        jitter = rng.standard_normal(base.shape).astype(np.float32) * (noise / np.sqrt(EMBED_DIM))
        v = 0.9 * common + 0.43 * base + jitter
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def translate(vec: np.ndarray) -> np.ndarray:
        """A translation: each sentence re-worded in another language (cosine ~0.93 to the source)."""
        v = vec + rng.standard_normal(vec.shape).astype(np.float32) * (0.12 / np.sqrt(EMBED_DIM))
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    start = dt.date(2023, 1, 1).toordinal()
    # A bigger corpus covers more bodies, not more meetings per body: about 20 meetings per body in
    # three years (8 reports per meeting on average), the known bodies first.
    bodies = BODIES + [f"body-{k}" for k in range(max(0, n_docs // 160 - len(BODIES)))]
    numbers: dict[str, int] = defaultdict(int)
    docs: list[DocSummary] = []
    truth: dict[str, int] = {}
    copies: dict[str, str] = {}
    meeting = 0
    while len(docs) < n_docs:
        body = bodies[int(rng.integers(len(bodies)))]
        numbers[body] += 1
        number = numbers[body]
        day = start + int(rng.integers(0, 3 * 365))
        pool = _unit(rng, 40)                                    # the meeting's own facts and quotes
        figs = [str(int(x)) for x in rng.integers(2, 5000, size=30)]
        mdate = dt.date.fromordinal(day).isoformat()
        keys = [f"d:{dt.date.fromordinal(day + int(k)).isoformat()}" for k in rng.integers(5, 90, size=2)]
        originals: list[DocSummary] = []
        for r in range(int(rng.integers(2, 15))):
            if len(docs) >= n_docs:
                break
            doc_id = f"doc{len(docs):07d}"
            lang = LANGS[int(rng.integers(3))]
            pub = day + int(rng.integers(0, 3)) if rng.random() > 0.05 else None
            if originals and rng.random() < 0.2:                  # a translation / mirror of an earlier report
                src = originals[int(rng.integers(len(originals)))]
                vec = np.frombuffer(src.vectors, dtype=np.int8).reshape(-1, EMBED_DIM).astype(np.float32)
                vec = vec / np.linalg.norm(vec, axis=1, keepdims=True)
                vec = translate(vec)
                same_lang = rng.random() < 0.5
                mh = np.frombuffer(src.minhash, dtype=np.uint32).copy()
                if not same_lang:
                    mh = rng.integers(0, 2 ** 32, size=DEDUP_NUM_PERM, dtype=np.uint64).astype(np.uint32)
                # the copy's sentence fingerprints: each sentence keeps 8 of its 10 tokens, 2 re-worded
                toks = [np.concatenate([t[:8], trng.integers(1, 2 ** 31, size=2, dtype=np.uint32)])
                        for t in src.sentence_token_lists()]
                s = src.model_copy(update={
                    "doc_id": doc_id, "lang": src.lang if same_lang else lang, "vectors": quantize(vec),
                    "sentence_tokens": np.concatenate(toks).astype(np.uint32).tobytes() if toks else b"",
                    "sentence_sizes": [len(t) for t in toks],
                    "minhash": mh.tobytes(), "url": src.url if rng.random() < 0.3 else f"site{r}.vn/{doc_id}",
                    "published": dt.date.fromordinal(pub).isoformat() if pub else None})
                copies[doc_id] = src.doc_id
            else:
                k = DEDUP_SENTENCES
                own = pool[rng.choice(len(pool), size=k // 2, replace=False)]
                gen = generic[rng.choice(len(generic), size=k - k // 2, replace=False)]
                vec = sentences(np.concatenate([own, gen]), 0.3)
                has_lead = rng.random() > 0.15                     # some reports state neither number nor date
                s = DocSummary(
                    doc_id=doc_id, lang=lang, published=dt.date.fromordinal(pub).isoformat() if pub else None,
                    url=f"outlet{int(rng.integers(40))}.vn/{doc_id}", outlet=f"outlet{int(rng.integers(40))}.vn",
                    title=f"Meeting {number} of {body}", meeting_date=mdate if has_lead and rng.random() < 0.7 else None,
                    number=number if (numbered := has_lead and rng.random() < 0.8) else None,
                    number_scope="committee" if numbered else None,
                    committee=body if has_lead else None, event_kind="meeting" if has_lead else None,
                    keys=sorted(set(keys + [f"c:{c}" for c in COMMON_CODES if rng.random() < 0.6])),
                    figures=list(rng.permutation(figs)[:12]), n_sentences=int(rng.integers(15, 45)),
                    minhash=rng.integers(0, 2 ** 32, size=DEDUP_NUM_PERM, dtype=np.uint64).astype(np.uint32).tobytes(),
                    vectors=quantize(vec))
                # own wording, sentence by sentence: 10 tokens each
                toks = trng.integers(1, 2 ** 31, size=(s.n_sentences, 10), dtype=np.uint32)
                s = s.model_copy(update={"sentence_tokens": np.sort(toks, axis=1).tobytes(),
                                         "sentence_sizes": [10] * s.n_sentences})
                originals.append(s)
            docs.append(s)
            truth[doc_id] = meeting
        meeting += 1
    return docs, truth, copies


def pairwise(assign: dict[str, object], truth: dict[str, object]) -> tuple[float, float]:
    """Pairwise precision / recall of same-group decisions (groups are meeting-sized, so the pair
    sets stay linear in corpus size)."""
    by_true: dict[object, list[str]] = defaultdict(list)
    by_pred: dict[object, list[str]] = defaultdict(list)
    for d, m in truth.items():
        by_true[m].append(d)
    for d, c in assign.items():
        by_pred[c].append(d)
    true_pairs = {frozenset(p) for g in by_true.values() for p in itertools.combinations(g, 2)}
    pred_pairs = {frozenset(p) for g in by_pred.values() for p in itertools.combinations(g, 2)}
    tp = len(true_pairs & pred_pairs)
    return tp / max(1, len(pred_pairs)), tp / max(1, len(true_pairs))


def main(sizes: list[int]) -> None:
    prev = None
    print(f"{'docs':>7} {'wall s':>8} {'cpu s':>8} {'growth':>7} {'cand pairs':>11} {'clusters':>9} {'dups':>6} "
          f"{'pair P':>7} {'pair R':>7} {'dup P':>6} {'dup R':>6}")
    for n in sizes:
        docs, truth, copies = synth(n)
        t0, c0 = time.perf_counter(), time.process_time()
        assignments, clusters = cluster(docs)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        cands = sum(len(v) for v in candidate_pairs(Corpus(docs)).values()) // 2
        p, r = pairwise({d: a[0] for d, a in assignments.items()}, truth)
        found = {d for d, (_, dup) in assignments.items() if dup}
        # same-article groups (an original and its copies) compared pairwise: the earliest member of
        # a predicted group may be a copy published before its original, so pairs, not pointers
        true_groups = {d: copies.get(d, d) for d in truth}
        pred_groups = {d: (dup or d) for d, (_, dup) in assignments.items()}
        dp, dr = pairwise(pred_groups, true_groups)
        growth = f"x{cpu / prev:.1f}" if prev else "-"
        print(f"{n:>7} {secs:>8.2f} {cpu:>8.2f} {growth:>7} {cands:>11} {len(clusters):>9} {len(found):>6} "
              f"{p:>7.3f} {r:>7.3f} {dp:>6.3f} {dr:>6.3f}", flush=True)
        prev = cpu


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
