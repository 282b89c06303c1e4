"""Meeting identity (committee + event kind + number within its scope + date) and what counts as a copy,
on hand-written reports in the shapes real outlets use. Every expectation was worked out by hand from
the texts below, never read off the program's output.
"""
from __future__ import annotations

import hashlib

import pytest

from pipeline.dedup import cluster, summarize
from pipeline.dedup import features as F
from pipeline.records import Document
from pipeline.segment import split_sentences
from pipeline.translate import translate_document

GSC_VI = "Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06"
GSC_EN = "Government Steering Committee on science, technology, innovation, digital transformation and Project 06"


def summary(doc_id, lang, text, published=None, title=None, url=None):
    doc = Document(doc_id=doc_id, path=f"{doc_id}.txt", status="ok", lang=lang, published=published, url=url,
                   title=title, text=text, content_hash=hashlib.sha256(text.encode()).hexdigest())
    return summarize(doc, translate_document(doc, split_sentences(text, lang)))


def groups(assignments) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for doc_id, (cid, _) in assignments.items():
        by.setdefault(cid, set()).add(doc_id)
    return {frozenset(v) for v in by.values()}


# ------------------------------------------------------------------ numbers and their scope
@pytest.mark.parametrize("lang, title, lead, expected", [
    ("en", None, ["He chaired the first meeting of 2026 of the Steering Committee."], (1, "2026")),
    ("en", None, ["He chaired the first meeting in 2026 of the Central Steering Committee."], (1, "2026")),
    ("en", None, ["He chaired the first 2026 meeting of the Steering Committee."], (1, "2026")),
    ("en", None, ["He chaired the first meeting of the Steering Committee."], (1, "committee")),
    ("vi", "Ban Chỉ đạo Trung ương họp phiên thứ nhất năm 2026", [], (1, "2026")),
    ("vi", None, ["Thủ tướng chủ trì Phiên họp thứ nhất của Ban Chỉ đạo."], (1, "committee")),
    ("de", None, ["Er leitete die erste Sitzung des Lenkungsausschusses im Jahr 2026."], (1, "2026")),
    ("de", "Generalsekretär leitet die zweite Sitzung 2025 des Zentralen Lenkungsausschusses", [], (2, "2025")),
    ("de", None, ["Er leitete die erste Sitzung des Ausschusses für Wissenschaft, Technologie und Innovation in "
                  "diesem Jahr."], (1, "year")),   # "this year" of an undated report: a year nobody can name
])
def test_meeting_numbers_carry_their_scope(lang, title, lead, expected):
    assert F.meeting_number(title, lead, None, lang) == expected


def test_this_year_is_the_publication_year():
    lead = ["The committee held its first meeting this year on Friday."]
    assert F.meeting_number(None, lead, None, "en", "2026-02-27") == (1, "2026")


def test_first_meeting_of_2026_is_not_the_first_meeting_of_2025():
    first_2025 = summary("a25", "vi", f"Chiều 15/3, Thủ tướng Phạm Minh Chính chủ trì Phiên họp thứ nhất của {GSC_VI}. "
                         "Phiên họp đã đánh giá kết quả thực hiện Nghị quyết 57 và giao 120 nhiệm vụ.",
                         "2025-03-15", "Thủ tướng chủ trì Phiên họp thứ nhất của Ban Chỉ đạo")
    first_2026 = summary("b26", "vi", f"Chiều 10/2, Thủ tướng Phạm Minh Chính chủ trì phiên họp thứ nhất năm 2026 của "
                         f"{GSC_VI}. Phiên họp đã đánh giá kết quả năm 2025 và giao 132 nhiệm vụ năm 2026.",
                         "2026-02-10", "Ban Chỉ đạo họp phiên thứ nhất năm 2026")
    # an English report of the 2026 meeting without a publication date: its "February 10" takes the
    # year its number names
    undated = summary("c26", "en", f"On the afternoon of February 10, Prime Minister Pham Minh Chinh chaired the first "
                      f"meeting in 2026 of the {GSC_EN}. The meeting assigned 132 tasks for 2026.")
    assert (first_2025.number, first_2025.number_scope, first_2025.meeting_date) == (1, "committee", "2025-03-15")
    assert (first_2026.number, first_2026.number_scope, first_2026.meeting_date) == (1, "2026", "2026-02-10")
    assert (undated.number, undated.number_scope, undated.meeting_date) == (1, "2026", "2026-02-10")
    assignments, clusters = cluster([first_2025, first_2026, undated])
    assert groups(assignments) == {frozenset({"a25"}), frozenset({"b26", "c26"})}
    labels = sorted(c.label for c in clusters)
    assert labels[0].startswith("1st meeting of 2026, Government Steering Committee on science")
    assert labels[1].startswith("1st meeting, Government Steering Committee on science")


