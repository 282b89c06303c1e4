"""Meeting view and tracking (pipeline/meetings/) on hand-written statements from two outlets.

The sentences are the seed reports' own wording (003 vtv.vn and 004 gialai.gov.vn on the fourth
meeting; 000/001/002 on the first), as extraction would hand them over; expected rows are by hand.
"""
from __future__ import annotations

import hashlib
import json

import pytest

from pipeline.io import write_jsonl, write_schemas
from pipeline.meetings import DocInfo, Embedder, merge_cluster, track, write_meeting_outputs
from pipeline.records import Actor, Cluster, DateSpan, Document, Figure, Statement
from pipeline.validate import validate_outputs

EMB = Embedder()  # one model load for the module


def fig(text: str, value: float, unit: str | None, in_text: str) -> Figure:
    start = in_text.index(text)
    return Figure(value=value, unit=unit, text=text, text_start=start, text_end=start + len(text))


def st(doc: str, text: str, kind: str = "commitment", figures=(), date=None, actors=(), lang="en",
       source=None, start=0) -> Statement:
    sid = "s-" + hashlib.sha1(f"{doc}|{text}".encode()).hexdigest()[:10]
    figs = [fig(t, v, u, text) for t, v, u in figures]
    ds = DateSpan(text=date[0], start=date[1], end=date[2]) if date else None
    return Statement(id=sid, doc_id=doc, kind=kind, text=text, source_text=source or text, lang=lang,
                     figures=figs, date=ds, actors=[Actor(name=a, text=a) for a in actors],
                     source_start=start, source_end=start + len(source or text))


def docs(*specs) -> dict[str, DocInfo]:
    return {d: DocInfo(doc_id=d, outlet=o, lang=lang, published=pub, duplicate_of=dup)
            for d, o, lang, pub, dup in specs}


FOURTH = Cluster(cluster_id="m-fourth", doc_ids=["003", "004"], canonical_doc_id="003", date="2025-09-24",
                 label="fourth meeting", languages=["en"], outlets=["vtv.vn", "gialai.gov.vn"])
FOURTH_DOCS = docs(("003", "vtv.vn", "en", "2025-09-24", None), ("004", "gialai.gov.vn", "en", "2025-09-24", None))

T80 = "Implement the settlement of 80% of the entire administrative procedures in the digital environment by 2025"
# the seed extraction's sentences: 003 also names "6 general groups of tasks", 004 does not
DB_003 = ('The Prime Minister emphasized 6 general groups of tasks, that is, all ministries, branches and '
          'localities focus on completing their databases, completing them no later than the fourth quarter with '
          'the spirit of "correct, sufficient, clean, alive", unified, shared from the central to the grassroots; '
          'completing open institutions, creating development to serve the people, completing smooth, modern, '
          'shared infrastructure, especially at the grassroots, communes, wards and special zones.')
DB_004 = ('The Prime Minister requested that ministries, sectors, and localities focus on completing their '
          'respective databases no later than the fourth quarter of 2025, adhering to the principle of "accurate, '
          'complete, clean, and relevant," and ensuring unified use from the central to the local level.')
DB_004_Q3 = DB_004.replace("fourth quarter", "third quarter")
STREAMLINE = "administrative procedures must be streamlined through a digital environment"
TOOLS = ("complete tools to measure, monitor and evaluate the performance of ministries, branches and "
         "localities, to be completed in September")
TASKS = "As of September 23, 2025, 270 tasks had been completed"


def fourth(db_004: str = DB_004, db_004_date=("no later than the fourth quarter of 2025", "2025-10-01", "2025-12-31")):
    return [
        st("003", T80, figures=[("80%", 80, "%")], date=("by 2025", "2025-01-01", "2025-12-31"), start=100),
        # year implied: extraction resolved "the fourth quarter" against the publication date 2025-09-24
        st("003", DB_003, figures=[("6 general groups of tasks", 6, "groups of tasks")],
           date=("no later than the fourth quarter", "2025-10-01", "2025-12-31"), start=300),
        st("003", TOOLS, date=("in September", "2025-09-01", "2025-09-30"), actors=["Ministry of Home Affairs"],
           start=500),
        st("004", STREAMLINE, start=200),
        st("004", db_004, date=db_004_date, start=400),
        st("004", TASKS, kind="progress", figures=[("270 tasks", 270, "tasks")],
           date=("As of September 23, 2025", "2025-09-23", "2025-09-23"), start=50),
    ]


