"""Gazetteer validity, alias resolution and the grammatical roles that decide who is an actor."""
import re
from collections import defaultdict

import pytest

from pipeline.extract.actors import (LANGS, alias_index, find_mentions, gazetteer, resolve, responsible,
                                     bodies_by_name)
from pipeline.extract.nlp import get_nlp

# The 34 provincial-level units from 1 July 2025 (National Assembly resolution of 12 June 2025).
UNITS_2025 = [
    "Hanoi", "Ho Chi Minh City", "Hai Phong City", "Da Nang City", "Can Tho City", "Hue City",
    "Lai Chau Province", "Dien Bien Province", "Son La Province", "Lang Son Province", "Quang Ninh Province",
    "Thanh Hoa Province", "Nghe An Province", "Ha Tinh Province", "Cao Bang Province", "Tuyen Quang Province",
    "Lao Cai Province", "Thai Nguyen Province", "Phu Tho Province", "Bac Ninh Province", "Hung Yen Province",
    "Ninh Binh Province", "Quang Tri Province", "Quang Ngai Province", "Gia Lai Province", "Khanh Hoa Province",
    "Lam Dong Province", "Dak Lak Province", "Dong Nai Province", "Tay Ninh Province", "Vinh Long Province",
    "Dong Thap Province", "Ca Mau Province", "An Giang Province",
]


