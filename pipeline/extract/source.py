"""Source-side readers: dates, figures, actors and statement cues read from the source sentence.

A Vietnamese or German sentence is extracted through its English translation (statements.py), but
an offline translation of a real article can lose the words the English rules read: a deadline cue,
the body that is asked to act, the verb. The source sentence states them plainly, so this module
reads them there, with one engine for every language and all language knowledge in
``data/<lang>/source.toml`` (date expressions and their cues, commitment / progress cue words,
actor-role patterns) plus the shared gazetteer and ``data/<lang>/numbers.toml``:

    read(text, lang, published) -> SourceReading | None     (None: no source data for ``lang``)

* **dates**: core expressions ("quý IV/2025", "30. Juni 2025", "8 tháng đầu năm", "Ende 2025")
  with the cue before them giving the role: deadline ("trước ngày", "chậm nhất", "bis",
  "spätestens"), as_of ("tính đến", "Stand"), from ("từ", "ab dem"), period ("trong", "im"), point
  (an event day: "ngày 24/9", "am 24. September"), skip (a comparison base or a vision). A range
  "từ A đến B" / "vom A bis B" is one period ending at B. Issue dates of numbered documents and the
  span in a document's title are not the statement's date. Resolved like the English dates
  (a missing year is the publication year, a deadline already past by more than
  DATE_DEADLINE_ROLL_DAYS is next year's).
* **figures**: the translation fidelity check's reader (``fidelity.figure_spans``: separators and
  scale words per language), minus dates, document numbers and years.
* **actors**: gazetteer aliases of the language (the lexicon's compiled alias patterns, with German
  inflection), each with a role from the words around it: lead, partner, assignee, subject, reporter
  (responsible), requester, recipient, issuer, locative, other.
* **kind**: commitment cue words win over progress cue words; vetoes (attendance, chairing...) mark
  sentences that are not statements.

Everything keeps its character span in the source sentence (provenance). ``refine`` merges a
reading into the English drafts of the sentence: the source's date, actors and figure values win
where the source reading is confident, with a warning where the two disagree, and a sentence the
English rules could not read (or that the lexicon could not translate) still yields the source
reading's statement. The statement's ``read_from`` says which side gave its fields.
"""
from __future__ import annotations

import calendar
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Callable, Optional

from pipeline.config import (DATA_DIR, DATE_DEADLINE_ROLL_DAYS, DATE_YEAR_MAX, DATE_YEAR_MIN, SOURCE_FIGURE_SWAP_MAX,
                             SOURCE_ROLE_WINDOW)
from pipeline.extract.dates import DateMention

COMMITMENT, PROGRESS = "commitment", "progress"
RESPONSIBLE = ("lead", "partner", "assignee", "subject", "reporter")
PLACE_TYPES = ("province", "city")
_MACRO = re.compile(r"\{\{(\w+)\}\}")
_FLAGS = re.IGNORECASE | re.UNICODE


# ------------------------------------------------------------------ records of a reading
@dataclass(frozen=True)
class SourceDate:
    text: str
    start: int                      # offsets in the source sentence
    end: int
    start_date: Optional[str]
    end_date: Optional[str]
    role: Optional[str]             # deadline | until | as_of | from | period | point | issue | skip | None
    kind: str                       # day | month | quarter | half | months | year | years | range
    rolled: Optional[str] = None    # until: the end a year on, when read as a deadline already past


@dataclass(frozen=True)
class SourceFigure:
    value: float                    # with scale words applied ("3,2 triệu tỷ" = 3.2e15)
    text: str
    start: int
    end: int
    percent: bool


@dataclass
class SourceActor:
    name: str                       # canonical English name (gazetteer)
    text: str
    start: int
    end: int
    type: str
    role: str = "other"


@dataclass
class SourceReading:
    lang: str
    text: str
    dates: list[SourceDate]
    figures: list[SourceFigure]
    actors: list[SourceActor]
    kind: Optional[str]
    veto: bool
    never: bool = False
    published: Optional[str] = None
    skipped: list[float] = field(default_factory=list)   # numbers the source reads as identifiers

    def usable_dates(self) -> list[SourceDate]:
        """Dates that can be a deadline or an as-of date (not event days, issue dates, comparisons)."""
        return [d for d in self.dates if d.role not in ("point", "issue", "skip") and (d.end_date or d.start_date)]

    def responsible(self) -> list[SourceActor]:
        return responsible(self.actors)


# ------------------------------------------------------------------ language data
@dataclass
class _Lang:
    lang: str
    cores: list[tuple[str, re.Pattern, bool]]
    cue_re: Optional[re.Pattern]
    cues: dict[str, str]
    issue_re: Optional[re.Pattern]
    title_re: Optional[re.Pattern]
    range_from: frozenset[str]
    range_to: Optional[re.Pattern]
    window: int
    maps: dict[str, dict[str, object]]
    commit_re: Optional[re.Pattern]
    commit_not_after: Optional[re.Pattern]
    progress_re: Optional[re.Pattern]
    veto_re: Optional[re.Pattern]
    never_re: Optional[re.Pattern]
    after: list[tuple[str, re.Pattern]]
    before: list[tuple[str, re.Pattern]]
    organ_re: Optional[re.Pattern]
    conjunct_re: Optional[re.Pattern]
    clause_re: Optional[re.Pattern]
    percent: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)
    clause_split: Optional[re.Pattern] = None
    lead_in: Optional[re.Pattern] = None
    clause_commit: Optional[re.Pattern] = None
    clause_progress: Optional[re.Pattern] = None


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _alt(words) -> str:
    parts = sorted({_norm(w) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in parts) + ")"


def _words_re(words, not_before: str = r"(?!\w)") -> Optional[re.Pattern]:
    """Cue words and phrases (each may itself be a regular expression) on word boundaries."""
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{w})" for w in sorted(words, key=len, reverse=True)) + ")" + not_before,
                      _FLAGS)