def by_text(rows):
    return {r.sources[0].text: r for r in rows}


def test_agreement_omission_and_implied_year():
    rows = merge_cluster(FOURTH, FOURTH_DOCS, fourth(), EMB)
    assert len(rows) == 5
    r = by_text(rows)
    # the 80%-by-2025 target: carried by vtv.vn only; the vaguer "streamlined" sentence stays apart
    t80 = r[T80]
    assert t80.outlets == ["vtv.vn"] and t80.omitted_by == ["gialai.gov.vn"]
    assert [(f.value, f.unit) for f in t80.figures] == [(80, "%")]
    assert r[STREAMLINE].outlets == ["gialai.gov.vn"] and r[STREAMLINE].omitted_by == ["vtv.vn"]
    # databases: one row from both outlets; "Q4" (year implied) and "Q4 2025" agree
    db = r[DB_003]
    assert db.outlets == ["vtv.vn", "gialai.gov.vn"] and db.omitted_by == []
    assert [s.doc_id for s in db.sources] == ["003", "004"]
    assert db.conflicts == [] and db.date.end == "2025-12-31"
    assert [(f.value, f.unit) for f in db.figures] == [(6, "groups of tasks")]  # one outlet's detail, not disputed
    assert db.text == DB_003  # representative: the canonical article's outlet
    # rows follow the first outlet's reading order, then the second outlet's
    assert [row.sources[0].text for row in rows] == [T80, DB_003, TOOLS, TASKS, STREAMLINE]


def test_loose_paraphrases_with_different_deadlines_stay_apart():
    """The databases commitment in other words (003 also names "6 general groups of tasks") with Q3
    instead of Q4: too unlike to claim the outlets disagree on one fact, so two rows and no conflict."""
    rows = merge_cluster(FOURTH, FOURTH_DOCS,
                         fourth(DB_004_Q3, ("no later than the third quarter of 2025", "2025-07-01", "2025-09-30")), EMB)
    assert len(rows) == 6
    assert all(r.conflicts == [] for r in rows)
    assert by_text(rows)[DB_003].outlets == ["vtv.vn"] and by_text(rows)[DB_004_Q3].outlets == ["gialai.gov.vn"]


def test_near_identical_task_with_another_deadline_is_a_date_conflict():
    a = "ministries, sectors and localities must complete their specialised databases no later than the fourth quarter"
    b = "ministries, sectors and localities must complete their specialised databases no later than the third quarter of 2025"
    rows = merge_cluster(FOURTH, FOURTH_DOCS, [
        st("003", a, date=("no later than the fourth quarter", "2025-10-01", "2025-12-31")),
        st("004", b, date=("no later than the third quarter of 2025", "2025-07-01", "2025-09-30")),
    ], EMB)
    (row,) = rows
    assert row.outlets == ["vtv.vn", "gialai.gov.vn"]
    assert [(c.field, [(v.outlet, v.value, v.text, v.doc_ids) for v in c.values]) for c in row.conflicts] == [
        ("date", [("vtv.vn", "2025-12-31", "no later than the fourth quarter", ["003"]),
                  ("gialai.gov.vn", "2025-09-30", "no later than the third quarter of 2025", ["004"])])]
    assert row.date is None  # disputed: no agreed date


def test_different_value_for_the_same_metric_is_a_figure_conflict():
    a = "Implement the settlement of 80% of the entire administrative procedures in the digital environment by 2025"
    b = "settle 85% of all administrative procedures in the digital environment by 2025"
    rows = merge_cluster(FOURTH, FOURTH_DOCS, [
        st("003", a, figures=[("80%", 80, "%")], date=("by 2025", "2025-01-01", "2025-12-31")),
        st("004", b, figures=[("85%", 85, "%")], date=("by 2025", "2025-01-01", "2025-12-31")),
    ], EMB)
    assert len(rows) == 1
    assert [(c.field, c.unit, [(v.outlet, v.value) for v in c.values]) for c in rows[0].conflicts] == [
        ("figure", "%", [("vtv.vn", "80%"), ("gialai.gov.vn", "85%")])]
    assert rows[0].figures == [] and rows[0].date.end == "2025-12-31"


