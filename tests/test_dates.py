"""English date mentions: every expected value below is worked out by hand from the sentence and
the publication date (calendar facts: June has 30 days, Q4 = October-December, ...)."""
import pytest

from pipeline.extract.dates import DateMention, find_dates, to_datespan
from pipeline.records import DateSpan, Statement

PUB = "2025-09-24"   # publication date of the fourth-meeting reports


def _m(text, pub=PUB):
    return [(m.text, m.start_date, m.end_date, m.role) for m in find_dates(text, pub)]


CASES = [
    # --- deadlines with a year
    ("The goal is that by the end of 2025, 100% of procedures are online.", PUB,
     [("by the end of 2025", None, "2025-12-31", "deadline")]),
    ("80% of procedures settled online by 2025.", PUB, [("by 2025", None, "2025-12-31", "deadline")]),
    ("by June 2025, all records will have identification", PUB, [("by June 2025", None, "2025-06-30", "deadline")]),
    ("to be completed before June 30, 2025.", PUB, [("to be completed before June 30, 2025", None, "2025-06-30", "deadline")]),
    ("complete databases no later than the fourth quarter of 2025, adhering to", PUB,
     [("no later than the fourth quarter of 2025", None, "2025-12-31", "deadline")]),
    ("finish by Q2 2026", PUB, [("by Q2 2026", None, "2026-06-30", "deadline")]),
    ("by mid-2026 the system must run", PUB, [("by mid-2026", None, "2026-06-30", "deadline")]),
    ("submit by 30/6/2025", PUB, [("by 30/6/2025", None, "2025-06-30", "deadline")]),
    ("the target by 2030, with a vision to 2045", PUB,
     [("by 2030", None, "2030-12-31", "deadline"), ("to 2045", None, "2045-12-31", "deadline")]),
    ("until 2030", PUB, [("until 2030", None, "2030-12-31", "deadline")]),
    ("by the end of the first half of 2026", PUB, [("by the end of the first half of 2026", None, "2026-06-30", "deadline")]),
    ("not later than December 31, 2025", PUB, [("not later than December 31, 2025", None, "2025-12-31", "deadline")]),
    ("by Sept. 30, 2025", PUB, [("by Sept. 30, 2025", None, "2025-09-30", "deadline")]),
    # --- deadlines without a year: the publication year, or the next one if already past
    ("completing them no later than the fourth quarter with the spirit", PUB,
     [("no later than the fourth quarter", None, "2025-12-31", "deadline")]),
    ("evaluate the performance, to be completed in September.", PUB,
     [("to be completed in September", None, "2025-09-30", "deadline")]),
    ("before December 15", PUB, [("before December 15", None, "2025-12-15", "deadline")]),
    ("must be done by March", "2025-11-20", [("by March", None, "2026-03-31", "deadline")]),
    ("by the first quarter", PUB, [("by the first quarter", None, "2026-03-31", "deadline")]),
    # a deadline-like date just before publication is a status date: no roll-over
    ("by mid-September credit rose 11.08%", PUB, [("by mid-September", None, "2025-09-15", "deadline")]),  # mid-month as a day: the 15th
    ("by the end of the third quarter", PUB, [("by the end of the third quarter", None, "2025-09-30", "deadline")]),
    ("by the end of this year", PUB, [("by the end of this year", None, "2025-12-31", "deadline")]),
    ("by the end of the year", PUB, [("by the end of the year", None, "2025-12-31", "deadline")]),
    ("by the end of next year", PUB, [("by the end of next year", None, "2026-12-31", "deadline")]),
    ("by year-end", PUB, [("by year-end", None, "2025-12-31", "deadline")]),
    ("within this year", PUB, [("within this year", None, "2025-12-31", "deadline")]),
    ("from now until the end of the year", PUB,
     [("from now until the end of the year", "2025-09-24", "2025-12-31", "deadline")]),
    ("from now to 2030", PUB, [("from now to 2030", "2025-09-24", "2030-12-31", "deadline")]),
    # --- periods
    ("Putting the National Data Center into operation in 2025, ministries", PUB,
     [("in 2025", "2025-01-01", "2025-12-31", "period")]),
    ("In 2025, 100% of airports, ports, and border gates will apply", PUB,
     [("In 2025", "2025-01-01", "2025-12-31", "period")]),
    ("expected to be submitted to the National Assembly in May 2025.", PUB,
     [("in May 2025", "2025-05-01", "2025-05-31", "period")]),
    ("in the third quarter", PUB, [("in the third quarter", "2025-07-01", "2025-09-30", "period")]),
    ("the fourth quarter of 2025", PUB, [("the fourth quarter of 2025", "2025-10-01", "2025-12-31", None)]),
    ("Q4 2025", PUB, [("Q4 2025", "2025-10-01", "2025-12-31", None)]),
    ("quarter IV/2025", PUB, [("quarter IV/2025", "2025-10-01", "2025-12-31", None)]),
    ("the third quarter of this year", PUB, [("the third quarter of this year", "2025-07-01", "2025-09-30", None)]),
    ("the first half of 2026", PUB, [("the first half of 2026", "2026-01-01", "2026-06-30", None)]),
    ("in the second half of the year", PUB, [("in the second half of the year", "2025-07-01", "2025-12-31", "period")]),
    ("H1 2026", PUB, [("H1 2026", "2026-01-01", "2026-06-30", None)]),
    ("In the first 8 months of the year, revenue reached", PUB,
     [("In the first 8 months of the year", "2025-01-01", "2025-08-31", "period")]),
    ("the first six months of 2024", PUB, [("the first six months of 2024", "2024-01-01", "2024-06-30", None)]),
    ("the overall program for the period 2021-2030.", PUB,
     [("for the period 2021-2030", "2021-01-01", "2030-12-31", "period")]),
    ("the 2021–2025 period", PUB, [("the 2021–2025 period", "2021-01-01", "2025-12-31", "period")]),
    ("2021–2025", PUB, [("2021–2025", "2021-01-01", "2025-12-31", "period")]),
    ("from 2021 to 2025", PUB, [("from 2021 to 2025", "2021-01-01", "2025-12-31", "period")]),
    ("between 2021 and 2025", PUB, [("between 2021 and 2025", "2021-01-01", "2025-12-31", "period")]),
    ("this year", PUB, [("this year", "2025-01-01", "2025-12-31", None)]),
    ("next year", PUB, [("next year", "2026-01-01", "2026-12-31", None)]),
    ("last year", PUB, [("last year", "2024-01-01", "2024-12-31", None)]),
    ("next month", PUB, [("next month", "2025-10-01", "2025-10-31", None)]),
    ("next month", "2025-12-05", [("next month", "2026-01-01", "2026-01-31", None)]),
    ("June this year", PUB, [("June this year", "2025-06-01", "2025-06-30", None)]),
    ("early September", PUB, [("early September", "2025-09-01", "2025-09-10", None)]),
    ("late 2025", PUB, [("late 2025", "2025-09-01", "2025-12-31", None)]),
    ("in early 2026", PUB, [("in early 2026", "2026-01-01", "2026-04-30", "period")]),
    ("in March", "2025-11-20", [("in March", "2025-03-01", "2025-03-31", "period")]),
    ("in 9/2025", PUB, [("in 9/2025", "2025-09-01", "2025-09-30", "period")]),
    ("September 22-24, 2025", PUB, [("September 22-24, 2025", "2025-09-22", "2025-09-24", None)]),
    ("in February 2024", PUB, [("in February 2024", "2024-02-01", "2024-02-29", "period")]),
    ("the last 3 months of the year", PUB, [("the last 3 months of the year", "2025-10-01", "2025-12-31", None)]),
    ("by mid-year", PUB, [("by mid-year", None, "2025-06-30", "deadline")]),
    ("towards 2030", PUB, [("towards 2030", None, "2030-12-31", "deadline")]),
    ("in the 2026-2030 term", PUB, [("in the 2026-2030", "2026-01-01", "2030-12-31", "period")]),
    ("by the end of this quarter", PUB, [("by the end of this quarter", None, "2025-09-30", "deadline")]),
    ("next quarter", "2025-11-02", [("next quarter", "2026-01-01", "2026-03-31", None)]),
    ("in the remaining months of the year", PUB, [("in the remaining months of the year", "2025-09-24", "2025-12-31", "period")]),
    ("the rest of 2025", PUB, [("the rest of 2025", "2025-09-24", "2025-12-31", None)]),
    # --- ranges
    ("Between July 1st, 2025 and September 10th, 2025, a total of", PUB,
     [("Between July 1st, 2025 and September 10th, 2025", "2025-07-01", "2025-09-10", "period")]),
    ("in the period from July 20, 2025 (after the 3rd meeting of the Government Steering Committee) "
     "to September 23, 2025, ministries", PUB,
     [("from July 20, 2025 (after the 3rd meeting of the Government Steering Committee) to September 23, 2025",
       "2025-07-20", "2025-09-23", "period")]),
    ("from July 20 to September 23, 2025", PUB,
     [("from July 20 to September 23, 2025", "2025-07-20", "2025-09-23", "period")]),
    ("from December 2024 to March 2025", PUB,
     [("from December 2024 to March 2025", "2024-12-01", "2025-03-31", "period")]),
    ("from 1/7/2025 to 10/9/2025", PUB, [("from 1/7/2025 to 10/9/2025", "2025-07-01", "2025-09-10", "period")]),
    ("from November 15 to January 15, 2026", PUB,
     [("from November 15 to January 15, 2026", "2025-11-15", "2026-01-15", "period")]),
    # --- start / effective dates
    ("complete the apparatus from July 1, 2025 as announced", PUB, [("from July 1, 2025", "2025-07-01", "2025-07-01", "from")]),
    ("effective from 1/7/2025", PUB, [("effective from 1/7/2025", "2025-07-01", "2025-07-01", "from")]),
    ("since the beginning of the year", PUB, [("since the beginning of the year", "2025-01-01", "2025-01-01", "from")]),
    ("starting January 1, 2026", PUB, [("starting January 1, 2026", "2026-01-01", "2026-01-01", "from")]),
    # --- as-of dates
    ("As of September 23, 2025, 270 tasks had been completed", PUB,
     [("As of September 23, 2025", "2025-09-23", "2025-09-23", "as_of")]),
    ("as of September 23", PUB, [("as of September 23", "2025-09-23", "2025-09-23", "as_of")]),
    ("as at 30 June 2025", PUB, [("as at 30 June 2025", "2025-06-30", "2025-06-30", "as_of")]),
    ("as of the end of August", PUB, [("as of the end of August", "2025-08-31", "2025-08-31", "as_of")]),
    ("up to September 23", PUB, [("up to September 23", "2025-09-23", "2025-09-23", "as_of")]),
    # --- single days
    ("On the afternoon of September 24, Prime Minister Pham Minh Chinh chaired", PUB,
     [("On the afternoon of September 24", "2025-09-24", "2025-09-24", "point")]),
    ("on September 24", PUB, [("on September 24", "2025-09-24", "2025-09-24", "point")]),
    ("September 24, 2025", None, [("September 24, 2025", "2025-09-24", "2025-09-24", None)]),
    ("24 September 2025", None, [("24 September 2025", "2025-09-24", "2025-09-24", None)]),
    ("Wednesday, September 24, 2025", None, [("Wednesday, September 24, 2025", "2025-09-24", "2025-09-24", None)]),
    ("24/9/2025", None, [("24/9/2025", "2025-09-24", "2025-09-24", None)]),
    ("30/06/2025", None, [("30/06/2025", "2025-06-30", "2025-06-30", None)]),
    ("2025-09-24", None, [("2025-09-24", "2025-09-24", "2025-09-24", None)]),
    ("on 24/9", PUB, [("on 24/9", "2025-09-24", "2025-09-24", "point")]),
    ("Resolution No. 03/NQ-CP dated January 9, 2025 of the Government", PUB,
     [("dated January 9, 2025", "2025-01-09", "2025-01-09", "point")]),
    ("at the end of 2025", PUB, [("at the end of 2025", "2025-12-31", "2025-12-31", "point")]),
    ("the end of September", PUB, [("the end of September", "2025-09-30", "2025-09-30", None)]),
    # --- no publication date: text kept, relative dates unresolved
    ("On September 24, the PM chaired", None, [("On September 24", None, None, "point")]),
    ("by the end of the year", None, [("by the end of the year", None, None, "deadline")]),
    ("no later than the fourth quarter", None, [("no later than the fourth quarter", None, None, "deadline")]),
    ("by the end of 2025", None, [("by the end of 2025", None, "2025-12-31", "deadline")]),
    # --- not dates
    ("discussed solutions for implementation in the coming time.", PUB, []),
    ("The Government should soon issue guidelines.", PUB, []),
    ("to date, ministries have reduced procedures", PUB, []),
    ("ministries may propose amendments", PUB, []),
    ("The 2025 plan was approved.", PUB, []),
    ("disburse 100% of the 2025 public investment plan", PUB, []),
    ("the 4th meeting of the 15th National Assembly", PUB, []),
    ("Resolution 03/2025 and Decree No. 12/2025/ND-CP and Resolution No. 193/2025/QH15", PUB, []),
    ("in 1/3 of the provinces", PUB, []),
    ("the first half of the meeting", PUB, []),
    ("the March of progress", PUB, []),
    ("over the last 6 months", PUB, []),
    ("within 30 days", PUB, []),
    ("in the coming months", PUB, []),
    ("the rest of the delegation", PUB, []),
]


