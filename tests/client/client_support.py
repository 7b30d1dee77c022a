"""Shared helpers for the Retool client tests (a fake clock, scripted transports)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import httpx

TOKEN = "retool_TESTTOKEN_9f8e7d6c5b4a39281706"
HOST = "retool.test"


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it."""

    def __init__(self, start: float = 1000.0, wall: float = 1_700_000_000.0) -> None:
        self.now = start
        self.wall_start = wall
        self.start = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        with self._lock:
            return self.now

    def wall(self) -> float:
        with self._lock:
            return self.wall_start + (self.now - self.start)

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def envelope(data: Any, **extra: Any) -> dict[str, Any]:
    return {"success": True, "data": data, **extra}


def error_body(message: str) -> dict[str, Any]:
    return {"success": False, "message": message}


class Recorder:
    """MockTransport handler that replays scripted responses and records requests."""

    def __init__(self, *responses: httpx.Response | Exception | Callable[[httpx.Request], Any]) -> None:
        self.script = list(responses)
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(item, Exception):
            raise item
        if callable(item) and not isinstance(item, httpx.Response):
            item = item(request)
        assert isinstance(item, httpx.Response)
        return item

    @property
    def count(self) -> int:
        return len(self.requests)


def json_response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
