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
                                  "Bộ", "từ đến trước chậm nhất", "ab dem bis zum spätestens", "x" * 5000,
                                  # clauses, day counts and levels at their edges
                                  "; ; đã 5; phải trước ngày 1/1/2026;", "trong thời hạn 0 ngày; trong thời hạn 999 ngày",
                                  "innerhalb von 0 Tagen; Ab dem 1. Januar 9999", "mức 2; Stufe 3; 24-7; (a; b) “c; d”",
                                  "đã đạt 5%; sẽ đạt 7% trước ngày 31/12/2025; đã có 3"])
@pytest.mark.parametrize("lang", ["vi", "de"])
def test_no_crash_on_any_sentence(text, lang):
    r = source.read(text, lang, PUB)
    source.refine([], r, text, [], lambda *a: None)
    source.refine([_Draft("commitment"), _Draft("progress")], r, text, [], lambda kind, a, b, n: _Draft(kind or "commitment"))
    source.refine([_Draft("commitment")], r, text, [], lambda kind, a, b, n: _Draft(kind or "commitment"))


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


# ------------------------------------------------------------------ sentences that mix a commitment and a result
def test_a_sentence_mixing_a_target_and_a_result_gives_one_record_per_clause():
    from pipeline.extract import extract_document
    from pipeline.records import Document, Sentence

    src = ("Thành phố đã cung cấp 1.215 dịch vụ công trực tuyến toàn trình, tỷ lệ hồ sơ trực tuyến đạt 68%; "
           "Hà Nội phấn đấu đến hết năm 2025 hoàn thành số hóa 100% hồ sơ.")
    # an English side the English rules read as one statement (or none)
    sent = Sentence(source_start=0, source_end=len(src), source=src, engine="lexicon",
                    english="City has provided 1,215 public services online, online records rate reached 68%; Hà Nội strive đến hết 2025 số hóa 100% records.")
    doc = Document(doc_id="d", path="d.txt", status="ok", lang="vi", published="2025-07-20", text=src)
    sts = extract_document(doc, [sent])
    assert [s.kind for s in sts] == ["progress", "commitment"]
    first, second = sts
    # each record's source text is its own clause, and still the document's text at its offsets
    assert first.source_text.startswith("Thành phố đã cung cấp") and first.source_text.endswith("đạt 68%")
    assert second.source_text.startswith("Hà Nội phấn đấu") and "1.215" not in second.source_text
    assert all(src[s.source_start:s.source_end] == s.source_text for s in sts)
    assert sorted(f.value for f in first.figures) == [68, 1215] and [f.value for f in second.figures] == [100]
    assert first.date is None and second.date.end == "2025-12-31"
    assert second.source_text[second.date.source_start:second.date.source_end] == "phấn đấu đến hết năm 2025"
    assert [a.name for a in second.actors] == ["Hanoi"]
    assert len({s.id for s in sts}) == 2


def test_the_target_clauses_of_one_directive_stay_one_statement():
    # "đạt tối thiểu 40%" is the directive's second target, not a result: no cut
    text = ("Bảo đảm 100% xã có Trung tâm phục vụ hành chính công đi vào hoạt động từ ngày 1/7/2025; "
            "tỷ lệ hồ sơ trực tuyến cấp xã đạt tối thiểu 40% trong năm 2025.")
    assert source._segments(source.read(text, "vi", "2025-06-10")) == []
    # the German "wird ... angeboten" is a present passive as often as a future: no cut either
    text = "Seit dem 1. März wird der Dienst landesweit angeboten; bisher wurden 2,9 Millionen Auszüge ausgestellt."
    assert source._segments(source.read(text, "de", "2026-04-10")) == []
    # a German target beside a result is cut
    text = ("Die Stadt bietet 1.215 Online-Dienste an und hat eine Quote von 68 % erreicht; Hanoi strebt an, bis Ende "
            "2025 alle Akten zu digitalisieren.")
    assert [r.kind for _, _, r in source._segments(source.read(text, "de", "2025-07-20"))] == ["progress", "commitment"]


