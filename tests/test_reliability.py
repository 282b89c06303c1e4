"""Reliability: hostile inputs each end up in documents.jsonl with a reason; encodings; size limits;
interrupted runs leave the previous outputs intact and resume from the cache.

The hostile corpus is generated once per session; expected reasons are written out by hand.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pipeline.ingest import discover, iter_documents
from pipeline.ingest.decode import Rejected, decode
from pipeline.ingest.readers import read_file
from pipeline.run import Settings, run

from conftest import SEEDS

# --------------------------------------------------------------------------- texts
# Vietnamese written with all five tones and the letters ă â đ ê ô ơ ư, in NFC.
VI_TITLE = "Thủ tướng chủ trì phiên họp Ban Chỉ đạo về chuyển đổi số"
VI_BODY = (
    "Chiều ngày 24 tháng 9, Thủ tướng Chính phủ Phạm Minh Chính đã chủ trì phiên họp thứ tư của Ban Chỉ đạo "
    "về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số. Thủ tướng yêu cầu các bộ, ngành và "
    "địa phương hoàn thành việc xây dựng cơ sở dữ liệu quốc gia về đất đai trong quý IV năm 2025.\n\n"
    "Bộ Nội vụ được giao rà soát, bố trí đủ nhân lực cho chuyển đổi số, nhất là ở cấp cơ sở. Thủ tướng cũng đề "
    "nghị giải quyết 80% thủ tục hành chính trên môi trường điện tử ngay trong năm nay, bảo đảm an toàn, an ninh "
    "thông tin và phục vụ người dân, doanh nghiệp tốt hơn."
)
DE_TEXT = (
    "Bundesregierung beschließt Förderprogramm für Städte\n\n"
    "Die Bundesregierung hat am Mittwoch beschlossen, dass die Gemeinden bis Ende 2026 alle "
    "Verwaltungsverfahren digitalisieren müssen. Größere Städte berichten über Fortschritte, kleinere "
    "Gemeinden fordern mehr Unterstützung. Das Bundesministerium des Innern stellt dafür 300 Millionen "
    "Euro bereit und will die Förderrichtlinie bis zum 30. Juni 2026 veröffentlichen.\n"
)
EN_TEXT = (
    "Government sets deadline for land database\n\n"
    "At the regular Government meeting on October 5, Prime Minister Pham Minh Chinh asked the Ministry of "
    "Agriculture and Environment to complete the national land database by December 31, 2025. The Ministry of "
    "Finance will cut 30% of business conditions in the first quarter of 2026, and provinces must report "
    "progress every month.\n"
)
FR_TEXT = (
    "Le gouvernement annonce un plan pour les communes\n\n"
    "Le Premier ministre a demandé mercredi aux ministères de réduire de trente pour cent les procédures "
    "administratives avant la fin de l'année. Les collectivités locales devront publier leurs données "
    "foncières dans un registre national, et le ministère de l'Intérieur présentera un rapport au Parlement "
    "avant le trente juin. Les grandes villes saluent la mesure, les petites communes demandent des moyens.\n"
)

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 bytes for NFC Vietnamese: cp1258 has ă â ê ô ơ ư đ precomposed but writes the five
    tones as combining marks, so each toned letter becomes base letter + tone (Python's codec alone
    refuses precomposed toned letters such as 'ệ')."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in nfd if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


# --------------------------------------------------------------------------- decode
def test_cp1258_vietnamese_comes_back_equal_in_nfc():
    raw = encode_cp1258(VI_BODY)
    assert b"\xcc" in raw or b"\xec" in raw  # really written with combining tone bytes (grave / acute)
    text, enc = decode(raw)
    assert enc == "cp1258"
    assert text == VI_BODY
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("data, encoding", [
    (DE_TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + DE_TEXT.encode("utf-8"), "utf-8"),
    (DE_TEXT.encode("utf-16"), "utf-16"),                 # with BOM (little-endian here)
    (b"\xfe\xff" + DE_TEXT.encode("utf-16-be"), "utf-16"),
    (DE_TEXT.encode("utf-16-le"), "utf-16-le"),           # no BOM: found by the NUL byte pattern
    (DE_TEXT.encode("utf-16-be"), "utf-16-be"),
    (DE_TEXT.encode("cp1252"), None),
    (DE_TEXT.replace("\n", "\r\n").encode("latin-1"), None),
])
def test_encodings_decode_to_the_same_text(data, encoding):
    text, enc = decode(data)
    assert text == DE_TEXT
    if encoding:
        assert enc == encoding


def test_vietnamese_in_utf16_and_decomposed_utf8_is_nfc():
    nfd = unicodedata.normalize("NFD", VI_BODY)
    assert nfd != VI_BODY
    assert decode(nfd.encode("utf-8"))[0] == VI_BODY
    assert decode(VI_BODY.encode("utf-16"))[0] == VI_BODY
    assert decode(VI_BODY.encode("utf-16-le"))[0] == VI_BODY


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b" \n\t\r\n ", "file holds only whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content (a PNG image)"),
    (b"%PDF-1.7\n%\xe2\xe3", "binary content (a PDF file)"),
    (b"abc\x00def" * 20, "binary content (NUL bytes)"),
    (b"\xff\xfe" + b"\x00\xd8", "declared utf-16 but the bytes do not decode (unexpected end of data at byte 2)"),
])
def test_undecodable_inputs_are_refused_with_a_reason(data, reason):
    with pytest.raises(Rejected) as exc:
        decode(data)
    assert str(exc.value) == reason


@hsettings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_decode_of_any_bytes_returns_nfc_text_or_rejects(data):
    try:
        text, enc = decode(data)
    except Rejected as exc:
        assert str(exc)
        return
    assert unicodedata.is_normalized("NFC", text)
    assert "\r" not in text and "\ufeff" not in text
    assert isinstance(enc, str) and enc


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=300))
def test_utf8_text_round_trips_as_nfc(text):
    if not text.strip() or text.startswith("\ufeff"):
        return
    got, enc = decode(text.encode("utf-8"))
    assert enc == "utf-8"
    assert got == unicodedata.normalize("NFC", text.replace("\ufeff", ""))


# --------------------------------------------------------------------------- size limit
def test_oversized_file_is_rejected_without_being_read(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write(DE_TEXT.encode("utf-8"))
        fh.truncate(50 * 1024 * 1024)
    tracemalloc.start()
    (doc,) = read_file(tmp_path, big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert doc.status == "rejected"
    assert doc.reason == "file is 50 MB, over the 8 MB limit for one document (raise it with --max-bytes)"
    assert peak < 1024 * 1024  # nothing near 50 MB was allocated


def test_max_bytes_applies_to_files_and_jsonl_lines(tmp_path):
    (tmp_path / "a.txt").write_text(DE_TEXT, encoding="utf-8")           # under 1 KB
    (tmp_path / "c.txt").write_bytes(b"x" * 700)
    long_line = json.dumps({"id": "long", "text": "a" * 2536})           # 24 + 2536 + 2 = 2,562 bytes
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "short", "text": DE_TEXT}) + "\n" + long_line + "\n"
                                      + json.dumps({"id": "after", "text": DE_TEXT}) + "\n", encoding="utf-8")
    docs = {d.doc_id: d for d in iter_documents(tmp_path, max_bytes=1024)}
    assert docs["a"].status == "ok"
    assert docs["short"].status == "ok" and docs["after"].status == "ok"   # the lines around it still count
    assert (docs["b#2"].status, docs["b#2"].path) == ("rejected", "b.jsonl#2")
    assert docs["b#2"].reason == ("line 2: line is 2.5 KB, over the 1 KB limit for one document "
                                  "(raise it with --max-bytes)")
    docs = {d.doc_id: d for d in iter_documents(tmp_path, max_bytes=300)}
    assert docs["c"].reason == "file is 700 bytes, over the 300 bytes limit for one document (raise it with --max-bytes)"
    assert docs["a"].status == "rejected"


def test_file_deleted_after_discovery_is_reported(tmp_path):
    f = tmp_path / "gone.txt"
    f.write_text(DE_TEXT, encoding="utf-8")
    (path,) = discover(tmp_path)
    f.unlink()
    (doc,) = read_file(tmp_path, path)
    assert (doc.doc_id, doc.status, doc.reason) == ("gone", "rejected", "file disappeared before it could be read")


# --------------------------------------------------------------------------- hostile corpus
def _jsonl_lines(broken: bool) -> str:
    lines = [json.dumps({"id": "feed-a", "text": EN_TEXT, "url": "https://example.org/2025/10/05/land"}),
             '{"id": "feed-broken", "text": "unterminated' if broken else "",  # blank: same line numbers
             json.dumps({"id": "feed-b", "text": DE_TEXT.replace("Mittwoch", "Donnerstag"), "lang": "de"},
                        ensure_ascii=False)]
    return "\n".join(lines) + "\n"


def _write_good(folder: Path, broken_jsonl: bool) -> None:
    folder.mkdir(parents=True)
    shutil.copy(SEEDS / "003_f43cbe7d55b3cf07.txt", folder / "003_f43cbe7d55b3cf07.txt")
    (folder / "de_latin1.txt").write_bytes(DE_TEXT.encode("latin-1"))
    (folder / "vi_cp1258.txt").write_bytes(encode_cp1258(VI_TITLE + "\n\n" + VI_BODY + "\n"))
    (folder / "vi_utf16.txt").write_bytes((VI_TITLE + "\n\n" + VI_BODY + "\n").encode("utf-16"))
    (folder / "feed.jsonl").write_text(_jsonl_lines(broken_jsonl), encoding="utf-8")


PARA = ("The Ministry of Finance will complete the review of 120 administrative procedures by June 30, 2026, "
        "and report the results to the Government. ") * 3

# Expected (status, reason) of every hostile input, by doc_id; reasons written out by hand.
HOSTILE = {
    "empty": ("rejected", "empty file"),
    "blank": ("rejected", "file holds only whitespace"),
    "random": ("rejected", "binary content (NUL bytes)"),
    "photo": ("rejected", "binary content (a PNG image)"),
    "huge": ("rejected", "file is 50 MB, over the 8 MB limit for one document (raise it with --max-bytes)"),
    "deep": ("rejected", "HTML nested too deeply to read (over 2,048 levels of elements)"),
    "fairly_deep": ("ok", None),
    "feed-broken": None,  # replaced below: fallback id is <file>#<line>
    "feed#2": ("rejected", "line 2: invalid JSON at column 31 (unterminated string)"),
    "dangling": ("rejected", "broken symbolic link (its target nowhere.txt does not exist)"),
    "self": ("rejected", "symbolic link loop"),
    "sub/up": ("rejected", "symbolic link to a folder already read (a loop): skipped"),  # id = path in the corpus
    "notes": ("rejected", "unsupported file type '.md' (expected .txt, .text, .html, .htm, .jsonl)"),
    "french": ("rejected", "language 'fr' not supported (supported: en, de, vi)"),
    "nobody": ("rejected", "no article text after cleaning"),  # only a menu: "Home" is chrome
    "headline": ("rejected", "no article text after cleaning: 45 characters left, shorter than the minimum of 200 "
                          "for an article"),
}
del HOSTILE["feed-broken"]


@pytest.fixture(scope="session")
def corpora(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("hostile")
    good, hostile = base / "good", base / "hostile"
    _write_good(good, broken_jsonl=False)
    _write_good(hostile, broken_jsonl=True)
    (hostile / "empty.txt").write_bytes(b"")
    (hostile / "blank.txt").write_bytes(b"   \n\t\n  \r\n")
    (hostile / "random.txt").write_bytes(random.Random(7).randbytes(4096))
    (hostile / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(8).randbytes(2000))
    with open(hostile / "huge.txt", "wb") as fh:  # 50 MB (sparse: instant to make)
        fh.write(DE_TEXT.encode("utf-8"))
        fh.truncate(50 * 1024 * 1024)
    (hostile / "deep.html").write_text("<html><body>" + "<div>" * 5000 + f"<p>{PARA}</p>" + "</div>" * 5000
                                       + "</body></html>", encoding="utf-8")
    (hostile / "fairly_deep.html").write_text("<html><body>" + "<div>" * 600 + f"<p>{PARA}</p><p>{PARA}</p>"
                                              + "</div>" * 600 + "</body></html>", encoding="utf-8")
    (hostile / "nobody.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>",
                                         encoding="utf-8")
    (hostile / "headline.txt").write_text("Ministry to cut procedures\n\nThe ministry will publish the plan next week.\n",
                                          encoding="utf-8")
    (hostile / "french.txt").write_text(FR_TEXT, encoding="utf-8")
    (hostile / "notes.md").write_text("# notes\n", encoding="utf-8")
    os.symlink("nowhere.txt", hostile / "dangling.txt")  # a file deleted before it is read
    os.symlink("self.txt", hostile / "self.txt")
    (hostile / "sub").mkdir()
    os.symlink("..", hostile / "sub" / "up")             # a folder link back to its parent's parent
    return {"good": good, "hostile": hostile, "base": base}


@pytest.fixture(scope="session")
def hostile_runs(corpora) -> dict[str, Path]:
    outs = {}
    for name in ("good", "hostile"):
        out = corpora["base"] / f"out-{name}"
        run(Settings(corpus=corpora[name], out=out, cache_dir=None))
        outs[name] = out
    return outs


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_hostile_input_is_accounted_for_with_its_reason(corpora, hostile_runs):
    docs = {d["doc_id"]: d for d in _records(hostile_runs["hostile"] / "documents.jsonl")}
    for doc_id, (status, reason) in HOSTILE.items():
        assert doc_id in docs, doc_id
        assert (docs[doc_id]["status"], docs[doc_id]["reason"]) == (status, reason), doc_id
    assert docs["fairly_deep"]["text"].startswith("The Ministry of Finance will complete the review")
    assert docs["huge"]["path"] == "huge.txt" and docs["sub/up"]["path"] == "sub/up"
    assert docs["feed#2"]["path"] == "feed.jsonl#2"
    # 6 good documents (a seed, Latin-1 German, cp1258 and UTF-16 Vietnamese, 2 JSONL lines) + hostile
    assert len(docs) == 6 + len(HOSTILE)
    info = json.loads((hostile_runs["hostile"] / "run.json").read_text())
    assert (info["documents"], info["ok"], info["rejected"]) == (len(docs), 6 + 1, len(HOSTILE) - 1)


def test_legacy_encodings_give_the_original_text(hostile_runs):
    docs = {d["doc_id"]: d for d in _records(hostile_runs["hostile"] / "documents.jsonl")}
    for doc_id in ("vi_cp1258", "vi_utf16"):
        d = docs[doc_id]
        assert (d["status"], d["lang"]) == ("ok", "vi"), doc_id
        assert d["title"] == VI_TITLE
        assert d["text"] == VI_BODY
    d = docs["de_latin1"]
    assert (d["status"], d["lang"]) == ("ok", "de")
    assert "Größere Städte" in d["text"] and "beschließt" in d["title"]


def test_good_articles_give_the_same_records_as_when_run_alone(hostile_runs):
    alone = {d["doc_id"]: d for d in _records(hostile_runs["good"] / "documents.jsonl")}
    mixed = {d["doc_id"]: d for d in _records(hostile_runs["hostile"] / "documents.jsonl")}
    assert len(alone) == 6 and all(d["status"] == "ok" for d in alone.values())
    for doc_id, rec in alone.items():
        assert mixed[doc_id] == rec, doc_id
    stmts_alone = _records(hostile_runs["good"] / "commitments.jsonl")
    stmts_mixed = [s for s in _records(hostile_runs["hostile"] / "commitments.jsonl") if s["doc_id"] in alone]
    assert stmts_alone and stmts_mixed == stmts_alone


def test_no_work_folders_are_left_after_a_run(hostile_runs):
    for out in hostile_runs.values():
        assert not list(out.glob(".partial-*")) and not list(out.glob(".*.tmp"))
