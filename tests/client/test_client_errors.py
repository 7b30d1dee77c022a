"""The error hierarchy: status mapping, actionable messages, pickling."""

from __future__ import annotations

import pickle

import httpx
import pytest
from client_support import Recorder, error_body, json_response

from retool_pulumi.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    RetoolAPIError,
    RetoolConnectionError,
    RetoolError,
    RetoolTimeoutError,
    ServerError,
    UnexpectedResponseError,
    UnprocessableEntityError,
    UnsafePathError,
    error_for_response,
    required_scope,
)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (599, ServerError),
        (405, RetoolAPIError),
        (418, RetoolAPIError),
    ],
)
def test_status_maps_to_its_error_class(status: int, cls: type[RetoolAPIError]) -> None:
    error = error_for_response(status, "get", "/users/user_1", "Retool says no")
    assert type(error) is cls
    assert isinstance(error, RetoolError)
    assert (error.status, error.method, error.path, error.message) == (
        status,
        "GET",
        "/users/user_1",
        "Retool says no",
    )
    assert "Retool says no" in str(error)
    assert "GET /users/user_1" in str(error)
    assert str(status) in str(error)


def test_bad_request_says_inputs_were_rejected() -> None:
    error = error_for_response(400, "POST", "/folders", 'Environment with id "x" does not exist')
    assert 'Environment with id "x" does not exist' in str(error)
    assert "inputs" in str(error)


def test_authentication_error_says_which_setting_to_check() -> None:
    text = str(error_for_response(401, "GET", "/users", "Invalid token"))
    assert "retool:accessToken" in text
    assert "RETOOL_ACCESS_TOKEN" in text
    assert "Invalid token" in text


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("POST", "/users", "users:write"),
        ("GET", "/groups/12", "groups:read"),
        ("GET", "/source_control/deployments", "source_control:deploy"),
        ("PATCH", "/resource_configurations/abc", "resources:write"),
        ("PUT", "/users/reset2fa/user_1", "users:write"),
        ("GET", "/organization/", "organizations:read"),
    ],
)
def test_permission_denied_names_the_scope_from_the_spec(method: str, path: str, scope: str) -> None:
    error = error_for_response(403, method, path, "Forbidden")
    assert isinstance(error, PermissionDeniedError)
    assert error.scope == scope
    assert f"`{scope}`" in str(error)
    assert "lacks" in str(error)


def test_required_scope_guesses_undocumented_paths_from_the_collection() -> None:
    assert required_scope("DELETE", "/widgets/1") == "widgets:write"
    assert required_scope("GET", "/widgets") == "widgets:read"
    assert required_scope("GET", "/") is None


def test_not_found_conflict_and_unprocessable_say_what_to_do() -> None:
    assert "pulumi refresh" in str(error_for_response(404, "GET", "/folders/app_9", "Folder not found"))
    assert "pulumi import" in str(error_for_response(409, "POST", "/groups", "Group exists"))
    assert "inputs" in str(error_for_response(422, "POST", "/spaces", "Bad domain"))


def test_rate_limit_error_carries_retry_after() -> None:
    error = error_for_response(429, "GET", "/users", "Too many requests", retry_after=12.5)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 12.5
    assert "12.5s" in str(error)
    assert "retool:requestsPerMinute" in str(error)
    assert error_for_response(429, "GET", "/users", "slow").retry_after is None  # type: ignore[attr-defined]


def test_server_error_says_it_is_transient() -> None:
    assert "transient" in str(error_for_response(503, "GET", "/users", "Service Unavailable"))


ALL_ERRORS: list[RetoolError] = [
    *(error_for_response(s, "POST", "/users", "message") for s in (400, 401, 403, 404, 409, 418, 422, 500)),
    error_for_response(429, "POST", "/users", "message", retry_after=3.0),
    ConfigurationError("set retool:host (pulumi config set retool:host ...) or RETOOL_HOST"),
    RetoolConnectionError("refused", method="GET", path="/users"),
    RetoolTimeoutError("timed out", method="GET", path="/users"),
    RedirectError(301, "GET", "/users", "redirected to https://x.test/", location="https://x.test/"),
    UnexpectedResponseError(404, "GET", "/users", "HTTP 404 that is not Retool's"),
    UnsafePathError("refusing to send GET '/users/..'"),
]


@pytest.mark.parametrize("error", ALL_ERRORS, ids=lambda e: type(e).__name__)
def test_every_error_survives_pickling(error: RetoolError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.__dict__ == error.__dict__


def test_client_maps_retool_error_body_to_error_class(make_client) -> None:
    recorder = Recorder(json_response(404, error_body("User user_9 not found")))
    client = make_client(recorder)
    with pytest.raises(NotFoundError) as caught:
        client.get("/users/user_9")
    assert caught.value.message == "User user_9 not found"
    assert caught.value.path == "/users/user_9"
    assert caught.value.method == "GET"


def test_client_falls_back_to_reason_phrase_for_html_error_pages(make_client) -> None:
    page = httpx.Response(
        500, content=b"<html><body>Oops</body></html>", headers={"Content-Type": "text/html"}
    )
    client = make_client(Recorder(page))
    with pytest.raises(ServerError) as caught:
        client.get("/users")
    assert caught.value.message == "Internal Server Error"


def test_client_keeps_short_plain_text_error_bodies(make_client) -> None:
    client = make_client(Recorder(httpx.Response(400, content=b"limit must be <= 100")))
    with pytest.raises(BadRequestError, match="limit must be <= 100"):
        client.get("/users")
