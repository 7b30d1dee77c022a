"""The client's smaller promises: its settings are checked and used (timeout, headers, the rate
limit's burst and pace), a closed or copied client cannot be used, and an answer that is not
Retool's is described precisely (status, content type, a short excerpt, Retool's own message)."""

from __future__ import annotations

import copy
import logging
import pickle
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import dill
import httpx
import pytest
from client_support import FakeClock, Recorder, envelope, error_body, json_response

from retool_pulumi.client import REDACTED, USER_AGENT, RetoolClient
from retool_pulumi.connection import ConnectionSettings
from retool_pulumi.errors import (
    RedirectError,
    RetoolConnectionError,
    RetoolError,
    ServerError,
    UnexpectedResponseError,
)

OK = json_response(200, envelope({"id": 1}))


# ---- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"host": ""}, "host"),
        ({"access_token": ""}, "access_token"),
        ({"scheme": "ftp"}, "scheme"),
        ({"requests_per_minute": -1}, "requests_per_minute"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retry_seconds": -1}, "max_retry_seconds"),
        ({"timeout": 0}, "timeout"),
    ],
)
def test_bad_settings_are_refused_naming_them(kwargs: dict[str, Any], word: str) -> None:
    settings: dict[str, Any] = {"host": "h", "access_token": "t", **kwargs}
    with pytest.raises(ValueError, match=word):
        RetoolClient(settings.pop("host"), settings.pop("access_token"), **settings)


def test_zero_and_small_settings_are_accepted() -> None:
    client = RetoolClient("h", "t", requests_per_minute=0, max_retries=0, max_retry_seconds=0, timeout=0.5)
    client.close()


def test_the_timeout_and_the_headers_go_with_every_request(make_client) -> None:
    recorder = Recorder(OK)
    make_client(recorder, timeout=7.5).get("/users")
    request = recorder.requests[0]
    assert request.extensions["timeout"] == {"connect": 7.5, "read": 7.5, "write": 7.5, "pool": 7.5}
    assert request.headers["User-Agent"] == USER_AGENT
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Authorization"].startswith("Bearer ")


def test_a_client_from_settings_uses_every_setting(tmp_path: Any) -> None:
    settings = ConnectionSettings(
        host="retool.example.com",
        access_token="t0ken",
        scheme="http",
        requests_per_minute=42.0,
        timeout=9.0,
        max_retries=2,
        unix_socket_path=str(tmp_path / "retool.sock"),
    )
    with RetoolClient.from_settings(settings) as client:
        assert (client.host, client.scheme, client.requests_per_minute) == (
            "retool.example.com",
            "http",
            42.0,
        )
        assert (client.timeout, client.max_retries) == (9.0, 2)
        assert client.unix_socket_path == str(tmp_path / "retool.sock")
        assert str(tmp_path / "retool.sock") in repr(client)


def _paced(rpm: float, n: int, clock: FakeClock) -> list[float]:
    """The waits before each of n requests of a client limited to `rpm` (a frozen clock)."""
    client = RetoolClient(
        f"pace-{rpm}-{id(clock)}.test",
        "t",
        requests_per_minute=rpm,
        transport=httpx.MockTransport(lambda _r: OK),
        sleep=clock.sleep,
        clock=clock.monotonic,
    )
    before = len(clock.sleeps)
    for _ in range(n):
        client.get("/users")
    client.close()
    return clock.sleeps[before:]


def test_the_default_burst_is_two_seconds_of_requests_at_most_ten() -> None:
    assert _paced(6000, 10, FakeClock()) == []  # ten at once, then paced
    assert len(_paced(6000, 11, FakeClock())) == 1
    assert _paced(300, 10, FakeClock()) == []
    assert len(_paced(300, 11, FakeClock())) == 1
    assert _paced(60, 2, FakeClock()) == []
    assert len(_paced(60, 3, FakeClock())) == 1
    assert len(_paced(20, 2, FakeClock())) == 1  # at least one


def test_a_limit_of_one_request_a_minute_waits_the_minute_and_a_second() -> None:
    waits = _paced(1, 2, FakeClock())
    assert waits == pytest.approx([61.0])


def test_clients_of_one_host_with_different_limits_do_not_share_a_bucket() -> None:
    clock = FakeClock()
    fast = RetoolClient(
        "shared.test",
        "t",
        requests_per_minute=6000,
        sleep=clock.sleep,
        clock=clock.monotonic,
        transport=httpx.MockTransport(lambda _r: OK),
    )
    slow = RetoolClient(
        "shared.test",
        "t",
        requests_per_minute=60,
        sleep=clock.sleep,
        clock=clock.monotonic,
        transport=httpx.MockTransport(lambda _r: OK),
    )
    for _ in range(3):
        slow.get("/users")
    assert len(clock.sleeps) == 1
    for _ in range(10):
        fast.get("/users")
    assert len(clock.sleeps) == 1
    fast.close()
    slow.close()


