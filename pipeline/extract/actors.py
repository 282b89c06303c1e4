"""Actors: the named state bodies responsible for (or reporting) a statement.

Two sources of mentions, both on the English side:
* the gazetteer (``data/gazetteer.toml``), turned into spaCy EntityRuler phrase patterns (label ``GOV``,
  ``ent_id_`` = canonical name), so "Ministry of Interior" and "MoHA" both give
  "Ministry of Home Affairs";
* the model's ORG entities that look like state bodies (a body word such as Ministry, Committee,
  Department; no company word), kept with their surface name and ``known=False``.

Province anaphora ("the province", "the provincial People's Committee") name the province most
recently named in the document (or its title).

Each mention gets a grammatical role from the dependency parse; only the responsible roles become
actors: the object of a request ("requested the Ministry of Home Affairs to review"), the subject
of the action ("the Ministry of Science and Technology is finalizing"), the reporter ("according to
a report by the Ministry of Interior"). Requesters ("the Prime Minister / the province requested"),
recipients ("submitted to the National Assembly") and issuers of documents ("Resolution 57 of the
Politburo", "the Government's Action Program") are not actors.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from pipeline.config import DATA_DIR
from pipeline.extract.nlp import doc_text
from pipeline.records import Actor

GAZETTEER = DATA_DIR / "gazetteer.toml"
LANGS = ("en", "de", "vi")
PLACE_TYPES = ("province", "city")
RESPONSIBLE = ("assignee", "subject", "reporter", "partner")


@dataclass(frozen=True)
class Body:
    name: str
    type: str
    en: tuple[str, ...]
    de: tuple[str, ...]
    vi: tuple[str, ...]


@lru_cache(maxsize=None)
def gazetteer(path: str | None = None) -> tuple[Body, ...]:
    with open(path or GAZETTEER, "rb") as fh:
        data = tomllib.load(fh)
    return tuple(Body(name=b["name"], type=b.get("type", "agency"), en=tuple(b.get("en", [])),
                      de=tuple(b.get("de", [])), vi=tuple(b.get("vi", []))) for b in data.get("body", []))


@lru_cache(maxsize=None)
def minister_titles(lang: str = "en") -> dict[str, str]:
    """A minister's title, lower-cased, -> the canonical name of the ministry it names, built from the
    ministries' aliases in ``lang`` and the gazetteer's ``[minister_titles]`` rules."""
    with open(GAZETTEER, "rb") as fh:
        rules = tomllib.load(fh).get("minister_titles", {}).get(lang, [])
    out: dict[str, str] = {}
    for b in gazetteer():
        if b.type != "ministry":
            continue
        for alias in (b.name, *getattr(b, lang)) if lang == "en" else getattr(b, lang):
            for pat, title in rules:
                pre, _, post = pat.partition("{}")
                if alias.startswith(pre) and alias.endswith(post) and len(alias) > len(pre) + len(post):
                    rest = alias[len(pre):len(alias) - len(post)]
                    out.setdefault(title.replace("{}", rest).lower(), b.name)
    return out


@lru_cache(maxsize=None)
def bodies_by_name() -> dict[str, Body]:
    return {b.name: b for b in gazetteer()}


@lru_cache(maxsize=None)
def alias_index(lang: str = "en") -> dict[str, str]:
    """Lower-cased alias (and canonical name) -> canonical name."""
    out: dict[str, str] = {}
    for b in gazetteer():
        for a in (b.name, *getattr(b, lang)):
            out.setdefault(_norm(a), b.name)
    return out


def _norm(s: str) -> str:
    s = re.sub(r"\s+", " ", s.strip())
    s = re.sub(r"^the\s+", "", s, flags=re.I)
    s = re.sub(r"\s*['’]s$", "", s)
    return s.lower()


def resolve(surface: str, lang: str = "en") -> Optional[str]:
    """Canonical name of a body named exactly ``surface`` (any alias, any case, leading "the"), or None."""
    return alias_index(lang).get(_norm(surface))


# ------------------------------------------------------------------ EntityRuler patterns
def _exact_case(alias: str) -> bool:
    """Single words and acronyms are matched with their exact case ("MOST" is not "most")."""
    return len(alias.split()) == 1 or alias.isupper()


def ruler_patterns(nlp=None) -> tuple[list[dict], list[dict]]:
    """Phrase patterns (label GOV, id = canonical name) for the two gazetteer rulers:
    exact-case ones (every English alias as written: "Government", "MOST", "Binh Dinh province")
    and lower-case ones for aliases of three or more words ("ministry of finance")."""
    exact: list[dict] = []
    lower: list[dict] = []
    seen_e: set[str] = set()
    seen_l: set[str] = set()
    for b in gazetteer():
        for alias in dict.fromkeys((b.name, *b.en)):
            if alias not in seen_e:
                seen_e.add(alias)
                exact.append({"label": "GOV", "pattern": alias, "id": b.name})
            if not _exact_case(alias) and len(alias.split()) >= 3 and alias.lower() not in seen_l:
                seen_l.add(alias.lower())
                lower.append({"label": "GOV", "pattern": alias.lower(), "id": b.name})
    return exact, lower


# ------------------------------------------------------------------ cue data
@lru_cache(maxsize=None)
def cues() -> dict:
    with open(DATA_DIR / "en" / "statements.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def _words(section: str, key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in cues()[section][key])


# ------------------------------------------------------------------ mentions
@dataclass
class Mention:
    name: str          # canonical name, or the surface name for unknown bodies
    text: str          # surface text
    start: int         # char offsets in the sentence's English text
    end: int
    type: str          # gazetteer type, "unknown" for NER bodies
    known: bool
    role: str = "other"

    def actor(self) -> Actor:
        return Actor(name=self.name, text=self.text, known=self.known)


def _is_body_org(text: str) -> bool:
    low = " " + text.lower() + " "
    if any(w in low for w in _words("actors", "non_body_words")):
        return False
    if _norm(text) in _words("actors", "generic_bodies"):
        return False
    return any(re.search(rf"\b{re.escape(w)}\b", low) for w in _words("actors", "body_words"))


@lru_cache(maxsize=None)
def _anaphora_re(key: str) -> re.Pattern:
    alts = sorted(cues()["actors"][key], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(a) for a in alts) + r")\b", re.I)


@lru_cache(maxsize=None)
def _generic_after() -> re.Pattern:
    alts = sorted(cues()["actors"]["generic_after"], key=len, reverse=True)
    return re.compile(r"\s*(?:" + "|".join(re.escape(a) for a in alts) + r")\b", re.I)


@lru_cache(maxsize=None)
def _ministry_anaphor_re() -> re.Pattern:
    # "the ministry" (not "the Ministry of X", "the ministry's standing body", "the ministries")
    words = "|".join(re.escape(w) for w in _words("actors", "ministry_anaphora"))
    return re.compile(rf"\b(?:[Tt]he|[Tt]his)\s+(?:{words})\b(?!\s+of\b)(?!-)", 0)


def find_mentions(sdoc, place: Optional[Body] = None, ministry: Optional[Body] = None) -> list[Mention]:
    """Body mentions of one parsed sentence, each with its role. ``place`` is the province/city
    in context (for "the province"); places named in this sentence before an anaphor win.
    ``ministry`` is the ministry named just before (for "the ministry": "The Ministry of Home
    Affairs ... was asked to submit ... The ministry will also publish ...")."""
    text = doc_text(sdoc)
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for ent in sdoc.ents:
        if ent.label_ == "GOV" and ent.ent_id_:
            b = bodies_by_name().get(ent.ent_id_)
            if b is None:
                continue
            m = Mention(b.name, ent.text, ent.start_char, ent.end_char, b.type, True)
        elif ent.label_ == "ORG" and _is_body_org(ent.text):
            if _anaphora_re("province_anaphora").fullmatch(ent.text.strip()) or \
                    _anaphora_re("city_anaphora").fullmatch(ent.text.strip()):
                continue  # resolved as an anaphor below
            name = re.sub(r"^the\s+", "", ent.text.strip(), flags=re.I)
            name = re.sub(r"\s*['’]s$", "", name)
            m = Mention(name, ent.text, ent.start_char, ent.end_char, "unknown", False)
        else:
            continue
        if _generic_after().match(text, m.end):
            continue  # "governments at all levels", "Government agencies": not the body itself
        m.role = role_of(sdoc.char_span(m.start, m.end, alignment_mode="expand"))
        out.append(m)
        taken.append((m.start, m.end))
    for key, types in (("province_anaphora", ("province",)), ("city_anaphora", ("city",))):
        for am in _anaphora_re(key).finditer(text):
            if any(a < am.end() and am.start() < b for a, b in taken):
                continue
            prev = re.findall(r"[\w']+", text[:am.start()])
            if (prev and prev[-1].lower() in _words("actors", "non_anaphoric_before")) or text[am.end():am.end() + 1] == "-":
                continue  # "each province", "a province", "province-level"
            named = [m for m in out if m.type in types and m.known and m.start < am.start()]
            target = bodies_by_name().get(named[-1].name) if named else place
            if target is None or target.type not in types:
                continue
            m = Mention(target.name, am.group(0), am.start(), am.end(), target.type, True)
            m.role = role_of(sdoc.char_span(am.start(), am.end(), alignment_mode="expand"))
            out.append(m)
            taken.append((am.start(), am.end()))
    for am in _ministry_anaphor_re().finditer(text):
        named = [m for m in out if m.type == "ministry" and m.known and m.start < am.start()]
        target = bodies_by_name().get(named[-1].name) if named else ministry
        if target is None or any(a < am.end() and am.start() < b for a, b in taken):
            continue
        m = Mention(target.name, am.group(0), am.start(), am.end(), target.type, True)
        m.role = role_of(sdoc.char_span(am.start(), am.end(), alignment_mode="expand"))
        out.append(m)
        taken.append((am.start(), am.end()))
    # "Deputy Minister of Finance X said", "assigned the Minister of Science and Technology to ...":
    # a minister's title names the ministry, in the role the minister has in the sentence
    for tm in _minister_title_re().finditer(text):
        if any(a < tm.end() and tm.start() < b for a, b in taken):
            continue
        name = minister_titles("en")[" ".join(tm.group(0).lower().split())]
        m = Mention(name, tm.group(0), tm.start(), tm.end(), bodies_by_name()[name].type, True)
        m.role = role_of(_with_person_name(sdoc, tm.start(), tm.end()))
        out.append(m)
        taken.append((m.start, m.end))
    # "the ministries of finance and justice": each ministry of a coordinated plural
    for pm in _plural_ministries_re().finditer(text):
        if any(a < pm.end() and pm.start() < b for a, b in taken):
            continue
        span = _with_person_name(sdoc, pm.start(), pm.end())
        role = role_of(span)
        for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", pm.group(1)):
            words, name = part.split(), None
            while words and name is None:   # "justice to submit": the longest prefix that names one
                name = resolve("Ministry of " + " ".join(words))
                words.pop()
            if name is not None:
                m = Mention(name, pm.group(0), pm.start(), pm.end(), bodies_by_name()[name].type, True, role)
                out.append(m)
        taken.append((pm.start(), pm.end()))
    # "Tax Department (Ministry of Finance)": the bracketed parent body is context, not an actor
    for m in out:
        if any(o is not m and o.end <= m.start and re.fullmatch(r"\s*\(\s*(?:the\s+)?", text[o.end:m.start])
               for o in out):
            m.role = "context"
    for m in out:
        if m.role in ("other", "subject", "requester") and _speaker(sdoc, text, m):
            m.role = "reporter"
    # telegraphic subject: "Vietnam Social Security coordinate with ...", "Government Office monitor
    # and urge ..." (the parser does not find the clause's verb, the body opens the sentence)
    if not any(m.role in RESPONSIBLE for m in out):
        for m in out:
            if m.role == "other" and m.known and re.fullmatch(r"\W*(?:the\s+)?", text[:m.start], re.I):
                span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
                nxt = sdoc[span.end] if span is not None and span.end < len(sdoc) else None
                if nxt is not None and nxt.pos_ not in ("ADP", "PUNCT", "PART", "DET", "NUM", "CCONJ", "SYM") \
                        and nxt.tag_ != "POS":
                    m.role = "subject"
            break
    # "the database managed by the Ministry of Public Security", "under the direction of the Ministry":
    # the body that runs the thing the statement is about (an actor when nobody else is named)
    for m in out:
        if m.role in ("other", "agent") and _agent_re().search(text[max(0, m.start - 40):m.start]):
            m.role = "steward"
    # "take the lead and coordinate with the Ministry of Finance": a partner in the task
    pre = _partner_re()
    lead = None
    for m in out:
        if m.role in ("other", "recipient") and pre.search(text[max(0, m.start - 40):m.start]):
            m.role = "partner"
            lead = m
        elif lead is not None and m.role in ("other", "recipient") and \
                re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?", text[lead.end:m.start]):
            m.role = "partner"
            lead = m
        else:
            lead = None
    out.sort(key=lambda m: m.start)
    return out


@lru_cache(maxsize=None)
def _minister_title_re() -> re.Pattern:
    alts = sorted(minister_titles("en"), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts) + r")(?!\w)",
                      re.IGNORECASE)