@pytest.mark.parametrize("text,pub,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_date_cases(text, pub, expected):
    assert _m(text, pub) == expected


def test_offsets_point_into_the_text():
    text = "As of September 23, 2025, 45 tasks had been completed; the rest by the end of the year."
    ms = find_dates(text, PUB)
    assert [(m.start, m.end) for m in ms] == [(0, 24), (64, 86)]
    for m in ms:
        assert text[m.start:m.end] == m.text


def test_two_mentions_in_one_sentence_keep_their_own_dates():
    text = ("by the end of 2025, 100% of eligible administrative procedures will be provided online; "
            "by June 2025, 100% of administrative procedure records will have personal identification")
    assert [(m.end_date, m.role) for m in find_dates(text, None)] == [
        ("2025-12-31", "deadline"), ("2025-06-30", "deadline")]


def test_invalid_day_keeps_text_without_dates():
    assert _m("on February 30, 2025") == [("on February 30, 2025", None, None, "point")]


def test_bad_publication_date_is_treated_as_unknown():
    assert _m("on September 24", "not a date") == [("on September 24", None, None, "point")]


def test_to_datespan():
    m = DateMention(text="by 2025", start=3, end=10, start_date=None, end_date="2025-12-31", role="deadline")
    assert to_datespan(m, "commitment") == DateSpan(text="by 2025", role="deadline", start=None, end="2025-12-31")


def test_date_role_names_what_the_date_means():
    """A commitment's date is a deadline (or a start with "from"); a progress figure's date is the day
    it stands at, or the period it counts over."""
    def span(text, role, a, b, kind):
        return to_datespan(DateMention(text=text, start=0, end=len(text), start_date=a, end_date=b, role=role), kind)

    assert span("from July 1, 2025", "from", "2025-07-01", "2025-07-01", "commitment").role == "start"
    assert span("in 2025", "period", "2025-01-01", "2025-12-31", "commitment").role == "deadline"
    assert span("as of September 23", "as_of", "2025-09-23", "2025-09-23", "progress").role == "as_of"
    assert span("in the first 8 months", "period", "2025-01-01", "2025-08-31", "progress").role == "period"
    assert span("by June 30", "deadline", None, "2025-06-30", "progress").role == "as_of"
    # the statement's top-level deadline / as_of follow the role: never both, never from another role
    st = dict(id="s", doc_id="d", text="t", source_text="t", lang="en", source_start=0, source_end=1)
    c = Statement(kind="commitment", date=span("by 2025", "deadline", None, "2025-12-31", "commitment"), **st)
    assert (c.deadline, c.as_of) == ("2025-12-31", None)
    p = Statement(kind="progress", date=span("in the first 8 months", "period", "2025-01-01", "2025-08-31", "progress"), **st)
    assert (p.deadline, p.as_of) == (None, "2025-08-31")
    s = Statement(kind="commitment", date=span("from July 1, 2025", "from", "2025-07-01", "2025-07-01", "commitment"), **st)
    assert (s.deadline, s.as_of) == (None, None)
    # a date given without a role takes the kind's
    assert Statement(kind="commitment", date=DateSpan(text="by 2025", end="2025-12-31"), **st).date.role == "deadline"


def test_mentions_are_ordered_and_disjoint():
    text = ("On September 24, the PM said that from July 1, 2025 the model runs; by Q4 2025 databases, "
            "in 2026 the rest, and between 2021 and 2030 the program.")
    ms = find_dates(text, PUB)
    assert len(ms) == 5
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))


