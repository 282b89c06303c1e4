"""Ingestion: formats, chrome removal, metadata, and bad inputs each with their expected record."""

import json

import pytest

from pipeline.ingest import iter_documents
from pipeline.lang import identify

from conftest import SEEDS


def _docs(path):
    return {d.doc_id: identify(d) for d in iter_documents(path)}


def test_seed_metadata_matches_the_articles():
    docs = _docs(SEEDS)
    got = {k[:3]: (d.lang, d.published) for k, d in docs.items()}
    assert got == {
        "000": ("en", "2025-03-18"),   # "Việt NamViệt Nam18/03/2025" date line
        "001": ("de", "2025-03-18"),
        "002": ("en", None),           # no date anywhere: never guessed
        "003": ("en", "2025-09-24"),   # only "September 24" in the text; yymmdd code in the vtv.vn URL
        "004": ("en", "2025-09-24"),
    }
    assert docs["003_f43cbe7d55b3cf07"].outlet == "vtv.vn"
    assert docs["000_3ed392a0d2c95b5d"].url.startswith("https://binhdinh.gov.vn/tin-tuc/")


def test_seed_text_has_no_chrome_and_keeps_paragraphs():
    for d in _docs(SEEDS).values():
        for chrome in ("Nền tảng quảng bá", "[Anzeige", "Comment (0)", "Kommentar (0)", "No data",
                       "Same category", "Gleiches Thema", "Please leave a comment", "Source:", "Quelle:"):
            assert chrome not in d.text, (d.doc_id, chrome)
        assert "\n\n" in d.text
    d = _docs(SEEDS)["000_3ed392a0d2c95b5d"]
    assert d.text.rstrip().endswith("under their authority./.")
    assert d.title.startswith("The first meeting of the Government Steering Committee")


def test_captions_are_kept_and_marked():
    d = _docs(SEEDS)["000_3ed392a0d2c95b5d"]
    caps = [d.text[c.source_start:c.source_end] for c in d.captions]
    assert "Prime Minister Pham Minh Chinh speaks at the conference. Photo: VGP/Nhat Bac" in caps
    assert "Conference at Binh Dinh bridge point" in caps


def test_jsonl_lines_each_become_a_document_and_a_broken_line_is_reported(tmp_path):
    body = open(SEEDS / "003_f43cbe7d55b3cf07.txt", encoding="utf-8").read()
    lines = [json.dumps({"id": "a1", "text": body, "url": "https://example.org/2025/09/24/x", "lang": "en"}),
             '{"id": "broken", "text": "unterminated',
             json.dumps({"text": body, "published": "2025-09-25T08:00:00+07:00"}),
             json.dumps({"id": "empty"})]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(iter_documents(tmp_path))
    assert [d.doc_id for d in docs] == ["a1", "batch#2", "batch#3", "empty"]
    assert [d.status for d in docs] == ["ok", "rejected", "ok", "rejected"]
    assert docs[1].reason.startswith("line 2: invalid JSON at column")
    assert docs[0].outlet == "example.org" and docs[0].published == "2025-09-24"
    assert docs[2].published == "2025-09-25"
    assert "no `text` or `html`" in docs[3].reason


