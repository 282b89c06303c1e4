"""Every threshold, limit and default in one place, each with a note on how it was chosen.

Stages import their numbers from here; language knowledge (lexicons, gazetteers, patterns) lives
in ``pipeline/data/`` instead. Sections are per stage.
"""
from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

# ---------------------------------------------------------------- ingest
# Largest single document (a .txt/.html file, or one JSONL line) we accept. News pages are
# 5 KB-3 MB of HTML; 8 MB leaves room for pages with inline images and still rejects
# accidental dumps instead of silently truncating them. Override with --max-bytes.
MAX_DOC_BYTES = 8 * 1024 * 1024
# A cleaned body shorter than this is "no article text after cleaning" (a bare headline,
# a comment page). 200 characters is about two sentences; the shortest real report seen is ~1 KB.
MIN_TEXT_CHARS = 200
# Languages the pipeline processes end to end; others are rejected with their detected code.
SUPPORTED_LANGS = ("en", "de", "vi")
# langdetect is probabilistic: the seed fixes its result run to run.
LANGDETECT_SEED = 0
# Title heuristic for plain-text pages: a first line longer than this is body, not title.
MAX_TITLE_CHARS = 250
# A caption-like line (no final punctuation) has at most this many words.
MAX_CAPTION_WORDS = 20
