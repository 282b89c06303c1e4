"""Source-side readers (pipeline/extract/source.py): dates, figures, actors and cues read from the
Vietnamese or German sentence itself. Expected values worked out by hand from the sentences."""
import pytest

from pipeline.extract import source
from pipeline.extract.dates import DateMention
from pipeline.records import Figure

PUB = "2025-10-20"


def dates(text, lang, pub=PUB):
    return [(d.role, d.start_date, d.end_date) for d in source.find_dates(text, lang, pub)]


def chosen(text, lang, kind, pub=PUB):
    d = source.choose_date(kind, source.find_dates(text, lang, pub))
    return d.end_date if d else None


def roles(text, lang):
    return [(a.name, a.role) for a in source.find_actors(text, lang)]


def responsible(text, lang):
    return [a.name for a in source.responsible(source.find_actors(text, lang))]


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize("text,lang,kind,end", [
    # quarters, with and without the year
    ("Bộ Y tế phải hoàn thành chậm nhất trong quý IV/2025.", "vi", "commitment", "2025-12-31"),
    ("Hoàn thành trong quý 4 năm 2025.", "vi", "commitment", "2025-12-31"),
    ("Das Ministerium muss die Daten im vierten Quartal 2025 bereinigen.", "de", "commitment", "2025-12-31"),
    # a day before which, and the latest day
    ("Các địa phương hoàn thành trước ngày 30/6.", "vi", "commitment", "2026-06-30"),   # June is past: next year
    ("Báo cáo Thủ tướng chậm nhất ngày 15/11/2025.", "vi", "commitment", "2025-11-15"),
    ("Das Amt muss spätestens am 15. November 2025 berichten.", "de", "commitment", "2025-11-15"),
    # a month, the end of a year
    ("Hoàn thành tích hợp trong tháng 10.", "vi", "commitment", "2025-10-31"),
    ("Die Provinzen sollen bis Ende 2025 alle Verfahren online anbieten.", "de", "commitment", "2025-12-31"),
    ("Phấn đấu đến hết năm 2026 có 90% người trưởng thành có tài khoản.", "vi", "commitment", "2026-12-31"),
    # a range: its end
    ("Từ ngày 15/9 đến 30/11, lực lượng công an sẽ rà soát dữ liệu.", "vi", "commitment", "2025-11-30"),
    ("Vom 15. September bis 30. November überprüft die Polizei die Daten.", "de", "commitment", "2025-11-30"),
    # as-of dates of progress figures
    ("Tính đến ngày 15/10/2025, cả nước đã giải ngân 410.000 tỷ đồng.", "vi", "progress", "2025-10-15"),
    ("Stand: 30. September 2025 waren 95 Prozent der Bürger registriert.", "de", "progress", "2025-09-30"),
    # "mid-month" is the 15th
    ("Das Amt soll bis Mitte März einen Plan vorlegen.", "de", "commitment", "2026-03-15"),
])
def test_deadlines_and_as_of_dates(text, lang, kind, end):
    assert chosen(text, lang, kind) == end


def test_ab_dem_is_a_start_not_a_deadline():
    assert dates("Ab dem 1. Juli 2025 tritt das Gesetz in Kraft.", "de") == [("from", "2025-07-01", "2025-07-01")]
    # a commitment dated only by its start takes the start
    assert chosen("Ab dem 1. Juli 2025 müssen alle Akten digitalisiert werden.", "de", "commitment") == "2025-07-01"


def test_a_year_to_date_period_is_not_a_progress_figures_date():
    text = "Trong 9 tháng đầu năm, thu ngân sách ước đạt 1,9 triệu tỷ đồng, tăng 30,5% so với cùng kỳ năm 2024."
    assert dates(text, "vi")[0] == ("period", "2025-01-01", "2025-09-30")
    assert dates(text, "vi")[1][0] == "skip"                      # the comparison base
    assert chosen(text, "vi", "progress") is None
    assert chosen("In den ersten acht Monaten stiegen die Einnahmen um 5 Prozent.", "de", "progress") is None


def test_issue_dates_event_days_and_title_spans_are_not_statement_dates():
    assert dates("Văn phòng Chính phủ ban hành Thông báo số 612/TB-VPCP ngày 19/11/2025.", "vi")[0][0] == "issue"
    assert dates("Chiều 24/9, Thủ tướng chủ trì phiên họp.", "vi")[0][0] == "point"
    assert dates("gemäß Dekret Nr. 123/2020/ND-CP vom 19. Oktober 2020", "de")[0][0] == "issue"
    text = "Bộ Khoa học và Công nghệ trình Chiến lược dữ liệu quốc gia đến năm 2030 trước ngày 31/1/2026."
    assert chosen(text, "vi", "commitment") == "2026-01-31"


def test_a_start_day_dates_a_progress_figure_but_not_a_running_count():
    assert chosen("Trung tâm dữ liệu quốc gia vận hành từ ngày 18/8/2025, đã kết nối 42 cơ sở dữ liệu.", "vi",
                  "progress") == "2025-08-18"
    assert chosen("Từ đầu năm 2025 đến nay, các bộ đã cắt giảm 2.451 thủ tục.", "vi", "progress") is None


