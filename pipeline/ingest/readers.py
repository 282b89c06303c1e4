"""Readers per input format. Each turns one input (a file, or one JSONL line) into a Document.

A reader never raises for bad content: it returns a Document with ``status="rejected"`` and a
reason. Language detection happens afterwards (``pipeline.lang``) on the cleaned body.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

from pipeline.config import MAX_DOC_BYTES, MAX_NUMBER_DIGITS, MAX_SENTENCE_CHARS, MIN_TEXT_CHARS
from pipeline.ingest.chrome import CleanPage, clean_text_page, html_lead, is_caption
from pipeline.ingest.decode import Rejected, clean_characters, decode_report, utf16_family
from pipeline.ingest.sources import front_matter
from pipeline.ingest.metadata import (FROM_BYLINE, FROM_HTML, FROM_INPUT, FROM_URL, date_from_url, normalise_date,
                                      outlet_of)
from pipeline.records import Document, Span


def rejected(doc_id: str, path: str, reason: str, **meta) -> Document:
    return Document(doc_id=doc_id, path=path, status="rejected", reason=reason, **meta)


def _published(page: CleanPage, url: str | None, given: str | None, html: str | None) -> dict:
    """``published``, ``published_from`` and ``published_note``: the input's own field, else the HTML
    metadata, else a byline, else a URL date code. A date one of them states but that cannot be taken
    (not a calendar date, in the future, conflicting bylines) is noted, and the next source is tried;
    the URL is the last resort (a refused byline date is still reported when the URL gives one)."""
    notes = []
    for source, (iso, note) in ((FROM_INPUT, normalise_date(given)), (FROM_HTML, normalise_date(html)),
                                (FROM_BYLINE, (page.published, page.published_note))):
        if note:
            notes.append({FROM_INPUT: "the input's `published`: ", FROM_HTML: "HTML metadata: "}.get(source, "") + note)
        if iso:
            return dict(published=iso, published_from=source, published_note="; ".join(notes) or None)
    iso = date_from_url(url)
    return dict(published=iso, published_from=FROM_URL if iso else None, published_note="; ".join(notes) or None)


def _warned(doc: Document, warnings: list[str] | tuple[str, ...]) -> Document:
    """``doc`` with ``warnings`` before its own (what was repaired on the way in)."""
    if not warnings:
        return doc
    return doc.model_copy(update={"warnings": [*warnings, *doc.warnings]})


# --------------------------------------------------------------------------- names
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class InputName:
    """How one input file is named in the outputs: ``doc_id`` and ``rel`` (its path in the corpus)."""

    doc_id: str
    rel: str
    warnings: tuple[str, ...] = ()


def input_name(root: Path, file: Path, shared_stem: bool = False) -> InputName:
    """The id of a file depends on its own path alone, never on which other files exist or were read
    first: the path relative to the corpus without the extension ("same", "d1/same"), or with it when
    another file of the same folder has the same name before the extension (``shared_stem``:
    "same.txt" and "same.html"). A name that is not valid UTF-8 is written with its undecodable bytes
    as ``\\xNN`` (and a warning)."""
    rel = file.relative_to(root).as_posix() if file != root else file.name
    warnings: tuple[str, ...] = ()
    if _SURROGATE.search(rel):  # bytes the file system name could not decode (surrogateescape)
        rel = os.fsencode(rel).decode("utf-8", errors="backslashreplace")
        warnings = ("file name is not valid UTF-8: its undecodable bytes are written as \\xNN",)
    p = PurePosixPath(rel)
    doc_id = rel if shared_stem or not p.suffix else str(p.with_name(p.stem))
    return InputName(doc_id, rel, warnings)


_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")


def number_warnings(text: str) -> list[str]:
    """One warning per number too long to be a figure (over MAX_NUMBER_DIGITS digits): the readers
    skip such numbers; the document is read as usual."""
    out = []
    for m in _NUMBER.finditer(text):
        n = sum(ch.isdigit() for ch in m.group(0)) if m.end() - m.start() > MAX_NUMBER_DIGITS else 0
        if n > MAX_NUMBER_DIGITS:
            out.append(f"a number of {n:,} digits at character {m.start():,} is too long to be a figure: "
                       "not read as one")
    return out


def _finish(doc_id: str, path: str, page: CleanPage, **override) -> Document:
    text, caps = page.text_and_captions()
    url = override.get("url") or page.url
    title = override.get("title") or page.title
    warnings = []
    if title and len(title) > MAX_SENTENCE_CHARS:  # a title is parsed like a sentence: no real one is this long
        warnings.append(f"title of {len(title):,} characters is too long to be a title: left out")
        title = None
    meta = dict(
        url=url,
        outlet=override.get("outlet") or (outlet_of(url) if override.get("url") else None) or page.outlet
        or outlet_of(url),
        title=title,
        **_published(page, url, override.get("published"), override.get("html_published")),
    )
    body_chars = sum(b - a for a, b in _non_caption(text, caps))
    if body_chars < MIN_TEXT_CHARS:
        return rejected(doc_id, path, short_text_reason(body_chars), warnings=warnings, **meta)
    return Document(doc_id=doc_id, path=path, status="ok", text=text,
                    captions=[Span(source_start=a, source_end=b) for a, b in caps],
                    content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    lang=override.get("lang"), warnings=warnings + number_warnings(text), **meta)


def short_text_reason(chars: int) -> str:
    """Why a document with ``chars`` characters of body text (captions not counted) is rejected."""
    if not chars:
        return "no article text after cleaning"
    return (f"no article text after cleaning: {chars} characters left, shorter than the minimum of "
            f"{MIN_TEXT_CHARS} for an article")


def _non_caption(text: str, caps: list[tuple[int, int]]):
    pos = 0
    for a, b in caps:
        yield pos, a
        pos = b
    yield pos, len(text)


def read_text(doc_id: str, path: str, raw: str, **override) -> Document:
    return _finish(doc_id, path, clean_text_page(raw), **override)


def read_html(doc_id: str, path: str, raw: str, **override) -> Document:
    """Main text via trafilatura; metadata (canonical URL, title, date) via its metadata extractor."""
    import trafilatura
    from trafilatura.metadata import extract_metadata

    try:
        body = trafilatura.extract(raw, **_TRAFILATURA)
        # fast search: meta tags, JSON-LD, <time> and date-classed elements; never a date from the text
        meta = extract_metadata(raw, extensive=False)
        if not body:
            # libxml2 stops building the tree 256 levels deep, so a deeply nested page looks empty.
            # Parse it again with huge_tree (up to 2048 levels); deeper than that cannot be read.
            tree, depth = _parse_deep(raw)
            if depth >= _HUGE_TREE_DEPTH:
                return rejected(doc_id, path, f"HTML nested too deeply to read (over {_HUGE_TREE_DEPTH:,} levels "
                                "of elements)")
            deep = depth > _DEFAULT_DEPTH
            if deep:
                body = trafilatura.extract(tree, **_TRAFILATURA)
            if not body:
                # The precise pass finds no main body (paragraphs in a table cell of <article>, an
                # unusual layout): trafilatura's recall-oriented pass, with its fallback extractors,
                # before the page is rejected. Chrome cleaning and MIN_TEXT_CHARS still apply.
                body = trafilatura.extract(_parse_deep(raw)[0] if deep else raw, **_TRAFILATURA_RECALL)
    except Exception as exc:  # noqa: BLE001 - third-party parsers on untrusted markup: one bad page
        # (RecursionError, lxml ParserError, …) is one rejected document, never a stopped run.
        return rejected(doc_id, path, f"HTML could not be parsed ({type(exc).__name__})")
    if not body:
        return rejected(doc_id, path, _no_body_reason(raw),
                        url=override.get("url") or (meta.url if meta else None),
                        title=override.get("title") or (meta.title if meta else None))
    lead = _html_lead(raw)
    if lead and lead[:80] not in body:  # the outlet's lead paragraph, which the precise extraction drops
        body = lead + "\n" + body
    body, _ = clean_characters(body)  # entities (&#8203; &zwj; &#0;) become characters only here
    if meta and meta.title:
        meta.title = clean_characters(meta.title)[0]
    page = clean_text_page(body)
    # trafilatura has already separated the title; a first short line left over is body here.
    if page.title and meta and meta.title:
        page.paragraphs.insert(0, page.title)
        page.caption_flags.insert(0, is_caption(page.title))
        page.title = None
    if meta:
        override.setdefault("url", meta.url)
        override.setdefault("title", meta.title)
        override.setdefault("html_published", meta.date)
        if meta.sitename and not override.get("outlet") and not meta.url:
            override["outlet"] = outlet_of(meta.sitename)
    return _finish(doc_id, path, page, **{k: v for k, v in override.items() if v})


def _no_body_reason(raw: str) -> str:
    """Why an HTML input gave no body: a whole page with only chrome, or a fragment of a page."""
    import lxml.html

    try:
        chars = len(" ".join(lxml.html.fromstring(raw).text_content().split()))
    except Exception:  # noqa: BLE001 - only the wording depends on it
        chars = 0
    if _looks_html(raw):
        return ("no article text after cleaning: the HTML page has no main body (only navigation, menus or "
                "markup)")
    return (f"no article text after cleaning: an HTML fragment (no <html> or <body>) with {chars} characters of "
            f"text, no paragraphs of an article (the minimum is {MIN_TEXT_CHARS} characters)")


def _html_lead(raw: str) -> str | None:
    """The lead paragraph a page sets apart from its body (see chrome.html_lead), or None."""
    import lxml.html

    try:
        return html_lead(lxml.html.document_fromstring(raw))
    except Exception:  # noqa: BLE001 - an unparsable page simply has no lead to add
        return None


def _size(n: int) -> str:
    """Bytes for a person: 8 MB, 47.7 MB, 500 KB, 300 bytes (binary units, as --max-bytes counts)."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            v = n / scale
            return f"{v:.0f} {unit}" if v == int(v) else f"{v:.1f} {unit}"
    return f"{n} bytes"


