#!/usr/bin/env python3
"""Benchmark: one wire story re-posted N times with small edits (issue 19 item 3, issue 17).

Two measurements, each in a fresh interpreter with the process tree's peak RSS sum and PSS sampled
(scripts/bench.py's TreeSampler):

  --mode run      the whole pipeline on N near-copies of a seed article (`commitments extract`, 2
                  workers), cold; then again with every per-document result cached but the meeting
                  stage's cache cleared (the attack's "even with every per-document result cached");
  --mode merge    the meeting stage alone (write_meeting_outputs on the pool) over a run's files
                  written here: the seed article's statements copied N times with one word changed per
                  copy, marked as copies (duplicate_of) or, with --unmarked, as N separate outlets.

  .venv/bin/python scripts/bench_copies.py --mode merge --copies 2000
  .venv/bin/python scripts/bench_copies.py --mode merge --copies 2000 --unmarked
  .venv/bin/python scripts/bench_copies.py --mode run --copies 2000

Target: 2,000 near-copies within 10 minutes on 2 cores, process tree under 2 GB PSS.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SEED = ROOT / "corpora" / "seeds" / "003_f43cbe7d55b3cf07.txt"
# one word changed per copy: the k-th copy swaps the (k mod len) pair in its (k mod sentences)-th statement
SWAPS = [("emphasized", "stressed"), ("requested", "asked"), ("reached", "hit"), ("more than", "over"),
         ("urgently", "quickly"), ("review", "examine"), ("implement", "carry out"), ("complete", "finish")]


def _edit(text: str, k: int) -> str:
    for i in range(len(SWAPS)):
        a, b = SWAPS[(k + i) % len(SWAPS)]
        if a in text:
            return text.replace(a, b, 1)
    return text + f" (update {k})"


# ------------------------------------------------------------------------------ run mode
def make_corpus(n: int, folder: Path) -> Path:
    """N near-copies of the seed article, each a re-post on another site with one word changed."""
    if folder.exists() and len(list(folder.glob("*.txt"))) == n + 1:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8")
    (folder / "copy_0000.txt").write_text(text, encoding="utf-8")
    for k in range(1, n + 1):
        (folder / f"copy_{k:04d}.txt").write_text(_edit(text, k), encoding="utf-8")
    return folder


def _clear_meeting_cache(cache: Path) -> None:
    with sqlite3.connect(cache / "cache.sqlite") as conn:
        conn.execute("DELETE FROM kv WHERE ns IN ('meeting', 'tracking')")


# ------------------------------------------------------------------------------ merge mode
def make_run_files(n: int, out: Path, unmarked: bool) -> int:
    """documents/clusters/commitments.jsonl of one meeting: the seed's statements (from a seed run) in
    an original and N copies with one word changed. Returns the number of statements."""
    from pipeline.io import write_jsonl
    from pipeline.records import Cluster, Document, Statement

    seed_out = ROOT / "outputs"
    if not (seed_out / "commitments.jsonl").exists():
        raise SystemExit("run `make extract` first (the seed run's statements are the story's statements)")
    stem = SEED.stem
    base = [Statement.model_validate_json(line) for line in (seed_out / "commitments.jsonl").read_text().splitlines()
            if json.loads(line)["doc_id"] == stem]
    out.mkdir(parents=True, exist_ok=True)
    docs, stmts = [], []
    ids = [f"copy_{k:04d}" for k in range(n + 1)]
    for k, d in enumerate(ids):
        docs.append(Document(doc_id=d, path=d + ".txt", status="ok", lang="en", published="2025-09-24",
                             outlet=f"site{k}.example" if unmarked else ("vtv.vn" if k == 0 else f"site{k}.example"),
                             url=f"https://site{k}.example/story", text="…", cluster_id="m-wire",
                             duplicate_of=None if unmarked or k == 0 else ids[0]))
        for j, s in enumerate(base):
            text = s.text if k == 0 or j != k % len(base) else _edit(s.text, k)
            figs = [f for f in s.figures if text[f.text_start:f.text_end] == f.text] if text != s.text else s.figures
            stmts.append(s.model_copy(update={"id": f"{s.id}-{k}", "doc_id": d, "cluster_id": "m-wire", "text": text,
                                              "source_text": text, "figures": figs}))
    cluster = Cluster(cluster_id="m-wire", doc_ids=ids, canonical_doc_id=ids[0], date="2025-09-24", label="wire story",
                      languages=["en"], outlets=sorted({d.outlet for d in docs}),
                      duplicates=[] if unmarked else [{"doc_id": d, "duplicate_of": ids[0]} for d in ids[1:]])
    write_jsonl(out / "documents.jsonl", docs)
    write_jsonl(out / "commitments.jsonl", stmts)
    write_jsonl(out / "clusters.jsonl", [cluster])
    return len(stmts)


def child(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    from pipeline.meetings import write_meeting_outputs
    from pipeline.run import Settings

    t = time.perf_counter()
    n_rows, n_links = write_meeting_outputs(a.out, settings=Settings(corpus=a.out, out=a.out, cache_dir=None,
                                                                      workers=a.workers))
    print("\n" + json.dumps({"seconds": time.perf_counter() - t, "rows": n_rows, "links": n_links}))


def measure(cmd: list[str]) -> dict:
    from bench import TreeSampler

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t
    sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr[-3000:]}")
    res = {"wall_seconds": round(wall, 1), "peak_rss_tree_mb": round(sampler.peak / 2**20),
           "peak_pss_tree_mb": round(sampler.peak_pss / 2**20) if sampler.peak_pss else None}
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    if last.startswith("{"):
        res.update(json.loads(last))
    else:
        res["summary"] = (stderr.strip().splitlines() or [""])[-1]
    return res


def _rows_summary(out: Path) -> dict:
    rows = [json.loads(line) for line in (out / "meetings.jsonl").read_text().splitlines()]
    return {"rows": len(rows), "sources_per_row": sorted({len(r["sources"]) for r in rows}),
            "outlets_per_row": sorted({len(r["outlets"]) for r in rows}),
            "rows_with_conflicts": sum(bool(r["conflicts"]) for r in rows)}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return child(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["merge", "run"], default="merge")
    ap.add_argument("--copies", type=int, default=2000)
    ap.add_argument("--unmarked", action="store_true", help="merge mode: copies not marked duplicate_of (N outlets)")
    ap.add_argument("--work", type=Path, default=ROOT / ".bench" / "copies")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    report: dict = {"copies": a.copies, "mode": a.mode, "workers": a.workers, "cpus": os.cpu_count()}
    if a.mode == "merge":
        out = a.work / f"merge-{a.copies}{'-unmarked' if a.unmarked else ''}"
        shutil.rmtree(out, ignore_errors=True)
        report["statements"] = make_run_files(a.copies, out, a.unmarked)
        report["unmarked"] = a.unmarked
        report["meeting_stage"] = measure([sys.executable, __file__, "_child", "--out", str(out),
                                           "--workers", str(a.workers)])
        report["result"] = _rows_summary(out)
    else:
        corpus = make_corpus(a.copies, a.work / f"corpus-{a.copies}")
        out, cache = a.work / f"out-{a.copies}", a.work / f"cache-{a.copies}"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        cmd = [str(ROOT / ".venv" / "bin" / "commitments"), "extract", str(corpus), "--out", str(out),
               "--cache", str(cache), "-j", str(a.workers)]
        report["cold"] = measure(cmd)
        _clear_meeting_cache(cache)
        report["documents_cached_meetings_cold"] = measure(cmd)
        report["result"] = _rows_summary(out)
        run = json.loads((out / "run.json").read_text())
        report["statements"] = run.get("statements")
        report["clusters"] = run.get("clusters")
        docs = [json.loads(line) for line in (out / "documents.jsonl").read_text().splitlines()]
        report["marked_copies"] = sum(bool(d.get("duplicate_of")) for d in docs)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