def test_an_undated_same_number_alone_never_joins():
    # two reports of "the first meeting" of one committee, one undated, sharing no passage: the same
    # ordinal may be any year's first meeting (with a shared passage it would join: seed 002)
    dated = summary("d1", "en", f"On March 15, Prime Minister Pham Minh Chinh chaired the first meeting of the {GSC_EN}. "
                    "Ministries reported that 56.7 million electronic identity accounts had been activated.",
                    "2025-03-15")
    other = summary("d2", "en", f"Delegates at the Hai Phong bridge point followed the first meeting of the {GSC_EN}. "
                    "The city proposed to publish 420 online public services and to train 9,000 officials.")
    assert other.published is None and other.meeting_date is None
    assignments, _ = cluster([dated, other])
    assert assignments["d1"][0] != assignments["d2"][0]


# ------------------------------------------------------------------ year of a day and month
def test_a_day_month_takes_its_year_from_publication_then_scope_then_the_text():
    lead = ["Chiều 24/9, Thủ tướng chủ trì phiên họp."]
    assert F.meeting_date(lead, "vi", F.YearHints(published="2025-09-25")) == "2025-09-24"
    assert F.meeting_date(lead, "vi", F.YearHints(scope_year=2026)) == "2026-09-24"
    # the full date closest to 24 September among the text's: 30/9/2025 (6 days) over 31/12/2024
    assert F.meeting_date(lead, "vi", F.YearHints(text_dates=("2024-12-31", "2025-09-30"))) == "2025-09-24"
    # a December meeting in a text whose dates are January ones: the closest year is the earlier one
    assert F.meeting_date(["Chiều 28/12, Thủ tướng chủ trì phiên họp."], "vi",
                          F.YearHints(text_dates=("2026-01-15",))) == "2025-12-28"
    assert F.meeting_date(lead, "vi", F.YearHints()) is None        # no year anywhere: unknown


def test_a_weekday_dates_the_meeting_from_the_publication_day():
    # 2026-04-10 is a Friday: "on Thursday" is 2026-04-09
    lead = ["The working group on Project 06 said at its first-quarter review on Thursday that 48.7 million plots were clean."]
    assert F.meeting_date(lead, "en", "2026-04-10") == "2026-04-09"
    assert F.meeting_date(["Die Arbeitsgruppe hat am Dienstag in Hanoi ihre Oktobersitzung abgehalten."], "de",
                          "2025-10-15") == "2025-10-14"
    assert F.meeting_date(lead, "en", None) is None


