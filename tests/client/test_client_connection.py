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
        RETOOL_HOST="127.0.0.1:8484",
        RETOOL_ACCESS_TOKEN="env-token",
        RETOOL_SCHEME="http",
        RETOOL_REQUESTS_PER_MINUTE="45",
        RETOOL_TIMEOUT="12.5",
        RETOOL_MAX_RETRIES="2",
    )
    assert resolve_settings() == ConnectionSettings(
        host="127.0.0.1:8484",
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
    # The host comes from config and so does its scheme (https by default): the environment's
    # RETOOL_SCHEME belongs to the environment's host. The token still falls back on its own.
    assert (settings.host, settings.access_token, settings.scheme) == (
        "cfg.retool.test",
        "env-token",
        "https",
    )
    assert settings.requests_per_minute == 120


def test_explicit_arguments_beat_stack_config_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, RETOOL_HOST="env.retool.test", RETOOL_ACCESS_TOKEN="env-token")
    set_stack_config(
        {"retool:host": "cfg.retool.test", "retool:accessToken": "cfg-token", "retool:scheme": "http"}
    )
    settings = resolve_settings(
        host="arg.retool.test", access_token="arg-token", scheme=None, requests_per_minute=0
    )
    # The host comes from the arguments, so the config's `http` (meant for its own host) is not used.
    assert (settings.host, settings.access_token, settings.scheme) == (
        "arg.retool.test",
        "arg-token",
        "https",
    )
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


# ---- host and scheme are resolved together; plain http only where it cannot be sniffed ----------


def test_a_stray_environment_scheme_does_not_downgrade_a_config_https_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_env(monkeypatch, RETOOL_SCHEME="http", RETOOL_ACCESS_TOKEN="t")
    set_stack_config({"retool:host": "https://acme.retool.com"})
    settings = resolve_settings()
    assert (settings.scheme, settings.host) == ("https", "acme.retool.com")
    assert get_client().base_url == "https://acme.retool.com/api/v2"


def test_a_stray_environment_scheme_does_not_apply_to_a_config_host(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, RETOOL_SCHEME="http", RETOOL_ACCESS_TOKEN="t")
    set_stack_config({"retool:host": "acme.retool.com"})
    assert resolve_settings().scheme == "https"


def test_the_host_source_decides_the_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, RETOOL_SCHEME="https", RETOOL_ACCESS_TOKEN="t")
    set_stack_config({"retool:host": "127.0.0.1:8484", "retool:scheme": "http"})
    assert resolve_settings().scheme == "http"


def test_https_in_the_host_wins_over_the_same_sources_http_scheme() -> None:
    set_stack_config(
        {"retool:host": "https://acme.retool.com", "retool:scheme": "http", "retool:accessToken": "t"}
    )
    assert resolve_settings().scheme == "https"


def test_an_environment_host_keeps_its_environment_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, RETOOL_HOST="127.0.0.1:8484", RETOOL_SCHEME="http", RETOOL_ACCESS_TOKEN="t")
    assert resolve_settings().scheme == "http"


def test_an_explicit_scheme_without_an_explicit_host_is_refused() -> None:
    set_stack_config({"retool:host": "acme.retool.com", "retool:accessToken": "t"})
    with pytest.raises(ConfigurationError, match=r"scheme.*host"):
        resolve_settings(scheme="http")


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.0.0.1:8484",
        "127.9.8.7:80",
        "localhost",
        "localhost:3000",
        "LOCALHOST",
        "[::1]:8484",
        "::1",
    ],
)
def test_plain_http_to_loopback_is_allowed_silently(host: str, caplog: pytest.LogCaptureFixture) -> None:
    set_stack_config({"retool:host": host, "retool:scheme": "http", "retool:accessToken": "t"})
    assert resolve_settings().scheme == "http"
    get_client()
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