def _over_limit(size: int, max_bytes: int, what: str = "file") -> str:
    return (f"{what} is {_size(size)}, over the {_size(max_bytes)} limit for one document "
            "(raise it with --max-bytes)")


_TRAFILATURA = dict(output_format="txt", include_comments=False, include_tables=False, include_images=False,
                   favor_precision=True, deduplicate=False)
_TRAFILATURA_RECALL = {**_TRAFILATURA, "favor_precision": False, "favor_recall": True}
_DEFAULT_DEPTH = 255      # libxml2's default maximum element depth
_HUGE_TREE_DEPTH = 2048   # its maximum with the huge_tree option


def _parse_deep(raw: str):
    """``(tree, depth)``: the page parsed with lxml's huge_tree option and its element depth."""
    import lxml.etree
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(raw, parser=lxml.html.HTMLParser(huge_tree=True))
    except lxml.etree.ParserError:  # "Document is empty": nothing to read, shallow or not
        return None, 0
    depth_of = {tree: 1}
    depth = 1
    for el in tree.iter():  # iterative: no recursion however deep the tree
        parent = el.getparent()
        if parent is not None:
            depth_of[el] = depth_of[parent] + 1
            depth = max(depth, depth_of[el])
    return tree, depth


class IngestMemo:
    """Cleaned documents kept in a cache (pipeline.cache.Cache, namespace "ingest") by the code,
    where each came from (path, JSONL line and id) and its raw bytes: a re-run reads and hashes an
    unchanged input but does not decode, strip or parse it again. Only accepted documents are kept
    (a rejection is cheap, and some are transient: a file that disappeared). Writes are batched."""

    FLUSH = 256

    def __init__(self, cache) -> None:
        from pipeline import code_fingerprint

        self.cache = cache
        self.fingerprint = code_fingerprint()
        self.fresh: dict[str, dict] = {}

    def key(self, where: str, doc_id: str, data: bytes) -> str:
        from pipeline.cache import key_of

        return key_of("ingest", self.fingerprint, where, doc_id, hashlib.sha256(data).hexdigest())

    def get(self, key: str) -> Document | None:
        hit = self.cache.get(key)
        return Document.model_validate(hit) if hit is not None else None

    def put(self, key: str, doc: Document) -> Document:
        if doc.status == "ok":
            self.fresh[key] = doc.model_dump(mode="json")
            if len(self.fresh) >= self.FLUSH:
                self.flush()
        return doc

    def flush(self) -> None:
        if self.fresh:
            self.cache.put_many(self.fresh)
            self.fresh = {}