# ---- lifetime ----------------------------------------------------------------------------------


def test_a_client_closed_by_its_with_block_sends_nothing_more() -> None:
    with RetoolClient(
        "h.test", "t", requests_per_minute=0, transport=httpx.MockTransport(lambda _r: OK)
    ) as c:
        assert c.get("/users") == {"id": 1}
    with pytest.raises(RuntimeError):
        c.get("/users")


@pytest.mark.parametrize(
    "copier",
    [
        pickle.dumps,
        dill.dumps,
        copy.copy,
        copy.deepcopy,
        lambda c: c.__getstate__(),
        lambda c: c.__reduce__(),
    ],
    ids=["pickle", "dill", "copy", "deepcopy", "getstate", "reduce"],
)
def test_a_client_cannot_be_copied_or_pickled(make_client, copier: Callable[[Any], Any]) -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        copier(make_client(Recorder(OK)))


# ---- answers that are not Retool's -------------------------------------------------------------


def test_a_300_is_a_redirect_not_a_success(make_client) -> None:
    recorder = Recorder(httpx.Response(300, headers={"Location": "/elsewhere"}))
    with pytest.raises(RedirectError):
        make_client(recorder).get("/users")


def test_a_204_is_an_empty_answer_whatever_it_carries(make_client) -> None:
    recorder = Recorder(httpx.Response(204, content=b'{"success": true, "data": 5}'))
    assert make_client(recorder).delete("/groups/1") is None


def test_a_list_answer_without_data_is_an_error_of_a_200(make_client) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client(Recorder(json_response(200, {"success": True}))).list_all("/users")
    assert caught.value.status == 200


@pytest.mark.parametrize(
    ("headers", "shown"), [({}, "no Content-Type"), ({"Content-Type": "text/html"}, "text/html")]
)
def test_a_success_that_is_not_json_names_its_content_type(
    make_client, headers: dict[str, str], shown: str
) -> None:
    recorder = Recorder(httpx.Response(200, content=b"<html><title>Sign in</title></html>", headers=headers))
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client(recorder).get("/users")
    assert f"({shown})" in str(caught.value) and "'Sign in'" in str(caught.value)


@pytest.mark.parametrize(
    ("headers", "shown"), [({}, "no Content-Type"), ({"Content-Type": "text/plain"}, "text/plain")]
)
def test_a_404_that_is_not_retools_names_its_content_type(
    make_client, headers: dict[str, str], shown: str
) -> None:
    recorder = Recorder(httpx.Response(404, content=b"nothing here", headers=headers))
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client(recorder).get("/users/1")
    message = str(caught.value)
    assert f"JSON body; {shown}): nothing here" in message


def test_an_empty_404_has_no_excerpt(make_client) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client(Recorder(httpx.Response(404))).get("/users/1")
    assert "JSON body; no Content-Type)." in str(caught.value)


def test_an_excerpt_is_one_line_of_120_characters_at_most(make_client) -> None:
    body = ("word " * 100).encode()
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client(Recorder(httpx.Response(404, content=body))).get("/users/1")
    excerpt = str(caught.value).split("no Content-Type): ")[1]
    assert excerpt.startswith("word word") and len(excerpt.split(".")[0]) == 120


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"success": False, "message": "from message"}, "from message"),
        ({"success": False, "error": "from error"}, "from error"),
        ({"success": False, "detail": "from detail"}, "from detail"),
        ({"success": False, "message": "", "error": "not empty"}, "not empty"),
        ({"success": False, "message": 5, "detail": "a string"}, "a string"),
    ],
)
def test_retools_message_is_taken_from_its_error_body(
    make_client, body: dict[str, Any], message: str
) -> None:
    with pytest.raises(ServerError) as caught:
        make_client(Recorder(json_response(500, body)), max_retries=0).get("/users")
    assert caught.value.message == message


def test_an_error_body_without_a_message_is_shown_as_json_cut_at_500(make_client) -> None:
    body = {"success": False, "info": "x" * 1000}
    with pytest.raises(ServerError) as caught:
        make_client(Recorder(json_response(500, body)), max_retries=0).get("/users")
    assert (
        caught.value.message.startswith('{"success": false, "info": "xxx')
        and len(caught.value.message) == 500
    )


def test_a_text_error_is_cut_at_500_and_an_empty_one_gives_the_reason(make_client) -> None:
    with pytest.raises(ServerError) as caught:
        make_client(Recorder(httpx.Response(500, content=b"y" * 1000)), max_retries=0).get("/users")
    assert caught.value.message == "y" * 500
    with pytest.raises(ServerError) as caught:
        make_client(Recorder(httpx.Response(500)), max_retries=0).get("/users")
    assert caught.value.message == "Internal Server Error"