# ------------------------------------------------------------------ committees with overlapping names
@pytest.mark.parametrize("lang, title, lead, expected", [
    # the chair's other titles name other bodies; the one that holds the meeting is the report's
    ("vi", None, ["Thủ tướng Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số, Trưởng Ban Chỉ đạo của Chính phủ "
                  "về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06, chủ trì phiên họp thứ "
                  "nhất của Ủy ban Quốc gia về chuyển đổi số."], "national-committee-dt"),
    ("en", None, ["General Secretary To Lam, Head of the Central Steering Committee on science, technology development, "
                  "innovation and digital transformation, chaired the committee's second meeting of 2025."], "central-sc-sti"),
    ("en", None, ["Prime Minister Pham Minh Chinh, Head of the Government Steering Committee on science, technology, "
                  "innovation, digital transformation and Project 06, chaired the meeting of the Steering Committee."],
     "gov-sc-sti"),
    ("de", None, ["Die Arbeitsgruppe der Regierung für die Umsetzung des Projekts 06 hat am Dienstag getagt."],
     "project-06-working-group"),
    ("vi", "Tổ công tác triển khai Đề án 06 của Chính phủ họp phiên tháng 10", [], "project-06-working-group"),
    # a bare "Ban Chỉ đạo Trung ương" is the central one on science and technology (its family's default)
    ("vi", "Ban Chỉ đạo Trung ương họp phiên thứ nhất năm 2026", [], "central-sc-sti"),
    ("vi", None, ["Thủ tướng chủ trì phiên họp thứ nhất năm 2026 của Ban Chỉ đạo cải cách hành chính của Chính phủ."],
     "gov-sc-admin-reform"),
    # background: another committee "held" a meeting earlier; the report's own comes first
    ("en", None, ["Prime Minister Pham Minh Chinh chaired the first 2026 meeting of the Government Steering Committee "
                  "for Public Administration Reform on March 5.",
                  "The Party's Central Steering Committee on science, technology and digital transformation held its "
                  "first session on February 27."], "gov-sc-admin-reform"),
    ("en", None, ["Officials discussed digital transformation in Hanoi."], None),
])
def test_the_committee_that_holds_the_event(lang, title, lead, expected):
    assert F.committee(title, lead, lang) == expected


def test_different_committees_on_one_day_stay_apart():
    text = ("On the afternoon of July 16, {head} chaired the second meeting of 2025 of the {body}. The meeting reviewed "
            "the results of the first six months: 231 of 562 tasks completed, 41 overdue. Leaders asked ministries to "
            "finish the national databases by December 31, 2025.")
    gov = summary("g", "en", text.format(head="Prime Minister Pham Minh Chinh", body=GSC_EN), "2025-07-16")
    central = summary("c", "en", text.format(
        head="General Secretary To Lam",
        body="Central Steering Committee on science, technology development, innovation and digital transformation"),
        "2025-07-16")
    assert (gov.committee, central.committee) == ("gov-sc-sti", "central-sc-sti")
    assignments, _ = cluster([gov, central])
    assert assignments["g"][0] != assignments["c"][0]


# ------------------------------------------------------------------ event kinds; a notice joins its meeting
# the meeting report's lead names a background document (the decision that set the committee up): that
# does not keep the notice, which names its own, apart
MEETING_VI = (f"Chiều 24/7, tại trụ sở Chính phủ, Thủ tướng Phạm Minh Chính chủ trì Phiên họp thứ ba của {GSC_VI}. "
              "Ban Chỉ đạo được thành lập theo Quyết định số 598/QĐ-TTg ngày 13/3/2025. "
              "Tính đến ngày 20/7/2025, các bộ, ngành đã hoàn thành 231/562 nhiệm vụ, đạt 41,1%. "
              "Thủ tướng yêu cầu đưa Trung tâm dữ liệu quốc gia vào vận hành trước ngày 19/8/2025.")


