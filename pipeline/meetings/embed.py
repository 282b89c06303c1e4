"""Sentence embeddings for the meeting view: a thin user of the embedding service (pipeline/embed.py).

The interface the rest of the package uses:

    Embedder(cache=None, mapper=None)
        .embed(texts) -> float32 matrix, one unit-length row per text (memoised per text; persisted
                         through the service in ``cache``'s file, so a re-run embeds only new texts)
        .prepare(texts) -> note texts that comparisons may need; nothing is embedded until a cosine
                         asks for it (most prepared texts are never compared: a cheaper test decides
                         the pair first)
        .cos(a, b)    -> cosine of two texts (both embedded on demand)
        .forget()     -> drop the in-memory vectors (the service and the persistent cache keep them)
    embed_chunk(texts, settings=None) -> float16 matrix: the unit of work an engine runs in a worker.

Vectors are rounded to float16 once, whether fresh or read back from the cache, so cached and
uncached runs give byte-identical outputs. The model embeds each text independently of its batch,
so embedding on demand gives the rows a batch would.
"""
from __future__ import annotations

from typing import Iterable

from pipeline import embed as service

MODEL_KEY = "e5-small-q4"
PURPOSE = "meetings"


def embed_chunk(texts: list[str], settings=None):
    """Engine task (module level: it runs in pool or Dask workers): float16 e5 passage vectors of
    ``texts``, one row each."""
    import numpy as np

    return np.asarray(service.embed_chunk(texts), dtype=np.float16)


class Embedder:
    """multilingual-e5-small embeddings, memoised per text.

    ``cache`` (a pipeline.cache.Cache or None) keeps vectors across runs by text (the service's
    namespace in that cache's file). ``mapper`` (optional) runs ``pipeline.embed.embed_chunk`` over a
    list of chunks elsewhere (an engine's map, results in order) when ``embed`` has more than CHUNK
    new texts."""

    CHUNK = 64

    def __init__(self, cache=None, mapper=None) -> None:
        self._vecs: dict[str, object] = {}
        self._cache = cache
        self.mapper = mapper

    @staticmethod
    def _quantise(vec):
        import numpy as np

        return np.asarray(vec, dtype=np.float16).astype(np.float32)

    def _fill(self, texts: Iterable[str]) -> None:
        todo = sorted({t for t in texts if t and t not in self._vecs})
        if not todo:
            return
        if self.mapper is not None and len(todo) > self.CHUNK:
            # many texts and an engine: ``embed_chunk`` on its workers (float16 rows, kept here only:
            # the service keeps the model's exact rows)
            chunks = [todo[i:i + self.CHUNK] for i in range(0, len(todo), self.CHUNK)]
            for chunk, mat in zip(chunks, self.mapper(chunks)):  # to the end: the pool shuts down when exhausted
                for t, v in zip(chunk, mat):
                    self._vecs[t] = self._quantise(v)
            service.decided(PURPOSE, "embedded on workers", len(todo))
            return
        for t, v in zip(todo, service.vectors(todo, self._cache, PURPOSE)):
            self._vecs[t] = self._quantise(v)

    def prepare(self, texts: Iterable[str]) -> None:
        """Texts later ``cos`` calls may compare. Nothing is embedded here: ``cos`` embeds the texts a
        comparison needs (alone or in a batch, the model gives the same rows), so texts whose pairs a
        cheaper test decides never reach the model."""
        service.decided(PURPOSE, "prepared", sum(1 for t in texts if t))

    def embed(self, texts: list[str]):
        """Vectors of ``texts`` (float32, one row each; an empty text gives a zero row)."""
        import numpy as np

        self._fill(texts)
        if not texts:
            return np.zeros((0, service.DIM), dtype=np.float32)
        return np.stack([self._vecs[t] if t else np.zeros(service.DIM, dtype=np.float32) for t in texts])

    def forget(self) -> None:
        self._vecs.clear()

    def cos(self, a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        service.decided(PURPOSE, "cosines")
        self._fill([a, b])
        return float(self._vecs[a] @ self._vecs[b])
