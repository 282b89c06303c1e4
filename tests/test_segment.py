"""Sentence splitting (pipeline/segment.py): hand-written cases per language."""
from __future__ import annotations

import pytest

from pipeline.segment import split_sentences


def sents(text: str, lang: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang)]


# ------------------------------------------------------------------ German
def test_german_date_ordinal_does_not_split():
    text = ("Auf der Sitzung wurde der Beschluss Nr. 598/QD-TTg vom 13. März 2025 bekannt gegeben. "
            "Die Frist endet am 1. Juli 2025. Danach berichtet das Ministerium.")
    assert sents(text, "de") == [
        "Auf der Sitzung wurde der Beschluss Nr. 598/QD-TTg vom 13. März 2025 bekannt gegeben.",
        "Die Frist endet am 1. Juli 2025.",
        "Danach berichtet das Ministerium.",
    ]


def test_german_ordinal_after_article_does_not_split():
    text = "Die Resolution wurde auf der 9. Sitzung der 15. Nationalversammlung verabschiedet. Sie gilt sofort."
    assert sents(text, "de") == [
        "Die Resolution wurde auf der 9. Sitzung der 15. Nationalversammlung verabschiedet.",
        "Sie gilt sofort.",
    ]


def test_german_number_at_sentence_end_still_splits():
    # "2025." ends the sentence: the word before it ("auf") introduces no ordinal, "Das" is no month
    text = "Die Zahl der Verfahren stieg auf 2025. Das Ministerium berichtete darüber."
    assert sents(text, "de") == ["Die Zahl der Verfahren stieg auf 2025.", "Das Ministerium berichtete darüber."]


def test_german_abbreviations():
    text = ("Dazu gehören z.B. Verfahren nach Art. 5 Abs. 2 sowie ca. 30 Mio. Euro für Dr. Müller. "
            "Die Provinz meldet 95 % Online-Dienste.")
    assert sents(text, "de") == [
        "Dazu gehören z.B. Verfahren nach Art. 5 Abs. 2 sowie ca. 30 Mio. Euro für Dr. Müller.",
        "Die Provinz meldet 95 % Online-Dienste.",
    ]


def test_german_spaced_z_b_and_bracketed_abbreviation():
    text = "Einige Aufgaben (Nr. 3 und Nr. 4) sind z. B. erledigt. Andere fehlen."
    assert sents(text, "de") == ["Einige Aufgaben (Nr. 3 und Nr. 4) sind z. B. erledigt.", "Andere fehlen."]


def test_german_quotes():
    text = "Der Premierminister sagte: „Wir müssen handeln.“ Die Minister stimmten zu."
    assert sents(text, "de") == ["Der Premierminister sagte: „Wir müssen handeln.“", "Die Minister stimmten zu."]


def test_german_numbered_list_items_keep_their_number():
    text = "Die Aufgaben sind:\n1. Daten vernetzen.\n2. Verfahren vereinfachen. Das gilt sofort."
    assert sents(text, "de") == [
        "Die Aufgaben sind:", "1. Daten vernetzen.", "2. Verfahren vereinfachen.", "Das gilt sofort."]


def test_inline_numbered_list_stays_one_sentence():
    text = "Nhiệm vụ gồm: 1. Hoàn thiện thể chế; 2. Phát triển hạ tầng số. Các bộ triển khai ngay."
    assert sents(text, "vi") == [
        "Nhiệm vụ gồm: 1. Hoàn thiện thể chế; 2. Phát triển hạ tầng số.", "Các bộ triển khai ngay."]


# ------------------------------------------------------------------ Vietnamese
def test_vietnamese_titles_and_numbers():
    text = ("TS. Nguyễn Văn A phát biểu tại cuộc họp. Nghị quyết số 57-NQ/TW được ban hành. "
            "Doanh thu đạt 3,2 triệu tỷ đồng, tăng 28%.")
    assert sents(text, "vi") == [
        "TS. Nguyễn Văn A phát biểu tại cuộc họp.",
        "Nghị quyết số 57-NQ/TW được ban hành.",
        "Doanh thu đạt 3,2 triệu tỷ đồng, tăng 28%.",
    ]


def test_vietnamese_compound_title_and_city():
    text = "PGS.TS. Trần Văn B làm việc tại TP. Hồ Chí Minh. Ông đề nghị cắt giảm 1.027 thủ tục."
    assert sents(text, "vi") == [
        "PGS.TS. Trần Văn B làm việc tại TP. Hồ Chí Minh.",
        "Ông đề nghị cắt giảm 1.027 thủ tục.",
    ]


def test_vietnamese_quote_and_question():
    text = 'Thủ tướng nhấn mạnh: "Phải hoàn thành trong năm 2025." Các bộ có làm được không? Có.'
    assert sents(text, "vi") == [
        'Thủ tướng nhấn mạnh: "Phải hoàn thành trong năm 2025."',
        "Các bộ có làm được không?",
        "Có.",
    ]


# ------------------------------------------------------------------ English and shared behaviour
def test_english_no_and_decimal():
    text = ("The meeting announced Decision No. 598/QD-TTg dated March 13, 2025. Revenue reached 3.2 million "
            "billion VND, up 28%. Mr. Tuan spoke.")
    assert sents(text, "en") == [
        "The meeting announced Decision No. 598/QD-TTg dated March 13, 2025.",
        "Revenue reached 3.2 million billion VND, up 28%.",
        "Mr. Tuan spoke.",
    ]


def test_english_number_then_month_word_splits():
    # ordinals with a dot are German data; in English "2025. March" is two sentences
    text = "The plan ran until 2025. March brought a new plan."
    assert sents(text, "en") == ["The plan ran until 2025.", "March brought a new plan."]


def test_lowercase_continuation_and_paragraphs():
    text = "Photo: VGP\nThe Prime Minister spoke, i.e. he chaired the meeting. it continued\n\nNext paragraph"
    assert sents(text, "en") == [
        "Photo: VGP", "The Prime Minister spoke, i.e. he chaired the meeting. it continued", "Next paragraph"]


@pytest.mark.parametrize("lang", ["en", "de", "vi"])
def test_spans_point_into_text(lang):
    text = "  Erste Zeile.  Zweite Zeile!\n\n  Dritte Zeile?  "
    spans = split_sentences(text, lang)
    assert [text[a:b] for a, b in spans] == ["Erste Zeile.", "Zweite Zeile!", "Dritte Zeile?"]
    assert spans == [(2, 14), (16, 29), (33, 46)]


def test_empty_text():
    assert split_sentences("", "de") == []


def test_sentence_ending_in_a_number_before_a_sentence_starting_with_one():
    from pipeline.segment import split_sentences

    text = ("Ministries have provided 58 out of 75 essential public services as required by Project 06. "
            "30 out of 34 provinces and cities are implementing local centres.")
    spans = split_sentences(text, "en")
    assert [text[a:b] for a, b in spans] == [
        "Ministries have provided 58 out of 75 essential public services as required by Project 06.",
        "30 out of 34 provinces and cities are implementing local centres.",
    ]
