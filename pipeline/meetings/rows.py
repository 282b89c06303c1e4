"""Same-fact grouping: which statements of one meeting, across its outlets, report one fact.

Precision first: two statements share a row only when they are the same fact —

* the **same metric** with the same or a compatible value ("over 65 million" and "65.2 million"; the
  same unit or one outlet giving none; shared words around the figure when the unit does not say what
  is counted), or
* the **same task** (close wording of what is to be done, with compatible actors and deadline),

and a different value or deadline for one fact (a conflict) needs a near-identical statement of the
rest. A shared unit, a shared ministry or similar wording alone never merge; when unsure, two rows.

Work grows with the statements, not with their pairs:

1. statements with the same English text (copies, re-posts, one press release) are one *unit* at once;
2. each copy or translation (``duplicate_of``) is aligned once with its original's statements, one to
   one, best match first — 2,000 re-posts of one wire story cost 2,000 small alignments;
3. units of different outlets are compared only within blocks that share a key (a figure's value, a
   metric's unit and subject word, a deadline, a strong word); a block larger than
   ``MERGE_BLOCK_ALL`` is walked in text order comparing each unit with its ``MERGE_BLOCK_WINDOW``
   neighbours (sorted-neighbourhood blocking);
4. pairs that pass are joined best first; two groups join only when no document is in both and their
   representatives are pairwise compatible (complete link over at most ``MERGE_GROUP_REPS`` each).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Optional

from pipeline import config
from pipeline.meetings import features as F
from pipeline.meetings.conflicts import build_row
from pipeline.meetings.embed import Embedder
from pipeline.meetings.outlets import DocInfo, OutletColumn, outlet_columns
from pipeline.records import Cluster, DateSpan, MeetingCommitment, Statement


# ----------------------------------------------------------------------------- statements
@dataclass(eq=False)
class Item:
    """A statement with its outlet column and the parts the comparison reads."""

    st: Statement
    col: int
    copy_of: Optional[str]          # the original's doc_id when this statement's document is a copy
    core: str = ""
    stems: frozenset = frozenset()
    metrics: tuple = ()
    deadline: Optional[str] = None
    actors: frozenset = frozenset()
    norm: str = ""
    common_date: bool = False       # its outlet gives this date to several statements (see group_items)
    meeting_date: Optional[str] = None
    when: Optional[DateSpan] = None  # the date a row settles: the statement's, but a commitment's date
    # before its meeting is what it refers to ("statistics on the digital economy in 2025", said in
    # 2026), not its deadline: it tells facts apart, it disputes no deadline

    def __post_init__(self) -> None:
        st = self.st
        self.when = st.date
        key = F.date_key(st.date)
        if st.kind == "commitment" and key and self.meeting_date and key < self.meeting_date[:10]:
            self.when = None
        # the deadline is compared as a date, not as words ("third quarter" vs "fourth quarter" must not
        # make two wordings of one commitment look less alike, nor the same wording more alike)
        self.core = F.core_text(st.text, st.date)
        self.stems = F.stems(self.core)
        self.metrics = F.metrics(st.text, st.figures)
        self.deadline = F.date_key(st.date)
        self.actors = frozenset(a.name for a in st.actors)
        self.norm = " ".join(st.text.lower().split())


def similarity(emb: Embedder, a: Item, b: Item) -> float:
    """Wording similarity (0-1): ``MERGE_EMB_WEIGHT`` x rescaled e5 cosine (English texts, or the source
    texts when either is not English and they are closer) + the rest x weighted Dice of content stems
    (words every meeting report uses weigh ``MERGE_WEAK_WEIGHT``)."""
    cos = emb.cos(a.core, b.core)
    if a.st.lang != "en" or b.st.lang != "en":
        cos = max(cos, emb.cos(a.st.source_text, b.st.source_text))
    w = config.MERGE_EMB_WEIGHT
    return w * rescale(cos) + (1 - w) * weighted_dice(a.stems, b.stems)


def rescale(cos: float) -> float:
    return max(0.0, min(1.0, (cos - config.MERGE_EMB_FLOOR) / (1.0 - config.MERGE_EMB_FLOOR)))


def weighted_dice(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    weak = F.words()["weak_stems"]
    lw = config.MERGE_WEAK_WEIGHT

    def mass(s):
        return sum(lw if w in weak else 1.0 for w in s)

    return 2 * mass(a & b) / (mass(a) + mass(b))


# ----------------------------------------------------------------------------- one pair
@dataclass
class FigureEvidence:
    agree: list = field(default_factory=list)      # (metric a, metric b, "equal"|"compatible")
    clash: list = field(default_factory=list)      # (metric a, metric b): one metric, different values
    disjoint: bool = False                         # both give figures, none on a common metric
    ambiguous: bool = False                        # a clash that is not one figure against one figure
    distinctive: bool = False                      # an agreeing figure that names what it counts


def figure_evidence(ma: tuple, mb: tuple) -> FigureEvidence:
    """How two statements' figures line up: agreeing pairs (one to one, equal values first), then
    clashes — a remaining figure against the one remaining figure of the other side it measures the
    same thing as (when several could be meant, the one sharing the most subject words, if it shares
    strictly more than any other); a figure left with several equal candidates is ambiguous."""
    ev = FigureEvidence()
    if not ma or not mb:
        return ev
    same = [(i, j) for i, x in enumerate(ma) for j, y in enumerate(mb) if F.same_metric(x, y)]
    if not same:
        # no common metric by unit and words; one distinctive value given by both (the unit read
        # differently from a translation: "65.2 million electronic identification accounts" and "over 65
        # million people") is weak agreement, anything else is disjoint
        weak = [(x, y, r) for x in ma for y in mb
                if F.units_relation(x, y) != "other" or (not x.generic and not y.generic)
                if F.distinctive_value(x) and (r := F.values_relation(x, y)) != "different"]
        if weak:
            ev.agree.append(weak[0])
        else:
            ev.disjoint = True
        return ev
    overlap = {(i, j): len(F.subject_overlap(ma[i], mb[j])) for i, j in same}
    rel = {(i, j): F.values_relation(ma[i], mb[j]) for i, j in same}
    used_a: set[int] = set()
    used_b: set[int] = set()
    for i, j in sorted((p for p in same if rel[p] != "different"),
                       key=lambda p: (rel[p] != "equal", -overlap[p], p)):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            ev.agree.append((ma[i], mb[j], rel[(i, j)]))
    # figures left over: another value for one metric. Where one outlet gives no unit of its own (or
    # another one), it says less and contradicts nothing; two figures of one stated unit that cannot be
    # told apart or disputed make the statements ambiguous
    rest = [(i, j) for i, j in same if i not in used_a and j not in used_b and (
        F.disputable(ma[i], mb[j]) or (ma[i].unit and mb[j].unit and F.units_relation(ma[i], mb[j]) == "same"))]

    # "96 of 256 tasks" vs "96 of the 265 tasks": the figure right after an agreeing one, on both sides,
    # is the one meant when the words around do not decide
    after = {(i + 1, j + 1) for i, j in ((ma.index(x), mb.index(y)) for x, y, _ in ev.agree)}

    def dominant(p, rivals):
        # rivals giving the very same value are one claim ("cut 30% of the time and 30% of the costs"
        # against "cut 20%": 20 against 30 whichever is meant)
        return all((overlap[p], p in after) > (overlap[q], q in after) or _same_claim(p, q) for q in rivals if q != p)

    def _same_claim(p, q):
        return F.values_relation(ma[p[0]], ma[q[0]]) == "equal" and F.values_relation(mb[p[1]], mb[q[1]]) == "equal"

    for i, j in rest:
        if i in used_a or j in used_b:
            continue
        rivals_a = [q for q in rest if q[0] == i and q[1] not in used_b]
        rivals_b = [q for q in rest if q[1] == j and q[0] not in used_a]
        if not (F.disputable(ma[i], mb[j]) or ((i, j) in after and ma[i].unit and mb[j].unit)):
            continue  # measured alike, but not enough to claim the outlets disagree: left ambiguous
        if dominant((i, j), rivals_a) and dominant((i, j), rivals_b):
            used_a.add(i)
            used_b.add(j)
            ev.clash.append((ma[i], mb[j]))
    if any(i not in used_a and j not in used_b for i, j in rest):
        ev.ambiguous = True
    for x, y, _ in ev.agree:
        if (not x.generic and x.unit and y.unit) or len(F.subject_overlap(x, y)) >= config.MERGE_SUBJECT_DISTINCT:
            ev.distinctive = True
    return ev


@dataclass
class Verdict:
    score: float
    conflict: bool


def judge(emb: Embedder, a: Item, b: Item) -> Optional[Verdict]:
    """Are ``a`` and ``b`` (statements of two outlets) the same fact? None when not (or not sure)."""
    if not compatible(a, b):
        return None
    ev = figure_evidence(a.metrics, b.metrics)
    drel = F.dates_relation(a.st.date, b.st.date)
    # an agreeing deadline is evidence only when it tells facts apart: "by the end of 2025" that one
    # outlet gives to several of its statements is shared by half the meeting
    if drel == "same" and (a.common_date or b.common_date):
        drel = "common"
    if a.st.kind != b.st.kind:  # (compatible: a distinctive figure both give, nothing disputed)
        need = config.MERGE_KIND_SIM_DATED if drel in ("same", "common") else config.MERGE_KIND_SIM
        sim = similarity(emb, a, b)
        return Verdict(sim + config.MERGE_FIGURE_BONUS, False) if sim >= need else None
    if ev.clash or drel == "different":
        # a conflict: the same fact with another value or deadline needs a near-identical rest; a little
        # less when another part agrees exactly (the deadline, or another figure). A shared ministry is
        # no such anchor: one ministry has many tasks.
        anchored = bool(ev.agree) or drel == "same"
        need = config.MERGE_CONFLICT_SIM_ANCHORED if anchored else config.MERGE_CONFLICT_SIM
        conflict = True
    elif ev.agree:
        need = config.MERGE_FIG_SIM if ev.distinctive else config.MERGE_FIG_WEAK_SIM
        if value_anchor(ev) and drel in ("same", "common", "missing"):
            need = min(need, config.MERGE_VALUE_SIM)
        conflict = False
    elif a.metrics or b.metrics:  # one outlet gives a figure, the other none: maybe a vaguer sentence,
        # unless the deadlines agree
        need = config.MERGE_TEXT_SIM_DATED if drel == "same" else config.MERGE_ONE_SIDED_SIM
        conflict = False
    else:
        need = config.MERGE_TEXT_SIM_DATED if drel == "same" else config.MERGE_TEXT_SIM
        conflict = False
    if not F.strong(a.stems & b.stems) and a.st.lang == b.st.lang == "en":
        return None  # nothing but the words every report uses in common
    upper = config.MERGE_EMB_WEIGHT + (1 - config.MERGE_EMB_WEIGHT) * weighted_dice(a.stems, b.stems)
    if upper < need:  # cannot pass even with identical embeddings: skip the model
        return None
    sim = similarity(emb, a, b)
    if sim < need:
        return None
    bonus = (config.MERGE_FIGURE_BONUS if ev.agree and not conflict else 0.0) + \
        (config.MERGE_DATE_BONUS if drel in ("same", "common") else 0.0)
    return Verdict(sim + bonus, conflict)


def _places(actors: frozenset) -> frozenset:
    from pipeline.extract.actors import bodies_by_name

    bodies = bodies_by_name()
    return frozenset(n for n in actors if n in bodies and bodies[n].type in ("province", "city"))


def value_anchor(ev: FigureEvidence) -> bool:
    """Both outlets write one value that is unlikely to recur by chance in one meeting's reports
    (features.distinctive_value: "48.7 million", "52.6%", "42,000"), equal, on a common metric, with two
    significant digits or more (a round "10,000 billion VND" may fund two programmes of one meeting)."""
    return any(r == "equal" and F.distinctive_value(x) and F.distinctive_value(y)
               and F.significant_digits(x) >= 2 and F.significant_digits(y) >= 2 for x, y, r in ev.agree)


def compatible(a: Item, b: Item, kinds: bool = True) -> bool:
    """Could ever be one row: other documents, figures on a common metric when both give figures, a
    common actor when both commitments name one, not both another value and another deadline, and
    the same kind — or, when one outlet's sentence reads as a target and the other's as a result
    (translations often mislead the kind), a distinctive value both give, or one value of a metric that
    names what it counts for the same deadline, and nothing disputed. ``kinds=False``: the kinds are not
    compared (a group that already joined one outlet's progress with another's commitment)."""
    if a.st.doc_id == b.st.doc_id:
        return False
    if kinds and a.st.kind != b.st.kind:
        ev = figure_evidence(a.metrics, b.metrics)
        if ev.clash or ev.ambiguous or ev.disjoint or F.dates_relation(a.st.date, b.st.date) == "different":
            return False
        # a distinctive value, or a value on a metric that names what it counts for the same deadline
        return any(F.distinctive_value(x) and F.distinctive_value(y) for x, y, _ in ev.agree) or (
            ev.distinctive and F.dates_relation(a.st.date, b.st.date) == "same")
    # the body a commitment assigns is part of the task; a progress figure's body is often only who
    # reported it (and extraction may name the reporter in one outlet, the place in another)
    if a.st.kind == b.st.kind == "commitment" and a.actors and b.actors and not (a.actors & b.actors):
        return False
    # a target a province or city sets for itself is not one that names no body (the nation's:
    # "Hà Nội phấn đấu nâng tỷ lệ này lên 95%" beside "Thủ tướng yêu cầu nâng tỷ lệ này lên 85%")
    if a.st.kind == b.st.kind == "commitment" and (not a.actors or not b.actors) \
            and bool(_places(a.actors)) != bool(_places(b.actors)):
        return False
    ev = figure_evidence(a.metrics, b.metrics)
    if ev.disjoint or (ev.ambiguous and not ev.agree):
        return False
    if ev.clash and F.dates_relation(a.st.date, b.st.date) == "different":
        return False
    return True


# ----------------------------------------------------------------------------- copies
def copy_match(emb: Embedder, s: Item, o: Item) -> Optional[float]:
    """Score of a copy's (or translation's) statement ``s`` against its original's ``o``, or None."""
    ev = figure_evidence(s.metrics, o.metrics)
    if ev.disjoint:
        return None
    d = weighted_dice(s.stems, o.stems)
    if d >= config.MERGE_COPY_NEAR and not ev.clash:  # a re-post with a word changed: no model needed
        return 1.0 + d
    if config.MERGE_EMB_WEIGHT + (1 - config.MERGE_EMB_WEIGHT) * d < config.MERGE_COPY_SIM:
        return None
    sim = similarity(emb, s, o)
    return sim if sim >= config.MERGE_COPY_SIM else None


