"""Typed records: the only things passed between stages, and the output contract.

Every output file is a stream of one of these models, serialised with ``model_dump(mode="json")``.
The JSON Schema in ``outputs/schema/`` is generated from them (``commitments schema``), never by hand.
Field order here is the key order in the JSONL files, so keep it stable.

The contract's version is ``SCHEMA_VERSION`` (semantic versioning: a renamed, removed or retyped field is a
major change, an added field a minor one); every record carries it, and CHANGELOG.md lists each change.
Naming: ``start``/``end`` are ISO dates (inside ``date``); character offsets are ``source_start``/``source_end``
(into source-language text: a document's ``text``, a statement's ``source_text``) or ``text_start``/``text_end``
(into a statement's English ``text``). Every field is written on every record (null when unknown).
"""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

SCHEMA_VERSION = "2.0.0"
SchemaVersion = Literal["2.0.0"]
Status = Literal["ok", "rejected"]
Kind = Literal["commitment", "progress"]
Lang = Literal["en", "de", "vi"]
LANGS: tuple[str, ...] = ("en", "de", "vi")
# An ISO date (YYYY-MM-DD) kept as a string in Python; published as `format: date` in the JSON Schema.
IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


def _version_field():
    return Field(default=SCHEMA_VERSION, description="version of this output contract (see CHANGELOG.md); "
                 "a consumer checks it before reading the other fields")


class _Record(BaseModel):
    # the published schema describes records as written: every field present (defaults included)
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Span(_Record):
    """Character offsets ``[source_start, source_end)`` into a document's cleaned ``text``."""

    source_start: int = Field(ge=0, description="offset of the first character in Document.text")
    source_end: int = Field(ge=0, description="offset just after the last character in Document.text")


class Sentence(_Record):
    """One source sentence beside its English translation (provenance for every statement)."""

    source_start: int = Field(ge=0, description="offset of the source sentence (`source`) in Document.text")
    source_end: int = Field(ge=0, description="offset just after the source sentence in Document.text")
    source: str = Field(description="the sentence verbatim, in the document's language")
    english: str = Field(description="English text (the source itself for English documents)")
    engine: str = Field(description="engine that produced `english`: identity, lexicon, marian, ctranslate2")
    model: Optional[str] = Field(default=None, description="model name/version, e.g. lexicon-vi@1 or opus-mt-de-en")
    caption: bool = Field(default=False, description="sentence comes from a photo caption")
    warnings: list[str] = Field(default_factory=list, description="fidelity warnings (figures lost or invented)")


class Translation(_Record):
    """The document's English, sentence by sentence."""

    engine: str = Field(description="the engines that translated its sentences, joined by '+' when more than "
                        "one: lexicon, marian, ctranslate2, identity")
    model: Optional[str] = Field(default=None, description="their model names/versions joined by '+' "
                                 "(lexicon-vi@<hash>, opus-mt-vi-en), null when none")
    sentences: list[Sentence] = Field(default_factory=list, description="every sentence of `text` in order, "
                                      "with its English")
    warnings: list[str] = Field(default_factory=list, description="the sentences' fidelity warnings, collected")


PublishedFrom = Literal["input", "html-meta", "byline", "url"]
EventKind = Literal["meeting", "notice", "decision", "directive", "conference", "campaign", "other"]


