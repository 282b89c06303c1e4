"""Language-aware feature extraction for dedup: normalised text, figures, dates, meeting facts.

All language knowledge comes from ``data/meetings.toml``; the functions here only apply it.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache

from pipeline.config import DATA_DIR

# ------------------------------------------------------------------ Vietnamese tone placement
# The five tone marks (grave, acute, tilde, hook above, dot below) as combining characters. Vowel
# quality marks (circumflex, breve, horn) are not tones and stay where they are.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
_TONE_RE = re.compile(f"[{_TONES}]")
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Syllables ending in these open diphthongs are written with the tone on either vowel
# ("hòa"/"hoà", "khỏe"/"khoẻ", "thúy"/"thuý"); the normal form puts it on the second one.
_OPEN_DIPHTHONG = re.compile(r"(?:oa|oe|uy)$")


def _place_tone(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word)
    tones = _TONE_RE.findall(nfd)
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", _TONE_RE.sub("", nfd))
    if not _OPEN_DIPHTHONG.search(base):
        return word
    return unicodedata.normalize("NFC", base + tones[0])


def place_tones(text: str) -> str:
    """NFC with one tone placement for Vietnamese ("hòa" and "hoà" both become "hoà"); case kept."""
    return _WORD_RE.sub(lambda m: _place_tone(m.group(0)), unicodedata.normalize("NFC", text))


def normalize_text(text: str) -> str:
    """Lower case, NFC, one tone placement for Vietnamese ("Hòa" and "hoà" both become "hoà")."""
    return place_tones(unicodedata.normalize("NFC", text).lower())


def shingles(text: str, size: int) -> set[bytes]:
    """Word n-grams of the normalised text, punctuation stripped (MinHash input)."""
    words = _WORD_RE.findall(normalize_text(text))
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


# ------------------------------------------------------------------ data
@dataclass(frozen=True)
class LangRules:
    decimal: str
    thousands: tuple[str, ...]
    months: dict[str, int]
    meeting_number: tuple[re.Pattern, ...]
    meeting_date: tuple[re.Pattern, ...]
    meeting_cue: re.Pattern | None
    dates: tuple[re.Pattern, ...]
    ordinals: dict[str, int]
    scope_after: tuple[re.Pattern, ...]   # "of 2026", "năm 2026", "im Jahr 2026" right after a meeting number
    kinds: tuple[tuple[str, re.Pattern], ...]  # (event kind, pattern) in data order
    weekdays: dict[str, int]                   # "thursday" -> 3 (Monday = 0)


@dataclass(frozen=True)
class Committee:
    key: str
    name: str
    patterns: dict[str, tuple[re.Pattern, ...]]


@dataclass(frozen=True)
class Reference:
    """A short reference to a committee ("Ban Chỉ đạo", "the Steering Committee")."""
    patterns: dict[str, tuple[re.Pattern, ...]]
    family: tuple[str, ...]
    default: str | None


@dataclass(frozen=True)
class Rules:
    langs: dict[str, LangRules]
    committees: tuple[Committee, ...]
    references: tuple[Reference, ...]
    roles: dict[str, re.Pattern]
    holds_before: dict[str, re.Pattern]
    holds_after: dict[str, re.Pattern]
    kind_joins: dict[str, frozenset[str]]
    copy_stopwords: frozenset[str]
    document_kinds: frozenset[str]
    doc_code: re.Pattern
    numeric_dates: tuple[re.Pattern, ...]
    url_patterns: tuple[re.Pattern, ...]
    url_ordinals: dict[str, int]


def _alt(words) -> str:
    return "|".join(re.escape(normalize_text(w)) for w in sorted(words, key=len, reverse=True)) or "(?!x)x"


def _compile(patterns, months=(), ordinals=(), weekdays=()) -> tuple[re.Pattern, ...]:
    out = []
    for p in patterns:
        p = p.replace("{MONTHS}", _alt(months)).replace("{ORDINALS}", _alt(ordinals)).replace("{WEEKDAYS}", _alt(weekdays))
        out.append(re.compile(place_tones(p), re.IGNORECASE))
    return tuple(out)


@lru_cache(maxsize=None)
def rules() -> Rules:
    data = tomllib.loads((DATA_DIR / "meetings.toml").read_text(encoding="utf-8"))
    langs = {}
    for lang in ("en", "de", "vi"):
        d = data.get(lang)
        if not d:
            continue
        months = {normalize_text(k): v for k, v in d.get("months", {}).items()}
        ords = {normalize_text(k): v for k, v in d.get("ordinals", {}).items()}
        wds = {normalize_text(k): v for k, v in d.get("weekdays", {}).items()}
        langs[lang] = LangRules(
            decimal=d["decimal"], thousands=tuple(d["thousands"]), months=months, ordinals=ords, weekdays=wds,
            meeting_number=_compile(d.get("meeting_number", []), months, ords),
            meeting_date=_compile(d.get("meeting_date", []), months, ords, wds),
            meeting_cue=_compile([d["meeting_cue"]])[0] if d.get("meeting_cue") else None,
            dates=_compile(d.get("dates", []), months, ords),
            scope_after=_compile(d.get("number_scope", [])),
            kinds=tuple((kind, pat) for kind, pats in d.get("kinds", {}).items() for pat in _compile(pats, months, ords)))
    com = tomllib.loads((DATA_DIR / "committees.toml").read_text(encoding="utf-8"))
    committees = tuple(Committee(key=b["key"], name=b["name"],
                                 patterns={lang: _compile(b.get(lang, [])) for lang in langs})
                       for b in com.get("committee", []))
    references = tuple(Reference(patterns={lang: _compile(r.get(lang, [])) for lang in langs},
                                 family=tuple(r.get("family", ())), default=r.get("default"))
                       for r in com.get("reference", []))
    holds = com.get("holds", {})
    url = data.get("url", {})
    url_ords = dict(url.get("ordinals", {}))
    joins = {k: frozenset(v) for k, v in data["common"].get("kind_joins", {}).items()}
    return Rules(langs=langs, committees=committees, references=references,
                 roles={lang: _compile([p])[0] for lang, p in com.get("roles", {}).items()},
                 holds_before={lang: _compile([holds[f"{lang}_before"]])[0] for lang in langs if f"{lang}_before" in holds},
                 holds_after={lang: _compile([holds[f"{lang}_after"]])[0] for lang in langs if f"{lang}_after" in holds},
                 kind_joins=joins, copy_stopwords=frozenset(data["common"].get("copy_stopwords", ())),
                 document_kinds=frozenset(data["common"].get("document_kinds", ())),
                 doc_code=re.compile(data["common"]["doc_code"]),
                 numeric_dates=tuple(re.compile(p) for p in data["common"]["numeric_dates"]),
                 url_patterns=_compile(url.get("patterns", []), (), url_ords), url_ordinals=url_ords)


def lang_rules(lang: str | None) -> LangRules:
    r = rules().langs
    return r.get(lang or "en") or r["en"]


# ------------------------------------------------------------------ dates
@dataclass(frozen=True)
class YearHints:
    """Where a day and month written without a year take it from, in this order: the publication
    date (the year that puts the day on or before it), a year the meeting's number is scoped to ("the
    first meeting of 2026"), else the full dates elsewhere in the text (the year that puts the day
    closest to one of them). Without any, the year stays unknown (no date)."""

    published: str | None = None
    scope_year: int | None = None
    text_dates: tuple[str, ...] = ()


def _mkdate(y: int | None, m: int, d: int, hints: "YearHints | str | None") -> str | None:
    """ISO date; a missing year comes from ``hints`` (see YearHints; a string is a publication date)."""
    if not isinstance(hints, YearHints):
        hints = YearHints(published=hints)
    if y is None:
        if hints.published:
            pub = dt.date.fromisoformat(hints.published)
            for year in (pub.year, pub.year - 1):
                try:
                    cand = dt.date(year, m, d)
                except ValueError:
                    return None
                if cand <= pub + dt.timedelta(days=1):
                    return cand.isoformat()
            return None
        if hints.scope_year:
            y = hints.scope_year
        elif hints.text_dates:
            best = None
            for iso in hints.text_dates:
                ref = dt.date.fromisoformat(iso)
                for year in (ref.year - 1, ref.year, ref.year + 1):
                    try:
                        gap = abs((dt.date(year, m, d) - ref).days)
                    except ValueError:  # 29 February of a common year, or no such day at all
                        continue
                    if best is None or (gap, year) < best:
                        best = (gap, year)
            y = best[1] if best else None
        if y is None:
            return None
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _date_of(match: re.Match, lr: LangRules, hints: "YearHints | str | None") -> str | None:
    g = match.groupdict()
    if g.get("wd"):  # "on Thursday": the latest such weekday on or before publication, else unknown
        published = hints.published if isinstance(hints, YearHints) else hints
        if not published:
            return None
        pub = dt.date.fromisoformat(published)
        back = (pub.weekday() - lr.weekdays.get(g["wd"].lower(), pub.weekday())) % 7
        return (pub - dt.timedelta(days=back)).isoformat()
    month = int(g["m"]) if g.get("m") else lr.months.get((g.get("month") or "").lower())
    if not month or not g.get("d"):
        return None
    return _mkdate(int(g["y"]) if g.get("y") else None, month, int(g["d"]), hints)


def full_dates(text: str, lang: str | None) -> tuple[list[str], str]:
    """Every date with a year in ``text`` (ISO, in order), and the text with those dates blanked."""
    lr = lang_rules(lang)
    norm = normalize_text(text)
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for pat in (*lr.dates, *rules().numeric_dates):
        for m in pat.finditer(norm):
            if any(a < m.end() and m.start() < b for a, b in spans):
                continue
            iso = _date_of(m, lr, None)
            if iso:
                found.append((m.start(), iso))
                spans.append(m.span())
    blanked = list(norm)
    for a, b in spans:
        blanked[a:b] = " " * (b - a)
    return [iso for _, iso in sorted(found)], "".join(blanked)


def meeting_date(lead: list[str], lang: str | None, published: "YearHints | str | None") -> str | None:
    """The meeting's own date from the lead sentences ("On the afternoon of September 24"), only in a
    sentence with a meeting cue ("chaired", "chủ trì", "leitete"); a day-month takes its year from
    ``published`` (a publication date, or YearHints)."""
    lr = lang_rules(lang)
    for sent in lead:
        norm = normalize_text(sent)
        if lr.meeting_cue is not None and not lr.meeting_cue.search(norm):
            continue
        hits = []
        for pat in lr.meeting_date:
            m = pat.search(norm)
            if m:
                hits.append((m.start(), m))
        for _, m in sorted(hits, key=lambda h: h[0]):
            iso = _date_of(m, lr, published)
            if iso:
                return iso
    return None


# ------------------------------------------------------------------ meeting number, committee, event kind
COMMITTEE_SCOPE = "committee"   # a number counted since the committee was set up ("the fourth meeting")
SOME_YEAR = "year"              # counted in a year nobody can name ("its first meeting this year", undated)
THIS_YEAR = "this"              # "this year" in a scope pattern: the publication year


def _number_of(m: re.Match, ordinals: dict[str, int]) -> int | None:
    g = m.groupdict()
    if g.get("n"):
        n = int(g["n"])
        return n if 0 < n < 1000 else None
    if g.get("w"):
        return ordinals.get(g["w"].lower())
    return None


def _scope_of(m: re.Match, norm: str, lr: LangRules, published: str | None) -> str | None:
    """The year a meeting number is counted in ("the first meeting of 2026", "phiên họp thứ nhất năm
    2026", "die erste Sitzung 2026", "its first meeting this year"), else the committee's own count.
    SOME_YEAR when the number is scoped to "this year" of an undated report (a year nobody can name)."""
    g = m.groupdict()
    year = g.get("y")
    if not year:
        after = norm[m.end():]
        for pat in lr.scope_after:
            sm = pat.match(after)
            if sm:
                year = sm.groupdict().get("y") or THIS_YEAR
                break
    if not year:
        return COMMITTEE_SCOPE
    if year == THIS_YEAR or not year[:1].isdigit():
        return published[:4] if published else SOME_YEAR
    return year


def meeting_number(title: str | None, lead: list[str], url: str | None, lang: str | None,
                   published: str | None = None) -> tuple[int, str | None] | None:
    """The meeting's number and what it counts in (a year such as "2026", or "committee"): from the
    headline, else the lead sentences, else the URL slug (counted in the committee). None if unnumbered."""
    lr = lang_rules(lang)
    for text in ([title] if title else []) + lead:
        norm = normalize_text(text)
        hits = sorted(((m.start(), m) for pat in lr.meeting_number for m in [pat.search(norm)] if m),
                      key=lambda h: h[0])
        for _, m in hits:
            n = _number_of(m, lr.ordinals)
            if n:
                return n, _scope_of(m, norm, lr, published)
    if url:
        slug = url.lower()
        for pat in rules().url_patterns:
            m = pat.search(slug)
            if m:
                n = _number_of(m, rules().url_ordinals)
                if n:
                    year = re.search(r"^[-_](?:nam-|of-|in-)?((?:19|20)\d\d)(?=[-./_]|$)", slug[m.end():])
                    return n, year.group(1) if year else COMMITTEE_SCOPE
    return None


def _mentions(norm: str, lang: str) -> list[tuple[int, int, str | None, Reference | None]]:
    """Committee mentions in one normalised text, in order: (start, end, key, None) for a named
    committee, (start, end, None, reference) for a short reference. Overlaps keep the longest."""
    named = []
    for c in rules().committees:
        for pat in c.patterns.get(lang, ()):
            for m in pat.finditer(norm):
                named.append((m.start(), m.end(), c.key, None))
    refs = []
    for r in rules().references:
        for pat in r.patterns.get(lang, ()):
            for m in pat.finditer(norm):
                refs.append((m.start(), m.end(), None, r))
    kept: list[tuple[int, int, str | None, Reference | None]] = []
    for cand in sorted(named + refs, key=lambda x: (-(x[1] - x[0]), x[0], x[2] is None)):
        if not any(a < cand[1] and cand[0] < b for a, b, _, _ in kept):
            kept.append(cand)
    return sorted(kept, key=lambda x: x[0])


def committee(title: str | None, lead: list[str], lang: str | None) -> str | None:
    """The key of the committee an article reports on (see data/committees.toml for how mentions are
    weighed), or None when the headline and lead name none."""
    lang = lang if lang in rules().langs else "en"
    role = rules().roles.get(lang)
    before_pat, after_pat = rules().holds_before.get(lang), rules().holds_after.get(lang)
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    last_named: str | None = None
    order = 0
    held = False  # the first mention that holds the event is the report's; later ones are background
    for text, weight in ([(title, 3.0)] if title else []) + [(s, 1.0) for s in lead]:
        norm = normalize_text(text)
        for start, end, key, ref in _mentions(norm, lang):
            if key is None and ref is not None:
                if last_named and (not ref.family or last_named in ref.family):
                    key = last_named
                else:
                    key = ref.default
                if key is None:
                    continue
            else:
                last_named = key
            w = weight
            before = norm[max(0, start - 160):start]
            if role is not None and role.search(before):
                w /= 3
            if (before_pat is not None and before_pat.search(before)) or \
                    (after_pat is not None and after_pat.match(norm[end:end + 40])):
                w += 1 if held else 3
                held = True
            scores[key] = scores.get(key, 0.0) + w
            first.setdefault(key, order)
            order += 1
    if not scores:
        return None
    return max(scores, key=lambda k: (scores[k], -first[k]))


def committee_name(key: str | None) -> str | None:
    return next((c.name for c in rules().committees if c.key == key), None) if key else None


def event_kind(title: str | None, lead: list[str], lang: str | None) -> str | None:
    """What the article reports: a meeting, a conclusion notice of one, a decision (establishment or
    reshuffle), a directive or official dispatch, a conference or review, a campaign; read from the
    headline, else the first lead sentence that names one (the earliest cue in it wins). None if none."""
    lr = lang_rules(lang)
    for text in ([title] if title else []) + lead:
        norm = normalize_text(text)
        hits = [(m.start(), i, kind) for i, (kind, pat) in enumerate(lr.kinds) for m in [pat.search(norm)] if m]
        if hits:
            return min(hits)[2]
    return None


def kinds_join(a: str | None, b: str | None) -> bool:
    """Whether reports of event kinds ``a`` and ``b`` may be about one event (unknown joins anything;
    a conclusion notice joins the meeting it concludes: data/meetings.toml [common] kind_joins)."""
    if a is None or b is None or a == b:
        return True
    joins = rules().kind_joins
    return b in joins.get(a, ()) or a in joins.get(b, ())


# ------------------------------------------------------------------ figures and codes
_NUM_RE = re.compile(r"(?<![\w.,])(?:(?<!\d )\d{1,3}(?: \d{3})+(?![\d.,]\d)|\d+(?:[.,\u202f\u00a0]\d{3})*(?:[.,]\d+)?)(?!\w)")


def _num_value(tok: str, lr: LangRules) -> str | None:
    t = tok.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")   # "12 500" = 12500
    for sep in lr.thousands:
        if sep != lr.decimal:
            parts = t.split(sep)
            if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]) and (lr.decimal not in parts[-1]):
                t = "".join(parts)
    if lr.decimal != ".":
        if "." in t:
            return None
        t = t.replace(lr.decimal, ".")
    elif "," in t:
        return None
    try:
        v = float(t)
    except ValueError:
        return None
    if not math.isfinite(v):  # 309+ digits: beyond a float, and no report's figure (skipped)
        return None
    # 15 significant digits (what a float holds): "{:g}" kept 6, so 1234567.5 and 1234568 collided
    return f"{v:.15g}" if v != int(v) else str(int(v))


def figures(text_without_dates: str, lang: str | None) -> list[str]:
    """Numbers in order of appearance, normalised across formats ("1.027" de = "1,027" en = "1027";
    "39,27 %" = "39.27%" = "39.27"). Document codes are removed first by the caller."""
    lr = lang_rules(lang)
    out = []
    for m in _NUM_RE.finditer(text_without_dates):
        v = _num_value(m.group(0).strip(), lr)
        if v is not None:
            out.append(v)
    return out


def doc_codes(text: str) -> tuple[list[str], str]:
    """Document reference codes (separators dropped, upper case) and the text with them blanked."""
    pat = rules().doc_code
    # "Đ" folded to "D": translations and English outlets write "112/CD-TTg" for "112/CĐ-TTg"
    codes = [re.sub(r"[^0-9A-Z]", "", m.group(0).upper().replace("Đ", "D")) for m in pat.finditer(text)]
    return codes, pat.sub(lambda m: " " * len(m.group(0)), text)


NUMBER_BIT = 0x80000000  # set on the hash of a figure token, clear on a word's


def sentence_tokens(source: str, english: str, lang: str | None) -> list[int]:
    """A sentence's fingerprint for copy detection: hashes of the stems of its English words (the first
    COPY_STEM letters of words of 3+ letters, common words left out) and of its figures as written in
    its own language, normalised ("1.027" = "1,027"); document codes and full dates are not figures.
    Sorted, unique; a figure's hash has NUMBER_BIT set."""
    from pipeline.config import COPY_STEM

    stop = rules().copy_stopwords
    words = {w[:COPY_STEM] for w in re.findall(r"[^\W\d_]{3,}", normalize_text(english)) if w not in stop}
    _, rest = doc_codes(source)
    _, rest = full_dates(rest, lang)
    out = {zlib.crc32(w.encode("utf-8")) & ~NUMBER_BIT for w in words}
    out |= {zlib.crc32(n.encode("ascii")) | NUMBER_BIT for n in figures(rest, lang)}
    return sorted(out)


def normalize_url(url: str | None) -> str | None:
    if not url:
        return None
    u = url.strip().lower()
    u = re.sub(r"^[a-z]+://", "", u)
    u = re.sub(r"^(?:www|m|amp)\.", "", u)
    u = re.split(r"[?#]", u, 1)[0].rstrip("/")
    return u or None
