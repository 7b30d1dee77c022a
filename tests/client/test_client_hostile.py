"""Answers that do not come from Retool's API are errors, never "success" or "gone".

A redirect (http→https, a login proxy, a moved instance), a 200 carrying an HTML login page,
an envelope saying `success: false`, or a proxy's own 404 page: each must end in an error that
says what answered, because reading any of them as "the object is gone" makes `pulumi refresh`
drop the object from state and `pulumi destroy` report success without deleting anything.
"""

from __future__ import annotations

import httpx
import pytest
from client_support import Recorder, envelope, error_body, json_response

from retool_pulumi.client import api_path, quote_segment
from retool_pulumi.errors import (
    NotFoundError,
    RedirectError,
    RetoolAPIError,
    UnexpectedResponseError,
    UnsafePathError,
)

LOGIN_PAGE = b"<!doctype html><html><head><title>Sign in</title></head><body>SSO</body></html>"


def html(status: int, body: bytes = LOGIN_PAGE, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body, headers={"Content-Type": "text/html", **headers})


# ---- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("verb", ["get", "delete"])
def test_a_redirect_is_an_error_naming_the_location(make_client, status: int, verb: str) -> None:
    target = "https://retool.test/api/v2/folders/app_1"
    recorder = Recorder(httpx.Response(status, headers={"Location": target}))
    client = make_client(recorder, scheme="http", host="retool.test")
    with pytest.raises(RedirectError) as caught:
        getattr(client, verb)("/folders/app_1")
    error = caught.value
    assert isinstance(error, RetoolAPIError) and not isinstance(error, NotFoundError)
    assert error.status == status and error.location == target
    text = str(error)
    assert target in text and "retool:host" in text and "retool:scheme" in text
    assert "https" in text
    assert recorder.count == 1  # never followed, never retried


def test_a_redirect_without_location_is_still_an_error(make_client) -> None:
    client = make_client(Recorder(httpx.Response(302)))
    with pytest.raises(RedirectError, match="no Location"):
        client.get("/folders/app_1")


def test_a_relative_redirect_is_shown_as_an_absolute_address(make_client) -> None:
    client = make_client(Recorder(httpx.Response(302, headers={"Location": "/login?next=/api/v2"})))
    with pytest.raises(RedirectError) as caught:
        client.get("/folders/app_1")
    assert caught.value.location == "https://retool.test/login?next=/api/v2"


def test_pagination_through_a_redirect_is_an_error_not_an_empty_list(make_client) -> None:
    client = make_client(Recorder(httpx.Response(301, headers={"Location": "https://elsewhere.test/"})))
    with pytest.raises(RedirectError):
        client.list_all("/folders")


# ---- 2xx that are not Retool's answers ----------------------------------------------------------


@pytest.mark.parametrize("verb", ["get", "post", "put", "patch", "delete"])
def test_a_login_page_with_200_is_an_error(make_client, verb: str) -> None:
    client = make_client(Recorder(html(200)))
    with pytest.raises(UnexpectedResponseError) as caught:
        getattr(client, verb)("/folders/app_1")
    text = str(caught.value)
    assert caught.value.status == 200
    assert "text/html" in text and "not JSON" in text and "retool:host" in text


def test_an_empty_200_to_a_get_is_an_error_not_nothing(make_client) -> None:
    client = make_client(Recorder(httpx.Response(200, content=b"")))
    with pytest.raises(UnexpectedResponseError, match="empty"):
        client.get("/folders/app_1")


def test_a_204_to_a_get_is_an_error_not_nothing(make_client) -> None:
    client = make_client(Recorder(httpx.Response(204)))
    with pytest.raises(UnexpectedResponseError):
        client.get("/folders/app_1")


def test_pagination_of_a_login_page_is_an_error_not_an_empty_list(make_client) -> None:
    client = make_client(Recorder(html(200)))
    with pytest.raises(UnexpectedResponseError):
        client.list_all("/folders")


def test_failed_envelope_with_200_is_an_error_not_gone(make_client) -> None:
    client = make_client(Recorder(json_response(200, {"success": False})))
    with pytest.raises(RetoolAPIError) as caught:
        client.get("/folders/app_1")
    assert not isinstance(caught.value, NotFoundError)
    assert "success: false" in str(caught.value)


