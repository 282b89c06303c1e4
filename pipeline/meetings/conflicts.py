"""One row from the statements of one fact: what the outlets agree on, where they disagree, who says less.

Per outlet, its *primary* statement speaks (the original article's; a copy's only when the original
did not carry the fact). Then, per figure metric and for the deadline:

* values fall into classes of agreeing values — equal, or compatible (a rounder or qualified number,
  a vaguer period containing the other's deadline); each class is seeded by its most precise value;
* one class: agreement. The row keeps the most detailed value; outlets giving less (no unit, a rounder
  number, a vaguer period, no deadline at all) are listed in ``details``;
* two classes or more: a **conflict**, with each outlet's value, as shown and as written, and the
  documents giving it. One dissenting outlet against two agreeing ones is a conflict too.

Figures are matched to metrics across outlets value first (a figure joins the metric where an agreeing
value already is); a figure with another value joins a metric only when exactly one is open to it, so
a statement listing several counts of one unit never produces a guessed conflict.
"""
from __future__ import annotations

from typing import Callable, Optional

from pipeline.meetings import features as F
from pipeline.meetings.outlets import OutletColumn
from pipeline.records import (Actor, Cluster, Conflict, ConflictValue, DateSpan, Detail, Figure,
                              MeetingCommitment, MeetingSource)


def build_row(cluster: Cluster, columns: list[OutletColumn], group: list, row_id: Callable[[str, list[str]], str]
              ) -> tuple[tuple, MeetingCommitment]:
    """(sort key, row) for one fact's statements (``rows.Item``s)."""
    group = sorted(group, key=lambda it: (it.col, it.copy_of is not None, it.st.doc_id, it.st.source_start, it.st.id))
    primary: dict[int, object] = {}
    for it in group:
        primary.setdefault(it.col, it)
    labels = {c: columns[c].label for c in primary}
    backing = {c: [it for it in group if it.col == c] for c in primary}
    rep = group[0]

    conflicts: list[Conflict] = []
    details: list[Detail] = []
    lone: set[int] = set()
    figures = settle_figures(primary, labels, backing, conflicts, details, lone)
    date = settle_date(primary, labels, backing, conflicts, details, rep.st.kind, lone)

    actors: list[Actor] = []
    seen: set[str] = set()
    for c in sorted(primary):
        for a in primary[c].st.actors:
            if a.name not in seen:
                seen.add(a.name)
                actors.append(a)

    sources = [MeetingSource(doc_id=it.st.doc_id, outlet=columns[it.col].label, lang=it.st.lang,
                             statement_id=it.st.id, copy_of=it.copy_of, source_text=it.st.source_text,
                             text=it.st.text, figures=it.st.figures, date=it.st.date, actors=it.st.actors)
               for it in group]
    outlets = [columns[c].label for c in sorted(primary)]
    omitted = [col.label for c, col in enumerate(columns) if c not in primary]
    row = MeetingCommitment(
        id=row_id(cluster.cluster_id, [it.st.id for it in group]), cluster_id=cluster.cluster_id,
        meeting_date=cluster.date, kind=row_kind(primary, rep.st.kind), text=rep.st.text, action=rep.st.action,
        figures=figures, date=date, actors=actors, outlets=outlets, omitted_by=omitted,
        conflicts=conflicts, details=details, sources=sources)
    return (rep.col, rep.st.source_start, rep.st.id), row


def row_kind(primary: dict, first: str) -> str:
    """The kind most outlets give the fact; on a tie a commitment (one outlet reporting a restated
    target as progress must not hide the commitment from tracking), else the first outlet's."""
    votes: dict[str, int] = {}
    for it in primary.values():
        votes[it.st.kind] = votes.get(it.st.kind, 0) + 1
    top = max(votes.values())
    best = [k for k, v in votes.items() if v == top]
    return first if len(best) == 1 and best[0] == first else ("commitment" if "commitment" in best else best[0])


def _value(col: int, backing: dict, label: str, value: str, text: Optional[str]) -> ConflictValue:
    its = backing[col]
    return ConflictValue(outlet=label, value=value, text=text, doc_ids=list(dict.fromkeys(it.st.doc_id for it in its)),
                         statement_ids=[it.st.id for it in its])


