"""Installing NMT models into models/: import a folder the user has, list, convert to CTranslate2.

Used by ``commitments models import|list|convert`` and ``scripts/fetch_models.py``. Every failure is
a ``ModelError`` with a one-line message.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from pipeline.config import NMT_CT2_COMPUTE_TYPE, NMT_CT2_SUFFIX, NMT_MODEL_NAME, SUPPORTED_LANGS
from pipeline.translate import select
from pipeline.translate.nmt import MODEL_INFO, ModelError, model_version, read_info

SOURCE_LANGS = tuple(lang for lang in SUPPORTED_LANGS if lang != select.ENGLISH)


def _write_info(path: Path, **fields) -> None:
    info = read_info(path)
    info.update({k: v for k, v in fields.items() if v is not None})
    (path / MODEL_INFO).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def import_model(src: Path, models_dir: Path, lang: str | None = None, name: str | None = None,
                 force: bool = False) -> select.Installed:
    """Copy the model folder ``src`` into ``models_dir`` (validated first); returns what was installed."""
    src = Path(src)
    if not src.exists():
        raise ModelError(f"{src}: no such folder")
    found = select.inspect(src)
    if found.kind is None or (found.problem and "source language unknown" not in found.problem):
        raise ModelError(found.problem or f"{src}: not a model folder")
    lang = lang or found.lang
    if not lang:
        raise ModelError(f"cannot tell the source language of {src}: pass --lang ({'|'.join(SOURCE_LANGS)})")
    if lang not in SOURCE_LANGS:
        raise ModelError(f"--lang must be one of {', '.join(SOURCE_LANGS)} (got {lang!r})")
    name = name or NMT_MODEL_NAME.format(lang=lang) + (NMT_CT2_SUFFIX if found.kind == "ctranslate2" else "")
    if "/" in name or name.startswith(".") or not name.strip():
        raise ModelError(f"--name must be a plain folder name (got {name!r})")
    dest = Path(models_dir) / name
    if dest.resolve() == src.resolve():
        _write_info(dest, lang=lang, engine=found.kind)
        return select.inspect(dest)
    if dest.exists() and not force:
        raise ModelError(f"{dest} already exists (pass --force to replace it)")
    Path(models_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".import-", dir=models_dir) as tmp:
        staged = Path(tmp) / name
        shutil.copytree(src, staged)
        _write_info(staged, lang=lang, engine=found.kind, imported_from=str(src.resolve()))
        if dest.exists():
            shutil.rmtree(dest)
        staged.rename(dest)
    installed = select.inspect(dest)
    if installed.problem:
        raise ModelError(installed.problem)
    return installed


def convert_model(name: str, models_dir: Path, out_name: str | None = None,
                  quantization: str = NMT_CT2_COMPUTE_TYPE, force: bool = False) -> select.Installed:
    """Convert the installed MarianMT folder ``models_dir/name`` to CTranslate2 (``<name>-ct2``)."""
    from pipeline.translate.ct2 import convert_marian

    src = Path(models_dir) / name
    if not src.is_dir():
        raise ModelError(f"no model named {name!r} in {models_dir} (see `commitments models list`)")
    found = select.inspect(src)
    if found.kind != "marian":
        raise ModelError(found.problem or f"{src} is a {found.kind} model; only MarianMT folders can be converted")
    dest = Path(models_dir) / (out_name or name + NMT_CT2_SUFFIX)
    convert_marian(src, dest, quantization=quantization, force=force)
    _write_info(dest, lang=found.lang, engine="ctranslate2")
    return select.inspect(dest)


def list_models(models_dir: Path) -> list[dict]:
    """One row per folder: name, engine kind, language, version, status (in use / fallback / problem)."""
    rows = []
    in_use = {lang: (select.candidates(models_dir, lang)[:1] or [None])[0] for lang in SOURCE_LANGS}
    for m in select.scan(models_dir):
        if m.problem:
            status = m.problem.removeprefix(f"{m.path}: ")
        elif in_use.get(m.lang) is not None and in_use[m.lang].path == m.path:
            status = "in use"
        else:
            status = "installed (not preferred)"
        rows.append({"name": m.path.name, "engine": m.kind or "-", "lang": m.lang or "?",
                     "version": model_version(m.path).rsplit("@", 1)[1] if m.kind and not m.problem else "-",
                     "status": status})
    return rows
