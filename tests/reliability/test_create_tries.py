"""How often, and after what pauses, the provider tries a create again after an ambiguous failure
(a refusal, a lost answer, a timeout), when the client itself does not retry (RETOOL_MAX_RETRIES=0,
or a POST that is not safe to repeat): every type still ends with exactly one object."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from retool_pulumi import connection
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, all_specs
from retool_pulumi.engine import provider as provider_module
from retool_pulumi.engine.cache import LISTINGS
from retool_pulumi.errors import RetoolError, ServerError
from tests.reliability.every_type import REFUSE, Aim, ProviderRun, census, declare


@pytest.fixture
def pauses(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The provider's pauses between tries (recorded, not slept); the provider pointed at the
    emulator with no retries in the client."""
    monkeypatch.setenv("RETOOL_HOST", retool_emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", retool_emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
    monkeypatch.setenv("RETOOL_MAX_RETRIES", "0")
    for name in ("RETOOL_CONNECTIONS", "RETOOL_TIMEOUT", "RETOOL_READ_CACHE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    connection.set_stack_config(None)
    connection.reset_clients()
    LISTINGS.clear()
    slept: list[float] = []
    monkeypatch.setattr(provider_module, "time", SimpleNamespace(sleep=slept.append))
    yield slept
    LISTINGS.clear()
    connection.reset_clients()


def _posts(em: Emulator, path: str) -> int:
    return sum(1 for r in em.requests() if r["method"] == "POST" and r["path"] == f"/api/v2{path}")


def test_without_client_retries_a_lost_create_answer_leaves_exactly_one_object_of_every_type(
    retool_emulator: Emulator, pauses: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    em = retool_emulator
    clean = ProviderRun()
    declare(clean.make, "t0")
    assert clean.errors == {}
    expected = census(em)
    em.reset()
    connection.reset_clients()
    run = ProviderRun(Aim(em, monkeypatch))
    declare(run.make, "t0")
    assert set(run.hit) == {s.kind for s in all_specs()} and all(run.hit.values())
    got = census(em)
    assert {k: (got[k], expected[k]) for k in expected | got if got[k] != expected[k]} == {}
    # The token's value was only in the lost answer. The organisation's settings always exist:
    # their create is an update, which (like any update) the provider does not try again itself.
    assert set(run.errors) == {"token-t0", "org", "ai", "git-settings"}, run.errors


@pytest.mark.parametrize(("max_retries", "tries"), [("0", 4), ("2", 4), ("5", 6)])
def test_a_create_refused_every_time_is_tried_as_often_as_any_request_at_least_four_times(
    retool_emulator: Emulator,
    pauses: list[float],
    monkeypatch: pytest.MonkeyPatch,
    max_retries: str,
    tries: int,
) -> None:
    monkeypatch.setenv("RETOOL_MAX_RETRIES", max_retries)
    aim = Aim(retool_emulator, monkeypatch)
    provider = RetoolProvider("Group")
    inputs = provider.check({}, {"name": "refused"}).inputs
    retool_emulator.clear_requests()
    aim.plan = [REFUSE] * 10
    with pytest.raises(ServerError):
        provider.create(dict(inputs))
    assert _posts(retool_emulator, "/groups") == tries
    # A pause before each look-up, growing to at most 2 s, the last try's included.
    assert pauses == [min(0.2 * 2**n, 2.0) for n in range(1, tries + 1)]
    assert not [g for g in retool_emulator.store.groups.values() if g["name"] == "refused"]


def test_a_create_that_timed_out_is_looked_up_then_sent_again(
    retool_emulator: Emulator, pauses: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETOOL_TIMEOUT", "0.2")
    aim = Aim(retool_emulator, monkeypatch)
    provider = RetoolProvider("Group")
    inputs = provider.check({}, {"name": "slow"}).inputs
    retool_emulator.clear_requests()
    aim.plan = [{"timeout_s": 0.6}]  # not applied; the client gives up first
    created = provider.create(dict(inputs))
    assert aim.hits == 1  # the first POST timed out unapplied: the group is from a second one
    assert [g["id"] for g in retool_emulator.store.groups.values() if g["name"] == "slow"] == [
        int(created.id)
    ]


def test_a_look_up_that_fails_ambiguously_is_tried_as_often_as_a_create(
    retool_emulator: Emulator, pauses: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a lost answer the object is looked for; a look-up refused every time is tried
    max(4, RETOOL_MAX_RETRIES + 1) times, each try with the client's own retries, then fails."""
    monkeypatch.setenv("RETOOL_MAX_RETRIES", "4")
    monkeypatch.setattr(RetoolClient, "_backoff", lambda self, attempt: 0.0)
    provider = RetoolProvider("Group")
    inputs = provider.check({}, {"name": "unseen"}).inputs
    aim = Aim(retool_emulator, monkeypatch)
    aim.plan = [REFUSE]
    original = retool_emulator.faults.decide
    refused = {"gets": 0}

    def decide(mutating: bool) -> object:
        decision = original(mutating)
        if not mutating and aim.hits:
            refused["gets"] += 1
            decision = type(decision)(status=503)
        return decision

    monkeypatch.setattr(retool_emulator.faults, "decide", decide)
    with pytest.raises(RetoolError):
        provider.create(dict(inputs))
    # Five look-ups (max(4, 4 + 1)) and the last one, each sent five times by the client.
    assert refused["gets"] == (5 + 1) * 5
    assert _posts(retool_emulator, "/groups") == 1
    # The pause before the look-up, then one before each look-up tried again.
    assert pauses == [0.4, 0.2, 0.4, 0.8, 1.6, 2.0]
