"""The access token never leaks: not in errors, logs, reprs, or anything pickled."""

from __future__ import annotations

import logging
import pickle

import dill
import httpx
import pytest
from client_support import TOKEN, Recorder, envelope, error_body, json_response

from retool_pulumi.connection import ConnectionSettings, resolve_settings
from retool_pulumi.errors import RetoolError

SECRET_BODY = "super-secret-resource-password"


def failing_responses() -> list[httpx.Response | Exception]:
    echo = f"Invalid token {TOKEN}"  # a server echoing the token must not put it in our error
    return [
        json_response(401, error_body(echo)),
        json_response(403, error_body(echo)),
        json_response(404, error_body("not found")),
        json_response(429, error_body("slow down"), {"Retry-After": "1"}),
        json_response(500, error_body(echo)),
        httpx.ConnectError(f"failed for {TOKEN}"),
        httpx.ReadTimeout("timed out"),
    ]


@pytest.mark.parametrize(
    "response", failing_responses(), ids=lambda r: getattr(r, "status_code", type(r).__name__)
)
def test_errors_never_contain_the_token(make_client, response: httpx.Response | Exception) -> None:
    client = make_client(Recorder(response), max_retries=0)
    with pytest.raises(RetoolError) as caught:
        client.post("/resources", {"password": SECRET_BODY})
    error = caught.value
    for text in (str(error), repr(error), repr(error.__dict__), pickle.dumps(error).decode("latin-1")):
        assert TOKEN not in text
        assert SECRET_BODY not in text
    assert error.__cause__ is None or TOKEN not in str(error.__cause__)


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
