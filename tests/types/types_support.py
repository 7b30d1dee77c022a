"""Helpers for the provider-level tests: drive a `RetoolProvider` the way the Pulumi engine does."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckResult, CreateResult

from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider

PROVIDER_KEY = "__provider"
PICKLED = "pickled-provider-placeholder"  # what the engine passes as `__provider`


def check(kind: str, news: dict[str, Any], olds: dict[str, Any] | None = None) -> CheckResult:
    """`check` as the engine calls it: with `__provider` among the new inputs."""
    return RetoolProvider(kind).check(olds or {}, {**news, PROVIDER_KEY: PICKLED})


def checked(kind: str, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    """The checked inputs; fails the test on any check failure."""
    result = check(kind, news, olds)
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def failures(kind: str, news: dict[str, Any]) -> dict[str, str]:
    """property -> reasons of the check failures (joined with " | "; at least one expected)."""
    result = check(kind, news)
    assert result.failures, f"expected check failures, got inputs {result.inputs}"
    out: dict[str, str] = {}
    for f in result.failures:
        out[f.property] = f"{out[f.property]} | {f.reason}" if f.property in out else f.reason
    return out


def calls(em: Emulator) -> list[str]:
    """The API requests so far as "METHOD /path" (without /api/v2)."""
    return [f"{r['method']} {r['path'].removeprefix('/api/v2')}" for r in em.requests()]


def writes(em: Emulator) -> list[str]:
    """The mutating API requests so far (POST to a read-only endpoint counts too)."""
    return [c for c in calls(em) if not c.startswith("GET ")]


def create(kind: str, news: dict[str, Any]) -> tuple[RetoolProvider, dict[str, Any], CreateResult]:
    """check then create; returns the provider, the checked inputs and the result."""
    inputs = checked(kind, news)
    provider = RetoolProvider(kind)
    return provider, inputs, provider.create(inputs)


def with_provider_key(props: dict[str, Any]) -> dict[str, Any]:
    """Props as Pulumi hands them back (state outputs carry `__provider`)."""
    return {**props, PROVIDER_KEY: PICKLED}


class BodySpy:
    """Records the JSON bodies the provider's client sends (install with `spy_bodies`)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, Any]] = []

    def bodies(self, method: str) -> list[Any]:
        return [body for m, _, body in self.sent if m == method]
