#!/usr/bin/env python3
"""Build random-weight MarianMT models with the dimensions of OPUS-MT, and their CTranslate2 int8 copies.

For measuring translation *speed* where no real model can be downloaded: decoding cost depends on
the architecture (layers, widths, vocabulary size) and on how many tokens are decoded, not on the
values of the weights. The weights here are random (``torch.manual_seed``), so the English they
produce is gibberish of arbitrary length: a benchmark must force the decoded length (see
``forced_length_generate`` / ``forced_length_translate``) and must label its numbers as measured on
random weights.

Dimensions (defaults) are those of Helsinki-NLP/opus-mt-de-en and opus-mt-vi-en: d_model 512, 6
encoder + 6 decoder layers, 8 heads, FFN 2048, swish, scaled embeddings, sinusoidal positions, one
vocabulary shared by source, target and output projection (tied), ~58,000 entries. The
SentencePiece models are trained at build time on the repository's own text (the documents of
corpora/seeds and tests/fixtures detected as the source language, resp. English), as large as
that text supports (``hard_vocab_limit=False``, a few thousand pieces); the vocabulary is then
padded with unused entries to ``vocab_size`` so the embedding and output projection cost what the
real model's do (BPE, see train_spm). ``<pad>`` is the last entry, as in OPUS-MT.

The folder has the files of an OPUS-MT download (config.json, model.safetensors,
generation_config.json, source.spm, target.spm, vocab.json, tokenizer_config.json) and is named
``opus-mt-<lang>-en``; it is converted with the project's own ``commitments models convert`` code
(``pipeline.translate.install.convert_model``) into ``opus-mt-<lang>-en-ct2`` (int8).

    python scripts/synthetic_marian.py --out /tmp/synth [--langs de,vi] [--no-convert]
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Helsinki-NLP/opus-mt-de-en config.json (opus-mt-vi-en has the same architecture).
OPUS_MT = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "vocab_size": 58101, "max_length": 512}
WEIGHTS_LABEL = "random (synthetic, OPUS-MT dimensions)"


def corpus_lines(lang: str) -> list[str]:
    """Non-empty lines of the repository's documents in ``lang`` (corpora/seeds, tests/fixtures), by detected language."""
    from pipeline.ingest import iter_documents
    from pipeline.lang import identify

    lines: list[str] = []
    for folder in (ROOT / "corpora" / "seeds", ROOT / "tests" / "fixtures"):
        for doc in iter_documents(folder):
            doc = identify(doc)
            if doc.status == "ok" and doc.lang == lang:
                lines.extend(s.strip() for s in f"{doc.title or ''}\n{doc.text}".splitlines() if len(s.strip()) > 1)
    if not lines:
        raise SystemExit(f"no {lang} text found under corpora/seeds or tests/fixtures to train SentencePiece on")
    return lines


def train_spm(lines: list[str], vocab_size: int) -> bytes:
    """A BPE SentencePiece model (bytes), at most ``vocab_size`` pieces (fewer if the text is small).

    BPE, not OPUS-MT's unigram: on this little text (~15-30 kB per language) unigram stops at ~500-1000
    pieces and cuts German into ~2.2 pieces per word, BPE reaches ~2,500-5,500 pieces and ~1.2-1.3
    pieces per word, near what OPUS-MT's 58k vocabulary gives -- and the number of source tokens,
    not the segmentation algorithm, is what costs time.
    """
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=buf, vocab_size=vocab_size,
                                   model_type="bpe", character_coverage=1.0, hard_vocab_limit=False,
                                   minloglevel=2, num_threads=1, shuffle_input_sentence=False)
    return buf.getvalue()


def build_marian(path: Path, lang: str, *, d_model: int = OPUS_MT["d_model"], layers: int = OPUS_MT["layers"],
                 heads: int = OPUS_MT["heads"], ffn: int = OPUS_MT["ffn"], vocab_size: int = OPUS_MT["vocab_size"],
                 max_length: int = OPUS_MT["max_length"], spm_vocab: int = 8000, seed: int = 0) -> Path:
    """Write a random-weight MarianMT folder for ``lang`` -> en at ``path``; returns ``path``.

    ``vocab_size`` is the padded size of the shared vocabulary (the real sizes need ~58,000); if the
    trained SentencePiece pieces alone are more, they are all kept.
    """
    import sentencepiece as spm
    import torch
    import transformers
    from transformers import MarianConfig, MarianMTModel

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    path.mkdir(parents=True, exist_ok=True)
    (path / "source.spm").write_bytes(train_spm(corpus_lines(lang), spm_vocab))
    (path / "target.spm").write_bytes(train_spm(corpus_lines("en"), spm_vocab))
    pieces: list[str] = []
    seen = {"<unk>", "<s>", "</s>", "<pad>"}
    for name in ("source.spm", "target.spm"):
        sp = spm.SentencePieceProcessor(model_file=str(path / name))
        for i in range(sp.get_piece_size()):
            p = sp.id_to_piece(i)
            if p not in seen:
                seen.add(p)
                pieces.append(p)
    tokens = ["</s>", "<unk>"] + pieces
    tokens += [f"<unused_{i}>" for i in range(max(0, vocab_size - 1 - len(tokens)))]
    tokens.append("<pad>")                      # last, as in OPUS-MT (CTranslate2's converter relies on it)
    vocab = {t: i for i, t in enumerate(tokens)}
    pad = vocab["<pad>"]
    (path / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (path / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "MarianTokenizer", "source_lang": lang, "target_lang": "en",
        "model_max_length": max_length, "separate_vocabs": False}), encoding="utf-8")
    config = MarianConfig(
        vocab_size=len(tokens), d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads, encoder_ffn_dim=ffn, decoder_ffn_dim=ffn,
        activation_function="swish", scale_embedding=True, static_position_embeddings=True,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True, normalize_embedding=False,
        max_position_embeddings=max_length, pad_token_id=pad, eos_token_id=0, bos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0, bad_words_ids=[[pad]], num_beams=4,
        max_length=max_length, dropout=0.1, attention_dropout=0.0, activation_dropout=0.0, init_std=0.02)
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.eval()
    model.save_pretrained(path)
    (path / "synthetic.json").write_text(json.dumps({
        "weights": WEIGHTS_LABEL, "seed": seed, "lang": lang, "d_model": d_model, "layers": layers, "heads": heads,
        "ffn": ffn, "vocab_size": len(tokens), "trained_pieces": len(pieces) + 2,
        "parameters": sum(p.numel() for p in model.parameters())}, indent=2) + "\n", encoding="utf-8")
    return path


