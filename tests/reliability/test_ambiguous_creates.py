"""Creates whose answer was lost, at provider level, for every type that can be created: the
server applied the write, then the connection dropped (the emulator's drop-after-apply fault,
aimed at the first write of each create). Each type ends with exactly one object in Retool:
found by its natural key, or sent again when that is safe, or (an AccessToken, whose value only
the lost answer carried) an error naming the token to revoke, never a second token."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from retool_pulumi import connection
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, all_specs
from retool_pulumi.engine import provider as provider_module
from retool_pulumi.engine.cache import LISTINGS
from retool_pulumi.errors import RetoolError
from tests.reliability.every_type import DROP, REFUSE, Aim, ProviderRun, census, declare


@pytest.fixture
def em(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """The emulator, with the provider in this process pointed at it."""
    monkeypatch.setenv("RETOOL_HOST", retool_emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", retool_emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
    for name in ("RETOOL_CONNECTIONS", "RETOOL_TIMEOUT", "RETOOL_MAX_RETRIES", "RETOOL_READ_CACHE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    connection.set_stack_config(None)
    connection.reset_clients()
    LISTINGS.clear()
    # The provider's pauses before looking an object up (for a server that is slow to apply
    # a write) only cost time against the in-process emulator.
    monkeypatch.setattr(provider_module, "time", SimpleNamespace(sleep=lambda _s: None))
    yield retool_emulator
    LISTINGS.clear()
    connection.reset_clients()


def test_every_creatable_type_says_how_a_lost_create_answer_is_settled() -> None:
    """Natural key, safe to repeat, singleton, or a value returned once (then it must be found)."""
    for spec in all_specs():
        ways = [bool(spec.natural_key), spec.create_repeatable, spec.singleton, bool(spec.returned_once)]
        assert sum(ways) == 1, f"{spec.kind}: {ways} (natural key, repeatable, singleton, returned once)"
        if spec.returned_once:
            assert type(spec).find_created_since is not type(spec).__mro__[1].find_created_since


def test_a_lost_create_answer_leaves_exactly_one_object_of_every_type(
    em: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = ProviderRun()
    declare(clean.make, "t0")
    declare(clean.make, "t1")
    assert clean.errors == {}
    expected = census(em)
    kinds = {s.kind for s in all_specs()}

    em.reset()
    connection.reset_clients()
    run = ProviderRun(Aim(em, monkeypatch))
    declare(run.make, "t0")
    declare(run.make, "t1")

    assert {k for k, hit in run.hit.items() if not hit} == set(), "creates that sent no write to drop"
    assert set(run.hit) == kinds, f"types not covered: {kinds - set(run.hit)}"
    got = census(em)
    assert {k: (got[k], expected[k]) for k in expected | got if got[k] != expected[k]} == {}
    # The token Retool minted cannot be adopted (its value was in the lost answer): the error
    # names it, and nothing was minted twice.
    assert set(run.errors) == {"token-t0", "token-t1"}, run.errors
    for name, message in run.errors.items():
        tokens = [t for t in em.store.access_tokens.values() if t["label"] == name]
        assert len(tokens) == 1
        assert tokens[0]["id"] in message and "Revoke it in Retool" in message
        assert tokens[0]["_secret"] not in message


def test_a_token_create_refused_before_it_was_applied_is_sent_again(
    em: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    aim = Aim(em, monkeypatch)
    provider = RetoolProvider("AccessToken")
    inputs = provider.check({}, {"label": "ci", "scopes": ["apps:read"]}).inputs
    aim.refuse_next()
    created = provider.create(dict(inputs))
    assert aim.hits == 1
    assert [t["id"] for t in em.store.access_tokens.values() if t["label"] == "ci"] == [created.id]
    assert created.outs["access_token"] == em.store.access_tokens[created.id]["_secret"]


def test_a_lost_resource_create_is_not_confused_with_a_resource_of_another_type(
    em: Emulator, monkeypatch: pytest.MonkeyPatch, retool_client: RetoolClient
) -> None:
    """Resource names are not unique across types: the lookup after a lost answer must match
    the type too, or it adopts the other resource (and the next change replaces, i.e. deletes, it)."""
    other = retool_client.post(
        "/resources",
        json={"type": "restapi", "display_name": "Orders", "options": {"base_url": "https://api"}},
    )
    aim = Aim(em, monkeypatch)
    provider = RetoolProvider("Resource")
    options = {"database_options": {"host": "db", "port": "5432", "name": "orders", "username": "u"}}
    inputs = provider.check({}, {"type": "postgresql", "display_name": "Orders", "options": options}).inputs
    aim.drop_next()
    created = provider.create(dict(inputs))
    assert aim.hits == 1
    assert created.id != str(other["id"])
    named = sorted(r["type"] for r in em.store.resources.values() if r["display_name"] == "Orders")
    assert named == ["postgresql", "restapi"]
    assert em.store.resources[created.id]["type"] == "postgresql"


def test_a_create_drops_the_listing_its_collection_is_read_from(
    em: Emulator, monkeypatch: pytest.MonkeyPatch, retool_client: RetoolClient
) -> None:
    """A write through the provider drops its collection's listing (see test_read_cache for
    update and delete): the next read sees the server, not a listing from before the write."""
    monkeypatch.setenv("RETOOL_READ_CACHE_SECONDS", "60")
    LISTINGS.clear()
    provider = RetoolProvider("Group")
    first = str(retool_client.post("/groups", json={"name": "before"})["id"])
    assert provider.read(first, {"name": "before"}).outs["name"] == "before"  # fills the listing
    edit = [{"op": "replace", "path": "/name", "value": "edited"}]
    retool_client.patch(f"/groups/{first}", json={"operations": edit})
    provider.create(dict(provider.check({}, {"name": "new"}).inputs))
    assert provider.read(first, {"name": "before"}).outs["name"] == "edited"


def test_a_last_try_whose_answer_was_lost_is_found_too(em: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three refusals, then a create applied with its answer lost: the object is looked up after
    the last try as after the others, not left for the next `up` to make again."""
    monkeypatch.setenv("RETOOL_MAX_RETRIES", "0")  # four tries (the provider's minimum)
    aim = Aim(em, monkeypatch)
    provider = RetoolProvider("Resource")
    options = {"database_options": {"host": "db", "port": "5432", "name": "orders", "username": "u"}}
    inputs = provider.check({}, {"type": "postgresql", "display_name": "Last", "options": options}).inputs
    aim.plan = [REFUSE, REFUSE, REFUSE, DROP]
    created = provider.create(dict(inputs))
    assert aim.hits == 4 and aim.plan == []
    assert [r["id"] for r in em.store.resources.values() if r["display_name"] == "Last"] == [created.id]


def test_a_token_that_cannot_be_looked_for_is_an_error_saying_what_to_look_for(
    em: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*_args: Any) -> list[dict[str, Any]]:
        raise RetoolError("GET /access_tokens: 403, the token lacks access_tokens:read")

    provider = RetoolProvider("AccessToken")
    monkeypatch.setattr(type(provider.spec), "find_created_since", forbidden)
    aim = Aim(em, monkeypatch)
    inputs = provider.check({}, {"label": "deploy-bot", "scopes": ["apps:read"]}).inputs
    aim.drop_next()
    with pytest.raises(RetoolError) as raised:
        provider.create(dict(inputs))
    message = str(raised.value)
    assert "may have made it" in message and "access_tokens:read" in message and "'deploy-bot'" in message
    assert "Revoke it in Retool" in message
    assert len(em.store.access_tokens) == 1  # and it was not sent again
