"""Statement extraction on sentences written in the style of Vietnamese government news.

Expected kinds, figures, dates and actors are worked out by hand from the rules in
pipeline/extract/statements.py (docstring) and the article's publication date (2025-10-20).
"""
import pytest

from pipeline.extract import extract_document, extract_documents
from pipeline.records import Document, Sentence, Span
from pipeline.segment import split_sentences
from pipeline.translate import identity_sentences

PUB = "2025-10-20"


def make(text: str, captions=(), title=None, doc_id="t1", published=PUB):
    caps = []
    for c in captions:
        i = text.index(c)
        caps.append(Span(source_start=i, source_end=i + len(c)))
    doc = Document(doc_id=doc_id, path=f"{doc_id}.txt", status="ok", lang="en", published=published,
                   title=title, text=text, captions=caps)
    return doc, identity_sentences(doc, split_sentences(text, "en"))


def run(text: str, **kw):
    doc, sents = make(text, **kw)
    return extract_document(doc, sents)


def vals(st):
    return [f.value for f in st.figures]


def end(st):
    return st.date.end if st.date else None


def names(st):
    return sorted(a.name for a in st.actors)


# ------------------------------------------------------------------ kinds
def test_request_to_a_ministry_with_deadline_is_a_commitment():
    [st] = run("The Prime Minister requested the Ministry of Finance to complete the draft decree on "
               "public investment by June 30, 2026.")
    assert st.kind == "commitment"
    assert end(st) == "2026-06-30"
    assert names(st) == ["Ministry of Finance"]          # the requester (Prime Minister) is not the actor
    assert st.action.startswith("complete the draft decree")


def test_measured_result_is_progress():
    [st] = run("Hanoi has granted 1,250 land use right certificates to households in the suburban districts.")
    assert st.kind == "progress"
    assert vals(st) == [1250]
    assert names(st) == ["Hanoi"]                        # subject of the result


def test_as_of_date_is_the_date_of_a_progress_statement():
    [st] = run("As of October 15, 2025, the province had disbursed 72.5% of its public investment plan.")
    assert st.kind == "progress"
    assert vals(st) == [72.5]
    assert end(st) == "2025-10-15"


def test_future_target_with_year_is_a_commitment():
    [st] = run("By 2030, 95% of households will use cashless payments.")
    assert (st.kind, vals(st), end(st)) == ("commitment", [95], "2030-12-31")


def test_directive_adverb_and_imperative_are_commitments():
    sts = run("Localities urgently complete the review of 300 overlapping procedures.\n\n"
              "At the same time, cut 20% of business conditions in the construction sector.")
    assert [(s.kind, vals(s)) for s in sts] == [("commitment", [300]), ("commitment", [20])]


def test_passive_assignment_is_reported_progress_not_a_request():
    [st] = run("In 2025, a total of 120 tasks were assigned to 18 ministries and agencies.")
    assert st.kind == "progress"
    assert vals(st) == [120, 18]
    assert end(st) == "2025-12-31"                       # "in 2025": the period's end


def test_passive_tasking_with_the_action_is_a_commitment():
    [st] = run("The Ministry of Public Security was tasked with connecting the population database with "
               "40 specialized databases by the end of the fourth quarter.")
    assert (st.kind, vals(st), end(st)) == ("commitment", [40], "2025-12-31")
    assert names(st) == ["Ministry of Public Security"]


def test_year_to_date_period_is_not_an_as_of_date():
    [st] = run("In the first 9 months of the year, export turnover reached 350 billion USD.")
    assert st.kind == "progress"
    assert st.date is None


def test_standing_fact_with_a_number_is_not_progress():
    assert run("After the merger, Gia Lai province has 135 communes and wards.") == []


def test_directing_body_answers_when_nobody_named_is_asked():
    [st] = run("The State Bank of Vietnam directed credit institutions to ensure 100% of online payments "
               "are authenticated by biometrics no later than January 1, 2026.")
    assert names(st) == ["State Bank of Vietnam"]
    assert (vals(st), end(st)) == ([100], "2026-01-01")


def test_present_tense_with_a_period_still_to_come_is_a_plan():
    [st] = run("The Department of Construction coordinates with localities to complete site clearance "
               "for 12 expressway projects in November 2025.")
    assert (st.kind, end(st)) == ("commitment", "2025-11-30")


