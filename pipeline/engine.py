"""Execution engines for the per-document stages: local (serial or a process pool) and Dask.

An engine maps ``fn(item, settings) -> result`` over an iterable of items (batches of documents)
and yields the results **in input order**, so outputs are byte-identical whatever the engine or
the number of workers. Both engines stream: they pull items lazily and keep a bounded number in
flight (``config.IN_FLIGHT_PER_WORKER`` per worker), so the corpus is never materialised.

* ``LocalEngine(workers)``: ``workers <= 1`` runs in this process. Otherwise a process pool is
  started lazily, only once a second item exists (a single batch gains nothing from a pool and
  would pay each worker's model start-up). Models are loaded once per worker process by the
  stages' own module-level caches. A worker that dies (segfault, OOM kill) raises
  ``EngineError`` at once; it never hangs the run. Workers die with the run: on Linux the kernel
  kills them when their parent ends (``PR_SET_PDEATHSIG``), and a watchdog thread in each worker
  exits it once the run's process is gone, so a ``kill -9`` of the run leaves no orphan behind.
* ``DaskEngine(scheduler, workers)``: batches are submitted to a ``distributed`` cluster (the one
  at ``scheduler``, or a LocalCluster of ``workers`` single-threaded worker processes); results
  are gathered in order on the client. Workers keep their models between tasks (same
  module-level caches). Needs the ``dask`` extra.

Functions given to an engine must be picklable (module-level).
"""
from __future__ import annotations

import collections
import dataclasses
import logging
import os
import signal
import sys
import threading
import time
from typing import Callable, Iterable, Iterator, TypeVar

from pipeline.config import (DASK_WORKER_WAIT_S, IN_FLIGHT_PER_WORKER, THREAD_ENV_VARS, WAIT_SLICE_S,
                             WORKER_WATCHDOG_S, resolve_workers)

T = TypeVar("T")
R = TypeVar("R")


class EngineError(RuntimeError):
    """The engine could not finish: a worker died, a batch raised, or the cluster is unusable."""


def _strip(settings):
    """Settings that can travel to another process: without the progress callback or timings."""
    if settings is None or not dataclasses.is_dataclass(settings):
        return settings
    changes = {f.name: None for f in dataclasses.fields(settings) if f.name in ("progress", "timings")}
    return dataclasses.replace(settings, **changes)


def _limit_threads(n: int) -> None:
    """Numerical libraries loaded later in this process use at most ``n`` threads each."""
    for var in THREAD_ENV_VARS:
        os.environ[var] = str(n)
    if "torch" in sys.modules:  # already loaded (a forked parent had it): tell it directly
        try:
            sys.modules["torch"].set_num_threads(n)
        except Exception:  # noqa: BLE001 - best effort
            pass


def _init_local_worker(threads: int, owner: int | None = None) -> None:
    """Pool initializer: die with the run (``owner``: its process id), quiet Ctrl-C handling (the
    parent stops the pool), the default SIGTERM action (``pool.terminate`` must end a worker even
    if it was forked from a parent that handles SIGTERM), and bounded threads."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if owner is not None:
        die_with_parent(owner)
    _limit_threads(threads)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(owner: int, interval: float = WORKER_WATCHDOG_S) -> None:
    """End this (worker) process as soon as its parent, or the process ``owner`` that started the
    run, is gone. Two mechanisms: the kernel's parent-death signal (Linux; SIGKILL the moment the
    parent ends) and a daemon thread polling every ``interval`` seconds (any POSIX system; also
    covers a forkserver parent that outlives the run). A worker of a dead run only holds memory
    and files: nothing it could still do would be used."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no libc symbol: the watchdog alone
            pass
    if not _alive(owner) or os.getppid() != parent:  # the parent ended before the signal was set
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(owner, parent, interval), name="watch-parent",
                     daemon=True).start()


def _watch_parent(owner: int, parent: int, interval: float) -> None:
    while True:
        time.sleep(interval)
        if os.getppid() != parent or not _alive(owner):
            os._exit(1)  # orphaned: nothing to clean up that the run would still read


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the pid now belongs to another user's process: ours is gone
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):  # no procfs: kill(0) is all there is
        return True
    return state not in (b"Z", b"X")


