"""The interface every translation engine implements.

An engine translates a batch of source sentences of one language into English, one output per
input, in order. Engines are constructed once per process and reused (models load once).
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class TranslationEngine(Protocol):
    name: str   # "lexicon" | "marian" | "ctranslate2" | "identity"
    model: str  # model name + version, e.g. "lexicon-vi@3f2a1c" or "opus-mt-vi-en@<hash>"; part of cache keys
    lang: str   # source language (ISO 639-1)

    def translate(self, sentences: list[str]) -> list[str]:
        """English for each sentence, same length and order as the input."""
        ...
