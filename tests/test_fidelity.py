"""Translation fidelity check (pipeline/translate/fidelity.py): hand-checked cases."""
from __future__ import annotations

import pytest

from pipeline.translate.fidelity import check, figures, implicit_figures


@pytest.mark.parametrize("text, lang, expected", [
    ("cắt giảm 1.027 trên 1.084 thủ tục", "vi", {"1027", "1084"}),
    ("reduced 1,027 out of 1,084 procedures", "en", {"1027", "1084"}),
    ("3,2 triệu tỷ đồng, tăng 28%", "vi", {"3.2", "28"}),
    ("3.2 million billion VND", "en", {"3.2"}),
    ("bei 95 % und 1.027,5 Euro", "de", {"95", "1027.5"}),
    ("vom 13.03.2025", "de", {"13", "3", "2025"}),          # a dotted date is read as its parts
    ("Nghị quyết 57/NQ-TW ngày 23/9/2025", "vi", {"57", "23", "9", "2025"}),
    ("Project 06 and the 4th meeting", "en", {"6", "4"}),
    ("1.027 in English is a decimal", "en", {"1.027"}),
    ("ein Wert von 1.5 Prozent", "de", {"1.5"}),            # a lone point no German rule explains
    ("1\u202f027 Verfahren", "de", {"1027"}),               # narrow no-break space as thousands separator
    ("no figures here", "en", set()),
])
def test_figures(text, lang, expected):
    assert figures(text, lang) == expected


def test_implicit_figures_from_months_and_number_words():
    assert implicit_figures("On September 23 the fourth meeting", "en") == {"9", "4"}
    assert implicit_figures("am 13. März vier Gesetze", "de") == {"3", "4"}
    assert implicit_figures("cuộc họp thứ tư", "vi") == {"4"}


def test_faithful_translations_have_no_warnings():
    assert check("Bộ Công an đã cắt giảm 1.027 trên 1.084 thủ tục, đạt 95 %.", "The Ministry of Public Security "
                 "cut 1,027 of 1,084 procedures, reaching 95%.", "vi") == []
    assert check("Doanh thu đạt 3,2 triệu tỷ đồng.", "Revenue reached 3.2 million billion VND.", "vi") == []
    # the month number of 23/9/2025 is carried by "September"
    assert check("Đến ngày 23/9/2025, 270 nhiệm vụ đã hoàn thành.",
                 "As of September 23, 2025, 270 tasks had been completed.", "vi") == []
    # German ordinal date; the month name stands for 3 on both sides
    assert check("Beschluss Nr. 598/QD-TTg vom 13. März 2025", "Decision No. 598/QD-TTg of March 13, 2025", "de") == []
    # "vier" in the source excuses the 4 in the translation
    assert check("Das Ministerium legt vier Gesetze vor.", "The ministry submits 4 laws.", "de") == []


def test_missing_figure_is_reported():
    assert check("Bộ đã cắt giảm 1.027 thủ tục trong năm 2025.", "The ministry cut procedures in 2025.", "vi") == [
        "figure 1027 missing from translation"]


def test_misread_thousands_separator_is_reported_both_ways():
    # an engine that copied "1.027" into English changed the number from 1027 to 1.027
    assert check("Bộ đã cắt giảm 1.027 thủ tục.", "The ministry cut 1.027 procedures.", "vi") == [
        "figure 1027 missing from translation", "figure 1.027 not in source"]


def test_invented_and_changed_figures():
    assert check("Die Provinz erreichte 95 %.", "The province reached 95% in 2024.", "de") == [
        "figure 2024 not in source"]
    assert check("Tăng 28%.", "An increase of 38%.", "vi") == [
        "figure 28 missing from translation", "figure 38 not in source"]
    # a decimal comma read as a thousands separator: 3,2 -> 32
    assert check("Doanh thu đạt 3,2 triệu tỷ đồng.", "Revenue reached 32 million billion VND.", "vi") == [
        "figure 3.2 (= 3200000000000000) missing from translation", "figure 32 (= 32000000000000000) not in source"]


def test_scale_words_give_figures_a_second_reading():
    # same value with a different scale word: no warning
    assert check("Ngân sách 1.000 tỷ đồng.", "A budget of 1 trillion VND.", "vi") == []
    assert check("Ngân sách 1.000 tỷ đồng.", "A budget of 1,000 billion VND.", "vi") == []
    assert check("Doanh thu 3,2 triệu tỷ đồng.", "Revenue of 3.2 quadrillion VND.", "vi") == []
    assert check("Das Budget beträgt 1,5 Milliarden Euro.", "The budget is 1,500 million euros.", "de") == []
    # the scale word left untranslated: the number as written still matches
    assert check("Doanh thu 3,2 triệu tỷ đồng.", "Revenue of 3.2 triệu tỷ VND.", "vi") == []
    # a German "Milliarde" is an English billion, not a trillion: 1.5e9 != 1.5e12
    assert check("Das Budget beträgt 1,5 Milliarden Euro.", "The budget is 1.5 trillion euros.", "de") == [
        "figure 1.5 (= 1500000000) missing from translation", "figure 1.5 (= 1500000000000) not in source"]
    # 1.000 tỷ (10^12) rendered as 1 billion (10^9)
    assert check("Ngân sách 1.000 tỷ đồng.", "A budget of 1 billion VND.", "vi") == [
        "figure 1000 (= 1000000000000) missing from translation", "figure 1 (= 1000000000) not in source"]


def test_space_grouped_thousands_match_a_comma_grouped_translation():
    assert figures("12 500 tỷ đồng", "vi") == {"12500"}
    assert check("Đạt 12 500 tỷ đồng.", "Reached 12,500 billion VND.", "vi") == []
    assert figures("năm 2025 100 xã", "vi") == {"2025", "100"}