def _with_person_name(sdoc, start: int, end: int):
    """The span of a title and the person's name after it ("Minister of Finance Nguyen Van Thang"):
    the name carries the title's role in the parse."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    j = span.end
    while j < len(sdoc) and sdoc[j].pos_ == "PROPN":
        j += 1
    return sdoc[span.start:j]


@lru_cache(maxsize=None)
def _plural_ministries_re() -> re.Pattern:
    word = r"[A-Za-z][\w'’-]*"
    part = rf"{word}(?:\s+(?!and\b){word}){{0,3}}"
    return re.compile(rf"\b[Mm]inistries\s+of\s+({part}(?:\s*,\s*{part})*\s*,?\s+and\s+{part})")


@lru_cache(maxsize=None)
def _agent_re() -> re.Pattern:
    alts = sorted(cues()["actors"]["agent_before"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alts) + r")\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=None)
def _partner_re() -> re.Pattern:
    alts = sorted(cues()["actors"]["partner_before"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alts) + r")\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=None)
def _title_re() -> re.Pattern:
    alts = sorted(cues()["actors"]["speaker_titles"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alts) + r")(?:\s+of)?(?:\s+the)?\s*$", re.I)


def _speaker(sdoc, text: str, m: Mention) -> bool:
    """A body named in an official's title right before a speech verb ("Minister of Public Security
    Luong Tam Quang said, ..."): the official speaks for the body."""
    if not ("minister" in m.text.lower() or _title_re().search(text[max(0, m.start - 40):m.start])):
        return False
    span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    speech = _words("progress", "speech_verbs") - _words("commitment", "request_verbs")
    for t in sdoc[span.end:span.end + 8]:
        if t.is_punct and t.text != ",":
            return False
        if t.lemma_.lower() in speech and t.pos_ in ("VERB", "AUX"):
            return True
    return False


