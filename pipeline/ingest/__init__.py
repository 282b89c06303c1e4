"""Ingest stage: walk a corpus, read each input, clean it, attach metadata.

Public API:
    discover(corpus) -> Iterator[Path]                       stable order, loop-safe
    iter_documents(corpus, max_bytes, cache) -> Iterator[Document]  every input accounted for
"""
from __future__ import annotations

import errno
import logging
import os
from pathlib import Path
from typing import Iterator

from pipeline.config import MAX_DOC_BYTES
from pipeline.ingest.readers import IngestMemo, read_file, rejected
from pipeline.records import Document

_log = logging.getLogger("pipeline.ingest")

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl")


class CorpusError(Exception):
    """The corpus itself cannot be read: the run cannot proceed."""


def discover(corpus: Path) -> Iterator[Path]:
    """Inputs under ``corpus`` in sorted order: files, plus every path that could not be walked
    (a symlink loop, an unreadable folder), so each one can be reported. Symlinked folders are
    followed once; hidden entries (names starting with ".") are skipped."""
    for path, _problem in _walk_corpus(corpus):
        yield path


def _walk_corpus(corpus: Path) -> Iterator[tuple[Path, str | None]]:
    """``(path, problem)`` pairs: ``problem`` is None for a file to read, else why it was not walked."""
    corpus = Path(corpus)
    try:
        corpus.stat()
    except FileNotFoundError:
        raise CorpusError(f"corpus path does not exist: {corpus}") from None
    except OSError as exc:
        raise CorpusError(f"corpus path cannot be read: {corpus} ({exc.strerror or exc})") from None
    if not corpus.is_dir():
        yield corpus, None
        return
    if not os.access(corpus, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder is not readable: {corpus}")
    try:
        os.scandir(corpus).close()
    except OSError as exc:
        raise CorpusError(f"corpus folder cannot be read: {corpus} ({exc.strerror or exc})") from None
    seen: set[tuple[int, int]] = set()

    def walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
        try:
            st = folder.stat()
        except OSError as exc:
            yield folder, f"folder could not be read ({exc.strerror or exc})"
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            # A symlink back to a folder already walked: a loop (or a second way into it).
            yield folder, "symbolic link to a folder already read (a loop): skipped"
            return
        seen.add(key)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield folder, f"folder could not be read ({exc.strerror or exc})"
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False  # reported when read
            if is_dir:
                yield from walk(path)
            else:
                yield path, None

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
    for path, problem in _walk_corpus(corpus):
        rel = path.relative_to(root).as_posix() if path != root else "."
        if problem is None:
            problem = _link_problem(path)
        if problem is not None:
            yield rejected(path.stem or path.name, rel, problem)
            continue
        if path.suffix.lower() not in INPUT_SUFFIXES:
            yield rejected(path.stem, rel, f"unsupported file type '{path.suffix or '(none)'}' "
                           f"(expected {', '.join(INPUT_SUFFIXES)})")
            continue
        for doc in read_file(root, path, max_bytes, memo):
            if doc.published_note:
                _log.warning("%s: publication date: %s", doc.path, doc.published_note)
            yield doc