def build(out: Path, lang: str, *, convert: bool = True, **dims) -> dict:
    """``out/opus-mt-<lang>-en`` (MarianMT) and, with ``convert``, ``out/opus-mt-<lang>-en-ct2`` (int8).

    Returns {"marian": Path, "ctranslate2": Path | None, "build_seconds": .., "convert_seconds": ..,
    "info": synthetic.json}. The conversion is the one ``commitments models convert`` runs.
    """
    from pipeline.config import NMT_CT2_SUFFIX, NMT_MODEL_NAME

    out.mkdir(parents=True, exist_ok=True)
    name = NMT_MODEL_NAME.format(lang=lang)
    t = time.perf_counter()
    marian = build_marian(out / name, lang, **dims)
    res = {"marian": marian, "ctranslate2": None, "build_seconds": time.perf_counter() - t, "convert_seconds": None,
           "info": json.loads((marian / "synthetic.json").read_text(encoding="utf-8"))}
    if convert:
        from pipeline.translate.install import convert_model

        t = time.perf_counter()
        installed = convert_model(name, out, force=True)
        if installed.problem:
            raise RuntimeError(installed.problem)
        res["ctranslate2"] = out / (name + NMT_CT2_SUFFIX)
        res["convert_seconds"] = time.perf_counter() - t
    return res


# ------------------------------------------------------------------------------ forced-length decoding
def forced_length_generate(engine, texts: list[str], length: int) -> list[list[int]]:
    """Greedy MarianMT decoding of exactly ``length`` tokens per input, the call MarianEngine makes.

    As ``MarianEngine._generate`` (same tokenizer call, ``model.generate`` under inference_mode,
    ``num_beams=engine.beam_size``, no sampling) except that the output length is pinned:
    ``min_new_tokens = max_new_tokens = length`` and no forced final ``</s>``. Returns the generated
    ids without the decoder start token.
    """
    import torch

    enc = engine.tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=engine.max_tokens + 1)
    with torch.inference_mode():
        out = engine._net.generate(**enc, num_beams=engine.beam_size, do_sample=False, min_new_tokens=length,
                                   max_new_tokens=length, forced_eos_token_id=None)
    return [row[1:].tolist() for row in out]


def forced_length_translate(engine, texts: list[str], length: int) -> list[list[str]]:
    """CTranslate2 greedy decoding of exactly ``length`` tokens per input, the call CT2Engine makes.

    As ``CT2Engine._generate`` (SentencePiece pieces + ``</s>``, ``translate_batch`` with
    ``beam_size=engine.beam_size`` and ``max_batch_size=engine.batch_size``) except that
    ``min_decoding_length = max_decoding_length = length``. Returns the output pieces.
    """
    tokens = [engine._src.encode(t, out_type=str) + ["</s>"] for t in texts]
    results = engine._translator.translate_batch(tokens, beam_size=engine.beam_size, max_batch_size=engine.batch_size,
                                                 min_decoding_length=length, max_decoding_length=length)
    return [r.hypotheses[0] for r in results]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="folder to write opus-mt-<lang>-en[-ct2] into")
    ap.add_argument("--langs", default="de", help="source languages, comma-separated (de, vi)")
    ap.add_argument("--no-convert", action="store_true", help="MarianMT folder only, no CTranslate2 copy")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    for lang in [x for x in a.langs.split(",") if x]:
        res = build(a.out, lang, convert=not a.no_convert, seed=a.seed)
        info = res["info"]
        print(f"{res['marian']}: {info['parameters'] / 1e6:.1f} M parameters, vocab {info['vocab_size']} "
              f"({info['trained_pieces']} trained pieces), {res['build_seconds']:.1f}s"
              + (f"; {res['ctranslate2']} (int8) in {res['convert_seconds']:.1f}s" if res["ctranslate2"] else ""))


if __name__ == "__main__":
    main()
