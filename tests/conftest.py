"""Shared fixtures: the emulator fixture from the package, and the RETOOL_* environment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from retool_pulumi import connection
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from tests import engine

pytest_plugins = ["retool_pulumi.emulator.pytest_plugin"]


@pytest.fixture(autouse=True)
def _engine_marker(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tells tests/engine.py whether this test may run the engine (it has the `engine` marker)."""
    engine.running_marked = request.node.get_closest_marker("engine") is not None
    yield
    engine.running_marked = None


@pytest.fixture
def retool_env(retool_emulator: Emulator) -> dict[str, str]:
    """RETOOL_* variables pointing at the emulator, for the engine and its plugins."""
    return {
        "RETOOL_HOST": retool_emulator.host,
        "RETOOL_ACCESS_TOKEN": retool_emulator.token,
        "RETOOL_SCHEME": "http",
    }


@pytest.fixture
def retool_client(retool_emulator: Emulator) -> Iterator[RetoolClient]:
    """A client of the emulator, for checking what Retool holds and editing it out of band."""
    client = RetoolClient(retool_emulator.host, retool_emulator.token, scheme="http", requests_per_minute=0)
    yield client
    client.close()
    connection.reset_clients()