class Document(_Record):
    """One input article (or one rejected input), as written to ``documents.jsonl``."""

    model_config = ConfigDict(json_schema_extra={"allOf": [{
        "if": {"properties": {"status": {"const": "ok"}}, "required": ["status"]},
        "then": {"properties": {"lang": {"enum": list(LANGS)}}}}]})

    schema_version: SchemaVersion = _version_field()
    doc_id: str = Field(description="path relative to the corpus without extension (a file directly in the corpus: "
                        "its name without extension); for JSONL the line's `id` or `<file>#<line>`")
    path: str = Field(description="input path relative to the corpus root (with `#line` for JSONL lines)")
    status: Status = Field(description="ok: processed; rejected: not processed, `reason` says why")
    reason: Optional[str] = Field(default=None, description="why the input was rejected, for a person to read")
    lang: Optional[str] = Field(default=None, description="ISO 639-1 language of the body: en, de or vi for an ok "
                                "document (the schema's enum); a rejected one may carry the language it was found "
                                "or declared to be in, or null")
    published: Optional[IsoDate] = Field(default=None, description="publication date, ISO YYYY-MM-DD, or null "
                                         "(never guessed)")
    published_from: Optional[PublishedFrom] = Field(
        default=None, description="where `published` was read: the input's own field, the HTML metadata, a "
        "byline or header line, or a date code in the URL; null when there is no date")
    published_note: Optional[str] = Field(
        default=None, description="why a date the input states was not taken as `published` (not a calendar "
        "date, after the run's day, two conflicting byline dates); null otherwise")
    url: Optional[str] = Field(default=None, description="the article's URL (a Source: line, the HTML canonical "
                               "link, or the input's own field), or null")
    outlet: Optional[str] = Field(default=None, description="host name of the source, without www.")
    title: Optional[str] = Field(default=None, description="the headline, or null when none was found")
    text: str = Field(default="", description="cleaned article body; paragraphs separated by blank lines")
    captions: list[Span] = Field(default_factory=list, description="spans of `text` that are photo captions")
    content_hash: Optional[str] = Field(default=None, description="sha256 of the cleaned text (cache key)")
    cluster_id: Optional[str] = Field(default=None, description="meeting cluster (see clusters.jsonl)")
    duplicate_of: Optional[str] = Field(default=None, description="doc_id of the earlier article this one copies or translates")
    translation: Optional[Translation] = Field(default=None, description="sentence-aligned English; null for English documents")
    warnings: list[str] = Field(default_factory=list, description="what was repaired or skipped while reading the "
                                "input (bytes that are not UTF-8, lone surrogates, NUL characters, a file name that "
                                "is not UTF-8, an absurd number, an overlong sentence cut into parts), one message each")


class Figure(_Record):
    """A number a statement gives, normalised."""

    value: float = Field(description="the number, scale words applied ('3.2 million' -> 3200000.0); negative only "
                         "when written with a minus sign")
    unit: Optional[str] = Field(default=None, description="normalised unit: '%', 'VND', 'tasks', 'administrative procedures', …")
    text: str = Field(description="the figure as written in the English text")
    qualifier: Optional[str] = Field(default=None, description="over, more than, nearly, about, at least, …")
    text_start: Optional[int] = Field(default=None, description="offset of the figure in the statement's English `text`")
    text_end: Optional[int] = Field(default=None, description="offset just after the figure in the statement's English `text`")
    source_start: Optional[int] = Field(default=None, description="offset of the figure in the statement's `source_text` "
                                        "(null when only the English was read)")
    source_end: Optional[int] = Field(default=None, description="offset just after the figure in `source_text`")


DateRole = Literal["deadline", "start", "as_of", "period"]


def date_role(kind: str, cue_role: Optional[str] = None, start: Optional[str] = None,
              end: Optional[str] = None) -> DateRole:
    """What a statement's date means, from the statement's kind and the role of the date's cue word.

    A commitment's date is its deadline (``end``), or the day it starts to apply when the cue says
    "from" ("from July 1, 2025": ``start`` = ``end`` = that day). A progress statement's date is the
    day its figure stands at (``as_of``: "as of September 23"), or the period it counts over
    (``period``: "in the first eight months of 2025", ``start`` … ``end``, the figure standing at ``end``).
    """
    if kind == "commitment":
        return "start" if cue_role == "from" else "deadline"
    if cue_role != "as_of" and start and end and start != end:
        return "period"
    return "as_of"


class DateSpan(_Record):
    """A statement's date expression, resolved to ISO dates."""

    text: str = Field(description="the date expression as written in the English text")
    role: Optional[DateRole] = Field(
        default=None, description="what the date means for its statement: deadline (a commitment's deadline, "
        "`end`), start (a commitment applying from `start`), as_of (the day a progress figure stands at, `end`), "
        "period (the period a progress figure counts over, `start`..`end`); null only outside a statement")
    start: Optional[IsoDate] = Field(default=None, description="ISO date, first day of the expressed period "
                                 "(null for a deadline with no start, or when unresolvable)")
    end: Optional[IsoDate] = Field(default=None, description="ISO date, last day of the expressed period: the "
                               "deadline (commitment) or the as-of date (progress); null when unresolvable")
    source_start: Optional[int] = Field(default=None, description="offset of the date expression in the statement's "
                                        "`source_text` (null when only the English was read)")
    source_end: Optional[int] = Field(default=None, description="offset just after the date expression in "
                                      "`source_text`")