@pytest.mark.parametrize("title, lead, expected", [
    ("Thông báo kết luận của Thủ tướng tại Phiên họp thứ ba Ban Chỉ đạo", [], "notice"),
    ("Kết luận của Thủ tướng tại Phiên họp thứ ba Ban Chỉ đạo", [], "notice"),
    ("Kiện toàn Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ", [], "decision"),
    ("Thủ tướng ra công điện: Khắc phục tình trạng nghẽn hồ sơ ở cấp xã", [], "directive"),
    ("Sơ kết quý I/2026 triển khai Đề án 06", [], "conference"),
    ("Phát động phong trào Bình dân học vụ số", [], "campaign"),
    ("Bộ Tài chính họp báo thông tin về hóa đơn điện tử", [], "briefing"),
    (None, ["Chiều 24/7, Thủ tướng chủ trì Phiên họp thứ ba của Ban Chỉ đạo."], "meeting"),
    # "Kết luận phiên họp, Thủ tướng …" (concluding the meeting) is a meeting report, not a notice
    (None, ["Kết luận phiên họp, Thủ tướng yêu cầu các bộ hoàn thành cơ sở dữ liệu."], "meeting"),
])
def test_event_kinds_vi(title, lead, expected):
    assert F.event_kind(title, lead, "vi") == expected


@pytest.mark.parametrize("lang, title, expected", [
    ("en", "Government Office announces PM's conclusions at third meeting of steering committee", "notice"),
    ("en", "PM signs decision to reshuffle the national committee on digital transformation", "decision"),
    ("en", "PM issues official dispatch on commune-level paperwork jams", "directive"),
    ("en", "PM chairs the steering committee's fourth meeting", "meeting"),
    ("de", "Umbildung des Lenkungsausschusses der Regierung für Wissenschaft", "decision"),
    ("de", "Premierminister leitet erste Sitzung des neuen Lenkungsausschusses", "meeting"),
])
def test_event_kinds_en_de(lang, title, expected):
    assert F.event_kind(title, [], lang) == expected


def test_a_conclusion_notice_joins_the_meeting_it_names_and_no_other():
    meeting = summary("m3", "vi", MEETING_VI, "2025-07-24", "Thủ tướng: Tập trung hoàn thành các cơ sở dữ liệu quốc gia")
    by_number = summary("n_number", "vi", f"Văn phòng Chính phủ vừa ban hành Thông báo số 402/TB-VPCP kết luận của Thủ "
                        f"tướng tại Phiên họp thứ ba của {GSC_VI}. Thông báo yêu cầu các bộ hoàn thành cơ sở dữ liệu "
                        "quốc gia về đất đai trước ngày 31/12/2025.", "2025-08-05",
                        "Thông báo kết luận của Thủ tướng tại Phiên họp thứ ba Ban Chỉ đạo")
    by_date = summary("n_date", "vi", f"Văn phòng Chính phủ vừa ban hành Thông báo số 402/TB-VPCP kết luận của Thủ tướng "
                      f"tại phiên họp của {GSC_VI} (ngày 24/7/2025). Thông báo yêu cầu hoàn thành Trung tâm dữ liệu "
                      "quốc gia.", "2025-08-06", "Thông báo kết luận của Thủ tướng")
    other = summary("n_other", "vi", f"Văn phòng Chính phủ vừa ban hành Thông báo số 380/TB-VPCP kết luận của Thủ tướng "
                    f"tại Phiên họp thứ hai của {GSC_VI}. Thông báo yêu cầu các bộ cắt giảm 30% chi phí tuân thủ.",
                    "2025-08-01", "Thông báo kết luận của Thủ tướng tại Phiên họp thứ hai Ban Chỉ đạo")
    vague = summary("n_vague", "vi", f"Văn phòng Chính phủ vừa ban hành Thông báo số 410/TB-VPCP kết luận của Thủ tướng "
                    f"về công tác của {GSC_VI}. Thông báo yêu cầu các bộ báo cáo định kỳ.", "2025-08-07",
                    "Thông báo kết luận của Thủ tướng")
    assert [s.event_kind for s in (meeting, by_number, by_date, other, vague)] == ["meeting"] + ["notice"] * 4
    assert by_date.meeting_date == "2025-07-24"
    assignments, clusters = cluster([meeting, by_number, by_date, other, vague])
    assert groups(assignments) == {frozenset({"m3", "n_number", "n_date"}), frozenset({"n_other"}),
                                   frozenset({"n_vague"})}
    third = next(c for c in clusters if "m3" in c.doc_ids)
    assert (third.event_kind, third.canonical_doc_id, third.number) == ("meeting", "m3", 3)