@lru_cache(maxsize=None)
def _place_alias_re(lang: str) -> tuple[re.Pattern, dict[str, str]]:
    owners: dict[str, str] = {}
    for b in gazetteer():
        if b.type in PLACE_TYPES:
            for a in getattr(b, lang):
                owners.setdefault(a, b.name)
    alts = sorted(owners, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alts) + r")(?!\w)"), owners


def places_in_text(text: str, lang: str) -> list[Body]:
    """Provinces and cities named in raw text of any language (titles, untranslated sources),
    by exact alias match, in order."""
    if not text or lang not in LANGS:
        return []
    rx, owners = _place_alias_re(lang)
    bn = bodies_by_name()
    return [bn[owners[m.group(1)]] for m in rx.finditer(text)]


def places_named(sdoc) -> list[Body]:
    """Provinces and cities named (not by anaphora) in a parsed text, in order."""
    bn = bodies_by_name()
    return [bn[e.ent_id_] for e in sdoc.ents
            if e.label_ == "GOV" and e.ent_id_ in bn and bn[e.ent_id_].type in PLACE_TYPES]


# ------------------------------------------------------------------ roles
@lru_cache(maxsize=None)
def _doc_ref_re() -> re.Pattern:
    nouns = "|".join(re.escape(w) for w in sorted(_words("actors", "document_nouns"), key=len, reverse=True))
    return re.compile(rf"\b(?:{nouns})s?\s+(?:no\.?\s*)?[\w./-]*\d[\w./-]*\s+(?:of|by|from)\s+(?:the\s+)?$", re.I)


