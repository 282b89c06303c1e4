"""Ingest stage: walk a corpus, read each input, clean it, attach metadata.

Public API:
    discover(corpus) -> Iterator[Path]                       stable order, loop-safe
    iter_documents(corpus, max_bytes, cache) -> Iterator[Document]  every input accounted for
"""
from __future__ import annotations

import errno
import json
import logging
import os
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.config import MAX_DOC_BYTES
from pipeline.ingest.readers import IngestMemo, input_name, read_file, rejected
from pipeline.ingest.sources import SOURCES_FILE, FolderSources
from pipeline.records import Document

_log = logging.getLogger("pipeline.ingest")

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl")


class CorpusError(Exception):
    """The corpus itself cannot be read: the run cannot proceed."""


# What a run writes into its output folder (pipeline/run.py, the reports, `commitments export`): a
# corpus folder holding a run.json of ours is an output folder, and these names in it are not articles.
OUTPUT_NAMES = frozenset({"documents.jsonl", "commitments.jsonl", "clusters.jsonl", "meetings.jsonl",
                          "tracking.jsonl", "run.json", "schema", "diff", "export"})


def is_run_output(folder: Path) -> bool:
    """True when ``folder`` holds a run.json written by this pipeline (a run's output folder)."""
    try:
        with open(Path(folder) / "run.json", "rb") as fh:
            info = json.loads(fh.read(1 << 20))
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and {"pipeline_version", "corpus", "started"} <= info.keys()


def discover(corpus: Path, skip: Iterable[Path] = ()) -> Iterator[Path]:
    """Inputs under ``corpus`` in sorted order: files, plus every path that could not be walked
    (a symlink loop, an unreadable folder), so each one can be reported. Symlinked folders are
    followed once; hidden entries (names starting with ".") are skipped, and so are the folders in
    ``skip`` (the run's own output folder) and every folder holding a run's outputs (see
    ``skipped_folders``)."""
    for path, _problem, _shared in _walk_corpus(corpus, skip):
        yield path


def skipped_folders(corpus: Path, skip: Iterable[Path] = ()) -> list[str]:
    """One line per folder (or group of files) a walk of ``corpus`` leaves out as a run's outputs."""
    notes: list[str] = []
    for _ in _walk_corpus(corpus, skip, notes):
        pass
    return notes


def _resolved(p: Path) -> Path:
    try:
        return Path(p).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(p))