# --- defects found by an outside test suite (Recognizers-Text), each checked by hand
def test_two_digit_second_year_far_away_is_not_a_range():
    assert _m("code 2015-32 applies") == []
    assert _m("in 2021-25") == [("in 2021-25", "2021-01-01", "2025-12-31", "period")]


def test_after_and_before_a_period_exclude_it():
    assert _m("after 2016") == [("after 2016", "2017-01-01", "2017-01-01", "from")]
    assert _m("before 2018") == [("before 2018", None, "2017-12-31", "deadline")]
    assert _m("prior to the fourth quarter of 2025") == [
        ("prior to the fourth quarter of 2025", None, "2025-09-30", "deadline")]
    assert _m("after June 30, 2025") == [("after June 30, 2025", "2025-07-01", "2025-07-01", "from")]
    # a single day after "before" is the deadline day itself ("trước ngày 30/6/2025")
    assert _m("before June 30, 2025") == [("before June 30, 2025", None, "2025-06-30", "deadline")]


def test_lower_case_month_names_but_not_the_verb_may():
    assert _m("in september 2025") == [("in september 2025", "2025-09-01", "2025-09-30", "period")]
    assert _m("by march 2026") == [("by march 2026", None, "2026-03-31", "deadline")]
    assert _m("on 5 may 2025") == [("on 5 may 2025", "2025-05-05", "2025-05-05", "point")]
    assert _m("by december") == [("by december", None, "2025-12-31", "deadline")]
    assert _m("the ministries may 2 times a year review it") == []
    assert _m("provinces may complete it by may") == []
    assert _m("troops march 3 km") == []


