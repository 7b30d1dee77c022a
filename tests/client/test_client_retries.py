"""Retries: which failures, how long to wait, when to stop, and never a blind POST."""

from __future__ import annotations

import email.utils
import random

import httpx
import pytest
from client_support import FakeClock, Recorder, envelope, error_body, json_response

from retool_pulumi.client import parse_retry_after
from retool_pulumi.errors import (
    BadRequestError,
    RateLimitError,
    RetoolConnectionError,
    RetoolTimeoutError,
    ServerError,
)

OK = json_response(200, envelope({"id": 1}))


def unavailable(headers: dict[str, str] | None = None) -> httpx.Response:
    return json_response(503, error_body("Service Unavailable"), headers)


def too_many(retry_after: str | None = None, **headers: str) -> httpx.Response:
    extra = dict(headers)
    if retry_after is not None:
        extra["Retry-After"] = retry_after
    return json_response(429, error_body("Rate limit exceeded"), extra)


class MaxJitter(random.Random):
    """Always picks the top of the jitter range, so backoff ceilings are observable."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.mark.parametrize("status", [502, 503, 504])
def test_get_is_retried_on_gateway_errors(make_client, clock: FakeClock, status: int) -> None:
    recorder = Recorder(json_response(status, error_body("bad gateway")), OK)
    assert make_client(recorder).get("/users/1") == {"id": 1}
    assert recorder.count == 2
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("verb", ["put", "patch", "delete"])
def test_idempotent_writes_are_retried(make_client, verb: str) -> None:
    recorder = Recorder(unavailable(), OK)
    client = make_client(recorder)
    method = getattr(client, verb)
    assert (method("/groups/1") if verb == "delete" else method("/groups/1", {"name": "x"})) == {"id": 1}
    assert recorder.count == 2


@pytest.mark.parametrize(("status", "cls"), [(500, ServerError), (400, BadRequestError)])
def test_other_errors_are_not_retried(make_client, clock: FakeClock, status: int, cls: type) -> None:
    recorder = Recorder(json_response(status, error_body("broken")), OK)
    with pytest.raises(cls):
        make_client(recorder).get("/users")
    assert recorder.count == 1
    assert clock.sleeps == []


def test_retry_after_in_seconds_is_honoured(make_client, clock: FakeClock) -> None:
    recorder = Recorder(too_many("7"), OK)
    assert make_client(recorder).get("/users/1") == {"id": 1}
    assert clock.sleeps == [7.0]


def test_retry_after_http_date_is_measured_against_the_response_date(make_client, clock: FakeClock) -> None:
    server_now = 1_800_000_000.0  # deliberately far from our wall clock: skew must not matter
    recorder = Recorder(
        too_many(
            email.utils.formatdate(server_now + 5, usegmt=True),
            Date=email.utils.formatdate(server_now, usegmt=True),
        ),
        OK,
    )
    make_client(recorder).get("/users/1")
    assert clock.sleeps == [5.0]


def test_retry_after_http_date_without_date_header_uses_the_wall_clock(make_client, clock: FakeClock) -> None:
    recorder = Recorder(too_many(email.utils.formatdate(clock.wall() + 9, usegmt=True)), OK)
    make_client(recorder).get("/users/1")
    assert clock.sleeps == [9.0]


def test_retry_after_on_503_is_honoured(make_client, clock: FakeClock) -> None:
    recorder = Recorder(unavailable({"Retry-After": "3"}), OK)
    make_client(recorder).get("/users/1")
    assert clock.sleeps == [3.0]


def test_parse_retry_after_rejects_garbage_and_clamps_the_past() -> None:
    assert parse_retry_after(None, 0) is None
    assert parse_retry_after("soon", 0) is None
    assert parse_retry_after("-4", 0) == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 2_000_000_000) == 0.0


def test_backoff_is_exponential_with_jitter_and_capped(make_client, clock: FakeClock) -> None:
    recorder = Recorder(unavailable())
    client = make_client(recorder, max_retries=6, max_retry_seconds=1000, backoff_cap=5.0, rng=MaxJitter())
    with pytest.raises(ServerError):
        client.get("/users")
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


def test_jittered_backoff_stays_within_its_ceiling(make_client, clock: FakeClock) -> None:
    client = make_client(Recorder(unavailable()), max_retries=8, max_retry_seconds=1000, rng=random.Random(4))
    with pytest.raises(ServerError):
        client.get("/users")
    assert len(clock.sleeps) == 8
    for attempt, slept in enumerate(clock.sleeps, start=1):
        assert 0 <= slept <= min(30.0, 0.5 * 2 ** (attempt - 1))


def test_retries_stop_after_max_retries_with_the_mapped_error(make_client, clock: FakeClock) -> None:
    recorder = Recorder(too_many("1"))
    with pytest.raises(RateLimitError) as caught:
        make_client(recorder, max_retries=3).get("/users")
    assert recorder.count == 4
    assert caught.value.retry_after == 1.0


def test_max_retries_zero_disables_retries(make_client) -> None:
    recorder = Recorder(unavailable(), OK)
    with pytest.raises(ServerError):
        make_client(recorder, max_retries=0).get("/users")
    assert recorder.count == 1


def test_retries_stop_when_the_total_time_budget_would_be_exceeded(make_client, clock: FakeClock) -> None:
    recorder = Recorder(too_many("4"))
    with pytest.raises(RateLimitError):
        make_client(recorder, max_retries=100, max_retry_seconds=10).get("/users")
    # t=0 fail, wait 4; t=4 fail, wait 4; t=8 fail, another 4s would pass the 10s budget.
    assert recorder.count == 3
    assert clock.sleeps == [4.0, 4.0]


def test_retry_after_beyond_the_budget_fails_at_once(make_client, clock: FakeClock) -> None:
    recorder = Recorder(too_many("3600"), OK)
    with pytest.raises(RateLimitError) as caught:
        make_client(recorder, max_retry_seconds=60).get("/users")
    assert recorder.count == 1
    assert clock.sleeps == []
    assert caught.value.retry_after == 3600


def test_post_is_not_retried_blindly_on_503(make_client, clock: FakeClock) -> None:
    recorder = Recorder(unavailable(), OK)
    with pytest.raises(ServerError):
        make_client(recorder).post("/groups", {"name": "Admins"})
    assert recorder.count == 1
    assert clock.sleeps == []


def test_post_declared_retry_safe_is_retried_on_503(make_client) -> None:
    recorder = Recorder(unavailable(), OK)
    assert make_client(recorder).post("/groups", {"name": "Admins"}, retry_safe=True) == {"id": 1}
    assert recorder.count == 2


def test_post_is_always_retried_on_429(make_client, clock: FakeClock) -> None:
    recorder = Recorder(too_many("2"), OK)
    assert make_client(recorder).post("/groups", {"name": "Admins"}) == {"id": 1}
    assert recorder.count == 2
    assert clock.sleeps == [2.0]


def test_post_is_retried_when_the_connection_was_never_made(make_client) -> None:
    recorder = Recorder(httpx.ConnectError("connection refused"), OK)
    assert make_client(recorder).post("/groups", {"name": "Admins"}) == {"id": 1}
    assert recorder.count == 2


def test_post_is_not_retried_after_a_read_timeout(make_client) -> None:
    recorder = Recorder(httpx.ReadTimeout("read timed out"), OK)
    with pytest.raises(RetoolTimeoutError):
        make_client(recorder).post("/groups", {"name": "Admins"})
    assert recorder.count == 1


def test_post_is_not_retried_after_the_connection_dropped_mid_request(make_client) -> None:
    recorder = Recorder(httpx.RemoteProtocolError("server disconnected"), OK)
    with pytest.raises(RetoolConnectionError):
        make_client(recorder).post("/groups", {"name": "Admins"})
    assert recorder.count == 1


def test_get_timeouts_are_retried_then_raised_as_timeout_error(make_client) -> None:
    recorder = Recorder(httpx.ReadTimeout("read timed out"))
    with pytest.raises(RetoolTimeoutError) as caught:
        make_client(recorder, max_retries=2).get("/users")
    assert recorder.count == 3
    assert caught.value.method == "GET"
    assert caught.value.path == "/users"


def test_get_connection_errors_are_retried_then_raised_as_connection_error(make_client) -> None:
    recorder = Recorder(httpx.ConnectError("name resolution failed"))
    with pytest.raises(RetoolConnectionError, match="RETOOL_HOST"):
        make_client(recorder, max_retries=2).get("/users")
    assert recorder.count == 3


def test_get_recovers_after_a_dropped_connection(make_client) -> None:
    recorder = Recorder(httpx.ReadError("connection reset"), OK)
    assert make_client(recorder).get("/users/1") == {"id": 1}