def _walk_corpus(corpus: Path, skip: Iterable[Path] = (),
                 notes: list[str] | None = None) -> Iterator[tuple[Path, str | None, bool]]:
    """``(path, problem, shared_stem)``: ``problem`` is None for a file to read, else why it was not
    walked; ``shared_stem``: another file of the same folder has the same name before its extension
    (its id then keeps the extension, see ``readers.input_name``).

    Output folders are not articles: a folder in ``skip`` (the run's ``--out``) and a folder holding a
    run.json of ours are left out whole, each with a line in ``notes``; when the corpus folder itself
    holds a run.json, only the output files in it (``OUTPUT_NAMES``) are left out."""
    corpus = Path(corpus)
    skip_at = {_resolved(p) for p in skip}
    try:
        corpus.stat()
    except FileNotFoundError:
        raise CorpusError(f"corpus path does not exist: {corpus}") from None
    except OSError as exc:
        raise CorpusError(f"corpus path cannot be read: {corpus} ({exc.strerror or exc})") from None
    if not corpus.is_dir():
        yield corpus, None, False
        return
    if not os.access(corpus, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder is not readable: {corpus}")
    try:
        os.scandir(corpus).close()
    except OSError as exc:
        raise CorpusError(f"corpus folder cannot be read: {corpus} ({exc.strerror or exc})") from None
    seen: set[tuple[int, int]] = set()

    def walk(folder: Path) -> Iterator[tuple[Path, str | None, bool]]:
        try:
            st = folder.stat()
        except OSError as exc:
            yield folder, f"folder could not be read ({exc.strerror or exc})", False
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            # A symlink back to a folder already walked: a loop (or a second way into it).
            yield folder, "symbolic link to a folder already read (a loop): skipped", False
            return
        seen.add(key)
        outputs = is_run_output(folder)
        if folder != corpus and (outputs or _resolved(folder) in skip_at):
            if notes is not None:
                why = "is this run's output folder" if _resolved(folder) in skip_at else "holds a run's outputs (run.json)"
                notes.append(f"{folder}: skipped, it {why}, not articles")
            return
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield folder, f"folder could not be read ({exc.strerror or exc})", False
            return
        listed: list[tuple[Path, bool]] = []
        left_out: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if outputs and entry.name in OUTPUT_NAMES:
                left_out.append(entry.name)
                continue
            if entry.name == SOURCES_FILE:  # the folder's metadata (ingest/sources.py), not an article
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False  # reported when read
            listed.append((Path(entry.path), is_dir))
        if left_out and notes is not None:
            notes.append(f"{folder}: holds a run's outputs (run.json): {', '.join(left_out)} skipped, not articles")
        stems = Counter(p.stem for p, is_dir in listed if not is_dir and p.suffix.lower() != ".jsonl")
        for path, is_dir in listed:
            if is_dir:
                yield from walk(path)
            else:
                yield path, None, stems[path.stem] > 1 and path.suffix.lower() != ".jsonl"

    yield from walk(corpus)


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed, or None when it can (or is no link)."""
    if not path.is_symlink():
        return None
    try:
        path.stat()
    except FileNotFoundError:
        return f"broken symbolic link (its target {os.readlink(path)} does not exist)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"symbolic link cannot be followed ({exc.strerror or exc})"
    return None


def iter_documents(corpus: Path, max_bytes: int = MAX_DOC_BYTES, cache=None, skip: Iterable[Path] = ()
                   ) -> Iterator[Document]:
    """Every input as a Document, in discovery order; what cannot be read is a rejected one. With
    ``cache`` (a pipeline.cache.Cache), inputs cleaned before with the same bytes come from it.
    Output folders (``skip``, and any holding a run.json) are left out with a warning in the log."""
    memo = IngestMemo(cache) if cache is not None and cache.path is not None else None
    try:
        yield from _iter_documents(Path(corpus), max_bytes, memo, tuple(skip))
    finally:
        if memo is not None:
            memo.flush()


def _iter_documents(corpus: Path, max_bytes: int, memo: IngestMemo | None, skip: tuple[Path, ...] = ()
                    ) -> Iterator[Document]:
    root = corpus if corpus.is_dir() else corpus.parent
    notes = _LoggedNotes()
    sources = FolderSources()
    for path, problem, shared in _walk_corpus(corpus, skip, notes):
        name = input_name(root, path, shared)  # the id depends on the path alone, not on discovery order
        if problem is None:
            problem = _link_problem(path)
        if problem is not None:
            yield _named(rejected(name.doc_id, name.rel, problem), name)
            continue
        if path.suffix.lower() not in INPUT_SUFFIXES:
            yield _named(rejected(name.doc_id, name.rel, f"unsupported file type '{path.suffix or '(none)'}' "
                                  f"(expected {', '.join(INPUT_SUFFIXES)})"), name)
            continue
        given = sources.for_file(root, path) if path.suffix.lower() != ".jsonl" else ({}, [])
        for doc in read_file(root, path, max_bytes, memo, name, given):
            if doc.published_note:
                _log.warning("%s: publication date: %s", doc.path, doc.published_note)
            yield doc


class _LoggedNotes(list):
    """A list of notes that also logs each one as it is added (the run log: stderr)."""

    def append(self, note: str) -> None:
        _log.warning("%s", note)
        super().append(note)


def _named(doc: Document, name) -> Document:
    return doc.model_copy(update={"warnings": list(name.warnings)}) if name.warnings else doc
