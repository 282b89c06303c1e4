"""`commitments diff`: the HTML page rendered in headless Chromium (DOM checked), the terminal and
JSON formats, and the one-line errors. Built from hand-made records with a known date conflict, a
copy, a one-outlet meeting and figures that must read as people write them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import html as lxml_html

from pipeline.io import write_jsonl
from pipeline.meetings import load_views, write_meeting_outputs
from pipeline.records import Cluster, DateSpan, Document, Figure, Statement
from pipeline.report.html import write_pages

ROOT = Path(__file__).resolve().parents[1]

T80 = "Implement the settlement of 80% of the entire administrative procedures in the digital environment by 2025"
DB_003 = ("all ministries, branches and localities focus on completing their databases, completing them "
          "no later than the fourth quarter")
DB_004 = ("ministries, branches and localities must focus on completing their databases no later than the third "
          "quarter of 2025")
REVENUE = ("In the first 8 months of the year, the digital technology industry's revenue reached more than 3.2 million "
           "billion VND.")
RECORDS = "The police have issued 716,000 identification records."
AIR = "In 2025, 100% of airports, ports, and border gates will apply biometric technology and the VNeID platform."
AIR_DE = ("Im Jahr 2025 werden 100 % der Flughäfen, Häfen und Grenzübergänge biometrische Technologie und die "
          "VNeID-Plattform anwenden.")
AIR_DE_EN = ("In the year 2025 will 100 % of the airports, harbours and border crossings biometric technology and "
             "the VNeID platform apply.")


def _st(sid, doc, cluster, text, start, figure=None, date=None, lang="en", source=None, kind="commitment"):
    figs = []
    if figure:
        i = text.index(figure[0])
        figs = [Figure(value=figure[1], unit=figure[2], text=figure[0], text_start=i, text_end=i + len(figure[0]))]
    return Statement(id=sid, doc_id=doc, cluster_id=cluster, kind=kind, text=text, source_text=source or text,
                     lang=lang, figures=figs, date=DateSpan(text=date[0], start=date[1], end=date[2]) if date else None,
                     source_start=start, source_end=start + len(source or text))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    """A run's outputs for two meetings: the fourth (two outlets, a date conflict, an omission) and the
    first (an English original, its German copy, and a second outlet)."""
    out = tmp_path_factory.mktemp("diff-out")
    fourth = Cluster(cluster_id="m-fourth", doc_ids=["003", "004"], canonical_doc_id="003", date="2025-09-24",
                     label="Fourth meeting of the Steering Committee", languages=["en"],
                     outlets=["gialai.gov.vn", "vtv.vn"])
    first = Cluster(cluster_id="m-first", doc_ids=["000", "001", "002"], canonical_doc_id="000", date="2025-03-18",
                    label="First meeting of the Steering Committee", languages=["de", "en"],
                    outlets=["backan.gov.vn", "binhdinh.gov.vn"], duplicates=[{"doc_id": "001", "duplicate_of": "000"}])
    solo = Cluster(cluster_id="m-solo", doc_ids=["005"], canonical_doc_id="005", date="2025-10-01",
                   label="Ministry of Public Security press briefing", languages=["en"], outlets=["vietnamnet.vn"])
    docs = [
        ("000", "binhdinh.gov.vn", "en", "2025-03-18", None, "m-first"),
        ("001", "binhdinh.gov.vn", "de", "2025-03-18", "000", "m-first"),
        ("002", "backan.gov.vn", "en", None, None, "m-first"),
        ("003", "vtv.vn", "en", "2025-09-24", None, "m-fourth"),
        ("004", "gialai.gov.vn", "en", "2025-09-24", None, "m-fourth"),
        ("005", "vietnamnet.vn", "en", "2025-10-02", None, "m-solo"),
    ]
    write_jsonl(out / "documents.jsonl", [
        Document(doc_id=d, path=f"{d}.txt", status="ok", lang=lang, published=pub, outlet=o, url=f"https://{o}/{d}",
                 text="…", cluster_id=cl, duplicate_of=dup) for d, o, lang, pub, dup, cl in docs])
    write_jsonl(out / "commitments.jsonl", [
        _st("s1", "003", "m-fourth", T80, 100, ("80%", 80, "%"), ("by 2025", "2025-01-01", "2025-12-31")),
        _st("s2", "003", "m-fourth", DB_003, 300, date=("no later than the fourth quarter", "2025-10-01", "2025-12-31")),
        _st("s3", "004", "m-fourth", DB_004, 400, date=("no later than the third quarter of 2025", "2025-07-01",
                                                        "2025-09-30")),
        _st("s4", "004", "m-fourth", "As of September 23, 2025, 270 tasks had been completed", 50,
            ("270 tasks", 270, "tasks"), ("As of September 23, 2025", "2025-09-23", "2025-09-23"), kind="progress"),
        _st("s7", "003", "m-fourth", REVENUE, 20, ("more than 3.2 million billion VND", 3.2e15, "VND"), kind="progress"),
        _st("s5", "000", "m-first", AIR, 900, ("100%", 100, "%"), ("In 2025", "2025-01-01", "2025-12-31")),
        _st("s6", "001", "m-first", AIR_DE_EN, 950, ("100 %", 100, "%"), ("2025", "2025-01-01", "2025-12-31"),
            lang="de", source=AIR_DE),
        _st("s8", "005", "m-solo", RECORDS, 10, ("716,000 identification records", 716000, "identification records"),
            kind="progress"),
    ])
    write_jsonl(out / "clusters.jsonl", [first, fourth, solo])
    write_meeting_outputs(out)
    return out


# ----------------------------------------------------------------------------- chromium
def _chromium() -> str:
    """Path of Debian's chromium, installing it (apt-get) when absent; skip where that is impossible."""
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (["apt-get", "install", "-y", "-q", "chromium"], ["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "chromium"]):
            subprocess.run(cmd, env=env, capture_output=True, timeout=900)
            if shutil.which("chromium"):
                return shutil.which("chromium")
    pytest.skip("headless Chromium is not installed and cannot be installed here (needs root and apt-get: "
                "`apt-get install -y chromium`)")


def _chromium_args(tmp: Path) -> list[str]:
    return [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp / 'chromium-profile'}"]


def _dump_dom(page: Path, tmp: Path):
    proc = subprocess.run(_chromium_args(tmp) + ["--dump-dom", page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return lxml_html.fromstring(proc.stdout)


@pytest.fixture(scope="module")
def pages(outputs):
    return {p.name: p for p in write_pages(load_views(outputs), outputs)}


def _cells(tr):
    return [td for td in tr.xpath("./td") if "cell" in td.get("class", "").split()]


def test_meeting_page_dom_in_chromium(pages, tmp_path):
    dom = _dump_dom(pages["m-fourth.html"], tmp_path)
    # outlets as columns, canonical article's outlet first; each name links to its article
    heads = dom.xpath("//table[@class='diff']/thead//th[@data-outlet]")
    assert [th.get("data-outlet") for th in heads] == ["vtv.vn", "gialai.gov.vn"]
    assert [th.xpath(".//a[@class='outlet-name']")[0].get("href") for th in heads] == [
        "https://vtv.vn/003", "https://gialai.gov.vn/004"]
    assert [th.xpath(".//a[@class='outlet-name']")[0].text_content() for th in heads] == ["vtv.vn", "gialai.gov.vn"]
    # conflicts first, then facts of two or more outlets (none here), then those of one outlet; each counted
    sections = dom.xpath("//tbody[@data-section]")
    assert [(b.get("data-section"), b.xpath(".//tr[contains(@class, 'group')]")[0].text_content().strip())
            for b in sections] == [("conflicts", "Outlets disagree (1)"), ("single", "Carried by one outlet (3)")]
    rows = dom.xpath("//tr[contains(concat(' ', @class, ' '), ' row ')]")
    assert len(rows) == 4  # databases (merged, in conflict); revenue, 80% target, 270 tasks (reading order)
    states = [[(td.get("data-outlet"), td.get("data-state")) for td in _cells(tr)] for tr in rows]
    assert states == [
        [("vtv.vn", "conflict"), ("gialai.gov.vn", "conflict")],    # databases: Q4 vs Q3 2025
        [("vtv.vn", "agree"), ("gialai.gov.vn", "omitted")],        # revenue (progress)
        [("vtv.vn", "agree"), ("gialai.gov.vn", "omitted")],        # 80% by 2025: one outlet only
        [("vtv.vn", "omitted"), ("gialai.gov.vn", "agree")],        # 270 tasks (progress)
    ]
    db_row = rows[0]
    assert "databases" in db_row.xpath("./td[@class='what']")[0].text_content()
    conflict = [td for td in _cells(db_row) if td.get("data-outlet") == "gialai.gov.vn"][0]
    assert "conflict" in conflict.get("class").split() and conflict.get("data-conflict") == "date"
    label = conflict.xpath(".//*[@class='conflict-label']")[0].text_content()
    assert label.startswith("Conflict on date: 2025-09-30") and "vtv.vn: 2025-12-31" in label
    assert "third quarter of 2025" in conflict.xpath(".//blockquote")[0].text_content()
    omitted = [td for td in _cells(rows[2]) if td.get("data-state") == "omitted"][0]
    assert omitted.text_content().strip() == "not reported"
    # figures as people write them, never 3200000000000000
    revenue = rows[1].xpath("./td[@class='what']")[0].text_content()
    assert "more than 3.2 million billion VND" in revenue and "3200000000000000" not in dom.text_content()
    # the rendered page's cell colours come from the inline stylesheet (no external assets at all)
    assert not dom.xpath("//script | //link | //img | //*[@src]")


def test_copy_shown_as_copy_not_column(pages, tmp_path):
    dom = _dump_dom(pages["m-first.html"], tmp_path)
    assert [th.get("data-outlet") for th in dom.xpath("//thead//th[@data-outlet]")] == ["binhdinh.gov.vn",
                                                                                       "backan.gov.vn"]
    (row,) = dom.xpath("//tr[contains(concat(' ', @class, ' '), ' row ')]")
    carried, omitted = _cells(row)
    assert carried.get("data-state") == "agree" and omitted.get("data-state") == "omitted"
    (copy,) = carried.xpath(".//div[@class='copy']")
    assert copy.get("data-copy-of") == "000"
    assert copy.xpath(".//blockquote[@lang='de']")[0].text_content().endswith(AIR_DE)
    assert copy.xpath(".//div[@class='english']")[0].text_content() == AIR_DE_EN


def test_one_outlet_meeting_is_shown_plainly(pages, tmp_path):
    dom = _dump_dom(pages["m-solo.html"], tmp_path)
    assert "One outlet reported this meeting" in dom.xpath("//*[@data-note='one-outlet']")[0].text_content()
    (row,) = dom.xpath("//tr[contains(concat(' ', @class, ' '), ' row ')]")
    assert [td.get("data-state") for td in _cells(row)] == ["agree"]
    assert "716,000 identification records" in row.text_content()
    assert dom.xpath("//tbody[@data-section]")[0].xpath(".//tr")[0].text_content().strip() == \
        "Reported by the only outlet (1)"


def test_index_page_groups_meetings_by_committee_and_date(pages, tmp_path):
    dom = _dump_dom(pages["index.html"], tmp_path)
    rows = dom.xpath("//tr[@data-cluster]")
    assert [r.get("data-cluster") for r in rows] == ["m-first", "m-fourth", "m-solo"]
    assert [a.get("href") for a in dom.xpath("//tr[@data-cluster]//a")] == ["m-first.html", "m-fourth.html",
                                                                            "m-solo.html"]
    first_cells = [td.text_content() for td in rows[0].xpath("./td")]
    assert first_cells[0] == "2025-03-18" and "+ 1 copy (de)" in first_cells[2]
    assert first_cells[3:] == ["1", "0", "1", "0"]  # facts, carried by all outlets, by one outlet, in conflict
    assert [td.text_content() for td in rows[1].xpath("./td")][3:] == ["4", "0", "3", "1"]
    assert [td.text_content() for td in rows[2].xpath("./td")][3:] == ["1", "0", "0", "0"]


def test_screenshot_renders(pages, tmp_path):
    shot = tmp_path / "shot.png"
    proc = subprocess.run(_chromium_args(tmp_path) + [f"--screenshot={shot}", "--window-size=1400,900",
                                                      pages["m-fourth.html"].resolve().as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a blank 1400x900 page is ~5 KB


def test_html_is_well_formed_without_a_browser(pages):
    """Every tag opened is closed (a stray quote in a sentence must not break the table)."""
    class Check(HTMLParser):
        void = {"meta", "br"}

        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs):
            if tag not in self.void:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack.pop() == tag

    for page in pages.values():
        c = Check()
        c.feed(page.read_text(encoding="utf-8"))
        assert c.stack == []


# ----------------------------------------------------------------------------- command line
def _cli(*args, env_extra=None):
    env = dict(os.environ, COLUMNS="220", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_cli_table_json_and_errors(outputs):
    table = _cli("diff", "004", "--out", str(outputs))  # a doc_id names its meeting
    assert table.returncode == 0, table.stderr
    assert "Fourth meeting" in table.stdout and "≠ date: 2025-09-30" in table.stdout
    # three omitted cells, and the legend
    assert "≠ date: 2025-12-31" in table.stdout and table.stdout.count("— not reported") == 4
    assert table.stdout.index("Outlets disagree (1)") < table.stdout.index("Carried by one outlet (3)")
    assert (outputs / "diff" / "m-fourth.html").exists()

    js = _cli("diff", "m-fourth", "--out", str(outputs), "--format", "json")
    data = json.loads(js.stdout)
    assert [r["outlets"] for r in data["commitments"]] == [
        ["vtv.vn"], ["vtv.vn"], ["vtv.vn", "gialai.gov.vn"], ["gialai.gov.vn"]]  # meetings.jsonl: reading order
    assert data["commitments"][2]["conflicts"] == [{"field": "date", "unit": None, "values": [
        {"outlet": "vtv.vn", "value": "2025-12-31", "text": "no later than the fourth quarter", "doc_ids": ["003"],
         "statement_ids": ["s2"]},
        {"outlet": "gialai.gov.vn", "value": "2025-09-30", "text": "no later than the third quarter of 2025",
         "doc_ids": ["004"], "statement_ids": ["s3"]}]}]

    unknown = _cli("diff", "no-such-meeting", "--out", str(outputs))
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.strip().splitlines() == [
        f"error: unknown meeting or document id: no-such-meeting (cluster ids are in {outputs / 'clusters.jsonl'})"]

    missing = _cli("diff", "--all", "--out", str(outputs / "nowhere"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert missing.stderr.startswith("error: no documents.jsonl in")


def test_cli_all_writes_every_page(outputs):
    res = _cli("diff", "--all", "--out", str(outputs))
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in (outputs / "diff").iterdir()) == ["index.html", "m-first.html", "m-fourth.html",
                                                                    "m-solo.html"]
