"""The HTTP adapter (stdlib ThreadingHTTPServer) and the `Emulator` facade.

The emulator is meant to run on a developer's machine next to a browser, so every request
passes two checks before anything else: its `Host` must name the emulator (a loopback name, the
bound address, or a name allowed with `allowed_hosts`; this defeats DNS rebinding) and any
`Origin` must be the emulator's own (this defeats cross-site requests). The test hooks under
`/__emulator__` need the same bearer token as the API, and JSON bodies.
"""

from __future__ import annotations

import atexit
import hmac
import ipaddress
import json
import logging
import os
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from retool_pulumi import openapi
from retool_pulumi.emulator.api import API_PREFIX, UNAUTHORIZED, Api, ApiResponse, error
from retool_pulumi.emulator.faults import ERROR_MESSAGES, FaultInjector, Faults
from retool_pulumi.emulator.store import Store

HOOK_PREFIX = "/__emulator__"
# Outside /api/v2 and answered without a token, as production does: Retool's Terraform provider
# calls it first and refuses a server whose `version` is below 3.75.0 (see divergences.py).
HEALTH_PATH = "/api/checkHealth"
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARD_ADDRESSES = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
DEFAULT_REQUEST_TIMEOUT_S = 30.0
DEFAULT_MAX_LOGGED_REQUESTS = 10_000
# The state writer waits at least this long between two writes, and at least 4x the last
# write's duration, so that it never takes more than a fifth of the time however large the org.
STATE_WRITE_INTERVAL_S = 0.05
SEED_ENV = "RETOOL_EMULATOR_SEED"
log = logging.getLogger(__name__)


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

    def setup(self) -> None:
        # Every socket read (request line, headers, body, the idle wait between keep-alive
        # requests) gives up after this, so half-open connections cannot pin threads forever.
        super().setup()
        self.connection.settimeout(self.server.emulator.request_timeout)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request stderr logging."""

    def _serve(self) -> None:
        em = self.server.emulator
        refusal = em._refuse_foreign(self.headers.get("Host"), self.headers.get("Origin"))
        body = self._read_body(em.max_body_bytes) if refusal is None else refusal
        if isinstance(body, ApiResponse):
            # The body (if any) was not read: the connection cannot carry another request.
            self.close_connection = True
            self._send(body)
            return
        path = self.path
        headers_lower = {k.lower(): v for k, v in self.headers.items()}
        if path.startswith(HOOK_PREFIX):
            self._send(em._hook(self.command, path, headers_lower, body))
            return
        if path.split("?")[0] == HEALTH_PATH:
            response = em._health(self.command)
            em._record(self.command, path, response.status)
            self._send(response)
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
            # Like Express, HEAD is answered as GET without a body.
            method = "GET" if self.command == "HEAD" else self.command
            response = em.api.handle(method, path, headers_lower, body)
            if self.command in MUTATING and response.status < 400:
                em._changed()
            answered = unquote(path.split("?")[0])[len(API_PREFIX) :]
            response.status, response.body = em.faults.reshape(
                method, answered, response.status, response.body
            )
        if decision.drop_after_apply and decision.status is None:
            # Applied, but the client never hears back: an ambiguous failure.
            em._record(self.command, path, None)
            self._drop()
            return
        em._record(self.command, path, response.status)
        self._send(response)

    def _read_body(self, limit: int) -> bytes | ApiResponse:
        """The request body, or the refusal to read it: the declared length is checked first."""
        if self.headers.get("Transfer-Encoding"):
            return error(411, "Length Required: send the body with a Content-Length, not chunked")
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            return error(400, f"Content-Length: {raw!r} is not a byte count")
        if length > limit:
            return error(
                413,
                f"Payload Too Large: the body declares {length} bytes; this emulator accepts at most "
                f"{limit} (max_body_bytes / --max-body-bytes)",
            )
        return self.rfile.read(length) if length else b""

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


class _StateWriter:
    """Persists the store to the state file off the request path.

    Requests only mark the store changed; this thread writes a whole snapshot as soon as it
    notices, then waits at least `STATE_WRITE_INTERVAL_S` (and 4x the last write's duration)
    before the next, so a burst of requests costs a few writes instead of one per request: the
    cost per request no longer grows with the size of the org. `flush()` writes synchronously.
    """

    def __init__(self, store: Store, path: Path) -> None:
        self.store = store
        self.path = path
        self.writes = 0
        self.busy_seconds = 0.0
        self._cond = threading.Condition()
        self._dirty = False
        self._stopping = False
        self._write_lock = threading.Lock()  # one writer at a time: the thread or a flush
        self._thread = threading.Thread(target=self._run, name="retool-emulator-state", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def mark_dirty(self) -> None:
        with self._cond:
            self._dirty = True
            self._cond.notify()

    def flush(self) -> None:
        """Write the current state now (whether or not it changed) and return once it is on disk."""
        self._write()

    def stop(self) -> None:
        """Stop the thread, then write the final state."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self._write()

    def _run(self) -> None:
        pause = 0.0
        while True:
            with self._cond:
                while not self._dirty and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                # Coalesce: changes arriving during the pause join this write.
                self._cond.wait_for(lambda: self._stopping, timeout=pause)
                if self._stopping:
                    return
            started = time.perf_counter()
            try:
                self._write()
            except Exception:  # keep serving; retry on the next change or at stop()
                log.exception("emulator: writing the state file %s failed", self.path)
                self.mark_dirty()
            pause = max(STATE_WRITE_INTERVAL_S, 4 * (time.perf_counter() - started))

    def _write(self) -> None:
        with self._write_lock:
            with self._cond:
                # Cleared before the snapshot: a change racing with it marks the store again.
                self._dirty = False
            started = time.perf_counter()
            self.store.save_file(self.path)
            self.busy_seconds += time.perf_counter() - started
            self.writes += 1


class Emulator:
    """A Retool API emulator on a real TCP port, run in a background thread.

    >>> with Emulator(token="t") as em:
    ...     em.base_url  # http://127.0.0.1:<port>

    `seed` fixes the random ids (UUIDs, user ids) it hands out; by default every instance draws
    its own (or takes `RETOOL_EMULATOR_SEED`), so two emulators never share ids. With a
    `state_file`, the organisation is loaded from it at construction and written to it (mode
    0600) in the background shortly after every change, and completely at `stop()`; a SIGKILL
    can lose the changes of the last write interval (about 50 ms, more for very large orgs).
    """

    def __init__(
        self,
        token: str = "test-token",  # noqa: S107 - the well-known test token, not a secret
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        state_file: str | Path | None = None,
        validate_responses: bool = False,
        allowed_hosts: Iterable[str] = (),
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT_S,
        max_logged_requests: int = DEFAULT_MAX_LOGGED_REQUESTS,
    ) -> None:
        self.token = token
        self._host = host
        self._port = port
        self.seed = _choose_seed(seed)
        self.state_file = Path(state_file) if state_file else None
        self.allowed_hosts = frozenset(h.lower().strip("[]") for h in allowed_hosts)
        self.max_body_bytes = max_body_bytes
        self.request_timeout = request_timeout
        self.store = Store(seed=self.seed, token=token)
        self.api = Api(self.store, token, validate_responses=validate_responses)
        # The rules of each Retool type over the store (tests may call them out of band too,
        # holding `store.lock`).
        self.backends = self.api.backends
        if self.state_file and self.state_file.exists():
            self.store.load_file(self.state_file)
            if seed is None:  # continue the saved organisation's id sequence on reset too
                self.seed = self.store.seed
        else:
            self.backends.reset(self.seed)
        self.faults = FaultInjector(self.seed)
        self._requests: deque[dict[str, Any]] = deque(maxlen=max_logged_requests)
        self._requests_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._writer: _StateWriter | None = None

    def __repr__(self) -> str:
        return f"<Emulator {self.base_url} seed={self.seed}>"

    # ---- lifecycle -----------------------------------------------------------------------

    def start(self) -> Emulator:
        """Bind, serve in a daemon thread and return once the socket accepts connections."""
        if self._server is not None:
            return self
        server = _Server((self._host, self._port), _Handler)
        server.emulator = self
        self._server = server
        self._port = server.server_address[1]
        if self.state_file:
            self._writer = _StateWriter(self.store, self.state_file)
            self._writer.start()
            # A program that exits without stop() still gets its last changes written.
            atexit.register(self.stop)
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="retool-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and write the state file completely (when one is set)."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None
        if self._writer is not None:
            atexit.unregister(self.stop)
            self._writer.stop()
            self._writer = None
        elif self.state_file:
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
        self.backends.reset(self.seed if seed is None else seed)
        self.clear_requests()
        self.faults.configure(**_default_faults())
        with self.api._violations_lock:
            self.api.violations.clear()
        self._changed()

    def requests(self) -> list[dict[str, Any]]:
        """The latest API requests (at most `max_logged_requests`), oldest first:
        {"method", "path", "query", "status"}."""
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
        """Write the state file now and return once it is on disk (also after out-of-band edits)."""
        if self._writer is not None:
            self._writer.flush()
        elif self.state_file:
            self.store.save_file(self.state_file)

    # ---- internals ---------------------------------------------------------------------------

    def _changed(self) -> None:
        if self._writer is not None:
            self._writer.mark_dirty()

    def _record(self, method: str, raw_path: str, status: int | None) -> None:
        path, _, query = raw_path.partition("?")
        with self._requests_lock:
            self._requests.append({"method": method, "path": path, "query": query, "status": status})

    def _own_address(self, netloc: str, default_port: int) -> bool:
        """Whether `host[:port]` names this emulator: its port, and a loopback name, the bound
        address, an allowed name, or (when bound to all interfaces) any IP address."""
        try:
            parts = urlsplit("//" + netloc)
            port = parts.port if parts.port is not None else default_port
        except ValueError:
            return False
        name = (parts.hostname or "").lower()
        if not name or port != self._port:
            return False
        if name in LOOPBACK_NAMES or name == self._host.lower().strip("[]") or name in self.allowed_hosts:
            return True
        if self._host in WILDCARD_ADDRESSES:
            try:
                ipaddress.ip_address(name)
            except ValueError:
                return False
            return True
        return False

    def _refuse_foreign(self, host: str | None, origin: str | None) -> ApiResponse | None:
        """A 403 for a request that names another server (DNS rebinding) or comes from a web
        page of another origin (CSRF); None when it may proceed. A missing Host is accepted:
        browsers always send one."""
        if host is not None and not self._own_address(host.strip(), 80):
            return error(
                403,
                f"Host {host!r} is not this emulator's address ({self.host}, localhost:{self.port}); "
                "allow more names with allowed_hosts / --allow-host",
            )
        if origin is not None:
            scheme, _, netloc = origin.strip().partition("://")
            if scheme.lower() != "http" or not self._own_address(netloc.rstrip("/"), 80):
                return error(403, f"Origin {origin!r} is refused: only the emulator's own origin may call it")
        return None

    def _health(self, method: str) -> ApiResponse:
        """`GET /api/checkHealth`: the Retool version this emulator stands for (the bundled spec's)."""
        if method not in ("GET", "HEAD"):
            return error(404, f"Route {method} {HEALTH_PATH} not found")
        return ApiResponse(200, {"version": str(openapi.document()["info"]["version"])})

    def _hook(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> ApiResponse:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), self.token.encode()):
            return error(401, f"{UNAUTHORIZED} (the emulator hooks need the API's bearer token)")
        if method in ("POST", "PUT", "PATCH"):
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != "application/json":
                return error(415, f"Content-Type must be application/json, not {media_type or 'none'}")
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


def _choose_seed(seed: int | None) -> int:
    """The given seed, else RETOOL_EMULATOR_SEED (to reproduce a run), else a fresh random one."""
    if seed is not None:
        return seed
    from_env = os.environ.get(SEED_ENV, "").strip()
    if from_env:
        try:
            return int(from_env)
        except ValueError:
            raise ValueError(f"{SEED_ENV} must be an integer, not {from_env!r}") from None
    return secrets.randbits(32)


def _default_faults() -> dict[str, Any]:
    return asdict(Faults())