# ---- retries and their budget ------------------------------------------------------------------


def test_a_retry_after_on_a_502_is_not_taken(make_client, clock: FakeClock) -> None:
    """Only a 429 or a 503 says when to come back; other errors back off."""
    recorder = Recorder(json_response(502, error_body("bad gateway"), {"Retry-After": "7"}), OK)
    make_client(recorder).get("/users")
    assert len(clock.sleeps) == 1 and clock.sleeps[0] < 1.0


def test_a_retry_that_fits_the_budget_exactly_is_made(make_client, clock: FakeClock) -> None:
    recorder = Recorder(json_response(503, error_body("busy"), {"Retry-After": "2"}), OK)
    assert make_client(recorder, max_retry_seconds=2).get("/users") == {"id": 1}
    assert clock.sleeps == [2.0]


def test_a_connection_error_names_the_request_and_the_socket(make_client) -> None:
    recorder = Recorder(httpx.ConnectError("refused"))
    client = make_client(recorder, max_retries=0, unix_socket_path="/run/retool.sock")
    with pytest.raises(RetoolConnectionError) as caught:
        client.get("/users")
    assert (caught.value.method, caught.value.path) == ("GET", "/users")
    assert "/run/retool.sock" in str(caught.value) and "retool:unixSocketPath" in str(caught.value)


def test_failures_without_an_answer_are_logged_with_their_timing(
    make_client, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="retool_pulumi.client")

    def slow_refusal(request: httpx.Request) -> httpx.Response:
        clock.sleep(0.25)
        raise httpx.ConnectError("refused")

    def slow_timeout(request: httpx.Request) -> httpx.Response:
        clock.sleep(2.0)
        raise httpx.ReadTimeout("slow")

    with pytest.raises(RetoolError):
        make_client(Recorder(slow_refusal), max_retries=0).get("/users")
    with pytest.raises(RetoolError):
        make_client(Recorder(slow_timeout), max_retries=0).get("/groups")
    lines = [r.getMessage() for r in caplog.records]
    assert "GET /users -> ConnectError in 250 ms (attempt 1/1)" in lines
    assert "GET /groups -> ReadTimeout in 2000 ms (attempt 1/1)" in lines


def test_a_token_echoed_percent_encoded_is_cut_out(make_client) -> None:
    token = "tok/en+with spaces"

    def echo(request: httpx.Request) -> httpx.Response:
        return json_response(400, error_body(f"bad token <{quote(token, safe='')}>"))

    client = RetoolClient(
        "h.test", token, requests_per_minute=0, max_retries=0, transport=httpx.MockTransport(echo)
    )
    with pytest.raises(RetoolError) as caught:
        client.get("/users")
    assert f"bad token <{REDACTED}>" in str(caught.value)


@pytest.mark.parametrize("rate", [0.0, -1.0])
def test_a_bucket_needs_a_positive_rate(rate: float) -> None:
    from retool_pulumi.client import TokenBucket

    with pytest.raises(ValueError, match="rate must be positive"):
        TokenBucket(rate, 1)


def test_clients_with_their_own_clocks_do_not_share_a_bucket() -> None:
    """A bucket counts time on its clock: clients measuring time differently keep their own."""
    first, second = FakeClock(), FakeClock()
    for clock in (first, second):
        assert _paced_on("clocks.test", 60, 2, clock) == []
    assert len(_paced_on("clocks.test", 60, 1, first)) == 1  # the first clock's burst is spent


def _paced_on(host: str, rpm: float, n: int, clock: FakeClock) -> list[float]:
    client = RetoolClient(
        host,
        "t",
        requests_per_minute=rpm,
        transport=httpx.MockTransport(lambda _r: OK),
        sleep=clock.sleep,
        clock=clock.monotonic,
    )
    before = len(clock.sleeps)
    for _ in range(n):
        client.get("/users")
    client.close()
    return clock.sleeps[before:]


OVERFLOWING = "Wed, 21 Oct 99999999999 07:28:00 GMT"


@pytest.mark.parametrize(
    ("retry_after", "date", "expected"),
    [
        (OVERFLOWING, None, None),  # no usable wait: back off instead
        ("Tue, 14 Nov 2023 22:13:30 GMT", "garbage", 10.0),  # measured against our clock
        ("Tue, 14 Nov 2023 22:13:30 GMT", OVERFLOWING, 10.0),
    ],
)
def test_unreadable_dates_in_retry_headers_fall_back(
    retry_after: str, date: str | None, expected: float | None
) -> None:
    from retool_pulumi.client import parse_retry_after

    now = 1_700_000_000.0  # Tue, 14 Nov 2023 22:13:20 GMT
    assert parse_retry_after(retry_after, now, date) == expected
