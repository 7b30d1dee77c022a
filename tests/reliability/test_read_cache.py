"""The listing cache behind batched refresh, without the engine: one fill for concurrent
readers, expiry, invalidation by writes (also of a fill in flight), and misses that fall back
to a GET instead of reporting the object gone."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from retool_pulumi import connection
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine.cache import LISTINGS, ListCache
from retool_pulumi.engine.provider import RetoolProvider


class FakeClient(RetoolClient):
    def __init__(self, items: list[dict[str, Any]], delay: float = 0.0) -> None:
        super().__init__("example.invalid", "t", requests_per_minute=0)
        self.items = items
        self.delay = delay
        self.lists = 0
        self.started = threading.Event()

    def paginate(self, path: str, params: Any = None) -> Iterator[Any]:
        self.lists += 1
        self.started.set()
        time.sleep(self.delay)
        yield from [dict(i) for i in self.items]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_concurrent_readers_share_one_listing() -> None:
    client = FakeClient([{"id": str(i)} for i in range(150)], delay=0.2)
    cache = ListCache(ttl=10)
    found: list[dict[str, Any] | None] = []

    def read(i: int) -> None:
        found.append(cache.find(client, "/folders", lambda o: o["id"] == str(i)))

    threads = [threading.Thread(target=read, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert client.lists == 1
    assert sorted(f["id"] for f in found if f) == ["0", "1", "2", "3"]


def test_listing_expires_after_its_ttl() -> None:
    clock = Clock()
    client = FakeClient([{"id": "a"}])
    cache = ListCache(ttl=5, clock=clock)
    cache.listing(client, "/groups")
    clock.now = 4.9
    cache.listing(client, "/groups")
    assert client.lists == 1
    clock.now = 5.0
    cache.listing(client, "/groups")
    assert client.lists == 2


def test_a_write_drops_the_listing_and_a_fill_racing_it_is_not_kept() -> None:
    client = FakeClient([{"id": "a", "name": "old"}], delay=0.3)
    cache = ListCache(ttl=60)
    filler = threading.Thread(target=cache.listing, args=(client, "/groups"))
    filler.start()
    client.started.wait()
    client.items = [{"id": "a", "name": "new"}]  # the write lands while the listing is in flight
    cache.invalidate(client, "/groups")
    filler.join()
    assert cache.find(client, "/groups", lambda o: o["id"] == "a") == {"id": "a", "name": "new"}
    assert client.lists == 2


def test_the_cache_is_off_by_default_outside_the_provider_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETOOL_READ_CACHE_SECONDS", raising=False)
    assert ListCache().ttl == 0  # pytest is not `python -m pulumi.dynamic`
    monkeypatch.setenv("RETOOL_READ_CACHE_SECONDS", "3")
    assert ListCache().ttl == 3


def test_a_miss_is_not_gone_and_ttl_zero_turns_the_cache_off() -> None:
    client = FakeClient([{"id": "a"}])
    assert ListCache(ttl=10).find(client, "/groups", lambda o: o["id"] == "b") is None
    off = ListCache(ttl=0)
    assert off.find(client, "/groups", lambda o: o["id"] == "a") is None  # the caller GETs
    assert client.lists == 1


@pytest.fixture
def provider_env(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    monkeypatch.setenv("RETOOL_HOST", retool_emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", retool_emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
    # On by default only in the engine's provider host; this test calls the provider directly.
    monkeypatch.setenv("RETOOL_READ_CACHE_SECONDS", "10")
    connection.set_stack_config(None)
    LISTINGS.clear()
    yield retool_emulator
    LISTINGS.clear()
    connection.reset_clients()


def test_provider_reads_from_one_listing_falls_back_to_get_and_sees_its_own_writes(
    provider_env: Emulator, retool_client: RetoolClient
) -> None:
    em = provider_env
    p = RetoolProvider("Group")
    ids = [str(retool_client.post("/groups", json={"name": f"cache-{i}"})["id"]) for i in range(3)]
    em.clear_requests()
    for id_ in ids:
        assert p.read(id_, {"name": "x"}).outs["name"].startswith("cache-")
    gets = [(r["method"], r["path"]) for r in em.requests()]
    assert gets == [("GET", "/api/v2/groups")]

    # Created after the listing: a miss, answered by its own GET.
    late = str(retool_client.post("/groups", json={"name": "late"})["id"])
    assert p.read(late, {"name": "late"}).outs["name"] == "late"
    assert em.requests()[-1]["path"] == f"/api/v2/groups/{late}"

    # A write through the provider drops the listing: the next read sees the server's data.
    p.update(ids[0], {"name": "cache-0"}, {"name": "renamed"})
    assert p.read(ids[0], {"name": "renamed"}).outs["name"] == "renamed"
    p.delete(ids[1], {})
    assert p.read(ids[1], {"name": "cache-1"}).id == ""  # gone: confirmed by a GET, not the cache
    assert em.requests()[-1]["path"] == f"/api/v2/groups/{ids[1]}"