def test_empty_answers_to_writes_are_still_fine(make_client) -> None:
    client = make_client(Recorder(httpx.Response(204), httpx.Response(200, content=b"")))
    assert client.delete("/folders/app_1") is None
    assert client.post("/users/user_1/logout") is None


# ---- 404s: only Retool's own "not found" means gone -------------------------------------------


def test_retool_shaped_404_is_not_found(make_client) -> None:
    client = make_client(Recorder(json_response(404, error_body("Folder not found"))))
    with pytest.raises(NotFoundError, match="Folder not found"):
        client.get("/folders/app_1")


@pytest.mark.parametrize(
    "response",
    [
        html(404, b"<html><body><h1>404 Not Found</h1>nginx</body></html>"),
        httpx.Response(404, content=b"Not Found"),
        httpx.Response(404),
        json_response(404, {"message": "no Route matched with those values"}),  # Kong's 404
        json_response(404, ["not", "retool"]),
    ],
    ids=["html", "text", "empty", "json-without-envelope", "json-array"],
)
@pytest.mark.parametrize("verb", ["get", "delete"])
def test_a_404_that_is_not_retools_is_not_treated_as_gone(
    make_client, response: httpx.Response, verb: str
) -> None:
    client = make_client(Recorder(response))
    with pytest.raises(UnexpectedResponseError) as caught:
        getattr(client, verb)("/folders/app_1")
    assert not isinstance(caught.value, NotFoundError)
    text = str(caught.value)
    assert caught.value.status == 404
    assert "not Retool" in text and "retool:host" in text and "not treated as deleted" in text


# ---- paths built from data -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("app_12", "app_12"),
        (12, "12"),
        ("a/b", "a%2Fb"),
        ("x?y#z", "x%3Fy%23z"),
        ("users%2Fuser_1", "users%252Fuser_1"),
        ("..x", "..x"),
        ("sp ace", "sp%20ace"),
        ("back\\slash", "back%5Cslash"),
        ("ünï", "%C3%BCn%C3%AF"),
        ("a.b-c_d~e", "a.b-c_d~e"),
    ],
)
def test_quote_segment_escapes_everything_but_unreserved(value: object, quoted: str) -> None:
    assert quote_segment(value) == quoted


@pytest.mark.parametrize(
    "value", ["", ".", "..", None, "../users/user_1", "a/../b", "..\\x", "%2e%2e", "%252E%252E", "x%2F.."]
)
def test_quote_segment_refuses_empty_and_dot_segments(value: object) -> None:
    """Also hidden ones: a server or proxy that decodes `%2F` or `%2e` before routing would walk."""
    with pytest.raises(UnsafePathError):
        quote_segment(value)


def test_api_path_fills_each_placeholder_with_one_escaped_segment() -> None:
    assert api_path("/users/{}/user_attributes/{}", "user_1", "a/b") == "/users/user_1/user_attributes/a%2Fb"
    with pytest.raises(ValueError):
        api_path("/users/{}", "a", "b")


@pytest.mark.parametrize(
    "path",
    [
        "/users/../groups",
        "/folders/./app_1",
        "/folders/%2e%2E/users/user_1",
        "/folders/app_1?x=1",
        "/folders/app_1#frag",
        "/folders//app_1",
        "/folders/a\\b",
        "/folders/a b",
        "/folders/a\nb",
    ],
)
def test_the_client_refuses_unsafe_paths_before_sending(make_client, path: str) -> None:
    recorder = Recorder(json_response(200, envelope({})))
    client = make_client(recorder)
    with pytest.raises(UnsafePathError):
        client.get(path)
    assert recorder.count == 0


def test_escaped_segments_reach_the_server_escaped(make_client) -> None:
    recorder = Recorder(json_response(404, error_body("no such user")))
    client = make_client(recorder)
    with pytest.raises(NotFoundError):
        client.delete(api_path("/users/{}/user_attributes/{}", "user_1", "a/b?c#d"))
    assert recorder.requests[0].url.raw_path == b"/api/v2/users/user_1/user_attributes/a%2Fb%3Fc%23d"


def test_a_list_answer_without_data_is_an_error_not_an_empty_list(make_client) -> None:
    client = make_client(Recorder(json_response(200, {"success": True})))
    with pytest.raises(UnexpectedResponseError, match="without data"):
        client.list_all("/role_permissions/roles")
