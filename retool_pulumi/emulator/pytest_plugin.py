"""pytest fixture: `retool_emulator`, a started emulator in strict-response mode.

Enable with `pytest_plugins = ["retool_pulumi.emulator.pytest_plugin"]` in a conftest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from retool_pulumi.emulator.server import Emulator


@pytest.fixture
def retool_emulator() -> Iterator[Emulator]:
    """A fresh emulator per test; fails the test if any response violated the spec."""
    with Emulator(validate_responses=True) as em:
        yield em
        violations = em.violations
    assert not violations, "emulator responses violated the spec:\n" + "\n".join(violations)