def test_same_figure_for_different_subjects_stays_apart():
    online = "by the end of 2025, 100% of eligible administrative procedures will be provided online"
    airports = "In 2025, 100% of airports, ports, and border gates will apply biometric technology and the VNeID platform."
    tasks_a = "a total of 679 tasks were assigned to 56 agencies"
    tasks_b = "ministries, sectors, and localities were assigned 73 tasks, of which 50 have been completed"
    rows = merge_cluster(FOURTH, FOURTH_DOCS, [
        st("003", online, figures=[("100%", 100, "%")], date=("by the end of 2025", "2025-12-31", "2025-12-31")),
        st("004", airports, figures=[("100%", 100, "%")], date=("In 2025", "2025-01-01", "2025-12-31")),
        st("003", tasks_a, kind="progress", figures=[("679 tasks", 679, "tasks"), ("56 agencies", 56, "agencies")]),
        st("004", tasks_b, kind="progress", figures=[("73 tasks", 73, "tasks"), ("50", 50, "tasks")]),
    ], EMB)
    # 100% of procedures vs 100% of airports: same number and unit, different subject -> two rows;
    # 679 tasks vs 73 tasks: same unit, different counts in unrelated sentences -> two rows
    assert len(rows) == 4
    assert all(len(r.outlets) == 1 and r.conflicts == [] for r in rows)


FIRST = Cluster(cluster_id="m-first", doc_ids=["000", "001", "002"], canonical_doc_id="000", date="2025-03-18",
                label="first meeting", languages=["de", "en"], outlets=["backan.gov.vn", "binhdinh.gov.vn"],
                duplicates=[{"doc_id": "001", "duplicate_of": "000"}])
FIRST_DOCS = docs(("000", "binhdinh.gov.vn", "en", "2025-03-18", None),
                  ("001", "binhdinh.gov.vn", "de", "2025-03-18", "000"),
                  ("002", "backan.gov.vn", "en", None, None))
AIRPORTS = "In 2025, 100% of airports, ports, and border gates will apply biometric technology and the VNeID platform."
AIRPORTS_DE = "Im Jahr 2025 werden 100 % der Flughäfen, Häfen und Grenzübergänge biometrische Technologie und die VNeID-Plattform anwenden."
AIRPORTS_DE_EN = "In the year 2025 will 100 % of the airports, harbours and border crossings biometric technology and the VNeID platform apply."
ONLINE = ("by the end of 2025, 100% of eligible administrative procedures will be provided online, 80% of "
          "records will be processed online")


def first_statements():
    return [
        st("000", AIRPORTS, figures=[("100%", 100, "%")], date=("In 2025", "2025-01-01", "2025-12-31"), start=900),
        # the translation misled the kind: a copy still joins its original's row
        st("001", AIRPORTS_DE_EN, kind="progress", source=AIRPORTS_DE, lang="de", figures=[("100 %", 100, "%")],
           date=("2025", "2025-01-01", "2025-12-31"), start=950),
        st("002", ONLINE, figures=[("100%", 100, "%"), ("80%", 80, "%")],
           date=("by the end of 2025", "2025-12-31", "2025-12-31"), start=40),
    ]


def test_copy_counts_with_its_original_not_as_an_outlet():
    rows = merge_cluster(FIRST, FIRST_DOCS, first_statements(), EMB)
    assert len(rows) == 2
    air = by_text(rows)[AIRPORTS]
    assert air.outlets == ["binhdinh.gov.vn"] and air.omitted_by == ["backan.gov.vn"]
    assert [(s.doc_id, s.outlet, s.copy_of, s.lang) for s in air.sources] == [
        ("000", "binhdinh.gov.vn", None, "en"), ("001", "binhdinh.gov.vn", "000", "de")]
    assert air.sources[1].source_text == AIRPORTS_DE
    online = by_text(rows)[ONLINE]
    assert online.outlets == ["backan.gov.vn"] and online.omitted_by == ["binhdinh.gov.vn"]
    assert [f.value for f in online.figures] == [100, 80]