class Actor(_Record):
    """A state body a statement is about (assigned to act, reporting, or acting)."""

    name: str = Field(description="canonical English name from the gazetteer, or the surface name if unknown")
    text: str = Field(description="the mention as it appears in the English text")
    known: bool = Field(default=True, description="false when found by NER but not in the gazetteer")
    source_start: Optional[int] = Field(default=None, description="offset of the mention in the statement's `source_text` "
                                        "(null when only the English was read)")
    source_end: Optional[int] = Field(default=None, description="offset just after the mention in `source_text`")


class Statement(_Record):
    """One commitment or progress statement, as written to ``commitments.jsonl``."""

    schema_version: SchemaVersion = _version_field()
    id: str = Field(description="stable id: hash of doc_id, source span and clause index")
    doc_id: str = Field(description="the document it was read from (documents.jsonl)")
    cluster_id: Optional[str] = Field(default=None, description="the document's meeting (clusters.jsonl)")
    kind: Kind = Field(description="commitment: a future obligation, target, request or plan; progress: something "
                       "done or measured")
    action: Optional[str] = Field(default=None, description="short phrase of what is to be done / was done")
    text: str = Field(description="the English sentence (or clause)")
    source_text: str = Field(description="the sentence verbatim in the document's language (the clause the record "
                             "was read from, when a Vietnamese or German sentence mixes a commitment and a result)")
    lang: Lang = Field(description="the document's language")
    actors: list[Actor] = Field(default_factory=list, description="state bodies responsible for it (or reporting it)")
    figures: list[Figure] = Field(default_factory=list, description="the numbers it gives")
    date: Optional[DateSpan] = Field(default=None, description="the statement's date expression: deadline "
                                     "(commitment) or as-of date / period (progress), see `role`")
    deadline: Optional[IsoDate] = Field(default=None, description="ISO deadline: `date.end` when `date.role` is "
                                        "deadline, else null")
    as_of: Optional[IsoDate] = Field(default=None, description="ISO date a progress figure stands at: `date.end` "
                                     "when `date.role` is as_of or period, else null")
    source_start: int = Field(ge=0, description="offset of `source_text` in the document's `text` (documents.jsonl)")
    source_end: int = Field(ge=0, description="offset just after `source_text` in the document's `text`")
    engine: str = Field(default="identity", description="translation engine that produced `text`")
    translation_warnings: list[str] = Field(default_factory=list, description="the sentence's translation "
                                            "fidelity warnings (a figure missing from the English or not in the source)")
    caption: bool = Field(default=False, description="statement taken from a photo caption")
    read_from: Literal["source", "english"] = Field(
        default="english", description="source: kind, date or actors were read from the source sentence "
                                       "(pipeline/extract/source.py); english: all from the English rules")
    warnings: list[str] = Field(default_factory=list, description="values skipped while reading the statement "
                                "(an absurd number, an impossible date), one message each; never a guessed value")

    @model_validator(mode="after")
    def _derive_dates(self):
        return _fill_dates(self)


def _fill_dates(rec):
    """``date.role`` (from the kind when the date has none) and the top-level ``deadline`` / ``as_of``,
    always derived from ``date``, so the three never disagree."""
    d = rec.date
    if d is not None and d.role is None:
        d = rec.date = d.model_copy(update={"role": date_role(rec.kind, None, d.start, d.end)})
    rec.deadline = d.end if d is not None and d.role == "deadline" else None
    rec.as_of = d.end if d is not None and d.role in ("as_of", "period") else None
    return rec


class ClusterDuplicate(_Record):
    """A document of the cluster that copies (or translates) another one."""

    doc_id: str = Field(description="the copy")
    duplicate_of: str = Field(description="the document it copies: the earliest report of the text")


