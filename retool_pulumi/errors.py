"""Errors raised when talking to Retool.

Every error is picklable (Pulumi may move exceptions between threads and processes) and none
ever holds the access token: messages are built from the status, method, path and Retool's
own message only.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any, NamedTuple

from pulumi.errors import RunError

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "RetoolAPIError",
    "RetoolConnectionError",
    "RetoolError",
    "RetoolTimeoutError",
    "ServerError",
    "UnexpectedResponseError",
    "UnprocessableEntityError",
    "UnsafePathError",
    "error_for_response",
    "required_scope",
]


def _restore(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    # Bypass __init__: subclasses take keyword arguments that Exception's default
    # __reduce__ (cls(*self.args)) cannot replay.
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class RetoolError(RunError):
    """Base class of every error raised by retool_pulumi.

    A `pulumi.RunError`: its message says all there is to say, so a program that raises one ends
    with that message alone, without the stack trace Pulumi prints for other exceptions."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self.args, dict(self.__dict__)))


class ConfigurationError(RetoolError):
    """Connection settings are missing or invalid."""


class UnsafePathError(RetoolError, ValueError):
    """A request path built from an id or a name would leave its place (``..``, ``/``, ``?``...):
    refused before anything is sent."""


class ObjectNotFoundError(RetoolError, LookupError):
    """A lookup (`get_folder`, `get_group`, ...) found nothing; the message names what was sought."""


class RetoolConnectionError(RetoolError):
    """Retool could not be reached (DNS, refused connection, reset, TLS...).

    ``sent`` is False when the request cannot have reached Retool (no connection was made), so
    the server cannot have acted on it; True when it may have (the connection dropped later)."""

    def __init__(
        self, message: str, *, method: str | None = None, path: str | None = None, sent: bool = True
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.sent = sent


class RetoolTimeoutError(RetoolError):
    """Retool did not answer within the configured timeout (``sent`` as for
    RetoolConnectionError: False for a connection that was never made)."""

    def __init__(
        self, message: str, *, method: str | None = None, path: str | None = None, sent: bool = True
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.sent = sent


class RetoolAPIError(RetoolError):
    """Retool answered with an error status.

    ``message`` is Retool's own message; ``str(error)`` adds the request and what to do.
    """

    default_hint = ""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        message: str,
        *,
        hint: str | None = None,
    ) -> None:
        self.status = status
        self.method = method.upper()
        self.path = path
        self.message = message
        self.hint = self.default_hint if hint is None else hint
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"Retool API {self.method} {self.path} failed with HTTP {self.status}"
        if self.message:
            text += f": {self.message.rstrip('.')}."
        else:
            text += "."
        if self.hint:
            text += f" {self.hint}"
        return text

    def __str__(self) -> str:
        return self._render()


class BadRequestError(RetoolAPIError):
    """400: Retool rejected the request as malformed or invalid."""

    default_hint = "Check the resource's inputs; Retool rejected them as invalid."


class AuthenticationError(RetoolAPIError):
    """401: the access token is missing, wrong, expired or revoked."""

    default_hint = (
        "Check the access token: set retool:accessToken "
        "(pulumi config set --secret retool:accessToken ...) or RETOOL_ACCESS_TOKEN, or the "
        "accessToken of the named connection in retool:connections, and make sure the token "
        "has not expired or been revoked."
    )


class PermissionDeniedError(RetoolAPIError):
    """403: the token is valid but lacks the scope (or plan) this endpoint needs."""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        message: str,
        *,
        hint: str | None = None,
        scope: str | None = None,
    ) -> None:
        self.scope = scope if scope is not None else required_scope(method, path)
        if hint is None:
            needs = f"the `{self.scope}` scope" if self.scope else "a scope"
            hint = (
                f"The access token lacks {needs} needed for this endpoint: create a Retool API "
                "token with it (Settings > API) and update retool:accessToken or "
                "RETOOL_ACCESS_TOKEN."
            )
        super().__init__(status, method, path, message, hint=hint)


class NotFoundError(RetoolAPIError):
    """404: the object does not exist (or the endpoint is unknown to this Retool version)."""

    default_hint = (
        "The object may have been deleted outside Pulumi (run `pulumi refresh`), or the id, "
        "host or Retool version is wrong."
    )


class ConflictError(RetoolAPIError):
    """409: the request conflicts with existing state, typically a duplicate name."""

    default_hint = (
        "An object with the same name or key probably exists already: adopt it (pass its id "
        "as `adopt_id=`; `pulumi import` does not work for dynamic resources) or choose another name."
    )


class UnprocessableEntityError(RetoolAPIError):
    """422: the request was well-formed but Retool could not apply it."""

    default_hint = "Check the resource's inputs against what this Retool instance supports."