def test_no_publication_date_leaves_relative_dates_unresolved():
    assert dates("Hoàn thành trước ngày 30/6.", "vi", None) == [("deadline", None, None)]
    assert dates("Hoàn thành trước ngày 30/6/2026.", "vi", None) == [("deadline", None, "2026-06-30")]


# ------------------------------------------------------------------ figures
def test_figures_with_scale_words_and_separators_minus_dates_and_identifiers():
    figs = source.find_figures("Đến ngày 15/10/2025, Đề án 06 đã giải ngân 410.000 tỷ đồng, đạt 46,3% kế hoạch.", "vi",
                               source.find_dates("Đến ngày 15/10/2025, Đề án 06 đã giải ngân 410.000 tỷ đồng, đạt 46,3% kế hoạch.", "vi", PUB))
    assert [(f.value, f.percent) for f in figs] == [(410000 * 1e9, False), (46.3, True)]
    figs = source.find_figures("Nach Dekret Nr. 57 wurden 1,5 Milliarden VND und 3,2 Prozent erreicht.", "de", [])
    assert [f.value for f in figs] == [1.5e9, 3.2]


# ------------------------------------------------------------------ actors and roles
def test_lead_and_coordinating_ministries_are_both_actors():
    text = "Thủ tướng giao Bộ Xây dựng chủ trì, phối hợp với Bộ Tài chính và các địa phương hoàn thiện hồ sơ."
    assert roles(text, "vi") == [("Ministry of Construction", "lead"), ("Ministry of Finance", "partner")]
    text = "Bộ Công an chủ trì, phối hợp với Văn phòng Chính phủ, Bộ Khoa học và Công nghệ hoàn thành tích hợp VNeID."
    assert responsible(text, "vi") == ["Ministry of Public Security", "Government Office", "Ministry of Science and Technology"]


def test_assigned_body_not_the_body_that_assigns():
    # the National Assembly assigns; the Government is asked to direct
    assert responsible("Quốc hội giao Chính phủ chỉ đạo quyết liệt giải ngân vốn đầu tư công.", "vi") == ["Government"]
    assert responsible("Thủ tướng yêu cầu Bộ Nội vụ rà soát các quy định.", "vi") == ["Ministry of Home Affairs"]
    # a directing agency answers when nobody named is asked
    assert responsible("Ngân hàng Nhà nước chỉ đạo các ngân hàng thương mại giảm lãi suất.", "vi") == ["State Bank of Vietnam"]


def test_prime_minister_recipients_and_document_codes_are_not_actors():
    text = "Bộ Khoa học và Công nghệ khẩn trương trình Thủ tướng Chính phủ ban hành Chiến lược."
    assert responsible(text, "vi") == ["Ministry of Science and Technology"]
    assert responsible("Văn phòng Chính phủ ban hành Thông báo số 612/TB-VPCP.", "vi") == ["Government Office"]
    assert [a.role for a in source.find_actors("Các bộ báo cáo kết quả về Văn phòng Chính phủ.", "vi")] == ["recipient"]


def test_german_roles_with_inflected_names():
    text = ("Der Premierminister beauftragte das Bauministerium, in Abstimmung mit dem Finanzministerium "
            "die Unterlagen bis zum 30. November 2025 fertigzustellen.")
    assert roles(text, "de") == [("Ministry of Construction", "assignee"), ("Ministry of Finance", "partner")]
    assert responsible("Bis Ende 2026 sollen alle Datenbanken aufgebaut sein, teilte das Ministerium für "
                       "öffentliche Sicherheit mit.", "de") == ["Ministry of Public Security"]
    assert responsible("Laut dem Finanzministerium stiegen die Einnahmen.", "de") == ["Ministry of Finance"]
    assert responsible("Das Ministerium für Wissenschaft und Technologie wurde beauftragt, den Plan vorzulegen.",
                       "de") == ["Ministry of Science and Technology"]


def test_each_actor_keeps_its_span_in_the_source():
    text = "Bộ Y tế hoàn thành triển khai sổ sức khỏe điện tử."
    (a,) = source.find_actors(text, "vi")
    assert text[a.start:a.end] == "Bộ Y tế" and a.role == "subject"


# ------------------------------------------------------------------ cues
def test_commitment_and_progress_cues():
    assert source.find_kind("Bộ đã yêu cầu các địa phương hoàn thành.", "vi") == "commitment"
    assert source.find_kind("Đã hoàn thành 538/745 nhiệm vụ được giao.", "vi") == "progress"   # "được giao": passive
    assert source.find_kind("Es wurden 45 Aufgaben abgeschlossen.", "de") == "progress"
    assert source.find_kind("Das Ministerium wurde beauftragt, den Plan auszuarbeiten.", "de") == "commitment"
    assert source.is_never("Thủ tướng Phạm Minh Chính chủ trì Phiên họp thứ hai của Ban Chỉ đạo.", "vi")
    assert source.is_never("Die Sitzung wurde online mit 63 Provinzen verbunden.", "de")
    assert not source.is_never("Bộ Công an chủ trì, phối hợp với Bộ Tài chính hoàn thành kết nối.", "vi")