def role_of(span) -> str:
    """Grammatical role of a body mention: assignee, subject, reporter, requester, recipient,
    issuer, agent, locative or other."""
    if span is None or len(span) == 0:
        return "other"
    request = _words("commitment", "request_verbs")
    recipient = _words("actors", "recipient_verbs")
    docn = _words("actors", "document_nouns")
    reportn = _words("actors", "report_nouns")
    left = span.doc[max(0, span.start - 6):span.start].text.lower()
    heads = _words("actors", "body_heads")
    # "the Ministry of Finance and the State Bank": a conjunct takes the first one's role;
    # "the Hanoi People's Committee", "the Da Nang Department of Construction": the place takes
    # the role of the organ it modifies.
    tok = span.root
    while tok.head is not tok:
        if tok.dep_ == "conj":
            tok = tok.head
            continue
        t = tok
        while t.dep_ in ("compound", "nmod", "amod", "poss") and t.head is not t:
            t = t.head
            if t.lower_ in heads:
                break
        if t is not tok and t.lower_ in heads:
            tok = t
            continue
        break
    dep, head = tok.dep_, tok.head
    # mandative "proposed that the State Bank issue ...": the parser often reads the bare verb
    # as a noun, so the words before the mention decide
    j = span.start - 1
    while j >= 0 and span.doc[j].pos_ == "DET":
        j -= 1
    if j >= 1 and span.doc[j].lower_ == "that" and span.doc[j - 1].lemma_.lower() in request:
        return "assignee"
    # "Resolution No. 57/NQ-TW of the Politburo": numbered documents confuse the parser
    before = doc_text(span.doc)[max(0, span.start_char - 60):span.start_char]
    if _doc_ref_re().search(before):
        return "issuer"
    if dep == "poss":
        if head.lemma_.lower() in reportn or head.lower_ in reportn:
            return "reporter"
        if head.lemma_.lower() in docn:
            return "issuer"
        return "other"
    if dep == "pobj":
        prep, gov = head.lower_, head.head
        glem = gov.lemma_.lower()
        if prep == "to" and gov.lower_ == "according":
            return "reporter"
        if prep in ("of", "by", "from") and (glem in reportn or gov.lower_ in reportn):
            return "reporter"
        if prep in ("of", "by", "from") and glem in docn:
            return "issuer"
        if prep == "to" and gov.pos_ == "VERB" and glem in request:
            return "assignee"
        if prep in ("to", "with", "for") and gov.pos_ in ("VERB", "NOUN") and glem in recipient:
            return "recipient"
        if prep == "by" and gov.tag_ == "VBN":
            return "agent"
        if prep in ("in", "at", "across", "throughout", "within"):
            return "locative"
        if "according to" in left:
            return "reporter"
        return "other"
    if dep in ("nsubj", "nsubjpass", "csubj"):
        verb = head
        passive = any(ch.dep_ == "auxpass" for ch in verb.children)
        if verb.lemma_.lower() in request and not passive:
            return "requester"
        if dep == "nsubj" and verb.lemma_.lower() in _words("actors", "report_verbs") and \
                any(ch.dep_ in ("ccomp", "prep", "dobj") for ch in verb.children):
            return "reporter"   # "the Ministry of Finance reported that ...", "... said revenue rose"
        return "subject"
    if dep in ("dobj", "dative", "obj") and head.lemma_.lower() in request:
        # "requested the Ministry to review": the object is asked to act; but in "proposed the
        # province, that ..." (a translation's inverted subject) the object precedes a that-clause.
        kids = {ch.dep_ for ch in head.children}
        if "xcomp" in kids or "ccomp" not in kids:
            return "assignee"
        return "other"
    if dep in ("dobj", "dative", "obj") and head.lemma_.lower() in _words("actors", "telling_verbs") and \
            any(ch.dep_ == "xcomp" and ch.pos_ == "VERB" for ch in head.children):
        return "assignee"   # "told the Ministry of Science and Technology to finalise the plan"
    if "according to" in left:
        return "reporter"
    return "other"


def responsible(mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions that name who is responsible: reporters, assignees and subjects; a directing
    body when no body is named as asked to act; a province or city named only as the place
    ("in the province") when nothing else is named."""
    ms = list(mentions)
    only_assigned = _words("actors", "assigned_only_types")
    ms = [m for m in ms if m.type not in only_assigned or m.role in ("assignee", "partner")]
    out = [m for m in ms if m.role in RESPONSIBLE]
    if not any(m.role == "assignee" for m in ms):
        # "The State Bank directed credit institutions to ensure ...": nobody named is asked, so
        # the directing body answers for it (not the Government / Party / legislature at the top)
        weak = _words("anchors", "weak_actor_types")
        out += [m for m in ms if m.role == "requester" and m.type not in weak]
        out.sort(key=lambda m: m.start)
    if not out:
        out = [m for m in ms if m.role == "steward"]
    if not out:
        out = [m for m in ms if m.role == "locative" and m.type in PLACE_TYPES]
    return first_per_name(out)


def first_per_name(mentions: list) -> list:
    """The first mention of each canonical name, in order (one actor per body)."""
    seen: set[str] = set()
    return [m for m in mentions if not (m.name in seen or seen.add(m.name))]