# ----------------------------------------------------------------------------- union-find
class _Sets:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        keep, drop = (ra, rb) if ra < rb else (rb, ra)
        self.parent[drop] = keep
        return keep


# ----------------------------------------------------------------------------- one meeting
def row_id(cluster_id: str, statement_ids: list[str]) -> str:
    h = hashlib.sha1("\x1f".join([cluster_id, *sorted(statement_ids)]).encode("utf-8")).hexdigest()
    return "mc-" + h[:12]


def merge_cluster(cluster: Cluster, docs: dict[str, DocInfo], statements: list[Statement],
                  emb: Embedder | None = None) -> list[MeetingCommitment]:
    """One meeting's statements from all its reports, as rows of one fact each."""
    emb = emb or Embedder()
    columns, col_of = outlet_columns(cluster, docs)
    items: list[Item] = []
    for st in sorted(statements, key=lambda s: (s.doc_id, s.source_start, s.source_end, s.id)):
        if st.doc_id not in col_of:
            continue
        col = col_of[st.doc_id]
        original = columns[col].doc_id
        items.append(Item(st, col, None if st.doc_id == original else original, meeting_date=cluster.date))
    groups = group_items(items, columns, emb)
    rows = [build_row(cluster, columns, [items[i] for i in g], row_id) for g in groups]
    rows.sort(key=lambda r: r[0])
    return [r[1] for r in rows]


