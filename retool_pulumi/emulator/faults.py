"""Fault injection for reliability tests: rate limits, random errors, latency, drops; and answer
shapes production may send that the emulator otherwise never does (reordered arrays, `data: null`
for what is missing, 404s without Retool's body, a `next_token` on the last page), so that the
client's and the engine's handling of them is tested (see `reshape`)."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from retool_pulumi.emulator.handlers.base import encode_token

ALLOWED_ERROR_STATUSES = (429, 500, 502, 503)
SHAPES = ("reverse_arrays", "null_for_missing", "bare_404", "stale_next_token")


@dataclass
class Faults:
    """Fault settings; all off by default."""

    error_rate: float = 0.0
    error_statuses: list[int] = field(default_factory=lambda: [503])
    latency_ms: float = 0.0
    requests_per_minute: int = 0
    drop_after_apply_rate: float = 0.0
    timeout_rate: float = 0.0
    timeout_ms: float = 0.0
    # Answer shapes, all off by default (see `FaultInjector.reshape`; divergences.py says which are
    # robustness modes rather than claims about production):
    reverse_arrays: bool = False  # every JSON array of a successful GET's `data` reversed
    null_for_missing: bool = False  # a GET that would be a 404 answers 200 `{"success": true, "data": null}`
    bare_404: bool = False  # every 404 has an empty body: no `{"success": false}` envelope
    stale_next_token: bool = False  # a last page (`has_more: false`) still carries a `next_token`
    # "METHOD /path" (without /api/v2 and the query) -> {"status": int, "body": JSON}: the answer
    # to send instead of the handler's, once the handler has run (a write is still applied).
    canned_answers: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        """Raise ValueError for settings that make no sense."""
        for name in ("error_rate", "drop_after_apply_rate", "timeout_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if not self.error_statuses or any(s not in ALLOWED_ERROR_STATUSES for s in self.error_statuses):
            raise ValueError(f"error_statuses must be a non-empty subset of {list(ALLOWED_ERROR_STATUSES)}")
        for name in ("latency_ms", "requests_per_minute", "timeout_ms"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in SHAPES:
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false")
        for key, answer in self.canned_answers.items():
            method, _, path = str(key).partition(" ")
            if not method.isupper() or not path.startswith("/") or not isinstance(answer, dict):
                raise ValueError(f"canned_answers: {key!r} must be 'METHOD /path' -> {{status, body}}")
            if not isinstance(answer.get("status", 200), int) or set(answer) - {"status", "body"}:
                raise ValueError(f"canned_answers[{key!r}]: only an int `status` and a JSON `body`")


@dataclass
class Decision:
    """What the server should do with one request before/after handling it."""

    status: int | None = None  # answer with this error instead of handling
    retry_after: int | None = None
    drop_after_apply: bool = False
    timeout_s: float = 0.0


class FaultInjector:
    """Thread-safe fault decisions plus the request-per-minute limiter."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._window: deque[float] = deque()
        self.faults = Faults()

    def configure(self, **settings: Any) -> Faults:
        """Replace the settings (unknown keys raise ValueError); returns the new settings."""
        known = set(asdict(Faults()))
        unknown = set(settings) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        faults = Faults(**{**asdict(self.faults), **settings})
        faults.error_statuses = [int(s) for s in faults.error_statuses]
        faults.validate()
        with self._lock:
            self.faults = faults
            self._window.clear()
        return faults

    def settings(self) -> dict[str, Any]:
        """The current settings as JSON data."""
        with self._lock:
            return asdict(self.faults)

    def decide(self, mutating: bool) -> Decision:
        """Roll the dice for one API request (sleeps for added latency outside the lock)."""
        with self._lock:
            decision = self._decide_locked(mutating)
            delay = self.faults.latency_ms / 1000.0
        if delay:
            time.sleep(delay)
        return decision

    def reshape(self, method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
        """The (status, JSON body) to send instead of a handler's answer to `method path` (`path`
        without /api/v2 and the query), under the shape settings; a body of None is sent empty."""
        with self._lock:
            f = self.faults
        canned = f.canned_answers.get(f"{method} {path}")
        if canned is not None:
            return int(canned.get("status", 200)), canned.get("body")
        if method == "GET" and status == 404 and f.null_for_missing:
            return 200, {"success": True, "data": None}
        if status == 404 and f.bare_404:
            return 404, None
        if method != "GET" or status >= 300 or not isinstance(body, dict):
            return status, body
        if f.reverse_arrays and "data" in body:
            body = {**body, "data": _reversed_arrays(body["data"])}
        if f.stale_next_token and body.get("has_more") is False:
            # A cursor back to the first page: a client that follows it reads every item twice.
            body = {**body, "next_token": encode_token(0)}
        return status, body

    def _decide_locked(self, mutating: bool) -> Decision:
        f = self.faults
        decision = Decision()
        if f.requests_per_minute:
            now = time.monotonic()
            while self._window and now - self._window[0] >= 60.0:
                self._window.popleft()
            if len(self._window) >= f.requests_per_minute:
                decision.status = 429
                decision.retry_after = max(1, int(60.0 - (now - self._window[0])) + 1)
                return decision
            self._window.append(now)
        if f.error_rate and self._rng.random() < f.error_rate:
            decision.status = self._rng.choice(f.error_statuses)
            if decision.status == 429:
                decision.retry_after = 1
        elif f.timeout_rate and self._rng.random() < f.timeout_rate:
            decision.timeout_s = f.timeout_ms / 1000.0
        elif mutating and f.drop_after_apply_rate and self._rng.random() < f.drop_after_apply_rate:
            decision.drop_after_apply = True
        return decision


def _reversed_arrays(value: Any) -> Any:
    if isinstance(value, list):
        return [_reversed_arrays(v) for v in reversed(value)]
    if isinstance(value, dict):
        return {k: _reversed_arrays(v) for k, v in value.items()}
    return value


ERROR_MESSAGES = {
    429: "Rate limit exceeded. Please retry after the time given in the Retry-After header.",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
}
