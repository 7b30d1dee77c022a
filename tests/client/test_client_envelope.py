"""Requests go to {scheme}://{host}/api/v2 and responses come back unwrapped."""

from __future__ import annotations

import json

import httpx
import pytest
from client_support import TOKEN, Recorder, envelope, json_response

from retool_pulumi.errors import RetoolAPIError, UnexpectedResponseError


def test_get_returns_the_unwrapped_data(make_client) -> None:
    client = make_client(Recorder(json_response(200, envelope({"id": "user_1", "email": "a@b.c"}))))
    assert client.get("/users/user_1") == {"id": "user_1", "email": "a@b.c"}


def test_unknown_fields_and_enum_values_pass_through(make_client) -> None:
    folder = {"id": "file_6", "folder_type": "file", "brand_new_field": [1, 2]}
    client = make_client(Recorder(json_response(200, envelope([folder], total_count=1))))
    assert client.get("/folders") == [folder]


def test_host_with_port_builds_the_api_v2_url_and_sends_bearer_token(make_client) -> None:
    recorder = Recorder(json_response(200, envelope([])))
    client = make_client(recorder, host="127.0.0.1:8484", scheme="http")
    client.get("/users", params={"email": "a@b.c", "first_name": None})
    request = recorder.requests[0]
    assert str(request.url) == "http://127.0.0.1:8484/api/v2/users?email=a%40b.c"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/json"


def test_path_without_leading_slash_is_accepted(make_client) -> None:
    recorder = Recorder(json_response(200, envelope(None)))
    make_client(recorder).get("spaces")
    assert recorder.requests[0].url.path == "/api/v2/spaces"


@pytest.mark.parametrize("verb", ["post", "put", "patch"])
def test_write_verbs_send_json_and_unwrap(make_client, verb: str) -> None:
    recorder = Recorder(json_response(200, envelope({"id": 7, "name": "g"})))
    client = make_client(recorder)
    assert getattr(client, verb)("/groups/7", {"name": "g"}) == {"id": 7, "name": "g"}
    request = recorder.requests[0]
    assert request.method == verb.upper()
    assert json.loads(request.content) == {"name": "g"}


def test_no_content_returns_none(make_client) -> None:
    client = make_client(Recorder(httpx.Response(204)))
    assert client.delete("/groups/7") is None


def test_empty_200_body_returns_none(make_client) -> None:
    client = make_client(Recorder(httpx.Response(200, content=b"")))
    assert client.delete("/groups/7") is None


def test_envelope_without_data_returns_none(make_client) -> None:
    client = make_client(Recorder(json_response(200, {"success": True})))
    assert client.post("/users/user_1/logout") is None


def test_bare_object_body_is_returned_as_is(make_client) -> None:
    bare = {"id": "rc_1", "environment_id": "env", "options": {}}
    client = make_client(Recorder(json_response(200, bare)))
    assert client.get("/resource_configurations/rc_1") == bare


def test_bare_array_body_is_returned_as_is(make_client) -> None:
    client = make_client(Recorder(json_response(200, [{"id": 1}, {"id": 2}])))
    assert client.get("/things") == [{"id": 1}, {"id": 2}]


def test_non_json_success_body_is_an_error(make_client) -> None:
    # Retool answers JSON; anything else came from something in front of it (test_client_hostile).
    client = make_client(Recorder(httpx.Response(200, content=b"ok")))
    with pytest.raises(UnexpectedResponseError, match="not JSON"):
        client.get("/health")


def test_success_status_with_failed_envelope_raises(make_client) -> None:
    client = make_client(Recorder(json_response(200, {"success": False, "message": "nope"})))
    with pytest.raises(RetoolAPIError, match="nope") as caught:
        client.get("/users")
    assert caught.value.status == 200
