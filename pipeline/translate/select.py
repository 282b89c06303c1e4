"""Which engine translates each language, decided by what is installed under ``models/``.

Per source language, in order of preference:
  1. a CTranslate2 folder for it (``models/opus-mt-vi-en-ct2/``)            -> "ctranslate2"
  2. a MarianMT folder for it (``models/opus-mt-vi-en/``)                   -> "marian"
  3. the lexicon engine (pipeline/translate/lexicon.py, offline default)    -> "lexicon"
  4. nothing: the source text is passed through                            -> "identity"
English is always "identity". A folder's language comes from its ``model-info.json`` ("lang"),
else from its name (``…-vi-en…``), else from ``tokenizer_config.json`` ("source_lang"). A folder
that is broken (missing files, fails to load, fails a one-sentence smoke test) is skipped with a
note, never an exception: a run never fails for lack of a model.

Engines are built once per process per (language, models folder contents) and reused.
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import NMT_CT2_SUFFIX, NMT_MODEL_NAME
from pipeline.translate.nmt import ModelError, read_info

ENGLISH = "en"
_NAME_LANG = re.compile(r"(?:^|[-_.])([a-z]{2,3})-en(?:$|[-_.])")


@dataclass(frozen=True)
class Installed:
    """One folder under models/."""

    path: Path
    kind: str | None        # "ctranslate2" | "marian" | None (not a model folder)
    lang: str | None
    problem: str | None = None


@dataclass
class Choice:
    """The engine for one language, and what was skipped on the way (one line each)."""

    lang: str
    engine: object | None   # a TranslationEngine; None = identity
    notes: list[str] = field(default_factory=list)
    path: Path | None = None

    @property
    def name(self) -> str:
        return getattr(self.engine, "name", "identity")

    @property
    def model(self) -> str | None:
        return getattr(self.engine, "model", None)


def _folder_lang(path: Path) -> str | None:
    lang = read_info(path).get("lang")
    if lang:
        return str(lang)
    m = _NAME_LANG.search(path.name.lower())
    if m:
        return m.group(1)
    try:
        cfg = json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
        return cfg.get("source_lang") or None
    except (OSError, ValueError):
        return None


def inspect(path: Path) -> Installed:
    """What the folder ``path`` holds, with a one-line problem if it cannot be used."""
    from pipeline.translate.ct2 import check_ct2_dir
    from pipeline.translate.marian import check_marian_dir

    lang = _folder_lang(path)
    if (path / "model.bin").exists():
        kind, check = "ctranslate2", check_ct2_dir
    elif (path / "config.json").exists():
        kind, check = "marian", check_marian_dir
    else:
        return Installed(path, None, lang, f"{path}: neither a MarianMT nor a CTranslate2 model folder")
    try:
        check(path)
    except ModelError as exc:
        return Installed(path, kind, lang, str(exc))
    if not lang:
        return Installed(path, kind, None, f"{path}: source language unknown (name it opus-mt-<lang>-en or "
                                           "re-import with --lang)")
    return Installed(path, kind, lang)


def scan(models_dir: Path) -> list[Installed]:
    """Every folder under ``models_dir`` (sorted by name); none if it does not exist."""
    models_dir = Path(models_dir)
    if not models_dir.is_dir():
        return []
    return [inspect(p) for p in sorted(models_dir.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def candidates(models_dir: Path, lang: str) -> list[Installed]:
    """Usable model folders for ``lang``, best first: CTranslate2 before Marian, default names first."""
    default = NMT_MODEL_NAME.format(lang=lang)
    rank = {"ctranslate2": 0, "marian": 1}
    found = [m for m in scan(models_dir) if m.lang == lang and m.kind and not m.problem]
    return sorted(found, key=lambda m: (rank[m.kind], m.path.name not in (default, default + NMT_CT2_SUFFIX),
                                        m.path.name))


def _build(m: Installed):
    if m.kind == "ctranslate2":
        from pipeline.translate.ct2 import CT2Engine

        engine = CT2Engine(m.path, m.lang)
    else:
        from pipeline.translate.marian import MarianEngine

        engine = MarianEngine(m.path, m.lang)
    out = engine.translate(["1."])          # smoke test: weights and vocabulary fit together
    if len(out) != 1 or not isinstance(out[0], str):
        raise ModelError(f"{m.path}: the model returned no translation")
    return engine


_LOCK = threading.RLock()
_CHOICES: dict[tuple, Choice] = {}
_LEXICONS: dict[str, tuple[object | None, str | None]] = {}
_BROKEN: dict[str, str] = {}   # engine key -> why it was dropped at run time


def _lexicon(lang: str) -> tuple[object | None, str | None]:
    if lang not in _LEXICONS:
        try:
            from pipeline.translate.lexicon import LexiconEngine
        except ImportError as exc:
            _LEXICONS[lang] = (None, f"{lang}: lexicon engine not installed ({exc})")
        else:
            try:
                _LEXICONS[lang] = (LexiconEngine(lang), None)
            except Exception as exc:  # noqa: BLE001 - any data problem means "no lexicon", reported
                _LEXICONS[lang] = (None, f"{lang}: lexicon engine unavailable ({type(exc).__name__}: "
                                         f"{str(exc).splitlines()[0] if str(exc) else ''})")
    return _LEXICONS[lang]


def _engine_key(engine) -> str:
    return f"{getattr(engine, 'name', '?')}:{getattr(engine, 'path', '')}:{getattr(engine, 'model', '')}"


def _dir_state(models_dir: Path) -> tuple:
    """Changes when a model folder is added, removed or replaced (cheap: one listing)."""
    try:
        return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(Path(models_dir).iterdir()))
    except OSError:
        return ()


def choose(lang: str, models_dir: Path | str = Path("models")) -> Choice:
    """The engine for ``lang`` given ``models_dir`` (built on first use, then reused)."""
    if lang == ENGLISH or not lang:
        return Choice(lang or ENGLISH, None)
    models_dir = Path(models_dir)
    key = (lang, str(models_dir.resolve()), _dir_state(models_dir), tuple(sorted(_BROKEN)))
    with _LOCK:
        if key not in _CHOICES:
            _CHOICES[key] = _choose(lang, models_dir)
        return _CHOICES[key]


def _choose(lang: str, models_dir: Path) -> Choice:
    notes: list[str] = []
    for m in scan(models_dir):
        if m.problem and (m.lang in (lang, None)):
            notes.append(f"{lang}: skipped {m.problem}")
    for m in candidates(models_dir, lang):
        try:
            engine = _build(m)
        except Exception as exc:  # noqa: BLE001 - a broken model must never stop a run
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            notes.append(f"{lang}: skipped {m.path}: cannot load it ({msg})")
            continue
        if _engine_key(engine) in _BROKEN:
            notes.append(f"{lang}: skipped {m.path}: {_BROKEN[_engine_key(engine)]}")
            continue
        return Choice(lang, engine, notes, m.path)
    engine, problem = _lexicon(lang)
    if engine is not None and _engine_key(engine) not in _BROKEN:
        return Choice(lang, engine, notes)
    if problem:
        notes.append(problem)
    return Choice(lang, None, notes)


def mark_broken(choice: Choice, reason: str) -> None:
    """Drop ``choice``'s engine for the rest of the process (it failed while translating)."""
    with _LOCK:
        _BROKEN[_engine_key(choice.engine)] = f"failed while translating ({reason})"


def reset() -> None:
    """Forget every built engine (tests; after installing models in a long-lived process)."""
    with _LOCK:
        _CHOICES.clear()
        _LEXICONS.clear()
        _BROKEN.clear()
