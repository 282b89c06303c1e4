"""A newcomer's first hour (issue 18): the traps a new user fell into, each one shut.

Output folders inside a corpus are skipped (and said so), reports name the folder and the run they read,
`eval` needs its gold, a site's name line is no headline, a corpus gives outlet and URL per file, and a
rejection says what happened. One real run (a subprocess, as a user runs it) feeds the command tests.
"""
from __future__ import annotations

import json
import logging
import re
import subprocess
from pathlib import Path

import pytest
from rich.console import Console

from pipeline.config import MIN_TEXT_CHARS
from pipeline.ingest import discover, iter_documents, skipped_folders
from pipeline.ingest.chrome import clean_text_page
from pipeline.ingest.readers import read_html, read_text

from conftest import ROOT

EXE = ROOT / ".venv" / "bin" / "commitments"

ARTICLE = """VnExpress International

Vietnam to open national data center by August

Prime Minister Pham Minh Chinh on Tuesday asked the Ministry of Public Security to put the National Data Center into operation before August 19, 2025, and to connect it with the databases of all ministries.

The Ministry of Science and Technology must cut the cost of administrative procedures by at least 30% by the end of 2025, the Prime Minister said at the meeting in Hanoi.

He also asked ministries and localities to move 80% of public services online by the end of the year.
"""

RUN_JSON = {"pipeline_version": "0.1.0", "corpus": "elsewhere", "started": "2025-01-01T00:00:00+00:00",
            "finished": "2025-01-01T00:00:10+00:00", "seconds": 10.0, "documents": 17, "ok": 17, "rejected": 0,
            "languages": {"en": 17}, "statements": 0, "clusters": 0}