class RateLimitError(RetoolAPIError):
    """429: too many requests; ``retry_after`` is the server's hint in seconds, if any."""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        message: str,
        *,
        hint: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        if hint is None:
            wait = f"Retool asked to wait {retry_after:g}s. " if retry_after is not None else ""
            hint = (
                f"{wait}Lower retool:requestsPerMinute (RETOOL_REQUESTS_PER_MINUTE) or run "
                "`pulumi up` with a lower --parallel."
            )
        super().__init__(status, method, path, message, hint=hint)


class ServerError(RetoolAPIError):
    """5xx: Retool (or a proxy in front of it) failed."""

    default_hint = "This is usually transient: try again later; if it persists, check Retool's status."


_CONNECTION_HINT = (
    "Check retool:host (RETOOL_HOST) and retool:scheme (RETOOL_SCHEME), or the host and scheme of "
    "the named connection in retool:connections: they must point at Retool's API itself."
)


class RedirectError(RetoolAPIError):
    """3xx: something answered with a redirect. Retool's API never redirects, and following one
    would send the token elsewhere, so a redirect is neither followed nor taken for success."""

    def __init__(
        self,
        status: int,
        method: str,
        path: str,
        message: str,
        *,
        hint: str | None = None,
        location: str | None = None,
    ) -> None:
        self.location = location
        if hint is None:
            hint = (
                "Retool's API does not redirect: an http->https redirect, a login proxy or a moved "
                "instance answered, and the provider follows no redirect (the access token would go "
                "with it). Point retool:host (RETOOL_HOST) and retool:scheme (RETOOL_SCHEME), or the "
                "named connection's host and scheme in retool:connections, at Retool's API itself; "
                "the redirect's target may be the right address."
            )
        super().__init__(status, method, path, message, hint=hint)


class UnexpectedResponseError(RetoolAPIError):
    """An answer that is not Retool's: a success whose body is not JSON (a login page) or holds
    no object where one is expected, or a 404 without Retool's error body (a proxy's own page).
    Never read as "gone" or as success."""

    default_hint = (
        "Something other than Retool's API answered (a proxy, a login page, a wrong host or path), "
        f"so the answer was not treated as deleted, nor as done. {_CONNECTION_HINT}"
    )


_BY_STATUS: dict[int, type[RetoolAPIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_for_response(
    status: int,
    method: str,
    path: str,
    message: str,
    *,
    retry_after: float | None = None,
) -> RetoolAPIError:
    """Build the error for an HTTP error status; the one place the status mapping lives."""
    cls = _BY_STATUS.get(status)
    if cls is RateLimitError:
        return RateLimitError(status, method, path, message, retry_after=retry_after)
    if cls is not None:
        return cls(status, method, path, message)
    if 500 <= status <= 599:
        return ServerError(status, method, path, message)
    return RetoolAPIError(status, method, path, message)


# --- what the bundled OpenAPI document says about an endpoint ---------------------------------

_SCOPE_RE = re.compile(r"`([a-z_]+:[a-z_]+)`")


class _Operation(NamedTuple):
    method: str
    pattern: re.Pattern[str]
    parameters: int  # path template parameters; fewer means a more specific match
    scope: str | None
    query: frozenset[str]


@functools.lru_cache(maxsize=1)
def _operations() -> tuple[_Operation, ...]:
    """Every operation of the bundled spec, most specific path first; empty if it is missing."""
    try:
        text = resources.files("retool_pulumi").joinpath("openapi.json").read_text(encoding="utf-8")
        spec = json.loads(text)
    except (OSError, ValueError, ModuleNotFoundError):
        return ()
    found: list[_Operation] = []
    for template, operations in spec.get("paths", {}).items():
        norm = template.rstrip("/") or "/"
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(norm)) + "$")
        for method, op in operations.items():
            if not isinstance(op, dict):
                continue
            scopes = _SCOPE_RE.findall(op.get("description") or "")
            query = frozenset(p.get("name", "") for p in op.get("parameters", []) if p.get("in") == "query")
            found.append(
                _Operation(method.upper(), pattern, norm.count("{"), scopes[0] if scopes else None, query)
            )
    # Literal segments beat parameters (/users/reset2fa/{id} before /users/{id}/...).
    found.sort(key=lambda op: op.parameters)
    return tuple(found)


def _find_operation(method: str, path: str) -> _Operation | None:
    """The documented operation serving ``method path`` (path relative to /api/v2), if any."""
    norm = path.split("?", 1)[0].rstrip("/") or "/"
    method = method.upper()
    for op in _operations():
        if op.method == method and op.pattern.match(norm):
            return op
    return None


def required_scope(method: str, path: str) -> str | None:
    """Best guess at the API token scope an endpoint needs, e.g. ``users:write``.

    Read from the bundled OpenAPI document; for undocumented paths, guessed from the first
    path segment (Retool names most scopes ``<collection>:read`` / ``<collection>:write``).
    """
    op = _find_operation(method, path)
    if op is not None:
        return op.scope
    first = path.split("?", 1)[0].strip("/").split("/", 1)[0]
    if not first:
        return None
    return f"{first}:{'read' if method.upper() in ('GET', 'HEAD') else 'write'}"
