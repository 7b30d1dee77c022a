"""A host that refuses connections: tried a few times, then failed at once until it answers again;
and an error that says whether the request can have reached Retool."""

from __future__ import annotations

import httpx
import pytest
from client_support import FakeClock, Recorder, envelope, json_response

from retool_pulumi.client import REFUSED_IN_A_ROW_LIMIT
from retool_pulumi.errors import RetoolConnectionError, RetoolTimeoutError

OK = json_response(200, envelope({"id": 1}))


def test_a_refusing_host_stops_being_retried_after_a_few_refusals(make_client, clock: FakeClock) -> None:
    recorder = Recorder(httpx.ConnectError("[Errno 111] Connection refused"))
    client = make_client(recorder, max_retries=10)
    with pytest.raises(RetoolConnectionError, match="connections in a row failed") as caught:
        client.get("/users")
    assert recorder.count == REFUSED_IN_A_ROW_LIMIT
    assert caught.value.sent is False
    # Every later request of the operation: one try, no backoff.
    sleeps = len(clock.sleeps)
    for path in ("/groups", "/folders"):
        with pytest.raises(RetoolConnectionError):
            client.get(path)
    assert recorder.count == REFUSED_IN_A_ROW_LIMIT + 2
    assert len(clock.sleeps) == sleeps


def test_an_answer_makes_the_host_worth_retrying_again(make_client) -> None:
    refused = httpx.ConnectError("refused")
    recorder = Recorder(*[refused] * REFUSED_IN_A_ROW_LIMIT, OK, refused, OK)
    client = make_client(recorder, max_retries=10)
    with pytest.raises(RetoolConnectionError):
        client.get("/users")
    assert client.get("/users") == {"id": 1}  # one try while refusing: it answered
    assert client.get("/users") == {"id": 1}  # refused once, retried
    assert recorder.count == REFUSED_IN_A_ROW_LIMIT + 3


def test_errors_say_whether_the_request_may_have_reached_retool(make_client) -> None:
    with pytest.raises(RetoolConnectionError) as dropped:
        make_client(Recorder(httpx.RemoteProtocolError("server disconnected"))).post("/groups", {"name": "A"})
    assert dropped.value.sent is True
    with pytest.raises(RetoolTimeoutError) as read:
        make_client(Recorder(httpx.ReadTimeout("slow"))).post("/groups", {"name": "A"})
    assert read.value.sent is True
    with pytest.raises(RetoolTimeoutError) as connect:
        make_client(Recorder(httpx.ConnectTimeout("no route")), max_retries=0).post("/groups", {"name": "A"})
    assert connect.value.sent is False
