"""Hostile but legal input (issue 19, items 2 and 4-9): each defect the attack found, reproduced.

One bad character, number, sentence, byte or name affects that input alone (repaired with a warning,
or rejected with a reason), never the run; ids depend on an input's own path; dates and options are
checked. Expected values are written out by hand.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.extract.dates import find_dates
from pipeline.ingest import iter_documents
from pipeline.ingest.decode import decode
from pipeline.ingest.metadata import normalise_date
from pipeline.ingest.readers import read_html
from pipeline.records import DateSpan, Document, Statement
from pipeline.run import Settings, _unique_ids, process_document, run
from pipeline.validate import validate_outputs

from conftest import ROOT
from test_reliability import DE_TEXT, EN_TEXT, PARA, VI_BODY, VI_TITLE

SETTINGS = Settings(corpus=ROOT, out=ROOT, cache_dir=None)


def _ids(corpus: Path) -> dict[str, str]:
    """path -> doc_id, as the run names the inputs."""
    return {d.path: d.doc_id for d in _unique_ids(iter_documents(corpus))}


def _doc(text: str, doc_id: str = "t", **meta) -> Document:
    from pipeline.ingest.readers import read_text

    doc = read_text(doc_id, f"{doc_id}.txt", text, **meta)
    assert doc.status == "ok", doc.reason
    return doc


# --------------------------------------------------------------------------- 2. lone surrogates
@pytest.fixture(scope="module")
def surrogate_run(tmp_path_factory) -> Path:
    """A corpus with a file name that is not UTF-8 and JSONL lines carrying lone surrogates, beside
    a good file; run once, end to end."""
    base = tmp_path_factory.mktemp("surrogates")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(DE_TEXT, encoding="utf-8")
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9.txt"), "w", encoding="utf-8") as fh:
        fh.write(EN_TEXT)
    body = json.dumps(EN_TEXT)[1:-1]
    lines = ['{"id": "a\\ud800", "text": "%s"}' % body,                              # in the id
             '{"id": "b", "title": "Land \\udfff database", "text": "%s"}' % body,  # in the title
             '{"id": "c", "text": "%s"}' % body.replace("Finance", "Fin\\udc00ance")]  # in the text
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="ascii")
    out = base / "out"
    run(Settings(corpus=corpus, out=out, cache_dir=None))
    return out


def _documents(out: Path) -> dict[str, dict]:
    raw = (out / "documents.jsonl").read_bytes()
    raw.decode("utf-8")  # strict: every output is valid UTF-8
    return {d["doc_id"]: d for d in map(json.loads, raw.splitlines())}


def test_a_file_name_that_is_not_utf8_is_read_under_an_escaped_name(surrogate_run):
    docs = _documents(surrogate_run)
    d = docs["caf\\xe9"]
    assert (d["status"], d["path"]) == ("ok", "caf\\xe9.txt")
    assert d["warnings"] == ["file name is not valid UTF-8: its undecodable bytes are written as \\xNN"]
    assert docs["good"]["status"] == "ok" and docs["good"]["warnings"] == []


def test_lone_surrogates_in_jsonl_fields_are_replaced_with_a_warning(surrogate_run):
    docs = _documents(surrogate_run)
    assert docs["a\ufffd"]["status"] == "ok"
    assert docs["a\ufffd"]["warnings"] == ["line 1: `id`: 1 lone surrogate (not a character) replaced with U+FFFD"]
    assert docs["b"]["title"] == "Land \ufffd database"
    assert docs["b"]["warnings"] == ["line 2: `title`: 1 lone surrogate (not a character) replaced with U+FFFD"]
    assert "Ministry of Fin\ufffdance" in docs["c"]["text"]
    assert docs["c"]["warnings"] == ["line 3: `text`: 1 lone surrogate (not a character) replaced with U+FFFD"]
    assert len(docs) == 5 and all(d["status"] == "ok" for d in docs.values())


def test_outputs_with_repaired_inputs_validate(surrogate_run):
    problems, counts = validate_outputs(surrogate_run)
    assert problems == []
    assert counts["documents.jsonl"] == 5
    info = json.loads((surrogate_run / "run.json").read_text(encoding="utf-8"))
    assert (info["ok"], info["rejected"]) == (5, 0)


# --------------------------------------------------------------------------- 4. extreme numbers and sentences
def test_a_309_digit_number_is_skipped_with_a_warning_not_an_internal_error():
    n = "9" * 400
    doc = _doc("Finance ministry plans record spending\n\nThe Ministry of Finance will allocate "
               f"{n} VND to the digital transformation programme by December 31, 2026, according to the "
               "plan approved by the Government on Monday. The ministry said 45 tasks were completed.\n")
    res = process_document(doc, SETTINGS)
    assert res.document.status == "ok", res.document.reason
    start = doc.text.index(n)
    assert res.document.warnings == [f"a number of 400 digits at character {start} is too long to be a figure: "
                                     "not read as one"]
    assert all(f.value < 1e300 for s in res.statements for f in s.figures)
    assert 45 in {f.value for s in res.statements for f in s.figures}
    assert res.summary is not None


def test_a_4301_digit_number_in_vietnamese_is_skipped_not_an_internal_error():
    n = "7" * 5000
    doc = _doc(VI_TITLE + "\n\n" + f"Đến nay đã có {n} hồ sơ được giải quyết trực tuyến, đạt 95% kế hoạch năm 2025. "
               + VI_BODY + "\n", lang="vi")
    res = process_document(doc, SETTINGS)
    assert res.document.status == "ok", res.document.reason
    assert res.document.lang == "vi"
    assert any("a number of 5,000 digits" in w for w in res.document.warnings)
    assert 95 in {f.value for s in res.statements for f in s.figures}
    assert not any("777" in f.text for s in res.statements for f in s.figures)  # no piece of it either


def test_a_grouped_4301_digit_number_keeps_the_lexicon_translator_working():
    # "777.777. … .777" (4,500 digits): the translator's number formatting used int() on it, which
    # failed, marked the lexicon engine broken and left every later Vietnamese document untranslated
    grouped = ".".join(["777"] * 1500)
    doc = _doc(VI_TITLE + "\n\n" + f"Tổng vốn đạt {grouped} tỷ đồng trong năm 2025. " + VI_BODY + "\n", lang="vi")
    res = process_document(doc, SETTINGS)
    assert res.document.status == "ok", res.document.reason
    assert res.document.translation.engine == "lexicon"
    after = process_document(_doc(VI_TITLE + "\n\n" + VI_BODY + "\n", "after", lang="vi"), SETTINGS)
    assert after.document.translation.engine == "lexicon"
    assert "Ministry of Home Affairs" in " ".join(s.english for s in after.document.translation.sentences)


def test_an_overlong_sentence_is_cut_into_parts_not_an_internal_error():
    from pipeline.extract.nlp import get_nlp

    # spaCy refuses a text over nlp.max_length (1,000,000: error E088). The same at a smaller scale:
    # a limit of 20,000 and a 30,000-character sentence.
    nlp = get_nlp()
    limit = nlp.max_length
    nlp.max_length = 20_000
    try:
        long = "The Ministry of Finance will complete 120 procedures by June 30, 2026 and " + \
               "the ministry will review the data " * 850 + "and report."
        assert 20_000 < len(long) < 40_000
        doc = _doc("Ministry plans a long review\n\n" + long + "\n\nThe ministry said 45 tasks were completed in 2025.\n")
        res = process_document(doc, SETTINGS)
    finally:
        nlp.max_length = limit
    assert res.document.status == "ok", res.document.reason
    a = doc.text.index(long)
    (warning,) = res.document.warnings
    assert warning.startswith(f"sentence at characters {a:,}-{a + len(long):,} is {len(long):,} characters long: "
                              "cut at spaces into ")
    assert warning.endswith(" parts of at most 5,000")
    assert {f.value for s in res.statements for f in s.figures} >= {120, 45}


def test_a_sentence_of_over_a_million_characters_is_cut_at_spaces():
    from pipeline.segment import split_sentences

    text = "Intro sentence here. Data " + "data " * 239_999 + "end."
    warnings: list[str] = []
    spans = split_sentences(text, "en", warnings)
    assert spans[0] == (0, 20)
    assert max(b - a for a, b in spans) <= 5000
    assert all(text[a] != " " and text[b - 1] != " " for a, b in spans)      # cut at spaces, trimmed
    assert "".join(text[a:b] + " " for a, b in spans[1:]).strip() == text[21:]  # nothing lost
    assert warnings == ["sentence at characters 21-1,200,025 is 1,200,004 characters long: cut at spaces into "
                        "241 parts of at most 5,000"]


def test_a_word_longer_than_a_part_is_left_out_not_cut_into_fragments():
    from pipeline.segment import split_sentences

    # cut inside the word, its last piece "77777777777777" would read as a 14-digit figure
    text = "So far " + "7" * 12_000 + " records were processed online, reaching 95% of the plan."  # 7 + 12,000 + 57
    warnings: list[str] = []
    spans = split_sentences(text, "en", warnings)
    assert [text[a:b] for a, b in spans] == ["So far", "records were processed online, reaching 95% of the plan."]
    assert warnings == ["sentence at characters 0-12,064 is 12,064 characters long: cut at spaces into 2 parts "
                        "of at most 5,000; 1 word longer than that left out"]


def test_an_overlong_jsonl_title_is_left_out_with_a_warning(tmp_path):
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "t", "title": "x " * 600_000, "text": EN_TEXT}) + "\n",
                                         encoding="utf-8")
    (doc,) = iter_documents(tmp_path)
    assert (doc.status, doc.title) == ("ok", None)
    assert doc.warnings == ["title of 1,200,000 characters is too long to be a title: left out"]


# --------------------------------------------------------------------------- 5. ids from paths
def test_a_file_keeps_its_id_when_a_namesake_appears_in_a_subfolder(tmp_path):
    (tmp_path / "same.txt").write_text(EN_TEXT, encoding="utf-8")
    assert _ids(tmp_path) == {"same.txt": "same"}
    (tmp_path / "d1").mkdir()                     # sorts before "same.txt": discovered first
    (tmp_path / "d1" / "same.txt").write_text(DE_TEXT, encoding="utf-8")
    assert _ids(tmp_path) == {"d1/same.txt": "d1/same", "same.txt": "same"}


def test_namesakes_in_one_folder_are_told_apart_by_extension_in_any_order(tmp_path):
    (tmp_path / "same.txt").write_text(EN_TEXT, encoding="utf-8")
    (tmp_path / "same.html").write_text(f"<html><body><article><p>{PARA}</p><p>{PARA}</p></article></body></html>",
                                        encoding="utf-8")
    assert _ids(tmp_path) == {"same.html": "same.html", "same.txt": "same.txt"}


def test_a_jsonl_id_that_clashes_is_renamed_by_its_path(tmp_path):
    (tmp_path / "same.txt").write_text(EN_TEXT, encoding="utf-8")
    (tmp_path / "z.jsonl").write_text(json.dumps({"id": "same", "text": DE_TEXT}) + "\n", encoding="utf-8")
    assert _ids(tmp_path) == {"same.txt": "same", "z.jsonl#1": "z.jsonl#1"}


def test_statement_ids_do_not_depend_on_sibling_files(tmp_path):
    alone, crowded = tmp_path / "alone", tmp_path / "crowded"
    for corpus in (alone, crowded):
        corpus.mkdir()
        (corpus / "same.txt").write_text(EN_TEXT, encoding="utf-8")
    (crowded / "d1").mkdir()
    (crowded / "d1" / "same.txt").write_text(EN_TEXT.replace("October 5", "October 6"), encoding="utf-8")

    def statement_ids(corpus):
        (doc,) = [d for d in _unique_ids(iter_documents(corpus)) if d.path == "same.txt"]
        return [s.id for s in process_document(doc, SETTINGS).statements]

    ids = statement_ids(alone)
    assert ids and statement_ids(crowded) == ids


# --------------------------------------------------------------------------- 6. encodings
def _utf16_jsonl(texts: list[str]) -> bytes:
    lines = [json.dumps({"id": f"n{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
    return ("\n".join(lines) + "\n").encode("utf-16-le")


def test_utf16le_jsonl_is_decoded_before_it_is_split_into_lines(tmp_path):
    # "\u0a00"-like code units put 0x0A bytes inside characters: "ਊ" is 0A 0A in UTF-16-LE, and the
    # low byte of "Ċ" (U+010A) is 0x0A too
    texts = [EN_TEXT, DE_TEXT, VI_TITLE + "\n\n" + VI_BODY, EN_TEXT.replace("Finance", "Finance (Ċ)")]
    data = _utf16_jsonl(texts)
    assert data.count(b"\n") > 4
    (tmp_path / "feed.jsonl").write_bytes(data)
    docs = list(iter_documents(tmp_path))
    assert [(d.doc_id, d.status, d.path) for d in docs] == [
        ("n0", "ok", "feed.jsonl#1"), ("n1", "ok", "feed.jsonl#2"), ("n2", "ok", "feed.jsonl#3"),
        ("n3", "ok", "feed.jsonl#4")]
    assert docs[1].text.startswith("Die Bundesregierung hat am Mittwoch")
    assert "Finance (Ċ)" in docs[3].text


def test_utf16_jsonl_with_bom_and_crlf_lines(tmp_path):
    lines = [json.dumps({"id": "x", "text": EN_TEXT}), json.dumps({"id": "y", "text": DE_TEXT}, ensure_ascii=False)]
    (tmp_path / "feed.jsonl").write_bytes("\r\n".join(lines).encode("utf-16"))
    assert [(d.doc_id, d.status) for d in iter_documents(tmp_path)] == [("x", "ok"), ("y", "ok")]


@pytest.mark.parametrize("text", [DE_TEXT, VI_TITLE + "\n\n" + VI_BODY + "\n",
                                  EN_TEXT.replace("Prime Minister", "Prime Minister’s office and the “ministry”")])
def test_one_bad_byte_in_a_utf8_file_is_replaced_not_a_guessed_code_page(text):
    from pipeline.ingest.decode import decode_report

    raw = text.encode("utf-8")
    cut = raw.index(b" ", len(raw) // 2)
    data = raw[:cut] + b"\xff" + raw[cut:]
    got, enc, warnings = decode_report(data)
    assert enc == "utf-8"
    assert got == text[:len(raw[:cut].decode("utf-8"))] + "\ufffd" + text[len(raw[:cut].decode("utf-8")):]
    assert warnings == ["1 byte sequence not valid UTF-8 in an otherwise UTF-8 file: replaced with U+FFFD"]


@pytest.mark.parametrize("text", [
    "The naïve plan was a café idea, said the Prime Minister’s office.",
    "Die Bundesregierung hat für die Gemeinden beschlossen. Größere Städte.",   # was guessed as big5hkscs
    "Der Ausschuss tagte am 2. Oktober – „zügig“, sagte der Minister; 95 % erledigt.",
])
def test_cp1252_english_and_german_are_not_read_as_another_code_page(text):
    assert decode(text.encode("cp1252")) == (text, "cp1252")


# --------------------------------------------------------------------------- 7. invisible characters, NUL
@pytest.mark.parametrize("raw, clean", [
    ("20\u200b25", "2025"),                             # zero-width space
    ("Min\u200distry of Finance", "Ministry of Finance"),  # zero-width joiner inside a Latin word
    ("Min\u200cistry", "Ministry"),                     # zero-width non-joiner
    ("a\u2060b", "ab"),                                 # word joiner
    ("\u200eHanoi\u200f", "Hanoi"),                     # left-to-right / right-to-left marks
    ("\u2066Đà Nẵng\u2069 \u202aHuế\u202c", "Đà Nẵng Huế"),  # isolates, embeddings
    ("Verwaltungs\u00adverfahren", "Verwaltungsverfahren"),  # soft hyphen
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),  # Persian ZWNJ
    ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937"),  # Devanagari half form (ZWJ)
    ("\U0001F468\u200d\U0001F469", "\U0001F468\u200d\U0001F469"),  # emoji sequence
])
def test_format_characters_are_removed_except_joiners_a_script_needs(raw, clean):
    from pipeline.ingest.decode import clean_characters

    assert clean_characters(raw) == (clean, [])


def test_invisible_characters_no_longer_split_figures_or_hide_actors(tmp_path):
    (tmp_path / "t.txt").write_text("Finance ministry sets a deadline\n\n"
               "The Min\u200distry of Finance will cut 3\u200b0% of business conditions by the end of 20\u200b25, "
               "the Government said on Mon\u2060day after its regular meeting in Hanoi. Provinces must report "
               "progress on the review of administrative procedures to the Government every month.\n",
                                    encoding="utf-8")
    (doc,) = iter_documents(tmp_path)
    assert doc.status == "ok" and doc.warnings == []
    assert "\u200d" not in doc.text and "\u200b" not in doc.text and "\u2060" not in doc.text
    res = process_document(doc, SETTINGS)
    (st,) = [s for s in res.statements if "business conditions" in s.text]
    assert [(f.value, f.unit) for f in st.figures] == [(30.0, "%")]
    assert st.date is not None and st.date.end == "2025-12-31"
    assert "Ministry of Finance" in {a.name for a in st.actors}


def test_nul_is_one_rule_for_the_whole_file(tmp_path):
    head = (EN_TEXT * 40)[:9000]                          # the NUL comes after the first 8 KB
    (tmp_path / "late.txt").write_bytes(head.encode("utf-8") + b"\x00" + EN_TEXT.encode("utf-8"))
    (tmp_path / "early.txt").write_bytes(EN_TEXT[:50].encode("utf-8") + b"\x00" + (EN_TEXT * 3).encode("utf-8"))
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40 + EN_TEXT.encode("utf-8"))
    docs = {d.doc_id: d for d in iter_documents(tmp_path)}
    for name in ("late", "early"):
        assert docs[name].status == "ok"
        assert "\x00" not in docs[name].text
        assert docs[name].warnings == ["1 NUL character removed"]
    assert (docs["binary"].status, docs["binary"].reason) == ("rejected", "binary content (NUL bytes)")


def test_nul_escaped_in_jsonl_is_removed(tmp_path):
    (tmp_path / "f.jsonl").write_text(json.dumps({"id": "n", "text": EN_TEXT.replace("Finance", "Fi\x00nance")}) + "\n",
                                      encoding="utf-8")
    (doc,) = iter_documents(tmp_path)
    assert doc.status == "ok" and "Ministry of Finance" in doc.text
    assert doc.warnings == ["line 1: `text`: 1 NUL character removed"]


# --------------------------------------------------------------------------- 8. dates and options
@pytest.mark.parametrize("value", ["0001-01-01", "0025-10-05", "0099-12-31T10:00:00"])
def test_a_published_year_below_100_is_refused(value):
    assert normalise_date(value)[0] is None


def test_a_two_digit_year_in_a_url_is_still_20yy():
    from pipeline.ingest.metadata import _valid

    assert _valid("25", "10", "05") == "2025-10-05"
    assert _valid("0025", "10", "05") is None


def test_a_published_year_below_100_in_jsonl_gives_no_date(tmp_path):
    (tmp_path / "f.jsonl").write_text(json.dumps({"id": "p", "published": "0001-01-01", "text": DE_TEXT}) + "\n",
                                      encoding="utf-8")
    (doc,) = iter_documents(tmp_path)
    assert (doc.status, doc.published) == ("ok", None)


@pytest.mark.parametrize("text, span", [
    ("The ministry will carry out the plan from 2026 to 2025.", "from 2026 to 2025"),
    ("The ministry will digitise records from March 2026 to January 2026.", "from March 2026 to January 2026"),
    ("Between June 30, 2026 and May 1, 2026 the ministry will review the data.", "Between June 30, 2026 and May 1, 2026"),
])
def test_an_inverted_range_is_left_unresolved_with_a_warning(text, span):
    (m,) = find_dates(text, "2025-09-24")
    assert (m.text, m.start_date, m.end_date) == (span, None, None)
    assert m.warning == f"date range '{span}' ends before it starts: left unresolved"


def test_a_statement_with_an_inverted_range_says_so():
    doc = _doc("Ministry sets a plan\n\nThe Ministry of Finance will digitise 120 procedures from 2026 to 2025, "
               "the Government said on Monday after its regular meeting in Hanoi. Provinces must report progress "
               "on the review of administrative procedures to the Government every month.\n")
    res = process_document(doc, SETTINGS)
    (st,) = [s for s in res.statements if "120 procedures" in s.text]
    assert st.date is None or (st.date.start, st.date.end) == (None, None)
    assert st.warnings == ["date range 'from 2026 to 2025' ends before it starts: left unresolved"]


def test_validate_refuses_a_date_span_that_ends_before_it_starts(tmp_path):
    doc = Document(doc_id="d", path="d.txt", status="ok", lang="en", text="x").model_dump(mode="json")
    stmt = Statement(id="s1", doc_id="d", kind="commitment", text="t", source_text="t", lang="en", source_start=0,
                     source_end=1, date=DateSpan(text="from 2026 to 2025", start="2026-01-01", end="2025-12-31")
                     ).model_dump(mode="json")
    (tmp_path / "documents.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    (tmp_path / "commitments.jsonl").write_text(json.dumps(stmt) + "\n", encoding="utf-8")
    problems, _ = validate_outputs(tmp_path)
    assert problems == ["commitments.jsonl:1: date: start 2026-01-01 is after end 2025-12-31"]


@pytest.mark.parametrize("args, message", [
    (["--max-bytes", "0"], "Invalid value for '--max-bytes': Input should be greater than or equal to 1"),
    (["--max-bytes", "-5"], "Invalid value for '--max-bytes': Input should be greater than or equal to 1"),
    (["-j", "-1"], "Invalid value for '--workers' / '-j': Input should be greater than or equal to 0"),
    (["--batch-size", "0"], "Invalid value for '--batch-size': Input should be greater than or equal to 1"),
])
def test_impossible_options_are_usage_errors(tmp_path, args, message):
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(tmp_path), "--out", str(tmp_path / "o"),
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert message in " ".join(proc.stderr.split()), proc.stderr
    assert "Usage:" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- 9. HTML body in a table
def test_paragraphs_in_a_table_cell_of_an_article_are_the_body():
    html = ("<html><head><title>Finance ministry sets a deadline</title></head><body><article><table><tr><td>"
            f"<p>{PARA}</p><p>{EN_TEXT.splitlines()[2]}</p></td></tr></table></article></body></html>")
    doc = read_html("t", "t.html", html)
    assert doc.status == "ok", doc.reason
    assert doc.text.startswith("The Ministry of Finance will complete the review of 120 administrative procedures")
    assert doc.text.count("by June 30, 2026") == 3
    assert doc.text.endswith("provinces must report progress every month.")


def test_a_page_without_a_body_is_still_rejected():
    doc = read_html("t", "t.html", "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>")
    assert doc.status == "rejected" and doc.reason.startswith("no article text after cleaning")