@lru_cache(maxsize=None)
def _load(lang: str) -> Optional[_Lang]:
    path = DATA_DIR / lang / "source.toml"
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    macros = raw.get("macros", {})

    def expand(p: str) -> str:
        for _ in range(5):
            p2 = _MACRO.sub(lambda m: macros[m.group(1)], p)
            if p2 == p:
                break
            p = p2
        return p

    def rx(p: Optional[str]) -> Optional[re.Pattern]:
        return re.compile(expand(p), _FLAGS) if p else None

    cores = [(c["kind"], re.compile(r"(?<!\w)(?:" + expand(c["pattern"]) + ")", _FLAGS), bool(c.get("needs_cue", False)))
             for c in raw.get("date", [])]
    cues = {_norm(k): v for k, v in raw.get("date_cues", {}).items()}
    ctx = raw.get("date_context", {})
    cue_re = None
    if cues:
        cue_re = re.compile(r"(?<!\w)(?P<cue>" + _alt(cues) + r")" + expand(ctx.get("cue_suffix", "")) + r"\s*[,:]?\s*$",
                            _FLAGS)
    maps = {name: {_norm(str(k)): v for k, v in table.items()} for name, table in raw.get("maps", {}).items()}
    kind = raw.get("kind", {})
    act = raw.get("actors", {})
    numbers = DATA_DIR / lang / "numbers.toml"
    percent: tuple[str, ...] = ("%",)
    if numbers.exists():
        with open(numbers, "rb") as fh:
            percent = tuple(tomllib.load(fh).get("percent", ["%"]))
    return _Lang(
        lang=lang, cores=cores, cue_re=cue_re, cues=cues,
        issue_re=rx(ctx.get("issue_before")), title_re=rx(ctx.get("title_before")),
        range_from=frozenset(_norm(w) for w in ctx.get("range_from", [])), range_to=rx(ctx.get("range_to")),
        window=int(ctx.get("window", 30)), maps=maps,
        commit_re=_words_re([expand(w) for w in kind.get("commitment", [])]),
        commit_not_after=rx(kind.get("commitment_not_after")),
        progress_re=_words_re([expand(w) for w in kind.get("progress", [])]),
        veto_re=re.compile("|".join(f"(?:{expand(p)})" for p in kind["veto"]), _FLAGS) if kind.get("veto") else None,
        never_re=re.compile("|".join(f"(?:{expand(p)})" for p in kind["never"]), _FLAGS) if kind.get("never") else None,
        after=[(r["role"], re.compile(expand(r["pattern"]), _FLAGS)) for r in act.get("after", [])],
        before=[(r["role"], re.compile(r"(?:" + expand(r["pattern"]) + ")", _FLAGS)) for r in act.get("before", [])],
        organ_re=rx(act.get("organ_before")), conjunct_re=rx(act.get("conjunct")), clause_re=rx(act.get("clause_start")),
        percent=percent,
        extra={"not_figure": rx(raw.get("figures", {}).get("not_after")), "level": rx(raw.get("figures", {}).get("level_after")),
               "not_before": rx(raw.get("figures", {}).get("not_before"))},
        clause_split=rx(raw.get("clauses", {}).get("split")),
        clause_commit=_words_re([expand(w) for w in raw.get("clauses", {}).get("commitment", [])]),
        clause_progress=_words_re([expand(w) for w in raw.get("clauses", {}).get("progress", [])]),
        lead_in=rx(kind.get("lead_in")),
    )


def supported(lang: Optional[str]) -> bool:
    """Whether ``lang`` has source readers (``data/<lang>/source.toml``)."""
    return bool(lang) and _load(lang) is not None


# ------------------------------------------------------------------ dates
def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


# parts of a period: "giữa năm" = June, "Mitte Oktober" = 15 October (the gold's reading of "mid-month"),
# "thượng tuần" = days 1-10
_PARTS = {
    "year": {"early": (1, 4), "mid": (6, 6), "late": (9, 12)},
    "month": {"early": (1, 10), "mid": (15, 15), "late": (21, 31)},
    "quarter": {"early": (1, 1), "mid": (2, 2), "late": (3, 3)},
    "half": {"early": (1, 2), "mid": (3, 4), "late": (5, 6)},
}


def _num(L: _Lang, mapname: str, s: Optional[str]) -> Optional[int]:
    if not s:
        return None
    key = _norm(s)
    if key.isdigit():
        return int(key)
    v = L.maps.get(mapname, {}).get(key)
    return int(v) if v is not None else None


def _period(L: _Lang, kind: str, g: dict, pub: Optional[date], shift: int = 0) -> Optional[tuple[date, date, bool]]:
    """(first day, last day, year was implicit) of one core expression, or None."""
    y = int(g["y"]) if g.get("y") else None
    if y is not None and not DATE_YEAR_MIN <= y <= DATE_YEAR_MAX:
        return None
    rel = L.maps.get("rel", {}).get(_norm(g["rel"])) if g.get("rel") else None
    m = int(g["m"]) if g.get("m") else _num(L, "month", g.get("mon"))
    q = _num(L, "quarter", g.get("q") or g.get("q2"))
    h = _num(L, "half", g.get("h"))
    n = _num(L, "number", g.get("n"))
    d = int(g["d"]) if g.get("d") else None
    implicit = False
    if kind == "days":
        # "trong thời hạn 15 ngày", "innerhalb von 15 Tagen": counted from the article's day (the
        # day a decision is signed and takes effect is the first of them)
        if pub is None or not n or not 0 < n <= 366:
            return None
        return pub, pub + timedelta(days=n - 1), False
    unit = {"month": m, "quarter": q, "half": h}.get(kind)
    if y is None:
        if pub is None:
            return None
        if rel is not None and unit is None and kind in ("year", "month", "quarter", "half"):
            if kind == "year":
                y = pub.year + int(rel)
            elif kind == "month":
                y, mm = divmod(pub.year * 12 + pub.month - 1 + int(rel), 12)
                m = mm + 1
            elif kind == "quarter":
                y, qq = divmod(pub.year * 4 + (pub.month - 1) // 3 + int(rel), 4)
                q = qq + 1
            else:
                y, hh = divmod(pub.year * 2 + (pub.month - 1) // 6 + int(rel), 2)
                h = hh + 1
        elif rel is not None and kind != "month":
            y = pub.year + int(rel)          # "quý IV năm tới", "ersten Quartal des nächsten Jahres"
        else:
            y, implicit = pub.year, True     # "tháng 10 tới": the coming October, rolled below
    y += shift
    try:
        if kind == "day":
            a = b = date(y, m, d)
        elif kind == "month":
            a, b = date(y, m, 1), _month_end(y, m)
        elif kind == "quarter":
            a, b = date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
        elif kind == "half":
            a, b = date(y, 6 * h - 5, 1), _month_end(y, 6 * h)
        elif kind == "months":
            if not n or not 1 <= n <= 12:
                return None
            if g.get("last"):
                a, b = date(y, 13 - n, 1), date(y, 12, 31)
            else:
                a, b = date(y, 1, 1), _month_end(y, n)
        elif kind == "years":
            y2 = int(g["y2"]) + shift
            if not y < y2 <= DATE_YEAR_MAX:
                return None
            a, b = date(y, 1, 1), date(y2, 12, 31)
        else:
            a, b = date(y, 1, 1), date(y, 12, 31)
    except (TypeError, ValueError):
        return None
    edge = L.maps.get("edge", {}).get(_norm(g["edge"])) if g.get("edge") else None
    if edge == "end":
        a = b
    elif edge == "start":
        b = a
    elif edge in ("early", "mid", "late") and kind in _PARTS:
        lo, hi = _PARTS[kind][edge]
        if kind == "month":
            a, b = a.replace(day=min(lo, b.day)), a.replace(day=min(hi, b.day))
        else:
            a, b = date(a.year, a.month + lo - 1, 1), _month_end(a.year, a.month + hi - 1)
    return a, b, implicit


@dataclass
class _Core:
    kind: str
    start: int
    end: int
    groups: dict
    needs_cue: bool


def _cores(L: _Lang, text: str) -> list[_Core]:
    found = []
    for order, (kind, rx, needs) in enumerate(L.cores):
        for m in rx.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), order, _Core(kind, m.start(), m.end(), m.groupdict(), needs)))
    found.sort(key=lambda t: t[:3])
    out, last = [], 0
    for s, _, _, c in found:
        if s >= last:
            out.append(c)
            last = c.end
    return out