def test_a_decision_and_a_meeting_of_one_committee_on_one_day_stay_apart():
    meeting = summary("meet", "vi", MEETING_VI, "2025-07-24")
    decision = summary("dec", "vi", f"Thủ tướng Chính phủ vừa ký Quyết định số 812/QĐ-TTg về việc kiện toàn {GSC_VI}. "
                       "Theo Quyết định, Ban Chỉ đạo có 25 thành viên.", "2025-07-24",
                       "Kiện toàn Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ")
    assert (meeting.event_kind, decision.event_kind) == ("meeting", "decision")
    assignments, _ = cluster([meeting, decision])
    assert assignments["meet"][0] != assignments["dec"][0]


def test_reports_of_one_dispatch_join_on_its_code():
    vi = summary("cd_vi", "vi", "Thủ tướng Chính phủ Phạm Minh Chính vừa ký Công điện số 104/CĐ-TTg về khắc phục tình trạng "
                 "ùn tắc hồ sơ ở cấp xã. Công điện yêu cầu các địa phương giải quyết dứt điểm hồ sơ tồn đọng.",
                 "2025-07-24", "Thủ tướng ra công điện: Khắc phục ngay tình trạng nghẽn hồ sơ ở cấp xã")
    en = summary("cd_en", "en", "Prime Minister Pham Minh Chinh has signed Official Dispatch No. 104/CD-TTg ordering "
                 "localities to clear backlogs of dossiers at commune level. Chairpersons of provincial people's "
                 "committees must report weekly.", "2025-07-25", "PM orders end to commune-level paperwork jams")
    assert (vi.event_kind, en.event_kind, vi.lead_codes, en.lead_codes) == ("directive", "directive", ["104CDTTG"],
                                                                            ["104CDTTG"])
    assignments, clusters = cluster([vi, en])
    assert groups(assignments) == {frozenset({"cd_vi", "cd_en"})}
    assert clusters[0].event_kind == "directive" and clusters[0].duplicates == []


# ------------------------------------------------------------------ copies and rewrites
LEAD = [f"Chiều 27/5, tại trụ sở Chính phủ, Thủ tướng Phạm Minh Chính chủ trì Phiên họp thứ hai của {GSC_VI}.",
        "Phiên họp được kết nối trực tuyến với 63 tỉnh, thành phố trực thuộc Trung ương."]
REWRITE_A = LEAD + [
    "Theo báo cáo, tính đến ngày 20/5/2025 đã có 96/265 nhiệm vụ năm 2025 được hoàn thành.",
    "Thủ tướng yêu cầu Bộ Công an đưa Trung tâm dữ liệu quốc gia vào vận hành trước ngày 19/8/2025.",
    "Bộ Nông nghiệp và Môi trường phải hoàn thành cơ sở dữ liệu đất đai trong quý IV.",
    "Thủ tướng nhấn mạnh tinh thần quyết liệt, làm đến nơi đến chốn.",
]
REWRITE_B = LEAD + [
    "Phát biểu kết luận, người đứng đầu Chính phủ đánh giá cao sự vào cuộc của các địa phương trong thời gian qua.",
    "Văn phòng Chính phủ được giao cắt giảm ít nhất 30% chi phí tuân thủ thủ tục hành chính trong năm nay.",
    "Các bộ, ngành cần rà soát, đơn giản hóa quy định kinh doanh, báo cáo trước ngày 30/6/2025.",
    "Nhiều đại biểu đề xuất sớm ban hành cơ chế thử nghiệm có kiểm soát đối với công nghệ mới.",
]