def group_items(items: list[Item], columns: list[OutletColumn], emb: Embedder) -> list[list[int]]:
    """Indexes of ``items`` grouped by fact (each group sorted; groups in first-member order)."""
    sets = _Sets(len(items))
    per_outlet: dict[tuple, int] = {}
    for it in items:
        if it.deadline and it.copy_of is None:
            per_outlet[(it.col, it.deadline)] = per_outlet.get((it.col, it.deadline), 0) + 1
    for it in items:
        it.common_date = per_outlet.get((it.col, it.deadline), 0) >= config.MERGE_COMMON_DATE
    # 1. the same English text (and kind) is one unit at once
    first: dict[tuple, int] = {}
    for i, it in enumerate(items):
        key = (it.st.kind, it.norm)
        if key in first:
            sets.union(first[key], i)
        else:
            first[key] = i
    # 2. copies aligned with their original's statements
    _align_copies(items, columns, sets, emb)
    # 3. units of different outlets compared within blocks; 4. joined best pair first
    units = _units(items, sets)
    reps = [_rep(items, u) for u in units]
    pairs = _candidate_pairs(items, units, reps)
    verdicts = []
    cheap = [(a, b) for a, b in sorted(pairs) if compatible(items[reps[a]], items[reps[b]])]
    _prepare(emb, [items[reps[u]] for u in sorted({x for p in cheap for x in p})])
    passed = set()
    for a, b in cheap:
        v = judge(emb, items[reps[a]], items[reps[b]])
        if v is not None:
            passed.add((a, b))
            verdicts.append((-round(v.score, 9), items[reps[a]].st.id, items[reps[b]].st.id, a, b))
    for a, b, score in _mutual_conflicts(emb, items, reps, cheap, passed):
        verdicts.append((-round(score, 9), items[reps[a]].st.id, items[reps[b]].st.id, a, b))
    verdicts.sort()
    group_of = list(range(len(units)))
    members: dict[int, list[int]] = {u: [u] for u in range(len(units))}
    docs_of = {u: {items[i].st.doc_id for i in units[u]} for u in range(len(units))}
    for _, _, _, a, b in verdicts:
        ga, gb = group_of[a], group_of[b]
        if ga == gb or docs_of[ga] & docs_of[gb]:
            continue
        if not _joinable(emb, items, reps, members[ga], members[gb]):
            continue
        keep, drop = (ga, gb) if ga < gb else (gb, ga)
        for u in members[drop]:
            group_of[u] = keep
        members[keep].extend(members.pop(drop))
        docs_of[keep] |= docs_of.pop(drop)
    out = [sorted(i for u in m for i in units[u]) for m in members.values()]
    out.sort(key=lambda g: g[0])
    return out