# ----------------------------------------------------------------------------- figures
def settle_figures(primary: dict, labels: dict, backing: dict, conflicts: list[Conflict],
                   details: list[Detail], lone: Optional[set] = None) -> list[Figure]:
    """The row's agreed figures (most detailed form); conflicts and details appended. ``lone`` receives
    the outlets (columns) giving a figure no other outlet gives while another outlet gives figures: their
    sentence says more than this fact, and its date may be the other figure's."""
    cols = sorted(primary)
    clusters: list[list[tuple[int, F.Metric]]] = []
    late: list[tuple[int, F.Metric]] = []
    # pass 1: every figure joins a metric where an agreeing value already is, else opens one
    for c in cols:
        for m in primary[c].metrics:
            home = next((cl for cl in clusters if c not in {x for x, _ in cl} and
                         any(F.same_metric(m, o) and F.values_relation(m, o) != "different" for _, o in cl)), None)
            if home is None:  # the same value, one outlet giving less of its unit: the same figure of this fact
                home = next((cl for cl in clusters if c not in {x for x, _ in cl} and
                             any(bool(m.unit) != bool(o.unit) and F.values_relation(m, o) == "equal"
                                 for _, o in cl)), None)
            if home is not None:
                home.append((c, m))
            elif any(F.same_metric(m, o) and c not in {x for x, _ in cl} for cl in clusters for _, o in cl):
                late.append((c, m))
            else:
                clusters.append([(c, m)])
    # pass 2: a figure with another value joins the metric it measures when only one is open to it (or
    # one shares strictly more words around the figure than any other); else it stands alone
    for c, m in late:
        open_ = [cl for cl in clusters if c not in {x for x, _ in cl} and any(o.unit for _, o in cl)
                 and all(F.same_metric(m, o) for _, o in cl if o.unit)  # a figure without unit says less
                 and (all(F.disputable(m, o) for _, o in cl if o.unit) or _follows(primary, c, m, cl, clusters))]
        score = {id(cl): min(len(F.subject_overlap(m, o)) for _, o in cl) for cl in open_}
        best = [cl for cl in open_ if all(score[id(cl)] > score[id(k)] for k in open_ if k is not cl)]
        top = [cl for cl in open_ if score[id(cl)] == max(score.values())] if open_ else []
        if len(best) == 1:
            best[0].append((c, m))
        elif len(top) > 1 and all(F.values_relation(top[0][0][1], cl[0][1]) == "equal" for cl in top):
            # rivals of one value are one claim ("30% of the time and 30% of the costs" against "20%")
            top[0].append((c, m))
        else:
            clusters.append([(c, m)])

    _unbridge(clusters)
    agreed: list[Figure] = []
    for cl in sorted(clusters, key=lambda cl: (cl[0][0], primary[cl[0][0]].metrics.index(cl[0][1]))):
        classes = _value_classes(cl)
        if len(classes) > 1:
            unit = next((m.figure.unit for _, m in cl if m.figure.unit), None)
            values = [_value(c, backing, labels[c], F.figure_label(m.figure), m.figure.text)
                      for cls in classes for c, m in sorted(cls, key=lambda e: e[0])]
            conflicts.append(Conflict(field="figure", unit=unit, values=values))
            continue
        (cls,) = classes
        best = cls[0][1]
        agreed.append(best.figure)
        for c, m in sorted(cls[1:], key=lambda e: e[0]):
            if not m.unit and best.unit:
                details.append(Detail(field="unit", outlet=labels[c],
                                      note=f"gives {m.figure.text!s} without a unit ({F.figure_label(best.figure)} elsewhere)"))
            elif F.values_relation(m, best) == "compatible":
                details.append(Detail(field="figure", outlet=labels[c],
                                      note=f"gives {m.figure.text} for {F.figure_label(best.figure)}"))
    with_figures = {c for cl in clusters for c, _ in cl}
    if lone is not None and len(with_figures) > 1:
        lone.update(cl[0][0] for cl in clusters if len({c for c, _ in cl}) == 1)
    if with_figures:
        for c in cols:
            if c not in with_figures:
                details.append(Detail(field="figure", outlet=labels[c], note="gives no figure"))
    return agreed


def _unbridge(clusters: list[list[tuple[int, F.Metric]]]) -> None:
    """A value that disagrees within a metric but that an outlet of the agreeing side states too, as
    another figure of its sentence ("76.8%, lower than the 80% target" against "fell short of its 80%
    target"), is that other figure: it moves to the metric holding it, and nobody disagrees."""
    for cl in list(clusters):
        classes = _value_classes(cl)
        if len(classes) < 2:
            continue
        for k in classes:
            cols_k = {c for c, _ in k}
            rest = {c for c, _ in cl} - cols_k
            home = next((cl2 for cl2 in clusters if cl2 is not cl and not cols_k & {c for c, _ in cl2}
                         and rest & {c for c, _ in cl2}
                         and any(F.values_relation(m, o) == "equal" for _, m in k for _, o in cl2)), None)
            if home is not None:
                home.extend(k)
                cl[:] = [e for e in cl if e not in k]


