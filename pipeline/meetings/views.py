"""What the reports (`commitments diff`) render: one MeetingView per meeting, read from a run's outputs."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Optional

from pydantic import BaseModel

from pipeline.io import read_jsonl
from pipeline.meetings.outlets import OutletColumn, outlet_columns
from pipeline.meetings.stage import OutputsMissing, build, read_clusters, read_docs
from pipeline.records import Cluster, MeetingCommitment, TrackingLink


class MeetingView(BaseModel):
    """Everything one meeting's report shows."""

    cluster: Cluster
    columns: list[OutletColumn]
    commitments: list[MeetingCommitment]
    earlier: list[TrackingLink] = []   # links from this meeting's rows back to earlier commitments
    later: list[TrackingLink] = []     # links from later meetings' rows to this meeting's commitments


def load_views(out_dir: str | Path) -> list[MeetingView]:
    """Meeting views for the report: from meetings.jsonl / tracking.jsonl when present, else merged now."""
    out_dir = Path(out_dir)
    for name in ("documents.jsonl", "clusters.jsonl", "commitments.jsonl"):
        if not (out_dir / name).exists():
            raise OutputsMissing(f"no {name} in {out_dir} (run `commitments extract --out {out_dir}` first)")
    meetings_path, tracking_path = out_dir / "meetings.jsonl", out_dir / "tracking.jsonl"
    stale = not meetings_path.exists() or not tracking_path.exists() or \
        meetings_path.stat().st_mtime < (out_dir / "commitments.jsonl").stat().st_mtime
    if stale:
        clusters, docs, per_cluster, links = build(out_dir)
        rows_of = {c.cluster_id: rows for c, rows in zip(clusters, per_cluster)}
    else:
        docs = read_docs(out_dir)
        clusters = read_clusters(out_dir)
        rows_of = defaultdict(list)
        for rec in read_jsonl(meetings_path):
            row = MeetingCommitment.model_validate(rec)
            rows_of[row.cluster_id].append(row)
        links = [TrackingLink.model_validate(r) for r in read_jsonl(tracking_path)]
    earlier, later = defaultdict(list), defaultdict(list)
    for link in links:
        earlier[link.from_cluster].append(link)
        later[link.to_cluster].append(link)
    views = []
    for c in clusters:
        columns, _ = outlet_columns(c, docs)
        views.append(MeetingView(cluster=c, columns=columns, commitments=rows_of.get(c.cluster_id, []),
                                 earlier=earlier.get(c.cluster_id, []), later=later.get(c.cluster_id, [])))
    return views


def find_view(views: list[MeetingView], key: str) -> Optional[MeetingView]:
    """The meeting named by a cluster_id, or by a doc_id of one of its reports."""
    for v in views:
        if v.cluster.cluster_id == key:
            return v
    for v in views:
        if key in v.cluster.doc_ids:
            return v
    return None
