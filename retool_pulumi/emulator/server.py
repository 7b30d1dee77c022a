"""The HTTP adapter (stdlib ThreadingHTTPServer) and the `Emulator` facade."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from retool_pulumi.emulator.api import API_PREFIX, Api, ApiResponse, error
from retool_pulumi.emulator.faults import ERROR_MESSAGES, FaultInjector
from retool_pulumi.emulator.store import Store

HOOK_PREFIX = "/__emulator__"
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    emulator: Emulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle plus the client's
    # delayed ACK adds ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request stderr logging."""

    def _serve(self) -> None:
        em = self.server.emulator
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = self.path
        if path.startswith(HOOK_PREFIX):
            self._send(em._hook(self.command, path, body))
            return
        if not path.startswith(API_PREFIX + "/") and path.split("?")[0] != API_PREFIX:
            self._send(error(404, f"Route {self.command} {path.split('?')[0]} not found"))
            return
        decision = em.faults.decide(self.command in MUTATING)
        if decision.timeout_s:
            time.sleep(decision.timeout_s)
            em._record(self.command, path, None)
            self._drop()
            return
        if decision.status is not None:
            headers = {"Retry-After": str(decision.retry_after)} if decision.retry_after else {}
            response = error(decision.status, ERROR_MESSAGES[decision.status], **headers)
        else:
            headers_lower = {k.lower(): v for k, v in self.headers.items()}
            # Like Express, HEAD is answered as GET without a body.
            method = "GET" if self.command == "HEAD" else self.command
            response = em.api.handle(method, path, headers_lower, body)
            if em.state_file and self.command in MUTATING and response.status < 400:
                em.save_state()
        if decision.drop_after_apply and decision.status is None:
            # Applied, but the client never hears back: an ambiguous failure.
            em._record(self.command, path, None)
            self._drop()
            return
        em._record(self.command, path, response.status)
        self._send(response)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, response: ApiResponse) -> None:
        payload = response.encode()
        self.send_response(response.status)
        if payload:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    # Every method gets a JSON answer (404 "Cannot TRACE ..." for the ones no route takes),
    # never the stdlib's HTML 501 page.
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve
    do_HEAD = do_OPTIONS = do_TRACE = do_CONNECT = _serve

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Methods without a do_<METHOD> above (QUERY, PROPFIND, ...) are served the same way.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)


class Emulator:
    """A Retool API emulator on a real TCP port, run in a background thread.

    >>> with Emulator(token="t") as em:
    ...     em.base_url  # http://127.0.0.1:<port>
    """

    def __init__(
        self,
        token: str = "test-token",  # noqa: S107 - the well-known test token, not a secret
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = 0,
        state_file: str | Path | None = None,
        validate_responses: bool = False,
    ) -> None:
        self.token = token
        self._host = host
        self._port = port
        self.seed = seed
        self.state_file = Path(state_file) if state_file else None
        self.store = Store(seed=seed, token=token)
        if self.state_file and self.state_file.exists():
            self.store.load_file(self.state_file)
        self.api = Api(self.store, token, validate_responses=validate_responses)
        self.faults = FaultInjector(seed)
        self._requests: list[dict[str, Any]] = []
        self._requests_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -----------------------------------------------------------------------

    def start(self) -> Emulator:
        """Bind, serve in a daemon thread and return once the socket accepts connections."""
        if self._server is not None:
            return self
        server = _Server((self._host, self._port), _Handler)
        server.emulator = self
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="retool-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (and persist the state when a state file is set)."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None
        if self.state_file:
            self.save_state()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- addresses -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (after start)."""
        return self._port

    @property
    def host(self) -> str:
        """`host:port`, the form RETOOL_HOST takes (scheme http)."""
        return f"{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """`http://host:port` (without /api/v2)."""
        return f"http://{self.host}"

    # ---- test helpers ----------------------------------------------------------------------

    def reset(self, seed: int | None = None) -> None:
        """Re-seed the organisation, clear the request log and the faults."""
        self.store.reset(self.seed if seed is None else seed)
        self.clear_requests()
        self.faults.configure(**_default_faults())
        with self.api._violations_lock:
            self.api.violations.clear()

    def requests(self) -> list[dict[str, Any]]:
        """Every API request so far, in order: {"method", "path", "query", "status"}."""
        with self._requests_lock:
            return [dict(r) for r in self._requests]

    def clear_requests(self) -> None:
        """Forget the request log."""
        with self._requests_lock:
            self._requests.clear()

    def set_faults(self, **settings: Any) -> dict[str, Any]:
        """Change fault settings (see `faults.Faults`); unspecified settings keep their value."""
        self.faults.configure(**settings)
        return self.faults.settings()

    @property
    def violations(self) -> list[str]:
        """Spec violations seen in strict-response mode."""
        with self.api._violations_lock:
            return list(self.api.violations)

    def save_state(self) -> None:
        """Write the state file now."""
        if self.state_file:
            with self.store.lock:
                self.store.save_file(self.state_file)

    # ---- internals ---------------------------------------------------------------------------

    def _record(self, method: str, raw_path: str, status: int | None) -> None:
        path, _, query = raw_path.partition("?")
        with self._requests_lock:
            self._requests.append({"method": method, "path": path, "query": query, "status": status})

    def _hook(self, method: str, raw_path: str, body: bytes) -> ApiResponse:
        path = raw_path.split("?")[0].rstrip("/")
        name = path[len(HOOK_PREFIX) :]
        try:
            payload = json.loads(body) if body.strip() else {}
        except ValueError:
            return error(400, "body: is not valid JSON")
        if name == "/reset" and method == "POST":
            self.reset(payload.get("seed") if isinstance(payload, dict) else None)
            return ApiResponse(200, {"success": True})
        if name == "/requests" and method == "GET":
            return ApiResponse(200, self.requests())
        if name == "/requests" and method == "DELETE":
            self.clear_requests()
            return ApiResponse(204)
        if name == "/faults" and method == "PUT":
            if not isinstance(payload, dict):
                return error(400, "body: must be an object")
            try:
                return ApiResponse(200, self.set_faults(**payload))
            except (TypeError, ValueError) as exc:
                return error(400, str(exc))
        if name == "/faults" and method == "GET":
            return ApiResponse(200, self.faults.settings())
        if name == "/state" and method == "GET":
            return ApiResponse(200, self.store.dump())
        return error(404, f"Unknown emulator hook {method} {path}")


def _default_faults() -> dict[str, Any]:
    from dataclasses import asdict

    from retool_pulumi.emulator.faults import Faults

    return asdict(Faults())