def near_conflict(a: Item, b: Item) -> bool:
    """Two statements of one kind that would be a conflict if they were one fact: another value for a
    common metric (disputable figures), or another deadline with at least MERGE_MUTUAL_SHARED strong
    words in common."""
    if a.st.kind != b.st.kind:
        return False
    if figure_evidence(a.metrics, b.metrics).clash:
        return True  # a disputed figure already shares its unit and a strong word around it
    return len(F.strong(a.stems & b.stems)) >= config.MERGE_MUTUAL_SHARED and \
        F.dates_relation(a.st.date, b.st.date) == "different"


def _mutual_conflicts(emb: Embedder, items: list[Item], reps: list[int], cheap: list[tuple[int, int]],
                      passed: set) -> list[tuple[int, int, float]]:
    """Conflicts worded less alike than judge asks: two outlets' statements that disagree on a value
    or deadline (``near_conflict``) and are each other's closest statement of that outlet, by at least
    MERGE_MUTUAL_MARGIN over the next, at MERGE_CONFLICT_SIM_MUTUAL or more. An outlet reports a fact
    once: when its one statement on the topic is another's closest and the reverse, they are one fact
    told with another deadline ("before August 19" / "by the end of August"). Only blocked candidate
    pairs are compared (no all-pairs within a meeting)."""
    sims: dict[tuple[int, int], float] = {}
    best: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for a, b in cheap:
        x, y = items[reps[a]], items[reps[b]]
        if x.st.kind != y.st.kind:
            continue
        sim = similarity(emb, x, y)
        sims[(a, b)] = sim
        best.setdefault((a, y.col), []).append((sim, b))
        best.setdefault((b, x.col), []).append((sim, a))

    def closest(u: int, col: int, other: int) -> bool:
        ranked = sorted(best.get((u, col), []), reverse=True)
        if not ranked or ranked[0][1] != other:
            return False
        return len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= config.MERGE_MUTUAL_MARGIN

    out = []
    for (a, b), sim in sorted(sims.items()):
        if (a, b) in passed or sim < config.MERGE_CONFLICT_SIM_MUTUAL:
            continue
        x, y = items[reps[a]], items[reps[b]]
        if near_conflict(x, y) and closest(a, y.col, b) and closest(b, x.col, a):
            out.append((a, b, sim))
    return out