def test_first_quarter_of_a_year_to_come_is_a_time_frame_not_a_result():
    [st] = run("Ministry of Health instructed hospitals apply electronic medical records at 100% of "
               "provincial hospitals, complete in the first half of 2026.")
    assert (st.kind, end(st)) == ("commitment", "2026-06-30")
    assert names(st) == ["Ministry of Health"]
    [st] = run("In the first half of 2025, hospitals applied electronic medical records at 80% of provincial "
               "hospitals.")
    assert st.kind == "progress"


def test_plan_phrase_broken_by_a_comma_is_still_a_plan():
    [st] = run("The Ministry of Construction is reviewing the draft Law on Urban Planning and plans, to "
               "present it to the National Assembly in the second quarter of 2026.")
    assert (st.kind, end(st)) == ("commitment", "2026-06-30")
    assert names(st) == ["Ministry of Construction"]


def test_current_share_with_a_have_verb_is_a_measured_status():
    [st] = run("At present, about 62% of households have a broadband internet connection.")
    assert st.kind == "progress"
    assert vals(st) == [62]
    assert run("The province has 98 communes and wards after the merger.") == []


def test_lifted_obligation_is_a_status_not_a_commitment():
    [st] = run("Since March 1, 2025, applicants no longer have to submit paper copies for 25 licensing "
               "procedures because the data has been connected.")
    assert st.kind == "progress"
    [st] = run("Applicants have to submit electronic copies for 25 licensing procedures by March 2026.")
    assert st.kind == "commitment"


def test_target_set_for_a_coming_year_is_a_commitment():
    [st] = run("State budget spending for 2026 was set at 3,100,000 billion VND.")
    assert st.kind == "commitment"


def test_start_of_a_running_count_is_not_the_date_of_a_progress_figure():
    [st] = run("Since the beginning of 2025, the province has issued 3,200 electronic health books so far.")
    assert st.kind == "progress"
    assert end(st) is None


def test_headline_line_repeated_by_the_body_is_not_a_record():
    text = ("Hanoi grants nearly 1,300 land certificates to suburban households\n\n"
            "Hanoi has granted 1,250 land certificates to households in suburban districts since May.")
    [st] = run(text)
    assert st.text.startswith("Hanoi has granted")
    # a punctuated opening sentence is body text, not a headline
    assert len(run("Hanoi has granted 1,250 land certificates to suburban households.\n\n"
                   "Hanoi has also granted 300 construction permits to suburban households.")) == 2


def test_comparison_base_is_not_a_date():
    [st] = run("Exports reached 347 billion USD, up 16% compared to 2024.")
    assert (st.kind, vals(st), st.date) == ("progress", [347e9, 16], None)


def test_place_in_a_translated_documents_original_title_resolves_bare_province():
    src = "Tính đến ngày 25/10/2025, tỉnh đã giải ngân 6.200 tỷ đồng vốn đầu tư công."
    doc = Document(doc_id="v1", path="v1.txt", status="ok", lang="vi", published=PUB, text=src,
                   title="Cổng Thông tin điện tử tỉnh Quảng Ngãi")
    sent = Sentence(source_start=0, source_end=len(src), source=src, engine="lexicon",
                    english="As of October 25, 2025, province has disbursed 6,200 billion VND public investment capital.")
    [st] = extract_document(doc, [sent])
    assert names(st) == ["Quang Ngai Province"]
    assert (st.kind, end(st), vals(st)) == ("progress", "2025-10-25", [6.2e12])


# ------------------------------------------------------------------ atomic records
def test_two_deadlines_split_into_two_records_with_their_own_figures():
    text = ("The target is that by the end of 2026, 90% of public services will be provided online; "
            "by 2030, 100% of households will have broadband internet.")
    sts = run(text)
    assert [(vals(s), end(s)) for s in sts] == [([90], "2026-12-31"), ([100], "2030-12-31")]
    assert all(s.source_text == text for s in sts)       # evidence: the whole source sentence
    assert sts[1].text.startswith("by 2030, 100% of households")
    assert len({s.id for s in sts}) == 2
    assert all(s.kind == "commitment" for s in sts)


def test_split_at_and_between_targets():
    sts = run("Public investment disbursement will reach 60% by June 2026 and 95% by December 2026.")
    assert [(vals(s), end(s)) for s in sts] == [([60], "2026-06-30"), ([95], "2026-12-31")]


