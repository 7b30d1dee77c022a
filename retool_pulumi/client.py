"""HTTP client for Retool's REST API (``/api/v2``): envelope, errors, retries, rate limit, paging.

One client serves every thread of a process. Clients are per-process objects: they refuse to
be pickled, so nothing Pulumi serialises can carry one (or the token inside it).

Only answers that can be Retool's count: a redirect (RedirectError), a success that is not JSON
or an empty answer to a GET, and a 404 without Retool's `{"success": false}` body
(UnexpectedResponseError) are errors, so a proxy or login page in front of Retool can never make
an object look deleted. Every path built from an id or a name goes through `api_path`, and the
client refuses any path that would walk elsewhere (`..`, `?`, `#`). Error text never holds the
token nor any string the request body carried.
"""

from __future__ import annotations

import email.utils
import json as jsonlib
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import quote, quote_plus, unquote, urljoin

import httpx

from retool_pulumi._version import __version__
from retool_pulumi.errors import (
    RateLimitError,
    RedirectError,
    RetoolAPIError,
    RetoolConnectionError,
    RetoolError,
    RetoolTimeoutError,
    UnexpectedResponseError,
    UnsafePathError,
    _find_operation,
    error_for_response,
)

if TYPE_CHECKING:
    from retool_pulumi.connection import ConnectionSettings

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_RETRY_SECONDS",
    "DEFAULT_REQUESTS_PER_MINUTE",
    "DEFAULT_TIMEOUT",
    "PAGE_SIZE",
    "RetoolClient",
    "TokenBucket",
    "api_path",
    "parse_retry_after",
    "quote_segment",
]

logger = logging.getLogger("retool_pulumi.client")

DEFAULT_REQUESTS_PER_MINUTE = 300  # Retool's own server-side default limit.
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 5
DEFAULT_MAX_RETRY_SECONDS = 120.0
PAGE_SIZE = 100
USER_AGENT = f"retool-pulumi/{__version__}"

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Raised before any byte of the request left this process, so the server cannot have acted
# on it: retrying is safe even for a POST that creates something.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# After this many connections in a row refused (or not resolved) by the host, across requests
# and threads, a refused connection is no longer retried, until the host answers again: a
# host that is down fails the operation in seconds, not after minutes of backoff per request.
REFUSED_IN_A_ROW_LIMIT = 4


# --- paths built from data ------------------------------------------------------------------------

_DOT_SEGMENTS = frozenset({".", ".."})
# Never in a path we send: a query or fragment must go through `params`, and whitespace, control
# characters or backslashes are read as separators or cut the path short by some servers.
_UNSAFE_IN_PATH = re.compile(r"[?#\\\s\x00-\x1f\x7f]")


def _walks(text: str) -> bool:
    """Whether `text`, decoded as a server might (up to three times), holds a `.`/`..` step."""
    for _ in range(4):  # as it is, then after each of three decodings
        if any(part in _DOT_SEGMENTS for part in re.split(r"[/\\]", text)):
            return True
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return False


def quote_segment(value: object) -> str:
    """One path segment from an id or a name: everything but RFC 3986's unreserved characters
    percent-encoded, so a `/`, `?` or `#` in it stays inside the segment. Empty values and values
    that are or hide a `.`/`..` step are refused (UnsafePathError), since servers and proxies
    resolve those into another path."""
    text = "" if value is None else str(value)
    if not text or _walks(text):
        raise UnsafePathError(
            f"refusing to put {text!r} into a request path: an id or name must not be empty, "
            "nor be or contain a '.' or '..' step"
        )
    return quote(text, safe="")


def api_path(template: str, *segments: object) -> str:
    """`template` (a literal path such as ``"/users/{}/user_attributes/{}"``) with each ``{}``
    filled by one escaped segment (see :func:`quote_segment`): the one way paths are built from data."""
    literal = template.split("{}")
    if len(literal) != len(segments) + 1:
        raise ValueError(f"{template!r} has {len(literal) - 1} placeholders, not {len(segments)}")
    out = literal[0]
    for segment, after in zip(segments, literal[1:], strict=True):
        out += quote_segment(segment) + after
    return out


def _check_path(method: str, path: str) -> None:
    """Last line of defence: refuse a path that would reach somewhere else than it says."""
    segments = path.split("/")[1:]
    bad = _UNSAFE_IN_PATH.search(path) is not None
    bad = bad or any(s == "" for s in segments[:-1])  # an empty id left `//`
    bad = bad or any(_walks(s) for s in segments)
    if bad:
        raise UnsafePathError(
            f"refusing to send {method} {path!r}: a path must not hold '.' or '..' segments, empty "
            "segments, '?', '#', '\\' or whitespace (ids and names go through api_path)"
        )