def _prepare(emb: Embedder, its: list[Item]) -> None:
    """Embed, in one batch, every text the comparisons of ``its`` may need."""
    emb.prepare([it.core for it in its] + [it.st.source_text for it in its if it.st.lang != "en"])


def _align_copies(items: list[Item], columns: list[OutletColumn], sets: _Sets, emb: Embedder) -> None:
    """Each copy document's statements joined one to one, best match first, with the statements of
    the article it copies (those not already joined by identical text). All copies' comparisons that
    need the model are embedded in one batch."""
    by_doc: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        by_doc.setdefault(it.st.doc_id, []).append(i)
    plans = []
    embed: dict[int, Item] = {}
    for doc_id in sorted(by_doc):
        idx = by_doc[doc_id]
        original = items[idx[0]].copy_of
        targets = by_doc.get(original, []) if original else []
        if not targets:
            continue
        target_sets = {sets.find(t) for t in targets}
        mine = {sets.find(i) for i in idx}
        todo = [i for i in idx if sets.find(i) not in target_sets]
        free = [t for t in targets if sets.find(t) not in mine]
        if not todo or not free:
            continue
        scored, model = [], []
        for i in todo:
            for t in free:
                ev = figure_evidence(items[i].metrics, items[t].metrics)
                if ev.disjoint:
                    continue
                d = weighted_dice(items[i].stems, items[t].stems)
                if d >= config.MERGE_COPY_NEAR and not ev.clash:  # a re-post with a word changed
                    scored.append((-round(1.0 + d, 9), items[i].st.id, items[t].st.id, i, t))
                elif config.MERGE_EMB_WEIGHT + (1 - config.MERGE_EMB_WEIGHT) * d >= config.MERGE_COPY_SIM:
                    model.append((i, t))
                    embed[i], embed[t] = items[i], items[t]
        plans.append((scored, model))
    if embed:
        _prepare(emb, [embed[k] for k in sorted(embed)])
    for scored, model in plans:
        for i, t in model:
            sim = similarity(emb, items[i], items[t])
            if sim >= config.MERGE_COPY_SIM:
                scored.append((-round(sim, 9), items[i].st.id, items[t].st.id, i, t))
        scored.sort()
        used: set[int] = set()
        taken: set[int] = set()
        for _, _, _, i, t in scored:
            if i in used or sets.find(t) in taken:
                continue
            used.add(i)
            taken.add(sets.union(i, t))


