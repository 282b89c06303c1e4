"""Metadata a corpus gives for its files, as a JSONL line gives it for its own text.

Two ways, for ``.txt`` and ``.html`` files:

* a ``sources.toml`` in a folder, one table per file of that folder (its name, or a path below the
  folder): ``["vk-2025-09-24.txt"]`` then ``url = "..."``, ``outlet = "Vietnam Kurier"``,
  ``published = "2025-09-24"``, ``title = "..."``, ``lang = "de"``;
* front matter at the top of a ``.txt`` file: a ``---`` line, ``key: value`` lines with the same
  keys, and a closing ``---`` line.

The file's own front matter wins over ``sources.toml`` for a key both give. A value that cannot be used
(not a string, an unknown key) is left out with a warning on the document; a ``sources.toml`` that cannot
be read is reported in the run log and its folder's files are read without it.
"""
from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path, PurePosixPath

SOURCES_FILE = "sources.toml"
FIELDS = ("url", "outlet", "published", "title", "lang")

_log = logging.getLogger("pipeline.ingest")
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<body>(?:[^\n]*\n){0,40}?)---[ \t]*(?:\r?\n|\Z)")
_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")


def front_matter(raw: str) -> tuple[dict[str, str], list[str], str]:
    """``(fields, warnings, text)``: the fields of a front matter block at the top of ``raw`` and the
    text after it; ``({}, [], raw)`` when there is none."""
    m = _FRONT.match(raw)
    if not m:
        return {}, [], raw
    fields: dict[str, str] = {}
    warnings: list[str] = []
    for line in m.group("body").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kv = _LINE.match(line)
        if not kv:
            return {}, [], raw  # not front matter after all (a "---" rule above a text)
        key, value = kv.group("key").lower(), kv.group("value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key not in FIELDS:
            warnings.append(f"front matter: unknown key `{key}` left out (known: {', '.join(FIELDS)})")
        elif value:
            fields[key] = value
    return fields, warnings, raw[m.end():]


class FolderSources:
    """``sources.toml`` files of a corpus, read once per folder."""

    def __init__(self) -> None:
        self._tables: dict[Path, dict[str, dict]] = {}

    def _table(self, folder: Path) -> dict[str, dict]:
        if folder not in self._tables:
            self._tables[folder] = _load(folder / SOURCES_FILE)
        return self._tables[folder]

    def for_file(self, root: Path, file: Path) -> tuple[dict[str, str], list[str]]:
        """``(fields, warnings)`` for ``file`` from the sources.toml of its folder or of a folder above
        it within ``root`` (the nearest one that names it)."""
        folder = file.parent
        while True:
            table = self._table(folder)
            try:
                key = file.relative_to(folder).as_posix()
            except ValueError:
                key = file.name
            if key in table:
                return _fields(table[key], folder / SOURCES_FILE)
            if folder == root or folder == folder.parent or root not in folder.parents:
                return {}, []
            folder = folder.parent


def _load(path: Path) -> dict[str, dict]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        _log.warning("%s: cannot be read (%s): the files of its folder are read without it", path,
                     getattr(exc, "strerror", None) or exc)
        return {}
    table: dict[str, dict] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            _log.warning("%s: `%s` is not a table of fields (write [\"%s\"] then url = \"...\"): left out",
                         path, name, name)
            continue
        table[PurePosixPath(name).as_posix()] = entry
    missing = [n for n in table if not (path.parent / n).exists()]
    if missing:
        _log.warning("%s: names files that are not in its folder: %s", path, ", ".join(missing[:10])
                     + (f" and {len(missing) - 10} more" if len(missing) > 10 else ""))
    return table


def _fields(entry: dict, path: Path) -> tuple[dict[str, str], list[str]]:
    fields: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in entry.items():
        if key not in FIELDS:
            warnings.append(f"{path.name}: unknown key `{key}` left out (known: {', '.join(FIELDS)})")
        elif isinstance(value, str):
            if value.strip():
                fields[key] = value.strip()
        elif key == "published" and hasattr(value, "isoformat"):  # a TOML date: published = 2025-09-24
            fields[key] = value.isoformat()
        else:
            warnings.append(f"{path.name}: `{key}` is not text: left out")
    return fields, warnings