def test_same_deadline_twice_is_one_record():
    sts = run("Implement the settlement of 80% of administrative procedures online by 2025; ensure "
              "the smooth operation of the two-level local government until the end of the year.")
    assert len(sts) == 1
    assert (vals(sts[0]), end(sts[0])) == ([80], "2025-12-31")


# ------------------------------------------------------------------ attribution
def test_proposal_names_the_body_that_should_act():
    [st] = run("Quang Ninh province proposed that the State Bank of Vietnam issue guidance on preferential "
               "credit for 2,000 social housing units.")
    assert names(st) == ["State Bank of Vietnam"]
    assert st.kind == "commitment"


def test_reporter_is_the_actor_and_former_names_resolve_to_the_successor():
    [st] = run("According to a report by the Ministry of Planning and Investment, 1,500 new enterprises "
               "were registered in October.")
    assert st.kind == "progress"
    assert names(st) == ["Ministry of Finance"]
    assert end(st) == "2025-10-31"


def test_recipient_of_a_submission_is_not_an_actor():
    [st] = run("The Ministry of Information and Communications has submitted 3 draft laws to the "
               "National Assembly.")
    assert names(st) == ["Ministry of Science and Technology"]
    assert vals(st) == [3]


def test_issuer_of_a_document_is_not_an_actor_and_issue_date_is_not_a_deadline():
    [st] = run("Implementing Resolution No. 57/NQ-TW of the Politburo dated December 22, 2024, the Ministry "
               "of Health will put 12 digital platforms into operation.")
    assert names(st) == ["Ministry of Health"]
    assert vals(st) == [12]
    assert st.date is None


def test_the_province_means_the_province_named_before():
    sts = run("Speaking at the meeting, the Chairman said Quang Tri province has made great efforts in "
              "digital transformation. Currently, online public services in the province have reached 92%.")
    [st] = sts
    assert names(st) == ["Quang Tri Province"]
    assert vals(st) == [92]


def test_generic_groups_are_not_actors():
    [st] = run("Ministries, branches and localities must complete 120 tasks by December 2025.")
    assert st.actors == []
    assert (vals(st), end(st)) == ([120], "2025-12-31")


# ------------------------------------------------------------------ not statements
@pytest.mark.parametrize("sentence", [
    "Attending the meeting were Deputy Prime Minister Tran Hong Ha and leaders of 20 ministries.",
    "The Prime Minister commended the efforts of 34 provinces and cities in implementing Project 06.",
    'The motto is "discipline, responsibility, acceleration and breakthrough".',
    "Digital transformation and administrative reform are closely linked and support each other.",
    "Promote the spirit of innovation and creativity in all sectors.",
    "On the morning of October 3, the Prime Minister chaired the conference.",
    "The Prime Minister stated 5 viewpoints on developing the private economy.",
    "The province basically holds online meetings at all three levels of government.",
    "The Government will continue to direct the effective implementation of the resolution.",
])
def test_not_statements(sentence):
    assert run(sentence) == []


def test_vague_exhortation_without_anchor_is_skipped_but_named_assignee_is_kept():
    sts = run("Continue to improve the quality of online public services.\n\n"
              "The Prime Minister asked the Ministry of Home Affairs to review the staffing of communes.")
    assert len(sts) == 1
    assert names(sts[0]) == ["Ministry of Home Affairs"]


def test_task_list_announced_in_one_sentence_anchors_the_next():
    sts = run("The Prime Minister pointed out three specific tasks to focus on. He requested to process "
              "administrative documents in the digital environment and to popularize non-cash payments.")
    assert len(sts) == 1
    assert sts[0].text.startswith("He requested")
    assert sts[0].kind == "commitment"


# ------------------------------------------------------------------ dates across sentences
def test_as_of_date_is_inherited_in_the_paragraph_but_a_period_is_not():
    sts = run("As of September 30, 2025, 270 tasks had been completed. Of these, 50 tasks were "
              "completed ahead of schedule.\n\n"
              "Between July 1 and September 10, 2025, 6.6 million applications were received online. "
              "Over 3 million payments were also made.")
    assert [(vals(s), end(s)) for s in sts] == [
        ([270], "2025-09-30"), ([50], "2025-09-30"), ([6600000], "2025-09-10"), ([3000000], None)]