def _start_method() -> str:
    """``fork`` where it is safe: cheap start, the parent's imports are inherited.

    Forking a process that has already started OpenMP / intra-op thread pools (torch,
    CTranslate2: loaded when a serial run in the same process used NMT) can deadlock the child,
    so such a parent starts its workers with ``forkserver`` (clean process, a little slower).
    """
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    if "fork" not in methods:
        return "spawn"
    if any(m in sys.modules for m in ("torch", "ctranslate2")):
        return "forkserver" if "forkserver" in methods else "spawn"
    return "fork"


class LocalEngine:
    def __init__(self, workers: int = 1, in_flight_per_worker: int = IN_FLIGHT_PER_WORKER, clean_start: bool = False):
        self.workers = resolve_workers(workers)
        # clean_start: workers start from a fresh interpreter (forkserver) rather than as forks of a
        # parent that may hold a large heap by then (the meeting stage runs after clustering)
        self.clean_start = clean_start
        self.in_flight = max(1, self.workers * in_flight_per_worker)
        self.pool_started = False  # observable: tests and the bench check the lazy start

    def map(self, fn: Callable[[T, object], R], items: Iterable[T], settings=None) -> Iterator[R]:
        it = iter(items)
        if self.workers <= 1:
            for item in it:
                yield fn(item, settings)
            return
        first = next(it, _END)
        if first is _END:
            return
        second = next(it, _END)
        if second is _END:  # one batch: no pool, no second model load
            yield fn(first, settings)
            return
        yield from self._pool_map(fn, _chain(first, second, it), settings)

    def _pool_map(self, fn, items: Iterator, settings) -> Iterator:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        threads = max(1, (os.cpu_count() or 1) // self.workers)
        method = _start_method()
        if self.clean_start and method == "fork":
            method = "forkserver" if "forkserver" in mp.get_all_start_methods() else method
        ctx = mp.get_context(method)
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                   initializer=_init_local_worker, initargs=(threads, os.getpid()))
        self.pool_started = True
        picklable = _strip(settings)
        pending: collections.deque = collections.deque()
        clean = False
        try:
            index = 0
            for item in items:
                try:
                    fut = pool.submit(fn, item, picklable)
                except BrokenProcessPool:  # a worker died: report the earliest batch it took down
                    if pending:
                        _result(*pending.popleft(), BrokenProcessPool)
                    raise EngineError("a worker process died (killed, out of memory, or a crash in native code)")
                pending.append((index, fut))
                index += 1
                if len(pending) >= self.in_flight:
                    yield _result(*pending.popleft(), BrokenProcessPool)
            while pending:
                yield _result(*pending.popleft(), BrokenProcessPool)
            clean = True
        finally:
            if clean:
                pool.shutdown(wait=True)
            else:  # error or the consumer stopped early: do not wait for queued batches
                for _, fut in pending:
                    fut.cancel()
                procs = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                for p in procs:
                    if p.is_alive():
                        p.terminate()
                for p in procs:
                    p.join(timeout=5)


def _result(index: int, fut, broken_type):
    try:
        return _wait(fut)
    except broken_type as exc:
        raise EngineError(f"a worker process died while processing batch {index} (killed, out of memory, "
                          "or a crash in native code); rerun with --workers 1 to see the failing document") from exc
    except Exception as exc:
        raise EngineError(f"batch {index} failed in a worker: {type(exc).__name__}: {exc}") from exc


def _wait(fut):
    """``fut.result()``, waiting in short slices. A signal (Ctrl-C, SIGTERM) may be delivered to any
    thread of the process, e.g. the pool's manager thread; its Python handler then runs only when
    the main thread executes bytecode again. One long blocking wait would delay it until a batch
    finishes; a slice bounds the delay (WAIT_SLICE_S)."""
    from concurrent.futures import TimeoutError as FutureTimeout

    while True:
        try:
            return fut.result(timeout=WAIT_SLICE_S)
        except FutureTimeout:
            continue


_END = object()


