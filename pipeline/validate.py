"""Check output files against the JSON Schema generated from the record models."""
from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from pipeline.io import output_models


def validate_outputs(out_dir: str | Path) -> tuple[list[str], dict[str, int]]:
    """Problems (one line each: file, line, path, message) and record counts per file."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise FileNotFoundError(f"no outputs folder at {out_dir}")
    problems: list[str] = []
    counts: dict[str, int] = {}
    for fname, model in output_models().items():
        path = out_dir / fname
        if not path.exists():
            continue
        validator = Draft202012Validator(model.model_json_schema())
        n = 0
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                n += 1
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    problems.append(f"{fname}:{lineno}: not JSON ({exc.msg})")
                    continue
                for e in validator.iter_errors(rec):
                    where = "/".join(str(p) for p in e.absolute_path) or "(record)"
                    problems.append(f"{fname}:{lineno}: {where}: {e.message}")
        counts[fname] = n
    if not counts:
        raise FileNotFoundError(f"no output files in {out_dir}")
    return problems, counts
