"""The ``commitments`` command (also ``python -m pipeline``). It only composes stages.

Every user-facing failure is one line on stderr and a non-zero exit; ``--debug`` shows the traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from pipeline.config import BATCH_SIZE, DEFAULT_WORKERS, MAX_DOC_BYTES

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn multilingual news reports into structured data about government commitments.",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()
_DEBUG = {"on": False}


class UserError(Exception):
    """A failure the user can fix; printed as one line."""


@app.callback()
def _main(debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors.")) -> None:
    _DEBUG["on"] = debug


# ----------------------------------------------------------------------------- extract
@app.command()
def extract(
    corpus: Path = typer.Argument(Path("corpora"), help="Folder (walked recursively) or file of articles: .txt, .html, .jsonl; per-file outlet/URL/date from a folder's sources.toml or a .txt's front matter."),
    out_dir: Path = typer.Option(Path("outputs"), "--out", "-o", help="Folder for the JSONL outputs, schemas and run.json (inside the corpus is fine: it is not read back)."),
    cache_dir: Path = typer.Option(Path(".cache"), "--cache", help="Cache folder (translations, embeddings, per-document results)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Process everything afresh; read and write no cache."),
    models_dir: Path = typer.Option(Path("models"), "--models", help="Folder holding NMT models (see `commitments models`)."),
    max_bytes: int = typer.Option(MAX_DOC_BYTES, "--max-bytes", min=1, help="Largest accepted document in bytes; larger inputs are rejected, never truncated."),
    workers: int = typer.Option(DEFAULT_WORKERS, "--workers", "-j", min=0, help="Worker processes for the per-document stages (0 = one per core, the default; a corpus of one batch runs in-process)."),
    engine: str = typer.Option("local", "--engine", help="Execution engine: local, or dask (needs the `dask` extra)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local cluster."),
    batch_size: int = typer.Option(BATCH_SIZE, "--batch-size", min=1, help="Documents per batch handed to a worker."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no engine notes; only the summary line."),
) -> None:
    """Run the pipeline on CORPUS and write outputs/ (documents, commitments, clusters, …)."""
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.ingest import CorpusError, discover

    try:  # before the heavy imports: a mistyped path fails at once
        total = sum(1 for _ in discover(corpus, skip=(out_dir,)))
    except CorpusError as exc:
        raise UserError(str(exc)) from exc
    from pipeline.run import RunError, Settings, check_out_is_not_corpus, run

    try:
        check_out_is_not_corpus(corpus, out_dir)
    except RunError as exc:
        raise UserError(str(exc)) from exc

    if workers == 0:
        from pipeline.config import resolve_workers

        workers = resolve_workers(0)
    settings = Settings(corpus=corpus, out=out_dir, cache_dir=None if no_cache else cache_dir, models_dir=models_dir,
                        max_bytes=max_bytes, workers=workers, engine=engine, scheduler=scheduler,
                        batch_size=batch_size)
    try:
        if quiet or not sys.stderr.isatty() and total < 50:
            info = run(settings)
        else:
            with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=err, transient=True) as progress:
                task = progress.add_task("documents", total=total)
                settings.progress = lambda n: progress.advance(task, n)
                info = run(settings)
    except (CorpusError, RunError) as exc:
        raise UserError(str(exc)) from exc
    if not quiet:
        _engine_notes(settings, info.languages)
    per_lang = ", ".join(f"{k} {v}" for k, v in info.languages.items()) or "none"
    out.print(f"{info.documents} documents read, {info.ok} ok, {info.rejected} rejected ({per_lang}); "
              f"{info.statements} statements, {info.clusters} clusters -> {out_dir}/ in {info.seconds:.1f}s",
              soft_wrap=True,
              highlight=False)


def _engine_notes(settings, languages) -> None:
    """One line per language of the corpus saying which translation engine ran (none for a corpus
    without Vietnamese or German)."""
    try:
        from pipeline.translate import engine_notes
    except ImportError:
        return
    for line in engine_notes(settings):
        if line.split(":", 1)[0] in languages:
            err.print(line, highlight=False, markup=False, soft_wrap=True)


def _say_run(out_dir: Path, extra: str | None = None) -> None:
    """One line on stderr naming the folder and the run a report reads (stdout stays the report):
    cluster ids repeat across runs over the same articles, so a report of another run looks alike."""
    import json

    try:
        info = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
        if not isinstance(info, dict):
            raise ValueError
    except FileNotFoundError:
        what = "no run.json: which run wrote it is unknown"
    except (OSError, ValueError):
        what = "its run.json cannot be read: which run wrote it is unknown"
    else:
        what = (f"the run of {info.get('finished') or info.get('started') or '?'} on {info.get('corpus', '?')}, "
                f"{info.get('documents', '?')} documents")
    err.print(f"reading {out_dir}/ ({what})" + (f"; {extra}" if extra else ""), highlight=False, markup=False,
              soft_wrap=True)


# ----------------------------------------------------------------------------- schema / validate
@app.command()
def schema(out_dir: Path = typer.Option(Path("outputs"), "--out", "-o", help="Outputs folder; schemas go to OUT/schema/.")) -> None:
    """Write the JSON Schema of every output file into OUT/schema/."""
    from pipeline.io import write_schemas

    for p in write_schemas(out_dir):
        out.print(str(p), highlight=False)


@app.command()
def validate(out_dir: Path = typer.Argument(Path("outputs"), help="Outputs folder to check.")) -> None:
    """Check every output file in a folder against the published JSON Schema.

    Invalid records are listed one per line on stderr (file:line: path: message). Exit code 0 when
    all records are valid, 1 when some are not, 2 when there is nothing to check.
    """
    from pipeline.validate import validate_outputs

    problems, counts = validate_outputs(out_dir)
    for fname, n in counts.items():
        out.print(f"{fname}: {n} records", highlight=False)
    shown = 50
    for p in problems[:shown]:
        err.print(p, highlight=False, markup=False, soft_wrap=True)
    if problems:
        more = f" ({len(problems) - shown} more not shown)" if len(problems) > shown else ""
        err.print(f"error: {len(problems)} problem(s) in {out_dir}{more}", highlight=False, markup=False,
                  soft_wrap=True)
        raise typer.Exit(1)
    out.print("all records valid", highlight=False)


@app.command()
def export(
    out_dir: Path = typer.Option(Path("outputs"), "--out", "-o", help="Outputs folder of a run; tables go to OUT/export/."),
    fmt: str = typer.Option("csv", "--format", "-f", help="csv (UTF-8 with BOM, opens in spreadsheets) or parquet (needs pyarrow)."),
) -> None:
    """Write the outputs as flat tables joined by ids (documents, commitments, figures, actors, clusters,
    meeting rows and sources, ...) into OUT/export/ (see docs/output-format.md)."""
    from pipeline.export import ExportError, export as export_tables

    try:
        written = export_tables(out_dir, fmt)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    for path, rows in written:
        out.print(f"{path}: {rows} rows", highlight=False)


# ----------------------------------------------------------------------------- eval
@app.command("eval")
def eval_(
    gold: Path = typer.Option(..., "--gold", help="Gold folder: statements.jsonl and documents.jsonl (format: docs/gold-format.md; the seed gold is tests/gold/seeds)."),
    out_dir: Path = typer.Option(Path("outputs"), "--out", "-o", help="Outputs folder of a run (commitments.jsonl, documents.jsonl)."),
    only: Optional[str] = typer.Option(None, "--only", help="Comma-separated document name prefixes to score (e.g. 000,002)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result (with misses) as JSON."),
) -> None:
    """Score a run against a gold set (same rules as the reference scorer)."""
    import json

    from pipeline.evaluate import meeting_view, render, score, summary_line

    if not (gold / "statements.jsonl").exists():
        raise UserError(f"no gold statements in {gold} (expected {gold / 'statements.jsonl'})")
    if not (out_dir / "commitments.jsonl").exists():
        raise UserError(f"no run outputs in {out_dir} (run `commitments extract --out {out_dir}` first)")
    prefixes = [o.strip() for o in only.split(",")] if only else None
    _say_run(out_dir, f"gold {gold}/")
    result = score(gold, out_dir, prefixes)
    view = meeting_view(gold, out_dir)
    if as_json:
        out.print_json(json.dumps(result if view is None else {**result, "meeting_view": view}, ensure_ascii=False))
        return
    render(result, out)
    out.print(summary_line(result), highlight=False, soft_wrap=True)
    if view is not None:
        from pipeline.meetings.score import summary_line as meeting_line

        out.print("meeting view: " + meeting_line(view), highlight=False, soft_wrap=True)


# ----------------------------------------------------------------------------- clusters
@app.command()
def clusters(
    out_dir: Path = typer.Option(Path("outputs"), "--out", "-o", help="Outputs folder of a run (clusters.jsonl, documents.jsonl)."),
) -> None:
    """The meetings of a run: label, date, languages, outlets, documents, and which are duplicates."""
    from pipeline.dedup.table import OutputsMissing, load, render

    try:
        found, docs = load(out_dir)
    except OutputsMissing as exc:
        raise UserError(str(exc)) from exc
    _say_run(out_dir)
    render(found, docs, out)


# ----------------------------------------------------------------------------- diff
@app.command()
def diff(
    cluster: Optional[str] = typer.Argument(None, help="Meeting to show: a cluster_id, or the doc_id of one of its reports."),
    out_dir: Path = typer.Option(Path("outputs"), "--out", "-o", help="Outputs folder of a run; HTML pages go to OUT/diff/."),
    fmt: str = typer.Option("table", "--format", "-f", help="table (terminal), json (merged records), or html (write the page)."),
    all_: bool = typer.Option(False, "--all", help="Every meeting: write OUT/diff/<cluster_id>.html and OUT/diff/index.html."),
) -> None:
    """Cross-outlet diff of one meeting: which outlet carried which commitment, where they disagree."""
    import json

    from pipeline.meetings import OutputsMissing, find_view, load_views
    from pipeline.report.html import write_pages
    from pipeline.report.table import print_index, print_meeting

    if fmt not in ("table", "json", "html"):
        raise UserError(f"unknown --format {fmt!r} (use table, json or html)")
    if not all_ and not cluster:
        raise UserError("name a meeting (cluster_id or doc_id), or pass --all")
    try:
        views = load_views(out_dir)
    except OutputsMissing as exc:
        raise UserError(str(exc)) from exc
    if all_:
        _say_run(out_dir)
        paths = write_pages(views, out_dir)
        if fmt == "json":
            sys.stdout.write(json.dumps([r.model_dump(mode="json") for v in views for r in v.commitments],
                                        ensure_ascii=False, indent=2) + "\n")
            return
        if fmt == "table":
            print_index(views, out)
        err.print(f"wrote {len(paths) - 1} HTML meeting page(s) and their index: {out_dir / 'diff'}/index.html",
                  highlight=False, markup=False, soft_wrap=True)
        return
    view = find_view(views, cluster)
    if view is None:
        raise UserError(f"unknown meeting or document id: {cluster} (cluster ids are in {out_dir / 'clusters.jsonl'})")
    _say_run(out_dir)
    if fmt == "json":
        sys.stdout.write(json.dumps({"cluster": view.cluster.model_dump(mode="json"),
                                     "commitments": [r.model_dump(mode="json") for r in view.commitments],
                                     "tracking": [t.model_dump(mode="json") for t in view.earlier]},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    paths = write_pages(views, out_dir, only=view)
    if fmt == "table":
        print_meeting(view, out)
    err.print(f"wrote the HTML page of this meeting: {paths[0]}", highlight=False, markup=False, soft_wrap=True)


# ----------------------------------------------------------------------------- models
models_app = typer.Typer(no_args_is_help=True, help="Install, list and convert the NMT models under models/.")
app.add_typer(models_app, name="models")


def _model_error(exc: Exception) -> "UserError":
    return UserError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


@models_app.command("import")
def models_import(
    src: Path = typer.Argument(..., help="A MarianMT folder (config.json, weights, source.spm, target.spm, vocab.json) or a CTranslate2 folder (model.bin, shared_vocabulary, source.spm, target.spm)."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Source language of the model: vi or de (default: from the folder)."),
    name: Optional[str] = typer.Option(None, "--name", help="Folder name under models/ (default: opus-mt-<lang>-en, plus -ct2 for CTranslate2)."),
    models_dir: Path = typer.Option(Path("models"), "--models", help="Models folder."),
    force: bool = typer.Option(False, "--force", help="Replace an installed model of the same name."),
) -> None:
    """Copy a model folder you already have into models/ (validated first; nothing is downloaded)."""
    from pipeline.translate.install import import_model
    from pipeline.translate.nmt import ModelError

    try:
        m = import_model(src, models_dir, lang=lang, name=name, force=force)
    except ModelError as exc:
        raise _model_error(exc) from exc
    out.print(f"installed {m.kind} model for {m.lang}: {m.path}", highlight=False)


@models_app.command("list")
def models_list(models_dir: Path = typer.Option(Path("models"), "--models", help="Models folder.")) -> None:
    """Show the installed models and which translation engine each language will use."""
    from types import SimpleNamespace

    from rich.table import Table

    from pipeline.translate import engine_notes
    from pipeline.translate.install import list_models

    rows = list_models(models_dir)
    if rows:
        table = Table("name", "engine", "lang", "version", "status")
        for r in rows:
            table.add_row(r["name"], r["engine"], r["lang"], r["version"], r["status"])
        out.print(table)
    else:
        out.print(f"no models in {models_dir}/", highlight=False)
    for line in engine_notes(SimpleNamespace(models_dir=models_dir)):
        out.print(line, highlight=False, markup=False, soft_wrap=True)


@models_app.command("convert")
def models_convert(
    name: str = typer.Argument(..., help="An installed MarianMT folder under models/ (e.g. opus-mt-vi-en)."),
    out_name: Optional[str] = typer.Option(None, "--out-name", help="Name of the new folder (default: NAME-ct2)."),
    quantization: str = typer.Option("int8", "--quantization", help="CTranslate2 weight type: int8, int8_float32, float32, …"),
    models_dir: Path = typer.Option(Path("models"), "--models", help="Models folder."),
    force: bool = typer.Option(False, "--force", help="Replace an existing converted folder."),
) -> None:
    """Convert an installed MarianMT model to CTranslate2 (int8 by default: faster on CPU)."""
    from pipeline.translate.install import convert_model
    from pipeline.translate.nmt import ModelError

    try:
        m = convert_model(name, models_dir, out_name=out_name, quantization=quantization, force=force)
    except ModelError as exc:
        raise _model_error(exc) from exc
    out.print(f"converted {name} -> {m.path} ({quantization})", highlight=False)


# ----------------------------------------------------------------------------- entry point
class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread: the run unwinds exactly as on Ctrl-C (workers stopped,
    its work folder removed, previous outputs intact), then exits 143."""


