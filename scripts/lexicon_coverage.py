#!/usr/bin/env python3
"""Untranslated-token rate of the offline lexicon translator, in and out of sample.

    python scripts/lexicon_coverage.py --build DIR [DIR ...] --held-out DIR [DIR ...] [--lang vi,de] [--top 30]
    python scripts/lexicon_coverage.py --split DIR [DIR ...]    # split these folders' articles in two by name

Every Vietnamese and German article (the pipeline's own ingest and language detection) is cut into
sentences and translated by the lexicon engine; a word token (numbers aside) is *untranslated* when
the engine leaves it as written (no phrase, pattern, body name, inflection or compound covers it).
The rate is untranslated / word tokens, per language, on two sets of articles:

* build (in sample): the articles the lexicon was grown on;
* held out (out of sample): articles no lexicon entry was written from.

``--split`` cuts the given folders' articles in two halves by a stable hash of the file name (even:
build, odd: held out), so the same split is reused every time and entries are only ever written
from the build half. The rate excluding capitalised words that do not open a sentence (mostly names
of people and places, which stay as written on purpose) is printed beside it.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.ingest import iter_documents  # noqa: E402
from pipeline.lang import identify  # noqa: E402
from pipeline.segment import split_sentences  # noqa: E402
from pipeline.translate.lexicon import LexiconEngine  # noqa: E402


def half(path: str) -> str:
    return "build" if int(hashlib.sha1(Path(path).name.encode()).hexdigest(), 16) % 2 == 0 else "held-out"


def articles(folders: list[Path]):
    for folder in folders:
        for doc in iter_documents(folder):
            if doc.status == "ok":
                doc = identify(doc)
                if doc.status == "ok":
                    yield doc


def measure(docs, langs: list[str]) -> dict:
    engines = {lang: LexiconEngine(lang) for lang in langs}
    out = {lang: {"docs": 0, "words": 0, "unknown": 0, "unknown_lower": 0, "top": Counter()} for lang in langs}
    for doc in docs:
        lang = doc.lang
        if lang not in engines:
            continue
        r = out[lang]
        r["docs"] += 1
        for a, b in split_sentences(doc.text, lang):
            n, unk = engines[lang].untranslated(doc.text[a:b])
            first = next((w for w in doc.text[a:b].split() if w[:1].isalpha()), "")
            r["words"] += n
            r["unknown"] += len(unk)
            lower = [w for w in unk if w[:1].islower() or first.startswith(w)]
            r["unknown_lower"] += len(lower)
            r["top"].update(w.lower() for w in lower)
    return out


def report(name: str, res: dict, top: int) -> None:
    for lang, r in res.items():
        if not r["words"]:
            continue
        print(f"{name:9} {lang}: {r['docs']:3} articles, {r['words']:6} word tokens, untranslated "
              f"{100 * r['unknown'] / r['words']:.1f}% (without capitalised names {100 * r['unknown_lower'] / r['words']:.1f}%)")
        if top:
            print("          most frequent:", ", ".join(f"{w} {c}" for w, c in r["top"].most_common(top)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", nargs="*", default=[], type=Path, help="folders the lexicon was built on")
    ap.add_argument("--held-out", nargs="*", default=[], type=Path, help="folders no entry was written from")
    ap.add_argument("--split", nargs="*", default=[], type=Path, help="folders to split in two halves by file name")
    ap.add_argument("--lang", default="vi,de")
    ap.add_argument("--top", type=int, default=0, help="show the N most frequent untranslated words per set")
    a = ap.parse_args(argv)
    langs = [x for x in a.lang.split(",") if x]
    build = list(articles(a.build))
    held = list(articles(a.held_out))
    for doc in articles(a.split):
        (build if half(doc.path) == "build" else held).append(doc)
    report("build", measure(build, langs), a.top)
    report("held-out", measure(held, langs), a.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