# ------------------------------------------------------------------ captions, ids, provenance
def test_caption_repeating_a_body_sentence_gives_one_record():
    cap = "The Ministry of Health will vaccinate 2 million children by 2026. Photo: VNA"
    text = (cap + "\n\nAt the meeting, the Ministry of Health said it will vaccinate 2 million children "
            "by 2026 under the expanded programme.")
    sts = run(text, captions=[cap])
    assert len(sts) == 1
    assert sts[0].caption is False
    assert vals(sts[0]) == [2000000]


def test_ids_are_stable_and_offsets_point_at_the_source():
    text = ("The goal is that by 2026, 80% of records will be digitized; by 2027, 100% of records "
            "will be digitized.\n\nAs of June 2025, 45 tasks had been completed.")
    doc, sents = make(text)
    a = extract_document(doc, sents)
    b = extract_documents([(doc, sents), (doc, sents)])
    assert [s.id for s in a] == [s.id for s in b[0]] == [s.id for s in b[1]]
    assert len({s.id for s in a}) == len(a) == 3
    for s in a:
        assert text[s.source_start:s.source_end] == s.source_text
        assert (s.lang, s.engine, s.doc_id) == ("en", "identity", "t1")


def test_translated_sentence_keeps_its_original_as_source_text():
    src = "Bis 2026 werden 90 % der öffentlichen Dienste online angeboten."
    doc = Document(doc_id="d1", path="d1.txt", status="ok", lang="de", published=PUB, text=src)
    sent = Sentence(source_start=0, source_end=len(src), source=src, english="By 2026, 90% of public services will be "
                    "provided online.", engine="lexicon", warnings=["w1"])
    [st] = extract_document(doc, [sent])
    assert st.source_text == src and st.lang == "de" and st.engine == "lexicon"
    assert st.translation_warnings == ["w1"]
    assert (vals(st), end(st), st.kind) == ([90], "2026-12-31", "commitment")


def test_absurd_figure_and_impossible_date_are_skipped_with_a_warning_on_the_record():
    [st] = run("The Ministry of Finance reported that revenue rose 1e308% in the quarter.")
    assert st.figures == []
    assert st.warnings == ["figure '1e308%' skipped: a number in scientific or power notation is not read"]
    [st] = run("The Ministry of Finance must complete 45 tasks by 31/02/2026.")
    assert vals(st) == [45] and st.date is None
    assert st.warnings == ["date '31/02/2026' skipped: no such day"]


# --- English attribution (issue 15)
def test_every_body_of_a_coordinated_partner_list_is_an_actor():
    [st] = run("The Ministry of Finance will work with the Ministry of Justice, the State Bank of Vietnam and "
               "the Ministry of Public Security to complete the database by December 2025.")
    assert names(st) == ["Ministry of Finance", "Ministry of Justice", "Ministry of Public Security",
                         "State Bank of Vietnam"]


def test_a_ministers_title_names_the_ministry_in_the_ministers_role():
    [st] = run("The Steering Committee assigns the Minister of Science and Technology to preside over and "
               "coordinate with ministries to submit the draft Law on Artificial Intelligence to the Government "
               "in November 2025.")
    assert names(st) == ["Ministry of Science and Technology"]
    [st] = run("The Prime Minister assigned Minister of Finance Nguyen Van Thang to complete the tax database "
               "by the end of 2025.")
    assert names(st) == ["Ministry of Finance"]
    [st] = run("Finance Minister Nguyen Van Thang said revenue reached 1.5 million billion VND by the end of September.")
    assert names(st) == ["Ministry of Finance"]


def test_minister_titles_in_three_languages():
    from pipeline.extract.actors import minister_titles
    assert minister_titles("en")["minister of finance"] == "Ministry of Finance"
    assert minister_titles("en")["finance minister"] == "Ministry of Finance"
    assert minister_titles("de")["finanzminister"] == "Ministry of Finance"
    assert minister_titles("vi")["bộ trưởng bộ tài chính"] == "Ministry of Finance"


def test_a_ministrys_report_carries_to_the_figures_of_its_paragraph_but_not_past_it():
    text = ("According to the Ministry of Science and Technology's report, the digital technology industry "
            "earned 3.2 million billion VND in the first 8 months. Over 70,000 digital technology enterprises "
            "were operating, up 12%.\n\nOver 3 million online payment transactions were conducted.")
    a, b, c = run(text)
    assert names(a) == names(b) == ["Ministry of Science and Technology"]
    assert names(c) == []


def test_a_remark_does_not_carry_to_the_next_sentence():
    a, b = run("The Ministry of Public Security said 22 million accounts had been issued. "
               "Digital revenue reached 3.8 million billion VND.")
    assert names(a) == ["Ministry of Public Security"] and names(b) == []