_SIGTERM = {"pid": None, "received": False}


def _on_sigterm(signum, frame) -> None:
    import os
    import signal

    if os.getpid() != _SIGTERM["pid"]:  # a forked child inherited this handler: die as SIGTERM does
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    _SIGTERM["received"] = True
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
    raise Terminated()


def _handle_sigterm() -> None:
    import os
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        _SIGTERM["pid"] = os.getpid()
        signal.signal(signal.SIGTERM, _on_sigterm)


def _interrupted() -> None:
    if _SIGTERM["received"]:
        err.print("terminated: previous outputs left intact")
        sys.exit(143)
    err.print("interrupted: previous outputs left intact")
    sys.exit(130)


def main() -> None:
    """Console entry point: user errors as one line, tracebacks only with --debug; Ctrl-C (exit
    130) and SIGTERM (exit 143) end a run cleanly with one line."""
    debug = "--debug" in sys.argv
    _handle_sigterm()
    try:
        # Without standalone mode click *returns* the code of a `typer.Exit(n)` instead of exiting.
        rc = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:  # click turns Ctrl-C into Abort
        _interrupted()
    except KeyboardInterrupt:
        _interrupted()
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into messages
        # Click's usage errors (bad option, missing argument): typer vendors its own click, so
        # recognise them by shape rather than by class. They print usage and exit 2.
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        if debug:
            raise
        msg = str(exc) or type(exc).__name__
        if not isinstance(exc, (UserError, OSError)):
            msg = f"{type(exc).__name__}: {msg} (run with --debug for the traceback)"
        err.print(f"error: {msg}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(2)
    if rc == 130:  # typer turns Ctrl-C (KeyboardInterrupt) into Exit(130), returned here
        _interrupted()
    sys.exit(rc if isinstance(rc, int) else 0)
