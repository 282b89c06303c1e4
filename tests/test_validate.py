"""Every output record validates against the published JSON Schema; `commitments validate` catches corruption."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from jsonschema import Draft202012Validator

from pipeline.io import dumps, output_models, schema_of
from pipeline.records import SCHEMA_VERSION, Cluster, RunInfo
from pipeline.validate import validate_outputs

from conftest import ROOT

EXE = ROOT / ".venv" / "bin" / "commitments"


def test_every_seed_output_record_validates_against_the_published_schema(seed_run):
    checked = 0
    for fname in output_models():
        path = seed_run / fname
        if not path.exists():
            continue
        schema = json.loads((seed_run / "schema" / fname.replace(".jsonl", ".schema.json")).read_text())
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            errors = [e.message for e in validator.iter_errors(json.loads(line))]
            assert not errors, (fname, lineno, errors)
            checked += 1
    assert checked >= 5 + 1  # five documents, at least one cluster
    problems, counts = validate_outputs(seed_run)
    assert problems == []
    assert counts["documents.jsonl"] == 5


def _corrupt(seed_run: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(seed_run, out)
    docs = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    d2 = json.loads(docs[1])
    d2["status"] = "maybe"
    d3 = json.loads(docs[2])
    del d3["path"]
    d4 = json.loads(docs[3])
    d4["status"], d4["reason"] = "rejected", None
    docs[1:4] = [json.dumps(d2), json.dumps(d3), json.dumps(d4)]
    docs.append('{"doc_id": "broken", ')
    (out / "documents.jsonl").write_text("\n".join(docs) + "\n", encoding="utf-8")
    stmts = (out / "commitments.jsonl").read_text(encoding="utf-8").splitlines()  # none of d2, d4
    (out / "commitments.jsonl").write_text("".join(s + "\n" for s in stmts if json.loads(s)["doc_id"] not in (d2["doc_id"], d4["doc_id"])),
                                           encoding="utf-8")
    with open(out / "clusters.jsonl", "a", encoding="utf-8") as fh:
        fh.write(dumps(Cluster(cluster_id="m-x", doc_ids=["ghost"], canonical_doc_id="ghost", label="x")) + "\n")
    return out


def test_validate_reports_each_bad_record_on_its_own_line(seed_run, tmp_path):
    out = _corrupt(seed_run, tmp_path)
    n_clusters = len((out / "clusters.jsonl").read_text(encoding="utf-8").splitlines())
    proc = subprocess.run([str(EXE), "validate", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines == [
        "documents.jsonl:2: status: 'maybe' is not one of ['ok', 'rejected']",
        "documents.jsonl:3: (record): 'path' is a required property",
        "documents.jsonl:4: reason: a rejected document must say why",
        "documents.jsonl:6: not JSON (Expecting property name enclosed in double quotes at column 22)",
        f"clusters.jsonl:{n_clusters}: doc_ids/0: 'ghost' is no document in documents.jsonl",
        f"error: 5 problem(s) in {out}",
    ]
    assert "documents.jsonl: 6 records" in proc.stdout


def test_validate_of_clean_outputs_exits_0(seed_run):
    proc = subprocess.run([str(EXE), "validate", str(seed_run)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("all records valid")


def _schemas() -> dict[str, dict]:
    return {fname: schema_of(fname, model) for fname, model in {**output_models(), "run.json": RunInfo}.items()}


def _objects(schema: dict):
    """Every object schema in a published schema: the record and its $defs."""
    yield "(record)", schema
    yield from schema.get("$defs", {}).items()


def test_published_schemas_describe_every_field_and_require_what_is_always_written():
    for fname, schema in _schemas().items():
        Draft202012Validator.check_schema(schema)
        name = fname.removesuffix(".jsonl").removesuffix(".json")
        assert schema["$id"] == f"urn:commitments-pipeline:schema:{SCHEMA_VERSION}:{name}"
        assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
        assert SCHEMA_VERSION in schema["description"]
        for where, obj in _objects(schema):
            props = obj.get("properties", {})
            missing = [p for p, spec in props.items() if not spec.get("description")]
            assert not missing, (fname, where, missing)
            # model_dump writes every field (null when unknown), so every field is required
            assert sorted(obj.get("required", [])) == sorted(props), (fname, where)


# every field holding an ISO date, by file and record (the contract's dates: see docs/output-format.md)
DATE_FIELDS = {
    ("documents.jsonl", "(record)"): {"published"},
    ("commitments.jsonl", "(record)"): {"deadline", "as_of"},
    ("commitments.jsonl", "DateSpan"): {"start", "end"},
    ("clusters.jsonl", "(record)"): {"date"},
    ("meetings.jsonl", "(record)"): {"meeting_date", "deadline", "as_of"},
    ("meetings.jsonl", "DateSpan"): {"start", "end"},
    ("tracking.jsonl", "(record)"): {"from_meeting_date", "to_meeting_date", "from_deadline", "to_deadline"},
}


def test_every_iso_date_is_published_as_format_date():
    def formats(spec):
        return {s.get("format") for s in spec.get("anyOf", [spec])}

    found = {}
    for fname, schema in _schemas().items():
        for where, obj in _objects(schema):
            dated = {p for p, spec in obj.get("properties", {}).items() if "date" in formats(spec)}
            if dated:
                found[(fname, where)] = dated
    assert found == DATE_FIELDS


def test_lang_is_an_enum_of_the_processed_languages():
    schemas = _schemas()
    assert schemas["commitments.jsonl"]["properties"]["lang"]["enum"] == ["en", "de", "vi"]
    assert schemas["clusters.jsonl"]["properties"]["languages"]["items"]["enum"] == ["en", "de", "vi"]
    # a rejected document may name the unsupported language it is in; an ok one may not
    v = Draft202012Validator(schemas["documents.jsonl"])
    base = {"schema_version": SCHEMA_VERSION, "doc_id": "d", "path": "d.txt", "reason": None, "published": None,
            "published_from": None, "published_note": None, "url": None, "outlet": None, "title": None, "text": "x",
            "captions": [], "content_hash": None, "cluster_id": None, "duplicate_of": None, "translation": None,
            "warnings": []}
    assert not list(v.iter_errors({**base, "status": "rejected", "reason": "language 'fr' not supported", "lang": "fr"}))
    assert [e.message for e in v.iter_errors({**base, "status": "ok", "lang": "fr"})] == \
        ["'fr' is not one of ['en', 'de', 'vi']"]


def test_validate_checks_dates_languages_and_the_schema_version(seed_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(seed_run, out)
    stmts = (out / "commitments.jsonl").read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(stmts)  # a deadline: no start, so only the format is wrong
             if (json.loads(line).get("date") or {}).get("end") and not json.loads(line)["date"]["start"])
    bad = json.loads(stmts[k])
    bad["date"]["end"] = "2025-02-30"
    bad["lang"] = "fr"
    stmts[k] = json.dumps(bad, ensure_ascii=False)
    (out / "commitments.jsonl").write_text("\n".join(stmts) + "\n", encoding="utf-8")
    # clusters.jsonl as a pipeline before schema versions wrote it: one line says so, not one per field
    clusters = [json.loads(line) for line in (out / "clusters.jsonl").read_text(encoding="utf-8").splitlines()]
    for c in clusters:
        del c["schema_version"]
        c["duplicates"] = {d["doc_id"]: d["duplicate_of"] for d in c["duplicates"]}
    (out / "clusters.jsonl").write_text("".join(json.dumps(c) + "\n" for c in clusters), encoding="utf-8")
    problems, counts = validate_outputs(out)
    assert problems == [
        f"commitments.jsonl:{k + 1}: date/end: '2025-02-30' is not a 'date'",
        f"commitments.jsonl:{k + 1}: lang: 'fr' is not one of ['en', 'de', 'vi']",
        f"clusters.jsonl:1: written with no schema_version (a pipeline before 2.0.0); this pipeline writes and "
        f"checks {SCHEMA_VERSION}: re-run `commitments extract` (CHANGELOG.md lists what changed); its records "
        "are not checked field by field",
    ]
    assert counts["clusters.jsonl"] == len(clusters)


def test_run_json_carries_the_schema_version_and_is_checked(seed_run, tmp_path):
    run_json = json.loads((seed_run / "run.json").read_text(encoding="utf-8"))
    assert run_json["schema_version"] == SCHEMA_VERSION
    assert (seed_run / "schema" / "run.schema.json").exists()
    out = tmp_path / "out"
    shutil.copytree(seed_run, out)
    run_json["statements"] = "many"
    (out / "run.json").write_text(json.dumps(run_json), encoding="utf-8")
    problems, _ = validate_outputs(out)
    assert problems == ["run.json: statements: 'many' is not of type 'integer'"]


def test_output_format_doc_describes_every_field():
    """docs/output-format.md lists every field of every file (its "Every field" part is generated from the
    same descriptions as the schemas): a field added to a record without a line there fails here."""
    doc = (ROOT / "docs" / "output-format.md").read_text(encoding="utf-8")
    reference = doc.split("\n## Every field\n", 1)[1]
    sections = dict(part.split("\n", 1) for part in reference.split("\n### ")[1:])
    for fname, schema in _schemas().items():
        own = sections[fname]
        assert all(f"| `{p}` |" in own for p in schema["properties"]), fname
        for name, obj in schema.get("$defs", {}).items():
            assert f"**{name}**" in reference, name
            assert all(f"| `{p}` |" in reference for p in obj["properties"]), name
    for example in ("documents.jsonl", "commitments.jsonl", "clusters.jsonl", "meetings.jsonl", "tracking.jsonl",
                    "run.json"):
        assert f"\n## {example}\n\n" in doc  # one annotated example record each


def test_a_single_record_without_the_version_is_checked_like_any_other(tmp_path):
    from pipeline.records import Document

    docs = [Document(doc_id=d, path=f"{d}.txt", status="ok", lang="en", text="x").model_dump(mode="json")
            for d in ("a", "b")]
    del docs[1]["schema_version"]
    (tmp_path / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    problems, counts = validate_outputs(tmp_path)
    assert problems == ["documents.jsonl:2: (record): 'schema_version' is a required property"]
    assert counts == {"documents.jsonl": 2}
