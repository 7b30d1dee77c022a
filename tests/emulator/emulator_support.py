"""HTTP helpers shared by the emulator tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

# tests/emulator/conftest.py -> repo root is parents[2]; shared data lives next to the repo.
RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "retool-api" / "recordings"


def call(
    base_url: str,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = "test-token",
    timeout: float = 10.0,
) -> tuple[int, Any, dict[str, str]]:
    """One HTTP request; returns (status, parsed JSON or None, headers)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base_url + path, data=data, method=method)
    if token is not None:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None, dict(resp.headers)
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        return exc.code, json.loads(raw) if raw else None, dict(exc.headers)
