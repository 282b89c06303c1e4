"""English figures: expected values worked out by hand (1 million = 1e6, 1 billion = 1e9,
1 trillion = 1e12; "million billion" = 1e15)."""
import pytest

from pipeline.extract.figures import find_figures


def _f(text):
    return [(f.value, f.unit, f.qualifier) for f in find_figures(text)]


CASES = [
    # --- percentages
    ("online public services in the province has reached 95%.", [(95, "%", None)]),
    ("the rate was 95 % in the province", [(95, "%", None)]),
    ("reached 39.27% in ministries and agencies and 37.83% in localities",
     [(39.27, "%", None), (37.83, "%", None)]),
    ("only about 30% of enterprises apply digital technology", [(30, "%", "about")]),
    ("an increase of over 28%.", [(28, "%", "over")]),
    ("GDP grew 8 percent", [(8, "%", None)]),
    ("up 12.5 per cent year on year", [(12.5, "%", None)]),
    ("rose by 1.5 percentage points", [(1.5, "percentage points", None)]),
    ("with a rate of 0.5%", [(0.5, "%", None)]),
    ("a rate of 39,27% in localities", [(39.27, "%", None)]),
    ("target of 10-15% growth", [(10, "%", None), (15, "%", None)]),
    ("between 5 and 7 percent", [(5, "%", None), (7, "%", None)]),
    ("nearly 100% of communes", [(100, "%", "nearly")]),
    ("at least 80% of records", [(80, "%", "at least")]),
    # --- money
    ("revenue reached more than 3.2 million billion VND", [(3.2e15, "VND", "more than")]),
    ("totaling 1.7 trillion VND.", [(1.7e12, "VND", None)]),
    ("a budget of VND 1.7 trillion", [(1.7e12, "VND", None)]),
    ("USD 2 billion in investment", [(2e9, "USD", None)]),
    ("attracting $2 billion", [(2e9, "USD", None)]),
    ("US$1.5 billion", [(1.5e9, "USD", None)]),
    ("worth $5m", [(5e6, "USD", None)]),
    ("VND 45,000 billion", [(4.5e13, "VND", None)]),
    ("50 trillion dong", [(5e13, "VND", None)]),
    ("500 million US dollars", [(5e8, "USD", None)]),
    ("3 billion euros", [(3e9, "EUR", None)]),
    ("VND 50 trillion (USD 2 billion)", [(5e13, "VND", None), (2e9, "USD", None)]),
    ("3.000.000 VND per person", [(3e6, "VND", None)]),
    ("revenue reached VND1,800 trillion (US$68.4 billion)", [(1.8e15, "VND", None), (6.84e10, "USD", None)]),
    ("a total investment of VND 67 trillion (approx. US$2.6 billion)", [(6.7e13, "VND", None), (2.6e9, "USD", "approximately")]),
    ("electricity output reached 154.3 billion kWh", [(1.543e11, "kWh", None)]),
    # --- counts with a unit noun phrase
    ("a total of over 6.6 million online applications were received",
     [(6.6e6, "online applications", "over")]),
    ("Nearly 400 medical facilities connected more than 2.5 million electronic medical records, "
     "over 2.6 billion electronic invoices were issued.",
     [(400, "medical facilities", "nearly"), (2.5e6, "electronic medical records", "more than"),
      (2.6e9, "electronic invoices", "over")]),
    ("More than 890 administrative procedures and 222 business conditions were cut",
     [(890, "administrative procedures", "more than"), (222, "business conditions", None)]),
    ("have reduced and simplified 1,027 out of 1,084 administrative procedures",
     [(1027, "administrative procedures", None), (1084, "administrative procedures", None)]),
    ("30 out of 34 provinces and cities are implementing", [(30, "provinces", None), (34, "provinces", None)]),
    ("58 out of 75 essential public services", [(58, "essential public services", None), (75, "essential public services", None)]),
    ("the decentralization of 490 out of 699 administrative procedures in 101 legal documents",
     [(490, "administrative procedures", None), (699, "administrative procedures", None), (101, "legal documents", None)]),
    ("which includes 273 tasks, including: 105 tasks on institutions; 116 tasks on data; 6 tasks on digital infrastructure",
     [(273, "tasks", None), (105, "tasks", None), (116, "tasks", None), (6, "tasks", None)]),
    ("for promulgation of 4 important Laws, expected", [(4, "laws", None)]),
    ("The Prime Minister emphasized 6 general groups of tasks", [(6, "groups of tasks", None)]),
    ("a total of 679 tasks were assigned to 56 agencies", [(679, "tasks", None), (56, "agencies", None)]),
    ("the implementation of the 16 criteria at the commune level", [(16, "criteria", None)]),
    ("3,000,000 people benefit", [(3e6, "people", None)]),
    ("Over 3 million online payment transactions were also conducted",
     [(3e6, "online payment transactions", "over")]),
    ("73 tasks, of which 50 have been completed", [(73, "tasks", None), (50, "tasks", None)]),
    ("the 1.027 administrative procedures", [(1027, "administrative procedures", None)]),
    ("1.5 million", [(1.5e6, None, None)]),
    ("reached 50", [(50, None, None)]),
    ("1 new model has been built", [(1, "new model", None)]),
    ("some 200 enterprises", [(200, "enterprises", "some")]),
    ("approximately 1,200 households", [(1200, "households", "approximately")]),
    ("up to 20 days", [(20, "days", "up to")]),
    ("increased 2.5 times", [(2.5, "times", None)]),
    ("less than 10 percent", [(10, "%", "less than")]),
    ("roughly 15 hospitals", [(15, "hospitals", "roughly")]),
    ("almost 700 schools", [(700, "schools", "almost")]),
    ("around 40 experts", [(40, "experts", "around")]),
    ("under 5%", [(5, "%", "under")]),
    # --- measures
    ("500 km of expressway", [(500, "km", None)]),
    ("a 20MW solar plant", [(20, "MW", None)]),
    ("2 million tons of rice", [(2e6, "tonnes", None)]),
    ("2,500 hectares", [(2500, "ha", None)]),
    # --- not figures
    ("Resolution No. 57/NQ-TW of the Politburo", []),
    ("Decision No. 598/QD-TTg dated March 13, 2025", []),
    ("implementing Resolution 57, Project 06", []),
    ("Decree 13/2023/ND-CP on personal data", []),
    ("Plan No. 02-KH/BCĐTW of the Central Steering Committee", []),
    ("Notice No. 56/TB-VPCP and Directive 05", []),
    ("the 4th meeting at the 9th extraordinary session of the 15th National Assembly", []),
    ("5G coverage, VNeID, Industry 4.0 and COVID-19", []),
    ("from 4-level governments to 3-level governments; the two-tiered model", []),
    ("in 2025 and for the period 2021-2030", []),
    ("As of September 23, 2025, 45 tasks had been completed", [(45, "tasks", None)]),
    ("on 23/9/2025 and July 1st", []),
    ("In the first 8 months of the year, revenue rose", []),
    ("The meeting starts at 15:30, or 3 pm", []),
    ("Hotline: 0243 456 789 or +84 24 3823 1234", []),
    ("(1) Perfecting institutions; (2) Infrastructure development", []),
    ("1. Perfecting institutions", []),
    # counts written in words are figures, as the realistic gold reads them ("nine overdue tasks" = 9)
    ("three important tasks and five viewpoints", [(3, "tasks", None), (5, "viewpoints", None)]),
    ("Article 5 of Circular 12 and Level 4 services", []),
    ("the 1990s", []),
    ("implementing Resolutions 57, 59, 66 and 68 of the Politburo", []),
    ("Decrees No. 13 and No. 15, with 45 tasks", [(45, "tasks", None)]),
    ("Project 06, 20 provinces have joined", [(20, "provinces", None)]),
    ("1.027 out of 1.084 administrative procedures", [(1027, "administrative procedures", None),
                                                     (1084, "administrative procedures", None)]),
    ("an index of 1.027", [(1.027, None, None)]),
    ("the 5 provinces' leaders", [(5, "provinces", None)]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_figure_cases(text, expected):
    got = _f(text)
    assert len(got) == len(expected), got
    for (v, u, q), (ev, eu, eq) in zip(got, expected):
        assert v == pytest.approx(ev, rel=1e-12)
        assert (u, q) == (eu, eq)


def test_spans_cover_qualifier_number_and_unit():
    text = "In 2025, a total of over 6.6 million online applications were received, 91% on time."
    figs = find_figures(text)
    assert [(f.text, f.text_start, f.text_end) for f in figs] == [
        ("over 6.6 million online applications", 20, 56),
        ("91%", 72, 75),
    ]
    for f in figs:
        assert text[f.text_start:f.text_end] == f.text


def test_out_of_span_is_the_number_only():
    text = "reduced 1,027 out of 1,084 procedures"
    figs = find_figures(text)
    assert [(f.text, f.text_start, f.text_end) for f in figs] == [("1,027", 8, 13), ("1,084 procedures", 21, 37)]


def test_range_takes_the_scale_of_its_second_end():
    assert _f("2-3 million tons") == [(2e6, "tonnes", None), (3e6, "tonnes", None)]


def test_values_are_exact_for_decimal_scales():
    # 1.7 * 1e12 in binary floats is not 1.7e12 exactly; the parser must use decimal arithmetic
    assert find_figures("1.7 trillion VND")[0].value == 1700000000000.0
    assert find_figures("3.2 million billion VND")[0].value == 3200000000000000.0
    assert find_figures("2.6 billion invoices")[0].value == 2600000000.0


def test_empty_and_digitless_text():
    assert find_figures("") == []
    assert find_figures("No numbers at all here.") == []


# --- defects found by an outside test suite (Recognizers-Text), each checked by hand
def _fw(text):
    w = []
    return [(f.value, f.unit, f.text) for f in find_figures(text, w)], w


def test_minus_sign_makes_the_figure_negative():
    assert _fw("growth was -2.5% in the quarter")[0] == [(-2.5, "%", "-2.5%")]
    assert _fw("exports fell −3.1% year on year")[0] == [(-3.1, "%", "−3.1%")]   # U+2212 minus
    assert _fw("a change of minus 4 percent")[0] == [(-4, "%", "minus 4 percent")]
    assert _fw("(-0.5%)")[0] == [(-0.5, "%", "-0.5%")]
    # a dash between two numbers is a range, a dash after a word joins a name
    assert _fw("a target of 10-15%")[0] == [(10, "%", "10"), (15, "%", "15%")]
    assert _fw("5 - 10 tasks")[0] == [(5, "tasks", "5"), (10, "tasks", "10 tasks")]
    assert _fw("COVID-19 and F-16")[0] == []


def test_currency_written_after_the_number():
    assert _fw("it costs 10 $")[0] == [(10, "USD", "10 $")]
    # a German amount after translation: the dot groups thousands, the comma is the decimal
    assert _fw("a fine of 94.000 €")[0] == [(94000, "EUR", "94.000 €")]
    assert _fw("a fine of 94.000,50 €")[0] == [(94000.5, "EUR", "94.000,50 €")]
    assert _fw("priced at 500.000đ")[0] == [(500000, "VND", "500.000đ")]


def test_space_grouped_thousands_are_one_number():
    assert _fw("12 500 tasks were done")[0] == [(12500, "tasks", "12 500 tasks")]
    assert _fw("1 000 000 VND")[0] == [(1e6, "VND", "1 000 000 VND")]
    assert _fw("12\u00a0500 households")[0] == [(12500, "households", "12\u00a0500 households")]
    # a year followed by a number is two things, not one
    assert [v for v, _, _ in _fw("In 2025 100 communes joined")[0]] == [100]


def test_lone_short_number_on_its_own_line_is_a_figure_not_a_list_marker():
    assert _fw("Total:\n12")[0] == [(12, None, "12")]
    assert _fw("Total:\n12.")[0] == [(12, None, "12")]
    assert _fw("1. Perfecting institutions")[0] == []


def test_currency_names_and_prefixed_dollars():
    assert _fw("5 pounds")[0] == [(5, "GBP", "5 pounds")]
    assert _fw("20 million Chinese yuan")[0] == [(2e7, "CNY", "20 million Chinese yuan")]
    assert _fw("C$30 million")[0] == [(3e7, "CAD", "C$30 million")]
    assert _fw("A$ 2 billion")[0] == [(2e9, "AUD", "A$ 2 billion")]
    assert _fw("HK$5")[0] == [(5, "HKD", "HK$5")]
    assert _fw("100 Canadian dollars")[0] == [(100, "CAD", "100 Canadian dollars")]
    assert _fw("100 dollars")[0] == [(100, "USD", "100 dollars")]


def test_url_escapes_are_not_percentages():
    assert _fw("see https://example.vn/files/report%202025%20final.pdf for 5 tasks")[0] == [(5, "tasks", "5 tasks")]
    assert _fw("open file%20name%2012.pdf")[0] == []


def test_year_dash_number_is_a_code_not_a_figure():
    assert _fw("form 2015-32 was used")[0] == []


@pytest.mark.parametrize("text,bad", [
    ("inflation of 1e308% was reported", "1e308%"),
    ("10^1000 people", "10^1000"),
    ("revenue of VND 123456789012345678901234", "VND 123456789012345678901234"),
    ("revenue of 5 million billion billion VND", "5 million billion billion VND"),
])
def test_absurd_numbers_are_skipped_with_a_warning(text, bad):
    figs, warns = _fw(text)
    assert figs == []
    assert len(warns) == 1 and f"'{bad}'" in warns[0] and "skipped" in warns[0]


# --- counts written in words (issue 15: the realistic gold counts "nine overdue tasks", "Fourteen
# tasks", "Four of the six decrees", "at least one official"); worked out by hand
@pytest.mark.parametrize("text,expected", [
    ("The nine overdue tasks must be finished this month.", [(9, "overdue tasks")]),
    ("Fourteen tasks were overdue.", [(14, "tasks")]),
    ("27 of them had been completed and nine were behind schedule.", [(27, None), (9, None)]),
    ("Four of the six decrees guiding the Law have been issued.", [(4, "decrees"), (6, "decrees")]),
    ("assign at least one full-time official in each commune", [(1, "full-time official")]),
    ("twenty-five provinces joined the system", [(25, "provinces")]),
    # not counts: "one" without a qualifier, hyphened compounds, ratios, durations, date parts
    ("use one law to amend many laws", []),
    ("the two-tier local administration and a three-level government", []),
    ("nine in ten adults have an account", []),
    ("finish within two months", []),
    ("in the first six months of 2025", []),
    # a count in words of participants describes them: "the two sides agreed" (in digits it stays a figure)
    ("the two sides agreed and the three leaders discussed it at all three levels", []),
    ("the 2 sides", [(2, "sides")]),
])
def test_counts_written_in_words(text, expected):
    assert [(f.value, f.unit) for f in find_figures(text)] == expected