def test_a_steering_committee_is_an_actor_only_when_it_is_assigned():
    [st] = run("The Government Steering Committee requested ministries and localities to complete 100% of the "
               "tasks in the second quarter of 2026.")
    assert names(st) == []
    [st] = run("The Prime Minister assigned the Government Steering Committee to complete 100% of the tasks "
               "by the end of 2026.")
    assert names(st) == ["Government Steering Committee on Science, Technology, Innovation, Digital "
                         "Transformation and Project 06"]


# --- action names the task (issue 15)
def test_action_is_the_task_not_the_presiding_verb_nor_the_date():
    [st] = run("The Steering Committee assigns the Minister of Science and Technology to preside over and "
               "coordinate with ministries to submit the draft Law on Artificial Intelligence to the Government "
               "in November 2025.")
    assert st.action == "submit the draft Law on Artificial Intelligence to the Government"
    [st] = run("The Prime Minister assigned Minister of Finance Nguyen Van Thang to complete the tax database "
               "by the end of 2025.")
    assert st.action == "complete the tax database"


def test_action_of_a_passive_plan_is_the_thing_completed_not_the_date_phrase():
    [st] = run("The draft Law on Digital Technology Industry is to be completed in the second quarter of 2026.")
    assert st.action == "complete the draft Law on Digital Technology Industry"


def test_action_reads_past_a_date_in_the_middle_and_never_takes_an_issue_date():
    [st] = run("The Ministry of Finance must complete by December 31, 2025 the national database for enterprises.")
    assert st.action == "complete the national database for enterprises"
    [st] = run("The Ministry of Justice shall implement Resolution 57 dated February 23, 2025 and report 12 "
               "results by the end of the year.")
    assert "dated" not in st.action and st.action.startswith("implement Resolution 57")


def test_action_of_a_passive_result_names_what_was_done():
    [st] = run("More than 890 administrative procedures were cut in 2025.")
    assert st.action == "cut More than 890 administrative procedures"


def test_each_ministry_of_a_coordinated_plural_is_an_actor():
    [st] = run("The General Secretary asked the Ministry of Science and Technology to work with the ministries "
               "of finance and justice to submit a decree on a regulatory sandbox by the end of October.")
    assert names(st) == ["Ministry of Finance", "Ministry of Justice", "Ministry of Science and Technology"]


def test_the_body_that_runs_the_thing_is_the_actor_when_nobody_else_acts():
    [st] = run("The population database managed by the Ministry of Public Security is now connected with 38 "
               "of the 41 national databases.")
    assert names(st) == ["Ministry of Public Security"]


# --- issue 15, round 2: which date a record takes, and clauses that are records of their own
def test_a_result_by_a_year_less_date_is_dated_before_publication():
    [st] = run("The Ministry of Science and Technology said that by December 31, 612 of the 745 tasks "
               "assigned for 2025 had been completed, or 82.1 per cent.", published="2026-02-11")
    assert (st.kind, end(st)) == ("progress", "2025-12-31")
    [st] = run("5G networks covered 91% of the population by the end of the year, the State Bank of "
               "Vietnam reported.", published="2026-02-27")
    assert end(st) == "2025-12-31"
    # a plan keeps the coming date
    [st] = run("The Ministry of Finance must complete the database by December 31.", published="2026-02-11")
    assert (st.kind, end(st)) == ("commitment", "2026-12-31")


def test_a_plan_takes_the_date_to_come_not_a_scope_or_a_past_period():
    [st] = run("The Ministry of Finance was tasked with announcing official statistics on the digital "
               "economy's share of GDP in 2025 in the second quarter of this year.", published="2026-02-27")
    assert end(st) == "2026-06-30"
    [st] = run("The Ministry of Information and Communications will submit a digital infrastructure scheme "
               "for 2025-2030 to the Government in the first quarter.", published="2025-01-10")
    assert end(st) == "2025-03-31"


def test_a_possessive_date_names_a_thing():
    [st] = run("As of March 31, 63.6 million people had activated accounts, surpassing last year's "
               "target of 65 million.", published="2026-04-10")
    assert (st.kind, end(st), vals(st)) == ("progress", "2026-03-31", [63.6e6, 65e6])


