"""Tracking by target and time (issue 17): links run from the later meeting's row to the earlier commitment,
with the right dates and relation; a shared '%' is not a target; one event split into two clusters a few
days apart is not a follow-up; links stay within one committee when the clusters name theirs. Statements
and expected links written by hand."""
from __future__ import annotations

import hashlib

from pipeline.meetings import DocInfo, Embedder, merge_cluster, track
from pipeline.meetings import tracking as T
from pipeline.records import Cluster, DateSpan, Figure, Statement

EMB = Embedder()


def st(doc, text, kind="commitment", figures=(), date=None, start=0):
    figs = []
    for t, v, u in figures:
        i = text.index(t)
        figs.append(Figure(value=v, unit=u, text=t, text_start=i, text_end=i + len(t)))
    sid = "s-" + hashlib.sha1(f"{doc}|{text}".encode()).hexdigest()[:10]
    return Statement(id=sid, doc_id=doc, kind=kind, text=text, source_text=text, lang="en", figures=figs,
                     date=DateSpan(text=date[0], start=date[1], end=date[2]) if date else None,
                     source_start=start, source_end=start + len(text))


def meeting(cid, date, doc, statements):
    cluster = Cluster(cluster_id=cid, doc_ids=[doc], canonical_doc_id=doc, date=date, label=cid)
    rows = merge_cluster(cluster, {doc: DocInfo(doc_id=doc, outlet=f"{doc}.vn")}, statements, EMB)
    return cluster, date, [T.for_tracking(r) for r in rows]


GROWTH = "The economy must reach GDP growth of 8.3% in 2025."
AIRPORTS = "In 2025, 100% of airports and border gates will apply biometric authentication."
ONLINE_80 = "By the end of 2025, 80% of administrative dossiers must be processed fully online."
ONLINE_61 = "In the first six months of 2025, 61.4% of administrative dossiers were processed fully online."
ONLINE_85 = "By the end of 2025, at least 85% of administrative dossiers must be processed fully online."
LAND = "The Ministry of Agriculture and Environment must complete the national land database by June 30, 2025."
LAND_Q4 = ("The Ministry of Agriculture and Environment must complete the national land database no later than "
           "the fourth quarter of 2025.")


def first_meeting(cid="m-1", date="2025-03-15"):
    return meeting(cid, date, "a", [
        st("a", GROWTH, figures=[("8.3%", 8.3, "%")], date=("in 2025", "2025-01-01", "2025-12-31")),
        st("a", ONLINE_80, figures=[("80%", 80, "%")], date=("By the end of 2025", "2025-12-31", "2025-12-31"),
           start=100),
        st("a", LAND, date=("by June 30, 2025", "2025-06-30", "2025-06-30"), start=200),
    ])


def test_links_run_from_the_later_row_to_the_earlier_commitment():
    earlier = first_meeting()
    later = meeting("m-2", "2025-07-24", "b", [
        st("b", AIRPORTS, figures=[("100%", 100, "%")], date=("In 2025", "2025-01-01", "2025-12-31")),
        st("b", ONLINE_61, kind="progress", figures=[("61.4%", 61.4, "%")],
           date=("In the first six months of 2025", "2025-01-01", "2025-06-30"), start=100),
        st("b", ONLINE_85, figures=[("at least 85%", 85, "%")], date=("By the end of 2025", "2025-12-31", "2025-12-31"),
           start=200),
        st("b", LAND_Q4, date=("no later than the fourth quarter of 2025", "2025-10-01", "2025-12-31"), start=300),
    ])
    links = track([later, earlier], EMB)  # any order: meetings are sorted by date
    got = {(lk.from_text, lk.to_text, lk.relation, lk.from_value, lk.to_value, lk.from_deadline, lk.to_deadline,
            lk.deadline_changed) for lk in links}
    assert got == {
        (ONLINE_61, ONLINE_80, "progress", 61.4, 80, "2025-06-30", "2025-12-31", False),
        (ONLINE_85, ONLINE_80, "revised", 85, 80, "2025-12-31", "2025-12-31", False),
        (LAND_Q4, LAND, "deadline_moved", None, None, "2025-12-31", "2025-06-30", True),
    }
    # the 100%-of-airports target follows up nothing: a shared '%' (and year) with the 8.3% growth
    # target is not a target
    assert all(lk.from_text != AIRPORTS for lk in links)
    for lk in links:
        assert (lk.from_cluster, lk.to_cluster, lk.from_meeting_date, lk.to_meeting_date) == (
            "m-2", "m-1", "2025-07-24", "2025-03-15")
        assert 0.6 <= lk.confidence <= 1.0


