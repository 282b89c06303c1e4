"""The `commitments` console script, run as a user runs it (a subprocess): help, exit codes, one-line errors."""
from __future__ import annotations

import fcntl
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import typer

from pipeline.cli import app

from conftest import ROOT, SEEDS

EXE = ROOT / ".venv" / "bin" / "commitments"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def _command_paths(cmd, prefix=()) -> list[tuple[str, ...]]:
    """Every command and sub-command (groups such as `models` included) as argument tuples."""
    paths = [prefix]
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        paths += _command_paths(sub, (*prefix, name))
    return paths


def test_help_of_every_subcommand_works():
    paths = _command_paths(typer.main.get_command(app))
    assert {("extract",), ("validate",), ("schema",)} <= set(paths)
    procs = {p: subprocess.Popen([str(EXE), *p, "--help"], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for p in paths}
    for path, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (path, err)
        assert "Usage: commitments" in out and "Traceback" not in out + err, path
    assert "--max-bytes" in subprocess.run([str(EXE), "extract", "--help"], capture_output=True,
                                           text=True, env={"COLUMNS": "200"}).stdout


def test_nonexistent_corpus_is_one_line_and_exit_2(tmp_path):
    proc = cli("extract", str(tmp_path / "no" / "such" / "corpus"), "--out", str(tmp_path / "out"), "-q")
    assert proc.returncode == 2
    assert _one_line_error(proc) == f"error: corpus path does not exist: {tmp_path}/no/such/corpus"
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path):
    proc = cli("--debug", "extract", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "-q")
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr and "CorpusError: corpus path does not exist" in proc.stderr


def test_unwritable_output_folder_is_one_line_and_exit_2(tmp_path):
    # Tests may run as root, which ignores permission bits: a path under a regular file cannot be made.
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    proc = cli("extract", str(SEEDS), "--out", str(tmp_path / "file.txt" / "sub"), "--no-cache", "-q")
    assert proc.returncode == 2
    assert _one_line_error(proc) == f"error: output folder cannot be created: {tmp_path}/file.txt/sub (Not a directory)"
    proc = cli("extract", str(SEEDS), "--out", str(tmp_path / "file.txt"), "--no-cache", "-q")
    assert proc.returncode == 2
    assert _one_line_error(proc) == f"error: output path is a file, not a folder: {tmp_path}/file.txt"


def test_unusable_cache_is_one_line(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "cache.sqlite").write_bytes(b"this is not a database" * 100)
    proc = cli("extract", str(SEEDS), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"), "-q")
    assert proc.returncode == 2
    assert _one_line_error(proc) == (f"error: cache {tmp_path}/cache/cache.sqlite cannot be used (file is not a "
                                     "database); delete it, choose another --cache, or run with --no-cache")


def test_second_run_on_the_same_output_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "a") as fh:  # as a running `commitments extract` holds it
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = cli("extract", str(SEEDS), "--out", str(out), "--no-cache", "-q")
    assert proc.returncode == 2
    assert _one_line_error(proc) == f"error: another run is writing to {out}; wait for it or choose another --out"
    assert not (out / "documents.jsonl").exists()


def test_rejected_inputs_are_counted_and_exit_0(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "003_f43cbe7d55b3cf07.txt", corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (corpus / "big.txt").write_text("word " * 2000, encoding="utf-8")  # 10,000 bytes; the seed is 4,685
    (corpus / "feed.jsonl").write_text('{"id": "x", "text": 5}\n\nnot json\n', encoding="utf-8")
    proc = cli("extract", str(corpus), "--out", str(tmp_path / "out"), "--no-cache", "--max-bytes", "8192", "-q")
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(r"6 documents read, 1 ok, 5 rejected \(en 1\); \d+ statements, 1 clusters -> .*/out/ "
                        r"in \d+\.\ds\n", proc.stdout), proc.stdout
    docs = {d["doc_id"]: d for d in map(json.loads, (tmp_path / "out" / "documents.jsonl").open())}
    assert docs["big"]["reason"] == ("file is 9.8 KB, over the 8 KB limit for one document "
                                     "(raise it with --max-bytes)")
    assert docs["image"]["reason"] == "binary content (a PNG image)"
    assert docs["x"]["reason"] == "line 1: no `text` or `html` field with content"
    assert docs["feed#3"]["reason"] == "line 3: invalid JSON at column 1 (expecting value)"
    assert docs["empty"]["reason"] == "empty file"
    assert docs["003_f43cbe7d55b3cf07"]["status"] == "ok"


def test_usage_errors_print_usage_and_exit_2():
    proc = cli("extract", "--no-such-option")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "No such option: --no-such-option" in proc.stderr
    proc = cli("no-such-command")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_python_dash_m_is_the_same_command(tmp_path):
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "pipeline", "extract",
                           str(tmp_path / "nope"), "-q"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert _one_line_error(proc) == f"error: corpus path does not exist: {tmp_path}/nope"


@pytest.mark.parametrize("args", [("validate", "{tmp}/nowhere")])
def test_validate_of_a_missing_folder_is_one_line(tmp_path, args):
    proc = cli(*(a.format(tmp=tmp_path) for a in args))
    assert proc.returncode == 2
    assert _one_line_error(proc) == f"error: no outputs folder at {tmp_path}/nowhere"
