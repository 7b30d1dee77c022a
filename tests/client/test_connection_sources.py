"""Where each connection setting comes from, for the cases the other connection tests leave out:
empty values are not given, flags take the usual words, a host pasted as a URL, named connections
with arguments on top, and errors that name the source of the value they refuse."""

from __future__ import annotations

import json

import pytest

from retool_pulumi import connection
from retool_pulumi.connection import resolve_settings
from retool_pulumi.errors import ConfigurationError

REMOTE = "retool.example.com"


@pytest.fixture
def config() -> dict[str, object]:
    """The stack config the provider was configured with (fully qualified keys)."""
    values: dict[str, object] = {}
    connection.set_stack_config(values)
    return values


def _configure(config: dict[str, object], **values: object) -> None:
    config.update({f"retool:{k}": v for k, v in values.items()})
    connection.set_stack_config(config)


@pytest.mark.parametrize("word", ["true", "1", "yes", "on", "TRUE", " On "])
def test_allow_insecure_takes_the_usual_words_for_true(monkeypatch: pytest.MonkeyPatch, word: str) -> None:
    monkeypatch.setenv("RETOOL_ALLOW_INSECURE", word)
    settings = resolve_settings(host=f"http://{REMOTE}", access_token="t")
    assert (settings.scheme, settings.allow_insecure) == ("http", True)


@pytest.mark.parametrize("word", ["false", "0", "no", "off", ""])
def test_allow_insecure_takes_the_usual_words_for_false(word: str) -> None:
    with pytest.raises(ConfigurationError, match="Refusing plain http"):
        resolve_settings(host=f"http://{REMOTE}", access_token="t", allow_insecure=word)


def test_https_is_accepted_from_every_source(
    monkeypatch: pytest.MonkeyPatch, config: dict[str, object]
) -> None:
    assert resolve_settings(host=REMOTE, scheme="https", access_token="t").scheme == "https"
    assert resolve_settings(host=REMOTE, scheme="HTTPS", access_token="t").scheme == "https"
    monkeypatch.setenv("RETOOL_HOST", REMOTE)
    monkeypatch.setenv("RETOOL_SCHEME", "https")
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", "t")
    assert resolve_settings().scheme == "https"


def test_an_empty_config_value_is_not_given(
    monkeypatch: pytest.MonkeyPatch, config: dict[str, object]
) -> None:
    monkeypatch.setenv("RETOOL_HOST", REMOTE)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", "t")
    _configure(config, host="", connections="")
    assert resolve_settings().host == REMOTE
    with pytest.raises(ConfigurationError, match="Unknown Retool connection 'eu'; known connections: none"):
        resolve_settings("eu")


def test_connections_that_are_not_json_say_so(config: dict[str, object]) -> None:
    _configure(config, connections="{eu: nope")
    with pytest.raises(ConfigurationError, match="retool:connections is not valid JSON"):
        resolve_settings("eu")


@pytest.mark.parametrize(
    ("host", "scheme", "expected"),
    [
        (f"https://{REMOTE}/api/v2/", None, ("https", REMOTE)),
        (f"HTTP://{REMOTE}", "https", ("https", REMOTE)),  # https from the source wins
        (f"https://{REMOTE}/x://y", None, ("https", REMOTE)),
        ("http://127.0.0.1:3000/", None, ("http", "127.0.0.1:3000")),
    ],
)
def test_a_host_pasted_as_a_url(host: str, scheme: str | None, expected: tuple[str, str]) -> None:
    settings = resolve_settings(host=host, scheme=scheme, access_token="t")
    assert (settings.scheme, settings.host) == expected


def test_a_host_url_of_another_scheme_is_refused_naming_it() -> None:
    with pytest.raises(ConfigurationError, match="Invalid scheme 'ftp' in the host from argument host"):
        resolve_settings(host=f"ftp://{REMOTE}", access_token="t")


def test_plain_http_refused_names_where_the_http_came_from(
    monkeypatch: pytest.MonkeyPatch, config: dict[str, object]
) -> None:
    with pytest.raises(ConfigurationError, match=r"\(http from argument scheme\)"):
        resolve_settings(host=REMOTE, scheme="http", access_token="t")
    # A scheme set beside another source's host is not the host's: the URL's http is.
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    _configure(config, host=f"http://{REMOTE}", accessToken="t")
    with pytest.raises(ConfigurationError, match=r"\(http from retool:host\)"):
        resolve_settings()


def test_a_host_with_a_unix_socket_stays_the_host(tmp_path: object) -> None:
    settings = resolve_settings(host=REMOTE, access_token="t", unix_socket_path="/run/retool.sock")
    assert (settings.host, settings.unix_socket_path) == (REMOTE, "/run/retool.sock")
    assert resolve_settings(access_token="t", unix_socket_path="/run/retool.sock").host == "localhost"


