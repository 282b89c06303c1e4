"""Dedup and meeting clustering: features, each signal alone, hard negatives, determinism, seeds.

The small corpus below is written for these tests: two meetings of one steering committee (the
2nd on 2025-05-20 and the 3rd on 2025-07-20, same slogans and topics), a National Assembly
session and a transport-projects meeting on the same day as the 2nd, a German translation with a
different paragraph split, a re-post with a new headline, an undated report, and a conclusion
notice three weeks later.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import random

import numpy as np
import pytest

from pipeline.cache import key_of
from pipeline.config import COPY_LONGER, COPY_SHORTER
from pipeline.dedup import DocSummary, cluster, summarize
from pipeline.dedup import features as F
from pipeline.dedup.cluster import Corpus
from pipeline.dedup.summary import EMBED_DIM, quantize
from pipeline.records import Document, Sentence
from pipeline.segment import split_sentences
from pipeline.translate import translate_document


def make_doc(doc_id: str, lang: str, text: str, published: str | None = None, title: str | None = None,
             url: str | None = None) -> tuple[Document, list[Sentence]]:
    outlet = url.split("/")[2] if url else None
    doc = Document(doc_id=doc_id, path=f"{doc_id}.txt", status="ok", lang=lang, published=published, url=url,
                   outlet=outlet, title=title, text=text,
                   content_hash=hashlib.sha256(text.encode()).hexdigest())
    # the pipeline's own English (the offline translator for de/vi): copies are compared through it
    return doc, translate_document(doc, split_sentences(text, lang))


SC = "Government Steering Committee on science, technology, innovation, digital transformation and Project 06"

A1 = f"""On the morning of May 20, Prime Minister Pham Minh Chinh, Head of the {SC}, chaired the second meeting of the Steering Committee in Hanoi.

The meeting was connected online to 63 provinces and centrally-run cities. According to the report of the Ministry of Science and Technology, 412 of the 679 assigned tasks had been completed as of May 15, 2025.

The Ministry of Public Security reported that 1,027 administrative procedures related to population management had been cut, reaching 95 %. The National Public Service Portal now provides 4,788 online public services.

Concluding the meeting, the Prime Minister said that science, technology, innovation and digital transformation are a strategic choice and a top priority. He asked ministries and localities to complete the national land database by June 30, 2025. The Ministry of Home Affairs must finish the assessment tool for administrative reform in the third quarter.

The spirit is that the apparatus must be streamlined, data must be connected and governance must be smart, the Prime Minister stressed."""

# German translation of A1: paragraphs 1-2 merged, paragraph 4 split in two; another site and URL.
A2 = """Am Vormittag des 20. Mai leitete Premierminister Pham Minh Chinh, Leiter des Lenkungsausschusses der Regierung für Wissenschaft, Technologie, Innovation, digitale Transformation und Projekt 06, die zweite Sitzung des Lenkungsausschusses in Hanoi. Die Sitzung war online mit 63 Provinzen und zentral verwalteten Städten verbunden. Laut dem Bericht des Ministeriums für Wissenschaft und Technologie waren bis zum 15. Mai 2025 412 der 679 zugewiesenen Aufgaben erledigt.

Das Ministerium für öffentliche Sicherheit berichtete, dass 1.027 Verwaltungsverfahren im Zusammenhang mit der Bevölkerungsverwaltung gestrichen wurden, was 95 % entspricht. Das Nationale Portal für öffentliche Dienste bietet inzwischen 4.788 Online-Behördendienste an.

Zum Abschluss der Sitzung sagte der Premierminister, Wissenschaft, Technologie, Innovation und digitale Transformation seien eine strategische Entscheidung und oberste Priorität.

Er forderte die Ministerien und Kommunen auf, die nationale Grundbuchdatenbank bis zum 30. Juni 2025 fertigzustellen. Das Innenministerium muss das Bewertungsinstrument für die Verwaltungsreform im dritten Quartal fertigstellen.

Der Geist sei, dass der Apparat schlank, die Daten vernetzt und die Regierungsführung intelligent sein müssen, betonte der Premierminister."""

# Undated report of the same meeting from another province: its own opening, then three sentences of
# the government's press release (as A1 has them). No date, no meeting number, no body in its lead.
A4 = """Delegates at the Hai Phong bridge point followed the session from the city's administrative centre.

Vice Chairman of the City People's Committee Le Anh Quan reported that Hai Phong had digitised 82% of its land records and connected 14 district databases.

The city proposed that the central government soon issue guidelines for using artificial intelligence in public administration.

Concluding the meeting, the Prime Minister said that science, technology, innovation and digital transformation are a strategic choice and a top priority. He asked ministries and localities to complete the national land database by June 30, 2025. The spirit is that the apparatus must be streamlined, data must be connected and governance must be smart, the Prime Minister stressed.