def _units(items: list[Item], sets: _Sets) -> list[list[int]]:
    out: dict[int, list[int]] = {}
    for i in range(len(items)):
        out.setdefault(sets.find(i), []).append(i)
    return sorted(out.values(), key=lambda u: u[0])


def _rep(items: list[Item], unit: list[int]) -> int:
    """The statement that speaks for a unit: an original's before a copy's, first column, reading order."""
    return min(unit, key=lambda i: (items[i].copy_of is not None, items[i].col, items[i].st.doc_id,
                                    items[i].st.source_start, items[i].st.id))


def _sig(v: float) -> str:
    return f"{v:.2g}"


def _keys(it: Item) -> set[tuple]:
    keys: set[tuple] = set()
    for m in it.metrics:
        keys.add(("v", m.head, _sig(m.value)))
        for s in F.strong(m.subject):
            keys.add(("m", m.unit, s))
        if not m.generic and m.unit:
            keys.add(("m", m.unit, ""))
    if it.deadline:
        keys.add(("d", it.deadline))
    for s in F.strong(it.stems):
        keys.add(("w", s))
    return keys


def _candidate_pairs(items: list[Item], units: list[list[int]], reps: list[int]) -> set[tuple[int, int]]:
    """Pairs of units (of different outlets) sharing a blocking key; large blocks by sorted neighbourhood."""
    postings: dict[tuple, list[int]] = {}
    for u, r in enumerate(reps):
        for k in _keys(items[r]):
            postings.setdefault(k, []).append(u)
    pairs: set[tuple[int, int]] = set()
    cap, window = config.MERGE_BLOCK_ALL, config.MERGE_BLOCK_WINDOW
    for k in sorted(postings):
        post = postings[k]
        if len(post) < 2:
            continue
        if len(post) <= cap:
            for x in range(len(post)):
                for y in range(x + 1, len(post)):
                    a, b = post[x], post[y]
                    if items[reps[a]].col != items[reps[b]].col:
                        pairs.add((a, b))
            continue
        post = sorted(post, key=lambda u: (items[reps[u]].norm, u))
        for x in range(len(post)):
            for y in range(x + 1, min(len(post), x + 1 + window)):
                a, b = sorted((post[x], post[y]))
                if items[reps[a]].col != items[reps[b]].col:
                    pairs.add((a, b))
    return pairs