def test_html_main_text_and_canonical_metadata(tmp_path):
    para = "The Ministry of Finance will complete the review of 120 administrative procedures by June 30, 2026. " * 4
    html = f"""<!doctype html><html><head><title>Finance ministry to cut procedures</title>
    <link rel="canonical" href="https://news.example.com/finance-cut-procedures.html">
    <meta property="article:published_time" content="2026-01-15T09:00:00+07:00"></head>
    <body><nav><a href="/">Home</a> | <a href="/politics">Politics</a></nav>
    <article><h1>Finance ministry to cut procedures</h1><p>{para}</p><p>{para}</p></article>
    <footer>Copyright 2026 Example News</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (d,) = iter_documents(tmp_path)
    assert d.status == "ok"
    assert d.url == "https://news.example.com/finance-cut-procedures.html"
    assert d.outlet == "news.example.com"
    assert d.published == "2026-01-15"
    assert "Copyright" not in d.text and "Home" not in d.text
    assert "120 administrative procedures" in d.text


def test_bad_inputs_are_rejected_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "nobody.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    latin = ("Die Bundesregierung hat beschlossen, dass die Gemeinden bis Ende 2025 alle Verfahren "
             "digitalisieren müssen. Größere Städte berichten über Fortschritte. ") * 5
    (tmp_path / "latin1.txt").write_bytes(latin.encode("latin-1"))
    (tmp_path / "huge.txt").write_bytes(b"a" * (20 * 1024 * 1024))
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    docs = {d.doc_id: identify(d) for d in iter_documents(tmp_path)}
    assert docs["empty"].status == "rejected" and docs["empty"].reason == "empty file"
    assert docs["image"].reason == "binary content (a PNG image)"
    assert docs["nobody"].reason.startswith("no article text after cleaning")
    assert docs["latin1"].status == "ok" and "Größere Städte" in docs["latin1"].text and docs["latin1"].lang == "de"
    assert docs["huge"].status == "rejected" and "over the 8 MB limit" in docs["huge"].reason
    assert docs["notes"].reason.startswith("unsupported file type '.md'")


def test_header_date_lines_in_each_language_and_portal_banners():
    from pipeline.ingest.chrome import clean_text_page
    from pipeline.ingest.metadata import date_from_line

    assert date_from_line("October 2, 2025 | 09:15 pm GMT+7") == "2025-10-02"
    assert date_from_line("2. Oktober 2025, 10:15 Uhr") == "2025-10-02"
    assert date_from_line("Thứ Bảy, 15/11/2025 18:45") == "2025-11-15"
    assert date_from_line("18. März 2025") == "2025-03-18"
    assert date_from_line("Thứ Năm, 11-12-2025, 10:42") == "2025-12-11"
    assert date_from_line("Hotline 1900 5555 – 31/02/2025") is None  # no such day
    page = clean_text_page("Báo Chính phủ - Cổng Thông tin điện tử Chính phủ\n\n"
                           "Thủ tướng chủ trì Phiên họp thứ năm của Ban Chỉ đạo\n\nThứ Bảy, 15/11/2025 18:45\n\n"
                           "Chiều 15/11, tại trụ sở Chính phủ, Thủ tướng chủ trì phiên họp.\n\nĐoạn thứ hai.")
    assert page.title == "Thủ tướng chủ trì Phiên họp thứ năm của Ban Chỉ đạo"
    assert page.published == "2025-11-15"
    assert "Cổng Thông tin" not in " ".join(page.paragraphs)


def test_control_characters_mean_binary_content():
    import pytest

    from pipeline.ingest.decode import Rejected, decode

    # newline and tab are text; NUL-free C0 controls (U+0001-U+0004) and C1 controls (U+0085, NEL)
    # are category Cc: more than 3, and more than one per 100 characters, reject the file
    text, _ = decode(("line one\tcell\n" * 20).encode("utf-8"))
    assert text.startswith("line one\tcell\n")
    for junk in ("\x01\x02\x03\x04", "\u0085" * 4):
        with pytest.raises(Rejected, match="control characters"):
            decode(("some words " + junk + " more words").encode("utf-8"))
    # three are tolerated (a stray form feed or two), and so is a no-break space (category Zs)
    decode(("some words \x0c\x0c\x0c more words \u00a0").encode("utf-8"))


def test_unchanged_inputs_are_not_cleaned_again(tmp_path, monkeypatch):
    import shutil

    from pipeline.cache import Cache
    from pipeline.ingest import readers

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "more.jsonl").write_text(
        json.dumps({"id": "j1", "url": "https://vietnamnews.vn/a.html", "text": "The ministry will finish the "
                    "national database by June 30, 2025, the Prime Minister said at the meeting. " * 3}) + "\n"
        + json.dumps({"id": "j2", "html": "<html><body><p>" + "Ministries must report every quarter. " * 8
                      + "</p></body></html>"}) + "\nnot json\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache.sqlite", "ingest")
    first = list(iter_documents(corpus, cache=cache))
    assert {"j1", "j2"} <= {d.doc_id for d in first if d.status == "ok"}
    assert any(d.status == "rejected" and "invalid JSON" in d.reason for d in first)
    assert first == list(iter_documents(corpus))  # the cache changes nothing

    def no_cleaning(*args, **kwargs):
        raise AssertionError("an unchanged input was cleaned again")

    monkeypatch.setattr(readers, "read_text", no_cleaning)
    monkeypatch.setattr(readers, "read_html", no_cleaning)
    again = list(iter_documents(corpus, cache=cache))
    assert again == first  # every document, the rejected JSON line included, same order
    # an edited file is read again (and only that one)
    seed = sorted(corpus.glob("*.txt"))[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\nOne more paragraph.", encoding="utf-8")
    with pytest.raises(AssertionError, match="cleaned again"):
        list(iter_documents(corpus, cache=cache))