def test_one_event_split_into_two_clusters_is_no_follow_up():
    """Two clusters three days apart giving one commitment two deadlines: more likely one meeting's
    reports the clustering split (a conflict the clusters hide) than a deadline moved."""
    earlier = first_meeting()
    same_event = meeting("m-1b", "2025-03-18", "b", [
        st("b", LAND_Q4, date=("no later than the fourth quarter of 2025", "2025-10-01", "2025-12-31"))])
    assert track([earlier, same_event], EMB) == []


def test_links_stay_within_one_committee(monkeypatch):
    earlier = first_meeting()
    later = meeting("m-2", "2025-07-24", "b", [
        st("b", LAND_Q4, date=("no later than the fourth quarter of 2025", "2025-10-01", "2025-12-31"))])
    assert len(track([earlier, later], EMB)) == 1
    committees = {"m-1": "Government Steering Committee", "m-2": "Central Steering Committee"}
    monkeypatch.setattr(T, "_committee", lambda cluster: committees.get(cluster.cluster_id))
    assert track([earlier, later], EMB) == []
    committees["m-2"] = "Government Steering Committee"
    assert len(track([earlier, later], EMB)) == 1


# ----------------------------------------------------------------------------- realistic dev classes (w17)
def test_each_meetings_task_counts_are_no_metric_across_meetings():
    """'41 overdue tasks' then '23 tasks behind schedule': each meeting's plan has its own tasks, so the
    shared unit and the words around it ('behind schedule') say nothing about one target."""
    earlier = meeting("m-1", "2025-07-24", "a", [
        st("a", "The 41 tasks behind schedule must be completed before August 15, 2025.",
           figures=[("41 tasks", 41, "tasks")], date=("before August 15, 2025", None, "2025-08-15"))])
    later = meeting("m-2", "2026-06-16", "b", [
        st("b", "All 23 tasks behind schedule must be completed by July 31.",
           figures=[("23 tasks", 23, "tasks")], date=("by July 31", None, "2026-07-31"))])
    assert track([earlier, later], EMB) == []


def test_a_past_figure_read_as_a_commitment_is_no_target():
    """Every date of the earlier 'commitment' precedes its own meeting: it reports the past."""
    past = "Only 41.6 per cent of administrative dossiers were processed fully online in 2024."
    earlier = meeting("m-1", "2025-03-15", "a", [
        st("a", past, figures=[("41.6 per cent", 41.6, "%")], date=("in 2024", "2024-01-01", "2024-12-31"))])
    later = meeting("m-2", "2025-05-27", "b", [
        st("b", "The rate of administrative dossiers processed fully online reached 52.3 percent.", kind="progress",
           figures=[("52.3 percent", 52.3, "%")])])
    assert track([earlier, later], EMB) == []
    # the same sentence as a target for the year ahead is one
    earlier = meeting("m-1", "2025-03-15", "a", [
        st("a", "At least 60 per cent of administrative dossiers must be processed fully online in 2025.",
           figures=[("60 per cent", 60, "%")], date=("in 2025", "2025-01-01", "2025-12-31"))])
    (link,) = track([earlier, later], EMB)
    assert (link.relation, link.from_value, link.to_value) == ("progress", 52.3, 60)


def test_a_task_link_needs_words_that_say_which_task():
    """In a committee whose every task touches 'the population database', sharing those words is no
    follow-up; sharing the rarer words of one task is."""
    db = "connect the national population database"
    earlier = meeting("m-1", "2025-06-10", "a", [
        st("a", f"The Ministry of Public Security must {db} with the provincial administrative procedure systems.",
           date=("by July 31", None, "2025-07-31")),
        st("a", f"The Ministry of Finance must {db} with the tax and social insurance data.",
           date=("by September 30", None, "2025-09-30"), start=100),
        st("a", f"The State Bank must {db} with the credit institutions' customer records.",
           date=("by October 31", None, "2025-10-31"), start=200),
        st("a", f"The Ministry of Health must {db} with the hospitals' patient records.",
           date=("by November 30", None, "2025-11-30"), start=300),
    ])
    later = meeting("m-2", "2025-09-24", "b", [
        st("b", f"The Ministry of Home Affairs must {db} with the national database on officials by December 31.",
           date=("by December 31", None, "2025-12-31")),
        st("b", "The State Bank must finish cleaning the credit institutions' customer records against the "
                "population database by the end of the year.", date=("by the end of the year", None, "2025-12-31"),
           start=100),
    ])
    links = track([earlier, later], EMB)
    assert [(lk.from_text[:14], lk.to_text[:14]) for lk in links] == [("The State Bank", "The State Bank")]