def _later_meeting():
    cl = Cluster(cluster_id="m-later", doc_ids=["004"], canonical_doc_id="004", date="2025-09-24",
                 label="later", outlets=["gialai.gov.vn"])
    rate = "The rate of administrative procedure records processed online reached 39.27%"
    restated = "ensure 80% of records are processed online no later than June 2026"
    airports = "100% of airports will apply biometric technology by the end of 2025"
    stmts = [
        st("004", rate, kind="progress", figures=[("39.27%", 39.27, "%")], start=10),
        st("004", restated, figures=[("80%", 80, "%")], date=("no later than June 2026", "2026-06-01", "2026-06-30"),
           start=20),
        st("004", airports, figures=[("100%", 100, "%")], date=("by the end of 2025", "2025-12-31", "2025-12-31"),
           start=30),
    ]
    return cl, stmts, rate, restated


def test_tracking_links_progress_and_flags_a_deadline_change():
    first_rows = merge_cluster(FIRST, FIRST_DOCS, [
        st("002", "by the end of 2025, 80% of administrative procedure records will be processed online",
           figures=[("80%", 80, "%")], date=("by the end of 2025", "2025-12-31", "2025-12-31"))], EMB)
    cl, stmts, rate, restated = _later_meeting()
    later_rows = merge_cluster(cl, {"004": DocInfo(doc_id="004", outlet="gialai.gov.vn")}, stmts, EMB)
    # given in reverse order: tracking orders meetings by date itself
    links = track([(cl, "2025-09-24", later_rows), (FIRST, "2025-03-18", first_rows)], EMB)
    got = {(lk.from_text, lk.relation, lk.unit, lk.from_value, lk.to_value, lk.from_deadline, lk.to_deadline,
            lk.deadline_changed) for lk in links}
    # links run from the later row to the earlier commitment: (later value, earlier value), (later
    # deadline, earlier deadline)
    assert got == {
        (rate, "progress", "%", 39.27, 80, None, "2025-12-31", False),
        (restated, "deadline_moved", "%", 80, 80, "2026-06-30", "2025-12-31", True),
    }  # the 100%-of-airports row is another metric: no link
    assert all(lk.to_id == first_rows[0].id and lk.to_cluster == "m-first" and lk.from_cluster == "m-later"
               and lk.from_meeting_date == "2025-09-24" and lk.to_meeting_date == "2025-03-18" for lk in links)
    assert all(0.5 <= lk.confidence <= 1 for lk in links)


def _run_files(tmp_path):
    """documents/commitments/clusters.jsonl of a run covering two meetings (the 4th, the 1st)."""
    all_docs = [Document(doc_id=d.doc_id, path=d.doc_id + ".txt", status="ok", lang=d.lang, outlet=d.outlet,
                         published=d.published, text="…", cluster_id=c.cluster_id, duplicate_of=d.duplicate_of)
                for c, dd in ((FOURTH, FOURTH_DOCS), (FIRST, FIRST_DOCS)) for d in dd.values()]
    stmts = [s.model_copy(update={"cluster_id": FOURTH.cluster_id}) for s in fourth()] + \
            [s.model_copy(update={"cluster_id": FIRST.cluster_id}) for s in first_statements()]
    write_jsonl(tmp_path / "documents.jsonl", all_docs)
    write_jsonl(tmp_path / "commitments.jsonl", stmts)
    write_jsonl(tmp_path / "clusters.jsonl", [FOURTH, FIRST])
    return stmts


