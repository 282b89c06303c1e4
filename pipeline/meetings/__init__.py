"""The meeting view: per meeting, one row per fact with the outlets that carried it, where they
disagree and who left it out; across meetings, what became of earlier commitments.

One job per module:
    outlets   who reported a meeting: one column per original article, copies inside it
    features  the parts a comparison reads: metrics of figures, values, units, deadlines, words
    embed     sentence embeddings (multilingual-e5), cached by content
    rows      same-fact grouping within one meeting (blocking, pair verdicts, best-first joining)
    conflicts one row from one fact's statements: agreement, conflicts, less detail
    tracking  links from a later meeting's row to the earlier commitment it follows up
    stage     the run's meeting stage: meetings.jsonl + tracking.jsonl, batched, cached
    views     what the reports render (MeetingView)
    score     the meeting-view evaluation (same-fact groups, conflicts, tracking links)

Everything here reads records only (Statement, Document, Cluster), never another stage's internals.
"""
from pipeline.meetings.embed import Embedder, embed_chunk
from pipeline.meetings.features import figure_label, human_number
from pipeline.meetings.outlets import DocInfo, OutletColumn, outlet_columns
from pipeline.meetings.rows import merge_cluster
from pipeline.meetings.stage import OutputsMissing, build, merge_batch, write_meeting_outputs
from pipeline.meetings.tracking import track
from pipeline.meetings.views import MeetingView, find_view, load_views

__all__ = ["DocInfo", "Embedder", "MeetingView", "OutletColumn", "OutputsMissing", "build", "embed_chunk",
           "figure_label", "find_view", "human_number", "load_views", "merge_batch", "merge_cluster",
           "outlet_columns", "track", "write_meeting_outputs"]
