"""Fixtures for the provider-level tests of the Retool types: one emulator per session, reset
before every test, with the RETOOL_* variables pointing at it and no shared client left over."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from types_support import BodySpy

from retool_pulumi import connection
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator

TOKEN = "types-test-token-3f9a1c"


@pytest.fixture(scope="session")
def _emulator() -> Iterator[Emulator]:
    em = Emulator(token=TOKEN, port=0, validate_responses=True).start()
    yield em
    em.stop()


@pytest.fixture
def em(_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """A freshly seeded emulator the provider talks to (through the RETOOL_* variables)."""
    _emulator.reset()
    for name in ("RETOOL_CONNECTIONS", "RETOOL_UNIX_SOCKET_PATH", "RETOOL_TIMEOUT", "RETOOL_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RETOOL_HOST", _emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", _emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")  # no client-side throttling in tests
    connection.set_stack_config(None)
    connection.reset_clients()
    yield _emulator
    connection.reset_clients()
    violations = _emulator.violations
    _emulator.reset()
    assert not violations, "emulator responses violated the spec:\n" + "\n".join(violations)


@pytest.fixture
def retool(em: Emulator) -> Iterator[RetoolClient]:
    """A separate client for edits behind the provider's back (a user clicking in Retool)."""
    client = RetoolClient(em.host, em.token, scheme="http", requests_per_minute=0)
    yield client
    client.close()


@pytest.fixture
def bodies(monkeypatch: pytest.MonkeyPatch) -> BodySpy:
    """Every JSON body sent through `RetoolClient.request` from now on."""
    spy = BodySpy()
    original = RetoolClient.request

    def request(self: RetoolClient, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        spy.sent.append((method.upper(), path, kwargs.get("json")))
        return original(self, method, path, *args, **kwargs)

    monkeypatch.setattr(RetoolClient, "request", request)
    return spy