@pytest.mark.parametrize(
    "host",
    [
        "acme.retool.com",
        "10.0.0.5:3000",
        "192.168.1.10",
        "localhost.evil.test",
        "127.0.0.1.nip.io",
        "[2001:db8::1]",
    ],
)
@pytest.mark.parametrize("where", ["config", "env", "url"])
def test_plain_http_elsewhere_is_refused(monkeypatch: pytest.MonkeyPatch, host: str, where: str) -> None:
    if where == "config":
        set_stack_config({"retool:host": host, "retool:scheme": "http", "retool:accessToken": "t"})
    elif where == "env":
        set_env(monkeypatch, RETOOL_HOST=host, RETOOL_SCHEME="http", RETOOL_ACCESS_TOKEN="t")
    else:
        set_stack_config({"retool:host": f"http://{host}", "retool:accessToken": "t"})
    with pytest.raises(ConfigurationError) as caught:
        resolve_settings()
    text = str(caught.value)
    assert "http" in text and "https" in text and "unencrypted" in text
    assert "retool:allowInsecure" in text and "RETOOL_ALLOW_INSECURE" in text


@pytest.mark.parametrize("value", ["true", "TRUE", "1", "yes", True])
def test_allow_insecure_permits_plain_http_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, value: object
) -> None:
    set_stack_config(
        {
            "retool:host": "retool.internal.test",
            "retool:scheme": "http",
            "retool:accessToken": "t",
            "retool:allowInsecure": value,
        }
    )
    settings = resolve_settings()
    assert (settings.scheme, settings.allow_insecure) == ("http", True)
    assert get_client().base_url == "http://retool.internal.test/api/v2"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("retool.internal.test" in w and "unencrypted" in w for w in warnings)


def test_allow_insecure_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch,
        RETOOL_HOST="retool.internal.test",
        RETOOL_SCHEME="http",
        RETOOL_ACCESS_TOKEN="t",
        RETOOL_ALLOW_INSECURE="true",
    )
    assert resolve_settings().scheme == "http"


@pytest.mark.parametrize("value", ["false", "0", "no"])
def test_allow_insecure_false_still_refuses(value: str) -> None:
    set_stack_config(
        {
            "retool:host": "h.test",
            "retool:scheme": "http",
            "retool:accessToken": "t",
            "retool:allowInsecure": value,
        }
    )
    with pytest.raises(ConfigurationError):
        resolve_settings()


def test_invalid_allow_insecure_names_the_setting() -> None:
    set_stack_config({"retool:host": "h.test", "retool:accessToken": "t", "retool:allowInsecure": "sure"})
    with pytest.raises(ConfigurationError, match=r"'sure' from retool:allowInsecure"):
        resolve_settings()


def test_plain_http_over_a_unix_socket_is_allowed() -> None:
    set_stack_config(
        {
            "retool:unixSocketPath": "/tmp/retool.sock",
            "retool:host": "retool.internal.test",
            "retool:scheme": "http",
            "retool:accessToken": "t",
        }
    )
    assert resolve_settings().scheme == "http"


def test_named_connection_plain_http_needs_its_own_allow_insecure() -> None:
    set_stack_config(
        {
            "retool:allowInsecure": "true",  # the default connection's, not the named one's
            "retool:connections": {"lan": {"host": "retool.lan.test", "accessToken": "t", "scheme": "http"}},
        }
    )
    with pytest.raises(ConfigurationError, match=r"retool:connections\.lan\.allowInsecure"):
        resolve_settings("lan")
    set_stack_config(
        {
            "retool:connections": {
                "lan": {
                    "host": "retool.lan.test",
                    "accessToken": "t",
                    "scheme": "http",
                    "allowInsecure": True,
                }
            }
        }
    )
    assert resolve_settings("lan").scheme == "http"


@pytest.mark.parametrize(
    "host", ["user:pw@acme.retool.com", "acme.retool.com?x=1", "acme.retool.com#x", "a b.test"]
)
def test_a_host_with_credentials_query_or_spaces_is_refused(host: str) -> None:
    set_stack_config({"retool:host": host, "retool:accessToken": "t"})
    with pytest.raises(ConfigurationError, match="retool:host"):
        resolve_settings()
