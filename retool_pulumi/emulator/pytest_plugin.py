"""pytest fixture: `retool_emulator`, a started emulator in strict-response mode.

Enable with `pytest_plugins = ["retool_pulumi.emulator.pytest_plugin"]` in a conftest. Each
emulator draws its own seed for the ids it hands out; a failing test's report names it, and
`RETOOL_EMULATOR_SEED=<seed>` replays the run with the same ids.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import pytest

from retool_pulumi.emulator.server import SEED_ENV, Emulator


@pytest.fixture
def retool_emulator() -> Iterator[Emulator]:
    """A fresh emulator per test; fails the test if any response violated the spec."""
    with Emulator(validate_responses=True) as em:
        yield em
        violations = em.violations
    assert not violations, "emulator responses violated the spec:\n" + "\n".join(violations)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    """Name the emulator's seed in the report of a failed test that used the fixture."""
    outcome = yield
    report = outcome.get_result()
    em = getattr(item, "funcargs", {}).get("retool_emulator")
    if report.failed and isinstance(em, Emulator):
        report.sections.append(("retool emulator", f"seed {em.seed}: rerun with {SEED_ENV}={em.seed}"))