def _named(monkeypatch: pytest.MonkeyPatch, **entry: object) -> None:
    monkeypatch.setenv("RETOOL_CONNECTIONS", json.dumps({"eu": entry}))


def test_arguments_on_a_named_connection_win_and_keep_its_token(monkeypatch: pytest.MonkeyPatch) -> None:
    _named(monkeypatch, host="127.0.0.1:9", accessToken="eu-token", scheme="http", timeout=5)
    settings = resolve_settings("eu", host=REMOTE)
    # The entry's http was meant for the entry's host, not for the one given here.
    assert (settings.host, settings.scheme, settings.access_token, settings.timeout) == (
        REMOTE,
        "https",
        "eu-token",
        5.0,
    )
    assert resolve_settings("eu", host="127.0.0.1:8", scheme="http").scheme == "http"


def test_a_scheme_without_a_host_on_a_named_connection_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _named(monkeypatch, host=REMOTE, accessToken="eu-token")
    with pytest.raises(ConfigurationError, match="scheme was given without host"):
        resolve_settings("eu", scheme="https")
    with pytest.raises(ConfigurationError, match="scheme was given without host"):
        resolve_settings(scheme="https", access_token="t")


def test_an_empty_value_of_a_named_connection_is_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    _named(monkeypatch, host=REMOTE, accessToken="eu-token", scheme="", timeout="")
    settings = resolve_settings("eu")
    assert (settings.scheme, settings.timeout) == ("https", 60.0)


def test_a_named_connection_without_a_token_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _named(monkeypatch, host=REMOTE)
    with pytest.raises(ConfigurationError, match="No access token for connection 'eu'"):
        resolve_settings("eu")
    with pytest.raises(ConfigurationError, match="No access token for the Retool connection"):
        resolve_settings(host=REMOTE)


@pytest.mark.parametrize("port", ["1", "3000", "65535"])
def test_a_host_port_in_range_is_accepted(port: str) -> None:
    assert resolve_settings(host=f"{REMOTE}:{port}", access_token="t").host == f"{REMOTE}:{port}"


@pytest.mark.parametrize("port", ["0", "65536", "x1", "-1", ""])
def test_a_host_port_out_of_range_is_refused(port: str) -> None:
    with pytest.raises(ConfigurationError, match="Invalid host"):
        resolve_settings(host=f"{REMOTE}:{port}", access_token="t")


def test_a_bracketed_ipv6_host_with_a_port() -> None:
    settings = resolve_settings(host="http://[::1]:8080", access_token="t")
    assert (settings.host, settings.scheme) == ("[::1]:8080", "http")


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("timeout", "", "a default"),
        ("timeout", "0", "a positive number"),
        ("timeout", [1], "a positive number"),
        ("max_retries", "1.5", "a whole number >= 0"),
        ("requests_per_minute", "-1", "a number >= 0"),
    ],
)
def test_numbers_are_checked_and_the_error_says_what_is_expected(
    config: dict[str, object], setting: str, value: object, expected: str
) -> None:
    key = {"timeout": "timeout", "max_retries": "maxRetries", "requests_per_minute": "requestsPerMinute"}[
        setting
    ]
    _configure(config, host=REMOTE, accessToken="t", **{key: value})
    if expected == "a default":
        assert resolve_settings().timeout == 60.0
        assert resolve_settings(host=REMOTE, access_token="t", timeout="").timeout == 60.0
        return
    with pytest.raises(ConfigurationError, match=f"from retool:{key}: expected {expected}"):
        resolve_settings()


def test_allow_insecure_as_a_bool_and_the_warning_for_a_remote_http_host(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert resolve_settings(host=f"http://{REMOTE}", access_token="t", allow_insecure=True).allow_insecure
    monkeypatch.setenv("RETOOL_HOST", f"http://{REMOTE}")
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", "t")
    monkeypatch.setenv("RETOOL_ALLOW_INSECURE", "true")
    connection.get_client()
    assert f"Sending the Retool access token to {REMOTE} over plain http" in caplog.text
    caplog.clear()
    connection.reset_clients()
    monkeypatch.setenv("RETOOL_HOST", "http://127.0.0.1:3000")
    connection.get_client()
    assert "over plain http" not in caplog.text
    connection.reset_clients()
    monkeypatch.setenv("RETOOL_HOST", f"https://{REMOTE}")
    connection.get_client()
    assert "over plain http" not in caplog.text
    connection.reset_clients()
    monkeypatch.setenv("RETOOL_HOST", f"http://{REMOTE}")
    monkeypatch.setenv("RETOOL_UNIX_SOCKET_PATH", "/run/retool.sock")  # never leaves the machine
    connection.get_client()
    assert "over plain http" not in caplog.text
    connection.reset_clients()
