"""Fixtures of the export tests: the emulator seeded with objects of every exportable type."""

from __future__ import annotations

import pytest

from retool_pulumi.client import RetoolClient
from tests.export.export_support import seed


@pytest.fixture
def seeded(retool_client: RetoolClient) -> dict[str, str]:
    """The emulator holds an object of every exportable type (see `export_support.seed`)."""
    return seed(retool_client)