def _parse_pub(published: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def find_dates(text: str, lang: str, published: Optional[str]) -> list[SourceDate]:
    """Date expressions of a source sentence with their roles, in order."""
    L = _load(lang)
    if L is None or not text:
        return []
    pub = _parse_pub(published)
    cores = _cores(L, text)
    out: list[SourceDate] = []
    last = 0
    i = 0
    while i < len(cores):
        c = cores[i]
        cm = L.cue_re.search(text, max(last, c.start - L.window), c.start) if L.cue_re else None
        cue = _norm(cm.group("cue")) if cm else None
        start = cm.start() if cm else c.start
        if c.needs_cue and cue is None:
            i += 1
            continue
        role = L.cues.get(cue) if cue else None
        if c.kind == "days" and role in (None, "period"):
            role = "deadline"   # the expression carries its own cue ("trong thời hạn 15 ngày")
        before = text[max(0, c.start - 80):c.start]
        if L.issue_re and c.kind != "days" and L.issue_re.search(before):
            role = "issue"
        elif L.title_re and c.kind in ("year", "years") and role != "deadline" \
                and L.title_re.search(text[max(0, start - 90):start]):
            # (not after a deadline cue: "Nghị quyết 57 giao 140 nhiệm vụ phải hoàn thành trong năm 2025")
            role = "skip"
        # "từ ngày 15/9 đến 30/11", "vom 1. Juli bis 30. September": one range ending at B
        nxt = cores[i + 1] if i + 1 < len(cores) else None
        if (nxt is not None and cue in L.range_from and L.range_to is not None
                and L.range_to.fullmatch(text[c.end:nxt.start])):
            ga, gb = dict(c.groups), dict(nxt.groups)
            if not ga.get("y") and gb.get("y") and not ga.get("rel"):
                ga["y"] = gb["y"]
            pa, pb = _period(L, c.kind, ga, pub), _period(L, nxt.kind, gb, pub)
            if pa and pb and pa[0] > pb[1] and not c.groups.get("y"):
                pa = _period(L, c.kind, ga, pub, shift=-1)
            out.append(SourceDate(text[start:nxt.end], start, nxt.end, pa[0].isoformat() if pa else None,
                                  pb[1].isoformat() if pb else None, "period", "range"))
            last = nxt.end
            i += 2
            continue
        p = _period(L, c.kind, c.groups, pub)
        rolled = None
        if p and role in ("deadline", "until") and pub and p[2] and p[1] < pub - timedelta(days=DATE_DEADLINE_ROLL_DAYS):
            # "trước ngày 31/3" written in November; "đến 31/3" only when it is read as a deadline
            p2 = _period(L, c.kind, c.groups, pub, shift=1)
            if role == "deadline":
                p = p2
            elif p2:
                rolled = p2[1].isoformat()
        if p is None:
            s = e = None
        elif role in ("deadline", "until"):
            s, e = None, p[1].isoformat()
        elif role == "from":
            s = e = p[0].isoformat()
        elif role == "as_of":
            s = e = p[1].isoformat()
        else:
            s, e = p[0].isoformat(), p[1].isoformat()
        out.append(SourceDate(text[start:c.end], start, c.end, s, e, role, c.kind, rolled))
        last = c.end
        i += 1
    return out


# ------------------------------------------------------------------ figures
def find_figures(text: str, lang: str, dates: list[SourceDate], skipped: Optional[list[float]] = None) -> list[SourceFigure]:
    """Figures written with digits (the fidelity check's reader), minus dates, years and document
    numbers ("57/NQ-TW", "Nr. 123/2020"); the values of the identifiers left out go to ``skipped``."""
    from pipeline.translate.fidelity import figure_spans

    L = _load(lang)
    spans = [(d.start, d.end) for d in dates]
    out: list[SourceFigure] = []
    skipped = skipped if skipped is not None else []
    for f in figure_spans(text, lang):
        if not f.single or any(a <= f.start < b for a, b in spans):
            continue
        after = text[f.num_end:f.num_end + 3]
        if re.match(r"\s*[/-]\s*[^\W\d_]", after) or re.match(r"/\d", after) or text[max(0, f.start - 1):f.start] in ("/", "-"):
            if re.match(r"\s*[/-]\s*[^\W\d_]", after):
                skipped.append(float(f.value))   # "57/NQ-TW" (not "612/745": a ratio)
            continue  # a document number or code
        if not f.scaled and "." not in f.raw and len(f.raw) == 4 and DATE_YEAR_MIN <= int(f.raw) <= DATE_YEAR_MAX:
            continue  # a year
        tail = text[f.end:f.end + 12].lstrip().lower()
        pct = any(tail.startswith(p.lower()) for p in (L.percent if L else ("%",)))
        nb = L.extra.get("not_before") if L else None
        if nb is not None and not f.scaled and nb.match(text, f.end):
            skipped.append(float(f.value))
            continue  # a count of months: "6 tháng", "sechs Monate" frame a figure
        nf = L.extra.get("not_figure") if L else None
        lv = L.extra.get("level") if L else None
        if (nf is not None and nf.search(text, max(0, f.start - 40), f.start)) or \
                (lv is not None and not pct and not f.scaled and len(f.raw) <= 2 and lv.search(text, max(0, f.start - 40), f.start)):
            skipped.append(float(f.value))
            continue  # an identifier: "Đề án 06", "Projekt 06", "Kỳ họp thứ 9", "Nr. 57", "mức 2"
        out.append(SourceFigure(float(f.value), text[f.start:f.end], f.start, f.end, pct))
    return out


# ------------------------------------------------------------------ actors
@lru_cache(maxsize=None)
def _types() -> dict[str, str]:
    from pipeline.extract.actors import gazetteer

    return {b.name: b.type for b in gazetteer()}


@lru_cache(maxsize=None)
def _titles_re(lang: str) -> Optional[re.Pattern]:
    """A minister's titles in ``lang`` (the gazetteer's ``[minister_titles]`` rules), longest first."""
    titles = [t for t in minister_titles(lang) if len(t) > 8]
    if not titles:
        return None
    return re.compile(r"(?<!\w)" + _alt(titles) + r"(?!\w)", _FLAGS)


@lru_cache(maxsize=None)
def minister_titles(lang: str) -> dict[str, str]:
    from pipeline.extract.actors import minister_titles as titles

    return {_norm(k): v for k, v in titles(lang).items()}


def find_actors(text: str, lang: str) -> list[SourceActor]:
    """Gazetteer bodies named in a source sentence, each with its role."""
    L = _load(lang)
    if L is None or not text:
        return []
    from pipeline.translate.lexicon import find_bodies, load_lexicon

    try:
        lex = load_lexicon(lang)
    except FileNotFoundError:
        return []
    norm = lex.normalize(text)
    hay = norm if len(norm) == len(text) else text
    types = _types()
    out: list[SourceActor] = []
    prev: Optional[SourceActor] = None
    found = find_bodies(lex, hay)
    titles = _titles_re(lang)
    if titles is not None:
        # "Der Minister für Bildung und Ausbildung sagte ...": the minister's title names the ministry
        for m in titles.finditer(hay):
            if not any(a < m.end() and m.start() < b for a, b, _ in found):
                found.append((m.start(), m.end(), minister_titles(lang)[_norm(m.group(0))]))
        found.sort()
    for a, b, name in found:
        m = SourceActor(name, text[a:b], a, b, types.get(name, "agency"))
        lead_in = a
        if L.organ_re is not None:
            om = L.organ_re.search(text, max(0, a - SOURCE_ROLE_WINDOW), a)
            if om:
                lead_in = om.start()   # "UBND tỉnh Bình Định": the province's organ
        before = text[max(0, lead_in - SOURCE_ROLE_WINDOW):lead_in]
        after = text[b:b + SOURCE_ROLE_WINDOW]
        if a > 0 and text[a - 1] in "-/":
            continue  # part of a document code ("612/TB-VPCP")
        role = next((r for r, rx in L.after if rx.search(after)), None)
        brole = next((r for r, rx in L.before if rx.search(before)), None)
        # "Thủ tướng Chính phủ" is the Prime Minister; "giao Chính phủ chỉ đạo ...": the body asked
        # to direct others is the assignee, not a requester; a verb after the body makes it the
        # subject only when nothing before it says otherwise ("trình Chính phủ xem xét")
        if brole == "skip" or role is None or (role == "requester" and brole in ("assignee", "partner")) \
                or (role == "subject" and brole is not None):
            role = brole if brole is not None else role
        if role is None and prev is not None and L.conjunct_re is not None and L.conjunct_re.search(text[prev.end:lead_in]):
            role = prev.role
        if role is None and L.clause_re is not None and L.clause_re.search(text[:lead_in]):
            role = "subject"
        m.role = role or "other"
        if m.role == "skip":
            continue
        out.append(m)
        prev = m
    return out


def responsible(actors: list[SourceActor], weak: tuple[str, ...] = ("government", "party", "legislature")) -> list[SourceActor]:
    """The actors answerable for the statement: leads, partners, assignees, subjects and reporters;
    a requester only when no one is named as asked to act (and it is not the Government, the Party
    or the legislature at the top); a province named only as the place when nothing else is."""
    out = [m for m in actors if m.role in RESPONSIBLE]
    if not any(m.role in ("assignee", "lead") for m in actors):
        out += [m for m in actors if m.role == "requester" and m.type not in weak]
        out.sort(key=lambda m: m.start)
    if not out:
        # a body named in no role the words around it tell ("legt das Wissenschaftsministerium der
        # Regierung ... vor", "Justizministerium legte nach: ..."): the first one that is not the
        # Government, the Party or the legislature at the top
        out = [m for m in actors if m.role == "other" and m.type not in weak and m.type not in PLACE_TYPES][:1]
    if not out:
        out = [m for m in actors if m.role == "locative" and m.type in PLACE_TYPES]
    from pipeline.extract.actors import first_per_name
    return first_per_name(out)


# ------------------------------------------------------------------ kind
def find_kind(text: str, lang: str, dates: Optional[list[SourceDate]] = None) -> Optional[str]:
    """commitment when a commitment cue is present, else progress when a progress cue is, else
    commitment when a deadline is stated, else None."""
    L = _load(lang)
    if L is None:
        return None
    if L.commit_re is not None:
        for m in L.commit_re.finditer(text):
            if L.commit_not_after is not None and L.commit_not_after.search(text, max(0, m.start() - 20), m.start()):
                continue
            return COMMITMENT
    if L.progress_re is not None and L.progress_re.search(text):
        return PROGRESS
    if dates and any(d.role == "deadline" for d in dates):
        return COMMITMENT
    return None


def _main_part(L: _Lang, text: str) -> str:
    """The sentence without a leading adverbial that only sets the scene ("Phát biểu tại điểm cầu
    tỉnh X, lãnh đạo tỉnh cho biết ...": the statement is what the leader said)."""
    m = L.lead_in.match(text) if L.lead_in is not None else None
    return text[m.end():] if m else text


def is_veto(text: str, lang: str) -> bool:
    """Not a statement by the source's own cues (praise, speeches, ...): the source reader makes no
    statement of it, though the English rules may."""
    L = _load(lang)
    if not L:
        return False
    body = _main_part(L, text)
    return bool((L.veto_re and L.veto_re.search(body)) or (L.never_re and L.never_re.search(body)))


def is_never(text: str, lang: str) -> bool:
    """Never a statement (attendance, chairing a meeting, a meeting's online link): any record of
    it is dropped, the English rules' too."""
    L = _load(lang)
    return bool(L and L.never_re and L.never_re.search(_main_part(L, text)))


# ------------------------------------------------------------------ a whole reading
def read(text: str, lang: Optional[str], published: Optional[str]) -> Optional[SourceReading]:
    """Everything the source readers find in one sentence, or None when ``lang`` has no readers."""
    if not lang or _load(lang) is None:
        return None
    dates = find_dates(text, lang, published)
    # the day and month numbers of a date are no figures ("Ngày 24-7" read as 24 and 7 in the English)
    skipped: list[float] = [float(n) for d in dates if d.kind == "day"
                            for n in re.findall(r"(?<![\d.,])\d{1,2}(?![\d.,]\d)", d.text)]
    kind = find_kind(text, lang, dates)
    if kind is None and published and any(d.role == "from" and d.start_date and d.start_date > published[:10] for d in dates):
        kind = COMMITMENT   # a change dated to come ("Ab dem 1. Januar 2026 fällt die Pauschalsteuer weg")
    return SourceReading(lang=lang, text=text, dates=dates, figures=find_figures(text, lang, dates, skipped),
                         actors=find_actors(text, lang), kind=kind, veto=is_veto(text, lang),
                         never=is_never(text, lang), published=published, skipped=skipped)


_CUMULATIVE = ("months",)


def choose_date(kind: str, dates: list[SourceDate]) -> Optional[SourceDate]:
    """The statement's date: a commitment's deadline (then a start, a period, a bare date); a
    progress figure's as-of date (then a period that is not a year-to-date count, a deadline, a
    start)."""
    usable = [d for d in dates if d.role not in ("point", "issue", "skip") and (d.end_date or d.start_date)]
    # (a progress figure dated only by a start takes it: "vận hành từ ngày 18/8/2025", "seit dem 15. November")
    # "until" ("đến hết tháng 6", "bis Ende Juni"): a commitment's deadline, a result's as-of date
    # "target" ("Ziel für 2025", "mục tiêu cho năm 2025"): the year a target is set for, a commitment's date only
    prefs = ("deadline", "until", "from", "period", "target", None, "as_of") if kind == COMMITMENT \
        else ("as_of", "until", "period", "deadline", None, "from")
    for role in prefs:
        for d in usable:
            if d.role != role:
                continue
            if kind == PROGRESS and role in ("period", None) and d.kind in _CUMULATIVE:
                continue  # "trong 9 tháng đầu năm": frames the figure, not its as-of date
            if kind == PROGRESS and role == "from" and d.kind != "day":
                continue  # "từ đầu năm 2025 đến nay": where a running count starts, not a date of it
            if kind == COMMITMENT and d.rolled:
                return replace(d, end_date=d.rolled)
            return d
    return None


# ------------------------------------------------------------------ merging into the English drafts
def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _to_mention(d: SourceDate, english_dates: list[DateMention], kind: Optional[str] = None) -> DateMention:
    """The source date as a DateMention; its text is the English wording of the same date when the
    English has one (the meeting view strips a deadline's words from the English text)."""
    for m in english_dates:
        if m.end_date == d.end_date and m.start_date == d.start_date:
            return m
    role = d.role
    if role == "until":
        role = "as_of" if kind == PROGRESS else "deadline"
    return DateMention(text=d.text, start=d.start, end=d.end, start_date=d.start_date, end_date=d.end_date, role=role)


def _figures(draft, reading: SourceReading) -> None:
    """English figure values checked against the source's: a value the source does not have is
    replaced by the one source figure left unmatched (with a warning), and every figure that the
    source has keeps the source span."""
    src = reading.figures
    used = [False] * len(src)
    unmatched = []
    spans = draft.extra.setdefault("figure_spans", {})
    for k, f in enumerate(draft.figures):
        j = next((j for j, s in enumerate(src) if not used[j] and _close(s.value, f.value)), None)
        if j is None:
            unmatched.append(k)
        else:
            used[j] = True
            spans[k] = (src[j].start, src[j].end)
    # a value the source writes only as an identifier ("tài khoản mức 2", "Stufe 2") is no figure
    drop = [k for k in unmatched if any(_close(draft.figures[k].value, v) for v in reading.skipped)]
    if drop:
        draft.figures = [f for k, f in enumerate(draft.figures) if k not in drop]
        draft.extra["unanchored"] = not draft.figures
        kept = [k for k in range(len(draft.figures) + len(drop)) if k not in drop]
        renum = {old: new for new, old in enumerate(kept)}
        moved = {renum[k]: v for k, v in spans.items() if k in renum}
        spans.clear()
        spans.update(moved)
        unmatched = [renum[k] for k in unmatched if k not in drop]
        draft.read_from = "source"
    left = [j for j, u in enumerate(used) if not u]
    if unmatched and len(unmatched) == len(left) <= SOURCE_FIGURE_SWAP_MAX:
        for k, j in zip(unmatched, left):
            f, s = draft.figures[k], src[j]
            if f.unit == "%" and not s.percent:
                continue
            draft.warnings.append(f"figure {s.text} read from the source; the English gave {f.value:g}")
            draft.figures[k] = f.model_copy(update={"value": s.value})
            spans[k] = (s.start, s.end)
            draft.read_from = "source"


@dataclass
class Context:
    """What a document's earlier sentences pass on: the body that reported ("Bộ Khoa học và Công
    nghệ cho biết, ...", "laut dem Ministerium ...") answers for the progress figures of the next
    sentences that name no body of their own, for SOURCE_REPORTER_CARRY sentences."""

    reporters: list = field(default_factory=list)
    left: int = 0


def _is_statement(r: SourceReading) -> bool:
    """A clause that is a statement by the source's own cues: a kind cue and an anchor (a measured
    figure for progress; a date, a figure or a body asked to act or leading for a commitment)."""
    if r.veto or r.kind is None:
        return False
    if r.kind == PROGRESS:
        return bool(r.figures)
    d = choose_date(COMMITMENT, r.dates)
    pub = _parse_pub(r.published)
    if d is not None and pub is not None and (d.end_date or d.start_date or "9999") < f"{pub.year - 1}":
        d = None   # a date long past is history, not what is to be done ("phát động năm 1945")
    if d is not None and d.role is None and pub is not None and (d.end_date or "9999") < pub.isoformat():
        d = None   # a bare year already over ("năm 2025 là năm có khối lượng công việc lớn", written in 2026)
    return bool(d or r.figures or any(a.role in ("lead", "assignee") for a in r.responsible()))


def refine(drafts: list, reading: Optional[SourceReading], english: str, english_dates: list[DateMention],
           new_draft: Callable[..., object], ctx: Optional[Context] = None) -> list:
    """Merge a source reading into the statement drafts of its sentence (statements._Draft).

    * date: the source's date for the draft's kind wins when it has one; a different English date
      is replaced, with a warning. A sentence cut into several English records (several deadlines)
      takes the source dates in order when the source names as many.
    * actors: the source's responsible bodies win when it names any; bodies the source names only
      as recipients, issuers or requesters are dropped from the English actors; a progress figure
      without a body takes the body that reported just before (``Context``).
    * figures: values as in ``_figures``.
    * no English draft: the source reading makes one when it is a statement by its own cues
      (``_is_statement``). ``new_draft(kind, a, b, clause)`` builds a draft of the English ``[a, b)``
      (kind None: the English rules decide).
    * a sentence whose clauses (``[clauses] split``: "; ") mix a commitment and a progress result
      ("năm 2025 được giao 562 nhiệm vụ; tính đến ngày 20/7 đã hoàn thành 231") gives one record per
      part, each read from its own clause, which becomes its ``source_text`` (``_segments``).
    * a sentence the source calls never a statement (chairing, attendance) gives no record.
    """
    if reading is None:
        return drafts
    ctx = ctx if ctx is not None else Context()
    if reading.never:
        return []
    segs = _segments(reading) or _aligned(drafts, reading)
    if segs:
        out = _split(drafts, reading, segs, english, english_dates, new_draft)
        if out:
            _inherit(out, reading, ctx)
            _carry(ctx, reading, out)
            return out
    if len(drafts) > 1:
        drafts = _rejoin(drafts, reading, english, new_draft)
    elif len(drafts) == 1 and drafts[0].kind == COMMITMENT:
        atoms = _atoms(drafts[0], reading, english, english_dates, new_draft)
        if atoms:
            _inherit(atoms, reading, ctx)
            _carry(ctx, reading, atoms)
            return atoms
    if len(drafts) == 1:
        k = _sentence_kind(reading)
        if k is not None and k != drafts[0].kind:
            drafts[0].kind = k    # "mới có 87% cơ sở ... kết nối": the English read a commitment
            drafts[0].read_from = "source"
            drafts[0].extra["unanchored"] = k == PROGRESS and not drafts[0].figures
    if not drafts:
        if not _is_statement(reading):
            _carry(ctx, reading, [])
            return drafts
        kinds = {r.kind for _, _, r in _clause_readings(reading) if _is_statement(r)}
        d = new_draft(kinds.pop() if len(kinds) == 1 else reading.kind, 0, len(english), 0)
        if d is None:
            return drafts
        d.read_from = "source"
        drafts = [d]
    _apply(drafts, reading, english_dates)
    if not reading.figures:
        # a result needs a measured figure: none left once the source's identifiers are out, and
        # none in the source ("Thủ tướng ký Công điện số 104/CĐ-TTg ...", "... đã có kết quả cụ thể")
        drafts = [d for d in drafts if d.kind != PROGRESS or d.figures or not d.extra.get("unanchored")]
    _inherit(drafts, reading, ctx)
    _carry(ctx, reading, drafts)
    return drafts


# ------------------------------------------------------------------ clauses of a sentence
def _clause_spans(L: _Lang, text: str) -> list[tuple[int, int]]:
    """``[a, b)`` of each clause of a sentence, cut at the language's clause separators outside
    parentheses and quotation marks."""
    if L.clause_split is None:
        return [(0, len(text))]
    out, a = [], 0
    for m in L.clause_split.finditer(text):
        head = text[:m.start()]
        if head.count("(") > head.count(")") or head.count("\"") % 2 or head.count("“") > head.count("”"):
            continue
        out.append((a, m.start()))
        a = m.end()
    out.append((a, len(text)))
    return [(x, y) for x, y in out if text[x:y].strip(" .,;:")]


def _clause_readings(reading: SourceReading) -> list[tuple[int, int, SourceReading]]:
    L = _load(reading.lang)
    spans = _clause_spans(L, reading.text) if L else []
    if len(spans) < 2:
        return []
    return [(a, b, read(reading.text[a:b], reading.lang, reading.published)) for a, b in spans]


def _segments(reading: SourceReading) -> list[tuple[int, int, SourceReading]]:
    """The parts of a sentence that mixes a commitment and a progress result, each a run of
    clauses of one kind (a clause that is no statement joins the part before it), with the part's
    own reading; [] when the sentence is one statement."""
    clauses = _clause_readings(reading)
    kinds = [_clause_kind(r) for _, _, r in clauses]
    if not {COMMITMENT, PROGRESS} <= set(kinds):
        return []
    parts: list[list] = []
    for (a, b, _), k in zip(clauses, kinds):
        if parts and (k is None or k == parts[-1][2] or parts[-1][2] is None):
            parts[-1][1] = b
            parts[-1][2] = parts[-1][2] or k
        else:
            parts.append([a, b, k])
    text = reading.text
    out = []
    for a, b, _ in parts:
        while b > a and text[b - 1] in " .;,":
            b -= 1
        out.append((a, b, read(text[a:b], reading.lang, reading.published)))
    return out


def _aligned(drafts: list, reading: SourceReading) -> list[tuple[int, int, SourceReading]]:
    """The English rules cut the sentence into several records: the source clause each one reads
    (by its figure values and its date), as parts in the English order, when the source's clauses
    make them a commitment and a progress result; [] when they cannot be placed one clause after
    another or the source does not mix the two kinds."""
    if len(drafts) < 2:
        return []
    clauses = _clause_readings(reading)
    if len(clauses) < len(drafts):
        return []
    if len(clauses) == len(drafts):
        at = list(range(len(drafts)))
    else:
        at = []
        for d in drafts:
            score = []
            for _, _, r in clauses:
                n = sum(any(_close(f.value, x.value) for x in r.figures) for f in d.figures)
                if d.date is not None and any(x.end_date == d.date.end_date for x in r.usable_dates()):
                    n += 2
                score.append(n)
            best = max(score)
            if best == 0 or score.count(best) > 1:
                return []
            at.append(score.index(best))
        if any(b <= a for a, b in zip(at, at[1:])):
            return []
        at[0] = 0
    text = reading.text
    out = []
    for n, c in enumerate(at):
        a = clauses[c][0]
        b = clauses[at[n + 1] - 1][1] if n + 1 < len(at) else clauses[-1][1]
        while b > a and text[b - 1] in " .;,":
            b -= 1
        r = read(text[a:b], reading.lang, reading.published)
        k = _clause_kind(r)
        if k is None and drafts[n].kind == PROGRESS and _past(r):
            k = PROGRESS    # "năm 2025 thành phố đạt 88,4%" written in 2026
        elif k is None and drafts[n].kind == COMMITMENT and not _has_cue(_load(r.lang), _load(r.lang).clause_progress, r.text):
            k = COMMITMENT  # "năm 2025 các bộ được giao 562 nhiệm vụ"
        if k is None:
            return []       # "bảo đảm ...; tỷ lệ ... đạt tối thiểu 40% trong năm 2025": one directive
        r.kind = k
        out.append((a, b, r))
    if len({r.kind for _, _, r in out}) < 2:
        return []
    return out


def _past(r: SourceReading) -> bool:
    """The clause is dated by an as-of date or a period already over when the article was written."""
    pub = _parse_pub(r.published)
    for d in r.usable_dates():
        if d.role == "as_of" or (d.role in ("period", None) and pub is not None and d.end_date
                                 and d.end_date < pub.isoformat()):
            return True
    return False


_CUED = ("deadline", "until", "as_of", "period")


def _atoms(draft, reading: SourceReading, english: str, english_dates: list, new_draft: Callable[..., object]) -> list:
    """A commitment whose clauses each name their own deadline ("... trước ngày 19/8/2025; xây dựng
    lộ trình ..., báo cáo Thủ tướng trong quý III/2025") is one record per deadline, as the English
    rules cut a sentence with several deadlines; each keeps the sentence as its source text and
    its own clause's figures, date and bodies. [] when the clauses do not name two deadlines."""
    clauses = _clause_readings(reading)
    groups: list[list] = []
    ends: set[str] = set()
    for a, b, r in clauses:
        d = choose_date(COMMITMENT, r.dates)
        if d is not None and d.role in ("deadline", "until", "period") and d.end_date and d.end_date not in ends \
                and not _clause_kind(r) == PROGRESS:
            ends.add(d.end_date)
            groups.append([a, b, d])
        elif groups:
            groups[-1][1] = b
        else:
            groups.append([a, b, None])
    if len([g for g in groups if g[2] is not None]) < 2:
        return []
    if groups[0][2] is None:            # a lead-in clause without a date joins the first dated one
        groups[1][0] = groups[0][0]
        groups = groups[1:]
    spans = [(a, b) for a, b, _ in clauses]
    eng = _english_clauses(english, len(spans))
    out = []
    for n, (a, b, _) in enumerate(groups):
        r = read(reading.text[a:b], reading.lang, reading.published)
        if eng is not None:
            idx = [i for i, (x, y) in enumerate(spans) if a <= x < b]
            ea, eb = eng[idx[0]][0], eng[idx[-1]][1]
        else:
            ea, eb = 0, len(english)
        d = new_draft(COMMITMENT, ea, eb, n)
        if d is None:
            return []
        if eng is None:
            d.figures = [f for f in d.figures if any(_close(f.value, x.value) for x in r.figures)]
        d.warnings.extend(w for w in draft.warnings if w not in d.warnings)
        d.read_from = "source"
        _apply([d], r, english_dates)
        if not r.responsible() and reading.responsible():
            d.actors = [_mention(x, d.actors) for x in reading.responsible()]
            d.extra["actor_spans"] = {x.name: (x.start, x.end) for x in reading.responsible()}
        else:
            d.extra["actor_spans"] = {k: (s + a, e + a) for k, (s, e) in d.extra.get("actor_spans", {}).items()}
        if "date_span" in d.extra:
            s, e = d.extra["date_span"]
            d.extra["date_span"] = (s + a, e + a)
        d.extra["figure_spans"] = {k: (s + a, e + a) for k, (s, e) in d.extra.get("figure_spans", {}).items()}
        out.append(d)
    return out


def _rejoin(drafts: list, reading: SourceReading, english: str, new_draft: Callable[..., object]) -> list:
    """The English rules cut a sentence at two different dates; when the source gives it one date
    of a statement at most (the other is a comparison base, a plan's year, a target's year: "đạt
    76,8%, tăng so với mức 41,6% của năm 2024"; "tính đến ngày 31/5 ... đạt 81,2%, còn cách mục
    tiêu 85% của năm nay"), the sentence is one statement again."""
    framed = any(d.role in ("as_of", "until") for d in reading.usable_dates())
    # results only: the year an as-of date falls in frames it ("Im Jahr 2025 wurden ... veranschlagt; bis
    # Ende Juni wurden erst 18,4 % ausgezahlt")
    asof = {d.end_date for d in reading.usable_dates() if d.role in ("as_of", "until")} \
        if all(d.kind == PROGRESS for d in drafts) else set()

    def own(r: SourceReading) -> list[SourceDate]:
        # beside an as-of date, a count "in the first 9 months" frames a result: no date of its own
        return [d for d in r.usable_dates() if not (framed and d.role == "period" and d.kind in _CUMULATIVE)
                and not (d.role == "period" and d.start_date and d.end_date
                         and any(d.start_date <= e <= d.end_date and e != d.end_date for e in asof))]

    cued = {d.end_date for d in own(reading) if d.role in _CUED}
    if len(cued) >= 2:
        return drafts
    clauses = _clause_readings(reading)
    if sum(any(d.role in _CUED + ("from",) for d in own(r)) for _, _, r in clauses) >= 2:
        return drafts   # "bảo đảm ... từ ngày 1/7/2025; tỷ lệ ... đạt 40% trong năm 2025": each clause its date
    if not cued and sum(bool(own(r)) for _, _, r in clauses) >= 2:
        return drafts   # "...năm 2024 ước đạt 18,3%; ... 6 tháng đầu năm 2025 đạt ...": each clause its own date
    kinds = [d.kind for d in drafts]
    kind = reading.kind if reading.kind in kinds else kinds[0]
    whole = new_draft(kind, 0, len(english), getattr(drafts[0], "clause", 0))
    if whole is None:
        return drafts
    for d in drafts:
        whole.warnings.extend(w for w in d.warnings if w not in whole.warnings)
    whole.read_from = "source"
    return [whole]


def _has_cue(L: _Lang, rx: Optional[re.Pattern], text: str) -> bool:
    """A cue of ``rx`` in ``text``; a commitment cue not after a word of ``commitment_not_after``."""
    if rx is None:
        return False
    for m in rx.finditer(text):
        if rx is not L.clause_commit or L.commit_not_after is None \
                or not L.commit_not_after.search(text, max(0, m.start() - 20), m.start()):
            return True
    return False


def _clause_kind(r: SourceReading) -> Optional[str]:
    """The kind of one clause when it is plainly its own statement: a commitment by a strong cue
    (``[clauses] commitment``: "yêu cầu", "phấn đấu", "soll") or a deadline still to come, a progress
    result by a strong cue (``[clauses] progress``: "đã", "tính đến", "bisher") and no commitment
    cue; None otherwise (a target clause of a directive, "đạt tối thiểu 40%", has no kind of its own)."""
    L = _load(r.lang)
    if L is None or not _is_statement(r):
        return None
    if r.kind == COMMITMENT and (_has_cue(L, L.clause_commit, r.text) or _future_deadline(r)):
        return COMMITMENT
    if r.kind == PROGRESS and _has_cue(L, L.clause_progress, r.text):
        return PROGRESS
    return None


def _sentence_kind(reading: SourceReading) -> Optional[str]:
    """The kind the source's strong cues give a sentence read as one statement: that of its
    clause, or the one kind its statement clauses agree on; None when they do not say."""
    clauses = _clause_readings(reading)
    kinds = {_clause_kind(r) for _, _, r in clauses} - {None} if clauses else {_clause_kind(reading)} - {None}
    return kinds.pop() if len(kinds) == 1 else None


def _future_deadline(r: SourceReading) -> bool:
    pub = _parse_pub(r.published)
    return any(d.role in ("deadline", "until") and d.end_date and (pub is None or d.end_date >= pub.isoformat())
               for d in r.dates)


def _english_clauses(english: str, n: int) -> Optional[list[tuple[int, int]]]:
    """The English cut at semicolons when it has as many parts as the source (the lexicon
    translator keeps them), else None."""
    cuts = [m.start() for m in re.finditer(";", english)]
    if len(cuts) + 1 != n:
        return None
    bounds = [0] + [c + 1 for c in cuts] + [len(english) + 1]
    return [(bounds[i], bounds[i + 1] - 1) for i in range(n)]


def _split(drafts: list, reading: SourceReading, segs: list, english: str, english_dates: list,
           new_draft: Callable[..., object]) -> list:
    """One draft per part of a sentence that mixes commitments and progress results (``_segments``):
    the English drafts when there are as many (in order), else drafts of the English clauses
    (or of the whole English, keeping the figures the part has). Each is read from its own part,
    whose span becomes the record's source text."""
    if len(drafts) != len(segs):
        L = _load(reading.lang)
        spans = _clause_spans(L, reading.text)
        eng = _english_clauses(english, len(spans))
        made = []
        for n, (a, b, r) in enumerate(segs):
            if eng is not None:
                idx = [i for i, (x, y) in enumerate(spans) if a <= x < b or x <= a < y]
                ea, eb = eng[idx[0]][0], eng[idx[-1]][1]
            else:
                ea, eb = 0, len(english)
            d = new_draft(r.kind, ea, eb, n)
            if d is None:
                return []
            if eng is None:
                d.figures = [f for f in d.figures if any(_close(f.value, s.value) for s in r.figures)]
            made.append(d)
        drafts = made
    for d, (a, b, r) in zip(drafts, segs):
        if d.kind != r.kind:
            d.kind = r.kind
        d.read_from = "source"
        d.extra["source_clause"] = (a, b)
        _apply([d], r, english_dates)
        if not r.responsible():
            # the part names no body: the sentence's ("Theo báo cáo của Bộ X, ...; tính đến ... đã")
            whole = reading.responsible()
            if whole:
                d.actors = [_mention(x, d.actors) for x in whole]
                d.extra["actor_spans"] = {x.name: (x.start - a, x.end - a) for x in whole if a <= x.start and x.end <= b}
    return drafts


def _apply(drafts: list, reading: SourceReading, english_dates: list) -> None:
    dated = reading.usable_dates()
    several = len(drafts) > 1
    for n, d in enumerate(drafts):
        # dates
        if several:
            sdate = None
            # the source's dates in order, when it names as many as there are records (else its
            # cued dates only: "Chỉ số CCHC năm 2025 trong tháng 4" is dated by "trong tháng 4")
            for pool in (dated, [x for x in dated if x.role in _CUED]):
                ends = []
                for sd in sorted(pool, key=lambda x: x.start):
                    if sd.end_date and sd.end_date not in ends:
                        ends.append(sd.end_date)
                if len(ends) == len(drafts):
                    sdate = next(x for x in pool if x.end_date == ends[n])
                    break
        else:
            sdate = choose_date(d.kind, dated)
        if sdate is not None:
            old = d.date
            new = _to_mention(sdate, english_dates, d.kind)
            if old is None or old.end_date != new.end_date or old.start_date != new.start_date:
                if old is not None and (old.end_date or old.start_date):
                    d.warnings.append(f"date {sdate.text!r} read from the source ({sdate.end_date or sdate.start_date}); "
                                      f"the English gave {old.end_date or old.start_date}")
                d.date = new
                d.read_from = "source"
            d.extra["date_span"] = (sdate.start, sdate.end)
        elif d.date is not None and not dated and any(
                x.role in ("skip", "issue", "point") and x.end_date and x.end_date == d.date.end_date for x in reading.dates):
            # the English took a date the source reads as no date of the statement: a comparison
            # base, a document's issue date, the day of the meeting ("Aktionsplan ... für 2026")
            d.warnings.append(f"date {d.date.text!r} dropped: the source reads it as no date of the statement")
            d.date = None
            d.read_from = "source"
        # actors
        resp = reading.responsible()
        if resp:
            names = [a.name for a in resp]
            if [m.name for m in d.actors] != names:
                d.read_from = "source"
            d.actors = [_mention(a, d.actors) for a in resp]
            d.extra["actor_spans"] = {a.name: (a.start, a.end) for a in resp}
        elif reading.actors and all(a.role in ("recipient", "issuer", "requester", "locative") for a in reading.actors):
            drop = {a.name for a in reading.actors}
            kept = [m for m in d.actors if m.name not in drop]
            if len(kept) != len(d.actors):
                d.actors = kept
                d.read_from = "source"
        # figures
        _figures(d, reading)


def _inherit(drafts: list, reading: SourceReading, ctx: Context) -> None:
    """A progress figure that names no body takes the body that reported just before."""
    if not ctx.reporters or reading.responsible():
        return
    for d in drafts:
        if d.kind == PROGRESS and not d.actors:
            d.actors = [_mention(x, []) for x in ctx.reporters]
            d.read_from = "source"


def _carry(ctx: Context, reading: SourceReading, drafts: list) -> None:
    from pipeline.config import SOURCE_REPORTER_CARRY

    rep = [a for a in reading.actors if a.role == "reporter"]
    if rep:
        ctx.reporters, ctx.left = rep, SOURCE_REPORTER_CARRY
    elif reading.responsible() or any(d.kind == COMMITMENT for d in drafts):
        ctx.reporters, ctx.left = [], 0
    else:
        ctx.left -= 1
        if ctx.left <= 0:
            ctx.reporters = []


def _mention(a: SourceActor, english: list):
    """A source actor as an actors.Mention (the English mention of the same body when there is one)."""
    from pipeline.extract.actors import Mention

    for m in english:
        if m.name == a.name:
            return m
    return Mention(a.name, a.text, a.start, a.end, a.type, True, a.role)


def attach_spans(st, extra: dict):
    """A Statement with the source spans a refined draft collected (figures, date, actors), as
    offsets in its ``source_text``; a record read from one part of a sentence that mixes
    commitments and results has that part as its ``source_text`` (``source_start``/``source_end`` moved with it)."""
    if not extra:
        return st
    upd: dict = {}
    if "source_clause" in extra:
        a, b = extra["source_clause"]
        upd.update(source_text=st.source_text[a:b], source_start=st.source_start + a, source_end=st.source_start + b)
    figs = list(st.figures)
    for k, (s, e) in extra.get("figure_spans", {}).items():
        if k < len(figs):
            figs[k] = figs[k].model_copy(update={"source_start": s, "source_end": e})
    upd["figures"] = figs
    if st.date is not None and "date_span" in extra:
        s, e = extra["date_span"]
        upd["date"] = st.date.model_copy(update={"source_start": s, "source_end": e})
    spans = extra.get("actor_spans", {})
    if spans:
        upd["actors"] = [a.model_copy(update={"source_start": spans[a.name][0], "source_end": spans[a.name][1]})
                         if a.name in spans else a for a in st.actors]
    return st.model_copy(update=upd)