def test_a_state_since_a_day_dates_the_result_but_a_count_window_does_not():
    [st] = run("Since June 1, authentication of online payments has been applied at 42 commercial banks.",
               published="2026-06-16")
    assert (st.kind, end(st)) == ("progress", "2026-06-01")


def test_a_non_deadline_date_does_not_cut_a_sentence():
    sts = run("The State budget has earmarked 3% of total spending for science this year, but only 18.4% "
              "had been disbursed by the end of June.", published="2025-07-17")
    assert [(s.kind, vals(s), end(s)) for s in sts] == [("progress", [3, 18.4], "2025-06-30")]


def test_two_deadlines_are_cut_before_and_each_part_keeps_its_body():
    text = ("He asked the Ministry of Public Security to complete the connection of the remaining three "
            "databases by June 30, 2026, and told the Ministry of Science and Technology to finalise the "
            "committee's 2026 action plan, comprising 132 tasks, by mid-March.")
    a, b = run(text, published="2026-02-27")
    assert (vals(a), end(a), names(a)) == ([3], "2026-06-30", ["Ministry of Public Security"])
    assert (vals(b), end(b), names(b)) == ([132], "2026-03-15", ["Ministry of Science and Technology"])
    assert b.text.startswith("told the Ministry of Science")
    assert a.source_text == b.source_text == text   # one statement's two deadlines: the sentence is the evidence


def test_a_result_stated_inside_a_plan_is_a_record_of_its_own():
    text = ("Vietnam aims to have 85% of administrative dossiers processed fully online this year after "
            "reaching 76.8% in 2025, short of the 80% target.")
    plan, result = run(text, published="2026-02-11")
    assert (plan.kind, vals(plan), end(plan)) == ("commitment", [85], "2026-12-31")
    assert (result.kind, vals(result), end(result)) == ("progress", [76.8, 80], "2025-12-31")
    # each quotes its clause, and the offsets still point at it
    assert plan.source_text == text[:plan.source_end - plan.source_start] and plan.source_text.endswith("this year")
    assert result.source_text == text[result.source_start:result.source_end] == "after reaching 76.8% in 2025, short of the 80% target."
    plan, result = run("Telecom operators are expected to extend 5G coverage to 90% of the population by the "
                       "end of this year, up from about 62% at present.", published="2025-07-17")
    assert (plan.kind, vals(plan), end(plan)) == ("commitment", [90], "2025-12-31")
    assert (result.kind, vals(result), end(result)) == ("progress", [62], None)
    # no figure on the result side: one record
    [st] = run("Provinces are expected to raise the share of dossiers handled online to at least 70 per cent "
               "this year, up from just over half in 2025.", published="2026-03-06")
    assert (vals(st), end(st)) == ([70], "2026-12-31")


def test_the_dated_last_item_of_a_task_list_is_a_record_of_its_own():
    text = ("The Prime Minister requested the Ministry of Home Affairs to review human resources for digital "
            "transformation; promote the Digital Education for All movement; complete tools to measure the "
            "performance of ministries, to be completed in September.")
    head, last = run(text, published="2025-09-24")
    assert (head.kind, end(head), names(head)) == ("commitment", None, ["Ministry of Home Affairs"])
    assert (last.kind, end(last), names(last)) == ("commitment", "2025-09-30", ["Ministry of Home Affairs"])
    assert last.source_text.startswith("complete tools to measure") and head.source_text.endswith("movement")


def test_counts_in_words_anchor_results_but_an_announced_list_count_does_not():
    [st] = run("Fourteen tasks were overdue, most of them related to legal documents.")
    assert (st.kind, vals(st)) == ("progress", [14])
    sts = run("The Prime Minister pointed out three specific tasks to focus on. He requested to process "
              "administrative documents in the digital environment and to popularize non-cash payments.")
    assert len(sts) == 1 and sts[0].text.startswith("He requested")


def test_an_opening_chairing_phrase_does_not_veto_what_follows():
    [st] = run("Chairing the first meeting in 2026 of the Steering Committee, the PM said the rate of dossiers "
               "handled entirely online reached nearly 77 per cent in 2025.", published="2026-02-11")
    assert (st.kind, vals(st), end(st)) == ("progress", [77], "2025-12-31")
    assert run("Chairing the meeting, the PM thanked ministries for the 95% completion rate.") == []


