"""`commitments export`: the JSONL outputs as flat tables that join on ids, and doc ids that stay text.

One real run over four seed articles saved under digit-only names (007, 008, 012, 013: "007.txt"
would become the integer 7 in a careless reader): 008 is the German translation of 007 (a copy), 012
and 013 are two outlets' reports of the fourth meeting.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from pipeline.export import LIST_SEP, TABLES, ExportError, export
from pipeline.io import read_jsonl
from pipeline.records import SCHEMA_VERSION

EXE = ROOT / ".venv" / "bin" / "commitments"
NAMES = {"000": "007", "001": "008", "003": "012", "004": "013"}


@pytest.fixture(scope="module")
def run_out(tmp_path_factory) -> Path:
    from pipeline.run import Settings, run

    corpus = tmp_path_factory.mktemp("digits-corpus")
    for src in sorted(SEEDS.glob("*.txt")):
        if src.name[:3] in NAMES:
            shutil.copy(src, corpus / f"{NAMES[src.name[:3]]}.txt")
    out = tmp_path_factory.mktemp("digits-out")
    run(Settings(corpus=corpus, out=out, cache_dir=None))
    return out


def jsonl(out: Path, name: str) -> list[dict]:
    return list(read_jsonl(out / name))


def table(path: Path) -> tuple[list[str], list[dict]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs need to read UTF-8
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def test_digit_only_file_names_stay_text_ids(run_out):
    docs = jsonl(run_out, "documents.jsonl")
    assert [d["doc_id"] for d in docs] == ["007", "008", "012", "013"]
    assert {s["doc_id"] for s in jsonl(run_out, "commitments.jsonl")} == {"007", "008", "012", "013"}
    by = {d["doc_id"]: d for d in docs}
    assert by["008"]["duplicate_of"] == "007"  # the German translation points to the English original
    clusters = jsonl(run_out, "clusters.jsonl")
    first = next(c for c in clusters if "007" in c["doc_ids"])
    assert first["doc_ids"] == ["007", "008"] and first["canonical_doc_id"] == "007"
    assert first["duplicates"] == [{"doc_id": "008", "duplicate_of": "007"}]


@pytest.fixture(scope="module")
def csv_tables(run_out) -> dict[str, tuple[list[str], list[dict]]]:
    written = export(run_out, "csv")
    assert [p.name for p, _ in written] == [f"{t.name}.csv" for t in TABLES]
    assert all(p.parent == run_out / "export" for p, _ in written)
    tables = {p.stem: table(p) for p, _ in written}
    assert {p.stem: n for p, n in written} == {name: len(rows) for name, (_, rows) in tables.items()}
    return tables


def test_csv_tables_have_one_row_per_record_or_list_element(run_out, csv_tables):
    docs, stmts = jsonl(run_out, "documents.jsonl"), jsonl(run_out, "commitments.jsonl")
    clusters, rows = jsonl(run_out, "clusters.jsonl"), jsonl(run_out, "meetings.jsonl")
    links = jsonl(run_out, "tracking.jsonl")
    expected = {
        "documents": len(docs),
        "commitments": len(stmts),
        "figures": sum(len(s["figures"]) for s in stmts),
        "actors": sum(len(s["actors"]) for s in stmts),
        "clusters": len(clusters),
        "cluster_documents": sum(len(c["doc_ids"]) for c in clusters),
        "meeting_rows": len(rows),
        "meeting_sources": sum(len(r["sources"]) for r in rows),
        "meeting_figures": sum(len(r["figures"]) for r in rows),
        "meeting_actors": sum(len(r["actors"]) for r in rows),
        "meeting_conflicts": sum(len(c["values"]) for r in rows for c in r["conflicts"]),
        "meeting_details": sum(len(r["details"]) for r in rows),
        "tracking": len(links),
    }
    assert {name: len(t[1]) for name, t in csv_tables.items()} == expected
    assert expected["figures"] > 0 and expected["actors"] > 0 and expected["meeting_sources"] > 0
    for t in TABLES:
        assert csv_tables[t.name][0] == [c for c, _ in t.columns]


def test_csv_ids_join_across_tables(csv_tables):
    ids = {name: rows for name, (_, rows) in csv_tables.items()}
    doc_ids = {r["doc_id"] for r in ids["documents"]}
    assert doc_ids == {"007", "008", "012", "013"}  # text, as in the JSONL
    stmt_ids = {r["id"] for r in ids["commitments"]}
    cluster_ids = {r["cluster_id"] for r in ids["clusters"]}
    row_ids = {r["id"] for r in ids["meeting_rows"]}
    assert {r["doc_id"] for r in ids["commitments"]} <= doc_ids
    assert {r["cluster_id"] for r in ids["commitments"]} <= cluster_ids
    for name in ("figures", "actors"):
        assert {r["statement_id"] for r in ids[name]} <= stmt_ids
        assert {r["doc_id"] for r in ids[name]} <= doc_ids
    assert {r["doc_id"] for r in ids["cluster_documents"]} == doc_ids
    assert {r["cluster_id"] for r in ids["cluster_documents"]} == cluster_ids
    assert {r["cluster_id"] for r in ids["meeting_rows"]} <= cluster_ids
    assert {r["statement_id"] for r in ids["meeting_sources"]} == stmt_ids  # every statement is behind one row
    for name in ("meeting_sources", "meeting_figures", "meeting_actors", "meeting_conflicts", "meeting_details"):
        assert {r["row_id"] for r in ids[name]} <= row_ids
    # the copy is marked in the membership table and in the documents table
    (copy,) = [r for r in ids["cluster_documents"] if r["duplicate_of"]]
    assert (copy["doc_id"], copy["duplicate_of"], copy["canonical"]) == ("008", "007", "false")
    assert {r["doc_id"]: r["duplicate_of"] for r in ids["documents"]}["008"] == "007"


def test_csv_cells_read_back_to_the_jsonl_values(run_out, csv_tables):
    stmts = {s["id"]: s for s in jsonl(run_out, "commitments.jsonl")}
    for row in csv_tables["commitments"][1]:
        s = stmts[row["id"]]
        assert row["text"] == s["text"] and row["source_text"] == s["source_text"]  # commas, quotes, umlauts
        assert row["kind"] == s["kind"] and row["lang"] == s["lang"]
        assert int(row["source_start"]) == s["source_start"] and int(row["source_end"]) == s["source_end"]
        assert row["deadline"] == (s["deadline"] or "") and row["as_of"] == (s["as_of"] or "")
        assert row["date_role"] == ((s["date"] or {}).get("role") or "")
        assert row["date_end"] == ((s["date"] or {}).get("end") or "")
        assert row["actors"] == LIST_SEP.join(a["name"] for a in s["actors"])
        assert int(row["figures"]) == len(s["figures"])
        assert row["caption"] == ("true" if s["caption"] else "false")
    by_stmt: dict[str, list[dict]] = {}
    for row in csv_tables["figures"][1]:
        by_stmt.setdefault(row["statement_id"], []).append(row)
    for sid, rows in by_stmt.items():
        rows.sort(key=lambda r: int(r["position"]))
        assert [(float(r["value"]), r["text"], r["unit"] or None) for r in rows] == \
            [(f["value"], f["text"], f["unit"]) for f in stmts[sid]["figures"]]
        for r in rows:  # offsets into the statement's English text
            if r["text_start"]:
                assert stmts[sid]["text"][int(r["text_start"]):int(r["text_end"])] == r["text"]
    german = [r for r in csv_tables["commitments"][1] if r["lang"] == "de"]
    assert german and any(ch in r["source_text"] for r in german for ch in "äöüß")
    meeting_rows = {r["id"]: r for r in jsonl(run_out, "meetings.jsonl")}
    for row in csv_tables["meeting_rows"][1]:
        m = meeting_rows[row["id"]]
        assert row["outlets"] == LIST_SEP.join(m["outlets"]) and int(row["outlet_count"]) == len(m["outlets"])
        assert row["omitted_by"] == LIST_SEP.join(m["omitted_by"])
    assert any(int(r["outlet_count"]) == 2 for r in csv_tables["meeting_rows"][1])  # 012 and 013 agree on facts


def test_export_refuses_outputs_of_another_schema_version(run_out, tmp_path):
    out = tmp_path / "old"
    out.mkdir()
    for name in ("documents.jsonl", "commitments.jsonl"):
        shutil.copy(run_out / name, out / name)
    stmts = (out / "commitments.jsonl").read_text(encoding="utf-8").splitlines()
    old = json.loads(stmts[1])
    del old["schema_version"]
    stmts[1] = json.dumps(old)
    (out / "commitments.jsonl").write_text("\n".join(stmts) + "\n", encoding="utf-8")
    with pytest.raises(ExportError) as exc:
        export(out, "csv")
    assert str(exc.value) == (f"{out / 'commitments.jsonl'}:2: written with no schema_version (an older pipeline); "
                              f"this export reads schema version {SCHEMA_VERSION}: re-run `commitments extract` "
                              "(see CHANGELOG.md)")
    assert list((out / "export").iterdir()) == []  # nothing half-written: no table, no temp file


def test_export_command_lines_and_clear_errors(run_out, tmp_path):
    proc = subprocess.run([str(EXE), "export", "--out", str(run_out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    counts = Counter(line.split(":")[0].rsplit("/", 1)[-1] for line in proc.stdout.splitlines())
    assert set(counts) == {f"{t.name}.csv" for t in TABLES}
    for args, message in [
        (["--out", str(tmp_path / "nowhere")], f"error: no outputs folder at {tmp_path / 'nowhere'} "
                                               f"(run `commitments extract --out {tmp_path / 'nowhere'}` first)"),
        (["--out", str(run_out), "--format", "xlsx"], "error: unknown format 'xlsx': choose one of csv, parquet"),
    ]:
        proc = subprocess.run([str(EXE), "export", *args], capture_output=True, text=True, timeout=120)
        assert (proc.returncode, proc.stderr.strip()) == (2, message)
    # without pyarrow (hidden here by a package of that name that fails to import, first on the path)
    # the command says so in one line
    blocker = tmp_path / "no-pyarrow" / "pyarrow"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('pyarrow hidden for this test')\n")
    env = {**os.environ, "PYTHONPATH": str(blocker.parent)}
    proc = subprocess.run([str(EXE), "export", "--out", str(run_out), "--format", "parquet"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert (proc.returncode, proc.stderr.strip()) == (
            2, "error: Parquet needs pyarrow, which is not installed: `pip install pyarrow`, or export with --format csv")


def test_parquet_round_trip(run_out):
    import pyarrow.parquet as pq  # the test extra installs pyarrow
    written = dict(export(run_out, "parquet"))
    stmts = jsonl(run_out, "commitments.jsonl")
    t = pq.read_table(run_out / "export" / "commitments.parquet")
    assert written[run_out / "export" / "commitments.parquet"] == t.num_rows == len(stmts)
    assert str(t.schema.field("doc_id").type) == "string" and str(t.schema.field("deadline").type) == "date32[day]"
    assert t.column("doc_id").to_pylist() == [s["doc_id"] for s in stmts]
    assert [d.isoformat() if d else None for d in t.column("deadline").to_pylist()] == [s["deadline"] for s in stmts]
    figs = pq.read_table(run_out / "export" / "figures.parquet")
    assert figs.column("value").to_pylist() == [f["value"] for s in stmts for f in s["figures"]]
