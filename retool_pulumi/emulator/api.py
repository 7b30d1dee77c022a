"""Transport-independent request handling: auth, routing, validation, then the handler (which
calls the backends) under the store's lock."""

from __future__ import annotations

import hmac
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from retool_pulumi.emulator import handlers
from retool_pulumi.emulator.backends import ApiError, Backends
from retool_pulumi.emulator.handlers.base import REGISTRY, Request
from retool_pulumi.emulator.spec import ERROR_CHECK, Operation, load_operations, match
from retool_pulumi.emulator.store import Store

API_PREFIX = "/api/v2"
_MALFORMED_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
UNAUTHORIZED = "Unauthorized: the access token is missing or invalid"
log = logging.getLogger(__name__)
_ = handlers  # importing the package registers every handler


class ResponseViolation(AssertionError):
    """A response that does not match the spec (strict mode)."""


@dataclass
class ApiResponse:
    """What the transport sends back."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    operation: str | None = None

    def encode(self) -> bytes:
        """The JSON body (empty for 204)."""
        if self.body is None:
            return b""
        return json.dumps(self.body, separators=(",", ":")).encode()


def error(status: int, message: str, **headers: str) -> ApiResponse:
    """A Retool-shaped error response."""
    return ApiResponse(status, {"success": False, "message": message}, dict(headers))


def _coerce(kind: str | None, raw: str) -> Any:
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw
    if kind == "number":
        try:
            return float(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        lowered = raw.lower()
        return {"true": True, "false": False}.get(lowered, raw)
    return raw


def decode_segment(raw: str) -> str | None:
    """A path parameter decoded once, as Express's decodeURIComponent does; None for a malformed
    escape or one that is not UTF-8 (Express answers 400)."""
    if _MALFORMED_ESCAPE.search(raw):
        return None
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None


class Api:
    """The emulated Retool API over a Store (and the backends over it, `backends`)."""

    def __init__(self, store: Store, token: str, validate_responses: bool = False) -> None:
        self.store = store
        self.backends = Backends(store)
        self.token = token
        self.validate_responses = validate_responses
        self.violations: list[str] = []
        self._violations_lock = threading.Lock()
        load_operations()  # compile the spec now, not on the first request

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> ApiResponse:
        """Answer one HTTP request whose path starts with /api/v2.

        Routes match the path as sent, each path parameter decoded after (as Express does), so an
        escaped `/` (%2F) stays inside its segment (divergence path-segments-decoded-after-routing).
        """
        path, _, query_string = raw_path.partition("?")
        auth = headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), self.token.encode()):
            return error(401, UNAUTHORIZED)
        rel = path[len(API_PREFIX) :] or "/"
        op, params, path_known = match(method, rel)
        if op is None:
            if path_known:
                return error(404, f"Cannot {method} {path}: this route does not support {method}")
            return error(404, f"Route {method} {path} not found")
        content_type = headers.get("content-type", "")
        response = self._dispatch(op, method, rel, params, query_string, body, content_type)
        response.operation = op.key
        if self.validate_responses:
            self._check_response(op, response)
        return response

    def _dispatch(
        self,
        op: Operation,
        method: str,
        rel: str,
        params: dict[str, str],
        query_string: str,
        body: bytes,
        content_type: str = "",
    ) -> ApiResponse:
        query_raw = dict(parse_qsl(query_string, keep_blank_values=True))
        query: dict[str, Any] = {}
        for prm in op.params:
            if prm.location == "path":
                raw = params.get(prm.name, "")
                value: Any = decode_segment(raw)
                if value is None:
                    return error(400, f"Failed to decode param '{raw}'")
                params[prm.name] = value
                err = prm.check(value, f"path.{prm.name}")
                if err:
                    return error(400, err)
            elif prm.location == "query":
                if prm.name not in query_raw:
                    if prm.required:
                        return error(400, f"query.{prm.name}: is required")
                    continue
                value = _coerce(prm.kind, query_raw[prm.name])
                err = prm.check(value, f"query.{prm.name}")
                if err:
                    return error(400, err)
                query[prm.name] = value
        parsed: Any = None
        has_body = bool(body.strip())
        if has_body:
            media_type = content_type.split(";")[0].strip().lower()
            if op.body_check is not None and media_type and "json" not in media_type:
                # Like production's JSON body parser: a body of another media type is not read.
                return error(400, f"body: Content-Type must be application/json, not {media_type}")
            try:
                parsed = json.loads(body)
            except ValueError:
                return error(400, "body: is not valid JSON")
        if op.body_check is not None:
            # No body is checked as {} (so missing required fields are named); a JSON null as null.
            err = op.body_check(parsed if has_body else {}, "body")
            if err:
                return error(400, err)
        handler = REGISTRY.get(op.key)
        if handler is None:
            return error(501, f"{op.key} is not implemented by the retool-pulumi emulator")
        request = Request(
            method, rel, op.template, params, query, parsed if parsed is not None else {}, op.field_checks
        )
        try:
            with self.store.lock:  # a request is atomic
                status, data = handler(self.backends, request)
        except ApiError as exc:
            return error(exc.status, exc.message)
        except Exception:
            log.exception("emulator handler for %s failed", op.key)
            return error(500, "Internal server error")
        return ApiResponse(status, data)

    def _check_response(self, op: Operation, response: ApiResponse) -> None:
        checker = op.responses.get(response.status)
        if checker is None:
            if response.status >= 400:
                checker = ERROR_CHECK
            else:
                self._violation(op, response, f"status {response.status} is not declared by the spec")
                return
        if response.status == 204:
            if response.body is not None:
                self._violation(op, response, "204 response has a body")
            return
        err = checker(response.body, "response")
        if err:
            self._violation(op, response, err)

    def _violation(self, op: Operation, response: ApiResponse, problem: str) -> None:
        message = f"{op.key} -> {response.status}: {problem}"
        with self._violations_lock:
            self.violations.append(message)
        log.error("spec violation: %s", message)
        # Turn the violation into a 500 so the client under test fails loudly.
        response.status = 500
        response.body = {"success": False, "message": f"emulator response violates the spec: {message}"}
