"""Connection settings resolution and the process-wide client registry."""

from __future__ import annotations

import json
import threading

import pytest

from retool_pulumi import connection
from retool_pulumi.connection import (
    ConnectionSettings,
    get_client,
    reset_clients,
    resolve_settings,
    set_stack_config,
)
from retool_pulumi.errors import ConfigurationError


def set_env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_environment_variables_are_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        RETOOL_HOST="env.retool.test",
        RETOOL_ACCESS_TOKEN="env-token",
        RETOOL_SCHEME="http",
        RETOOL_REQUESTS_PER_MINUTE="45",
        RETOOL_TIMEOUT="12.5",
        RETOOL_MAX_RETRIES="2",
    )
    assert resolve_settings() == ConnectionSettings(
        host="env.retool.test",
        access_token="env-token",
        scheme="http",
        requests_per_minute=45,
        timeout=12.5,
        max_retries=2,
    )


def test_stack_config_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, RETOOL_HOST="env.retool.test", RETOOL_ACCESS_TOKEN="env-token", RETOOL_SCHEME="http")
    set_stack_config({"retool:host": "cfg.retool.test", "retool:requestsPerMinute": "120"})
    settings = resolve_settings()
    # Each setting falls back on its own: host from config, token and scheme from the environment.
    assert (settings.host, settings.access_token, settings.scheme) == ("cfg.retool.test", "env-token", "http")
    assert settings.requests_per_minute == 120


def test_explicit_arguments_beat_stack_config_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, RETOOL_HOST="env.retool.test", RETOOL_ACCESS_TOKEN="env-token")
    set_stack_config(
        {"retool:host": "cfg.retool.test", "retool:accessToken": "cfg-token", "retool:scheme": "http"}
    )
    settings = resolve_settings(
        host="arg.retool.test", access_token="arg-token", scheme=None, requests_per_minute=0
    )
    assert (settings.host, settings.access_token, settings.scheme) == ("arg.retool.test", "arg-token", "http")
    assert settings.requests_per_minute == 0


def test_unknown_explicit_setting_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="hots"):
        resolve_settings(hots="x")


def test_running_pulumi_program_config_is_read_when_nothing_was_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Inside `pulumi up` the engine hands the program its config through PULUMI_CONFIG.
    monkeypatch.setenv(
        "PULUMI_CONFIG", json.dumps({"retool:host": "prog.retool.test", "retool:accessToken": "t"})
    )
    monkeypatch.setenv("RETOOL_HOST", "env.retool.test")
    assert resolve_settings().host == "prog.retool.test"


def test_secret_wrapped_config_values_are_unwrapped() -> None:
    wrapped = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "s3cret"}
    set_stack_config({"retool:host": "cfg.retool.test", "retool:accessToken": wrapped})
    assert resolve_settings().access_token == "s3cret"


def test_host_pasted_as_url_is_normalised() -> None:
    settings = resolve_settings(host="http://127.0.0.1:8484/api/v2/", access_token="t")
    assert (settings.scheme, settings.host) == ("http", "127.0.0.1:8484")


def test_missing_host_names_config_key_and_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", "t")
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings()
    text = str(caught.value)
    assert "retool:host" in text and "pulumi config set retool:host" in text and "RETOOL_HOST" in text
    assert "accessToken" not in text


def test_missing_token_names_secret_config_key_and_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETOOL_HOST", "h")
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings()
    text = str(caught.value)
    assert "pulumi config set --secret retool:accessToken" in text and "RETOOL_ACCESS_TOKEN" in text


def test_missing_host_and_token_are_reported_together() -> None:
    with pytest.raises(ConfigurationError, match=r"host and access token.*RETOOL_HOST.*RETOOL_ACCESS_TOKEN"):
        resolve_settings()


