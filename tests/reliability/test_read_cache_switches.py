"""When the listing cache is on: by default only inside the engine's provider host (a process
run as `python -m pulumi.dynamic`), for any positive RETOOL_READ_CACHE_SECONDS, and only for
types that declare their listings carry every field of their GET."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from retool_pulumi import connection
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine.cache import DEFAULT_TTL, LISTINGS, ListCache
from retool_pulumi.engine.provider import RetoolProvider


def test_the_cache_is_on_by_default_in_the_provider_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETOOL_READ_CACHE_SECONDS", raising=False)
    main = SimpleNamespace(__spec__=SimpleNamespace(name="pulumi.dynamic.__main__"))
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert ListCache().ttl == DEFAULT_TTL > 0
    monkeypatch.setitem(sys.modules, "__main__", SimpleNamespace(__spec__=None))
    assert ListCache().ttl == 0
    monkeypatch.setenv("RETOOL_READ_CACHE_SECONDS", "soon")  # not a number: the default
    assert ListCache().ttl == 0


@pytest.fixture
def provider_env(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    monkeypatch.setenv("RETOOL_HOST", retool_emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", retool_emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
    connection.set_stack_config(None)
    LISTINGS.clear()
    yield retool_emulator
    LISTINGS.clear()
    connection.reset_clients()


def test_a_ttl_under_a_second_still_serves_reads_from_one_listing(
    provider_env: Emulator, retool_client: RetoolClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETOOL_READ_CACHE_SECONDS", "0.9")
    ids = [str(retool_client.post("/groups", json={"name": f"g-{i}"})["id"]) for i in range(3)]
    provider_env.clear_requests()
    p = RetoolProvider("Group")
    for id_ in ids:
        p.read(id_, {"name": "x"})
    assert [r["path"] for r in provider_env.requests()] == ["/api/v2/groups"]


def test_types_whose_listing_lacks_fields_are_read_with_their_own_get(
    provider_env: Emulator, retool_client: RetoolClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A type that does not declare its listing complete (users) is never read from one."""
    monkeypatch.setenv("RETOOL_READ_CACHE_SECONDS", "60")
    p = RetoolProvider("User")
    news = {"email": "ada@example.com", "first_name": "Ada", "last_name": "L"}
    made = p.create(dict(p.check({}, news).inputs))
    provider_env.clear_requests()
    assert p.read(made.id, made.outs).id == made.id
    assert [r["path"] for r in provider_env.requests()] == [f"/api/v2/users/{made.id}"]


def test_a_listed_item_without_an_id_is_passed_over(
    provider_env: Emulator, retool_client: RetoolClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETOOL_READ_CACHE_SECONDS", "60")
    group = retool_client.post("/groups", json={"name": "listed"})
    listing = [{"name": "no id"}, group]
    body = {"success": True, "data": listing, "total_count": 2, "next_token": None, "has_more": False}
    provider_env.set_faults(canned_answers={"GET /groups": {"status": 200, "body": body}})
    read = RetoolProvider("Group").read(str(group["id"]), {"name": "listed"})
    assert read.id == str(group["id"]) and read.outs["name"] == "listed"