def test_a_scene_setting_lead_in_does_not_veto_what_was_said():
    text = ("Phát biểu tại điểm cầu tỉnh Bình Dương, lãnh đạo tỉnh cho biết 100% hồ sơ công việc tại cấp tỉnh "
            "đã được xử lý trên môi trường mạng.")
    r = source.read(text, "vi", "2025-03-10")
    assert not r.veto and not r.never and r.kind == "progress"
    assert [a.name for a in r.responsible()] == ["Binh Duong Province"]
    # the online link of a meeting is still never a statement
    assert source.is_never("Phiên họp được kết nối trực tuyến tới 63 điểm cầu địa phương.", "vi")


def test_until_is_a_deadline_for_a_commitment_and_the_as_of_date_of_a_result():
    text = "Năm 2025, ngân sách được bố trí 75.000 tỷ đồng; tuy nhiên, đến hết tháng 6 mới giải ngân được 18,4%."
    assert chosen(text, "vi", "progress", pub="2025-07-20") == "2025-06-30"
    assert chosen("Bis Ende Juni 2025 deckte das 5G-Netz 62 % der Bevölkerung ab.", "de", "progress") == "2025-06-30"
    assert chosen("Các bộ hoàn thành việc rà soát đến hết tháng 3.", "vi", "commitment") == "2026-03-31"  # past: next year
    assert chosen("Đến ngày 31/3 đã hoàn thành 45 nhiệm vụ.", "vi", "progress") == "2025-03-31"         # never rolled


def test_tasks_assigned_with_a_number_are_a_commitment():
    assert source.find_kind("Năm 2025, các bộ, ngành được giao 562 nhiệm vụ.", "vi") == "commitment"
    assert source.find_kind("Đã hoàn thành 538/745 nhiệm vụ được giao.", "vi") == "progress"


def test_an_english_cut_at_a_comparison_year_is_one_statement_again():
    made = []

    def new_draft(kind, a, b, n):
        made.append((kind, a, b))
        return _Draft(kind)

    text = ("Năm 2025, tỷ lệ hồ sơ được xử lý trực tuyến toàn trình đạt 76,8%, tăng mạnh so với mức 41,6% "
            "của năm 2024.")
    english = "In 2025, the rate reached 76.8%, a sharp increase compared with 41.6% in 2024."
    two = [_Draft("progress"), _Draft("progress")]
    (d,) = source.refine(two, source.read(text, "vi", "2026-01-10"), english, [], new_draft)
    assert made == [("progress", 0, len(english))] and d.date.end_date == "2025-12-31"
    # two deadlines of their own stay two records
    text = "Hoàn thành Trung tâm dữ liệu trước ngày 19/8/2025, tích hợp dữ liệu trong quý IV/2025."
    two = [_Draft("commitment"), _Draft("commitment")]
    out = source.refine(two, source.read(text, "vi", PUB), "x", [], new_draft)
    assert [d.date.end_date for d in out] == ["2025-08-19", "2025-12-31"]


def test_german_subjects_after_the_verb_titles_and_objects_after_the_subject():
    # verb second: the body after the finite verb, named in no other role, answers
    assert responsible("Den Entwurf des Gesetzes legt das Wissenschaftsministerium der Regierung bis zum 15. April vor.",
                       "de") == ["Ministry of Science and Technology"]
    # a minister's title names the ministry
    assert responsible("Der Minister für Bildung und Ausbildung sagte, dass 20 Universitäten Studierende aufnehmen werden.",
                       "de") == ["Ministry of Education and Training"]
    # the object of "forderte ... auf" after the subject, and its partners
    text = ("Zu den Aufgaben forderte der Generalsekretär das Ministerium für Wissenschaft und Technologie auf, in "
            "Zusammenarbeit mit dem Finanzministerium und dem Justizministerium die Verordnung fertigzustellen.")
    assert roles(text, "de") == [("Ministry of Science and Technology", "assignee"), ("Ministry of Finance", "partner"),
                                 ("Ministry of Justice", "partner")]
    # the Government named in no role is not made the actor
    assert responsible("Den Entwurf erhält nach der Prüfung die Regierung im Herbst.", "de") == []


