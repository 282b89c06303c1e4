"""Build a tiny, random-weight MarianMT model folder at test time (no download, < 1 s).

The folder has exactly the files an OPUS-MT download has (config.json, model.safetensors,
generation_config.json, source.spm, target.spm, vocab.json, tokenizer_config.json), so it is
loaded by the same code path as a real model under models/.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

SOURCE = [
    "Thủ tướng chủ trì cuộc họp thứ tư của Ban Chỉ đạo.",
    "Chính phủ giao 679 nhiệm vụ cho 56 cơ quan.",
    "Đến ngày 23/9/2025, 270 nhiệm vụ đã hoàn thành.",
    "Bộ Công an đã cắt giảm 1.027 thủ tục hành chính.",
    "Doanh thu đạt 3,2 triệu tỷ đồng, tăng 28%.",
    "Các bộ, ngành và địa phương phải hoàn thành cơ sở dữ liệu.",
    "Tỉnh đã đạt 95% dịch vụ công trực tuyến.",
    "Thủ tướng yêu cầu Bộ Nội vụ rà soát nguồn nhân lực.",
]
TARGET = [
    "The Prime Minister chaired the fourth meeting of the Steering Committee.",
    "The government assigned 679 tasks to 56 agencies.",
    "By September 23, 2025, 270 tasks had been completed.",
    "The Ministry of Public Security cut 1,027 administrative procedures.",
    "Revenue reached 3.2 million billion VND, up 28%.",
    "Ministries, branches and localities must complete their databases.",
    "The province reached 95% of online public services.",
    "The Prime Minister asked the Ministry of Home Affairs to review human resources.",
]


def _spm(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines * 4), model_writer=buf, vocab_size=vocab_size,
                                   model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
                                   minloglevel=2, num_threads=1)
    return buf.getvalue()


def build_tiny_marian(path: Path, *, pad_last: bool = True, max_length: int = 32, seed: int = 0) -> Path:
    """Write a tiny MarianMT model to ``path``: vocab ~150, d_model 16, one layer each side."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel

    path.mkdir(parents=True, exist_ok=True)
    (path / "source.spm").write_bytes(_spm(SOURCE, 100))
    (path / "target.spm").write_bytes(_spm(TARGET, 60))
    pieces: list[str] = []
    for name in ("source.spm", "target.spm"):
        sp = spm.SentencePieceProcessor(model_file=str(path / name))
        for i in range(sp.get_piece_size()):
            p = sp.id_to_piece(i)
            if p not in ("<unk>", "<s>", "</s>") and p not in pieces:
                pieces.append(p)
    tokens = ["</s>", "<unk>"] + ([] if pad_last else ["<pad>"]) + pieces + (["<pad>"] if pad_last else [])
    vocab = {t: i for i, t in enumerate(tokens)}
    (path / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (path / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "MarianTokenizer", "source_lang": "vi", "target_lang": "en",
        "model_max_length": max_length}), encoding="utf-8")
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=max_length,
        pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
        bad_words_ids=[[pad]], num_beams=1, max_length=max_length, init_std=1.0)
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.eval()
    model.save_pretrained(path)
    return path