def _read_memo(memo: IngestMemo | None, where: str, doc_id: str, data: bytes, read) -> Document:
    """``read()``'s document, or the one cached for these exact bytes."""
    if memo is None:
        return read()
    key = memo.key(where, doc_id, data)
    return memo.get(key) or memo.put(key, read())


def read_file(root: Path, file: Path, max_bytes: int = MAX_DOC_BYTES, memo: IngestMemo | None = None,
              name: InputName | None = None, given: tuple[dict, list] = ({}, [])) -> Iterator[Document]:
    """Documents from one input file (several for JSONL), rejected ones included.

    The size is checked before reading, and at most ``max_bytes + 1`` bytes are ever read, so an
    oversized (or growing) file is rejected without being loaded into memory. With ``memo``, an
    input read before with the same bytes is served from the cache. ``name`` (from
    ``input_name``): the file's id and path in the outputs. ``given``: ``(fields, warnings)`` from the
    folder's sources.toml (ingest/sources.py).
    """
    name = name or input_name(root, file)
    for doc in _read_file(file, name, max_bytes, memo, given[0]):
        yield _warned(doc, [*name.warnings, *given[1]])


def _read_file(file: Path, name: InputName, max_bytes: int, memo: IngestMemo | None,
               given: dict | None = None) -> Iterator[Document]:
    doc_id, rel = name.doc_id, name.rel
    suffix = file.suffix.lower()
    try:
        st = file.stat()
        if not stat.S_ISREG(st.st_mode):
            yield rejected(doc_id, rel, "not a regular file (a device, pipe or socket)")
            return
        if suffix == ".jsonl":
            yield from read_jsonl(file, rel, max_bytes, memo, stem=doc_id)
            return
        if st.st_size > max_bytes:
            yield rejected(doc_id, rel, _over_limit(st.st_size, max_bytes))
            return
        with open(file, "rb") as fh:
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:  # it grew after the size check
            yield rejected(doc_id, rel, _over_limit(len(data), max_bytes, "file grew while being read: it"))
            return
    except FileNotFoundError:
        yield rejected(doc_id, rel, "file disappeared before it could be read")
        return
    except OSError as exc:
        yield rejected(doc_id, rel, f"file could not be read ({exc.strerror or exc})")
        return
    given = given or {}
    where = rel + (" " + json.dumps(given, sort_keys=True, ensure_ascii=False) if given else "")
    yield _read_memo(memo, where, doc_id, data, lambda: _read_single(doc_id, rel, data, suffix, given))