def test_police_forces_are_the_ministry_of_public_security():
    assert responsible("Lực lượng Công an tiếp tục đẩy mạnh kích hoạt tài khoản, phấn đấu đến ngày 30/6/2026 đạt 70 "
                       "triệu tài khoản mức 2.", "vi") == ["Ministry of Public Security"]


def test_a_level_or_a_code_in_the_source_is_no_figure_in_the_english():
    text = "Cả nước đã kích hoạt 66,3 triệu tài khoản định danh điện tử mức 2, ở mức 62% dân số trưởng thành."
    r = source.read(text, "vi", PUB)
    assert [f.value for f in r.figures] == [66.3e6, 62] and 2.0 in r.skipped
    d = _Draft("progress", figures=[Figure(value=66.3e6, unit="accounts", text="66.3 million", text_start=0, text_end=12),
                                    Figure(value=2, unit=None, text="2", text_start=20, text_end=21),
                                    Figure(value=62, unit="%", text="62%", text_start=30, text_end=33)])
    (d,) = source.refine([d], r, "x", [], lambda *a: None)
    assert [f.value for f in d.figures] == [66.3e6, 62]
    assert text[slice(*d.extra["figure_spans"][1])] == "62"        # the number (a scale word would be in it)
    # "tổng số 160 nhiệm vụ" is a count, "Kế hoạch số 02" a number of a plan; "612/745" a ratio
    r = source.read("Trong tổng số 160 nhiệm vụ tại Kế hoạch số 02-KH/BCĐTW, đã hoàn thành 98 nhiệm vụ, 612/745.", "vi", PUB)
    assert 160 in [f.value for f in r.figures] and 612 not in r.skipped and 160 not in r.skipped


def test_the_source_kind_wins_where_its_strong_cues_say_so():
    def one(text, lang, english_kind, pub=PUB):
        (d,) = source.refine([_Draft(english_kind)], source.read(text, lang, pub), "x", [], lambda *a: None)
        return d.kind

    assert one("Mới có 87% cơ sở khám bệnh, chữa bệnh kết nối với ứng dụng VNeID.", "vi", "commitment") == "progress"
    # a target named as passed, missed or compared is no commitment cue
    assert one("Đến hết năm 2025, mạng 5G đã phủ sóng 91% dân số, vượt mục tiêu đề ra.", "vi", "commitment") == "progress"
    assert one("Das 5G-Netz erreichte Ende 2025 rund 91 Prozent und übertraf damit das gesteckte Ziel.", "de",
               "commitment") == "progress"
    assert one("Ziel für das Gesamtjahr sind 30 Prozent.", "de", "progress") == "commitment"
    # no strong cue: the English kind stays
    assert one("Bộ Y tế hướng dẫn các bệnh viện kết nối 100% dữ liệu.", "vi", "commitment") == "commitment"


def test_a_plan_title_span_is_skipped_but_not_after_a_deadline_cue():
    text = "Nghị quyết số 57-NQ/TW giao 140 nhiệm vụ phải hoàn thành trong năm 2025."
    assert chosen(text, "vi", "commitment", pub="2025-03-12") == "2025-12-31"
    # a date the source reads as a plan's year is dropped from the English
    text = "Das Ministerium soll bis Mitte März einen Aktionsplan mit 132 Aufgaben für 2026 vorlegen."
    wrong = DateMention("for 2026", 0, 8, "2026-01-01", "2026-12-31", "period")
    (d,) = source.refine([_Draft("commitment", date=wrong)], source.read(text, "de", None), "x", [], lambda *a: None)
    assert d.date is None and d.warnings