# ------------------------------------------------------------------ the file
def test_canonical_names_are_unique():
    names = [b.name for b in gazetteer()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("lang", LANGS)
def test_no_alias_names_two_bodies(lang):
    owners = defaultdict(set)
    for b in gazetteer():
        for a in getattr(b, lang):
            owners[a.lower()].add(b.name)
    assert {a: n for a, n in owners.items() if len(n) > 1} == {}


def test_every_body_has_english_german_and_vietnamese_aliases():
    assert [b.name for b in gazetteer() if not (b.en and b.de and b.vi)] == []


def test_vietnamese_aliases_are_written_with_diacritics():
    for b in gazetteer():
        if b.type == "ministry":
            assert b.vi[0].startswith("Bộ "), b.name
        if b.type == "province":
            assert any(a.startswith("tỉnh ") for a in b.vi), b.name
    assert "Bộ Tài chính" in bodies_by_name()["Ministry of Finance"].vi
    assert "Ngân hàng Nhà nước Việt Nam" in bodies_by_name()["State Bank of Vietnam"].vi
    assert "tỉnh Bình Định" in bodies_by_name()["Binh Dinh Province"].vi


def test_all_provincial_units_before_and_after_the_2025_merger():
    places = [b for b in gazetteer() if b.type in ("province", "city")]
    assert len(places) == 63                      # the 63 units before July 2025 (Thua Thien Hue = Hue City)
    assert set(UNITS_2025) <= {b.name for b in places}


def test_fourteen_ministries_after_the_restructuring():
    assert len([b for b in gazetteer() if b.type == "ministry"]) == 14


# ------------------------------------------------------------------ resolution
@pytest.mark.parametrize("alias,lang,name", [
    ("Ministry of Interior", "en", "Ministry of Home Affairs"),
    ("the Ministry of Planning and Investment", "en", "Ministry of Finance"),
    ("Ministry of Labour, Invalids and Social Affairs", "en", "Ministry of Home Affairs"),
    ("Ministry of Natural Resources and Environment", "en", "Ministry of Agriculture and Environment"),
    ("Ministry of Agriculture and Rural Development", "en", "Ministry of Agriculture and Environment"),
    ("Ministry of Transport", "en", "Ministry of Construction"),
    ("Ministry of Information and Communications", "en", "Ministry of Science and Technology"),
    ("State Bank", "en", "State Bank of Vietnam"),
    ("Binh Dinh province", "en", "Binh Dinh Province"),
    ("HCMC", "en", "Ho Chi Minh City"),
    ("Bộ Tài chính", "vi", "Ministry of Finance"),
    ("Bộ Kế hoạch và Đầu tư", "vi", "Ministry of Finance"),
    ("Ngân hàng Nhà nước Việt Nam", "vi", "State Bank of Vietnam"),
    ("tỉnh Gia Lai", "vi", "Gia Lai Province"),
    ("Innenministerium", "de", "Ministry of Home Affairs"),
    ("Ministerium für öffentliche Sicherheit", "de", "Ministry of Public Security"),
])
def test_aliases_resolve_to_the_canonical_name(alias, lang, name):
    assert resolve(alias, lang) == name


def test_unknown_name_does_not_resolve():
    assert resolve("Ministry of Magic") is None
    assert "ministry of finance" in alias_index("en")


# ------------------------------------------------------------------ mentions and roles in sentences
def mentions(sentence, place=None):
    return [(m.name, m.role) for m in find_mentions(get_nlp()(sentence), place)]


def test_acronyms_and_single_words_match_with_their_case_only():
    assert mentions("Most criteria have been completed by most localities.") == []
    assert mentions("The government at all levels must operate smoothly.") == []
    assert [n for n, _ in mentions("MOST and the MPS will sign 2 agreements.")] == [
        "Ministry of Science and Technology", "Ministry of Public Security"]


def test_requester_assignee_recipient():
    assert mentions("The Politburo requested the Government to submit the plan to the National Assembly.") == [
        ("Politburo", "requester"), ("Government", "assignee"), ("National Assembly", "recipient")]


def test_reporter_by_possessive_and_by_according_to():
    assert mentions("According to the Ministry of Public Security's report, 95% of records were cleaned.") == [
        ("Ministry of Public Security", "reporter")]
    assert mentions("According to the Ministry of Finance, revenue rose by 12%.") == [
        ("Ministry of Finance", "reporter")]


def test_issuer_of_a_document():
    roles = dict(mentions("Under Resolution No. 57 of the Politburo, the Ministry of Health has trained "
                          "1,000 staff."))
    assert roles == {"Politburo": "issuer", "Ministry of Health": "subject"}


def test_place_takes_the_role_of_its_organ():
    assert mentions("The Ho Chi Minh City People's Committee has approved 15 projects.") == [
        ("Ho Chi Minh City", "subject")]


def test_conjoined_assignees():
    ms = find_mentions(get_nlp()("The Prime Minister assigned the Ministry of Finance and the State Bank "
                                 "of Vietnam to report by May."))
    assert [m.name for m in responsible(ms)] == ["Ministry of Finance", "State Bank of Vietnam"]


def test_unknown_state_body_from_ner_is_kept_unknown_but_companies_are_not():
    ms = find_mentions(get_nlp()("The Vietnam Maritime Administration has dredged 12 navigation channels."))
    assert [(m.name, m.known, m.role) for m in ms] == [("Vietnam Maritime Administration", False, "subject")]
    assert find_mentions(get_nlp()("Viettel Group has installed 5,000 base stations.")) == []


def test_province_anaphora_uses_the_context_place():
    place = bodies_by_name()["Bac Kan Province"]
    assert mentions("The provincial People's Committee has issued 3 plans.", place) == [
        ("Bac Kan Province", "subject")]
    # a place named earlier in the same sentence wins over the context
    got = mentions("Lang Son has cut 40 procedures, and the province will cut 10 more.", place)
    assert got[0][0] == "Lang Son Province" and got[1][0] == "Lang Son Province"
    # no place known: the anaphor is left alone
    assert mentions("The province has cut 40 procedures.") == []


def test_gazetteer_patterns_cover_every_english_alias():
    nlp = get_nlp()
    ids = {p["id"] for p in nlp.get_pipe("gazetteer").patterns}
    assert ids == {b.name for b in gazetteer()}
    # long names also match written in lower case
    assert [e.ent_id_ for e in nlp("the ministry of planning and investment said so").ents] == ["Ministry of Finance"]
    for b in gazetteer():
        for a in b.en:
            if re.fullmatch(r"[A-Za-z][\w' ,&.-]*", a):
                doc = nlp(f"Yesterday {a} announced it.")
                assert any(e.ent_id_ == b.name for e in doc.ents), (a, b.name)


def test_partners_in_coordination_are_actors():
    ms = find_mentions(get_nlp()("The Ministry of Health will take the lead and coordinate with the Ministry of "
                                 "Finance and the State Bank of Vietnam to finish the scheme by June 2026."))
    assert [m.name for m in responsible(ms)] == ["Ministry of Health", "Ministry of Finance",
                                                 "State Bank of Vietnam"]


def test_telegraphic_subject_opening_the_sentence():
    ms = find_mentions(get_nlp()("Ministry of Industry and Trade review and amend regulations on petrol "
                                 "trading, complete in the second quarter of 2026."))
    assert [m.name for m in responsible(ms)] == ["Ministry of Industry and Trade"]


def test_official_speaks_for_his_body():
    ms = find_mentions(get_nlp()("Deputy Minister of Health Tran Van Thuan said, hospitals have connected "
                                 "electronic health records for 40 million people."))
    assert [(m.name, m.role) for m in ms] == [("Ministry of Health", "reporter")]
    ms = find_mentions(get_nlp()("Minister Ministry of Construction Tran Hong Minh stated, 120 km of "
                                 "expressway has been opened this year."))
    assert [m.name for m in responsible(ms)] == ["Ministry of Construction"]


def test_bracketed_parent_body_is_context():
    ms = find_mentions(get_nlp()("According to the National Statistics Office (Ministry of Finance), retail sales "
                                 "rose 9% in the first nine months."))
    assert [m.name for m in responsible(ms)] == ["National Statistics Office"]