def _follows(primary: dict, c: int, m: F.Metric, cl: list, clusters: list) -> bool:
    """``m`` comes right after a figure of its statement whose metric holds the figure right before one
    of ``cl``'s, in its statement ("96 of 256 tasks" and "96 of the 265 tasks"), and both give a unit."""
    ms = primary[c].metrics
    i = next((k for k, x in enumerate(ms) if x is m), 0)
    if i == 0 or not m.unit:
        return False
    before = next((k for k in clusters if any(o is ms[i - 1] for _, o in k)), None)
    if before is None:
        return False
    for x, o in cl:
        xs = primary[x].metrics
        j = next((k for k, y in enumerate(xs) if y is o), 0)
        if j > 0 and o.unit and any(z is xs[j - 1] for _, z in before):
            return True
    return False


def _classes(order: list[tuple], agrees: Callable) -> list[list[tuple]]:
    """(outlet, value) pairs grouped in the given order: each joins the first class whose head (its most
    precise value) it agrees with, else starts one; classes in order of their first outlet."""
    classes: list[list[tuple]] = []
    for c, v in order:
        home = next((k for k in classes if agrees(k[0][1], v)), None)
        if home is None:
            classes.append([(c, v)])
        else:
            home.append((c, v))
    classes.sort(key=lambda k: min(c for c, _ in k))
    return classes


def _value_classes(cl: list[tuple[int, F.Metric]]) -> list[list[tuple[int, F.Metric]]]:
    """Agreeing values together, the most precise (with a unit) first in each class; classes in order
    of their first outlet."""
    order = sorted(cl, key=lambda e: (not e[1].unit, e[1].step if e[1].step else 0.0, e[1].qualifier is not None, e[0]))
    return _classes(order, lambda head, m: F.values_relation(head, m) != "different")


# ----------------------------------------------------------------------------- dates
def _span_days(d: DateSpan) -> int:
    if not d.start or not d.end:
        return 0
    return (int(d.end[:4]) - int(d.start[:4])) * 372 + (int(d.end[5:7]) - int(d.start[5:7])) * 31 + \
        int(d.end[8:10]) - int(d.start[8:10])


def settle_date(primary: dict, labels: dict, backing: dict, conflicts: list[Conflict], details: list[Detail],
                kind: str, lone: frozenset | set = frozenset()) -> Optional[DateSpan]:
    """The agreed deadline (as-of date for progress), the most specific form; a conflict when the
    outlets give deadlines that are neither equal nor one within a vaguer other. The date of an outlet
    whose sentence also gives a figure no other outlet gives (``lone``: "85% this year, after 76.8% in
    2025") may be that figure's: it settles nothing and disputes nothing, it is noted."""
    cols = sorted(primary)
    dated = [(c, primary[c].when) for c in cols if F.date_key(primary[c].when)]
    if not dated:
        return None
    if lone and any(c not in lone for c, _ in dated) and len(_date_classes([e for e in dated if e[0] not in lone])) == 1 \
            and len(_date_classes(dated)) > 1:
        for c, d in dated:
            if c in lone:
                details.append(Detail(field="date", outlet=labels[c],
                                      note=f"gives “{d.text}” in a sentence with another figure"))
        cols = [c for c in cols if c not in lone or not F.date_key(primary[c].when)]
        dated = [e for e in dated if e[0] not in lone]
    classes = _date_classes(dated)
    if len(classes) > 1:
        conflicts.append(Conflict(field="date", values=[
            _value(c, backing, labels[c], F.date_key(d), d.text) for k in classes for c, d in sorted(k, key=lambda e: e[0])]))
        return None
    best = classes[0][0][1]
    for c, d in sorted(classes[0][1:], key=lambda e: e[0]):
        if F.dates_relation(best, d) == "vaguer":
            details.append(Detail(field="date", outlet=labels[c], note=f"gives “{d.text}” for {F.date_key(best)}"))
    what = "deadline" if kind == "commitment" else "date"
    for c in cols:
        if not F.date_key(primary[c].when):
            details.append(Detail(field="date", outlet=labels[c], note=f"gives no {what}"))
    return best


def _date_classes(dated: list) -> list[list]:
    """Dates in classes of agreeing ones (equal, or one within a vaguer other), the most specific first
    in each: a day before a month, a stated date before an approximate one or one whose year was guessed."""
    order = sorted(dated, key=lambda e: (_span_days(e[1]), bool(F.words()["vague_date"].search(e[1].text)),
                                         not F.YEAR.search(e[1].text), e[0]))
    return _classes(order, lambda head, d: F.dates_relation(head, d) in ("same", "vaguer"))