def test_meeting_meta_sentences_and_memberships_are_never_statements():
    assert source.is_never("Yêu cầu trên được đưa ra tại phiên họp tháng 10/2025 của Tổ công tác do Bộ trưởng Bộ Công an "
                           "Lương Tam Quang chủ trì sáng 14/10.", "vi")
    assert source.is_never("Ủy ban gồm 29 thành viên là lãnh đạo các bộ, cơ quan ngang bộ.", "vi")
    assert source.is_never("Der Ausschuss besteht aus 29 Mitgliedern.", "de")
    # a body's name is no cue: "Ban Chỉ đạo" is the steering committee, not "to direct"
    assert source.find_kind("Thông tin được công bố tại phiên họp của Ban Chỉ đạo.", "vi") is None
    # a passive "tasks the Steering Committee assigned" is no request
    assert source.find_kind("Nhiều nhiệm vụ được Ban Chỉ đạo giao đã có kết quả cụ thể.", "vi") == "progress"


def test_numbers_of_dates_and_months_are_no_figures():
    r = source.read("Ngày 24-7, Thủ tướng ký Công điện số 104/CĐ-TTg về việc khắc phục ách tắc.", "vi", PUB)
    assert r.figures == [] and {24.0, 7.0, 104.0} <= set(r.skipped)
    # the English figures of a dated dispatch are dropped, and a result with no figure left is no record
    d = _Draft("progress", figures=[Figure(value=24, unit=None, text="24", text_start=5, text_end=7),
                                    Figure(value=7, unit=None, text="7", text_start=8, text_end=9)])
    assert source.refine([d], r, "x", [], lambda *a: None) == []
    r = source.read("Các bộ được gia hạn đến ngày 30/9, thay vì 30/6 như yêu cầu hồi tháng 2.", "vi", PUB)
    assert r.figures == [] and [x.role for x in r.dates] == ["until", "skip", "point"]


def test_designations_leads_and_changes_dated_to_come_are_commitments():
    text = ("Das Ministerium für Wissenschaft und Technologie ist die ständige Stelle des Lenkungsausschusses; das "
            "Regierungsbüro ist die ständige Stelle für die Reform der Verwaltungsverfahren.")
    r = source.read(text, "de", "2026-03-20")
    assert r.kind == "commitment" and [a.role for a in r.actors] == ["lead", "lead"] and source._is_statement(r)
    r = source.read("Bộ Khoa học và Công nghệ là cơ quan thường trực của Ban Chỉ đạo.", "vi", "2026-03-20")
    assert r.kind == "commitment" and [(a.name, a.role) for a in r.actors] == [("Ministry of Science and Technology", "lead")]
    assert roles("Das Finanzministerium leitet die Anleitung zum Mechanismus der Pauschalfinanzierung.", "de") == [
        ("Ministry of Finance", "lead")]
    # a change dated after the article is a plan; the same words dated before it are not
    assert source.read("Ab dem 1. Januar 2026 fällt die Pauschalsteuer weg.", "de", "2025-08-01").kind == "commitment"
    assert source.read("Ab dem 1. Januar 2025 fällt die Pauschalsteuer weg.", "de", "2025-08-01").kind is None
    # "das Gesamtjahr" is this year
    assert chosen("Ziel für das Gesamtjahr sind 30 Prozent.", "de", "commitment") == "2025-12-31"


def test_deadlines_counted_in_days_and_counts_of_months():
    # the day a decision takes effect (the article's day) is the first of the 15
    text = "Bộ Khoa học và Công nghệ trình Trưởng Ban ban hành Quy chế trong thời hạn 15 ngày kể từ ngày Quyết định có hiệu lực."
    assert chosen(text, "vi", "commitment", pub="2026-04-15") == "2026-04-29"
    assert chosen("Das Ministerium legt sie dem Leiter innerhalb von 30 Tagen vor.", "de", "commitment",
                  pub="2025-02-15") == "2025-03-16"
    # durations in days stay figures; a count of months does not
    assert [f.value for f in source.read("Thời gian giải quyết rút từ 10 ngày xuống còn 3 ngày.", "vi", PUB).figures] == [10, 3]
    r = source.read("Thu ngân sách 6 tháng ước đạt 1.332 nghìn tỷ đồng, bằng 67,7% dự toán.", "vi", PUB)
    assert [f.value for f in r.figures] == [1.332e15, 67.7] and 6.0 in r.skipped


