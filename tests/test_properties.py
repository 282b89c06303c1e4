"""Property tests: arbitrary text never crashes the figure/date finders or the sentence splitter,
and every span they return points at what they say it does."""
import math

from hypothesis import given, settings, strategies as st

from pipeline.extract.dates import find_dates
from pipeline.extract.figures import find_figures
from pipeline.segment import split_sentences

FRAGMENTS = [
    "2025", "2021-2030", "2021–2025", "1,027", "1.7", "3.2", "0.5", "06", "57/NQ-TW", "23/9/2025", "24/9",
    "9/2025", "September", "Sept.", "May", "July 1st", "24", "the fourth quarter", "Q4", "H1", "first half",
    "first 8 months", "of the year", "this year", "next month", "end of", "early", "mid-", "late",
    "by", "no later than", "as of", "from", "to", "until", "between", "and", "in", "on", "now",
    "over", "more than", "nearly", "out of", "million", "billion", "trillion", "VND", "USD", "$", "US$",
    "%", "percent", "tasks", "administrative procedures", "provinces", "km", "MW", "m", "bn",
    "Resolution No.", "Decree", "Project", "(1)", "1.", "3-level", "5G", "COVID-19", "15:30", "pm",
    "+84 24 3823 1234", "-", "–", "/", ".", ",", ";", ":", "(", ")", "\n", "\n\n", " ", "  ",
    "of which", "the", "period", "1", "5", "estimated", "some", "about", "1.027", "39,27", "year-end", "quarter IV/2025", "Dr.", "No.", "e.g.", "!", "?", "…", "\"",
]

fragment_text = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join)
glued_text = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)
any_text = st.one_of(st.text(max_size=300), fragment_text, glued_text)
published = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()), st.text(max_size=12))


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_figures_spans_and_values(text):
    figs = find_figures(text)
    prev_end = 0
    for f in figs:
        assert 0 <= f.text_start < f.text_end <= len(text)
        assert text[f.text_start:f.text_end] == f.text
        assert f.text_start >= prev_end  # ordered, disjoint
        prev_end = f.text_end
        assert math.isfinite(f.value)
        # a value is negative only when its text carries a minus sign ("-2.5%", "−3.1%", "minus 4 percent")
        assert f.value >= 0 or any(m in f.text.lower() for m in ("-", "\u2212", "minus"))


@settings(max_examples=200, deadline=None)
@given(any_text, published)
def test_dates_spans_and_order(text, pub):
    ms = find_dates(text, pub)
    prev_end = 0
    for m in ms:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.start >= prev_end
        prev_end = m.end
        if m.start_date and m.end_date:
            assert m.start_date <= m.end_date


@settings(max_examples=200, deadline=None)
@given(any_text, st.sampled_from(["en", "de", "vi", "xx"]))
def test_sentence_spans(text, lang):
    spans = split_sentences(text, lang)
    prev_end = 0
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert a >= prev_end
        prev_end = b
        assert text[a:b] == text[a:b].strip()


UNITS = ["tasks", "administrative procedures", "households", "%", "VND", "percent", "km"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**13), st.sampled_from(UNITS))
def test_integer_with_thousands_separators_round_trips(n, unit):
    sep = "" if unit == "%" else " "
    text = f"They counted {n:,}{sep}{unit} this time."
    figs = find_figures(text)
    assert len(figs) == 1
    assert figs[0].value == n
    assert figs[0].text.startswith(f"{n:,}")


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", " million", " billion"]))
def test_decimal_with_scale_round_trips(d, scale):
    factor = {"": 1, " million": 10**6, " billion": 10**9}[scale]
    text = f"Revenue reached {d}{scale} VND in total."
    figs = find_figures(text)
    assert len(figs) == 1
    assert figs[0].unit == "VND"
    assert figs[0].value == float(d * factor)


@settings(max_examples=100, deadline=None)
@given(st.dates(), st.sampled_from(["by", "before", "no later than"]))
def test_written_dates_resolve_to_themselves(d, cue):
    month = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"][d.month - 1]
    for written in (f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}", f"{d.day}/{d.month}/{d.year}"):
        ms = find_dates(f"Complete it {cue} {written}.", None)
        if 1900 <= d.year <= 2100:
            assert [(m.end_date, m.role) for m in ms] == [(d.isoformat(), "deadline")]
