"""Fixtures of the example tests: a private PostgreSQL server for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.examples.postgres_server import PostgresServer, PostgresUnavailable, start_postgres, stop_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster on a free loopback port (installed with apt-get if missing)."""
    try:
        server = start_postgres()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    stop_postgres(server)
