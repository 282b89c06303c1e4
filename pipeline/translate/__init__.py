"""Translation stage: a document's sentences, each beside its English translation.

Public API (the runner and the CLI use only this):
    translate_document(doc, spans, settings) -> list[Sentence]
    engine_signature(settings) -> str          engine + model per language (part of cache keys)
    engine_notes(settings) -> list[str]        one line per language for the user
English documents pass through with engine "identity". Vietnamese and German go to the engine
chosen by ``select.choose`` (CTranslate2 > MarianMT > lexicon > identity, by what is installed under
``settings.models_dir``). Translations are cached per sentence under (engine, model version,
language, source sentence), so a re-run translates only sentences it has not seen. Every translated
sentence is checked by ``fidelity.check``; its warnings go to ``Sentence.warnings``.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.cache import Cache, key_of
from pipeline.config import NMT_MODEL_NAME, SUPPORTED_LANGS
from pipeline.records import Document, Sentence
from pipeline.translate import fidelity, select

# Counters for this process: sentences sent to an engine, served from the cache, engine calls.
STATS: Counter[str] = Counter()


def identity_sentences(doc: Document, spans: list[tuple[int, int]]) -> list[Sentence]:
    caption_spans = [(c.source_start, c.source_end) for c in doc.captions]
    out = []
    for a, b in spans:
        src = doc.text[a:b]
        cap = any(cs <= a and b <= ce for cs, ce in caption_spans)
        out.append(Sentence(source_start=a, source_end=b, source=src, english=src, engine="identity", caption=cap))
    return out


def _models_dir(settings) -> Path:
    return Path(getattr(settings, "models_dir", None) or "models")


def _cache(settings) -> Cache:
    return settings.cache("translation") if settings is not None and hasattr(settings, "cache") else Cache(None, "translation")


def translation_key(engine_name: str, model: str | None, lang: str, source: str) -> str:
    return key_of("translation", engine_name, model, lang, source)


def translate_document(doc: Document, spans: list[tuple[int, int]], settings=None) -> list[Sentence]:
    """Sentence-aligned English for ``doc``: one Sentence per span, same order and offsets."""
    lang = doc.lang or "en"
    base = identity_sentences(doc, spans)
    if lang == select.ENGLISH or not base:
        return base
    choice = select.choose(lang, _models_dir(settings))
    while choice.engine is not None:
        try:
            english = _translate(choice, [s.source for s in base], lang, _cache(settings))
            break
        except Exception as exc:  # noqa: BLE001 - a failing engine is dropped, the next one takes over
            select.mark_broken(choice, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            choice = select.choose(lang, _models_dir(settings))
    if choice.engine is None:
        return base
    out = []
    for s, en in zip(base, english):
        out.append(s.model_copy(update={"english": en, "engine": choice.name, "model": choice.model,
                                        "warnings": fidelity.check(s.source, en, lang)}))
    return out


def _translate(choice: select.Choice, sources: list[str], lang: str, cache: Cache) -> list[str]:
    engine = choice.engine
    keys = {src: translation_key(choice.name, choice.model, lang, src) for src in sources}
    cached = cache.get_many(sorted(set(keys.values())))
    known = {src: cached[k] for src, k in keys.items() if k in cached}
    todo = [src for src in dict.fromkeys(sources) if src not in known]
    STATS["cached"] += sum(1 for src in sources if src in known)
    if todo:
        new = engine.translate(todo)
        if len(new) != len(todo):
            raise RuntimeError(f"{choice.name} returned {len(new)} translations for {len(todo)} sentences")
        STATS["engine_calls"] += 1
        STATS["translated"] += len(todo)
        known.update(zip(todo, new))
        cache.put_many({keys[src]: en for src, en in zip(todo, new)})
    return [known[src] for src in sources]


def engine_signature(settings=None) -> str:
    """What translates each language now (engine + model version); part of the runner's cache keys."""
    parts = []
    for lang in SUPPORTED_LANGS:
        if lang == select.ENGLISH:
            continue
        c = select.choose(lang, _models_dir(settings))
        parts.append(f"{lang}={c.name}:{c.model or ''}")
    return ";".join(parts) or "identity"


def engine_notes(settings=None) -> list[str]:
    """One line per non-English language: which engine will run (plus any model folder skipped)."""
    models_dir = _models_dir(settings)
    lines: list[str] = []
    for lang in SUPPORTED_LANGS:
        if lang == select.ENGLISH:
            continue
        c = select.choose(lang, models_dir)
        lines.extend(c.notes)
        hint = (f"for neural MT put an OPUS-MT model in {models_dir / NMT_MODEL_NAME.format(lang=lang)} "
                f"(see `commitments models import` / `make models`)")
        if c.name in ("ctranslate2", "marian"):
            label = "CTranslate2" if c.name == "ctranslate2" else "MarianMT"
            lines.append(f"{lang}: {label} neural translator ({c.model}, {c.path})")
        elif c.name == "lexicon":
            lines.append(f"{lang}: lexicon translator (offline default, {c.model}); {hint}")
        else:
            lines.append(f"{lang}: no translator available, {lang} sentences stay untranslated; {hint}")
    return lines