def test_rewrites_of_one_press_release_are_separate_reports_of_one_meeting():
    # two outlets take the government's lead paragraph verbatim, then write their own reports
    a = summary("vnp", "vi", "\n\n".join(REWRITE_A), "2025-05-27", url="https://www.vietnamplus.vn/a.vnp")
    b = summary("dtr", "vi", "\n\n".join(REWRITE_B), "2025-05-28", url="https://dantri.com.vn/b.htm")
    assignments, clusters = cluster([a, b])
    assert groups(assignments) == {frozenset({"vnp", "dtr"})}
    assert clusters[0].duplicates == []
    # a re-post of the first with a new headline is a copy
    repost = summary("mirror", "vi", "\n\n".join(REWRITE_A), "2025-05-28", "Tiêu đề khác")
    assignments, clusters = cluster([a, b, repost])
    assert clusters[0].copies() == {"mirror": "vnp"}


EN_REPORT = [
    f"On the afternoon of May 27, Prime Minister Pham Minh Chinh chaired the second meeting of the {GSC_EN}.",
    "The meeting was connected online with 63 provinces and cities.",
    "According to the report, 96 of 265 tasks for 2025 had been completed by May 20.",
    "The Prime Minister asked the Ministry of Public Security to put the National Data Center into operation before August 19.",
    "The Prime Minister asked ministries to cut 30 percent of the time for administrative procedures this year.",
    "He stressed that ministries must finish the work on time.",
]
DE_TRANSLATION = [
    "Am Nachmittag des 27. Mai leitete Premierminister Pham Minh Chinh die zweite Sitzung des Lenkungsausschusses der "
    "Regierung für Wissenschaft, Technologie, Innovation, digitale Transformation und Projekt 06.",
    "Die Sitzung war online mit 63 Provinzen und Städten verbunden.",
    "Laut dem Bericht waren bis zum 20. Mai 96 von 265 Aufgaben für 2025 abgeschlossen.",
    "Der Premierminister forderte das Ministerium für öffentliche Sicherheit auf, das Nationale Datenzentrum vor dem "
    "19. August in Betrieb zu nehmen.",
    "Der Premierminister forderte die Ministerien auf, in diesem Jahr {pct} Prozent der Zeit für Verwaltungsverfahren "
    "zu kürzen.",
    "Er betonte, dass die Ministerien die Arbeit rechtzeitig abschließen müssen.",
]


def test_a_translation_is_a_copy_unless_its_figures_differ():
    en = summary("en1", "en", " ".join(EN_REPORT), "2025-05-27")
    same = summary("de1", "de", " ".join(DE_TRANSLATION).format(pct=30), "2025-05-28")
    other = summary("de2", "de", " ".join(DE_TRANSLATION).format(pct=25), "2025-05-28")
    assignments, clusters = cluster([en, same])
    assert clusters[0].copies() == {"de1": "en1"}
    # another outlet's German report giving 25% where the English one gives 30%: its own report, same meeting
    assignments, clusters = cluster([en, other])
    assert groups(assignments) == {frozenset({"en1", "de2"})}
    assert clusters[0].duplicates == []


def test_fifty_near_copies_of_one_url_are_one_article_and_one_meeting():
    # issue 19 item 10: copies of one article at one URL, each with one word changed (the meeting's own
    # facts included), must all be marked copies of one and sit in one cluster
    words = " ".join(EN_REPORT + [
        "Ministries and localities were asked to review their databases and report every month.",
        "The Ministry of Finance will complete the national database on enterprises in the third quarter.",
        "Delegates proposed a controlled sandbox for new technologies in public administration.",
    ]).split()
    docs = []
    for k in range(50):
        changed = list(words)
        pos = (k * 7) % len(changed)
        changed[pos] = "changed" if k else changed[pos]
        docs.append(summary(f"copy{k:02d}", "en", " ".join(changed), "2025-05-27",
                            url="https://example.vn/second-meeting.html"))
    assignments, clusters = cluster(docs)
    assert len(clusters) == 1
    dups = clusters[0].copies()
    assert set(dups) == {f"copy{k:02d}" for k in range(1, 50)}
    assert set(dups.values()) == {"copy00"}