def test_clauses_with_their_own_deadlines_are_one_record_each():
    made = []

    def new_draft(kind, a, b, n):
        made.append((kind, a, b, n))
        return _Draft(kind)

    text = ("Các bộ công bố danh mục dữ liệu mở, hoàn thành trước ngày 31/3/2025; phấn đấu 100% hồ sơ công việc "
            "được xử lý trên môi trường mạng trong năm 2025.")
    english = "Ministries publish open data lists, complete before March 31, 2025; strive for 100% of records online in 2025."
    out = source.refine([_Draft("commitment")], source.read(text, "vi", "2025-02-15"), english, [], new_draft)
    assert [d.date.end_date for d in out] == ["2025-03-31", "2025-12-31"]
    # each built from its own English clause; both keep the whole sentence as evidence (no narrowing)
    assert [(a, b) for _, a, b, _ in made] == [(0, english.index(";")), (english.index(";") + 1, len(english))]
    assert all("source_clause" not in d.extra for d in out)
    assert text[slice(*out[1].extra["date_span"])] == "trong năm 2025"


def test_a_school_year_and_the_year_around_an_as_of_date_are_no_dates_of_their_own():
    # a school year is no calendar period: the English "the period 2025-2026" is dropped
    text = "Từ năm học 2025-2026 sẽ có 20 trường đại học tuyển sinh ngành thiết kế vi mạch."
    wrong = DateMention("the period 2025-2026", 0, 20, "2025-01-01", "2026-12-31", "period")
    (d,) = source.refine([_Draft("commitment", date=wrong)], source.read(text, "vi", PUB), "x", [], lambda *a: None)
    assert d.date is None
    assert source.find_dates("ab dem Schuljahr 2025–2026 nehmen 20 Universitäten auf", "de", PUB)[0].role == "skip"
    # two English results cut at "Im Jahr 2025" and "bis Ende Juni": one result, as of the end of June
    made = []
    text = ("Im Jahr 2025 wurden 3 % der Ausgaben veranschlagt, etwa 75.000 Milliarden VND; bis Ende Juni wurden "
            "jedoch erst 18,4 % ausgezahlt.")
    out = source.refine([_Draft("progress"), _Draft("progress")], source.read(text, "de", "2025-07-17"), "x", [],
                        lambda kind, a, b, n: made.append(kind) or _Draft(kind))
    assert made == ["progress"] and [d.date.end_date for d in out] == ["2025-06-30"]


def test_a_lead_announcing_a_signed_document_is_no_statement_unless_it_asks_for_something():
    assert source.is_never("Thủ tướng vừa ký ban hành Chỉ thị số 17/CT-TTg ngày 10/6/2025 về đẩy mạnh giải quyết thủ tục "
                           "hành chính, bảo đảm thông suốt từ ngày 1/7/2025.", "vi")
    assert not source.is_never("Thủ tướng ký Công điện số 104/CĐ-TTg về việc khắc phục ách tắc, yêu cầu các bộ hoàn thành "
                               "trước ngày 30/7.", "vi")
    assert source.is_never("Der Premierminister unterzeichnete die Richtlinie Nr. 17/CT-TTg vom 10. Juni 2025 über die "
                           "Beschleunigung der Verfahren.", "de")


def test_compounds_and_negations_are_no_commitment_cues():
    # "giao dịch" is a transaction and "giao thông" traffic, not "giao" (assign); "không phải nộp" is
    # "need not submit" (a state after a reform), not an obligation. Worked out by hand.
    assert source.find_kind("Giao dịch thanh toán qua điện thoại di động tăng 38,6% về số lượng.", "vi") == "progress"
    assert source.find_kind("Giao thông đô thị đã giảm 12% ùn tắc.", "vi") == "progress"
    assert source.find_kind("Người dân đã không phải nộp bản sao giấy khai sinh khi thực hiện 73 thủ tục.", "vi") == "progress"
    # the cue itself still reads: "giao Bộ Công an chủ trì", "phải hoàn thành"
    assert source.find_kind("Thủ tướng giao Bộ Công an chủ trì triển khai.", "vi") == "commitment"
    assert source.find_kind("Các bộ phải hoàn thành trước ngày 30/6.", "vi") == "commitment"