def _joinable(emb: Embedder, items: list[Item], reps: list[int], ga: list[int], gb: list[int]) -> bool:
    """Complete link: each outlet's first unit in one group is compatible with, and not unlike, each
    outlet's first unit in the other (at most MERGE_GROUP_REPS outlets of each). A copy's sentence
    speaks only when its outlet has no other in the group (the row shows it under its original)."""
    def speakers(group):
        seen: dict[int, int] = {}
        for u in sorted(group, key=lambda u: (items[reps[u]].copy_of is not None, u)):
            seen.setdefault(items[reps[u]].col, u)
        return list(seen.values())[: config.MERGE_GROUP_REPS]

    for x in speakers(ga):
        for y in speakers(gb):
            a, b = items[reps[x]], items[reps[y]]
            if a.col == b.col:
                continue
            # (a group joined across kinds already took one outlet's progress for another's commitment:
            # with agreeing dates the kinds are not compared again, the figures are)
            same_time = F.dates_relation(a.st.date, b.st.date) in ("same", "vaguer")
            if not compatible(a, b, kinds=not same_time):
                return False
            if similarity(emb, a, b) < config.MERGE_GROUP_SIM and not (
                    a.st.kind == b.st.kind and value_anchor(figure_evidence(a.metrics, b.metrics))):
                return False
    return True
