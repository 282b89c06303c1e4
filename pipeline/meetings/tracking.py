"""Tracking across meetings: a later meeting's fact linked to the earlier commitment it follows up.

A link runs from the LATER meeting's row (``from_id``) to the EARLIER meeting's commitment (``to_id``),
in time order (meetings by date; undated meetings are left out), within one committee when the
clusters name theirs. It needs the same target:

* the same metric — figures in the same unit whose surrounding words share at least
  ``TRACK_SUBJECT_SHARED`` strong words (a shared '%' or a shared ministry is not a target), and
  wording at least ``TRACK_FIG_SIM`` alike; or
* the same task — no shared figure, but wording at least ``TRACK_TEXT_SIM`` alike with
  ``TRACK_TASK_SHARED`` strong words in common, and words that say which task is meant: the shared
  words' rarity among all commitments (log(N / (1 + other commitments holding the word)) / log N) sums to at least
  ``TRACK_TASK_RARITY`` (a committee whose every task touches "the population database" does not
  link two of them by those words);

and a confidence of at least ``TRACK_MIN_CONFIDENCE``. Rows whose every figure counts a meeting's own plan
("41 tasks behind schedule") and "commitments" whose every date precedes their meeting (a past figure)
take part in no link. The relation: *progress* (the later row is a
progress figure), *revised* (a commitment with another value for the metric), *deadline_moved* (the
same target with another deadline), else *restated*.

For a later row, the most recent earlier meeting holding a match supplies the link (so a series of
meetings forms a chain), and within it the most confident commitment. Candidates come from two
indexes over the earlier commitments, so the work grows with the matches, not with meetings x
meetings: (unit, subject word) for figures, distinctive words for tasks; each row looks back over at
most ``TRACK_MAX_MEETINGS_BACK`` earlier meetings.
"""
from __future__ import annotations

import bisect
import math
import hashlib
from collections import defaultdict
from typing import Optional

from pipeline import config
from pipeline.meetings import features as F
from pipeline.meetings.embed import Embedder
from pipeline.meetings.rows import rescale, weighted_dice
from pipeline.records import Cluster, MeetingCommitment, MeetingSource, TrackingLink

_TRACK_ROW = ("id", "cluster_id", "kind", "text", "date", "actors")
_TRACK_SOURCE = ("copy_of", "text", "figures", "date")


def for_tracking(row: MeetingCommitment) -> MeetingCommitment:
    """The parts of a row that tracking reads (``track`` keeps every row until the end of the run; the
    full row is written and dropped): id, kind, text, deadline, actors, date conflicts, and the
    sources' texts, figures and dates."""
    sources = [MeetingSource.model_construct(**{k: getattr(s, k) for k in _TRACK_SOURCE}) for s in row.sources]
    return MeetingCommitment.model_construct(**{k: getattr(row, k) for k in _TRACK_ROW}, sources=sources,
                                             conflicts=[c for c in row.conflicts if c.field == "date"])


def row_core(row: MeetingCommitment) -> str:
    """The core of a row's text (its first source, the representative statement, gives the deadline's
    words): the text the merge embedded for that statement, so tracking finds its vector cached."""
    rep = row.sources[0] if row.sources else None
    return F.core_text(row.text, rep.date) if rep is not None and rep.text == row.text else row.text


def row_texts(row: MeetingCommitment) -> list[str]:
    """The cores of the row's sentences as its outlets wrote them (originals, not copies; at most
    TRACK_SOURCES): a follow-up may be worded like one outlet's report and unlike another's."""
    out = [row_core(row)]
    for src in row.sources:
        if src.copy_of:
            continue
        t = F.core_text(src.text, src.date)
        if t not in out:
            out.append(t)
    return out[: config.TRACK_SOURCES]


def _row_metrics(row: MeetingCommitment) -> list[F.Metric]:
    out = []
    for src in row.sources:
        if src.copy_of:
            continue
        out.extend(F.metrics(src.text, src.figures))
    return out


def _deadline(row: MeetingCommitment) -> Optional[str]:
    if row.date is not None:
        return F.date_key(row.date)
    if any(c.field == "date" for c in row.conflicts):
        return None
    return next((F.date_key(s.date) for s in row.sources if s.date), None)


def _days(a: str, b: str) -> int:
    """Days from ISO date ``a`` to ``b``."""
    from datetime import date

    try:
        return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days
    except ValueError:
        return 0


def _generic(m: F.Metric) -> bool:
    return m.generic or m.unit in F.words()["tracking_generic_units"]


def _plan_counts(ms: list[F.Metric]) -> bool:
    """Every figure counts the meeting's own plan ("41 tasks behind schedule", "96 of 256 tasks"): each
    meeting's plan has its own tasks, so such a row follows up no earlier one and is followed up by none."""
    units = F.words()["tracking_generic_units"]
    return bool(ms) and all(m.unit in units for m in ms)


