"""Execution engines for the per-document stages: local (serial or a process pool) and Dask.

An engine maps ``fn(batch, settings) -> results`` over batches and yields results in input
order, so outputs are identical whatever the engine or the number of workers.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class LocalEngine:
    def __init__(self, workers: int = 1):
        self.workers = max(1, workers)

    def map(self, fn: Callable[[T, object], R], items: Iterable[T], settings) -> Iterator[R]:
        if self.workers == 1:
            for item in items:
                yield fn(item, settings)
            return
        import multiprocessing as mp
        from functools import partial

        ctx = mp.get_context("spawn" if mp.get_start_method(allow_none=True) == "spawn" else "fork")
        picklable = _strip(settings)
        with ctx.Pool(self.workers) as pool:
            yield from pool.imap(partial(fn, settings=picklable), items, chunksize=1)


def _strip(settings):
    """Settings without the (unpicklable) progress callback."""
    import dataclasses

    return dataclasses.replace(settings, progress=None)


def get_engine(settings) -> LocalEngine:
    if settings.engine == "local":
        return LocalEngine(settings.workers)
    raise ValueError(f"unknown engine {settings.engine!r} (expected: local)")
