"""Flat tables from a run's JSONL outputs, for a spreadsheet or a BI tool (``commitments export``).

The JSONL records nest (a statement holds its figures and actors; a meeting row holds its sources
and conflicts). Each nested list becomes a table of its own, one row per element, keyed by the id of
the record holding it, so every table opens directly and they join on ids:

=====================  =============================  ===========================================
table                  one row per                    joins on
=====================  =============================  ===========================================
documents              input article (or rejection)   doc_id
commitments            statement                      id; doc_id -> documents, cluster_id -> clusters
figures                figure of a statement          statement_id -> commitments.id
actors                 actor of a statement           statement_id -> commitments.id
clusters               meeting (cluster)              cluster_id
cluster_documents      member document of a cluster   cluster_id -> clusters, doc_id -> documents
meeting_rows           fact of a meeting              id; cluster_id -> clusters
meeting_sources        outlet sentence behind a fact  row_id -> meeting_rows.id, statement_id -> commitments.id
meeting_figures        agreed figure of a fact        row_id -> meeting_rows.id
meeting_actors         actor of a fact                row_id -> meeting_rows.id
meeting_conflicts      outlet's value in a conflict   row_id -> meeting_rows.id
meeting_details        outlet giving less detail      row_id -> meeting_rows.id
tracking               follow-up link                 from_id, to_id -> meeting_rows.id
=====================  =============================  ===========================================

CSV: UTF-8 with a byte-order mark (so spreadsheet programs read Vietnamese and German letters right),
a header row, null as an empty cell, booleans as ``true``/``false``, a list of short values (outlets,
languages, warnings) joined by `` | `` in one cell. Parquet (needs pyarrow): typed columns (ids and
text as strings, offsets as integers, values as floats, ISO dates as dates), nulls as nulls.
A document's cleaned ``text`` and its sentence-by-sentence translation stay in ``documents.jsonl``
(a cell holds at most 32,767 characters in common spreadsheets); the table gives their sizes.
Files are streamed record by record; all tables are written to temp files and renamed into place
together, so a failed export leaves the previous one as it was.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

from pipeline.records import SCHEMA_VERSION

FORMATS = ("csv", "parquet")
LIST_SEP = " | "
PARQUET_ROWS_PER_GROUP = 50_000


class ExportError(Exception):
    """Something the user can fix (no outputs, outputs of another schema version, a bad line)."""


# Column types: str, int, float, bool, date (an ISO date string in the JSONL), list (joined in CSV).
@dataclass(frozen=True)
class Table:
    name: str
    source: str                                   # the JSONL file the rows come from
    columns: tuple[tuple[str, str], ...]          # (column, type)
    rows: Callable[[dict], Iterator[dict]]        # rows of one JSONL record


def _date_cols(d: dict | None) -> dict:
    d = d or {}
    return {"date_text": d.get("text"), "date_role": d.get("role"), "date_start": d.get("start"),
            "date_end": d.get("end")}


_DATE_COLUMNS = (("date_text", "str"), ("date_role", "str"), ("date_start", "date"), ("date_end", "date"))
_FIGURE_COLUMNS = (("value", "float"), ("unit", "str"), ("text", "str"), ("qualifier", "str"),
                   ("text_start", "int"), ("text_end", "int"), ("source_start", "int"), ("source_end", "int"))
_ACTOR_COLUMNS = (("name", "str"), ("text", "str"), ("known", "bool"), ("source_start", "int"),
                  ("source_end", "int"))


def _documents(r: dict) -> Iterator[dict]:
    tr = r.get("translation") or {}
    yield {**r, "text_chars": len(r.get("text") or ""), "captions": len(r.get("captions") or []),
           "translation_engine": tr.get("engine"), "translation_model": tr.get("model"),
           "translation_sentences": len(tr.get("sentences") or []) if tr else None,
           "translation_warnings": tr.get("warnings") or []}


def _commitments(r: dict) -> Iterator[dict]:
    yield {**r, **_date_cols(r.get("date")), "actors": [a.get("name") for a in r.get("actors") or []],
           "figures": len(r.get("figures") or [])}


def _figures(r: dict) -> Iterator[dict]:
    for i, f in enumerate(r.get("figures") or []):
        yield {**f, "statement_id": r.get("id"), "doc_id": r.get("doc_id"), "position": i}


def _actors(r: dict) -> Iterator[dict]:
    for i, a in enumerate(r.get("actors") or []):
        yield {**a, "statement_id": r.get("id"), "doc_id": r.get("doc_id"), "position": i}


def _clusters(r: dict) -> Iterator[dict]:
    yield {**r, "documents": len(r.get("doc_ids") or []), "duplicates": len(r.get("duplicates") or [])}


def _cluster_documents(r: dict) -> Iterator[dict]:
    copies = {d.get("doc_id"): d.get("duplicate_of") for d in r.get("duplicates") or []}
    for i, doc_id in enumerate(r.get("doc_ids") or []):
        yield {"cluster_id": r.get("cluster_id"), "doc_id": doc_id, "position": i,
               "canonical": doc_id == r.get("canonical_doc_id"), "duplicate_of": copies.get(doc_id)}


def _meeting_rows(r: dict) -> Iterator[dict]:
    yield {**r, **_date_cols(r.get("date")), "outlet_count": len(r.get("outlets") or []),
           "figures": len(r.get("figures") or []), "conflicts": len(r.get("conflicts") or []),
           "details": len(r.get("details") or []), "sources": len(r.get("sources") or []),
           "actors": [a.get("name") for a in r.get("actors") or []]}


def _meeting_sources(r: dict) -> Iterator[dict]:
    for i, s in enumerate(r.get("sources") or []):
        yield {**s, **_date_cols(s.get("date")), "row_id": r.get("id"), "cluster_id": r.get("cluster_id"),
               "position": i, "actors": [a.get("name") for a in s.get("actors") or []]}


def _meeting_figures(r: dict) -> Iterator[dict]:
    for i, f in enumerate(r.get("figures") or []):
        yield {**f, "row_id": r.get("id"), "position": i}


def _meeting_actors(r: dict) -> Iterator[dict]:
    for i, a in enumerate(r.get("actors") or []):
        yield {**a, "row_id": r.get("id"), "position": i}


def _meeting_conflicts(r: dict) -> Iterator[dict]:
    for i, c in enumerate(r.get("conflicts") or []):
        for j, v in enumerate(c.get("values") or []):
            yield {**v, "row_id": r.get("id"), "conflict": i, "field": c.get("field"), "unit": c.get("unit"),
                   "position": j}


def _meeting_details(r: dict) -> Iterator[dict]:
    for i, d in enumerate(r.get("details") or []):
        yield {**d, "row_id": r.get("id"), "position": i}


def _same(r: dict) -> Iterator[dict]:
    yield r


TABLES: tuple[Table, ...] = (
    Table("documents", "documents.jsonl", (
        ("doc_id", "str"), ("path", "str"), ("status", "str"), ("reason", "str"), ("lang", "str"),
        ("published", "date"), ("published_from", "str"), ("published_note", "str"), ("url", "str"),
        ("outlet", "str"), ("title", "str"), ("text_chars", "int"), ("captions", "int"), ("content_hash", "str"),
        ("cluster_id", "str"), ("duplicate_of", "str"), ("translation_engine", "str"), ("translation_model", "str"),
        ("translation_sentences", "int"), ("translation_warnings", "list"), ("warnings", "list")), _documents),
    Table("commitments", "commitments.jsonl", (
        ("id", "str"), ("doc_id", "str"), ("cluster_id", "str"), ("kind", "str"), ("action", "str"), ("text", "str"),
        ("source_text", "str"), ("lang", "str"), *_DATE_COLUMNS, ("deadline", "date"), ("as_of", "date"),
        ("actors", "list"), ("figures", "int"), ("source_start", "int"), ("source_end", "int"), ("engine", "str"),
        ("caption", "bool"), ("read_from", "str"), ("translation_warnings", "list"), ("warnings", "list")),
        _commitments),
    Table("figures", "commitments.jsonl", (
        ("statement_id", "str"), ("doc_id", "str"), ("position", "int"), *_FIGURE_COLUMNS), _figures),
    Table("actors", "commitments.jsonl", (
        ("statement_id", "str"), ("doc_id", "str"), ("position", "int"), *_ACTOR_COLUMNS), _actors),
    Table("clusters", "clusters.jsonl", (
        ("cluster_id", "str"), ("canonical_doc_id", "str"), ("date", "date"), ("label", "str"), ("committee", "str"),
        ("event_kind", "str"), ("number", "int"), ("number_scope", "str"), ("languages", "list"),
        ("outlets", "list"), ("documents", "int"), ("duplicates", "int")), _clusters),
    Table("cluster_documents", "clusters.jsonl", (
        ("cluster_id", "str"), ("doc_id", "str"), ("position", "int"), ("canonical", "bool"),
        ("duplicate_of", "str")), _cluster_documents),
    Table("meeting_rows", "meetings.jsonl", (
        ("id", "str"), ("cluster_id", "str"), ("meeting_date", "date"), ("kind", "str"), ("text", "str"),
        ("action", "str"), *_DATE_COLUMNS, ("actors", "list"), ("figures", "int"), ("outlets", "list"),
        ("outlet_count", "int"), ("omitted_by", "list"), ("conflicts", "int"), ("details", "int"),
        ("sources", "int")), _meeting_rows),
    Table("meeting_sources", "meetings.jsonl", (
        ("row_id", "str"), ("cluster_id", "str"), ("position", "int"), ("statement_id", "str"), ("doc_id", "str"),
        ("outlet", "str"), ("lang", "str"), ("copy_of", "str"), ("text", "str"), ("source_text", "str"),
        *_DATE_COLUMNS, ("actors", "list")), _meeting_sources),
    Table("meeting_figures", "meetings.jsonl", (("row_id", "str"), ("position", "int"), *_FIGURE_COLUMNS),
          _meeting_figures),
    Table("meeting_actors", "meetings.jsonl", (("row_id", "str"), ("position", "int"), *_ACTOR_COLUMNS),
          _meeting_actors),
    Table("meeting_conflicts", "meetings.jsonl", (
        ("row_id", "str"), ("conflict", "int"), ("field", "str"), ("unit", "str"), ("position", "int"),
        ("outlet", "str"), ("value", "str"), ("text", "str"), ("doc_ids", "list"), ("statement_ids", "list")),
        _meeting_conflicts),
    Table("meeting_details", "meetings.jsonl", (
        ("row_id", "str"), ("position", "int"), ("field", "str"), ("outlet", "str"), ("note", "str")),
        _meeting_details),
    Table("tracking", "tracking.jsonl", (
        ("id", "str"), ("from_id", "str"), ("to_id", "str"), ("from_cluster", "str"), ("to_cluster", "str"),
        ("from_meeting_date", "date"), ("to_meeting_date", "date"), ("relation", "str"), ("unit", "str"),
        ("from_value", "float"), ("to_value", "float"), ("from_deadline", "date"), ("to_deadline", "date"),
        ("deadline_changed", "bool"), ("similarity", "float"), ("confidence", "float"), ("from_text", "str"),
        ("to_text", "str")), _same),
)


# ------------------------------------------------------------------------------------------ reading
def _records(path: Path) -> Iterator[dict]:
    """The records of one JSONL output, checked to be of the schema version this export reads."""
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise ExportError(f"{path}:{lineno}: not a JSON record (check the folder with "
                                  f"`commitments validate {path.parent}`)") from None
            if not isinstance(rec, dict):
                raise ExportError(f"{path}:{lineno}: not a JSON object (check the folder with "
                                  f"`commitments validate {path.parent}`)")
            version = rec.get("schema_version")
            if version != SCHEMA_VERSION:
                found = f"schema version {version}" if version else "no schema_version (an older pipeline)"
                raise ExportError(f"{path}:{lineno}: written with {found}; this export reads schema version "
                                  f"{SCHEMA_VERSION}: re-run `commitments extract` (see CHANGELOG.md)")
            yield rec


def table_rows(out_dir: Path, table: Table) -> Iterator[dict]:
    """The rows of one table, with exactly its columns (missing values as None)."""
    names = [c for c, _ in table.columns]
    for rec in _records(out_dir / table.source):
        for row in table.rows(rec):
            yield {c: row.get(c) for c in names}


# ------------------------------------------------------------------------------------------ writing
def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "list":
        return LIST_SEP.join("" if v is None else str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _write_csv(rows: Iterator[dict], table: Table, path: Path) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")  # byte-order mark: spreadsheet programs then read the file as UTF-8
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow([c for c, _ in table.columns])
        for row in rows:
            w.writerow([_cell(row[c], k) for c, k in table.columns])
            n += 1
        fh.flush()
        os.fsync(fh.fileno())
    return n


def _parquet_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "date":
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            return None
    if kind == "list":
        return LIST_SEP.join("" if v is None else str(v) for v in value)
    if kind == "float":
        return float(value)
    return value


def _write_parquet(rows: Iterator[dict], table: Table, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
             "date": pa.date32(), "list": pa.string()}
    schema = pa.schema([(c, types[k]) for c, k in table.columns])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict] = []
        for row in rows:
            batch.append({c: _parquet_value(row[c], k) for c, k in table.columns})
            n += 1
            if len(batch) >= PARQUET_ROWS_PER_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch.clear()
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return n


def pyarrow_available() -> bool:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def export(out_dir: str | os.PathLike, fmt: str = "csv", dest: str | os.PathLike | None = None) -> list[tuple[Path, int]]:
    """Write every table whose JSONL file exists in ``out_dir`` to ``dest`` (default ``OUT/export/``).

    Returns ``(path, rows)`` per table written. Raises ExportError for what the user can fix."""
    out_dir = Path(out_dir)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet" and not pyarrow_available():
        raise ExportError("Parquet needs pyarrow, which is not installed: `pip install pyarrow`, "
                          "or export with --format csv")
    if not out_dir.is_dir():
        raise ExportError(f"no outputs folder at {out_dir} (run `commitments extract --out {out_dir}` first)")
    present = [t for t in TABLES if (out_dir / t.source).is_file()]
    if not present:
        raise ExportError(f"no output files in {out_dir} (run `commitments extract --out {out_dir}` first)")
    dest = Path(dest) if dest is not None else out_dir / "export"
    dest.mkdir(parents=True, exist_ok=True)
    for leftover in dest.glob(".*.tmp"):  # what an interrupted export left behind
        leftover.unlink(missing_ok=True)
    write = _write_csv if fmt == "csv" else _write_parquet
    # every table goes to a temp file first; all are renamed into place only when all are written, so a
    # failure (a bad line, another schema version, Ctrl-C) leaves the previous export as it was
    written, pending = [], []
    try:
        for table in present:
            path = dest / f"{table.name}.{fmt}"
            tmp = dest / f".{path.name}.{os.getpid()}.tmp"
            pending.append((tmp, path))
            written.append((path, write(table_rows(out_dir, table), table, tmp)))
        for tmp, path in pending:
            os.replace(tmp, path)
    finally:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
    return written
