"""In-process, size-bounded caches for rendered program pages and exports.

A schedule release never changes, so anything rendered from it can be kept until memory is
needed: keys start with the release id and its publication instant, and a new release simply
produces new keys. Each gunicorn worker holds its own cache (no shared state to invalidate);
the byte budget bounds a worker's memory whatever the number of time zones visitors ask for.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import Flask, current_app

from podium.program.body_files import SpilledBody

V = TypeVar("V")

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 2048
SNAPSHOT_ENTRIES = 4


class BoundedCache(Generic[V]):
    """A thread-safe LRU mapping bounded by entry count and by the summed ``size`` of values.

    ``size`` returns a value's cost in bytes (approximate is fine). A value larger than the
    whole budget is returned but not kept.
    """

    def __init__(
        self, *, max_entries: int, max_bytes: int, size: Callable[[V], int] = lambda v: 1
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._size = size
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        """Summed size of the values kept."""
        return self._bytes

    def get(self, key: Hashable) -> V | None:
        """The value for ``key`` (marking it recently used), or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: Hashable, value: V) -> V:
        """Keep ``value`` under ``key``, evicting least recently used values; returns it."""
        cost = self._size(value)
        if cost > self.max_bytes:
            return value
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, cost)
            self._bytes += cost
            while self._items and (
                len(self._items) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, (_, evicted) = self._items.popitem(last=False)
                self._bytes -= evicted
        return value

    def get_or_build(self, key: Hashable, build: Callable[[], V]) -> V:
        """The cached value for ``key``, building and keeping it on a miss."""
        value = self.get(key)
        if value is None:
            value = self.put(key, build())
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
            self._bytes = 0


class ProgramCaches:
    """The caches of one application: parsed release snapshots and rendered responses."""

    def __init__(self, *, max_bytes: int, max_entries: int) -> None:
        self.snapshots: BoundedCache[object] = BoundedCache(
            max_entries=SNAPSHOT_ENTRIES, max_bytes=SNAPSHOT_ENTRIES
        )
        # Large bodies are files (podium.program.body_files): the budget counts their bytes too.
        self.rendered: BoundedCache[bytes | SpilledBody | tuple[str, bytes]] = BoundedCache(
            max_entries=max_entries, max_bytes=max_bytes, size=_cost
        )


def _cost(value: bytes | SpilledBody | tuple[str, bytes]) -> int:
    if not isinstance(value, tuple):
        return len(value) + 100
    # str of mostly ASCII HTML: about one byte per character plus object overhead.
    return sum(len(part) for part in value) + 200


def init_app(app: Flask) -> None:
    """Give ``app`` its caches; budgets come from ``PROGRAM_CACHE_MAX_BYTES``/``_ENTRIES``."""
    app.extensions["podium_program_cache"] = ProgramCaches(
        max_bytes=int(app.config.get("PROGRAM_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)),
        max_entries=int(app.config.get("PROGRAM_CACHE_MAX_ENTRIES", DEFAULT_MAX_ENTRIES)),
    )


def caches() -> ProgramCaches:
    """The current application's caches (created on first use)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("podium_program_cache")
    if found is None:
        init_app(app)
        found = app.extensions["podium_program_cache"]
    return found