def test_outputs_are_deterministic_and_valid(tmp_path):
    """write_meeting_outputs from a run's files: same bytes twice, valid against the generated schema."""
    stmts = _run_files(tmp_path)
    assert write_meeting_outputs(tmp_path, EMB) == (7, 1)
    first = (tmp_path / "meetings.jsonl").read_bytes(), (tmp_path / "tracking.jsonl").read_bytes()
    write_meeting_outputs(tmp_path)  # a fresh embedder: same bytes
    assert ((tmp_path / "meetings.jsonl").read_bytes(), (tmp_path / "tracking.jsonl").read_bytes()) == first
    rows = [json.loads(line) for line in first[0].decode().splitlines()]
    assert [r["cluster_id"] for r in rows] == ["m-fourth"] * 5 + ["m-first"] * 2
    assert len({r["id"] for r in rows}) == 7
    # the fourth meeting's 80%-by-2025 restates the first meeting's "100% ... online, 80% of records ..."
    (link,) = [json.loads(line) for line in first[1].decode().splitlines()]
    assert (link["from_cluster"], link["to_cluster"], link["relation"], link["from_value"], link["to_value"],
            link["deadline_changed"]) == ("m-fourth", "m-first", "restated", 80, 80, False)
    assert link["from_text"] == T80 and link["to_text"] == ONLINE
    write_schemas(tmp_path)
    problems, counts = validate_outputs(tmp_path)
    assert problems == [] and counts["meetings.jsonl"] == 7

    # statements of the two meetings interleaved in commitments.jsonl: each meeting still reads
    # exactly its own (the merge seeks them on disk), so both files keep their bytes
    mixed = stmts[len(stmts) // 2:] + stmts[:len(stmts) // 2]
    write_jsonl(tmp_path / "commitments.jsonl", mixed[::2] + mixed[1::2])
    assert write_meeting_outputs(tmp_path, EMB) == (7, 1)
    assert ((tmp_path / "meetings.jsonl").read_bytes(), (tmp_path / "tracking.jsonl").read_bytes()) == first


@pytest.mark.parametrize("a,b,same", [
    # vague exhortations sharing only words every report uses ("goals", "complete") stay apart
    ("the unfinished goals must be completed", "the Prime Minister requested that unfulfilled goals be completed", False),
    ("The Prime Minister also requested the Ministry of Home Affairs to review and arrange enough human resources "
     "for digital transformation", "Allocate sufficient human resources for the implementation of digital transformation",
     True),
    ("urgently completing the construction of a national database on land", DB_004, False),
    ("the unfinished goals must be completed", DB_004, False),
])
def test_paraphrases_without_figures(a, b, same):
    rows = merge_cluster(FOURTH, FOURTH_DOCS, [st("003", a), st("004", b)], EMB)
    assert len(rows) == (1 if same else 2)


def test_meetings_merged_on_the_pool_and_cached(tmp_path, monkeypatch):
    """Meetings merged in batches on two worker processes give the serial bytes; a second run with
    the same cache merges nothing (every meeting is a cache hit) and starts no pool."""
    import sqlite3

    from pipeline import config
    from pipeline.engine import LocalEngine
    from pipeline.run import Settings

    _run_files(tmp_path)
    write_meeting_outputs(tmp_path, EMB)
    serial = (tmp_path / "meetings.jsonl").read_bytes(), (tmp_path / "tracking.jsonl").read_bytes()
    monkeypatch.setattr(config, "MERGE_BATCH_STATEMENTS", 3)  # several batches: the pool starts
    started = []
    real_map = LocalEngine.map

    def spy(self, fn, items, settings=None):
        yield from real_map(self, fn, items, settings)
        started.append(self.pool_started)

    monkeypatch.setattr(LocalEngine, "map", spy)
    settings = Settings(corpus=tmp_path, out=tmp_path, cache_dir=tmp_path / "cache", workers=2)
    assert write_meeting_outputs(tmp_path, settings=settings) == (7, 1)
    assert ((tmp_path / "meetings.jsonl").read_bytes(), (tmp_path / "tracking.jsonl").read_bytes()) == serial
    assert started == [True]
    (tmp_path / "meetings.jsonl").unlink()
    (tmp_path / "tracking.jsonl").unlink()
    import pipeline.meetings.stage as M

    def no_tracking(*args, **kwargs):
        raise AssertionError("tracked again with nothing changed")

    monkeypatch.setattr(M, "track", no_tracking)  # the links come from the cache too
    assert write_meeting_outputs(tmp_path, settings=settings) == (7, 1)
    assert ((tmp_path / "meetings.jsonl").read_bytes(), (tmp_path / "tracking.jsonl").read_bytes()) == serial
    assert started == [True, False]
    with sqlite3.connect(tmp_path / "cache" / "cache.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM kv WHERE ns='meeting'").fetchone()[0] == 2
        assert conn.execute("SELECT COUNT(*) FROM kv WHERE ns='tracking'").fetchone()[0] == 1


def test_tracking_embeds_only_compared_texts(tmp_path, monkeypatch):
    """Tracking embeds only the texts a cosine compares (most candidate pairs are decided by actors,
    figures and shared words first), in the parent, through the embedding service: with an engine no
    embedding task goes to its workers, and the links are the serial bytes."""
    from pipeline import embed as service
    from pipeline.engine import LocalEngine
    from pipeline.meetings import embed_chunk
    from pipeline.run import Settings

    _run_files(tmp_path)
    write_meeting_outputs(tmp_path, Embedder())
    serial = (tmp_path / "tracking.jsonl").read_bytes()
    assert serial.count(b"\n") == 1
    mapped = []
    real_map = LocalEngine.map

    def spy(self, fn, items, settings=None):
        items = list(items)
        for out in real_map(self, fn, items, settings):
            yield out
        mapped.append(fn)

    monkeypatch.setattr(LocalEngine, "map", spy)
    service.reset()
    settings = Settings(corpus=tmp_path, out=tmp_path, cache_dir=None, workers=2)
    write_meeting_outputs(tmp_path, settings=settings)
    assert (tmp_path / "tracking.jsonl").read_bytes() == serial
    assert embed_chunk not in mapped and service.embed_chunk not in mapped
    st = service.stats()["meetings"]
    assert st["cosines"] >= 1 and st["asked"] <= 2 * st["cosines"]


def test_tracking_compares_wording_without_the_deadline():
    from pipeline.meetings.tracking import row_core as _row_core
    from pipeline.records import MeetingCommitment, MeetingSource

    text = "Complete the national land database by June 30, 2025."
    date = DateSpan(text="by June 30, 2025", start="2025-06-30", end="2025-06-30")
    row = MeetingCommitment(id="mc-1", cluster_id="m-1", kind="commitment", text=text, outlets=["o"], sources=[
        MeetingSource(doc_id="d", outlet="o", lang="en", statement_id="s", text=text, source_text=text, date=date)])
    assert _row_core(row) == "Complete the national land database ."
    # a row whose first source is not its text's statement keeps its whole text
    other = row.model_copy(update={"text": "Another sentence by June 30, 2025."})
    assert _row_core(other) == "Another sentence by June 30, 2025."


def test_seed_meeting_view_criteria(seed_run):
    """The seeds' diff as the README states it: the fourth meeting's 80%-by-2025 target carried by one
    outlet only, its databases-by-the-fourth-quarter commitment one row from both outlets, and the
    German 001 a copy inside binhdinh.gov.vn's column (never a third outlet)."""
    from pipeline.meetings import load_views

    views = {v.cluster.canonical_doc_id[:3]: v for v in load_views(seed_run)}
    fourth, first = views["003"], views["000"]
    assert [c.label for c in fourth.columns] == ["vtv.vn", "gialai.gov.vn"]
    (t80,) = [r for r in fourth.commitments if "80% of the entire administrative procedures" in r.text]
    assert t80.outlets == ["vtv.vn"] and t80.omitted_by == ["gialai.gov.vn"]
    (db,) = [r for r in fourth.commitments if "focus on completing their databases" in r.text]
    assert db.outlets == ["vtv.vn", "gialai.gov.vn"] and db.conflicts == [] and db.date.end == "2025-12-31"
    assert [c.label for c in first.columns] == ["binhdinh.gov.vn", "backan.gov.vn"]
    assert [cp.doc_id[:3] for cp in first.columns[0].copies] == ["001"]
    german = [s for r in first.commitments for s in r.sources if s.doc_id.startswith("001")]
    assert german and all(s.outlet == "binhdinh.gov.vn" and s.copy_of.startswith("000") for s in german)
    # no row is carried by the German copy as an outlet of its own
    assert all("vietnam.vn" not in r.outlets for r in first.commitments)