def test_given_until_a_date_is_a_deadline_for_the_bodies_given_it():
    [st] = run("The Ministry of Home Affairs and the Ministry of Public Security were given until September 30 "
               "to complete the national database on officials.", published="2026-06-16")
    assert (st.kind, end(st), names(st)) == ("commitment", "2026-09-30",
                                             ["Ministry of Home Affairs", "Ministry of Public Security"])


def test_the_ministry_names_the_ministry_named_just_before():
    text = ("The Ministry of Home Affairs was asked to submit a reform plan to the PM by the end of April. "
            "The ministry will also publish the 2025 PAR Index in April.")
    a, b = run(text, published="2026-03-06")
    assert names(b) == ["Ministry of Home Affairs"] and end(b) == "2026-04-30"
    # with no ministry named before, "the ministry" is nobody
    [st] = run("The ministry will publish the 2025 PAR Index in April.", published="2026-03-06")
    assert st.actors == []


def test_all_n_as_subject_measures_but_at_all_n_levels_describes():
    [st] = run("The Ministry of Agriculture and Environment reported that all 34 provinces and cities have "
               "synchronized their land data with the national land database.")
    assert (st.kind, vals(st), names(st)) == ("progress", [34], ["Ministry of Agriculture and Environment"])
    assert run("The government at all three levels must operate smoothly.") == []


def test_a_population_fact_is_not_a_result_and_a_year_is_not_a_list_count():
    assert run("Vietnam has some 106 million people, of whom about 80 million are aged 14 and above.") == []
    assert run("To fulfil the 2025 targets, the PM requested ministries, agencies and localities to focus "
               "on the following tasks:") == []


def test_an_undated_article_reads_relative_dates_against_its_titles_year():
    text = ("The PM set the target of raising the digital economy's share to 20% of GDP this year. "
            "The Ministry of Information and Communications will submit a digital infrastructure scheme "
            "to the Government in the first quarter.")
    a, b = run(text, published=None, title="PM: Digital economy to account for 20% of GDP in 2025")
    assert (end(a), end(b)) == ("2025-12-31", "2025-03-31")
    # no year in the title (or two): nothing to read them against
    a, b = run(text, published=None, title="Digital economy targets for 2025 and 2030")
    assert (a.date.end if a.date else None, b.date.end if b.date else None) == (None, None)


@pytest.mark.parametrize("text,kept,warning", [
    ("The Ministry of Finance must complete 45 tasks in Q0 2026.", [45], "date 'Q0' skipped: a year has four quarters"),
    ("The Ministry of Finance reported that 10^1000 people used the portal in 2025.", [],
     "figure '10^1000' skipped: a number in scientific or power notation is not read"),
    ("The Ministry of Finance reported revenue of VND 123456789012345678901234 in 2025.", [],
     "figure 'VND 123456789012345678901234' skipped: more than 15 digits, not a plausible quantity"),
])
def test_bad_figures_and_dates_leave_a_warning_on_the_record_and_no_value(text, kept, warning):
    [st] = run(text)
    assert vals(st) == kept and st.warnings == [warning]
    if "Q0" in text:
        assert st.date is None   # no quarter 0: no date at all, not a neighbouring one


def test_plan_and_result_classes_of_english_news():
    # a reaffirmed target with a deadline is a plan; "wants to" is a plan; "tasks due this year" a deadline
    [st] = run("Concluding the meeting, PM Chinh reaffirmed the target that 80 percent of administrative dossiers "
               "be processed fully online by the end of 2025.", published="2025-05-27")
    assert (st.kind, vals(st), end(st)) == ("commitment", [80], "2025-12-31")
    [st] = run("Vietnam's government wants to cut the time of handling administrative procedures by 30 per cent "
               "in 2026.", published="2026-03-06")
    assert (st.kind, end(st)) == ("commitment", "2026-12-31")
    [st] = run("According to the Ministry of Science and Technology, the action programme contains 140 tasks due "
               "this year.", published="2025-03-16")
    assert (st.kind, vals(st), end(st)) == ("commitment", [140], "2025-12-31")
    # an obligation in a reason clause, or a directing verb with "still", describes a state
    [st] = run("Only 41.6 per cent of dossiers were processed fully online in 2024, the Ministry of Home Affairs "
               "said, as many systems remain unconnected and people still have to submit the same papers.")
    assert (st.kind, end(st)) == ("progress", "2024-12-31")
    [st] = run("The share of dossiers handled online rose to 76.8% in 2025, but several ministries still require "
               "citizens to submit paper copies.", published="2026-02-11")
    assert st.kind == "progress"