def test_languages_without_readers():
    assert source.read("The ministry will finish by 2025.", "en", PUB) is None
    assert not source.supported("en") and source.supported("vi") and source.supported("de")


# ------------------------------------------------------------------ merging into English drafts
class _Draft:
    def __init__(self, kind, figures=(), date=None, actors=()):
        self.kind, self.figures, self.date, self.actors = kind, list(figures), date, list(actors)
        self.extra, self.warnings, self.read_from = {}, [], "english"


def test_source_date_wins_with_a_warning_when_the_english_disagrees():
    text = "Bộ Y tế phải hoàn thành chậm nhất trong quý IV/2025."
    wrong = DateMention("in 2026", 0, 7, "2026-01-01", "2026-12-31", "period")
    d = _Draft("commitment", date=wrong)
    (d,) = source.refine([d], source.read(text, "vi", PUB), "x", [], lambda *a: None)
    assert d.date.end_date == "2025-12-31" and d.read_from == "source"
    assert d.warnings and "2026-12-31" in d.warnings[0]
    assert text[slice(*d.extra["date_span"])] == "chậm nhất trong quý IV/2025"
    assert [m.name for m in d.actors] == ["Ministry of Health"]


def test_source_figure_value_wins_when_the_translation_changed_it():
    text = "Doanh thu đạt 1,5 tỷ USD."
    d = _Draft("progress", figures=[Figure(value=1.5e12, unit="USD", text="1.5 trillion USD", text_start=0, text_end=16)])
    (d,) = source.refine([d], source.read(text, "vi", PUB), "x", [], lambda *a: None)
    assert d.figures[0].value == 1.5e9 and d.warnings and d.read_from == "source"
    assert text[slice(*d.extra["figure_spans"][0])] == "1,5 tỷ"


def test_a_sentence_the_english_rules_could_not_read_still_yields_the_source_reading():
    made = []

    def new_draft(kind, a, b, n):
        made.append(kind)
        return _Draft(kind)

    text = "Bộ Tài chính phải trình Chính phủ Nghị định trước ngày 31/12/2025."
    (d,) = source.refine([], source.read(text, "vi", PUB), "untranslatable", [], new_draft)
    assert made == ["commitment"] and d.read_from == "source"
    assert d.date.end_date == "2025-12-31" and [m.name for m in d.actors] == ["Ministry of Finance"]
    # no cue, no anchor: nothing is made
    assert source.refine([], source.read("Hà Nội mùa thu.", "vi", PUB), "x", [], new_draft) == []


def test_a_reporting_body_answers_for_the_next_progress_figure():
    ctx = source.Context()
    source.refine([], source.read("Bộ Khoa học và Công nghệ cho biết, kế hoạch đã được sửa đổi.", "vi", PUB), "x", [],
                  lambda *a: None, ctx)
    d = _Draft("progress")
    (d,) = source.refine([d], source.read("Tính đến ngày 20/5/2025, đã hoàn thành 96/256 nhiệm vụ.", "vi", PUB),
                         "x", [], lambda *a: None, ctx)
    assert [m.name for m in d.actors] == ["Ministry of Science and Technology"]


@pytest.mark.parametrize("text", ["", "   ", ";;;", "((((", "ngày ngày ngày 99/99/9999", "quý V/20255", "1.2.3.4.5.6",
                                  "Bộ", "từ đến trước chậm nhất", "ab dem bis zum spätestens", "x" * 5000])
@pytest.mark.parametrize("lang", ["vi", "de"])
def test_no_crash_on_any_sentence(text, lang):
    r = source.read(text, lang, PUB)
    source.refine([], r, text, [], lambda *a: None)


# ------------------------------------------------------------------ through the extraction stage
def test_statements_say_where_their_fields_were_read():
    from pipeline.extract import extract_document
    from pipeline.records import Document, Sentence

    src = "Bộ Y tế phải hoàn thành liên thông dữ liệu chậm nhất trong quý IV/2025."
    # an English side that lost the date and the ministry (a failed translation)
    sent = Sentence(source_start=0, source_end=len(src), source=src, english="Bộ Y tế must complete data liên thông.",
                    engine="lexicon")
    doc = Document(doc_id="d", path="d.txt", status="ok", lang="vi", published=PUB, text=src)
    (st,) = extract_document(doc, [sent])
    assert st.kind == "commitment" and st.read_from == "source"
    assert st.date.end == "2025-12-31" and src[st.date.source_start:st.date.source_end] == "chậm nhất trong quý IV/2025"
    assert [(a.name, src[a.source_start:a.source_end]) for a in st.actors] == [("Ministry of Health", "Bộ Y tế")]
    # an English document is read by the English rules only
    en = "The Ministry of Health must complete the link by the end of 2025."
    doc = Document(doc_id="e", path="e.txt", status="ok", lang="en", published=PUB, text=en)
    (st,) = extract_document(doc, [Sentence(source_start=0, source_end=len(en), source=en, english=en, engine="identity")])
    assert st.read_from == "english" and st.date.source_start is None
