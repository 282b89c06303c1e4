"""Statements: which sentences (or clauses) state a commitment or a progress result, and of which kind.

Rules, all on the English side of a sentence (language knowledge in ``data/en/statements.toml``):

1. Not a statement: sentences matching a non-statement cue (attendance, chairing, speeches, praise
   and thanks, mottos and slogans, viewpoints, photo credits, questions) and text without a
   finite verb (titles, bare captions).
2. Kind, from the verbs outside quotation marks (a slogan's "must" does not count):
   commitment <- a modal (will, must, should, ...) or obligation phrase ("need to"); an active
   directing verb (requested, assigned, proposed ...; not "were assigned"); a target/plan phrase
   ("the goal is", "expected to", "no later than"); a directive adverb on a present verb
   ("Localities urgently complete"); an imperative sentence;
   progress <- a past or perfect verb that is not a speech verb ("reached", "were cut", "have
   provided"; not "emphasized"), or a result phrase ("as of", "to date", "currently");
   then a deadline date makes it a commitment; any other clause with a verb is progress.
3. Anchor (precision): a commitment needs a measured figure, a usable date, an announced task
   list ("three important tasks"), or a named executing body as responsible; a progress statement
   needs a measured figure. Generic exhortations without any of these are skipped.
4. Atomic records: a sentence naming two or more different dates with a cue word ("by", "in",
   "as of"; not an unmarked "this year", not a scope "for 2025") is cut at the last clause boundary
   between consecutive dates; each piece keeps its own figures and date. The dated last item of a
   ';' task list, and a result stated inside a plan ("... after reaching 76.8% in 2025"), are
   records of their own that quote their own clause (English).
5. Date: commitment -> deadline > from > period > undetermined; progress -> as-of > period >
   deadline; issue dates ("dated January 9") and event days ("On the afternoon of September 24")
   are never used. A progress sentence without a date may inherit the as-of date of the sentence
   before it in the same paragraph.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Optional

from pipeline.config import (ACTION_MAX_TOKENS, CAPTION_DUP_COVERAGE, INHERIT_AS_OF_DATE, INHERIT_REPORTER,
                             SPLIT_MIN_DISTINCT_DATES)
from pipeline.extract.actors import (Body, Mention, bodies_by_name, cues, find_mentions, places_in_text,
                                     places_named, responsible)
from pipeline.extract.dates import DateMention, date_warnings, find_dates, range_warnings, to_datespan
from pipeline.extract.figures import find_figures
from pipeline.extract import source
from pipeline.extract.nlp import doc_text, doc_tokens, release
from pipeline.records import Document, Figure, Sentence, Statement

COMMITMENT, PROGRESS = "commitment", "progress"
_TOK = re.compile(r"\w+", re.UNICODE)
_CURLY_QUOTES = re.compile(r"[“„«][^”“„«»]*[”»]")


# "the ministry" names the ministry named within this many sentences before it
MINISTRY_ANAPHOR_SENTENCES = 3

# ------------------------------------------------------------------ cue data
@lru_cache(maxsize=None)
def _lw(section: str, key: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in cues()[section][key])


@lru_cache(maxsize=None)
def _lws(section: str, key: str) -> frozenset[str]:
    return frozenset(_lw(section, key))


@lru_cache(maxsize=None)
def _phrase_re(section: str, key: str) -> re.Pattern:
    # a translation may put a comma inside a phrase ("plans, to submit it" from German "plant, ... zu")
    alts = sorted(_lw(section, key), key=len, reverse=True)
    alts = [re.escape(a).replace(r"\ ", r",?\s+") for a in alts]
    return re.compile(r"(?<!\w)(" + "|".join(alts) + r")(?!\w)", re.I)


@lru_cache(maxsize=None)
def _veto_re() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in cues()["non_statement"]["patterns"]), re.I)


@lru_cache(maxsize=None)
def _list_re() -> re.Pattern:
    counts = "|".join(re.escape(w) for w in _lw("anchors", "list_count_words"))
    nouns = "|".join(re.escape(w) for w in sorted(_lw("anchors", "list_nouns"), key=len, reverse=True))
    # a count, not a year: "the 2025 targets" announces no list
    return re.compile(rf"\b(?:\d{{1,3}}(?![\d,.])|{counts})\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})\b", re.I)


@lru_cache(maxsize=None)
def _non_anchor_before_re() -> re.Pattern:
    alts = "|".join(re.escape(w) for w in _lw("anchors", "figure_non_anchor_before"))
    return re.compile(rf"(?:^|\W)(?:{alts})\s*$", re.I)


# ------------------------------------------------------------------ helpers
def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (paired curly quotes, or straight quotes in pairs)."""
    out = [(m.start(), m.end()) for m in _CURLY_QUOTES.finditer(text)]
    if '"' not in text:
        return out
    straight = [i for i, ch in enumerate(text) if ch == '"']
    for a, b in zip(straight[::2], straight[1::2]):
        out.append((a, b + 1))
    return out


def _inside(i: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in ranges)


