"""Publication dates of real outlets' pages: where each one comes from, and the dates that are not one.

Every expected value below was read off the test's own text by hand.
"""
import json
import logging

import pytest

from pipeline.ingest import iter_documents
from pipeline.ingest import metadata as M
from pipeline.ingest.chrome import clean_text_page

BODY = ("Thủ tướng Phạm Minh Chính yêu cầu các bộ, ngành hoàn thành cơ sở dữ liệu quốc gia về đất đai "
        "trong quý IV năm 2025, bảo đảm đúng, đủ, sạch, sống.")
BODY_EN = ("The Prime Minister asked ministries to complete the national land database in the fourth quarter "
           "and to cut 30% of administrative procedures.")
BODY_DE = ("Der Premierminister forderte die Ministerien auf, die nationale Bodendatenbank im vierten Quartal "
           "fertigzustellen und 30 % der Verwaltungsverfahren zu streichen.")


@pytest.fixture(autouse=True)
def run_day(monkeypatch):
    """The run's day is fixed, so "in the future" does not depend on when the tests run."""
    import datetime as dt

    monkeypatch.setattr(M, "today", lambda: dt.date(2026, 3, 1))


def page(*lines: str):
    return clean_text_page("\n\n".join(lines))


@pytest.mark.parametrize("line, iso", [
    ("Thứ Tư, 24/09/2025 - 17:30", "2025-09-24"),
    ("24/09/2025 17:30", "2025-09-24"),
    ("24.09.2025, 17:30 Uhr", "2025-09-24"),
    ("September 24, 2025 | 5:30 PM", "2025-09-24"),
    ("Wed, September 24, 2025, 5:30 PM GMT+7", "2025-09-24"),
    ("Mittwoch, 24. September 2025", "2025-09-24"),
    ("Thứ tư, 24/9/2025, 17:30 (GMT+7)", "2025-09-24"),
    ("Thứ Năm, 11-12-2025, 10:42", "2025-12-11"),
    ("Việt NamViệt Nam18/03/2025", "2025-03-18"),
    ("2025-09-24", "2025-09-24"),
    ("2025-09-24T17:30:00+07:00", "2025-09-24"),          # as written: no shift to UTC
    ("Ngày đăng: 2025-09-24", "2025-09-24"),
    ("Published: 2025-09-24", "2025-09-24"),
    ("Veröffentlicht am 24.09.2025", "2025-09-24"),
    ("Cập nhật: 24/09/2025 17:30", "2025-09-24"),
    ("Thời sự | Nguyễn Văn An - 24/09/2025 17:30", "2025-09-24"),   # section and author around it
])
def test_header_and_byline_formats_in_three_languages(line, iso):
    assert M.date_from_line(line) == iso


@pytest.mark.parametrize("line", [
    "Chiều 24/9, Thủ tướng chủ trì phiên họp thứ tư của Ban Chỉ đạo.",    # dateline: the meeting day, no year
    "On the afternoon of February 25, the Prime Minister chaired the meeting.",
    "Hoàn thành các nhiệm vụ chuyển đổi số quá hạn trước ngày 31/12/2025",  # a headline with a deadline
    "Tính đến ngày 31/10/2025, toàn tỉnh đã thu nhận 2,96 triệu hồ sơ cấp căn cước.",
    "Hotline 1900 5555 – 31/02/2025",                                    # no such day
    "2 giờ trước", "vor 2 Stunden", "Updated 3 hours ago",               # relative: never resolved by the clock
])
def test_lines_that_state_no_publication_date(line):
    assert M.date_from_line(line) is None


def test_iso_date_alone_at_the_very_start_with_or_without_a_label():
    for first in ("2025-09-24", "date: 2025-09-24", "Ngày đăng: 2025-09-24 17:30"):
        p = page(first, "Thủ tướng chủ trì phiên họp Ban Chỉ đạo", BODY, BODY)
        assert (p.published, p.published_from) == ("2025-09-24", "byline"), first
        assert p.title == "Thủ tướng chủ trì phiên họp Ban Chỉ đạo"
        assert "2025-09-24" not in " ".join(p.paragraphs)


def test_multi_timestamp_header_takes_the_articles_own_date_not_the_sidebars():
    # the header shows two sidebar stories' times first; the article's own date comes last
    p = page("Thủ tướng chủ trì phiên họp Ban Chỉ đạo",
             "Bộ trưởng làm việc với tỉnh 23/09/2025 10:00 | Hội nghị trực tuyến 23/09/2025 15:00 | Thứ Tư, 24/09/2025 17:30",
             BODY, BODY)
    assert p.published == "2025-09-24"
    assert not any("23/09/2025" in x for x in p.paragraphs)  # the header line is chrome


def test_labels_decide_between_publication_and_update():
    p = page("Title of the report", "Veröffentlicht: 24.09.2025, 17:30 Uhr | Aktualisiert: 25.09.2025, 08:00 Uhr",
             BODY_DE, BODY_DE)
    assert p.published == "2025-09-24"
    p = page("Title of the report", "24/09/2025 17:30 | Cập nhật 25/09/2025 08:00", BODY, BODY)
    assert p.published == "2025-09-24"           # an unlabelled date beats an update
    p = page("Title of the report", BODY, "Cập nhật: 25/09/2025 08:00", BODY)
    assert p.published == "2025-09-25"           # the only timestamp on the page