@pytest.mark.parametrize(
    ("key", "value", "names"),
    [
        ("retool:scheme", "ftp", ("retool:scheme", "RETOOL_SCHEME")),
        ("retool:requestsPerMinute", "lots", ("retool:requestsPerMinute", "RETOOL_REQUESTS_PER_MINUTE")),
        ("retool:requestsPerMinute", "-1", ("retool:requestsPerMinute",)),
        ("retool:timeout", "0", ("retool:timeout", "RETOOL_TIMEOUT")),
        ("retool:maxRetries", "2.5", ("retool:maxRetries", "RETOOL_MAX_RETRIES")),
    ],
)
def test_invalid_values_name_the_setting(key: str, value: str, names: tuple[str, ...]) -> None:
    set_stack_config({"retool:host": "h", "retool:accessToken": "t", key: value})
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings()
    for name in names:
        assert name in str(caught.value)
    assert repr(value) in str(caught.value)


CONNECTIONS = {
    "prod": {"host": "prod.retool.test", "accessToken": "prod-token"},
    "dev": {"host": "127.0.0.1:8484", "accessToken": "dev-token", "scheme": "http", "requestsPerMinute": "0"},
}


@pytest.mark.parametrize("form", [CONNECTIONS, json.dumps(CONNECTIONS)], ids=["dict", "json"])
def test_named_connections_come_from_stack_config(form: object) -> None:
    set_stack_config(
        {"retool:host": "default.test", "retool:accessToken": "default-token", "retool:connections": form}
    )
    dev = resolve_settings("dev")
    assert (dev.host, dev.access_token, dev.scheme, dev.requests_per_minute) == (
        "127.0.0.1:8484",
        "dev-token",
        "http",
        0,
    )
    assert resolve_settings("prod").scheme == "https"
    assert resolve_settings().host == "default.test"


def test_named_connections_come_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETOOL_CONNECTIONS", json.dumps(CONNECTIONS))
    assert resolve_settings("prod").access_token == "prod-token"


def test_stack_config_connection_beats_environment_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETOOL_CONNECTIONS", json.dumps({"prod": {"host": "env.test", "accessToken": "e"}}))
    set_stack_config({"retool:connections": {"prod": {"host": "cfg.test", "accessToken": "c"}}})
    assert resolve_settings("prod").host == "cfg.test"


def test_explicit_arguments_beat_a_named_connection() -> None:
    set_stack_config({"retool:connections": CONNECTIONS})
    assert resolve_settings("prod", requests_per_minute=10).requests_per_minute == 10


def test_unknown_connection_lists_the_known_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETOOL_CONNECTIONS", json.dumps({"staging": {"host": "s", "accessToken": "t"}}))
    set_stack_config({"retool:connections": CONNECTIONS})
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings("qa")
    text = str(caught.value)
    assert "'qa'" in text and "dev, prod, staging" in text and "retool:connections" in text


def test_unknown_connection_with_none_defined_says_so() -> None:
    with pytest.raises(ConfigurationError, match="known connections: none"):
        resolve_settings("qa")


def test_named_connection_never_borrows_the_default_token() -> None:
    set_stack_config({"retool:accessToken": "default-token", "retool:connections": {"x": {"host": "x.test"}}})
    with pytest.raises(ConfigurationError, match=r"retool:connections\.x\.accessToken"):
        resolve_settings("x")


@pytest.mark.parametrize("raw", ["{not json", json.dumps(["a"]), json.dumps({"a": "b"})])
def test_malformed_connections_are_configuration_errors(raw: str) -> None:
    set_stack_config({"retool:connections": raw})
    with pytest.raises(ConfigurationError, match="retool:connections"):
        resolve_settings("a")


def test_get_client_reuses_one_client_per_settings_across_threads() -> None:
    set_stack_config({"retool:host": "h.test", "retool:accessToken": "t", "retool:connections": CONNECTIONS})
    found = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        found.append(get_client())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in found}) == 1
    assert get_client("dev") is not found[0]
    assert get_client("dev").base_url == "http://127.0.0.1:8484/api/v2"


def test_reset_clients_closes_and_forgets_them() -> None:
    set_stack_config({"retool:host": "h.test", "retool:accessToken": "t"})
    client = get_client()
    reset_clients()
    assert client._http.is_closed
    assert get_client() is not client


def test_changed_config_gives_a_new_client() -> None:
    set_stack_config({"retool:host": "h.test", "retool:accessToken": "t"})
    first = get_client()
    set_stack_config({"retool:host": "h.test", "retool:accessToken": "rotated"})
    assert get_client() is not first
    assert len(connection._clients) == 2
