"""What the neural engines (marian.py, ct2.py) share: batching, long-input splitting, model versions.

A subclass supplies ``_count(text)`` (subword tokens of one input) and ``_generate(texts, limit)``
(one English string per input, inputs already within the length limit). This base class

* translates unique inputs only, sorted by length so a batch pads little, in batches of
  ``NMT_BATCH_SIZE``, and returns outputs in input order;
* splits an input longer than ``max_tokens`` on ", ; :" then on spaces (then, for a single
  enormous word, on characters), translates the pieces and joins their English with spaces.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pipeline.config import NMT_BATCH_SIZE, NMT_LENGTH_BUCKET, NMT_OUTPUT_RATIO, NMT_OUTPUT_SLACK

MODEL_INFO = "model-info.json"
# Small files whose bytes define a model (besides its weights): config and vocabularies.
_DEFINING = ("config.json", "generation_config.json", "vocab.json", "shared_vocabulary.json",
             "shared_vocabulary.txt", "source.spm", "target.spm", "tokenizer_config.json")
_WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.bin")
_SAMPLE = 1 << 20   # bytes hashed from each end of a weights file


class ModelError(Exception):
    """A model folder that cannot be used; the message is one line for the user."""


def model_version(path: Path) -> str:
    """``<folder name>@<12 hex>``: a fingerprint of the config, vocabularies and weights.

    The weights are fingerprinted by size plus their first and last MiB (hashing 300 MB on every
    start would cost a second); any retraining or conversion changes those bytes.
    """
    h = hashlib.sha256()
    for name in _DEFINING + _WEIGHTS:
        f = path / name
        if not f.is_file():
            continue
        h.update(name.encode())
        size = f.stat().st_size
        h.update(str(size).encode())
        with open(f, "rb") as fh:
            if name in _WEIGHTS and size > 2 * _SAMPLE:
                h.update(fh.read(_SAMPLE))
                fh.seek(size - _SAMPLE)
                h.update(fh.read(_SAMPLE))
            else:
                h.update(fh.read())
    return f"{path.name}@{h.hexdigest()[:12]}"


def read_info(path: Path) -> dict:
    try:
        return json.loads((path / MODEL_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


_CLAUSE = re.compile(r"(?<=[,;:])\s+")


def split_long(text: str, count, limit: int) -> list[str]:
    """Pieces of ``text``, each at most ``limit`` tokens by ``count``, in order; a short text is one piece."""
    if count(text) <= limit:
        return [text]
    pieces: list[str] = []
    for unit, sep in ((_CLAUSE, " "), (re.compile(r"\s+"), " ")):
        parts = [p for p in unit.split(text) if p]
        if len(parts) > 1:
            return _pack(parts, count, limit, sep)
    # one enormous "word" (a URL, a table flattened into one token): cut it in halves
    mid = len(text) // 2
    return split_long(text[:mid], count, limit) + split_long(text[mid:], count, limit) if mid else [text]


def _pack(parts: list[str], count, limit: int, sep: str) -> list[str]:
    out: list[str] = []
    cur = ""
    for p in parts:
        cand = f"{cur}{sep}{p}" if cur else p
        if count(cand) <= limit:
            cur = cand
            continue
        if cur:
            out.append(cur)
        if count(p) <= limit:
            cur = p
        else:
            out.extend(split_long(p, count, limit))
            cur = ""
    if cur:
        out.append(cur)
    return out


class NMTEngine:
    """Base class of the neural engines (see the module docstring)."""

    name = "nmt"
    model: str
    lang: str
    max_tokens: int
    _model_limit: int
    batch_size: int = NMT_BATCH_SIZE

    def _count(self, text: str) -> int:
        raise NotImplementedError

    def _generate(self, texts: list[str], limit: int) -> list[str]:
        """English for ``texts``, each at most ``limit`` tokens (plus </s>)."""
        raise NotImplementedError

    def _output_limit(self, n_tokens: int, model_limit: int) -> int:
        """Most output tokens (without </s>) for an input of ``n_tokens`` tokens (without </s>).

        The input length is first rounded up to a multiple of ``NMT_LENGTH_BUCKET`` so that
        sentences of similar length share a limit and can share a batch.
        """
        b = max(1, NMT_LENGTH_BUCKET)
        rounded = -(-(n_tokens + 1) // b) * b
        return max(1, min(model_limit - 2, int(NMT_OUTPUT_RATIO * rounded) + NMT_OUTPUT_SLACK))

    def pieces(self, text: str) -> list[str]:
        """How ``text`` is cut for the model (one piece unless it is over ``max_tokens``)."""
        return split_long(text, self._count, self.max_tokens)

    def translate(self, sentences: list[str]) -> list[str]:
        plan = [self.pieces(s) if s.strip() else [] for s in sentences]
        unique = sorted({p for pieces in plan for p in pieces}, key=lambda p: (self._count(p), p))
        # Inputs are grouped by output limit (a function of their own length only), so the English
        # of a sentence never depends on which other sentences shared its batch.
        groups: dict[int, list[str]] = {}
        for p in unique:
            groups.setdefault(self._output_limit(self._count(p), self._model_limit), []).append(p)
        english: dict[str, str] = {}
        for limit, items in groups.items():
            for i in range(0, len(items), self.batch_size):
                batch = items[i:i + self.batch_size]
                english.update(zip(batch, self._generate(batch, limit)))
        return [" ".join(english[p].strip() for p in pieces) if pieces else s for s, pieces in zip(sentences, plan)]
