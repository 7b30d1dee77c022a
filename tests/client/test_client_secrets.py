"""The access token never leaks: not in errors, logs, reprs, or anything pickled."""

from __future__ import annotations

import json
import logging
import pickle
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import dill
import httpx
import pytest
from client_support import TOKEN, Recorder, envelope, error_body, json_response

from retool_pulumi.connection import ConnectionSettings, resolve_settings
from retool_pulumi.errors import RetoolError

SECRET_BODY = "super-secret-resource-password"
SECRET_ITEM = 'quo"ted\\secret-ünï'  # echoed JSON-escaped as well as raw


def echo(status: int, headers: dict[str, str] | None = None) -> Callable[[httpx.Request], httpx.Response]:
    """A server that echoes the request (body and token) back in its error message."""

    def answer(request: httpx.Request) -> httpx.Response:
        said = f"Invalid request {request.content.decode()} with {request.headers['Authorization']}"
        return json_response(status, error_body(said), headers)

    return answer


def echo_raw(status: int, content_type: str) -> Callable[[httpx.Request], httpx.Response]:
    """A server that echoes the request body as its whole (non-envelope) answer."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=request.content, headers={"Content-Type": content_type})

    return answer


def echo_page(request: httpx.Request) -> httpx.Response:
    """A 200 page (not JSON) with the request body in it."""
    page = b"<html><body>You sent " + request.content + b"</body></html>"
    return httpx.Response(200, content=page, headers={"Content-Type": "text/html"})


def echo_failed_envelope(request: httpx.Request) -> httpx.Response:
    return json_response(200, {"success": False, "message": f"rejected {request.content.decode()}"})


def echo_redirect(request: httpx.Request) -> httpx.Response:
    where = quote(request.content.decode(), safe="")
    return httpx.Response(302, headers={"Location": f"https://login.test/?next={where}"})


def failing_responses() -> list[Any]:
    return [
        echo(400),
        echo(401),
        echo(403),
        echo(404),
        echo(409),
        echo(422),
        echo(429, {"Retry-After": "1"}),
        echo(500),
        echo_raw(400, "application/json"),  # no message key: the body itself becomes the message
        echo_raw(400, "text/plain"),
        echo_raw(404, "text/plain"),
        echo_page,
        echo_failed_envelope,
        echo_redirect,
        httpx.ConnectError(f"failed for {TOKEN}"),
        httpx.ReadTimeout("timed out"),
    ]


def _name(item: Any) -> str:
    return getattr(item, "__qualname__", type(item).__name__).split(".")[0]


@pytest.mark.parametrize("response", failing_responses(), ids=lambda r: f"{_name(r)}")
def test_errors_never_contain_the_token_or_the_body_sent(
    make_client, caplog: pytest.LogCaptureFixture, response: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(Recorder(response), max_retries=0)
    body = {
        "display_name": "orders",
        "options": {"password": SECRET_BODY, "port": 5432, "list": [SECRET_ITEM]},
    }
    with pytest.raises(RetoolError) as caught:
        client.post("/resources", body)
    error = caught.value
    texts = [str(error), repr(error), repr(error.__dict__), pickle.dumps(error).decode("latin-1")]
    texts += [caplog.text]
    for text in texts:
        assert TOKEN not in text
        for secret in (SECRET_BODY, SECRET_ITEM, json.dumps(SECRET_ITEM)[1:-1], quote(SECRET_ITEM, safe="")):
            assert secret not in text
    assert error.__cause__ is None or TOKEN not in str(error.__cause__)


def test_the_echo_servers_do_echo(make_client) -> None:
    """The test above can fail: without scrubbing, these servers put the body in the error."""
    client = make_client(Recorder(echo(400)), max_retries=0)
    with pytest.raises(RetoolError) as caught:
        client.post("/resources", {"password": "short"})
    assert "[REDACTED]" in str(caught.value) and "Invalid request" in str(caught.value)


def test_debug_log_has_method_path_status_timing_and_no_secrets(
    make_client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    recorder = Recorder(
        json_response(503, error_body("busy")),
        json_response(200, envelope({"id": 1})),
        json_response(401, error_body(f"bad token {TOKEN}")),
    )
    client = make_client(recorder)
    client.put("/resources/1", {"password": SECRET_BODY})
    with pytest.raises(RetoolError):
        client.get("/users", params={"email": "a@b.c"})
    records = [r for r in caplog.records if r.name == "retool_pulumi.client"]
    lines = [r.getMessage() for r in records]
    assert any("PUT /resources/1 -> 503" in line and "attempt 1/" in line and " ms" in line for line in lines)
    assert any("PUT /resources/1 -> 200" in line and "attempt 2/" in line for line in lines)
    assert any("GET /users -> 401" in line for line in lines)
    assert all(r.levelno == logging.DEBUG for r in records)
    assert TOKEN not in caplog.text
    assert SECRET_BODY not in caplog.text


def test_client_repr_hides_the_token(make_client) -> None:
    client = make_client(Recorder(httpx.Response(204)))
    assert TOKEN not in repr(client)
    assert TOKEN not in str(client)
    assert "retool.test" in repr(client)


@pytest.mark.parametrize("dumps", [pickle.dumps, dill.dumps], ids=["pickle", "dill"])
def test_pickling_a_client_raises(make_client, dumps) -> None:
    client = make_client(Recorder(httpx.Response(204)))
    with pytest.raises(TypeError, match="per-process"):
        dumps(client)


def test_settings_repr_hides_the_token() -> None:
    settings = resolve_settings(host="retool.test", access_token=TOKEN)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    assert settings.access_token == TOKEN
    assert "retool.test" in repr(ConnectionSettings("retool.test", TOKEN))