def _looks_back(row: MeetingCommitment, mdate: Optional[str]) -> bool:
    """Every date its outlets give ends before the row's meeting: a figure of the past read as a
    commitment ("only 41.6 per cent of dossiers were processed online in 2024"), no target to follow up."""
    dates = [F.date_key(s.date) for s in row.sources if s.date and F.date_key(s.date)]
    return bool(dates and mdate and all(d < mdate[:10] for d in dates))


def _committee(cluster: Cluster) -> Optional[str]:
    return getattr(cluster, "committee", None) or None


def _metric_keys(ms: list[F.Metric]) -> list[tuple[str, str]]:
    return sorted({(m.unit, w) for m in ms for w in F.strong(m.subject)})


def track(meetings: list[tuple[Cluster, Optional[str], list[MeetingCommitment]]],
          emb: Embedder | None = None) -> list[TrackingLink]:
    """Links from later meetings' rows to the earlier commitments they follow up (see the module doc)."""
    emb = emb or Embedder()
    dated = sorted([m for m in meetings if m[1]], key=lambda m: (m[1], m[0].cluster_id))
    metrics = {r.id: _row_metrics(r) for _, _, rows in dated for r in rows}
    cores = {r.id: row_texts(r) for _, _, rows in dated for r in rows}
    text_stems = {t: F.stems(t) for texts in cores.values() for t in texts}
    row_stems = {rid: frozenset().union(*(text_stems[t] for t in texts)) for rid, texts in cores.items()}
    commitments = [(k, r) for k, (_, mdate, rows) in enumerate(dated) for r in rows
                   if r.kind == "commitment" and not _looks_back(r, mdate) and not _plan_counts(metrics[r.id])]
    by_metric: dict[tuple[str, str], list[tuple[int, MeetingCommitment]]] = defaultdict(list)
    by_word: dict[str, list[tuple[int, MeetingCommitment]]] = defaultdict(list)
    for k, r in commitments:
        for key in _metric_keys(metrics[r.id]):
            by_metric[key].append((k, r))
        for w in sorted(F.strong(row_stems[r.id])):
            by_word[w].append((k, r))
    # how much a shared word says which task is meant: log(N / (1 + other commitments holding it)) /
    # log(N), N the commitments: 1 for a word only the two rows share, near 0 for a word most
    # commitments use ("population database" in a committee whose every task touches it)
    n_commit = max(len(commitments), 2)

    def rarity(word: str, pair: int) -> float:
        others = max(0, len(by_word.get(word, ())) - pair)
        return max(0.0, math.log(n_commit / (1 + others)) / math.log(n_commit))

    positions = {("m",) + key: [kk for kk, _ in posting] for key, posting in by_metric.items()}
    positions.update({("w", w): [kk for kk, _ in posting] for w, posting in by_word.items()})
    back = config.TRACK_MAX_MEETINGS_BACK

    def earlier(posting, pos, k: int, mdate: str, committee: Optional[str]):
        """The posting's entries in the ``back`` most recent meetings dated before ``mdate``. Postings
        are in meeting order, so the walk stops early: the work does not grow with the number of
        earlier meetings."""
        i = bisect.bisect_left(pos, k) if posting else 0
        seen, last = 0, None
        while i > 0:
            i -= 1
            kk, e = posting[i]
            if _days(dated[kk][1], mdate) < config.TRACK_MIN_DAYS:  # not earlier (or one event split)
                continue
            other = _committee(dated[kk][0])
            if committee and other and other != committee:
                continue
            if kk != last:
                seen, last = seen + 1, kk
                if seen > back:
                    return
            yield kk, e

    pending: list[tuple[int, MeetingCommitment, dict]] = []
    for k, (cluster, mdate, rows) in enumerate(dated):
        committee = _committee(cluster)
        for row in rows:
            if _plan_counts(metrics[row.id]):
                continue
            cands: dict[str, tuple[int, MeetingCommitment]] = {}
            for key in _metric_keys(metrics[row.id]):
                for kk, e in earlier(by_metric.get(key, ()), positions.get(("m",) + key, []), k, mdate, committee):
                    cands[e.id] = (kk, e)
            for w in sorted(F.strong(row_stems[row.id])):
                posting = by_word.get(w, ())
                if len(posting) > config.TRACK_MAX_WORD_ROWS:
                    continue
                for kk, e in earlier(posting, positions.get(("w", w), []), k, mdate, committee):
                    cands[e.id] = (kk, e)
            if cands:
                pending.append((k, row, cands))
    recent = {}
    for k, row, cands in pending:
        recent[row.id] = sorted({kk for kk, _ in cands.values()}, reverse=True)[:back]
    # embed every text a candidate pair may need in one batch (single-text calls are slow)
    emb.prepare([t for _, row, _ in pending for t in cores[row.id]] +
                [t for _, row, cands in pending for kk, e in cands.values() if kk in recent[row.id] for t in cores[e.id]])

    links: list[TrackingLink] = []
    for k, row, cands in pending:
        cluster, mdate, _ = dated[k]
        best = None
        for kk in recent[row.id]:
            for e in sorted((e for k2, e in cands.values() if k2 == kk), key=lambda e: e.id):
                got = follow_up(emb, e, row, metrics, row_stems, cores, text_stems, rarity)
                if got and (best is None or (got["confidence"], e.id) > (best[0]["confidence"], best[1].id)):
                    best = (got, e, dated[kk][0], dated[kk][1])
            if best:
                break
        if not best:
            continue
        got, e, e_cluster, e_date = best
        d_from, d_to = _deadline(row), _deadline(e)
        links.append(TrackingLink(
            id="tl-" + hashlib.sha1(f"{row.id}\x1f{e.id}".encode()).hexdigest()[:12],
            from_id=row.id, to_id=e.id, from_cluster=cluster.cluster_id, to_cluster=e_cluster.cluster_id,
            from_meeting_date=mdate, to_meeting_date=e_date, relation=got["relation"], unit=got["unit"],
            from_value=got["from_value"], to_value=got["to_value"], from_deadline=d_from, to_deadline=d_to,
            deadline_changed=bool(row.kind == "commitment" and d_from and d_to and d_from != d_to),
            similarity=round(got["similarity"], 3), confidence=round(got["confidence"], 3),
            from_text=row.text, to_text=e.text))
    return links


