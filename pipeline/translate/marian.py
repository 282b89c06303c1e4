"""MarianMT engine: a Hugging Face OPUS-MT folder (config.json, weights, source.spm, target.spm,
vocab.json) run with ``transformers`` + ``torch`` on the CPU.

Loaded with ``from_pretrained(path, local_files_only=True)``: nothing is ever downloaded here.
transformers 5 has no translation pipeline, so this calls ``model.generate`` directly; decoding is
greedy or a fixed beam (``NMT_BEAM_SIZE``), never sampling, so the output is deterministic.
"""
from __future__ import annotations

import warnings
from pathlib import Path

from pipeline.config import NMT_BEAM_SIZE, NMT_MAX_INPUT_TOKENS
from pipeline.translate.nmt import ModelError, NMTEngine, model_version

MARIAN_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
MARIAN_WEIGHTS = ("model.safetensors", "pytorch_model.bin")


def check_marian_dir(path: Path) -> None:
    """Raise ModelError (one line) unless ``path`` looks like a MarianMT folder."""
    if not path.is_dir():
        raise ModelError(f"{path}: not a folder")
    missing = [f for f in MARIAN_FILES if not (path / f).is_file()]
    if not any((path / w).is_file() for w in MARIAN_WEIGHTS):
        missing.append(" or ".join(MARIAN_WEIGHTS))
    if missing:
        raise ModelError(f"{path}: not a MarianMT model folder (missing {', '.join(missing)})")


def load_marian(path: Path):
    """(tokenizer, model) from a local folder, quietly (no progress bars, no hub access)."""
    try:
        import torch  # noqa: F401
        import transformers
        from transformers import MarianMTModel, MarianTokenizer
    except ImportError as exc:
        raise ModelError(f"MarianMT needs torch and transformers (pip install '.[nmt]'): {exc}") from exc
    check_marian_dir(path)
    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "Recommended: pip install sacremoses" and similar
        tokenizer = MarianTokenizer.from_pretrained(str(path), local_files_only=True)
        model = MarianMTModel.from_pretrained(str(path), local_files_only=True)
    model.eval()
    return tokenizer, model


class MarianEngine(NMTEngine):
    name = "marian"

    def __init__(self, path: str | Path, lang: str, *, beam_size: int = NMT_BEAM_SIZE,
                 max_tokens: int = NMT_MAX_INPUT_TOKENS, batch_size: int | None = None):
        path = Path(path)
        self.path, self.lang, self.beam_size = path, lang, beam_size
        self.tokenizer, self._net = load_marian(path)
        self.model = model_version(path)
        limits = [max_tokens, int(getattr(self.tokenizer, "model_max_length", max_tokens) or max_tokens),
                  int(getattr(self._net.config, "max_position_embeddings", max_tokens) or max_tokens)]
        self.max_tokens = max(1, min(limits) - 1)   # room for </s>
        self._model_limit = min(limits[1:])
        if batch_size:
            self.batch_size = batch_size

    def _count(self, text: str) -> int:
        return len(self.tokenizer.tokenize(text))

    def _generate(self, texts: list[str], limit: int) -> list[str]:
        import torch

        enc = self.tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=self.max_tokens + 1)
        eos = self.tokenizer.eos_token_id
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # limit tokens + </s>: the last step is forced to </s>, as CTranslate2 stops after `limit`
            out = self._net.generate(**enc, num_beams=self.beam_size, do_sample=False, max_new_tokens=limit + 1,
                                     forced_eos_token_id=eos)
        return self.tokenizer.batch_decode(out, skip_special_tokens=True)