def test_byline_after_the_lead_paragraph_counts_a_signature_below_does_not():
    # vnexpress.net puts the lead (sapo) before the byline
    p = page("PM orders ministries to finish national databases by year-end", BODY_EN,
             "October 2, 2025 | 09:15 pm GMT+7", BODY_EN, BODY_EN)
    assert p.published == "2025-10-02"
    # a notice's place-and-date signature further down is the notice's date, not the article's
    p = page("Thông báo kết luận của Thủ tướng", BODY, BODY, BODY, "Hà Nội, ngày 19 tháng 11 năm 2025")
    assert (p.published, p.published_from) == (None, None)


def test_a_timestamp_with_a_longer_desk_name_and_one_at_the_foot():
    assert M.date_from_line("Thứ Tư, 24/09/2025 - 17:30 | Nhóm phóng viên Chính trị - Xã hội") == "2025-09-24"
    # no date in the header; one timestamp (date and time) at the article's foot is its date
    p = page("Thủ tướng chủ trì phiên họp", BODY, BODY, BODY, "Ngọc Anh | 24/09/2025 17:30")
    assert (p.published, p.published_from) == ("2025-09-24", "byline")
    # two different ones down there are a related-stories list: none taken
    p = page("Thủ tướng chủ trì phiên họp", BODY, BODY, BODY, "Tin A 23/09/2025 10:00", "Tin B 22/09/2025 08:00")
    assert p.published is None and "conflicting" in p.published_note


def test_dateline_only_gives_no_publication_date():
    p = page("Thủ tướng chủ trì phiên họp thứ tư của Ban Chỉ đạo",
             "Chiều 24/9, tại trụ sở Chính phủ, Thủ tướng Phạm Minh Chính chủ trì phiên họp thứ tư của Ban Chỉ đạo.",
             BODY)
    assert (p.published, p.published_note) == (None, None)
    p = page("PM chairs the steering committee's first meeting",
             "On the afternoon of February 25, Prime Minister Pham Minh Chinh chaired the first meeting.", BODY_EN)
    assert p.published is None


def test_bad_byline_dates_give_null_and_a_reason():
    # two conflicting byline dates
    p = page("Title of the report", "24/09/2025 17:30", "Thời sự", "25/09/2025 08:00", BODY, BODY)
    assert p.published is None and "conflicting" in p.published_note and "2025-09-24, 2025-09-25" in p.published_note
    # a byline date that is no calendar date
    p = page("Title of the report", "Thứ Tư, 31/02/2025 - 17:30", BODY, BODY)
    assert p.published is None and "31/02/2025" in p.published_note
    # a date after the run's day (2026-03-01 here)
    p = page("Title of the report", "Published: 2026-09-24", BODY_EN, BODY_EN)
    assert p.published is None and "after the run's day" in p.published_note


def test_published_from_each_source_and_the_run_log(tmp_path, caplog):
    html = f"""<!doctype html><html><head><title>t</title>
      <script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "2025-09-24T17:30:00+07:00"}}</script>
      </head><body><article><h1>Headline</h1><p>{BODY_EN}</p><p>{BODY_EN}</p></article></body></html>"""
    (tmp_path / "a_meta.html").write_text(html, encoding="utf-8")
    time_html = f"""<!doctype html><html><body><article><h1>Headline</h1>
      <time datetime="2025-09-23">23 September</time><p>{BODY_EN}</p><p>{BODY_EN}</p></article></body></html>"""
    (tmp_path / "b_time.html").write_text(time_html, encoding="utf-8")
    (tmp_path / "c_byline.txt").write_text("Headline here\n\n24.09.2025, 17:30 Uhr\n\n" + BODY_DE + "\n\n" + BODY_DE,
                                           encoding="utf-8")
    (tmp_path / "d_url.txt").write_text("Headline here\n\n" + BODY_EN + "\n\n" + BODY_EN
                                        + "\n\nSource: https://example.org/news/2025/09/22/story.html", encoding="utf-8")
    lines = [json.dumps({"id": "e_input", "text": BODY_EN * 2, "published": "2025-09-21"}),
             json.dumps({"id": "f_future", "text": "Headline here\n\n2025-09-20\n\n" + BODY_EN * 2,
                         "published": "2027-01-01"}),
             json.dumps({"id": "g_none", "text": BODY_EN * 2})]
    (tmp_path / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        docs = {d.doc_id: d for d in iter_documents(tmp_path)}
    got = {k: (d.published, d.published_from) for k, d in docs.items()}
    assert got == {"a_meta": ("2025-09-24", "html-meta"), "b_time": ("2025-09-23", "html-meta"),
                   "c_byline": ("2025-09-24", "byline"), "d_url": ("2025-09-22", "url"),
                   "e_input": ("2025-09-21", "input"), "f_future": ("2025-09-20", "byline"),
                   "g_none": (None, None)}
    # the refused input date is reported, and the byline below it is taken instead
    assert "2027-01-01" in docs["f_future"].published_note
    assert any("lines.jsonl#2" in r.getMessage() and "2027-01-01" in r.getMessage() for r in caplog.records)


def test_year_below_the_first_plausible_one_is_refused():
    assert M.normalise_date("0001-01-01")[0] is None
    assert M.normalise_date("25-09-24")[0] is None
    assert M.normalise_date("2025-09-24T17:30:00Z") == ("2025-09-24", None)
    assert M.date_from_url("https://x.vn/tin-100250924200320365.htm") == "2025-09-24"   # VCCorp yymmdd
    assert M.date_from_url("https://x.vn/2027/01/05/story") is None                     # after the run's day
