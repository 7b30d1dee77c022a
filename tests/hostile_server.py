"""A small loopback HTTP server standing between the provider and the emulator, to play the
hostile or broken things that can answer in Retool's place: a redirect, a login page, a proxy's
own 404, a server that echoes the request body into its error message.

By default it passes every request through to the emulator unchanged; set `answer` to a function
of (method, path, body) returning (status, headers, body) to answer a request itself (return None
to pass that one through). `seen` records every request as "METHOD raw-path".
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], bytes]
Answerer = Callable[[str, str, bytes], Answer | None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        owner = self.server.owner
        with owner.lock:
            owner.seen.append(f"{self.command} {self.path}")
            answer = owner.answer
        result = answer(self.command, self.path, body) if answer is not None else None
        if result is None:
            result = owner.forward(self.command, self.path, dict(self.headers.items()), body)
        status, headers, payload = result
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: HostileServer


class HostileServer:
    """`with HostileServer(upstream="127.0.0.1:port") as hs: hs.host` (a loopback host:port)."""

    def __init__(self, upstream: str | None = None) -> None:
        self.upstream = upstream
        self.answer: Answerer | None = None
        self.seen: list[str] = []
        self.lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self._server.server_address[1]}"

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        if self.upstream is None:
            return 502, {"Content-Type": "text/plain"}, b"no upstream"
        conn = http.client.HTTPConnection(self.upstream, timeout=30)
        try:
            keep = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection")}
            conn.request(method, path, body=body or None, headers=keep)
            response = conn.getresponse()
            payload = response.read()
            out = {k: v for k, v in response.getheaders() if k.lower() in ("content-type", "retry-after")}
            return response.status, out, payload
        finally:
            conn.close()

    def start(self) -> HostileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---- answers -----------------------------------------------------------------------------------


def redirect_everything(location: str) -> Answerer:
    """A 301 to `location` + the path, for every request (an http→https redirect, a moved host)."""
    return lambda method, path, body: (301, {"Location": location.rstrip("/") + path}, b"")


def login_page(method: str, path: str, body: bytes) -> Answer:
    """A 200 HTML sign-in page, as a login proxy in front of Retool answers."""
    page = b"<!doctype html><html><head><title>Sign in</title></head><body>Continue with SSO</body></html>"
    return 200, {"Content-Type": "text/html; charset=utf-8"}, page


def proxy_404(method: str, path: str, body: bytes) -> Answer:
    """A reverse proxy's own 404 page (no route to Retool)."""
    return 404, {"Content-Type": "text/html"}, b"<html><body><h1>404 Not Found</h1><hr>nginx</body></html>"


def echo_body_on(method_wanted: str, path_prefix: str) -> Answerer:
    """A 400 whose message echoes the request body, for `method_wanted` requests under `path_prefix`."""

    def answer(method: str, path: str, body: bytes) -> Answer | None:
        if method != method_wanted or not path.startswith(path_prefix):
            return None
        message = f"Invalid request body: {body.decode('utf-8', 'replace')}"
        payload = json.dumps({"success": False, "message": message}).encode()
        return 400, {"Content-Type": "application/json"}, payload

    return answer