# --- secrets in error text ---------------------------------------------------------------------------

REDACTED = "[REDACTED]"
# Shorter values are not scrubbed: they would blank out common words of every message.
_MIN_SCRUBBED = 4


def _sent_strings(body: Any) -> list[str]:
    """Every string value of a request body, and the forms a server may echo it in (JSON-escaped,
    percent-encoded), longest first."""
    found: set[str] = set()
    stack = [body]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, Mapping):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
    forms: set[str] = set()
    for value in found:
        forms.update(
            (
                value,
                jsonlib.dumps(value)[1:-1],
                jsonlib.dumps(value, ensure_ascii=False)[1:-1],
                quote(value, safe=""),
                quote_plus(value),
            )
        )
    return sorted((f for f in forms if len(f) >= _MIN_SCRUBBED), key=len, reverse=True)


class TokenBucket:
    """Thread-safe token bucket: ``rate`` tokens a second, at most ``burst`` saved up.

    ``reserve()`` takes a token (possibly borrowing from the future) and returns how long the
    caller must wait before using it, so callers sleep outside the lock and are served in
    order of arrival.
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = float(self.burst)
        self._last = clock()

    def reserve(self) -> float:
        """Take one token; return the seconds to wait before it may be used."""
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate


_buckets: dict[tuple[str, float, Callable[[], float]], TokenBucket] = {}
_buckets_lock = threading.Lock()


def _default_burst(requests_per_minute: float) -> int:
    # About two seconds' worth, capped: lets a handful of parallel calls start at once without
    # sending a burst large enough to trip Retool's own limiter.
    return max(1, min(10, int(requests_per_minute // 30)))


def _shared_bucket(
    key: str, requests_per_minute: float, burst: int | None, clock: Callable[[], float]
) -> TokenBucket:
    """The process-wide bucket for one connection, so all threads and clients share it."""
    registry_key = (key, requests_per_minute, clock)
    with _buckets_lock:
        bucket = _buckets.get(registry_key)
        if bucket is None:
            burst = burst if burst is not None else _default_burst(requests_per_minute)
            # A full burst plus a minute of refill must stay within the budget (Retool counts
            # requests in any 60 s), with a second to spare for requests that arrive bunched.
            rate = max(requests_per_minute - burst, 1) / 61.0
            bucket = TokenBucket(rate, burst, clock)
            _buckets[registry_key] = bucket
        return bucket


def parse_retry_after(value: str | None, now: float, date_header: str | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date), or None.

    An HTTP-date is measured against the response's own Date header when there is one, so
    clock skew between us and Retool does not matter; otherwise against ``now`` (epoch seconds).
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        target = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    reference = now
    if date_header:
        try:
            reference = email.utils.parsedate_to_datetime(date_header).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return max(0.0, target - reference)


class RetoolClient:
    """Client for one Retool connection; thread-safe, one per process and connection.

    The ``get``/``post``/``put``/``patch``/``delete`` helpers return the unwrapped ``data`` of
    Retool's ``{"success": true, "data": ...}`` envelope, None for an empty answer to a write,
    and any other JSON body as is. Responses are plain dicts and lists: unknown fields and enum values pass
    through untouched.
    """

    def __init__(
        self,
        host: str,
        access_token: str,
        scheme: str = "https",
        requests_per_minute: float = DEFAULT_REQUESTS_PER_MINUTE,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        *,
        max_retry_seconds: float = DEFAULT_MAX_RETRY_SECONDS,
        unix_socket_path: str | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        rate_limit_burst: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if not host:
            raise ValueError("host is required")
        if not access_token:
            raise ValueError("access_token is required")
        if scheme not in ("http", "https"):
            raise ValueError(f"scheme must be 'http' or 'https', not {scheme!r}")
        if requests_per_minute < 0 or max_retries < 0 or max_retry_seconds < 0:
            raise ValueError("requests_per_minute, max_retries and max_retry_seconds must be >= 0")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.host = host
        self.scheme = scheme
        self.base_url = f"{scheme}://{host}/api/v2"
        self.requests_per_minute = requests_per_minute
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_retry_seconds = max_retry_seconds
        self.unix_socket_path = unix_socket_path
        self._token = access_token
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._refused_in_a_row = 0  # connections refused by the host since its last answer
        self._bucket: TokenBucket | None = None
        if requests_per_minute > 0:
            key = f"unix:{unix_socket_path}" if unix_socket_path else f"{scheme}://{host}"
            self._bucket = _shared_bucket(key, requests_per_minute, rate_limit_burst, clock)
        if transport is None:
            transport = httpx.HTTPTransport(uds=unix_socket_path) if unix_socket_path else None
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout),
            headers={
                "Authorization": f"Bearer {access_token}",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            follow_redirects=False,
        )

    @classmethod
    def from_settings(cls, settings: ConnectionSettings, **kwargs: Any) -> RetoolClient:
        """Build a client from resolved :class:`~retool_pulumi.connection.ConnectionSettings`."""
        return cls(
            settings.host,
            settings.access_token,
            scheme=settings.scheme,
            requests_per_minute=settings.requests_per_minute,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            unix_socket_path=settings.unix_socket_path,
            **kwargs,
        )

    # --- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._http.close()

    def __enter__(self) -> RetoolClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        via = f", unix_socket_path={self.unix_socket_path!r}" if self.unix_socket_path else ""
        return (
            f"RetoolClient(base_url={self.base_url!r}, requests_per_minute={self.requests_per_minute}{via})"
        )

    def _refuse_pickle(self) -> NoReturn:
        raise TypeError(
            "RetoolClient cannot be pickled: clients are per-process; pass a connection name "
            "and call retool_pulumi.connection.get_client() where it is needed"
        )

    def __reduce__(self) -> NoReturn:
        self._refuse_pickle()

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        self._refuse_pickle()

    def __getstate__(self) -> NoReturn:
        self._refuse_pickle()

    # --- verbs -------------------------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``path``; returns the unwrapped data."""
        return self.request("GET", path, params=params)

    def post(self, path: str, json: Any = None, *, retry_safe: bool = False) -> Any:
        """POST ``path``; retried on 5xx/timeouts only if ``retry_safe`` (see :meth:`request`)."""
        return self.request("POST", path, json=json, retry_safe=retry_safe)

    def put(self, path: str, json: Any = None) -> Any:
        """PUT ``path``; returns the unwrapped data."""
        return self.request("PUT", path, json=json)

    def patch(self, path: str, json: Any = None) -> Any:
        """PATCH ``path``; returns the unwrapped data."""
        return self.request("PATCH", path, json=json)

    def delete(self, path: str) -> Any:
        """DELETE ``path``; a retried DELETE may end in NotFoundError if the first one landed."""
        return self.request("DELETE", path)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        retry_safe: bool | None = None,
    ) -> Any:
        """Send a request and return the unwrapped ``data``.

        ``retry_safe`` says whether repeating the request after an ambiguous failure (502/503/
        504, timeout, dropped connection) cannot cause harm; it defaults to True for every
        method but POST. 429s and connection failures before sending are retried regardless.
        """
        return _unwrap(self._send(method, path, params=params, json=json, retry_safe=retry_safe))

    def paginate(
        self, path: str, params: Mapping[str, Any] | None = None, *, method: str = "GET", json: Any = None
    ) -> Iterator[Any]:
        """Yield every item of a list endpoint, following ``next_token`` while ``has_more``.

        Endpoints that answer with a plain array (or an envelope without paging fields) yield
        its items once; an answer without data is an UnexpectedResponseError, not an empty list.
        A listing by POST (``method="POST"``, e.g. ``/permissions/listObjects``) sends ``json``
        with every page and passes the token as a query parameter; it is a read, so it is retried.
        """
        query: dict[str, Any] = dict(params or {})
        if method == "GET" and "limit" not in query and _accepts_limit(path):
            query["limit"] = PAGE_SIZE
        seen_tokens: set[str] = set()
        while True:
            body = self._send(method, path, params=query, json=json, retry_safe=True)
            data = _unwrap(body)
            if data is None:
                # Retool lists `data: []` when there is nothing; no data at all is no listing,
                # and reading it as "empty" would make every listed object look deleted.
                raise UnexpectedResponseError(200, method, path, "a list answer without data")
            if isinstance(data, list):
                yield from data
            else:
                yield data
                return
            if not isinstance(body, dict) or not body.get("has_more"):
                return
            token = body.get("next_token")
            # Guard against a server bug looping us forever on the same page.
            if not token or token in seen_tokens:
                return
            seen_tokens.add(token)
            query["next_token"] = token

    def list_all(self, path: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every item of a list endpoint, as a list (see :meth:`paginate`)."""
        return list(self.paginate(path, params))

    # --- machinery ---------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        json: Any,
        retry_safe: bool | None,
    ) -> Any:
        """Send with rate limiting and retries; return the parsed body (envelope intact).

        ``max_retry_seconds`` counts from the start of the call, rate-limit waits included, so
        a caller never waits much longer than that for one answer.
        """
        method = method.upper()
        if not path.startswith("/"):
            path = "/" + path
        _check_path(method, path)
        if retry_safe is None:
            retry_safe = method in _IDEMPOTENT
        query = {k: v for k, v in (params or {}).items() if v is not None} or None
        started = self._clock()
        attempts = self.max_retries + 1
        attempt = 0
        while True:
            attempt += 1
            self._throttle()
            sent_at = self._clock()
            try:
                response = self._http.request(method, path, params=query, json=json)
            except httpx.TimeoutException as exc:
                failure: RetoolError = RetoolTimeoutError(
                    f"Retool API {method} {path} timed out after {self.timeout:g}s "
                    f"({type(exc).__name__}). Raise retool:timeout (RETOOL_TIMEOUT) or check that "
                    f"{self._where()} is reachable.",
                    method=method,
                    path=path,
                    sent=not isinstance(exc, _NOT_SENT),
                )
                safe = retry_safe or isinstance(exc, _NOT_SENT)
                self._log(method, path, None, sent_at, attempt, type(exc).__name__)
                delay = self._backoff(attempt)
            except httpx.TransportError as exc:
                refused = self._count_refused() if isinstance(exc, httpx.ConnectError) else 0
                gave_up = (
                    f" {refused} connections in a row failed: not trying again until it answers."
                    if refused >= REFUSED_IN_A_ROW_LIMIT
                    else ""
                )
                failure = RetoolConnectionError(
                    f"Could not reach Retool for {method} {path} at {self._where()}: "
                    f"{self._scrub(str(exc), json) or type(exc).__name__}.{gave_up} {self._where_hint()}",
                    method=method,
                    path=path,
                    sent=not isinstance(exc, _NOT_SENT),
                )
                if gave_up:
                    raise failure from None
                safe = retry_safe or isinstance(exc, _NOT_SENT)
                self._log(method, path, None, sent_at, attempt, type(exc).__name__)
                delay = self._backoff(attempt)
            else:
                with self._rng_lock:
                    self._refused_in_a_row = 0
                self._log(method, path, response.status_code, sent_at, attempt, None)
                if response.status_code < 300:
                    return self._success_body(method, path, response, json)
                if response.status_code < 400:
                    raise self._redirect(method, path, response, json)
                error = self._error(method, path, response, json)
                if response.status_code not in _RETRY_STATUSES:
                    raise error
                failure = error
                # A 429 means Retool refused the request before acting on it, so even a
                # create can be repeated without risking a duplicate.
                safe = retry_safe or response.status_code == 429
                hinted = error.retry_after if isinstance(error, RateLimitError) else None
                if hinted is None and response.status_code == 503:
                    hinted = parse_retry_after(
                        response.headers.get("Retry-After"),
                        self._wall_clock(),
                        response.headers.get("Date"),
                    )
                delay = hinted if hinted is not None else self._backoff(attempt)
            if not safe or attempt >= attempts:
                raise failure
            elapsed = self._clock() - started
            if elapsed + delay > self.max_retry_seconds:
                logger.debug(
                    "giving up on %s %s: retrying in %.2fs would exceed max_retry_seconds=%g",
                    method,
                    path,
                    delay,
                    self.max_retry_seconds,
                )
                raise failure
            logger.debug("retrying %s %s in %.2fs (attempt %d/%d)", method, path, delay, attempt, attempts)
            self._sleep(delay)

    def _count_refused(self) -> int:
        """Count one more connection the host refused; returns how many in a row."""
        with self._rng_lock:
            self._refused_in_a_row += 1
            return self._refused_in_a_row

    def _where(self) -> str:
        return f"{self.base_url} (via {self.unix_socket_path})" if self.unix_socket_path else self.base_url

    def _where_hint(self) -> str:
        if self.unix_socket_path:
            return "Check retool:unixSocketPath (RETOOL_UNIX_SOCKET_PATH) and that Retool listens there."
        return "Check retool:host (RETOOL_HOST), retool:scheme (RETOOL_SCHEME) and the network."

    def _throttle(self) -> None:
        if self._bucket is not None:
            wait = self._bucket.reserve()
            if wait > 0:
                self._sleep(wait)

    def _backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff for the wait after ``attempt`` failed."""
        ceiling = min(self._backoff_cap, self._backoff_base * (2 ** (attempt - 1)))
        with self._rng_lock:
            return self._rng.uniform(0, ceiling)

    def _success_body(self, method: str, path: str, response: httpx.Response, sent: Any) -> Any:
        """The parsed body of a 2xx, or an error when it cannot be Retool's answer.

        Retool answers every GET with JSON, so an empty or non-JSON success (a login page, a
        proxy's placeholder) is an UnexpectedResponseError, never "nothing there"; writes may
        answer 204 or an empty body. An envelope saying `success: false` is an error whatever
        the status."""
        status = response.status_code
        if status == 204 or not response.content:
            if method == "GET":
                raise UnexpectedResponseError(
                    status, method, path, f"HTTP {status} with an empty body, where Retool answers JSON"
                )
            return None
        try:
            body = response.json()
        except ValueError:
            kind = response.headers.get("Content-Type") or "no Content-Type"
            message = self._scrub(f"the body is not JSON ({kind}): {_excerpt(response)}", sent)
            raise UnexpectedResponseError(status, method, path, message) from None
        if isinstance(body, dict) and body.get("success") is False:
            # A 2xx whose envelope says it failed: surface it, never return nothing.
            message = self._scrub(str(body.get("message") or "success: false"), sent)
            raise error_for_response(status, method, path, message)
        return body

    def _redirect(self, method: str, path: str, response: httpx.Response, sent: Any) -> RedirectError:
        raw = response.headers.get("Location")
        location = self._scrub(urljoin(str(response.request.url), raw), sent) if raw else None
        message = f"redirected to {location}" if location else "a redirect with no Location header"
        return RedirectError(response.status_code, method, path, message, location=location)

    def _error(self, method: str, path: str, response: httpx.Response, sent: Any) -> RetoolAPIError:
        status = response.status_code
        if status == 404 and not _is_retool_error(response):
            # Only Retool's own "not found" means gone: a proxy's 404 page read as "gone" would
            # make refresh drop the object from state and destroy report success.
            kind = response.headers.get("Content-Type") or "no Content-Type"
            message = f'HTTP 404 that is not Retool\'s (no {{"success": false}} JSON body; {kind})'
            excerpt = _excerpt(response)
            return UnexpectedResponseError(
                status, method, path, self._scrub(f"{message}: {excerpt}" if excerpt else message, sent)
            )
        retry_after = None
        if status == 429:
            retry_after = parse_retry_after(
                response.headers.get("Retry-After"), self._wall_clock(), response.headers.get("Date")
            )
        message = _error_message(response, lambda text: self._scrub(text, sent))
        return error_for_response(status, method, path, message, retry_after=retry_after)

    def _scrub(self, text: str, sent: Any = None) -> str:
        """`text` without the token nor any string value of the request body `sent`: a server
        may echo what it was sent into its error, and those values may be secrets."""
        for value in [self._token, quote(self._token, safe=""), *_sent_strings(sent)]:
            if value:
                text = text.replace(value, REDACTED)
        return text

    def _log(
        self, method: str, path: str, status: int | None, sent_at: float, attempt: int, failure: str | None
    ) -> None:
        # Method, path, status and timing only: never headers (token) nor bodies (secrets).
        if logger.isEnabledFor(logging.DEBUG):
            ms = (self._clock() - sent_at) * 1000
            logger.debug(
                "%s %s -> %s in %.0f ms (attempt %d/%d)",
                method,
                path,
                status if status is not None else failure,
                ms,
                attempt,
                self.max_retries + 1,
            )


def _unwrap(body: Any) -> Any:
    """The ``data`` of a success envelope; a body that is no envelope comes back as is."""
    if isinstance(body, dict) and body.get("success") is True:
        return body.get("data")
    return body


def _is_retool_error(response: httpx.Response) -> bool:
    """Whether an error answer carries Retool's error envelope ``{"success": false, ...}``."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("success") is False


def _excerpt(response: httpx.Response, limit: int = 120) -> str:
    """A short, one-line view of a body that is not Retool's: an HTML page's title, else its start."""
    text = response.text
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        text = f"an HTML page titled {' '.join(title.group(1).split())!r}"
    return " ".join(text.split())[:limit]


def _error_message(response: httpx.Response, scrub: Callable[[str], str]) -> str:
    """Retool's message from an error body, falling back to a short text or the reason; scrubbed
    before it is cut short, so no part of a secret survives the cut."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return scrub(value)
        return scrub(jsonlib.dumps(body))[:500]
    text = response.text.strip()
    if text and not text.lstrip().startswith("<"):
        return scrub(text)[:500]
    return response.reason_phrase or ""


def _accepts_limit(path: str) -> bool:
    """False only for endpoints the bundled spec documents without a ``limit`` parameter.

    Sending ``limit`` to those could trip strict query validation; paths the spec does not
    know get it, since Retool ignores query parameters it does not use.
    """
    op = _find_operation("GET", path)
    return op is None or "limit" in op.query