def _mask(text: str, ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return text
    chars = list(text)
    for a, b in ranges:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _has_aux(tok, lemmas: tuple[str, ...], deps=("aux", "auxpass")) -> bool:
    return any(ch.dep_ in deps and ch.lemma_.lower() in lemmas for ch in tok.children)


@lru_cache(maxsize=None)
def _intro_re() -> re.Pattern:
    alts = "|".join(re.escape(w) for w in sorted(_lw("non_statement", "intro_participles"), key=len, reverse=True))
    return re.compile(rf"^\W*(?:{alts})\b[^,;]{{0,240}},\s*", re.I)


def is_veto(text: str) -> bool:
    """A non-statement sentence. An opening participle phrase that sets the scene ("Chairing the
    first meeting in 2026 of the Steering Committee, the PM said the rate ... reached nearly 77 per
    cent") is left out: the clause after it decides."""
    intro = _intro_re().match(text)
    if intro:
        text = text[intro.end():]
    return bool(_veto_re().search(text))


def has_finite_verb(toks) -> bool:
    for t in toks:
        if t.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return True
        if t.tag_ == "VB" and t.dep_ == "ROOT":
            return True
        if t.tag_ in ("VBN", "VBG") and any(ch.dep_ in ("aux", "auxpass") for ch in t.children):
            return True
    return False


def _reports_a_result(sdoc, a: int, b: int) -> bool:
    """A progress clause must report something done or measured, not a standing fact: its verbs
    may not all be state verbs ("The province has 135 communes", "The plan consists of 5 parts"),
    unless a status phrase dates the measure ("currently", "so far")."""
    state = _lws("progress", "state_verbs")
    if _phrase_re("progress", "status_phrases").search(doc_text(sdoc)[a:b]):
        return True  # "Currently, more than 87% of adults have a payment account": a measured status
    verbs = [t for t in doc_tokens(sdoc) if a <= t.idx < b and (t.pos_ == "VERB" or (t.pos_ == "AUX" and t.dep_ == "ROOT"))]
    if not verbs:
        return True  # telegraphic translation: the figure and a result phrase decide
    return any(t.lemma_.lower() not in state for t in verbs)


def _telegraphic_result(sdoc) -> bool:
    """A machine translation may drop the finite verb ("Revenue ... 10 months estimated at about
    3.8 million billion VND, increase 27% over the same period"): a verb form or a result phrase
    next to a number still makes a reported result."""
    if not any(t.like_num for t in doc_tokens(sdoc)):
        return False
    return any(t.pos_ == "VERB" for t in doc_tokens(sdoc)) or bool(_phrase_re("progress", "phrases").search(doc_text(sdoc)))


def classify(sdoc, a: int, b: int, dates: list[DateMention], published: Optional[str] = None) -> Optional[str]:
    """Kind of the clause ``[a, b)`` of a parsed sentence (char offsets), or None without a verb."""
    text = doc_text(sdoc)
    quotes = quote_ranges(text)
    toks = [t for t in doc_tokens(sdoc) if a <= t.idx < b and not (quotes and _inside(t.idx, quotes))]
    if not toks:
        return None
    low = _mask(text, quotes)[a:b].lower()
    request = _lws("commitment", "request_verbs")
    speech = _lws("progress", "speech_verbs")
    # 1. modals and obligation phrases
    modals = _lws("commitment", "modals")
    # (a modal inside a relative clause only describes a thing when the main verb reports a result:
    # "the system, which will be expanded, has connected 151 databases"; see step 3b)
    if any(t.tag_ == "MD" and t.lower_ in modals and t.head.dep_ not in ("relcl", "acl") for t in toks):
        return COMMITMENT
    neg = tuple(_lw("commitment", "negations"))
    for om in _phrase_re("commitment", "obligation_phrases").finditer(low):
        if low[:om.start()].rstrip().endswith(neg):  # "people no longer have to submit copies"
            continue
        if _in_reason_clause(sdoc, a + om.start()):
            continue   # "..., as many systems remain unconnected and people still have to submit ..."
        return COMMITMENT
    # 2. active directing verbs, targets, directive adverbs, imperatives
    for t in toks:
        if t.pos_ != "VERB" or t.lemma_.lower() not in request or t.dep_ in ("acl", "amod", "pcomp"):
            continue
        if any(ch.lower_ == "still" for ch in t.children):
            continue   # "several ministries still require citizens to submit paper copies": a state
        if not _has_aux(t, ("be", "get"), ("auxpass",)):
            if t.tag_ != "VBN" or _has_aux(t, ("have",), ("aux",)):
                return COMMITMENT
        elif _passive_request_for_action(t):
            return COMMITMENT  # "the Ministry was tasked with connecting / was asked to complete"
    if _phrase_re("commitment", "target_phrases").search(low):
        return COMMITMENT
    adverbs = _lws("commitment", "directive_adverbs")
    for t in toks:
        if t.lower_ in adverbs and t.head.tag_ in ("VB", "VBP", "VBZ") and not _has_aux(t.head, ("have",)):
            return COMMITMENT
    if _imperative(toks, low, a):
        return COMMITMENT
    # 3. results: past / perfect / progressive verbs that are not speech verbs, result phrases
    for t in toks:
        lem = t.lemma_.lower()
        if t.pos_ not in ("VERB", "AUX") or lem in speech:
            continue
        if t.tag_ == "VBD" and t.pos_ == "VERB":
            return PROGRESS
        if t.tag_ == "VBN" and (_has_aux(t, ("have",), ("aux",)) or _has_aux(t, ("be",), ("auxpass",))):
            return PROGRESS
        if t.tag_ == "VBG" and _has_aux(t, ("be",), ("aux",)):
            return PROGRESS
    # (a period still to come is a plan's time frame, not a result: "complete in the first quarter
    # of 2026" in a 2025 article does not report "in the first ...")
    future = low
    if published:
        for m in dates:
            if (m.start_date or "") > published and a <= m.start and m.end <= b:
                future = future[:m.start - a] + " " * (m.end - m.start) + future[m.end - a:]
    if _phrase_re("progress", "phrases").search(future):
        return PROGRESS
    # 3b. "three tasks that ministries must implement": a modal in a relative clause, no result verb
    if any(t.tag_ == "MD" and t.lower_ in modals for t in toks):
        return COMMITMENT
    # 4. a deadline, or a period still to come at publication ("complete ... in November 2025" in
    # an October article), makes a plan; anything else with a verb is a reported state
    if any(m.role == "deadline" for m in dates):
        return COMMITMENT
    if published and any((m.start_date or "") > published for m in dates):
        return COMMITMENT
    return PROGRESS if has_finite_verb(toks) or any(t.pos_ == "VERB" for t in toks) else None


def _in_reason_clause(sdoc, i: int) -> bool:
    """Whether the character ``i`` lies in an adverbial clause of reason or contrast ("as ...",
    "because ...", "while ..."): such a clause explains; it does not set the statement's kind."""
    tok = next((t for t in doc_tokens(sdoc) if t.idx <= i < t.idx + max(1, len(t.text))), None)
    marks = _lws("commitment", "reason_marks")
    while tok is not None and tok.head.i != tok.i:   # (spaCy makes a new Token object per access)
        if tok.dep_ == "advcl" and any(ch.dep_ == "mark" and ch.lower_ in marks for ch in tok.children):
            return True
        tok = tok.head
    return False


def _passive_request_for_action(t) -> bool:
    """A passive directing verb followed by the action requested ("was asked to complete",
    "was tasked with connecting"), not by a recipient ("were assigned to 56 agencies")."""
    for ch in t.children:
        if ch.dep_ == "xcomp" and ch.pos_ == "VERB":
            return True
        if ch.dep_ == "prep" and ch.lower_ in ("with", "to"):
            if any(g.dep_ == "pcomp" and g.tag_ in ("VBG", "VB") for g in ch.children):
                return True
    return False


def _imperative(toks, low: str, a: int) -> bool:
    """A base-form root verb without subject that opens the clause (after an introductory phrase
    closed by a comma, or adverbs): "Complete the database ...", "At the same time, promote ...".
    Not after a result word ("Currently use only 30% ..." is a word-order slip of a translation)."""
    root = next((t for t in toks if t.dep_ == "ROOT"), None)
    # the tagger reads an opening "Cut"/"Set" as past tense: without a subject it is a base form
    if root is None or root.tag_ not in ("VB", "VBP", "VBD") or root.pos_ != "VERB":
        return False
    if any(ch.dep_ in ("nsubj", "nsubjpass", "csubj", "expl", "aux", "auxpass") for ch in root.children):
        return False
    before = [t for t in toks if t.i < root.i]
    commas = [t for t in before if t.text == ","]
    lead = [t for t in before if t.i > commas[-1].i] if commas else before
    if any(t.pos_ not in ("ADV", "CCONJ", "PUNCT", "SPACE") for t in lead):
        return False
    prefix = low[:max(0, root.idx - a)]
    return not _phrase_re("progress", "phrases").search(prefix)


@lru_cache(maxsize=None)
def _comparison_re() -> re.Pattern:
    alts = "|".join(re.escape(w) for w in sorted(_lw("progress", "comparison_cues"), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.I)


def _comparison_base(before: str, mention: str) -> bool:
    """A comparison cue right before the date, or overlapping its cue word ("compared | to 2024")."""
    if "same period" in mention.lower():
        return True
    joined = before + mention
    return any(m.end() >= len(before) - 5 and m.start() < len(before) + 3
               for m in _comparison_re().finditer(joined))


def usable_dates(text: str, published: Optional[str]) -> list[DateMention]:
    """Date mentions that can be a deadline or an as-of date: not issue dates or event days."""
    out = []
    for m in find_dates(text, published):
        if m.role == "point" or not (m.end_date or m.start_date):
            continue
        before = text[max(0, m.start - 30):m.start].lower()
        if re.search(r"\b(dated|issued on|signed on)\s*$", before):
            continue
        if _comparison_base(before, m.text):
            continue  # "compared to 2024", "the same period last year": a comparison base
        if re.match(r"['’]s\b", text[m.end:m.end + 3]):
            continue  # "last year's target", "2025's plan": a date naming a thing, not when
        out.append(m)
    return out


_PREF = {
    COMMITMENT: ("deadline", "from", "period", None, "as_of"),
    # the start of a state that still holds ("in operation since August 18", "Since June 1, ... has
    # been applied at 42 banks") dates a progress record only when nothing else does
    PROGRESS: ("as_of", "period", "deadline", "from", None),
}


def choose_date(kind: str, dates: list[DateMention], text: str = "",
                published: Optional[str] = None) -> Optional[DateMention]:
    """The record's date among the clause's usable dates, by the kind's role preference. A plan's
    date still to come wins over a period already past at publication ("aims to reach 85% this year
    after reaching 76.8% in 2025"), and a scope ("the scheme for 2025-2030", "tasks assigned for
    2025") only dates a record that names no other date. A result cannot hold at a date after
    publication: a year-less "by December 31" or "by the end of the year" in a February report of
    results is last December."""
    scope = _lws("dates", "scope_cues")
    cands = [m for m in dates if not (kind == PROGRESS and m.role == "period" and _cumulative(text, m))]
    if kind == COMMITMENT and published:
        live = [m for m in cands if (m.end_date or "9999") >= published[:4] or m.role == "deadline"]
        cands = live or cands
    own = [m for m in cands if _cue_word(m) not in scope]
    cands = own or cands
    counting = _lw("dates", "count_start_words")
    if kind == PROGRESS and published:
        # a result is reported for a period that has ended rather than one still running: "Chairing
        # the first meeting in 2026 ..., the PM said the rate reached 77 per cent in 2025"
        cands = sorted(cands, key=lambda m: (m.end_date or "") > published)
    for role in _PREF[kind]:
        for m in cands:
            if kind == PROGRESS and role == "from" and any(w in m.text.lower() for w in counting):
                continue   # "Since the beginning of 2025, ... so far": where a count starts
            if m.role == role:
                if kind == PROGRESS and published and m.past_end and (m.end_date or "") > published:
                    m = replace(m, start_date=m.past_start, end_date=m.past_end)
                return m
    return None


def _cue_word(m: DateMention) -> str:
    return m.text.split()[0].lower() if m.text.split() else ""


def _cumulative(text: str, m: DateMention) -> bool:
    """A year-to-date reporting period ("in the first 8 months of the year", "10 months of 2025")
    frames a progress figure; it is not the figure's as-of date."""
    window = text[max(0, m.start - 30):m.end].lower()
    return bool(_ytd_re().search(window))


@lru_cache(maxsize=None)
def _ytd_re() -> re.Pattern:
    return re.compile(cues()["progress"]["cumulative_period"], re.I)


def split_points(text: str, dates: list[DateMention]) -> list[int]:
    """Cut positions so that each piece holds one of several different dates ("complete A by June 30,
    2026, and told B to finalise C by mid-March"), cut at the clause boundary between them (a
    semicolon, else ", and", else a comma, else "and"). Only dates with a cue word or a year cut: an
    unmarked "this year" frames the sentence ("earmarked 3% ... this year but only 18.4% had been disbursed by
    the end of June" is one statement), and a scope names a thing ("the tasks assigned for 2025").
    A list of tasks separated by semicolons whose last item carries its own deadline ("requested
    the Ministry to review ...; promote ...; complete tools ..., to be completed in September")
    gives that item a record of its own."""
    scope = _lws("dates", "scope_cues")
    dl = sorted((m for m in dates if m.end_date and _cue_word(m) not in scope
                 and (m.role is not None or re.search(r"\d{4}", m.text))), key=lambda m: m.start)
    cuts = []
    if len({m.end_date for m in dl}) >= SPLIT_MIN_DISTINCT_DATES:
        for prev, nxt in zip(dl, dl[1:]):
            if prev.end_date == nxt.end_date:
                continue
            gap = text[prev.end:nxt.start]
            cut = None
            for pat in (r";", r",\s+and\b", r",", r"\band\b"):
                hits = [m.start() for m in re.finditer(pat, gap)]
                if hits:
                    cut = prev.end + hits[-1]
                    break
            if cut is not None:
                cuts.append(cut)
    else:
        cut = task_list_cut(text, dates)
        if cut is not None:
            cuts.append(cut)
    return cuts


def task_list_cut(text: str, dates: list[DateMention]) -> Optional[int]:
    """The semicolon before the last item of a task list when only that item carries a deadline."""
    dl = [m for m in dates if m.role == "deadline" and m.end_date]
    if len(dl) != 1 or text.count(";") < 2:
        return None
    last = text.rfind(";", 0, dl[0].start)
    if last > 0 and not any(m.start < last for m in dates) and not _inside(last, quote_ranges(text)):
        return last
    return None


@lru_cache(maxsize=None)
def _tail_re() -> re.Pattern:
    alts = "|".join(re.escape(w) for w in sorted(_lw("progress", "baseline_cues"), key=len, reverse=True))
    return re.compile(rf",?\s+(?:{alts})\b", re.I)


def progress_tail(text: str, a: int, b: int) -> Optional[int]:
    """Where a plan's clause ``[a, b)`` hands over to the result it starts from ("aims to have 85% ...
    this year *after reaching 76.8% in 2025*", "extend 5G coverage to 90% ... *up from about 62% at
    present*"): the cut, when both sides hold a figure; else None."""
    for m in _tail_re().finditer(text, a, b):
        if find_figures(text[m.end():b]) and find_figures(text[a:m.start()]):
            return m.start()
    return None


def _pieces(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    bounds = [0, *cuts, len(text)]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        while a < b and (text[a] in " ,;" or text[a:a + 4].lower() == "and "):
            a += 4 if text[a:a + 4].lower() == "and " else 1
        while b > a and text[b - 1] in " ,;":
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def anchor_figures(text: str, figures: list[Figure]) -> list[Figure]:
    """Figures that measure something (not "at all three levels")."""
    nab = _non_anchor_before_re()
    return [f for f in figures if not nab.search(text[:f.text_start or 0])]


def action_phrase(sdoc, a: int, b: int) -> Optional[str]:
    """Short verb phrase of what is to be done / was done, from the dependency parse: the verb
    that a directing or speech verb governs ("requested X to *review and arrange ...*"), else the
    main verb (or the clausal complement of a copula: "the goal is that ... *will be provided*"),
    cut at the first comma or semicolon."""
    toks = [t for t in doc_tokens(sdoc) if a <= t.idx < b]
    if not toks:
        return None
    request = _lws("commitment", "request_verbs")
    speech = _lws("progress", "speech_verbs")
    inside = lambda t: a <= t.idx < b  # noqa: E731

    def complement(t):
        c = next((c for c in t.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")
                  and inside(c)), None)
        if c is None and t.lemma_.lower() in request:
            # "was tasked with connecting ...", "assigned the Ministry, to connect ...": the task below
            c = next((g for ch in t.children if ch.dep_ == "prep" and ch.lower_ in ("with", "to")
                      for g in ch.children if g.dep_ == "pcomp" and g.pos_ == "VERB" and inside(g)), None) \
                or next((d for d in t.subtree if d is not t and d.pos_ == "VERB" and inside(d)
                         and any(x.tag_ == "TO" for x in d.children)), None)
        return c

    verb = None
    for t in toks:
        if t.pos_ == "VERB" and t.lemma_.lower() in request | speech and t.dep_ not in ("acl", "amod"):
            verb = complement(t)
            if verb is not None:
                break
    if verb is None:
        roots = [t for t in toks if t.dep_ == "ROOT" or (t.head.i == t.i)]
        root = roots[0] if roots else toks[0].sent.root
        if root.lemma_.lower() in speech | request or root.lemma_ == "be":
            verb = complement(root) or next((c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB"
                                             and c.lemma_.lower() not in speech and inside(c)), None)
        elif root.pos_ in ("VERB", "AUX") and inside(root):
            verb = root
        if verb is None and root.pos_ == "VERB" and inside(root):
            verb = root  # "679 tasks were assigned to 56 agencies", "the ministry reported on ..."
    never = _lws("action", "never_verbs")
    if verb is None or verb.lemma_.lower() in never:
        verb = next((t for t in toks if t.pos_ == "VERB" and t.dep_ in ("ccomp", "xcomp", "conj", "relcl", "advcl")
                     and t.lemma_.lower() not in speech and t.lemma_.lower() not in never), None)
    if verb is None:
        return None
    verb = _purpose_verb(verb, inside)
    # a date is when, not what: the phrase stops at the first date expression after the verb
    spans = [(m.start, m.end) for m in find_dates(doc_text(sdoc), None)]
    in_date = lambda t: any(s <= t.idx < e for s, e in spans)  # noqa: E731
    words = []
    after_date = False
    for t in sdoc[verb.i:verb.right_edge.i + 1]:
        if t.idx >= b:
            break
        if words and in_date(t):
            after_date = True   # "must complete by December 31, 2025 the national database": read past it
            continue
        if t.text in (",", ";", ":", "("):
            if after_date and t.text == ",":
                continue        # the comma that closes the skipped date
            if words:
                break
        after_date = False
        words.append(t)
        if len(words) >= ACTION_MAX_TOKENS:
            break
    while words and (words[-1].is_punct or words[-1].pos_ in ("CCONJ", "ADP", "DET", "PART", "AUX")):
        words.pop()
    if not words:
        return None
    if _has_aux(verb, ("be", "get"), ("auxpass",)):
        # passive: the task is done to the subject ("890 procedures were cut" -> "cut 890 procedures",
        # "the draft Law is to be completed in Q2" -> "complete the draft Law")
        holders = [verb] + ([verb.head] if verb.dep_ in ("xcomp", "ccomp", "conj") else [])
        subj = next((c for h in holders for c in h.children if c.dep_ in ("nsubjpass", "nsubj") and inside(c)), None)
        if subj is not None and subj.pos_ in ("NOUN", "PROPN", "NUM") and subj.i < verb.i:
            obj = []
            for t in sdoc[subj.left_edge.i:subj.right_edge.i + 1]:
                if t.text in (",", ";", ":", "("):
                    if obj:
                        break
                    continue
                if not in_date(t):
                    obj.append(t)
            planned = any(c.tag_ in ("MD", "TO") for h in holders for c in h.children)
            head = verb.lemma_ if planned else words[0].text
            glue = lambda ts: "".join(t.text_with_ws for t in ts[:-1]) + ts[-1].text if ts else ""  # noqa: E731
            obj_s = glue(obj)
            if obj and obj[0].pos_ == "DET":
                obj_s = obj_s[0].lower() + obj_s[1:]
            rest = glue(words[1:])
            out = " ".join(x for x in ([head, rest, obj_s] if len(words) > 1 and words[1].pos_ == "CCONJ"
                                       else [head, obj_s, rest]) if x)
            ws = out.split()[:ACTION_MAX_TOKENS + 4]
            while len(ws) > 1 and ws[-1].lower() in ("and", "or", "of", "the", "a", "an", "to", "in", "with"):
                ws.pop()
            return " ".join(ws)
    return "".join(t.text_with_ws for t in words[:-1]) + words[-1].text


def _purpose_verb(verb, inside):
    """A verb of presiding or coordinating gives way to the task it serves: "preside over and
    coordinate with ministries to *submit the draft Law ...*" (the first verb with "to" below it)."""
    light = _lws("action", "light_verbs")
    if verb.lemma_.lower() not in light:
        return verb
    for t in verb.subtree:
        if t is verb or not inside(t) or t.pos_ != "VERB" or t.lemma_.lower() in light:
            continue
        if any(c.tag_ == "TO" or (c.dep_ == "aux" and c.lower_ == "to") for c in t.children):
            return t
    # a translation may drop the "to": "take the lead and coordinate with ministries finalize ..."
    return next((t for t in verb.subtree if t.i > verb.i and inside(t) and t.pos_ == "VERB"
                 and t.lemma_.lower() not in light and t.dep_ in ("conj", "xcomp", "advcl", "ccomp", "dep")), verb)


def statement_id(doc_id: str, start: int, end: int, clause: int) -> str:
    return hashlib.sha1(f"{doc_id}|{start}|{end}|{clause}".encode("utf-8")).hexdigest()[:16]


# ------------------------------------------------------------------ per document
@dataclass
class _Draft:
    sent_index: int
    clause: int
    kind: str
    text: str
    figures: list[Figure]
    date: Optional[DateMention]
    actors: list[Mention]
    action: Optional[str]
    as_of: Optional[DateMention] = None
    extra: dict = field(default_factory=dict)
    read_from: str = "english"
    warnings: list[str] = field(default_factory=list)
    # where the record's own clause sits in the English sentence, when a sentence states a plan and
    # a result apart ("aims to reach 85% this year | after reaching 76.8% in 2025"): an English
    # record then quotes its clause, not the whole sentence
    span: Optional[tuple[int, int]] = None


def _tokens(s: str) -> set[str]:
    return {t.lower() for t in _TOK.findall(s)}


def list_anchor(sdoc, a: int, b: int) -> Optional[str]:
    """An announced task list in ``[a, b)``: "here" when its items follow in the same sentence
    (after a colon, or the main or a directing verb), "next" when the sentence only announces it
    ("... pointed out three specific tasks to focus on."), else None."""
    text = doc_text(sdoc)
    masked = _mask(text, quote_ranges(text))
    m = _list_re().search(masked, a, b)
    if m is None:
        return None
    if ":" in masked[m.end():b]:
        return "here"
    request = _lws("commitment", "request_verbs")
    for t in doc_tokens(sdoc):
        if m.end() <= t.idx < b and ((t.pos_ == "VERB" and t.lemma_.lower() in request) or t.dep_ == "ROOT"):
            return "here"
    return "next"


def analyse_sentence(sdoc, published: Optional[str], place: Optional[Body], k: int = 0,
                     carried_list: bool = False, reporters: Optional[list] = None,
                     ministry: Optional[Body] = None) -> tuple[list[_Draft], bool]:
    """Statement drafts of one parsed English sentence, and whether it announces a task list
    whose items follow in the next sentence. ``reporters``, when given, receives the bodies the
    sentence names as reporting ("according to the Ministry's report", "the Ministry reported")."""
    text = doc_text(sdoc)
    if not text.strip() or is_veto(text):
        return [], False
    mentions = find_mentions(sdoc, place, ministry)
    if reporters is not None:   # only a report carries on ("according to X's report", "X reported"), not a remark
        cue = _phrase_re("actors", "report_carry_cues")
        reporters.extend(m for m in responsible(mentions)
                         if m.role == "reporter" and cue.search(text[max(0, m.start - 40):m.end + 40]))
    if not has_finite_verb(doc_tokens(sdoc)) and not _telegraphic_result(sdoc):
        return [], False
    announces = list_anchor(sdoc, 0, len(text)) == "next"
    dates = usable_dates(text, published)
    sent_actors = responsible(mentions)
    weak = _lws("anchors", "weak_actor_types")
    whole_kind = classify(sdoc, 0, len(text), dates, published)
    out: list[_Draft] = []
    pieces = _pieces(text, split_points(text, dates)) or [(0, len(text))]
    forced: dict[int, str] = {}   # piece index -> kind: a result stated inside a plan's sentence
    if whole_kind == COMMITMENT:
        for j in range(len(pieces) - 1, -1, -1):
            a, b = pieces[j]
            cut = progress_tail(text, a, b)
            if cut is not None:
                tail = _pieces(text[:b], [cut])[-1]
                pieces[j:j + 1] = [(a, cut), tail]
                forced[j + 1] = PROGRESS
    # a result inside a plan's sentence, or a dated last item of a task list, is a statement of its own
    # and quotes its own clause
    own_clause = bool(forced) or task_list_cut(text, dates) is not None
    for idx, (a, b) in enumerate(pieces):
        ptext = text[a:b]
        pdates = [m for m in dates if a <= m.start < b]
        kind = forced.get(idx) or (classify(sdoc, a, b, pdates, published) if len(pieces) > 1 else whole_kind)
        if kind is None:
            kind = whole_kind
        if kind is None:
            continue
        warns: list[str] = []
        figs = find_figures(ptext, warns)
        warns += date_warnings(ptext) + range_warnings(ptext, published)
        anchors = anchor_figures(ptext, figs)
        if announces:
            # "pointed out three specific tasks to focus on.": the count, in words, of a list announced
            # for the next sentence measures nothing
            lm = _list_re().search(_mask(text, quote_ranges(text)), a, b)
            anchors = [f for f in anchors if lm is None or any(ch.isdigit() for ch in f.text)
                       or not (lm.start() <= a + (f.text_start or 0) < lm.end())]
        own = responsible([m for m in mentions if a <= m.start < b])
        actors = own or sent_actors
        date = choose_date(kind, pdates, text, published)
        as_of = next((m for m in pdates if m.role == "as_of"), None)
        if kind == COMMITMENT:
            strong_actor = any(m.type not in weak for m in actors)
            listed = list_anchor(sdoc, a, b) == "here" or (carried_list and idx == 0)
            keep = bool(anchors or date or strong_actor or listed or warns)
        else:
            # a figure skipped as unreadable still makes a measured result: kept, with its warning
            keep = bool(anchors or warns) and _reports_a_result(sdoc, a, b)
        if not keep:
            continue
        out.append(_Draft(k, idx, kind, ptext, figs, date, actors, action_phrase(sdoc, a, b), as_of,
                          warnings=warns, span=(a, b) if own_clause else None))
    return out, announces and not out


def reference_date(doc: Document) -> Optional[str]:
    """The date that year-less and relative dates ("this year", "in the first quarter") are read
    against: the publication date; for an article without one, 1 January of the one year its title
    names ("PM: Digital economy to account for 20% of GDP in 2025"), else none (those dates stay
    unresolved). The document's own ``published`` is left as it is."""
    if doc.published:
        return doc.published
    years = set(re.findall(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/.-])", doc.title or ""))
    return f"{years.pop()}-01-01" if len(years) == 1 else None


def extract_parsed(doc: Document, sentences: list[Sentence], sdocs: list, title_doc=None) -> list[Statement]:
    """Statements of one document from its sentences and their parsed English (same order)."""
    published = reference_date(doc)
    place: Optional[Body] = None
    if title_doc is not None:
        named = places_named(title_doc) or places_in_text(doc.title or "", doc.lang or "en")
        place = named[-1] if named else None
    drafts: list[_Draft] = []
    prev_as_of: Optional[DateMention] = None
    carry = False
    reporters: list[Mention] = []   # the body whose report the paragraph gives
    last_ministry: Optional[tuple[Body, int]] = None   # the ministry named last, for "the ministry"
    src_ctx = source.Context()
    for k, (sent, sdoc) in enumerate(zip(sentences, sdocs)):
        same_para = k > 0 and "\n" not in doc.text[sentences[k - 1].source_end:sent.source_start]
        if not same_para:
            prev_as_of, carry = None, False
            reporters = []
        named: list[Mention] = []
        recent = last_ministry[0] if last_ministry and k - last_ministry[1] <= MINISTRY_ANAPHOR_SENTENCES else None
        ds, carry = analyse_sentence(sdoc, published, place, k, carried_list=carry, reporters=named,
                                     ministry=recent)
        for e in sdoc.ents:
            b = bodies_by_name().get(e.ent_id_) if e.label_ == "GOV" and e.ent_id_ else None
            if b is not None and b.type == "ministry":
                last_ministry = (b, k)
        if source.supported(doc.lang) and not sent.caption:
            # the source sentence's own dates, actors and figures (pipeline/extract/source.py)
            ds = source.refine(ds, source.read(sent.source, doc.lang, published), doc_text(sdoc),
                               usable_dates(doc_text(sdoc), published),
                               lambda kind, a, b, n: _piece(sdoc, k, kind, a, b, n, published), src_ctx)
        for d in ds:
            if INHERIT_AS_OF_DATE and d.kind == PROGRESS and d.date is None and prev_as_of is not None:
                d.date = prev_as_of
            if INHERIT_REPORTER and d.kind == PROGRESS and not d.actors and reporters:
                d.actors = list(reporters)   # figures of a report paragraph are the reporter's
        reporters = named or reporters
        drafts.extend(ds)
        sent_as_of = next((m for m in usable_dates(doc_text(sdoc), published) if m.role == "as_of"), None) \
            if ds or "as of" in doc_text(sdoc).lower() else None
        prev_as_of = sent_as_of
        named = places_named(sdoc) or (places_in_text(sent.source, doc.lang) if doc.lang != "en" else [])
        if named:
            place = named[-1]
        release(sdoc)
    if title_doc is not None:
        release(title_doc)
    drafts = _drop_caption_repeats(drafts, sentences)
    drafts = _drop_headlines(drafts, sentences, doc.text)
    out: list[Statement] = []
    seen: set[tuple[str, str]] = set()
    for d in drafts:
        sent = sentences[d.sent_index]
        key = (d.kind, d.text.strip().lower())
        if key in seen:
            continue
        seen.add(key)
        src, s0, s1 = sent.source, sent.source_start, sent.source_end
        if d.span is not None and sent.english == sent.source and (doc.lang or "en") == "en":
            a, b = d.span
            src, s0, s1 = sent.source[a:b], sent.source_start + a, sent.source_start + b
        out.append(source.attach_spans(Statement(
            id=statement_id(doc.doc_id, sent.source_start, sent.source_end, d.clause),
            doc_id=doc.doc_id,
            cluster_id=doc.cluster_id,
            kind=d.kind,
            action=d.action,
            text=d.text,
            source_text=src,
            lang=doc.lang or "en",
            actors=[m.actor() for m in d.actors],
            figures=d.figures,
            date=to_datespan(d.date, d.kind) if d.date is not None else None,
            source_start=s0,
            source_end=s1,
            engine=sent.engine,
            translation_warnings=list(sent.warnings),
            caption=sent.caption,
            read_from=d.read_from,
            warnings=list(d.warnings),
        ), d.extra))
    return out


def _piece(sdoc, k: int, kind: Optional[str], a: int, b: int, clause: int, published: Optional[str]) -> _Draft:
    """A draft of the English ``[a, b)`` of a sentence, for a statement the source reader found or
    cut out (figures and action from the English, kind from the English rules unless given; date
    and actors are then the source reading's)."""
    text = doc_text(sdoc)
    if kind is None:
        kind = classify(sdoc, a, b, [m for m in usable_dates(text, published) if a <= m.start < b], published)
    return _Draft(k, clause, kind, text[a:b], find_figures(text[a:b]), None, [], action_phrase(sdoc, a, b))


def _drop_caption_repeats(drafts: list[_Draft], sentences: list[Sentence]) -> list[_Draft]:
    """A caption that repeats a body sentence (near-same English or the same figures) is dropped."""
    body_tokens = [_tokens(s.english) for s in sentences if not s.caption]
    body_figs = [sorted(f.value for f in d.figures) for d in drafts if not sentences[d.sent_index].caption]
    keep = []
    for d in drafts:
        if sentences[d.sent_index].caption:
            cap = _tokens(sentences[d.sent_index].english) - {"photo"}
            cov = max((len(cap & bt) / max(1, len(cap)) for bt in body_tokens), default=0.0)
            figs = sorted(f.value for f in d.figures)
            if cov >= CAPTION_DUP_COVERAGE or (figs and figs in body_figs):
                continue
        keep.append(d)
    return keep


def _drop_headlines(drafts: list[_Draft], sentences: list[Sentence], text: str) -> list[_Draft]:
    """A headline at the top of the text (a line of its own without final punctuation, before the
    first punctuated sentence) whose words the body repeats is not a statement of its own."""
    top: set[int] = set()
    for k, sent in enumerate(sentences):
        src = sent.source.strip()
        if sent.caption or re.search(r"[.!?…:;\"”»)]$", src):
            break
        if "\n" in text[sent.source_end:sent.source_end + 1] or sent.source_end >= len(text.rstrip()):
            top.add(k)
    if not top:
        return drafts
    body: set[str] = set()
    for k, sent in enumerate(sentences):
        if k not in top:
            body |= _tokens(sent.english)
    keep = []
    for d in drafts:
        head = _tokens(sentences[d.sent_index].english)
        if d.sent_index in top and head and len(head & body) / len(head) >= CAPTION_DUP_COVERAGE:
            continue
        keep.append(d)
    return keep
