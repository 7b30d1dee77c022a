"""Fixtures for the Retool client tests: a fake clock, mock transports, a clean environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from client_support import HOST, TOKEN, FakeClock

from retool_pulumi import connection
from retool_pulumi.client import RetoolClient


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(clock: FakeClock) -> Iterator[Callable[..., RetoolClient]]:
    made: list[RetoolClient] = []

    def factory(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> RetoolClient:
        options: dict[str, Any] = {
            "requests_per_minute": 0,
            "transport": httpx.MockTransport(handler),
            "sleep": clock.sleep,
            "clock": clock.monotonic,
            "wall_clock": clock.wall,
        }
        options.update(kwargs)
        client = RetoolClient(options.pop("host", HOST), TOKEN, **options)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith(("RETOOL_", "PULUMI_CONFIG")):
            monkeypatch.delenv(name)
    connection.set_stack_config(None)
    yield
    connection.set_stack_config(None)
    connection.reset_clients()
