"""Ingest stage: walk a corpus, read each input, clean it, attach metadata.

Public API:
    discover(corpus) -> Iterator[Path]                       stable order, loop-safe
    iter_documents(corpus, max_bytes) -> Iterator[Document]  every input accounted for
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from pipeline.config import MAX_DOC_BYTES
from pipeline.ingest.readers import read_file, rejected
from pipeline.records import Document

INPUT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".jsonl")


class CorpusError(Exception):
    """The corpus itself cannot be read: the run cannot proceed."""


def discover(corpus: Path) -> Iterator[Path]:
    """Files under ``corpus`` in sorted order. Symlinked folders are followed once (loops skipped)."""
    corpus = Path(corpus)
    if not corpus.exists():
        raise CorpusError(f"corpus path does not exist: {corpus}")
    if corpus.is_file():
        yield corpus
        return
    if not os.access(corpus, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder is not readable: {corpus}")
    seen: set[tuple[int, int]] = set()

    def walk(folder: Path) -> Iterator[Path]:
        try:
            st = folder.stat()
        except OSError:
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=True):
                    yield from walk(path)
                    continue
            except OSError:
                pass  # a symlink loop or dangling link: reported below as a file
            yield path

    yield from walk(corpus)


def iter_documents(corpus: Path, max_bytes: int = MAX_DOC_BYTES) -> Iterator[Document]:
    corpus = Path(corpus)
    root = corpus if corpus.is_dir() else corpus.parent
    for path in discover(corpus):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() and not path.exists():
            yield rejected(path.stem, rel, "broken or looping symbolic link")
            continue
        if path.suffix.lower() not in INPUT_SUFFIXES:
            yield rejected(path.stem, rel, f"unsupported file type '{path.suffix or '(none)'}' "
                           f"(expected {', '.join(INPUT_SUFFIXES)})")
            continue
        yield from read_file(root, path, max_bytes)
