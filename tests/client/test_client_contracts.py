"""Client contracts the other client tests leave loose: every echoed form of a value sent is cut
out whole (not partly), which requests are repeated by default and how often, which connection
failures mean "never sent", and which paths are refused."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import httpx
import pytest
from client_support import Recorder, envelope, error_body, json_response

from retool_pulumi.client import DEFAULT_MAX_RETRIES, REDACTED, RetoolClient, api_path
from retool_pulumi.errors import BadRequestError, ServerError, UnsafePathError

OK = json_response(200, envelope({"id": 1}))


def _echoing(form: str) -> Recorder:
    """A server that says the value back, in `form`, in its 400 error."""
    return Recorder(json_response(400, error_body(f"bad value <{form}> here")))


@pytest.mark.parametrize(
    "secret",
    ["abcd", 'sé"cr\\et', "pa/ss word+x", "Ünïcode-secret"],
    ids=["four-characters", "json-escaped", "url-encoded", "non-ascii"],
)
@pytest.mark.parametrize("encode", ["raw", "json", "json-ascii", "quote", "quote-plus"])
def test_each_form_of_a_value_sent_is_cut_out_whole(make_client, secret: str, encode: str) -> None:
    form = {
        "raw": secret,
        "json": json.dumps(secret, ensure_ascii=False)[1:-1],
        "json-ascii": json.dumps(secret)[1:-1],
        "quote": quote(secret, safe=""),
        "quote-plus": quote_plus(secret),
    }[encode]
    client = make_client(_echoing(form), max_retries=0)
    with pytest.raises(BadRequestError) as caught:
        client.post("/resources", {"options": {"password": secret}})
    assert f"bad value <{REDACTED}> here" in str(caught.value)


def test_a_value_inside_a_longer_one_sent_does_not_leave_the_rest(make_client) -> None:
    client = make_client(_echoing("hunter2-and-more"), max_retries=0)
    with pytest.raises(BadRequestError) as caught:
        client.post("/resources", {"a": "hunter2", "b": "hunter2-and-more"})
    assert f"bad value <{REDACTED}> here" in str(caught.value)


def test_values_in_tuples_are_cut_out_too(make_client) -> None:
    client = make_client(_echoing("tuple-s3cr3t"), max_retries=0)
    with pytest.raises(BadRequestError) as caught:
        client.post("/resources", {"headers": ("X-Key", "tuple-s3cr3t")})
    assert "tuple-s3cr3t" not in str(caught.value)


def test_three_characters_are_not_cut_out(make_client) -> None:
    """Shorter values would blank out common words of every message."""
    client = make_client(_echoing("abc"), max_retries=0)
    with pytest.raises(BadRequestError) as caught:
        client.post("/resources", {"v": "abc"})
    assert "bad value <abc> here" in str(caught.value)


def _unavailable() -> httpx.Response:
    return json_response(503, error_body("unavailable"))


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"])
def test_requests_other_than_post_are_repeated_by_default(make_client, method: str) -> None:
    recorder = Recorder(_unavailable(), OK)
    make_client(recorder).request(method, "/groups")
    assert recorder.count == 2


def test_by_default_a_request_is_sent_six_times_at_most(make_client) -> None:
    recorder = Recorder(_unavailable())
    client = make_client(recorder)
    assert client.max_retries == DEFAULT_MAX_RETRIES == 5
    with pytest.raises(ServerError):
        client.get("/groups")
    assert recorder.count == 6


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("no answer"), httpx.PoolTimeout("pool full")],
    ids=["connect-error", "connect-timeout", "pool-timeout"],
)
def test_a_post_that_never_left_is_sent_again(make_client, failure: Exception) -> None:
    recorder = Recorder(failure, OK)
    assert make_client(recorder).post("/groups", {"name": "Admins"}) == {"id": 1}
    assert recorder.count == 2


@pytest.mark.parametrize("path", ["/../users", "/./users", "/%2E%2E/users", "//users", "/users//x"])
def test_a_path_that_walks_elsewhere_is_refused_before_sending(make_client, path: str) -> None:
    recorder = Recorder(OK)
    with pytest.raises(UnsafePathError):
        make_client(recorder).get(path)
    assert recorder.count == 0


def test_a_step_hidden_under_three_encodings_is_refused_and_under_four_is_text() -> None:
    """Servers decode a path at most three times: deeper encodings are plain text to them."""
    encoded = ".."
    for depth in range(1, 4):
        encoded = encoded.replace(".", "%2E") if depth == 1 else encoded.replace("%", "%25")
        with pytest.raises(UnsafePathError):
            api_path("/users/{}", encoded)
    four = encoded.replace("%", "%25")
    assert api_path("/users/{}", four) == "/users/" + quote(four, safe="")


def test_a_template_and_its_segments_must_agree() -> None:
    with pytest.raises(ValueError, match="has 1 placeholders, not 2"):
        api_path("/users/{}", "a", "b")
    with pytest.raises(ValueError, match="has 2 placeholders, not 1"):
        api_path("/users/{}/user_attributes/{}", "a")


def test_a_client_needs_a_host_and_a_token() -> None:
    with pytest.raises(ValueError, match="host"):
        RetoolClient("", "t")
    with pytest.raises(ValueError, match="access_token"):
        RetoolClient("h", "")
