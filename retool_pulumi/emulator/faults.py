"""Fault injection for reliability tests: rate limits, random errors, latency, drops."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

ALLOWED_ERROR_STATUSES = (429, 500, 502, 503)


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


ERROR_MESSAGES = {
    429: "Rate limit exceeded. Please retry after the time given in the Retry-After header.",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
}
