"""CTranslate2 engine: an OPUS-MT model converted to CTranslate2 (int8 by default) and run on CPU.

A CTranslate2 folder holds ``model.bin``, ``shared_vocabulary.json`` (or .txt), ``config.json`` and
the SentencePiece models ``source.spm`` / ``target.spm`` copied from the Marian folder it was made
from. Tokenisation is SentencePiece only (no torch, no transformers at run time): pieces + ``</s>``
in, pieces out. Greedy or fixed-beam search, never sampling: deterministic.

``convert_marian(src, dst)`` makes such a folder from a MarianMT folder (``commitments models
convert``). CTranslate2's Marian converter drops the last vocabulary entry and its weight rows,
assuming it is ``<pad>`` (true of OPUS-MT models, not of every Marian model): a model whose
``<pad>`` sits elsewhere is first re-ordered so that ``<pad>`` is last.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from pathlib import Path

from pipeline.config import NMT_BEAM_SIZE, NMT_CT2_COMPUTE_TYPE, NMT_CT2_THREADS, NMT_MAX_INPUT_TOKENS
from pipeline.translate.nmt import MODEL_INFO, ModelError, NMTEngine, model_version, read_info

CT2_VOCABS = ("shared_vocabulary.json", "shared_vocabulary.txt")
CT2_FILES = ("model.bin", "source.spm", "target.spm")
_TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json")
_SPECIALS = frozenset({"</s>", "<pad>", "<unk>", "<s>"})
# Weights with one row per vocabulary entry (embeddings and output projection).
_VOCAB_ROWS = ("shared.weight", "embed_tokens.weight", "lm_head.weight")


def check_ct2_dir(path: Path) -> None:
    """Raise ModelError (one line) unless ``path`` looks like a CTranslate2 translation folder."""
    if not path.is_dir():
        raise ModelError(f"{path}: not a folder")
    missing = [f for f in CT2_FILES if not (path / f).is_file()]
    if not any((path / v).is_file() for v in CT2_VOCABS):
        missing.append(" or ".join(CT2_VOCABS))
    if missing:
        raise ModelError(f"{path}: not a CTranslate2 model folder (missing {', '.join(missing)})")


class CT2Engine(NMTEngine):
    name = "ctranslate2"

    def __init__(self, path: str | Path, lang: str, *, beam_size: int = NMT_BEAM_SIZE,
                 max_tokens: int = NMT_MAX_INPUT_TOKENS, compute_type: str = NMT_CT2_COMPUTE_TYPE,
                 threads: int | None = None, batch_size: int | None = None):
        try:
            import ctranslate2
            import sentencepiece as spm
        except ImportError as exc:
            raise ModelError(f"CTranslate2 models need ctranslate2 (pip install '.[nmt]'): {exc}") from exc
        path = Path(path)
        check_ct2_dir(path)
        self.path, self.lang, self.beam_size = path, lang, beam_size
        self.model = model_version(path)
        self._src = spm.SentencePieceProcessor(model_file=str(path / "source.spm"))
        self._tgt = spm.SentencePieceProcessor(model_file=str(path / "target.spm"))
        try:
            self._translator = ctranslate2.Translator(str(path), device="cpu", compute_type=compute_type,
                                                      intra_threads=NMT_CT2_THREADS if threads is None else threads)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"{path}: CTranslate2 cannot load it ({str(exc).splitlines()[0]})") from exc
        limit = int(read_info(path).get("max_length") or 0) or max_tokens + 1
        self.max_tokens = max(1, min(max_tokens, limit - 1))   # room for </s>
        self._model_limit = limit
        if batch_size:
            self.batch_size = batch_size

    def _count(self, text: str) -> int:
        return len(self._src.encode(text, out_type=str))

    def _generate(self, texts: list[str], limit: int) -> list[str]:
        tokens = [self._src.encode(t, out_type=str) + ["</s>"] for t in texts]
        results = self._translator.translate_batch(tokens, beam_size=self.beam_size, max_batch_size=self.batch_size,
                                                   max_decoding_length=limit)
        return [self._detokenize(r.hypotheses[0]) for r in results]

    def _detokenize(self, pieces: list[str]) -> str:
        """As MarianTokenizer.decode(skip_special_tokens=True): drop specials, join pieces, "▁" -> space."""
        text = self._tgt.decode_pieces([p for p in pieces if p not in _SPECIALS])
        return text.replace("\u2581", " ").strip()


def convert_marian(src: Path, dst: Path, quantization: str = NMT_CT2_COMPUTE_TYPE, force: bool = False) -> Path:
    """Convert the MarianMT folder ``src`` to a CTranslate2 folder ``dst``; returns ``dst``."""
    from pipeline.translate.marian import check_marian_dir

    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise ModelError(f"converting needs ctranslate2 (pip install '.[nmt]'): {exc}") from exc
    check_marian_dir(src)
    if dst.exists() and not force:
        raise ModelError(f"{dst} already exists (pass --force to replace it)")
    with tempfile.TemporaryDirectory(prefix="ct2-src-") as tmp:
        model_dir = _pad_last(src, Path(tmp))
        with tempfile.TemporaryDirectory(prefix="ct2-out-", dir=dst.parent) as out_tmp:
            out = Path(out_tmp) / "model"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _quiet_transformers()
                try:
                    TransformersConverter(str(model_dir), copy_files=list(_TOKENIZER_FILES)).convert(
                        str(out), quantization=quantization, force=True)
                except (ValueError, RuntimeError, OSError, KeyError) as exc:
                    raise ModelError(f"{src}: conversion failed ({str(exc).splitlines()[0]})") from exc
            info = dict(read_info(src))
            info.update({"engine": "ctranslate2", "converted_from": src.name, "quantization": quantization,
                         "max_length": _max_length(src)})
            (out / MODEL_INFO).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            if dst.exists():
                shutil.rmtree(dst)
            out.rename(dst)
    return dst


def _quiet_transformers() -> None:
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()


def _max_length(src: Path) -> int:
    limits = []
    for name, key in (("config.json", "max_position_embeddings"), ("tokenizer_config.json", "model_max_length")):
        try:
            v = json.loads((src / name).read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError):
            v = None
        if isinstance(v, int) and 0 < v < 10**6:
            limits.append(v)
    return min(limits) if limits else 512


def _pad_last(src: Path, tmp: Path) -> Path:
    """``src`` itself when ``<pad>`` is its last vocabulary entry, else a re-ordered copy in ``tmp``."""
    vocab: dict[str, int] = json.loads((src / "vocab.json").read_text(encoding="utf-8"))
    config = json.loads((src / "config.json").read_text(encoding="utf-8"))
    size = int(config.get("vocab_size") or len(vocab))
    pad = vocab.get("<pad>")
    if pad is None:
        raise ModelError(f"{src}: vocab.json has no <pad> token")
    if pad == size - 1:
        return src
    import torch

    from pipeline.translate.marian import load_marian

    tokenizer, model = load_marian(src)
    perm = [i for i in range(size) if i != pad] + [pad]       # new position -> old id
    new_id = {old: new for new, old in enumerate(perm)}
    with torch.no_grad():
        seen: set[int] = set()
        for name, p in model.named_parameters(remove_duplicate=True):   # tied weights appear once
            if name.endswith(_VOCAB_ROWS) and p.dim() == 2 and p.shape[0] == size and id(p) not in seen:
                seen.add(id(p))
                p.copy_(p[perm])
        for name, buf in model.named_buffers():
            if name.endswith("final_logits_bias") and buf.shape[-1] == size:
                buf.copy_(buf[..., perm])
    cfg = model.config
    for attr in ("pad_token_id", "eos_token_id", "decoder_start_token_id", "forced_eos_token_id",
                 "bos_token_id", "unk_token_id"):
        v = getattr(cfg, attr, None)
        if isinstance(v, int) and v in new_id:
            setattr(cfg, attr, new_id[v])
    if getattr(cfg, "bad_words_ids", None):
        cfg.bad_words_ids = [[new_id[t] for t in seq] for seq in cfg.bad_words_ids]
    model.generation_config = type(model.generation_config).from_model_config(cfg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.save_pretrained(tmp)
    (tmp / "vocab.json").write_text(json.dumps({t: new_id[i] for t, i in vocab.items()}, ensure_ascii=False),
                                    encoding="utf-8")
    for f in ("source.spm", "target.spm", "tokenizer_config.json"):
        if (src / f).is_file():
            shutil.copy2(src / f, tmp / f)
    return tmp
