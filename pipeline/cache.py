"""A small persistent key-value cache (SQLite), shared by stages and safe across processes.

Keys are strings built by the caller from everything that determines the value (engine, model
version, pipeline version, content hash), so a stale entry is never served: it is just never asked for.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any


def key_of(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


class Cache:
    """``get``/``put`` JSON values under a namespace. ``Cache(None)`` is a no-op cache."""

    def __init__(self, path: str | Path | None, namespace: str):
        self.namespace = namespace
        self.path = Path(path) if path else None
        self._local = threading.local()
        self.hits = 0
        self.misses = 0

    def _conn(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS kv (ns TEXT, k TEXT, v TEXT, PRIMARY KEY (ns, k))")
            self._local.conn = conn
        return conn

    def get(self, key: str) -> Any | None:
        conn = self._conn()
        if conn is None:
            return None
        row = conn.execute("SELECT v FROM kv WHERE ns=? AND k=?", (self.namespace, key)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(row[0])

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        conn = self._conn()
        if conn is None or not keys:
            return {}
        out: dict[str, Any] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = f"SELECT k, v FROM kv WHERE ns=? AND k IN ({','.join('?' * len(chunk))})"
            for k, v in conn.execute(q, (self.namespace, *chunk)):
                out[k] = json.loads(v)
        self.hits += len(out)
        self.misses += len(keys) - len(out)
        return out

    def present(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` are stored (values not read, hit counters untouched)."""
        conn = self._conn()
        if conn is None or not keys:
            return set()
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = f"SELECT k FROM kv WHERE ns=? AND k IN ({','.join('?' * len(chunk))})"
            found.update(k for (k,) in conn.execute(q, (self.namespace, *chunk)))
        return found

    def put(self, key: str, value: Any) -> None:
        self.put_many({key: value})

    def put_many(self, items: dict[str, Any]) -> None:
        conn = self._conn()
        if conn is None or not items:
            return
        rows = [(self.namespace, k, json.dumps(v, ensure_ascii=False)) for k, v in items.items()]
        conn.execute("BEGIN")
        conn.executemany("INSERT OR REPLACE INTO kv (ns, k, v) VALUES (?, ?, ?)", rows)
        conn.execute("COMMIT")