Hai Phong will review its own databases and report to the city leadership before the end of the month."""

# Conclusion notice three weeks later: same meeting number and body, different text, no meeting date.
E1 = f"""The Government Office has issued Notice No. 212/TB-VPCP concluding the second meeting of the {SC}.

According to the notice, ministries must send their data standards to the Ministry of Public Security before July 15, 2025.

Provinces are asked to report every month on the digitisation of civil status records and to propose budget needs for 2026."""

# The next meeting of the same committee: same slogans and topics, different number, date, figures.
B1 = f"""On the afternoon of July 20, Prime Minister Pham Minh Chinh chaired the third meeting of the {SC}.

By July 15, 2025, ministries and localities had completed 530 of the 679 assigned tasks, while 37 tasks were behind schedule.

The two-tier local government model has operated smoothly since July 1, with 2.1 million online applications received.

Concluding the meeting, the Prime Minister asked the Ministry of Finance to finish the national database on enterprises by August 31, 2025.

The spirit is that the apparatus must be streamlined, data must be connected and governance must be smart, the Prime Minister stressed."""

# A Vietnamese report of the third meeting (not a translation of B1: it shares the lead and the slogan
# only), with the old-style tone mark "hòa".
B2 = """Chiều 20/7, Thủ tướng Phạm Minh Chính, Trưởng Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06, chủ trì Phiên họp thứ ba của Ban Chỉ đạo.

Phát biểu tại phiên họp, Bộ trưởng Bộ Khoa học và Công nghệ cho biết mạng 5G đã phủ sóng tới 26% dân số.

Đại diện Bộ Công an báo cáo về tiến độ làm sạch dữ liệu dân cư và cấp căn cước điện tử cho 3,5 triệu người.

Nhiều đại biểu đề nghị sớm ban hành cơ chế thử nghiệm có kiểm soát đối với các công nghệ mới.

Thủ tướng nhấn mạnh tinh thần "bộ máy phải tinh gọn, dữ liệu phải kết nối, quản trị phải thông minh", bảo đảm hòa nhập số cho mọi người dân."""

# Same day as A1, another body with its own (conflicting) number.
C1 = """On the morning of May 20, the National Assembly Standing Committee opened its 45th session in Hanoi, chaired by National Assembly Chairman Tran Thanh Man.

The session reviewed the draft Law on Digital Technology Industry and the draft Law on Science, Technology and Innovation.

Deputies discussed how to complete the national databases by June 30, 2025 and how to fund digital transformation in 2026."""

# Same day as A1, another body, no number.
D1 = """On the afternoon of May 20, Deputy Prime Minister Tran Hong Ha chaired a meeting of the State Steering Committee for important national projects and key transport projects.

Investors reported that 1,200 kilometres of expressway were under construction and 28 projects were behind schedule.