def follow_up(emb: Embedder, e: MeetingCommitment, row: MeetingCommitment, metrics, row_stems, cores, text_stems,
              rarity=None) -> Optional[dict]:
    """How ``row`` (later) follows up commitment ``e`` (earlier), or None when it does not."""
    # the body a commitment assigns is part of the task; a progress row's body is often only who
    # reported it ("the Government Office said 76.8% ...")
    if row.kind == "commitment" and e.actors and row.actors and not (
            {a.name for a in e.actors} & {a.name for a in row.actors}):
        return None
    me, mr = metrics[e.id], metrics[row.id]
    # a unit that names what is counted only within one meeting ("tasks": each meeting's plan has its
    # own) is no metric across meetings, nor is a figure without a unit ("level 2", "30 out of 6"):
    # such rows link as tasks, by their words
    shared = [(x, y) for x in mr for y in me if F.units_relation(x, y) == "same" and F.same_metric(x, y)
              and x.unit and x.unit not in F.words()["tracking_generic_units"]
              and len(F.subject_overlap(x, y)) >= (config.TRACK_SUBJECT_SHARED if _generic(x) else 1)]
    words = F.strong(row_stems[e.id] & row_stems[row.id])
    if shared:
        need = config.TRACK_FIG_SIM
    elif len(words) >= config.TRACK_TASK_SHARED and (
            rarity is None or sum(rarity(w, 1 + (row.kind == "commitment")) for w in words) >= config.TRACK_TASK_RARITY):
        need = config.TRACK_TEXT_SIM
    else:
        return None
    w = config.MERGE_EMB_WEIGHT
    sim = 0.0
    for ta in cores[e.id]:
        for tb in cores[row.id]:
            d = weighted_dice(text_stems[ta], text_stems[tb])
            if w + (1 - w) * d <= sim:  # cannot beat the best pair so far
                continue
            sim = max(sim, w * rescale(emb.cos(ta, tb)) + (1 - w) * d)
    if sim < need:
        return None
    unit = v_from = v_to = None
    equal = False
    if shared:
        # the figure pair that restates a value when there is one, else the pair sharing the most words
        # (a repeated value counts even where the words around it differ: "80% ... by 2025" after
        # "100% of procedures ..., 80% of records ...")
        same = [(x, y) for x, y in shared if F.values_relation(x, y) != "different"] or \
            [(x, y) for x in mr for y in me if F.units_relation(x, y) == "same" and F.values_relation(x, y) == "equal"]
        x, y = same[0] if same else max(shared, key=lambda p: len(F.subject_overlap(*p)))
        unit, v_from, v_to = x.figure.unit, x.value, y.value
        equal = bool(same)
    confidence = min(1.0, sim + (config.TRACK_SAME_VALUE_BONUS if equal else 0.0)
                     + (config.TRACK_METRIC_BONUS if shared else 0.0))
    if confidence < config.TRACK_MIN_CONFIDENCE:
        return None
    if row.kind == "progress":
        relation = "progress"
    elif shared and not equal:
        relation = "revised"
    else:
        d_row, d_e = _deadline(row), _deadline(e)
        relation = "deadline_moved" if d_row and d_e and d_row != d_e else "restated"
    return {"relation": relation, "unit": unit, "from_value": v_from, "to_value": v_to,
            "similarity": sim, "confidence": confidence}