def test_ordinal_day_words():
    assert _m("on the second of August") == [("on the second of August", "2025-08-02", "2025-08-02", "point")]
    assert _m("by the twenty-first of October 2025") == [
        ("by the twenty-first of October 2025", None, "2025-10-21", "deadline")]
    assert _m("by August the thirty-first") == [("by August the thirty-first", None, "2025-08-31", "deadline")]


def test_numeric_dates_month_first_and_year_first():
    assert _m("on 9/23/2025") == [("on 9/23/2025", "2025-09-23", "2025-09-23", "point")]
    assert _m("on 2025/09/23") == [("on 2025/09/23", "2025-09-23", "2025-09-23", "point")]


@pytest.mark.parametrize("text,bad", [
    ("to be completed on 31/02/2025", "31/02/2025"),
    ("complete in quarter V/2025", "quarter V"),
    ("the Q0 report", "Q0"),
    ("by February 30, 2025", "February 30, 2025"),
])
def test_impossible_dates_get_no_date_and_a_warning(text, bad):
    from pipeline.extract.dates import date_warnings
    assert all(m.start_date is None and m.end_date is None for m in find_dates(text, PUB))
    [w] = date_warnings(text)
    assert f"'{bad}'" in w and "skipped" in w


def test_district_q5_is_not_an_impossible_quarter():
    from pipeline.extract.dates import date_warnings
    assert date_warnings("a clinic in Q5 and residential quarter 5") == []