The Deputy Prime Minister asked localities to hand over all land for the North-South expressway by June 30, 2025."""

CORPUS = [
    ("a1", "en", A1, "2025-05-20", f"Second meeting of the {SC}", "https://a.gov.vn/news/second-meeting-sc"),
    ("a2", "de", A2, "2025-05-21", "Zweite Sitzung des Lenkungsausschusses der Regierung", "https://b.example.de/vietnam/sitzung"),
    ("a3", "en", A1, "2025-05-22", "Prime Minister: complete the national land database by June 30", "https://c.vn/pm-land-database"),
    ("a4", "en", A4, None, None, "https://haiphong.gov.vn/tin/hop-ban-chi-dao"),
    ("e1", "en", E1, "2025-06-10", "Conclusion of the second meeting of the Steering Committee", "https://vpcp.gov.vn/notice-212"),
    ("b1", "en", B1, "2025-07-20", f"Third meeting of the {SC}", "https://a.gov.vn/news/third-meeting-sc"),
    ("b2", "vi", B2, "2025-07-21", None, "https://baochinhphu.vn/phien-hop-ban-chi-dao"),
    ("c1", "en", C1, "2025-05-20", "National Assembly Standing Committee opens its 45th session", "https://quochoi.vn/45th-session"),
    ("d1", "en", D1, "2025-05-20", None, "https://mt.gov.vn/expressway-meeting"),
]


@pytest.fixture(scope="module")
def summaries() -> dict[str, DocSummary]:
    out = {}
    for doc_id, lang, text, pub, title, url in CORPUS:
        doc, sents = make_doc(doc_id, lang, text, pub, title, url)
        out[doc_id] = summarize(doc, sents)
    return out


@pytest.fixture(scope="module")
def result(summaries):
    return cluster(list(summaries.values()))


def groups(assignments) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for doc_id, (cid, _) in assignments.items():
        by.setdefault(cid, set()).add(doc_id)
    return {frozenset(v) for v in by.values()}


# ------------------------------------------------------------------ features
def test_tone_marks_normalised_to_one_placement():
    assert F.normalize_text("Hòa bình") == F.normalize_text("hoà bình") == "hoà bình"
    assert F.normalize_text("khỏe THÚY") == "khoẻ thuý"
    # closed syllables and words without the open diphthong are left alone
    assert F.normalize_text("Hoàng toán") == "hoàng toán"
    assert F.shingles("Hòa bình, cho mọi người!", 2) == F.shingles("hoà  bình cho mọi NGƯỜI", 2)


@pytest.mark.parametrize("lang,title,lead,url,expected", [
    ("en", "The first meeting of the Government Steering Committee", [], None, 1),
    ("en", None, ["Prime Minister Pham Minh Chinh chaired the 4th meeting of the Steering Committee."], None, 4),
    ("en", None, ["He chaired the fourth meeting of the Steering Committee."], None, 4),
    ("en", None, ["He chaired the fourth Steering Committee meeting."], None, 4),
    ("en", None, ["For the first time the session was held online."], None, None),
    ("de", "Das erste Treffen des Lenkungsausschusses", [], None, 1),
    ("de", None, ["Er leitete die 4. Sitzung des Ausschusses."], None, 4),
    ("de", None, ["Er leitete die vierte Sitzung des Ausschusses."], None, 4),
    ("vi", "Phiên họp thứ tư của Ban Chỉ đạo", [], None, 4),
    ("vi", None, ["Thủ tướng chủ trì phiên họp lần thứ 4 của Ban Chỉ đạo."], None, 4),
    ("en", None, ["Delegates attended the session."], "https://backan.gov.vn/Pages/phien-hop-thu-nhat-cua-ban-chi-dao.aspx", 1),
    ("en", None, ["Delegates attended the session."], "https://x.vn/phien-hop-lan-thu-tu-cua-ban-chi-dao.html", 4),
    ("en", None, ["Delegates attended the session."], "https://x.vn/thu-tuong-chu-tri.html", None),
])
def test_meeting_number(lang, title, lead, url, expected):
    got = F.meeting_number(title, lead, url, lang)
    assert (got[0] if got else None) == expected
    if got:
        assert got[1] == "committee"   # none of these names a year: counted since the committee began


@pytest.mark.parametrize("lang,sentence,published,expected", [
    ("en", "On the afternoon of September 24, Prime Minister Pham Minh Chinh chaired the fourth meeting.", "2025-09-24", "2025-09-24"),
    ("en", "On September 24, 2025, the committee met in Hanoi.", None, "2025-09-24"),
    ("vi", "Chiều 24/9, Thủ tướng Phạm Minh Chính chủ trì phiên họp.", "2025-09-25", "2025-09-24"),
    ("de", "Am Nachmittag des 24. September leitete der Premierminister die Sitzung.", "2025-09-24", "2025-09-24"),
    # a meeting on 28 December reported on 2 January belongs to the previous year
    ("en", "On December 28, the Prime Minister chaired the meeting.", "2026-01-02", "2025-12-28"),
    # a document's date is not the meeting's; a notice's issue date is not either (no meeting cue)
    ("en", "The meeting announced Decision No. 598/QD-TTg dated March 13, 2025.", "2025-03-18", None),
    ("en", "On June 9, the Government Office issued a notice concluding the second meeting.", "2025-06-10", None),
    # no year and no publication date: unknown
    ("en", "On September 24, the Prime Minister chaired the meeting.", None, None),
    # a conclusion notice: the meeting's date, not the notice's own
    ("vi", "Văn phòng Chính phủ ban hành Thông báo số 612/TB-VPCP ngày 19/11/2025 kết luận của Thủ tướng tại "
           "phiên họp thứ sáu ngày 12/11/2025.", "2025-11-20", "2025-11-12"),
    ("vi", "Thông báo kết luận của Thủ tướng tại cuộc họp ngày 3/11.", "2025-11-20", "2025-11-03"),
    # a notice naming no meeting date has none
    ("vi", "Văn phòng Chính phủ ban hành Thông báo số 612/TB-VPCP ngày 19/11/2025 kết luận của Thủ tướng "
           "tại cuộc họp về Đề án 06.", "2025-11-20", None),
])
def test_meeting_date(lang, sentence, published, expected):
    assert F.meeting_date([sentence], lang, published) == expected


def test_figures_normalised_across_formats():
    en = F.figures("reduced 1,027 of 1,084 procedures (95%) and 39.27% of records", "en")
    de = F.figures("1.027 von 1.084 Verfahren (95 %) und 39,27 % der Akten", "de")
    vi = F.figures("1.027 trên 1.084 thủ tục (95%) và 39,27% hồ sơ", "vi")
    assert en == de == vi == ["1027", "1084", "95", "39.27"]


def test_dates_and_codes_are_language_independent():
    en_codes, en_rest = F.doc_codes("Resolution No. 57/NQ-TW and Decision No. 598/QD-TTg dated March 13, 2025")
    de_codes, de_rest = F.doc_codes("Resolution Nr. 57-NQ/TW und Beschluss Nr. 598/QD-TTg vom 13. März 2025")
    assert en_codes == de_codes == ["57NQTW", "598QDTTG"]
    assert F.full_dates(en_rest, "en")[0] == F.full_dates(de_rest, "de")[0] == ["2025-03-13"]
    assert F.full_dates("ngày 13 tháng 3 năm 2025 và 9/1/2025", "vi")[0] == ["2025-03-13", "2025-01-09"]


def test_committees_from_data(summaries):
    assert summaries["a1"].committee == summaries["a2"].committee == summaries["b2"].committee == "gov-sc-sti"
    assert summaries["c1"].committee == "na-standing-committee"
    assert summaries["d1"].committee == "state-sc-key-projects"
    assert summaries["a4"].committee is None
    assert [summaries[k].event_kind for k in ("a1", "a2", "e1", "b2", "c1")] == ["meeting", "meeting", "notice",
                                                                                 "meeting", "meeting"]


def test_summary_facts(summaries):
    s = summaries
    assert (s["a1"].number, s["a1"].meeting_date) == (2, "2025-05-20")
    assert (s["a2"].number, s["a2"].meeting_date) == (2, "2025-05-20")
    assert (s["b2"].number, s["b2"].meeting_date) == (3, "2025-07-20")
    assert (s["e1"].number, s["e1"].meeting_date) == (2, None)
    assert (s["a4"].number, s["a4"].meeting_date, s["a4"].published) == (None, None, None)
    # "May 20"/"20. Mai" (no year) and "Project 06" count; full dates ("May 15, 2025") do not
    assert s["a1"].figures[:8] == s["a2"].figures[:8] == ["20", "6", "63", "412", "679", "1027", "95", "4788"]
    assert "d:2025-06-30" in s["a1"].keys and "d:2025-06-30" in s["a2"].keys
    # compact: the at most DEDUP_SENTENCES sentences the clustering may embed (nothing embedded
    # yet), survives the JSON round trip
    assert len(s["a1"].embed_texts) == 9 and s["a1"].vectors == b""     # A1 has 9 sentences
    back = DocSummary.model_validate(json.loads(json.dumps(s["a2"].model_dump(mode="json"))))
    assert back == s["a2"]


# ------------------------------------------------------------------ the corpus
def test_meetings(result):
    assignments, clusters = result
    assert groups(assignments) == {
        frozenset({"a1", "a2", "a3", "a4", "e1"}),   # 2nd meeting: translation, re-post, undated, notice
        frozenset({"b1", "b2"}),                     # 3rd meeting of the same committee stays apart
        frozenset({"c1"}),                           # National Assembly, same day as the 2nd meeting
        frozenset({"d1"}),                           # transport projects, same day, no number
    }


def test_duplicates(result):
    assignments, clusters = result
    dups = {d: dup for d, (_, dup) in assignments.items() if dup}
    # the translation (other paragraph split, other site) and the re-post point to the earliest
    assert dups == {"a2": "a1", "a3": "a1"}
    second = next(c for c in clusters if "a1" in c.doc_ids)
    assert [(d.doc_id, d.duplicate_of) for d in second.duplicates] == [("a2", "a1"), ("a3", "a1")]
    assert second.canonical_doc_id == "a1"
    assert second.cluster_id == "m-" + hashlib.sha1(b"a1").hexdigest()[:10]
    assert (second.number, second.number_scope, second.date) == (2, "committee", "2025-05-20")
    assert (second.committee, second.event_kind) == (SC, "meeting")
    assert second.languages == ["de", "en"]
    assert second.label == f"2nd meeting, {SC} (2025-05-20)"
    third = next(c for c in clusters if "b1" in c.doc_ids)
    assert third.label == f"3rd meeting, {SC} (2025-07-20)"
    assert third.languages == ["en", "vi"]


def test_deterministic_under_input_order(summaries, result):
    items = list(summaries.values())
    for seed in (1, 2):
        random.Random(seed).shuffle(items)
        assert cluster(items) == result


def test_undated_report_joins_on_content_alone(summaries):
    # without the notice and the re-post, the undated report has only content to go on
    kept = [summaries[k] for k in ("a1", "a4", "b1", "c1", "d1")]
    assignments, _ = cluster(kept)
    assert assignments["a4"][0] == assignments["a1"][0] != assignments["b1"][0]
    # and alone with a report of a different meeting, it does not join it
    assignments, _ = cluster([summaries["a4"], summaries["b1"]])
    assert assignments["a4"][0] != assignments["b1"][0]


def test_content_neighbours_place_a_report_that_blocking_cannot(summaries):
    from pipeline.dedup.cluster import candidate_pairs, content_neighbours

    # the undated report stripped of every shared key: no body, date, code, figure or URL to block on
    a4 = summaries["a4"].model_copy(update={"keys": [], "url": None, "figures": []})
    docs = [summaries["a1"], a4, summaries["b1"], summaries["c1"]]
    c = Corpus(docs)                                  # sorted by doc_id: a1, a4, b1, c1
    assert 0 in candidate_pairs(c)[1]
    assignments, _ = cluster(docs)
    assert assignments["a4"][0] == assignments["a1"][0] != assignments["b1"][0]
    # a report with a date but no body is compared only with reports within DEDUP_MAX_SPAN_DAYS
    far = a4.model_copy(update={"published": "2026-03-01"})
    assert content_neighbours(Corpus([summaries["a1"], far])) == []
    near = a4.model_copy(update={"published": "2025-05-21"})
    assert content_neighbours(Corpus([summaries["a1"], near])) == [(1, 0)]


def test_meeting_number_alone_joins_a_notice_weeks_later(summaries):
    assignments, _ = cluster([summaries["a1"], summaries["e1"]])
    assert assignments["e1"][0] == assignments["a1"][0]
    # the same notice, had it named the third meeting, would not
    third = summaries["e1"].model_copy(update={"number": 3})
    assignments, _ = cluster([summaries["a1"], third])
    assert assignments["e1"][0] != assignments["a1"][0]


def test_meeting_date_and_body_alone_join(summaries):
    # B2 without its meeting number still joins B1: same body, same meeting date
    b2 = summaries["b2"].model_copy(update={"number": None, "number_scope": None})
    assignments, _ = cluster([summaries["b1"], b2])
    assert assignments["b2"][0] == assignments["b1"][0]
    # one day is tolerated, three weeks between meeting dates is not
    late = b2.model_copy(update={"meeting_date": "2025-08-10"})
    assignments, _ = cluster([summaries["b1"], late])
    assert assignments["b2"][0] != assignments["b1"][0]


def test_empty_corpus():
    assert cluster([]) == ({}, [])


# ------------------------------------------------------------------ same-article signals, one at a time
def _vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, EMBED_DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _sentences(rng: np.random.Generator, n: int, figures: bool = False) -> list[list[int]]:
    """``n`` sentence fingerprints of 8 word tokens each (and one figure token when asked)."""
    out = []
    for _ in range(n):
        toks = {int(x) & ~F.NUMBER_BIT for x in rng.integers(1, 2 ** 31, size=8)}
        if figures:
            toks.add(int(rng.integers(1, 2 ** 31)) | F.NUMBER_BIT)
        out.append(sorted(toks))
    return out


def _tokens(sents: list[list[int]]) -> dict:
    return {"sentence_tokens": np.asarray([t for ts in sents for t in ts], dtype=np.uint32).tobytes(),
            "sentence_sizes": [len(ts) for ts in sents]}


def _pair(shared: int, total: int, total_b: int | None = None, **b_update) -> Corpus:
    """Two summaries in different languages: ``total`` sentences (``total_b`` for the second), the first
    ``shared`` of them the same sentence in both (same fingerprint), the others unrelated."""
    rng = np.random.default_rng(7)
    total_b = total if total_b is None else total_b
    sa = _sentences(rng, total)
    sb = sa[:shared] + _sentences(rng, total_b - shared)
    va = _vectors(rng, total)
    vb = np.concatenate([va[:shared], _vectors(rng, total_b - shared)])
    a = DocSummary(doc_id="x", lang="en", n_sentences=total, vectors=quantize(va), url="x.vn/a", **_tokens(sa))
    b = DocSummary(doc_id="y", lang="de", n_sentences=total_b, vectors=quantize(vb), url="y.de/b", **_tokens(sb))
    return Corpus([a, b.model_copy(update=b_update)])


def test_copy_needs_nearly_all_of_the_shorter_and_most_of_the_longer_aligned():
    assert _pair(10, 10).copy_alignment(0, 1).aligned == 10
    assert _pair(10, 10).duplicate(0, 1)
    assert _pair(9, 10).duplicate(0, 1)                  # 0.9 of both
    assert not _pair(8, 10).duplicate(0, 1)              # 0.8 < COPY_SHORTER: a rewrite sharing its lead
    assert not _pair(4, 10).duplicate(0, 1)
    # a mirror that adds a paragraph or two is still a copy; one that adds half again is not
    assert _pair(10, 10, total_b=14).duplicate(0, 1)     # 10/10 of the shorter, 10/14 = 0.71 of the longer
    assert not _pair(10, 10, total_b=16).duplicate(0, 1)  # 10/16 = 0.62 < COPY_LONGER
    assert COPY_LONGER <= 10 / 14 and 10 / 16 < COPY_LONGER and 0.8 < COPY_SHORTER <= 0.9


def test_copy_alignment_keeps_order():
    # the same ten sentences in reverse order: only one can be kept in order
    rng = np.random.default_rng(3)
    sa = _sentences(rng, 10)
    a = DocSummary(doc_id="x", lang="en", n_sentences=10, **_tokens(sa))
    b = DocSummary(doc_id="y", lang="vi", n_sentences=10, **_tokens(sa[::-1]))
    assert Corpus([a, b]).copy_alignment(0, 1).aligned == 1
    assert not Corpus([a, b]).duplicate(0, 1)


def test_matched_sentences_whose_figures_disagree_are_not_a_copy():
    # another outlet's translation-like report giving 25% where the original says 30%: the wording
    # matches sentence by sentence, the figure does not
    rng = np.random.default_rng(5)
    sa = _sentences(rng, 10, figures=True)
    sb = [list(x) for x in sa]
    words = [t for t in sb[4] if not t & F.NUMBER_BIT]
    sb[4] = sorted(words + [12345 | F.NUMBER_BIT])        # a different figure, same words
    a = DocSummary(doc_id="x", lang="en", n_sentences=10, **_tokens(sa))
    b = DocSummary(doc_id="y", lang="de", n_sentences=10, **_tokens(sb))
    al = Corpus([a, b]).copy_alignment(0, 1)
    assert (al.aligned, al.conflicts) == (10, 1)
    assert not Corpus([a, b]).duplicate(0, 1)
    same = DocSummary(doc_id="y", lang="de", n_sentences=10, **_tokens(sa))
    assert Corpus([a, same]).duplicate(0, 1)


def test_sentence_tokens_are_language_independent_for_figures():
    en = F.sentence_tokens("It cut 1,027 procedures, 95% of the total.", "It cut 1,027 procedures, 95% of the total.", "en")
    de = F.sentence_tokens("Es wurden 1.027 Verfahren gestrichen, 95 % der Gesamtzahl.",
                           "It cut 1,027 procedures, 95% of the total.", "de")
    assert en == de
    nums = [t for t in en if t & F.NUMBER_BIT]
    assert len(nums) == 2                              # 1027 and 95; "the", "of" are not tokens
    # document codes and full dates are not figures
    coded = F.sentence_tokens("Decision 598/QD-TTg of March 13, 2025.", "Decision 598/QD-TTg of March 13, 2025.", "en")
    assert not [t for t in coded if t & F.NUMBER_BIT]


def test_conflicting_meeting_numbers_are_never_duplicates():
    c = _pair(10, 10)
    assert c.duplicate(0, 1)
    c = Corpus([c.s[0].model_copy(update={"number": 1, "number_scope": "committee"}),
                c.s[1].model_copy(update={"number": 4, "number_scope": "committee"})])
    assert not c.duplicate(0, 1)


def test_excerpt_is_not_a_copy():
    c = _pair(10, 10)
    short = c.s[1].model_copy(update={"n_sentences": 4})
    assert not Corpus([c.s[0], short]).duplicate(0, 1)


def test_minhash_within_language(summaries):
    a1, a3, a4 = summaries["a1"], summaries["a3"], summaries["a4"]
    c = Corpus([a1, a3, a4])
    assert c.jaccard(0, 1) == 1.0        # re-post: same body, new headline
    assert c.jaccard(0, 2) < 0.5         # shares three sentences only


def test_duplicate_points_to_earliest_dated_then_doc_id():
    c = _pair(10, 10)
    base = c.s[0]
    docs = [base.model_copy(update={"doc_id": "a", "published": None}),
            base.model_copy(update={"doc_id": "b", "published": "2025-05-02"}),
            base.model_copy(update={"doc_id": "c", "published": "2025-05-01"}),
            base.model_copy(update={"doc_id": "d", "published": "2025-05-01"})]
    assignments, clusters = cluster(docs)
    # earliest date wins, a tie goes to the smaller doc_id, an undated copy sorts after every dated one
    assert {d: dup for d, (_, dup) in assignments.items()} == {"a": "c", "b": "c", "c": None, "d": "c"}
    assert clusters[0].canonical_doc_id == "c"


def test_copies_do_not_chain_across_months():
    # one boilerplate report, undated in the lead, posted five times a month apart: each consecutive
    # pair is 30 days apart (within DEDUP_MAX_SPAN_DAYS = 45) and alike, but the first and the last
    # are four months apart, so they cannot be one article or one meeting
    c = _pair(10, 10)
    base = c.s[0].model_copy(update={"meeting_date": None, "number": None, "number_scope": None})
    days = ["2025-01-01", "2025-01-31", "2025-03-02", "2025-04-01", "2025-05-01"]
    docs = [base.model_copy(update={"doc_id": f"p{k}", "published": d}) for k, d in enumerate(days)]
    assignments, clusters = cluster(docs)
    groups = {}
    for d, (cid, _) in assignments.items():
        groups.setdefault(cid, set()).add(d)
    assert len(clusters) >= 3  # 120 days need at least three 45-day windows
    for members in groups.values():
        published = sorted(days[int(d[1:])] for d in members)
        span = (dt.date.fromisoformat(published[-1]) - dt.date.fromisoformat(published[0])).days
        assert span <= 45, members
    # two of them a day apart are still one article
    twin = docs[0].model_copy(update={"doc_id": "q", "published": "2025-01-02"})
    assignments, _ = cluster([docs[0], twin])
    assert assignments["q"] == (assignments["p0"][0], "p0")


def test_copies_months_apart_are_not_even_candidates(summaries):
    from pipeline.dedup.cluster import candidate_pairs

    # one report re-posted verbatim (same MinHash, same keys and URL) on three dates: 20 days apart
    # is a possible copy, 100 days apart can never be one group (DEDUP_MAX_SPAN_DAYS = 45), so the
    # pair is not proposed and not compared; an undated copy is compared with every one of them
    base = summaries["a1"].model_copy(update={"meeting_date": None, "number": None, "number_scope": None})
    docs = [base.model_copy(update={"doc_id": d, "published": p})
            for d, p in (("r0", "2025-05-20"), ("r1", "2025-06-09"), ("r2", "2025-08-28"), ("r3", None))]
    neigh = candidate_pairs(Corpus(docs))           # Corpus sorts by doc_id: r0, r1, r2, r3
    assert neigh[0] == {1, 3}
    assert neigh[1] == {0, 3}
    assert neigh[2] == {3}
    assert neigh[3] == {0, 1, 2}


def test_embeddings_cached_by_sentence(tmp_path):
    """Dedup's rows come from the embedding service: kept by sentence in the run's cache file, the
    same bytes fresh, remembered or read back."""
    from pipeline import embed as E
    from pipeline.cache import Cache
    from pipeline.dedup import summary as S

    cache = Cache(tmp_path / "cache.sqlite", "embeddings")
    store = Cache(tmp_path / "cache.sqlite", E.NAMESPACE)  # the service's namespace in that file
    E.reset()
    doc, sents = make_doc("z1", "en", C1, "2025-05-20")
    texts = summarize(doc, sents).embed_texts
    assert len(texts) == 3
    first = S.embed(texts, cache)
    assert len(first) == 3 * EMBED_DIM and E.stats()["dedup"]["embedded"] == 3
    assert len(store.present([key_of(E.MODEL_ID, t) for t in texts])) == 3
    # another process (nothing in memory): the same sentences come from the cache, not the model
    E.reset()
    assert S.embed(texts, cache) == first
    assert E.stats()["dedup"] == {"asked": 3, "stored": 3}
    # a report repeating two of the sentences and adding one: only the new one is embedded, and the
    # repeated rows are the same bytes as before
    E.reset()
    new = "The committee will meet again in June to adopt the remaining laws."
    third = S.embed([texts[0], new, texts[2]], cache)
    assert E.stats()["dedup"] == {"asked": 3, "calls": 1, "embedded": 1, "stored": 2}
    row = EMBED_DIM  # one int8 row per sentence
    assert third[:row] == first[:row] and third[2 * row:] == first[2 * row:] and third[row:2 * row] != first[row:2 * row]
    # without any cache (and nothing in memory) the bytes are the same
    E.reset()
    assert S.embed([texts[0], new, texts[2]]) == third


# ------------------------------------------------------------------ end to end on the seeds
def test_seed_clusters_and_duplicates(seed_run):
    docs = [json.loads(line) for line in (seed_run / "documents.jsonl").read_text().splitlines()]
    by = {d["doc_id"][:3]: d for d in docs}
    assert by["000"]["cluster_id"] == by["001"]["cluster_id"] == by["002"]["cluster_id"]
    assert by["003"]["cluster_id"] == by["004"]["cluster_id"] != by["000"]["cluster_id"]
    assert by["001"]["duplicate_of"] == by["000"]["doc_id"]
    assert [d for d in by if by[d]["duplicate_of"]] == ["001"]
    clusters = [json.loads(line) for line in (seed_run / "clusters.jsonl").read_text().splitlines()]
    assert len(clusters) == 2
    fourth = next(c for c in clusters if c["cluster_id"] == by["003"]["cluster_id"])
    assert fourth["number"] == 4 and fourth["date"] == "2025-09-24"
    assert fourth["label"].startswith("4th meeting, Government Steering Committee on science")
    first = next(c for c in clusters if c["cluster_id"] == by["000"]["cluster_id"])
    assert first["number"] == 1 and first["languages"] == ["de", "en"]
    assert first["duplicates"] == [{"doc_id": by["001"]["doc_id"], "duplicate_of": by["000"]["doc_id"]}]


# ------------------------------------------------------------------ `commitments clusters`
def test_clusters_table(seed_run):
    import io

    from rich.console import Console

    from pipeline.dedup.table import load, render

    found, docs = load(seed_run)
    buf = io.StringIO()
    render(found, docs, Console(file=buf, width=250, color_system=None))
    text = buf.getvalue()
    assert "4th meeting, Government" in text and "1st meeting, Government" in text
    assert "duplicate of 000_3ed392a0d2c95b5d" in text
    assert "binhdinh.gov.vn" in text and "de, en" in text
    # the meeting's identity: committee, kind and number in their own columns
    rows = [ln for ln in text.splitlines() if "4th meeting," in ln or "1st meeting," in ln]
    assert len(rows) == 2
    for row in rows:
        cells = [x.strip() for x in row.split("│")]
        assert cells[3].startswith("Government Steering Committee on")
        assert cells[4] == "meeting" and cells[5] in ("1", "4")
    assert text.rstrip().endswith("2 meeting(s), 5 document(s), 1 duplicate(s)")


def test_clusters_command(seed_run, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "250"}
    ok = subprocess.run([sys.executable, "-m", "pipeline", "clusters", "--out", str(seed_run)],
                        capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "2 meeting(s), 5 document(s), 1 duplicate(s)" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "pipeline", "clusters", "--out", str(tmp_path)],
                         capture_output=True, text=True, env=env)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (f"error: no clusters.jsonl or documents.jsonl in {tmp_path} "
                                  f"(run `commitments extract --out {tmp_path}` first)")


# ------------------------------------------------------------------ mirrors, translations, notices
def test_document_codes_fold_d_stroke():
    assert F.doc_codes("Công điện số 112/CĐ-TTg ngày 12/11")[0] == ["112CDTTG"]
    assert F.doc_codes("das Offizielle Schreiben Nr. 112/CD-TTg")[0] == ["112CDTTG"]


def test_lead_codes_in_summary():
    doc, sents = make_doc("n1", "vi", "Văn phòng Chính phủ vừa ban hành Thông báo số 612/TB-VPCP ngày 19/11/2025 "
                          "kết luận của Thủ tướng. Nội dung khác nêu Nghị quyết 57-NQ/TW.", "2025-11-20",
                          "Thông báo kết luận của Thủ tướng")
    s = summarize(doc, sents)
    # both codes stand in the lead (headline + first DEDUP_LEAD_SENTENCES sentences); separators dropped
    assert s.lead_codes == ["57NQTW", "612TBVPCP"]


def test_articles_about_different_documents_stay_apart():
    c = _pair(10, 10)
    a = c.s[0].model_copy(update={"lead_codes": ["112CDTTG"], "url": "x.vn/a"})
    b = c.s[1].model_copy(update={"lead_codes": ["612TBVPCP"], "url": "x.vn/a"})
    assert not Corpus([a, b]).duplicate(0, 1)
    assignments, _ = cluster([a, b])
    assert assignments["x"][0] != assignments["y"][0]
    # one text naming the other's lead code (a notice citing the dispatch it follows) is no obstacle
    cited = b.model_copy(update={"keys": ["c:612TBVPCP", "c:112CDTTG"]})
    assert Corpus([a, cited]).duplicate(0, 1)
    # nor is the same code (whatever else each lead names)
    b = b.model_copy(update={"lead_codes": ["112CDTTG", "57NQTW"]})
    assert Corpus([a, b]).duplicate(0, 1)
    assignments, _ = cluster([a, b])
    assert assignments["y"] == (assignments["x"][0], "x")


def test_a_document_published_before_a_meeting_does_not_report_it():
    c = _pair(10, 10)
    meeting = c.s[0].model_copy(update={"meeting_date": "2025-12-20", "published": "2025-12-20", "url": "x.vn/a"})
    early = c.s[1].model_copy(update={"published": "2025-11-20", "url": "x.vn/a"})
    assert Corpus([meeting, early]).conflict(0, 1)
    assignments, _ = cluster([meeting, early])
    assert assignments["x"][0] != assignments["y"][0]
    # published the day before (DEDUP_MEETING_DATE_TOLERANCE) or after: no conflict, same article
    for day in ("2025-12-19", "2025-12-21"):
        later = early.model_copy(update={"published": day})
        assert not Corpus([meeting, later]).conflict(0, 1)
        assignments, _ = cluster([meeting, later])
        assert assignments["y"][0] == assignments["x"][0]


def test_figure_keys_keep_every_significant_digit():
    # "{:g}" kept six digits: 1234567.5 became "1.23457e+06", the same key as 1234568.25
    assert F.figures("1234567.5 and 1234568.25 and 0.1234567", "en") == ["1234567.5", "1234568.25", "0.1234567"]


def test_space_grouped_thousands_are_one_figure_key():
    assert F.figures("12 500 tasks in 2025 100 communes", "en") == ["12500", "2025", "100"]