class Cluster(_Record):
    """One meeting (or directive): every report about it, across languages and outlets."""

    schema_version: SchemaVersion = _version_field()
    cluster_id: str = Field(description="id of the event: 'm-' and a hash of its earliest report's doc_id")
    doc_ids: list[str] = Field(description="every document reporting it, sorted")
    canonical_doc_id: str = Field(description="the earliest report (dated before undated, then by doc_id)")
    date: Optional[IsoDate] = Field(default=None, description="meeting date (ISO) when known")
    label: str = Field(description="a name for people: number, committee and date when known")
    languages: list[Lang] = Field(default_factory=list, description="languages of its reports, sorted")
    outlets: list[str] = Field(default_factory=list, description="outlets of its reports, sorted")
    duplicates: list[ClusterDuplicate] = Field(default_factory=list, description="the copies among `doc_ids`, "
                                               "each with the document it copies (sorted by doc_id)")
    committee: Optional[str] = Field(default=None, description="canonical English name of the committee that "
                                     "held the event (pipeline/data/committees.toml), or null when unknown")
    event_kind: EventKind = Field(default="other", description="meeting (with the conclusion notices that report "
                                  "it), notice (a conclusion notice alone), decision (establishment or reshuffle), "
                                  "directive (or official dispatch), conference (or review), campaign, or other")
    number: Optional[int] = Field(default=None, description="the meeting's number ('the fourth meeting' -> 4)")
    number_scope: Optional[str] = Field(default=None, description="what `number` counts in: 'committee' (since "
                                        "the committee was set up) or a year ('2026': 'the first meeting of 2026')")

    def copies(self) -> dict[str, str]:
        """``duplicates`` as a mapping: copy's doc_id -> the doc_id it copies."""
        return {d.doc_id: d.duplicate_of for d in self.duplicates}


class RunInfo(_Record):
    """Run metadata (outputs/run.json): kept out of the records so outputs stay byte-identical."""

    schema_version: SchemaVersion = _version_field()
    pipeline_version: str = Field(description="version of the pipeline that wrote the outputs")
    corpus: str = Field(description="the corpus path as given to `commitments extract`")
    started: str = Field(description="when the run started, ISO 8601 date and time with offset",
                         json_schema_extra={"format": "date-time"})
    finished: str = Field(description="when it finished, ISO 8601 date and time with offset",
                          json_schema_extra={"format": "date-time"})
    seconds: float = Field(description="wall time of the run")
    documents: int = Field(description="documents written (ok + rejected)")
    ok: int = Field(description="documents processed")
    rejected: int = Field(description="documents rejected (each says why in documents.jsonl)")
    languages: dict[str, int] = Field(description="ok documents per language code")
    statements: int = Field(description="records in commitments.jsonl")
    clusters: int = Field(description="records in clusters.jsonl")
    engines: dict[str, str] = Field(default_factory=dict, description="translation engine used per language")
    cache_hits: int = Field(default=0, description="documents served from the per-document cache")


# ---------------------------------------------------------------- meeting view and tracking (pipeline/meetings/)
ConflictField = Literal["figure", "date"]
DetailField = Literal["figure", "unit", "date", "actor"]
TrackRelation = Literal["progress", "restated", "revised", "deadline_moved"]


class MeetingSource(_Record):
    """One outlet's sentence behind a meeting-level commitment (provenance)."""

    doc_id: str = Field(description="the document the sentence is in (documents.jsonl)")
    outlet: str = Field(description="the outlet (column) this source counts for; a copy counts for its original's outlet")
    lang: Optional[Lang] = Field(default=None, description="the document's language")
    statement_id: str = Field(description="Statement.id in commitments.jsonl")
    copy_of: Optional[str] = Field(default=None, description="doc_id of the original when this document is a copy or translation")
    source_text: str = Field(description="the sentence verbatim in the document's language")
    text: str = Field(description="the English sentence")
    figures: list[Figure] = Field(default_factory=list, description="the statement's figures (as in commitments.jsonl)")
    date: Optional[DateSpan] = Field(default=None, description="the statement's date (as in commitments.jsonl)")
    actors: list[Actor] = Field(default_factory=list, description="the statement's actors (as in commitments.jsonl)")


class ConflictValue(_Record):
    """What one outlet says in a conflict."""

    outlet: str = Field(description="the outlet (a copy counts with its original's outlet)")
    value: str = Field(description="the value as the report shows it: a figure ('30%', '3.2 million billion VND') or an ISO date")
    text: Optional[str] = Field(default=None, description="as the outlet wrote it ('about 30%', 'by the end of the third quarter')")
    doc_ids: list[str] = Field(default_factory=list, description="the outlet's documents giving this value (original first, then copies)")
    statement_ids: list[str] = Field(default_factory=list, description="the statements (commitments.jsonl) giving it")


