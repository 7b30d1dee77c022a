"""A short-lived read-through cache of list endpoints, for batched refresh.

Refreshing N objects of one type would cost N GETs. Instead, the first read of a type whose
list items carry the same fields as its GET (`ResourceSpec.batch_reads`) lists the whole
collection (ceil(N/100) requests) and later reads of that type within a few seconds are served
from the listing. It never serves stale data across operations: it is on only in the provider
host the engine starts for one operation (elsewhere only if `RETOOL_READ_CACHE_SECONDS` is
set), an entry expires `RETOOL_READ_CACHE_SECONDS` (default 10) after it was fetched, and any
create, update or delete through that collection drops it (also one that races a fill in
progress). A miss is not "gone": the caller falls back to a GET.
"""

from __future__ import annotations

import copy
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..client import RetoolClient

DEFAULT_TTL = 10.0
TTL_ENV = "RETOOL_READ_CACHE_SECONDS"


def _in_provider_host() -> bool:
    """Whether this process is the dynamic-provider host the engine starts for one operation
    (`python -m pulumi.dynamic`), the only place where a listing can serve several reads."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return str(getattr(spec, "name", "") or "").startswith("pulumi.dynamic")


def _ttl_from_env() -> float:
    """`RETOOL_READ_CACHE_SECONDS` if set; otherwise on (DEFAULT_TTL) in the provider host only,
    so a long-lived process that calls the provider directly never reads an old listing."""
    raw = os.environ.get(TTL_ENV, "").strip()
    default = DEFAULT_TTL if _in_provider_host() else 0.0
    try:
        return max(0.0, float(raw)) if raw else default
    except ValueError:
        return default


@dataclass
class _Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)  # one fill at a time
    generation: int = 0  # bumped by every invalidation
    items: list[dict[str, Any]] | None = None
    fetched_at: float = 0.0


class ListCache:
    """Listings per (client, collection path); thread-safe."""

    def __init__(self, ttl: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        # Keyed by the client object itself: one client per connection settings (host + token),
        # so two spaces on one host never share a listing.
        self._entries: weakref.WeakKeyDictionary[RetoolClient, dict[str, _Entry]] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def ttl(self) -> float:
        return _ttl_from_env() if self._ttl is None else self._ttl

    def _entry(self, client: RetoolClient, path: str) -> _Entry:
        with self._lock:
            return self._entries.setdefault(client, {}).setdefault(path, _Entry())

    def _fresh(self, entry: _Entry) -> list[dict[str, Any]] | None:
        if entry.items is not None and self._clock() - entry.fetched_at < self.ttl:
            return entry.items
        return None

    def listing(self, client: RetoolClient, path: str) -> list[dict[str, Any]]:
        """Every item of `path`, from a fresh listing or fetched now (concurrent callers wait
        for one fetch instead of each making their own)."""
        if self.ttl <= 0:
            return [dict(o) for o in client.paginate(path)]
        entry = self._entry(client, path)
        with self._lock:
            items = self._fresh(entry)
        if items is not None:
            return items
        with entry.lock:
            with self._lock:
                items = self._fresh(entry)
                generation = entry.generation
            if items is not None:
                return items
            started = self._clock()
            items = [dict(o) for o in client.paginate(path)]
            with self._lock:
                if entry.generation == generation:  # no write landed while we were listing
                    entry.items, entry.fetched_at = items, started
            return items

    def find(
        self, client: RetoolClient, path: str, match: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any] | None:
        """A copy of the listed item that `match`es, or None (a miss, or the cache is off: ask
        the API directly)."""
        if self.ttl <= 0:
            return None
        for item in self.listing(client, path):
            if match(item):
                return copy.deepcopy(item)  # callers may edit nested values; the listing is shared
        return None

    def invalidate(self, client: RetoolClient, path: str) -> None:
        """Forget the listing of `path` (call around every write to that collection)."""
        with self._lock:
            entry = self._entries.get(client, {}).get(path)
            if entry is not None:
                entry.generation += 1
                entry.items = None

    def clear(self) -> None:
        with self._lock:
            self._entries = weakref.WeakKeyDictionary()


LISTINGS = ListCache()
"""The process-wide cache used by the provider (and by lookups of root folders)."""
