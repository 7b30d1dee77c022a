"""Recorded production traffic (`../shared/retool-api/recordings`, go-vcr cassettes of Retool's
Terraform provider's acceptance tests) and a loopback server that answers with it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "retool-api" / "recordings"
API = "/api/v2"


def recording_names() -> list[str]:
    """The recordings present (none when ../shared is absent)."""
    return sorted(p.name for p in RECORDINGS.glob("*.yaml")) if RECORDINGS.is_dir() else []


@dataclass(frozen=True)
class Interaction:
    """One recorded request and Retool's answer; `path` is relative to /api/v2."""

    index: int
    method: str
    path: str
    request: Any  # parsed JSON body, or None
    status: int
    text: str  # the answer's body as recorded

    @property
    def answer(self) -> Any:
        return json.loads(self.text) if self.text.strip() else None

    @property
    def data(self) -> Any:
        answer = self.answer
        return answer.get("data") if isinstance(answer, dict) else None

    @property
    def key(self) -> tuple[str, str, str]:
        return route_key(self.method, self.path, self.request)


def route_key(method: str, path: str, body: Any) -> tuple[str, str, str]:
    """What identifies an answer: method, path (no query) and, for a body, its canonical JSON."""
    return (method, path.rstrip("/") or "/", json.dumps(body, sort_keys=True) if body is not None else "")


def load(name: str) -> list[Interaction]:
    """The interactions of one recording, in order."""
    cassette = yaml.safe_load((RECORDINGS / name).read_text(encoding="utf-8"))
    out = []
    for i, item in enumerate(cassette["interactions"]):
        req, resp = item["request"], item["response"]
        raw = (req.get("body") or "").strip()
        path = urlsplit(req["url"]).path.removeprefix(API)
        out.append(
            Interaction(
                i, req["method"], path, json.loads(raw) if raw else None, resp["code"], resp["body"] or ""
            )
        )
    return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    answers: Mapping[tuple[str, str, str], Interaction]
    asked: list[tuple[str, str, str]]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw.strip() else None
        key = route_key(self.command, urlsplit(self.path).path.removeprefix(API), body)
        self.server.asked.append(key)
        found = self.server.answers.get(key)
        if found is None:
            status, text = 404, json.dumps({"success": False, "message": f"not in the recording: {key}"})
        else:
            status, text = found.status, found.text
        payload = text.encode()
        self.send_response(status)
        if payload:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class Replay:
    """A loopback server answering each request with the recorded answer to the same request
    (method, path, body); anything else is a 404 naming what was asked."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.answers = {}
        self._server.asked = []
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def serve(self, answers: Mapping[tuple[str, str, str], Interaction]) -> None:
        """From now on, answer with `answers`."""
        self._server.answers = dict(answers)
        self._server.asked = []

    @property
    def asked(self) -> list[tuple[str, str, str]]:
        return list(self._server.asked)

    @contextmanager
    def running(self) -> Iterator[Replay]:
        self._thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
