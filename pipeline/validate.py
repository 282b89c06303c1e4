"""Check output files against the JSON Schema generated from the record models (``commitments validate``).

Each problem is one line, ``file:line: path: message``, so it can be grepped or opened in an editor.
The schema is the published one (``pipeline.io.schema_of``): every field present, ``format: date`` checked
on ISO dates, ``lang`` among the processed languages, and the contract's ``schema_version``; a file written
under another schema version (its first record says so) is reported once, instead of on every field of every
line; a later record with another version is checked like any other.
``run.json`` is checked against its own schema.
Besides the per-record schema, a few cross-file rules every consumer relies on are checked:
doc_ids are unique, a rejected document says why, no date span ends before it starts, every
statement and cluster member points to a document that exists (and, for statements, was
processed), statement ids are unique, and the schema files published in ``OUT/schema/`` match
this pipeline's records.
Files are streamed; only ids are kept in memory.
"""
from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from pipeline.io import output_models, schema_of, schema_path
from pipeline.records import SCHEMA_VERSION, RunInfo


def _validator(fname: str, model) -> Draft202012Validator:
    return Draft202012Validator(schema_of(fname, model), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(validator: Draft202012Validator, rec) -> list:
    """Schema errors of one record, each at its most precise place: a wrong value inside an optional
    object ("date/end: '2025-02-30' is not a 'date'") rather than "date: … is not valid under any of the
    given schemas"."""
    return sorted((best_match([e]) for e in validator.iter_errors(rec)), key=lambda e: list(map(str, e.absolute_path)))


def _other_version(fname: str, lineno: int, rec) -> str | None:
    """One line when a record was written under another contract version (or before versions existed)."""
    if not isinstance(rec, dict) or rec.get("schema_version") == SCHEMA_VERSION:
        return None
    found = rec.get("schema_version")
    what = f"schema version {found!r}" if found is not None else "no schema_version (a pipeline before 2.0.0)"
    return (f"{fname}:{lineno}: written with {what}; this pipeline writes and checks {SCHEMA_VERSION}: re-run "
            "`commitments extract` (CHANGELOG.md lists what changed); its records are not checked field by field")


def validate_outputs(out_dir: str | Path) -> tuple[list[str], dict[str, int]]:
    """Problems (one line each: file, line, path, message) and record counts per file."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise FileNotFoundError(f"no outputs folder at {out_dir}")
    problems: list[str] = []
    counts: dict[str, int] = {}
    docs_ok: set[str] = set()
    docs_all: set[str] = set()
    stmt_ids: set[str] = set()
    for fname, model in {**output_models(), "run.json": RunInfo}.items():
        path = out_dir / fname
        if not path.exists():
            continue
        published = schema_path(out_dir, fname)
        if published.exists():
            try:
                same = json.loads(published.read_text(encoding="utf-8")) == schema_of(fname, model)
            except (ValueError, OSError):
                same = False
            if not same:
                problems.append(f"schema/{published.name}: differs from the schema of this pipeline version "
                                "(outputs from another version? re-run `commitments extract`)")
        validator = _validator(fname, model)
        if fname == "run.json":
            problems.extend(_check_run_json(path, validator))
            continue
        n = 0
        other_version = False
        with open(path, "rb") as fh:
            for lineno, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                n += 1
                try:
                    rec = json.loads(raw.decode("utf-8").rstrip("\r\n"))
                except UnicodeDecodeError as exc:
                    problems.append(f"{fname}:{lineno}: not UTF-8 (byte {exc.start})")
                    continue
                except ValueError as exc:
                    msg = f"{exc.msg.removesuffix(' at')} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
                    problems.append(f"{fname}:{lineno}: not JSON ({msg})")
                    continue
                if other_version:
                    errors = []
                elif n == 1 and (msg := _other_version(fname, lineno, rec)) is not None:  # a file of another version
                    problems.append(msg)
                    other_version, errors = True, []
                else:
                    errors = _errors(validator, rec)
                for e in errors:
                    where = "/".join(str(p) for p in e.absolute_path) or "(record)"
                    problems.append(f"{fname}:{lineno}: {where}: {e.message}")
                if isinstance(rec, dict):
                    problems.extend(f"{fname}:{lineno}: {p}" for p in
                                    _cross_check(fname, rec, docs_all, docs_ok, stmt_ids))
        counts[fname] = n
    if not counts:
        raise FileNotFoundError(f"no output files in {out_dir}")
    return problems, counts


def _check_run_json(path: Path, validator: Draft202012Validator) -> list[str]:
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return [f"run.json: not JSON ({exc})"]
    if (msg := _other_version("run.json", 1, rec)) is not None:
        return [msg.replace("run.json:1:", "run.json:")]
    return [f"run.json: {'/'.join(map(str, e.absolute_path)) or '(record)'}: {e.message}"
            for e in _errors(validator, rec)]


def _cross_check(fname: str, rec: dict, docs_all: set[str], docs_ok: set[str], stmt_ids: set[str]) -> list[str]:
    """Rules across records and files (documents.jsonl is read first: see ``output_models``).
    Fields of the wrong type are the schema's to report; they are skipped here."""
    out: list[str] = []
    if fname in ("commitments.jsonl", "meetings.jsonl"):  # a date span never ends before it starts
        out.extend(_date_order(rec.get("date"), "date"))
        sources = rec.get("sources") if fname == "meetings.jsonl" else None
        for i, src in enumerate(sources if isinstance(sources, list) else []):
            if isinstance(src, dict):
                out.extend(_date_order(src.get("date"), f"sources/{i}/date"))
    if fname == "documents.jsonl":
        doc_id = rec.get("doc_id")
        if not isinstance(doc_id, str):
            return out
        if doc_id in docs_all:
            out.append(f"doc_id: {doc_id!r} appears twice")
        docs_all.add(doc_id)
        if rec.get("status") == "ok":
            docs_ok.add(doc_id)
        elif rec.get("status") == "rejected" and not rec.get("reason"):
            out.append("reason: a rejected document must say why")
    elif fname == "commitments.jsonl":
        sid, doc_id = rec.get("id"), rec.get("doc_id")
        if isinstance(sid, str):
            if sid in stmt_ids:
                out.append(f"id: {sid!r} appears twice")
            stmt_ids.add(sid)
        if docs_all and isinstance(doc_id, str) and doc_id not in docs_ok:
            what = "not an ok document" if doc_id in docs_all else "no document in documents.jsonl"
            out.append(f"doc_id: {doc_id!r} is {what}")
    elif fname == "clusters.jsonl" and docs_all and isinstance(rec.get("doc_ids"), list):
        for i, d in enumerate(rec["doc_ids"]):
            if isinstance(d, str) and d not in docs_all:
                out.append(f"doc_ids/{i}: {d!r} is no document in documents.jsonl")
    return out


def _date_order(span, where: str) -> list[str]:
    """A date span must not end before it starts (ISO dates compare as strings)."""
    if not isinstance(span, dict):
        return []
    start, end = span.get("start"), span.get("end")
    if isinstance(start, str) and isinstance(end, str) and start > end:
        return [f"{where}: start {start} is after end {end}"]
    return []