def _read_single(doc_id: str, rel: str, data: bytes, suffix: str, given: dict | None = None) -> Document:
    try:
        raw, _enc, warnings = decode_report(data)
    except Rejected as exc:
        return rejected(doc_id, rel, str(exc))
    raw, more = clean_characters(raw)
    meta = dict(given or {})
    if suffix in (".html", ".htm") or (suffix not in (".txt", ".text") and _looks_html(raw)):
        doc = read_html(doc_id, rel, raw, **meta)
    else:
        fields, fm_warnings, raw = front_matter(raw)
        more += fm_warnings
        doc = read_text(doc_id, rel, raw, **{**meta, **fields})
    return _warned(doc, warnings + more)


def _looks_html(raw: str) -> bool:
    head = raw[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def _json_problem(msg: str) -> str:
    """json's message for a person: 'Unterminated string starting at' -> 'unterminated string'."""
    msg = msg.removesuffix(" at").removesuffix(" starting")
    return msg[:1].lower() + msg[1:]


_JSONL_FIELDS = ("id", "url", "title", "published", "outlet", "lang", "text", "html")


def _jsonl_lines(fh, max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """``(line, 0)`` per line of a JSONL file as UTF-8 bytes, or ``(None, size)`` for a line over
    ``max_bytes`` (skipped unread: one huge line is never held whole). A UTF-16 or UTF-32 file is
    decoded before it is split into lines (its 0x0A bytes are halves of other characters) and each
    line re-encoded as UTF-8; its size is counted in UTF-8 bytes."""
    head = fh.read(4096)
    fh.seek(0)
    enc = utf16_family(head)
    if enc is None:
        read = fh.readline
    else:
        text = io.TextIOWrapper(fh, encoding=enc, errors="replace", newline="")

        def read(limit: int) -> bytes:
            return text.readline(limit).encode("utf-8")
    while True:
        bline = read(max_bytes + 1)
        if not bline:
            return
        if len(bline) > max_bytes and not (enc is None and bline.endswith(b"\n")):
            size = len(bline)
            while not bline.endswith(b"\n"):  # skip the rest of the oversized line, counting it
                bline = read(1 << 20)
                if not bline:
                    break
                size += len(bline)
            size -= bline.endswith(b"\n")  # the size of the line itself, without its newline
            yield None, size
            continue
        yield bline, 0


def read_jsonl(file: Path, rel: str, max_bytes: int, memo: IngestMemo | None = None,
               stem: str | None = None) -> Iterator[Document]:
    """One Document per line; a broken line becomes a rejected record, the others still count.
    ``stem``: what fallback ids start with (``<stem>#<line>``; default: the file name's stem)."""
    stem = stem or file.stem
    seen: set[str] = set()
    with open(file, "rb") as fh:
        lineno = 0
        for bline, oversize in _jsonl_lines(fh, max_bytes):
            lineno += 1
            where = f"{rel}#{lineno}"
            fallback_id = f"{stem}#{lineno}"
            if bline is None:
                yield rejected(fallback_id, where, f"line {lineno}: " + _over_limit(oversize, max_bytes, "line"))
                continue
            if not bline.strip():
                continue
            try:
                line, _, warnings = decode_report(bline)
                obj = json.loads(line.rstrip("\n"))
            except Rejected as exc:
                yield rejected(fallback_id, where, f"line {lineno}: {exc}")
                continue
            except json.JSONDecodeError as exc:
                yield rejected(fallback_id, where, f"line {lineno}: invalid JSON at column {exc.colno} ({_json_problem(exc.msg)})")
                continue
            except (RecursionError, ValueError) as exc:  # nesting too deep, a number too long
                what = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(":")[0]
                yield rejected(fallback_id, where, f"line {lineno}: invalid JSON ({what})")
                continue
            if not isinstance(obj, dict):
                yield rejected(fallback_id, where, f"line {lineno}: expected a JSON object, got {type(obj).__name__}")
                continue
            # JSON can spell what no text holds ("\\ud800", "\\u0000") and what no reader should see
            # ("\\u200b"): each string field is cleaned as a file's text is, with the same warnings
            for key in _JSONL_FIELDS:
                if isinstance(obj.get(key), str):
                    obj[key], more = clean_characters(obj[key])
                    warnings += [f"`{key}`: {w}" for w in more]
            doc_id = str(obj.get("id") or fallback_id)
            if doc_id in seen:
                doc_id = f"{doc_id}#{lineno}"
            seen.add(doc_id)
            meta = {k: obj.get(k) for k in ("url", "title", "published", "outlet", "lang")
                    if isinstance(obj.get(k), str) and obj.get(k)}
            if isinstance(obj.get("html"), str) and obj["html"].strip():
                doc = _read_memo(memo, where, doc_id, bline, lambda: read_html(doc_id, where, obj["html"], **meta))
            elif isinstance(obj.get("text"), str) and obj["text"].strip():
                doc = _read_memo(memo, where, doc_id, bline, lambda: read_text(doc_id, where, obj["text"], **meta))
            else:
                doc = rejected(doc_id, where, f"line {lineno}: no `text` or `html` field with content",
                               url=meta.get("url"), title=meta.get("title"))
            yield _warned(doc, [f"line {lineno}: {w}" for w in warnings])
