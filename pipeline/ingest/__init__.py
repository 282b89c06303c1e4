"""Ingest stage: walk a corpus, read each input, clean it, attach metadata.

Public API:
    discover(corpus) -> Iterator[Path]                       stable order, loop-safe
    iter_documents(corpus, max_bytes, cache) -> Iterator[Document]  every input accounted for
"""
from __future__ import annotations

import errno
import logging
import os
from collections import Counter
from pathlib import Path
from typing import Iterator

from pipeline.config import MAX_DOC_BYTES
from pipeline.ingest.readers import IngestMemo, input_name, read_file, rejected
from pipeline.records import Document

_log = logging.getLogger("pipeline.ingest")

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl")


class CorpusError(Exception):
    """The corpus itself cannot be read: the run cannot proceed."""


def discover(corpus: Path) -> Iterator[Path]:
    """Inputs under ``corpus`` in sorted order: files, plus every path that could not be walked
    (a symlink loop, an unreadable folder), so each one can be reported. Symlinked folders are
    followed once; hidden entries (names starting with ".") are skipped."""
    for path, _problem, _shared in _walk_corpus(corpus):
        yield path


def _walk_corpus(corpus: Path) -> Iterator[tuple[Path, str | None, bool]]:
    """``(path, problem, shared_stem)``: ``problem`` is None for a file to read, else why it was not
    walked; ``shared_stem``: another file of the same folder has the same name before its extension
    (its id then keeps the extension, see ``readers.input_name``)."""
    corpus = Path(corpus)
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
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield folder, f"folder could not be read ({exc.strerror or exc})", False
            return
        listed: list[tuple[Path, bool]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False  # reported when read
            listed.append((Path(entry.path), is_dir))
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


def iter_documents(corpus: Path, max_bytes: int = MAX_DOC_BYTES, cache=None) -> Iterator[Document]:
    """Every input as a Document, in discovery order; what cannot be read is a rejected one. With
    ``cache`` (a pipeline.cache.Cache), inputs cleaned before with the same bytes come from it."""
    memo = IngestMemo(cache) if cache is not None and cache.path is not None else None
    try:
        yield from _iter_documents(Path(corpus), max_bytes, memo)
    finally:
        if memo is not None:
            memo.flush()


def _iter_documents(corpus: Path, max_bytes: int, memo: IngestMemo | None) -> Iterator[Document]:
    root = corpus if corpus.is_dir() else corpus.parent
    for path, problem, shared in _walk_corpus(corpus):
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
        for doc in read_file(root, path, max_bytes, memo, name):
            if doc.published_note:
                _log.warning("%s: publication date: %s", doc.path, doc.published_note)
            yield doc


def _named(doc: Document, name) -> Document:
    return doc.model_copy(update={"warnings": list(name.warnings)}) if name.warnings else doc