def _chain(first, second, rest: Iterator) -> Iterator:
    yield first
    yield second
    yield from rest


# ----------------------------------------------------------------------------------------- Dask
def _worker_fingerprint() -> str:
    """Version + hash of the pipeline's code and data as installed in this process (fresh)."""
    import pipeline

    pipeline._FINGERPRINT = None  # recompute: the files on disk are what the next task imports
    return f"{pipeline.PIPELINE_VERSION}/{pipeline.code_fingerprint()}"


def _dask_worker_setup(threads: int) -> None:
    _limit_threads(threads)


class DaskEngine:
    """Per-document stages on a Dask ``distributed`` cluster; results gathered in order here."""

    def __init__(self, scheduler: str | None = None, workers: int = 0,
                 in_flight_per_worker: int = IN_FLIGHT_PER_WORKER, timeout: float = DASK_WORKER_WAIT_S):
        self.scheduler = scheduler
        self.timeout = timeout
        self.workers = resolve_workers(workers)
        self.in_flight_per_worker = in_flight_per_worker
        self.cluster_started = False

    def _connect(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EngineError("the dask engine needs the `dask` extra: pip install -e '.[dask]'") from exc
        for name in ("distributed", "distributed.worker", "distributed.scheduler", "distributed.nanny",
                     "distributed.core", "distributed.http.proxy", "distributed.utils_perf"):
            logging.getLogger(name).setLevel(logging.ERROR)
        cluster = None
        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout=self.timeout)
            except OSError as exc:
                raise EngineError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from exc
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   silence_logs=logging.ERROR, dashboard_address=None)
            client = Client(cluster)
        self.cluster_started = True
        try:
            client.wait_for_workers(1, timeout=self.timeout)
        except Exception as exc:  # distributed raises TimeoutError
            _close(client, cluster)
            raise EngineError(f"no Dask worker joined the scheduler {self.scheduler or '(local)'} "
                              f"within {self.timeout:g} s") from exc
        mine = _worker_fingerprint()
        theirs = client.run(_worker_fingerprint)
        stale = sorted(w for w, fp in theirs.items() if fp != mine)
        if stale:
            _close(client, cluster)
            raise EngineError(f"Dask worker(s) {', '.join(stale)} run different pipeline code ({theirs[stale[0]]}) "
                              f"than this client ({mine}); install the same checkout on every worker")
        n = len(theirs)
        client.run(_dask_worker_setup, 1)
        return client, cluster, n

    def map(self, fn: Callable[[T, object], R], items: Iterable[T], settings=None) -> Iterator[R]:
        it = iter(items)
        first = next(it, _END)
        if first is _END:  # nothing to compute (e.g. a warm re-run): no cluster at all
            return
        client, cluster, n_workers = self._connect()
        limit = max(1, n_workers * self.in_flight_per_worker)
        picklable = _strip(settings)
        settings_future = client.scatter(picklable, broadcast=True) if picklable is not None else None
        pending: collections.deque = collections.deque()
        try:
            index = 0
            for item in _chain1(first, it):
                fut = client.submit(fn, item, settings_future, pure=False, key=f"batch-{index}-{id(self):x}")
                pending.append((index, fut))
                index += 1
                if len(pending) >= limit:
                    yield _dask_result(*pending.popleft())
            while pending:
                yield _dask_result(*pending.popleft())
        finally:
            for _, fut in pending:
                fut.cancel()
            pending.clear()
            _close(client, cluster)


def _dask_result(index: int, fut):
    try:
        res = fut.result()
    except Exception as exc:
        raise EngineError(f"batch {index} failed on a Dask worker: {type(exc).__name__}: {exc}") from exc
    fut.release()
    return res


def _chain1(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


def _close(client, cluster) -> None:
    try:
        client.close()
    finally:
        if cluster is not None:
            cluster.close()


def get_engine(settings, clean_start: bool = False):
    if settings.engine == "local":
        return LocalEngine(settings.workers, clean_start=clean_start)
    if settings.engine == "dask":
        return DaskEngine(settings.scheduler, settings.workers)
    raise ValueError(f"unknown engine {settings.engine!r} (expected: local, dask)")