# --- issue 15, round 2: English date classes of real prose (values worked out by hand)
def test_day_and_month_with_a_relative_year():
    assert _m("in operation since August 18 last year", "2026-02-11") == [
        ("since August 18 last year", "2025-08-18", "2025-08-18", "from")]
    assert _m("on 5 March next year") == [("on 5 March next year", "2026-03-05", "2026-03-05", "point")]


def test_mid_month_is_the_fifteenth_where_the_role_needs_a_day():
    assert _m("finalise the plan by mid-March", "2026-02-27") == [("by mid-March", None, "2026-03-15", "deadline")]
    # a period keeps the middle third of the month
    assert _m("in mid-September") == [("in mid-September", "2025-09-11", "2025-09-20", "period")]


def test_since_looks_back_from_publication():
    # "since mid-November" in an April article: last November, not the coming one
    assert _m("Since mid-November, certificates can be requested", "2026-04-10") == [
        ("Since mid-November", "2025-11-15", "2025-11-15", "from")]
    assert _m("since June 1, payments", "2026-06-16") == [("since June 1", "2026-06-01", "2026-06-01", "from")]


def test_a_year_less_deadline_keeps_its_past_reading():
    # "by December 31" in a February article rolls to the coming December as a deadline, but a
    # result reported "by December 31" is last December's: both readings are kept
    [m] = find_dates("by December 31, 612 of the 745 tasks had been completed", "2026-02-11")
    assert (m.end_date, m.past_end) == ("2026-12-31", "2025-12-31")
    [m] = find_dates("5G covered 91% of the population by the end of the year", "2026-02-27")
    assert (m.end_date, m.past_end) == ("2026-12-31", "2025-12-31")
    # a year given is never re-read
    [m] = find_dates("by the end of this year", "2026-02-27")
    assert (m.end_date, m.past_end) == ("2026-12-31", None)