class Conflict(_Record):
    """One fact on which the outlets carrying it give different values or deadlines."""

    field: ConflictField = Field(description="what is disputed: a figure or a date")
    unit: Optional[str] = Field(default=None, description="for figure conflicts: the unit of the disputed figure")
    values: list[ConflictValue] = Field(description="one entry per outlet, outlets giving the same value next to each other")


class Detail(_Record):
    """An outlet that agrees but says less (no unit, no deadline, a rounder number, a vaguer period)."""

    field: DetailField = Field(description="what the outlet gives less of: figure, unit, date or actor")
    outlet: str = Field(description="the outlet giving less detail")
    note: str = Field(description="what it gives against what the others give, for a person to read")


class MeetingCommitment(_Record):
    """One fact of one meeting (a commitment or a progress figure), merged across the outlets reporting it (``meetings.jsonl``)."""

    schema_version: SchemaVersion = _version_field()
    id: str = Field(description="stable id: hash of cluster_id and the member statement ids")
    cluster_id: str = Field(description="the meeting (clusters.jsonl)")
    meeting_date: Optional[IsoDate] = Field(default=None, description="the meeting's date (Cluster.date), ISO")
    kind: Kind = Field(description="commitment or progress, as its statements")
    text: str = Field(description="a representative English text (the earliest-listed outlet's sentence)")
    action: Optional[str] = Field(default=None, description="short phrase of what is to be done / was done")
    figures: list[Figure] = Field(default_factory=list, description="the fact's figures that no outlet contradicts (the most detailed form)")
    date: Optional[DateSpan] = Field(default=None, description="the agreed deadline / as-of date; null when absent or disputed")
    deadline: Optional[IsoDate] = Field(default=None, description="ISO deadline: `date.end` when `date.role` is "
                                        "deadline, else null")
    as_of: Optional[IsoDate] = Field(default=None, description="ISO date a progress figure stands at: `date.end` "
                                     "when `date.role` is as_of or period, else null")
    actors: list[Actor] = Field(default_factory=list, description="the bodies its statements name, each once")
    outlets: list[str] = Field(description="outlets that carried it (copies counted with their original)")
    omitted_by: list[str] = Field(default_factory=list, description="outlets reporting the meeting that did not carry it")
    conflicts: list[Conflict] = Field(default_factory=list, description="facts the outlets give different values for")
    details: list[Detail] = Field(default_factory=list, description="outlets that agree but give less detail")
    sources: list[MeetingSource] = Field(description="every outlet sentence behind it, one per statement")

    @model_validator(mode="after")
    def _derive_dates(self):
        return _fill_dates(self)


class TrackingLink(_Record):
    """A later meeting's fact following up an earlier meeting's commitment on the same target (``tracking.jsonl``).

    Links run from the later row (``from_*``) to the earlier commitment (``to_*``)."""

    schema_version: SchemaVersion = _version_field()
    id: str = Field(description="stable id: hash of from_id and to_id")
    from_id: str = Field(description="MeetingCommitment.id of the later meeting's row")
    to_id: str = Field(description="MeetingCommitment.id of the earlier meeting's commitment")
    from_cluster: str = Field(description="the later meeting")
    to_cluster: str = Field(description="the earlier meeting")
    from_meeting_date: Optional[IsoDate] = Field(default=None, description="date of the later meeting")
    to_meeting_date: Optional[IsoDate] = Field(default=None, description="date of the earlier meeting")
    relation: TrackRelation = Field(description="progress: a later progress figure on the target; restated: the same target "
                                                "again; revised: a different target value; deadline_moved: the same target "
                                                "with another deadline")
    unit: Optional[str] = Field(default=None, description="unit of the shared metric; null for a task followed up without figures")
    from_value: Optional[float] = Field(default=None, description="the later value")
    to_value: Optional[float] = Field(default=None, description="the earlier target value")
    from_deadline: Optional[IsoDate] = Field(default=None, description="ISO deadline (or as-of date) of the later row")
    to_deadline: Optional[IsoDate] = Field(default=None, description="ISO deadline of the earlier commitment")
    deadline_changed: bool = Field(description="both are commitments giving a deadline, and the deadlines differ")
    similarity: float = Field(description="text similarity of the two rows (0-1), rounded to 3 places")
    confidence: float = Field(description="how sure the link is (0-1), rounded to 3 places; links under "
                                          "TRACK_MIN_CONFIDENCE are never written")
    from_text: str = Field(description="the later row's text")
    to_text: str = Field(description="the earlier commitment's text")
