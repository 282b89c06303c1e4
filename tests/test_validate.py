"""Every output record validates against the published JSON Schema; `commitments validate` catches corruption."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from jsonschema import Draft202012Validator

from pipeline.io import output_models
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
        fh.write(json.dumps({"cluster_id": "m-x", "doc_ids": ["ghost"], "canonical_doc_id": "ghost",
                             "label": "x"}) + "\n")
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