def test_newswire_edges_and_the_years_end():
    assert _m("must finish by end-2025", "2025-07-20") == [("by end-2025", None, "2025-12-31", "deadline")]
    assert _m("as of end-June, 60% of", "2025-07-20") == [("as of end-June", "2025-06-30", "2025-06-30", "as_of")]
    assert _m("by year's end", "2025-07-20") == [("by year's end", None, "2025-12-31", "deadline")]
    assert _m("in the latter half of 2025") == [("in the latter half of 2025", "2025-07-01", "2025-12-31", "period")]
    # hyphen compounds that are not dates
    assert _m("an end-to-end service for end-users and a start-up fund") == []


def test_month_ranges_now_ranges_and_through():
    assert _m("in January-March 2025") == [("in January-March 2025", "2025-01-01", "2025-03-31", "period")]
    assert _m("in Nov-Feb.") == [("in Nov-Feb.", "2025-11-01", "2026-02-28", "period")]   # into the next year
    assert _m("between now and 2030") == [("between now and 2030", PUB, "2030-12-31", "deadline")]
    assert _m("through 2030") == [("through 2030", None, "2030-12-31", "deadline")]
    assert _m("in the final quarter") == [("in the final quarter", "2025-10-01", "2025-12-31", "period")]
    assert _m("the may-june") == []   # lower case: not two months
