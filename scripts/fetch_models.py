#!/usr/bin/env python3
"""Fetch the OPUS-MT models (de->en, vi->en) into models/ and convert them to CTranslate2 int8.

    python scripts/fetch_models.py --models-dir models        (what `make models` runs)

Needs a network that reaches the Hugging Face Hub. Without one it prints one line saying so (and how
to install a model folder you already have: `commitments models import DIR --lang vi`) and exits 3;
any other failure is one line and exit 2. Models already installed are left as they are.
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPOS = {"de": "Helsinki-NLP/opus-mt-de-en", "vi": "Helsinki-NLP/opus-mt-vi-en"}
# Only what MarianMT needs (the repos also hold TF/Flax weights we never load).
FILES = ["config.json", "generation_config.json", "source.spm", "target.spm", "vocab.json",
         "tokenizer_config.json", "pytorch_model.bin", "model.safetensors"]
NO_NETWORK = 3


def hub_reachable(timeout: float = 5.0) -> tuple[bool, str]:
    """Whether the Hub answers a TCP connection (DNS included) within ``timeout`` seconds."""
    if os.environ.get("HF_HUB_OFFLINE") in ("1", "true", "True"):
        return False, "HF_HUB_OFFLINE is set"
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    result: dict[str, str | None] = {"error": "timed out"}

    def probe() -> None:
        try:
            socket.create_connection((host, 443), timeout=timeout).close()
            result["error"] = None
        except OSError as exc:
            result["error"] = str(exc) or type(exc).__name__

    t = threading.Thread(target=probe, daemon=True)
    t.start()
    t.join(timeout + 1)
    return result["error"] is None, f"{host} is not reachable ({result['error']})"


def fetch(lang: str, models_dir: Path, quantization: str, convert: bool) -> list[str]:
    from huggingface_hub import snapshot_download

    from pipeline.config import NMT_CT2_SUFFIX, NMT_MODEL_NAME
    from pipeline.translate.install import _write_info, convert_model
    from pipeline.translate.marian import check_marian_dir
    from pipeline.translate.nmt import ModelError

    lines = []
    name = NMT_MODEL_NAME.format(lang=lang)
    dest = models_dir / name
    try:
        check_marian_dir(dest)
        lines.append(f"{lang}: {dest} already installed")
    except ModelError:
        snapshot_download(repo_id=REPOS[lang], local_dir=str(dest), allow_patterns=FILES)
        check_marian_dir(dest)
        _write_info(dest, lang=lang, engine="marian", source=f"https://huggingface.co/{REPOS[lang]}")
        lines.append(f"{lang}: downloaded {REPOS[lang]} -> {dest}")
    ct2_dir = models_dir / (name + NMT_CT2_SUFFIX)
    if convert and not (ct2_dir / "model.bin").is_file():
        convert_model(name, models_dir, quantization=quantization, force=True)
        lines.append(f"{lang}: converted to CTranslate2 {quantization} -> {ct2_dir}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", type=Path, default=Path("models"))
    ap.add_argument("--lang", action="append", choices=sorted(REPOS), help="only this language (repeatable)")
    ap.add_argument("--quantization", default="int8", help="CTranslate2 weight type (default int8)")
    ap.add_argument("--no-convert", action="store_true", help="keep only the MarianMT folders")
    args = ap.parse_args(argv)
    langs = args.lang or sorted(REPOS)
    ok, why = hub_reachable()
    if not ok:
        print(f"make models: cannot download OPUS-MT models: {why}. Without a network, copy a model folder you "
              f"already have with `commitments models import DIR --lang {'|'.join(langs)}` (see models/README.md); "
              f"until then the offline lexicon translator is used.", file=sys.stderr)
        return NO_NETWORK
    try:
        args.models_dir.mkdir(parents=True, exist_ok=True)
        for lang in langs:
            for line in fetch(lang, args.models_dir, args.quantization, not args.no_convert):
                print(line)
    except KeyboardInterrupt:
        print("make models: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line for the user, never a traceback
        msg = str(exc).splitlines()[0] if str(exc) else ""
        print(f"make models: {type(exc).__name__}: {msg}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
