"""JSONL reading and atomic writing, and JSON Schema export.

Writers stream records into a temp file beside the target and rename it into place on success,
so an interrupted run never leaves a half-written output (the previous file stays intact).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import BaseModel


def dumps(record: BaseModel | dict) -> str:
    """One JSONL line: stable key order (the model's field order), UTF-8, no trailing spaces."""
    data = record.model_dump(mode="json") if isinstance(record, BaseModel) else record
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


class AtomicWriter:
    """Context manager writing a text file atomically: temp file + fsync + rename."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._fh = None
        self._tmp: str | None = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:  # mkstemp makes the file private (0600); outputs get the usual mode (0644 under umask 022)
            os.fchmod(fd, 0o666 & ~_UMASK)
        except (AttributeError, OSError):  # no fchmod on Windows
            pass
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self._fh

    def __exit__(self, exc_type, exc, tb):
        assert self._fh is not None and self._tmp is not None
        if exc_type is None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            os.replace(self._tmp, self.path)
        else:
            self._fh.close()
            try:
                os.unlink(self._tmp)
            except OSError:
                pass
        return False


def write_jsonl(path: str | os.PathLike, records: Iterable[BaseModel | dict]) -> int:
    n = 0
    with AtomicWriter(path) as fh:
        for rec in records:
            fh.write(dumps(rec))
            fh.write("\n")
            n += 1
    return n


def write_json(path: str | os.PathLike, data: Any) -> None:
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    with AtomicWriter(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=False)
        fh.write("\n")


def read_jsonl(path: str | os.PathLike) -> Iterator[dict]:
    """Stream dicts from a JSONL file written by this project (blank lines ignored)."""
    import jsonlines

    with jsonlines.open(path, mode="r") as reader:
        yield from reader.iter(type=dict, skip_empty=True)


# Output file -> record model. The schema export and `commitments validate` use this table.
def output_models() -> dict[str, type[BaseModel]]:
    from pipeline import records

    models: dict[str, type[BaseModel]] = {
        "documents.jsonl": records.Document,
        "commitments.jsonl": records.Statement,
        "clusters.jsonl": records.Cluster,
    }
    try:  # later stages register their own records
        from pipeline.records import MeetingCommitment, TrackingLink  # type: ignore[attr-defined]

        models["meetings.jsonl"] = MeetingCommitment
        models["tracking.jsonl"] = TrackingLink
    except ImportError:
        pass
    return models


SCHEMA_ID_BASE = "urn:commitments-pipeline:schema"


def schema_id(name: str) -> str:
    """The ``$id`` of one published schema: a URN naming the contract version and the file, such as
    ``urn:commitments-pipeline:schema:2.0.0:commitments`` (an identifier, not a download location)."""
    from pipeline.records import SCHEMA_VERSION

    return f"{SCHEMA_ID_BASE}:{SCHEMA_VERSION}:{name}"


def schema_of(fname: str, model: type[BaseModel]) -> dict:
    """The published JSON Schema (draft 2020-12) of one output file: records as written (every field
    present, `format: date` on ISO dates, the contract's `schema_version` as a constant)."""
    from pipeline.records import SCHEMA_VERSION

    name = fname.removesuffix(".jsonl").removesuffix(".json")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id(name)}
    schema.update(model.model_json_schema(mode="serialization"))
    schema["description"] = (f"One {'record' if fname.endswith('.jsonl') else 'object'} of {fname} "
                             f"(schema version {SCHEMA_VERSION}). " + schema.get("description", "")).strip()
    return schema


def schema_path(out_dir: str | os.PathLike, fname: str) -> Path:
    return Path(out_dir) / "schema" / f"{fname.removesuffix('.jsonl').removesuffix('.json')}.schema.json"


def write_schemas(out_dir: str | os.PathLike) -> list[Path]:
    """Write one JSON Schema (draft 2020-12) per output file, and one for run.json, into ``out_dir/schema/``."""
    from pipeline.records import RunInfo

    written = []
    for fname, model in {**output_models(), "run.json": RunInfo}.items():
        target = schema_path(out_dir, fname)
        write_json(target, schema_of(fname, model))
        written.append(target)
    return written
