#!/usr/bin/env python3
"""Generate a synthetic news corpus of N documents from the seed articles (for benchmarks and tests).

Documents report generated *meetings*, about REPORTS_PER_MEETING per meeting (as in real news:
a meeting is covered by a bounded number of outlets, and a larger corpus covers more meetings, not
larger ones). A meeting is a seed event (the seed reports published on one date) moved to its own
date, with its own number ("the 37th meeting": the seeds' numbers are rewritten). Every document is
a perturbed copy of one of its event's seed reports in the document's language (or, for
Vietnamese, built from templates): its own doc id, outlet and URL, the meeting's shifted dates
(publication a day or two later at most), changed figures, paragraphs shuffled and some dropped. Languages are mixed by weight
(``--langs en=6,de=2,vi=2``); file formats too (``.txt`` pages, ``.jsonl`` records, ``.html``).
The output depends only on the arguments: the same ``--seed`` gives the same bytes.

    python scripts/gen_corpus.py --n 1000 --out .bench/corpus-1000 [--langs en] [--seed 7]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUTLETS = {
    "en": ["baochinhphu.vn", "en.baochinhphu.vn", "vietnamnews.vn", "en.vietnamplus.vn", "tuoitrenews.vn",
           "e.vnexpress.net", "en.nhandan.vn", "vneconomy.vn", "theinvestor.vn", "english.mic.gov.vn",
           "hanoitimes.vn", "vov.vn", "gialai.gov.vn", "binhdinh.gov.vn", "backan.gov.vn"],
    "de": ["de.vietnamplus.vn", "vietnam.vn", "de.nhandan.vn", "vovworld.vn", "asienspiegel.de", "vietnam-aktuell.de"],
    "vi": ["baochinhphu.vn", "vnexpress.net", "tuoitre.vn", "thanhnien.vn", "dantri.com.vn", "nhandan.vn",
           "vietnamplus.vn", "vtv.vn", "laodong.vn", "mst.gov.vn"],
}
FORMATS = (("txt", 0.80), ("jsonl", 0.15), ("html", 0.05))
REPORTS_PER_MEETING = 12
# Meetings are spread over at least 800 days around the seeds' dates, and over MEETING_SPACING_DAYS
# per meeting (further back in time) in a larger corpus: a larger corpus is a longer archive (as a
# real one is), not the same committees meeting more often. The seeds name a few bodies, so without this a 10,000-document corpus would hold a
# meeting of the same committee every day, each report near-identical to hundreds within weeks.
MEETING_SPACING_DAYS = 10
FIRST_NUMBER = 5  # generated meetings are numbered from here (meeting numbers are read up to 999)

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
DE_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember"]
_EN_DATE = re.compile(r"\b(?P<m>" + "|".join(EN_MONTHS) + r")\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,\s*(?P<y>(?:19|20)\d\d))?\b")
_DE_DATE = re.compile(r"\b(?P<d>\d{1,2})\.\s*(?P<m>" + "|".join(DE_MONTHS) + r")(?:\s+(?P<y>(?:19|20)\d\d))?\b")
EN_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
DE_ORDINALS = ["erste", "zweite", "dritte", "vierte", "fünfte", "sechste", "siebte", "achte", "neunte", "zehnte"]
_EN_NUMBER = re.compile(r"\b(?P<o>" + "|".join(EN_ORDINALS) + r"|\d{1,3}(?:st|nd|rd|th))(?P<rest>\s+(?:meeting|session)s?\b)",
                        re.I)
_DE_NUMBER = re.compile(r"\b(?P<o>" + "|".join(DE_ORDINALS) + r"|\d{1,3}\.)(?:n|r|s|m)?(?P<rest>\s+(?:Sitzung|Treffen|Tagung))")
_NUM_DATE = re.compile(r"\b(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d\d)\b")
# A figure: digits with optional thousands separators and decimals, not part of a code (57/NQ-TW),
# not a year, not a number right after "No."/"Nr."/"Resolution"/"Project"/"Decree" (identifiers).
_FIGURE = re.compile(r"(?<![\w/.,-])(?P<num>\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)(?![\w/-]|[.,]\d)")
_ID_BEFORE = re.compile(r"(No\.|Nr\.|Số|Resolution|Resolution No\.|Project|Projekt|Decree|Dekret|Decision|Resolution|"
                        r"Beschluss|Notice|Mitteilung|Directive|Richtlinie|Program|Programm|Dự án|Nghị quyết)\s*$", re.I)


@dataclass
class Seed:
    lang: str
    title: str | None
    paragraphs: list[str]
    published: dt.date


def load_seeds(folder: Path) -> dict[str, list[Seed]]:
    from pipeline.ingest import iter_documents
    from pipeline.lang import identify

    seeds: dict[str, list[Seed]] = {}
    for doc in iter_documents(folder):
        doc = identify(doc)
        if doc.status != "ok" or not doc.lang:
            continue
        published = dt.date.fromisoformat(doc.published) if doc.published else dt.date(2025, 9, 24)
        paras = [p for p in doc.text.split("\n\n") if p.strip()]
        seeds.setdefault(doc.lang, []).append(Seed(doc.lang, doc.title, paras, published))
    return seeds


def _shift_dates(text: str, lang: str, delta: dt.timedelta, base_year: int) -> str:
    def en(m: re.Match) -> str:
        y = int(m.group("y") or base_year)
        try:
            d = dt.date(y, EN_MONTHS.index(m.group("m")) + 1, int(m.group("d"))) + delta
        except ValueError:
            return m.group(0)
        return f"{EN_MONTHS[d.month - 1]} {d.day}" + (f", {d.year}" if m.group("y") else "")

    def de(m: re.Match) -> str:
        y = int(m.group("y") or base_year)
        try:
            d = dt.date(y, DE_MONTHS.index(m.group("m")) + 1, int(m.group("d"))) + delta
        except ValueError:
            return m.group(0)
        return f"{d.day}. {DE_MONTHS[d.month - 1]}" + (f" {d.year}" if m.group("y") else "")

    def num(m: re.Match) -> str:
        try:
            d = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))) + delta
        except ValueError:
            return m.group(0)
        return f"{d.day:02d}/{d.month:02d}/{d.year}"

    text = _NUM_DATE.sub(num, text)
    return _DE_DATE.sub(de, text) if lang == "de" else _EN_DATE.sub(en, text)


def _ordinal_value(word: str, lang: str) -> int | None:
    w = word.lower().rstrip(".")
    words = DE_ORDINALS if lang == "de" else EN_ORDINALS
    if w in words:
        return words.index(w) + 1
    digits = re.match(r"\d+", w)
    return int(digits.group(0)) if digits else None


def _en_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def meeting_number(text: str, lang: str) -> int | None:
    m = (_DE_NUMBER if lang == "de" else _EN_NUMBER).search(text)
    return _ordinal_value(m.group("o"), lang) if m else None


def _renumber(text: str, lang: str, offset: int) -> str:
    """Meeting numbers in the text moved by ``offset`` ("the 3rd meeting" -> "the 39th meeting")."""
    def repl(m: re.Match) -> str:
        n = _ordinal_value(m.group("o"), lang)
        if n is None or n + offset < 1:
            return m.group(0)
        new = f"{n + offset}." if lang == "de" else _en_ordinal(n + offset)
        return new + m.group("rest")

    return (_DE_NUMBER if lang == "de" else _EN_NUMBER).sub(repl, text)


def _change_figures(text: str, rng: random.Random, lang: str) -> str:
    def repl(m: re.Match) -> str:
        raw = m.group("num")
        before = text[max(0, m.start() - 24):m.start()]
        if _ID_BEFORE.search(before):
            return raw
        plain = raw
        thousands = "," if lang == "en" else "."
        decimal = "." if lang == "en" else ","
        if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
            value, decimals = float(raw.replace(",", "").replace(".", "")), 0
        elif decimal in raw:
            value, decimals = float(plain.replace(decimal, ".")), len(raw.split(decimal)[1])
        else:
            value, decimals = float(raw), 0
        if decimals == 0 and 1900 <= value <= 2099:
            return raw  # a year
        if value == 0:
            return raw
        new = value * rng.uniform(0.6, 1.6)
        if decimals:
            out = f"{new:.{decimals}f}".replace(".", decimal)
        else:
            n = max(1, round(new))
            out = f"{n:,}".replace(",", thousands) if len(raw) > 3 and not raw.isdigit() else str(n)
        return out

    return _FIGURE.sub(repl, text)


# -------------------------------------------------------------------------------- Vietnamese
VI_BODIES = ["Bộ Khoa học và Công nghệ", "Bộ Công an", "Bộ Nội vụ", "Bộ Tài chính", "Bộ Giáo dục và Đào tạo",
             "Bộ Y tế", "Văn phòng Chính phủ", "Bộ Xây dựng", "Ngân hàng Nhà nước Việt Nam", "Bộ Công Thương"]
VI_TASKS = ["hoàn thành việc kết nối Trung tâm dữ liệu quốc gia với các cơ sở dữ liệu chuyên ngành",
            "cắt giảm, đơn giản hóa {n} thủ tục hành chính liên quan đến hoạt động kinh doanh",
            "cung cấp {n}% dịch vụ công trực tuyến toàn trình cho người dân và doanh nghiệp",
            "triển khai hồ sơ sức khỏe điện tử cho {n} triệu người dân",
            "đưa vào vận hành hệ thống thông tin giải quyết thủ tục hành chính thống nhất",
            "rà soát, bố trí đủ nhân lực cho chuyển đổi số, nhất là ở cấp cơ sở",
            "xây dựng chính phủ không giấy tờ, ký số và giao dịch trên môi trường số",
            "hoàn thiện thể chế về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"]
VI_DONE = ["Doanh thu công nghiệp công nghệ số đạt hơn {n} nghìn tỷ đồng, tăng {m}% so với cùng kỳ.",
           "Đã có hơn {n} cơ sở khám chữa bệnh kết nối hồ sơ bệnh án điện tử.",
           "Hơn {n} thủ tục hành chính và {m} điều kiện kinh doanh đã được cắt giảm, đơn giản hóa.",
           "Tỷ lệ hồ sơ trực tuyến toàn trình đạt {m}%, tăng mạnh so với năm trước.",
           "Cả nước đã phát hành hơn {n} triệu hóa đơn điện tử trong năm qua."]


def vietnamese_doc(rng: random.Random, published: dt.date, meeting: int, held: dt.date | None = None
                   ) -> tuple[str, list[str]]:
    held = held or published
    title = (f"Thủ tướng Phạm Minh Chính chủ trì phiên họp thứ {meeting} của Ban Chỉ đạo về phát triển "
             f"khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số")
    lead = (f"Chiều ngày {held.day} tháng {held.month}, tại Hà Nội, Thủ tướng Phạm Minh Chính, Trưởng Ban "
            f"Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 "
            f"đã chủ trì phiên họp thứ {meeting} của Ban Chỉ đạo. Phiên họp được kết nối trực tuyến với "
            f"{rng.randint(20, 34)} tỉnh, thành phố trực thuộc Trung ương.")
    paras = [lead]
    done = rng.sample(VI_DONE, k=3)
    paras.append("Theo báo cáo, thời gian qua khoa học, công nghệ và chuyển đổi số quốc gia đã có bước phát triển "
                 "mạnh mẽ. " + " ".join(s.format(n=rng.randint(2, 900), m=rng.randint(5, 95)) for s in done))
    for body, task in zip(rng.sample(VI_BODIES, k=4), rng.sample(VI_TASKS, k=4)):
        deadline = published + dt.timedelta(days=rng.randint(30, 300))
        paras.append(f"Thủ tướng yêu cầu {body} {task.format(n=rng.randint(10, 500))} trước ngày "
                     f"{deadline.day}/{deadline.month}/{deadline.year}.")
    paras.append("Thủ tướng nhấn mạnh, các bộ, ngành, địa phương phải quyết liệt hơn nữa trong hành động, "
                 "bảo đảm đúng tiến độ, chất lượng và hiệu quả các nhiệm vụ được giao.")
    return title, paras


# -------------------------------------------------------------------------------- pages
def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower())
    return s.strip("-")[:60] or "article"


def _page_txt(title: str | None, paras: list[str], url: str, published: dt.date, rng: random.Random) -> str:
    lines = []
    if rng.random() < 0.3:
        lines.append("Vietnam.vn - Nền tảng quảng bá Việt Nam")
    if title:
        lines.append(title)
    lines.append(f"{published.day:02d}/{published.month:02d}/{published.year}")
    lines.extend(paras)
    lines.append(f"Source: {url}")
    return "\n\n".join(lines) + "\n"


def _page_html(title: str | None, paras: list[str], url: str, published: dt.date) -> str:
    from html import escape

    body = "\n".join(f"<p>{escape(p)}</p>" for p in paras)
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{escape(title or "")}</title>\n'
            f'<link rel="canonical" href="{escape(url)}">\n'
            f'<meta property="article:published_time" content="{published.isoformat()}">\n</head>\n'
            f'<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>\n<article>\n'
            f'<h1>{escape(title or "")}</h1>\n{body}\n</article>\n<footer>Copyright</footer></body></html>\n')


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    x = rng.random() * sum(w for _, w in weighted)
    for name, w in weighted:
        x -= w
        if x <= 0:
            return name
    return weighted[-1][0]


def parse_langs(spec: str) -> list[tuple[str, float]]:
    out = []
    for part in spec.split(","):
        name, _, w = part.partition("=")
        out.append((name.strip(), float(w) if w else 1.0))
    return out


@dataclass
class Event:
    """Seed reports of one meeting (the seeds published on one date), per language."""

    held: dt.date
    number: int
    seeds: dict[str, list[Seed]]


@dataclass
class Meeting:
    event: Event
    number: int
    delta: dt.timedelta


def seed_events(seeds: dict[str, list[Seed]]) -> list[Event]:
    by_date: dict[dt.date, dict[str, list[Seed]]] = {}
    for lang, items in sorted(seeds.items()):
        for sd in items:
            by_date.setdefault(sd.published, {}).setdefault(lang, []).append(sd)
    events = []
    for held, group in sorted(by_date.items()):
        numbers = [meeting_number(" ".join(filter(None, [sd.title, *sd.paragraphs[:2]])), lang)
                   for lang, items in group.items() for sd in items]
        events.append(Event(held, next((x for x in numbers if x), 1), group))
    return events


def plan_meetings(seeds: dict[str, list[Seed]], n: int, rng: random.Random) -> list[Meeting]:
    """About n / REPORTS_PER_MEETING meetings (at least one per seed event), each on its own date
    (see MEETING_SPACING_DAYS) and with its own number."""
    events = seed_events(seeds)
    if not events:  # Vietnamese only, from templates
        events = [Event(dt.date(2025, 9, 24), 4, {})]
    count = max(len(events), round(n / REPORTS_PER_MEETING))
    span = max(800, count * MEETING_SPACING_DAYS)
    # the extra days go into the past: a publication date in the future is not a date (ingest drops it)
    return [Meeting(events[k % len(events)], FIRST_NUMBER + k % (1000 - FIRST_NUMBER),
                    dt.timedelta(days=rng.randint(400 - span, 400))) for k in range(count)]


def generate(n: int, out: Path, seed: int = 7, langs: str = "en=6,de=2,vi=2", seeds_dir: Path | None = None,
             formats: tuple[tuple[str, float], ...] = FORMATS, shard_size: int = 1000) -> dict:
    """Write ``n`` documents under ``out`` (replacing it); returns counts per language and format."""
    seeds = load_seeds(seeds_dir or ROOT / "corpora" / "seeds")
    weights = [(lang, w) for lang, w in parse_langs(langs) if lang == "vi" or seeds.get(lang)]
    if not weights:
        raise SystemExit(f"no seed documents for languages {langs!r}")
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    rng = random.Random(seed)
    meetings = plan_meetings(seeds, n, rng)
    eligible = {lang: [m for m in meetings if lang == "vi" or m.event.seeds.get(lang)] for lang, _ in weights}
    counts: dict[str, int] = {}
    jsonl: dict[int, list[str]] = {}
    for i in range(n):
        lang = _pick(rng, weights)
        fmt = _pick(rng, list(formats))
        shard = i // shard_size
        meeting = rng.choice(eligible[lang])
        held = meeting.event.held + meeting.delta
        published = held + dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2)))
        if lang == "vi":
            title, paras = vietnamese_doc(rng, published, meeting.number, held)
        else:
            src = rng.choice(meeting.event.seeds[lang])
            offset = meeting.number - meeting.event.number
            paras = [_change_figures(_renumber(_shift_dates(p, lang, meeting.delta, src.published.year), lang, offset),
                                     rng, lang) for p in src.paragraphs]
            lead, rest = paras[:1], paras[1:]
            rng.shuffle(rest)
            keep = max(3, int(len(rest) * rng.uniform(0.7, 1.0)))
            paras = lead + sorted(rng.sample(rest, k=min(keep, len(rest))), key=rest.index)
            title = _renumber(src.title, lang, offset) if src.title else None
        outlet = rng.choice(OUTLETS[lang])
        doc_id = f"gen{seed}-{i:06d}-{lang}"
        url = f"https://{outlet}/{_slug(title or doc_id)}-{published:%Y%m%d}{i:06d}.htm"
        folder = out / f"shard-{shard:03d}"
        folder.mkdir(exist_ok=True)
        if fmt == "jsonl":
            rec = {"id": doc_id, "url": url, "title": title, "published": published.isoformat(),
                   "text": "\n\n".join(paras)}
            jsonl.setdefault(shard, []).append(json.dumps(rec, ensure_ascii=False))
        elif fmt == "html":
            (folder / f"{doc_id}.html").write_text(_page_html(title, paras, url, published), encoding="utf-8")
        else:
            (folder / f"{doc_id}.txt").write_text(_page_txt(title, paras, url, published, rng), encoding="utf-8")
        counts[lang] = counts.get(lang, 0) + 1
        counts[fmt] = counts.get(fmt, 0) + 1
    for shard, lines in jsonl.items():
        (out / f"shard-{shard:03d}" / f"records-{shard:03d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, required=True, help="number of documents")
    ap.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (same seed, same corpus)")
    ap.add_argument("--langs", default="en=6,de=2,vi=2", help="language weights, e.g. en or en=6,de=2,vi=2")
    ap.add_argument("--seeds", type=Path, default=ROOT / "corpora" / "seeds", help="seed articles folder")
    ap.add_argument("--formats", default=",".join(f"{f}={w}" for f, w in FORMATS),
                    help="file format weights (txt, jsonl, html)")
    args = ap.parse_args(argv)
    counts = generate(args.n, args.out, args.seed, args.langs, args.seeds,
                      tuple((f, w) for f, w in parse_langs(args.formats)))
    print(json.dumps({"out": str(args.out), "documents": args.n, **counts}))


if __name__ == "__main__":
    main()