def cli(*args: str, cwd: Path = ROOT, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def _old_outputs(folder: Path) -> None:
    """What an earlier run left in ``folder``: its run.json and JSONL outputs (17 lines of documents)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run.json").write_text(json.dumps(RUN_JSON), encoding="utf-8")
    line = json.dumps({"doc_id": "x", "path": "x.txt", "status": "ok", "text": ARTICLE})
    (folder / "documents.jsonl").write_text((line + "\n") * 17, encoding="utf-8")
    (folder / "schema").mkdir(exist_ok=True)
    (folder / "schema" / "documents.schema.json").write_text("{}", encoding="utf-8")


# ----------------------------------------------------------------------------- one real run
@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> dict:
    """`commitments extract corpus --out corpus/outputs` run twice, over an English article beside an
    older run's outputs inside the corpus (a folder `old/` holding a run.json)."""
    base = tmp_path_factory.mktemp("newcomer")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "article.txt").write_text(ARTICLE, encoding="utf-8")
    _old_outputs(corpus / "old")
    out = corpus / "outputs"
    runs = [cli("extract", str(corpus), "--out", str(out), "--no-cache", "-j", "1") for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr
    return {"corpus": corpus, "out": out, "runs": runs}


def test_an_output_folder_inside_the_corpus_is_not_read_back(ran):
    out = ran["out"]
    first, second = ran["runs"]
    # one article, on the first run and on the second (its outputs now lie inside the corpus)
    for r in (first, second):
        assert r.stdout.startswith("1 documents read, 1 ok, 0 rejected (en 1)"), r.stdout
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["documents"] == 1
    # ... and the run log says what it left out, and why
    assert f"{ran['corpus'] / 'old'}: skipped, it holds a run's outputs (run.json), not articles" in second.stderr
    assert f"{out}: skipped, it is this run's output folder, not articles" in second.stderr


def test_no_empty_lock_file_is_left_behind(ran):
    assert not (ran["out"] / ".lock").exists()
    assert sorted(p.name for p in ran["out"].iterdir() if p.name.startswith("."))  == []


def test_translator_notes_only_for_languages_in_the_corpus(ran):
    # an English corpus: no "vi: lexicon translator" or "de: ..." line
    for r in ran["runs"]:
        assert not re.search(r"^(vi|de): ", r.stderr, re.M), r.stderr


def test_a_site_name_line_names_the_outlet_and_is_not_the_title(ran):
    doc = json.loads((ran["out"] / "documents.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert doc["title"] == "Vietnam to open national data center by August"
    assert doc["outlet"] == "e.vnexpress.net"   # from pipeline/data/outlets.toml [sites]
    assert "VnExpress International" not in doc["text"]
    quotes = [json.loads(x)["source_text"] for x in (ran["out"] / "commitments.jsonl").read_text().splitlines()]
    assert quotes and not any(q.startswith("Vietnam to open") for q in quotes)  # the headline is no statement


def test_the_output_folder_equal_to_the_corpus_is_refused(tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    r = cli("extract", str(tmp_path), "--out", str(tmp_path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [
        f"error: the output folder is the corpus folder itself ({tmp_path}): its outputs would be read back as "
        "articles; choose another --out (a folder inside the corpus is fine, it is skipped)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt"]  # nothing written


# ----------------------------------------------------------------------------- the walk
def test_the_walk_skips_output_folders_and_says_so(tmp_path, caplog):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    _old_outputs(tmp_path / "runs" / "monday")          # any folder holding our run.json
    (tmp_path / "mine").mkdir()                          # the run's own --out, before its first run.json
    (tmp_path / "mine" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notours").mkdir()                       # a run.json of someone else's: an ordinary folder
    (tmp_path / "notours" / "run.json").write_text('{"name": "x"}', encoding="utf-8")
    (tmp_path / "notours" / "c.txt").write_text(ARTICLE, encoding="utf-8")
    got = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path, skip=[tmp_path / "mine"])]
    assert got == ["a.txt", "notours/c.txt", "notours/run.json"]
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        ids = [d.doc_id for d in iter_documents(tmp_path, skip=[tmp_path / "mine"])]
    assert ids == ["a", "notours/c", "notours/run"]
    assert caplog.messages == [f"{tmp_path / 'mine'}: skipped, it is this run's output folder, not articles",
                               f"{tmp_path / 'runs' / 'monday'}: skipped, it holds a run's outputs (run.json), "
                               "not articles"]


def test_a_corpus_folder_holding_a_run_json_keeps_its_articles(tmp_path):
    """Outputs written straight into the corpus by an older version: its output files are left out, its
    articles are read."""
    _old_outputs(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert [p.name for p in discover(tmp_path)] == ["a.txt"]
    assert skipped_folders(tmp_path) == [
        f"{tmp_path}: holds a run's outputs (run.json): documents.jsonl, run.json, schema skipped, not articles"]


# ----------------------------------------------------------------------------- reports name their run
def test_reports_say_which_folder_and_which_run_they_read(ran):
    out = ran["out"]
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    expected = f"reading {out}/ (the run of {info['finished']} on {info['corpus']}, 1 documents)"
    clusters = cli("clusters", "--out", str(out))
    assert clusters.returncode == 0, clusters.stderr
    assert clusters.stderr.splitlines()[0] == expected
    cid = json.loads((out / "clusters.jsonl").read_text().splitlines()[0])["cluster_id"]
    table = cli("diff", cid, "--out", str(out), env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"})
    assert table.returncode == 0, table.stderr
    assert table.stderr.splitlines() == [expected, f"wrote the HTML page of this meeting: {out / 'diff' / cid}.html"]
    assert (out / "diff" / f"{cid}.html").exists()
    js = cli("diff", cid, "--out", str(out), "--format", "json")
    assert json.loads(js.stdout)["cluster"]["cluster_id"] == cid   # stdout stays the JSON
    assert js.stderr.splitlines() == [expected]


def test_a_folder_without_run_json_is_named_as_of_an_unknown_run(ran, tmp_path):
    for name in ("documents.jsonl", "clusters.jsonl", "commitments.jsonl"):
        (tmp_path / name).write_bytes((ran["out"] / name).read_bytes())
    r = cli("clusters", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[0] == f"reading {tmp_path}/ (no run.json: which run wrote it is unknown)"


def test_eval_without_gold_is_a_usage_error(ran):
    r = cli("eval", "--out", str(ran["out"]))
    assert r.returncode == 2 and r.stdout == ""
    assert "Missing option '--gold'" in r.stderr and "Traceback" not in r.stderr
    gold = ROOT / "tests" / "gold" / "seeds"
    ok = cli("eval", "--gold", str(gold), "--out", str(ran["out"]))
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.splitlines()[0].endswith(f"; gold {gold}/")


# ----------------------------------------------------------------------------- terminal tables at 80 columns
def test_tables_at_80_columns_keep_outlet_names_whole(ran):
    from pipeline.meetings import load_views
    from pipeline.report.table import print_index, print_meeting

    views = load_views(ran["out"])
    for show in (lambda c: print_index(views, c), lambda c: print_meeting(views[0], c)):
        console = Console(width=80, record=True, color_system=None)
        show(console)
        text = console.export_text()
        assert max(len(line) for line in text.splitlines()) <= 80
        assert "e.vnexpress.net" in text                  # never "e.vnexpress.n" / "et"


# ----------------------------------------------------------------------------- .txt headers
BODY = ("\n\nDer Premierminister hat am Dienstag in Hanoi gefordert, dass alle Ministerien die Digitalisierung "
        "beschleunigen und das Datenzentrum vor dem 19. August in Betrieb nehmen.\n\nZweiter Absatz.")


@pytest.mark.parametrize("raw, title, outlet", [
    # a site the data knows: its line names the outlet, the headline is the title (even a short one)
    ("Tuổi Trẻ Online\n\nThủ tướng chỉ đạo gấp" + BODY, "Thủ tướng chỉ đạo gấp", "tuoitre.vn"),
    ("VnExpress International\n\nLockdown lifted" + BODY, "Lockdown lifted", "e.vnexpress.net"),
    ("Vietnam Kurier\n\nDatenzentrum kommt" + BODY, "Datenzentrum kommt", "Vietnam Kurier"),
    ("Vietnam Kurier\n\nDaten" + BODY, "Daten", "Vietnam Kurier"),       # a headline of one word
    ("TUỔI TRẺ ONLINE - Tin tức\n\nThủ tướng chỉ đạo gấp" + BODY, "Thủ tướng chỉ đạo gấp", "tuoitre.vn"),
    # a site it does not know: a short capitalised line is no title when a headline that asks stands below it
    ("Saigon Times Online\n\nWill Vietnam open its data centre by August?" + BODY,
     "Will Vietnam open its data centre by August?", None),
    # a short capitalised headline above an author line stays the headline
    ("Vietnam Data Push\n\nBy Minh Anh" + BODY, "Vietnam Data Push", None),
    ("The Hanoi Times\n\nVietnam Data Push\n\nBy Minh Anh" + BODY, "Vietnam Data Push", "hanoitimes.vn"),
    # a headline that asks a question reads like a sentence, yet it is the headline
    ("Vietnam Kurier\n\nKann Vietnam seine Digitalziele bis 2030 erreichen und die Verwaltung modernisieren?" + BODY,
     "Kann Vietnam seine Digitalziele bis 2030 erreichen und die Verwaltung modernisieren?", "Vietnam Kurier"),
    # no site line: the headline as before
    ("Datenzentrum geht in Betrieb" + BODY, "Datenzentrum geht in Betrieb", None),
])
def test_a_site_name_line_is_told_from_the_headline(raw, title, outlet):
    page = clean_text_page(raw)
    assert (page.title, page.outlet) == (title, outlet)
    assert page.paragraphs[-2].startswith("Der Premierminister")
    assert title not in page.paragraphs and not any(p.startswith(("Vietnam Kurier", "Tuổi Trẻ", "TUỔI TRẺ",
                                                                   "VnExpress", "The Hanoi Times"))
                                                    for p in page.paragraphs)


def test_a_site_name_with_a_date_is_a_byline_of_the_source():
    """An aggregator credits its source with a date ("Báo Chính phủ - 10/06/2025 20:05"): a byline, its date
    the publication date, not a banner."""
    page = clean_text_page("Thủ tướng chỉ đạo gấp\n\nBáo Chính phủ - 10/06/2025 20:05" + BODY)
    assert page.published == "2025-06-10" and page.title == "Thủ tướng chỉ đạo gấp"


# ----------------------------------------------------------------------------- metadata per file
def test_sources_toml_and_front_matter_give_outlet_url_and_date(tmp_path, caplog):
    (tmp_path / "vk.txt").write_text("Vietnam Kurier\n\nDatenzentrum kommt" + BODY * 2, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "fm.txt").write_text("---\nurl: https://www.example.de/a/123\npublished: 2025-09-24\n"
                                "outlet: \"Deutsche Welle\"\ncolour: blue\n---\nDatenzentrum kommt" + BODY * 2,
                                encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        '["vk.txt"]\nurl = "https://www.vietnamkurier.de/2025/digital"\npublished = 2025-09-23\n\n'
        '["sub/fm.txt"]\noutlet = "ignored: the file\'s own front matter wins"\ntitle = "From sources.toml"\n\n'
        '["gone.txt"]\noutlet = "x"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        docs = {d.doc_id: d for d in iter_documents(tmp_path)}
    assert sorted(docs) == ["sub/fm", "vk"]                # sources.toml itself is no article
    vk, fm = docs["vk"], docs["sub/fm"]
    assert (vk.url, vk.outlet, vk.published, vk.published_from) == (
        "https://www.vietnamkurier.de/2025/digital", "vietnamkurier.de", "2025-09-23", "input")
    assert (fm.url, fm.outlet, fm.published, fm.title) == (
        "https://www.example.de/a/123", "Deutsche Welle", "2025-09-24", "From sources.toml")
    assert fm.text.startswith("Der Premierminister")       # the front matter is not text
    assert fm.warnings == ["front matter: unknown key `colour` left out (known: url, outlet, published, title, lang)"]
    assert caplog.messages == [f"{tmp_path / 'sources.toml'}: names files that are not in its folder: gone.txt"]


def test_a_broken_sources_toml_is_reported_and_the_files_still_read(tmp_path, caplog):
    (tmp_path / "a.txt").write_text("Datenzentrum kommt" + BODY * 2, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('["a.txt"\nurl = 1\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        (doc,) = iter_documents(tmp_path)
    assert doc.status == "ok" and doc.url is None
    assert len(caplog.messages) == 1
    assert caplog.messages[0].startswith(f"{tmp_path / 'sources.toml'}: cannot be read (")


# ----------------------------------------------------------------------------- rejections that say what happened
def test_a_short_text_is_rejected_as_shorter_than_the_minimum():
    text = "A headline\n\n" + "Ministries must finish the data by June." * 2    # 80 characters of body
    doc = read_text("t", "t.txt", text)
    assert doc.status == "rejected"
    assert doc.reason == (f"no article text after cleaning: 80 characters left, shorter than the minimum of "
                          f"{MIN_TEXT_CHARS} for an article")


def test_an_html_fragment_is_called_a_fragment():
    doc = read_html("f", "f.html", "<div><span>Hello there, short one.</span></div>")
    assert doc.status == "rejected"
    assert doc.reason == ("no article text after cleaning: an HTML fragment (no <html> or <body>) with 23 "
                          "characters of text, no paragraphs of an article (the minimum is 200 characters)")
    # a fragment holding an article is read as one
    para = "Der Premierminister hat am Dienstag gefordert, das Datenzentrum bis August in Betrieb zu nehmen. "
    ok = read_html("g", "g.html", f"<p>{para * 2}</p><p>{para}</p>")
    assert ok.status == "ok", ok.reason


def test_a_lead_that_starts_with_the_site_name_is_text():
    lead = ("VOV.VN - Bộ Nông nghiệp và Môi trường được yêu cầu phối hợp với Bộ Công an hoàn thành làm sạch dữ "
            "liệu đất đai trong tháng 10.")
    page = clean_text_page("Đề án 06: làm sạch dữ liệu đất đai\n\n" + lead + BODY)
    assert page.title == "Đề án 06: làm sạch dữ liệu đất đai"
    assert page.paragraphs[0].endswith("hoàn thành làm sạch dữ liệu đất đai trong tháng 10.")


from test_diff_html import outputs  # noqa: E402,F401 - the diff tests' hand-made run: two outlets per meeting


@pytest.mark.parametrize("width", [80, 60])
def test_two_outlet_meetings_at_narrow_widths(outputs, width):  # noqa: F811
    """At 80 columns the grid fits and keeps every outlet name whole; at 60 the facts are listed one by one
    (one line per outlet), never a grid cut mid-word."""
    from pipeline.meetings import load_views
    from pipeline.report.table import print_index, print_meeting

    views = load_views(outputs)
    shows = [(lambda c: print_index(views, c), views)] + [(lambda c, v=v: print_meeting(v, c), [v]) for v in views]
    for show, shown in shows:
        console = Console(width=width, record=True, color_system=None)
        show(console)
        text = console.export_text()
        assert max(len(line) for line in text.splitlines()) <= width
        words = {w.strip("│┃,") for w in text.split()}
        outlets = {c.label for v in shown for c in v.columns}
        assert outlets and outlets <= words, (width, outlets - words)
        assert "vtv.vn" in {c.label for v in views for c in v.columns}
