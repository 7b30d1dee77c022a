"""Connection settings and the process-wide client registry.

Sources, first match wins: explicit arguments, then the Pulumi stack config (namespace
``retool``), then environment variables. Most settings are resolved one by one, but host and
scheme are one fact: the scheme comes from the source that gave the host (https unless that
source says http), and ``https://`` written in the host always wins, so a stray ``RETOOL_SCHEME``
can never downgrade a host from stack config. Plain http is allowed only to a loopback host or
over a Unix socket, unless ``allowInsecure`` says otherwise: elsewhere it would send the token
in clear. Named connections (``retool:connections`` / ``RETOOL_CONNECTIONS``) let one program
manage several Retool instances or spaces; a resource refers to one by name, so credentials
never become resource inputs and never reach Pulumi's state.

Each object records the address of the Retool it lives in (:func:`address_of`): a stack whose
connection now points elsewhere refuses to touch it, unless ``movedFrom`` names the recorded
address as an old address of the same Retool.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from retool_pulumi.client import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_REQUESTS_PER_MINUTE,
    DEFAULT_TIMEOUT,
    RetoolClient,
)
from retool_pulumi.errors import ConfigurationError

__all__ = [
    "ConnectionSettings",
    "address_of",
    "check_secret_config",
    "get_client",
    "normal_address",
    "reset_clients",
    "resolve_settings",
    "set_stack_config",
    "setting_key",
]

NAMESPACE = "retool"
logger = logging.getLogger("retool_pulumi.connection")


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything needed to build a :class:`RetoolClient`; the token is kept out of repr."""

    host: str
    access_token: str = field(repr=False)
    scheme: str = "https"
    requests_per_minute: float = DEFAULT_REQUESTS_PER_MINUTE
    unix_socket_path: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    allow_insecure: bool = False
    # Earlier addresses of the same Retool (normalised): objects recorded there live here now.
    moved_from: tuple[str, ...] = ()
    # setting -> where its value came from ("retool:host", "RETOOL_ACCESS_TOKEN", ...): for messages.
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)


# setting name -> (config key without namespace, environment variable)
_SETTINGS: dict[str, tuple[str, str]] = {
    "host": ("host", "RETOOL_HOST"),
    "access_token": ("accessToken", "RETOOL_ACCESS_TOKEN"),
    "scheme": ("scheme", "RETOOL_SCHEME"),
    "requests_per_minute": ("requestsPerMinute", "RETOOL_REQUESTS_PER_MINUTE"),
    "unix_socket_path": ("unixSocketPath", "RETOOL_UNIX_SOCKET_PATH"),
    "timeout": ("timeout", "RETOOL_TIMEOUT"),
    "max_retries": ("maxRetries", "RETOOL_MAX_RETRIES"),
    "allow_insecure": ("allowInsecure", "RETOOL_ALLOW_INSECURE"),
    "moved_from": ("movedFrom", "RETOOL_MOVED_FROM"),
}
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})
_CONNECTIONS_KEY = "connections"
_CONNECTIONS_ENV = "RETOOL_CONNECTIONS"
# Pulumi's marker for a secret value in serialised config/properties.
_SECRET_SIG = "4dabf18193072939515e22adb298388d"

_lock = threading.Lock()
_stack_config: dict[str, Any] | None = None
_clients: dict[ConnectionSettings, RetoolClient] = {}


def set_stack_config(config: Mapping[str, Any] | None) -> None:
    """Remember the stack config the dynamic provider received in ``configure()``.

    Keys are fully qualified (``"retool:host"``). ``None`` forgets it again.
    """
    global _stack_config
    with _lock:
        _stack_config = None if config is None else dict(config)


def _config_value(key: str) -> Any:
    """``retool:<key>`` from the stored stack config, else from a running Pulumi program."""
    qualified = f"{NAMESPACE}:{key}"
    with _lock:
        stored = _stack_config
    if stored is not None:
        return _plain(stored.get(qualified))
    try:
        from pulumi.runtime.config import get_config

        return _plain(get_config(qualified))
    except Exception:  # not inside a Pulumi program, or an SDK without this API
        return None


def _plain(value: Any) -> Any:
    # Secret config may arrive still wrapped as {sig: ..., "value": ...}.
    if isinstance(value, Mapping) and _SECRET_SIG in value:
        return value.get("value")
    return value


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def _connections(source: str) -> dict[str, Any]:
    """Named connections from stack config (``source="config"``) or the environment."""
    if source == "config":
        raw, where = _config_value(_CONNECTIONS_KEY), f"{NAMESPACE}:{_CONNECTIONS_KEY}"
    else:
        raw, where = _env(_CONNECTIONS_ENV), _CONNECTIONS_ENV
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ConfigurationError(
                f"{where} is not valid JSON ({exc.msg}): expected an object of "
                'name -> {"host": ..., "accessToken": ..., "scheme": ...}'
            ) from None
    if not isinstance(raw, Mapping) or not all(isinstance(v, Mapping) for v in raw.values()):
        raise ConfigurationError(
            f"{where} must map connection names to objects with host, accessToken and scheme"
        )
    return {str(k): dict(v) for k, v in raw.items()}


def resolve_settings(connection: str | None = None, **explicit: Any) -> ConnectionSettings:
    """Resolve the settings of the default connection, or of the named one.

    Explicit keyword arguments (``host``, ``access_token``, ``scheme``, ``requests_per_minute``,
    ``unix_socket_path``, ``timeout``, ``max_retries``, ``allow_insecure``; None means not given)
    win over stack config, which wins over environment variables, setting by setting, except the
    scheme: it comes from the source that gave the host (or, without a host, the Unix socket),
    https unless that source says http. A named connection takes its settings from its own entry
    only, so it never borrows the default connection's token. Raises ConfigurationError for
    plain http to a host that is not loopback, unless ``allowInsecure`` is true.
    """
    unknown = set(explicit) - set(_SETTINGS)
    if unknown:
        raise TypeError(f"unknown connection settings: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}

    if connection is None:
        # Each source's own values, highest priority first.
        sources: list[tuple[str, dict[str, tuple[Any, str]]]] = [
            ("arguments", {n: (v, f"argument {n}") for n, v in explicit.items() if v is not None}),
            ("config", {}),
            ("env", {}),
        ]
        for name, (key, env) in _SETTINGS.items():
            from_config = _config_value(key)
            if from_config is not None and from_config != "":
                sources[1][1][name] = (from_config, f"{NAMESPACE}:{key}")
            from_env = _env(env)
            if from_env is not None:
                sources[2][1][name] = (from_env, env)
        if "scheme" in sources[0][1] and "host" not in sources[0][1]:
            raise ConfigurationError(
                "scheme was given without host: pass host too (the scheme belongs to the host it "
                "was chosen for)"
            )
        for name in _SETTINGS:
            found = next((given[name] for _, given in sources if name in given), None)
            if found is not None:
                values[name], origin[name] = found
        # Host and scheme are one fact: the scheme comes from the source of the host.
        values.pop("scheme", None)
        origin.pop("scheme", None)
        anchor = "host" if "host" in values else "unix_socket_path"
        for _, given in sources:
            if anchor in given:
                if "scheme" in given:
                    values["scheme"], origin["scheme"] = given["scheme"]
                break
    else:
        named_config, named_env = _connections("config"), _connections("env")
        if connection in named_config:
            entry, where = named_config[connection], f"{NAMESPACE}:{_CONNECTIONS_KEY}"
        elif connection in named_env:
            entry, where = named_env[connection], _CONNECTIONS_ENV
        else:
            known = sorted(set(named_config) | set(named_env))
            raise ConfigurationError(
                f"Unknown Retool connection {connection!r}; known connections: "
                f"{', '.join(known) if known else 'none'}. Define it in {NAMESPACE}:{_CONNECTIONS_KEY} "
                f"(pulumi config set --secret --path '{NAMESPACE}:{_CONNECTIONS_KEY}.{connection}.host' ...) "
                f"or {_CONNECTIONS_ENV}."
            )
        if explicit.get("scheme") is not None and explicit.get("host") is None:
            raise ConfigurationError("scheme was given without host: pass host too")
        explicit_host = explicit.get("host") is not None
        for name, (key, _) in _SETTINGS.items():
            if explicit.get(name) is not None:
                values[name], origin[name] = explicit[name], f"argument {name}"
            elif name == "scheme" and explicit_host:
                continue  # the entry's scheme was meant for the entry's host
            elif entry.get(key) is not None and entry.get(key) != "":
                values[name], origin[name] = _plain(entry[key]), f"{where}.{connection}.{key}"

    return _build(values, origin, connection)


def setting_key(setting: str, connection: str | None = None) -> str:
    """The stack config key of a setting, as `pulumi config set` takes it: ``retool:movedFrom``,
    or ``--path 'retool:connections.<name>.movedFrom'`` for a named connection."""
    key = _SETTINGS[setting][0]
    if connection is None:
        return f"{NAMESPACE}:{key}"
    return f"--path '{NAMESPACE}:{_CONNECTIONS_KEY}.{connection}.{key}'"


def _how_to_set(setting: str, connection: str | None) -> str:
    key, env = _SETTINGS[setting]
    secret = "--secret " if setting == "access_token" else ""
    if connection is not None:
        return (
            f"set {NAMESPACE}:{_CONNECTIONS_KEY}.{connection}.{key} "
            f"(pulumi config set {secret}--path '{NAMESPACE}:{_CONNECTIONS_KEY}.{connection}.{key}' ...) "
            f"or the {key} of {connection!r} in {_CONNECTIONS_ENV}"
        )
    return f"set {NAMESPACE}:{key} (pulumi config set {secret}{NAMESPACE}:{key} ...) or {env}"


def _build(values: dict[str, Any], origin: dict[str, str], connection: str | None) -> ConnectionSettings:
    raw_host = str(values.get("host") or "").strip()
    scheme = str(values["scheme"]).strip().lower() if values.get("scheme") is not None else None
    if scheme is not None and scheme not in ("http", "https"):
        raise ConfigurationError(
            f"Invalid scheme {scheme!r} from {origin.get('scheme', 'host')}: use http or https "
            f"({_how_to_set('scheme', connection)})."
        )
    host = raw_host
    # Be forgiving about hosts pasted as URLs: "https://org.retool.com/api/v2/".
    if "://" in host:
        url_scheme, host = host.split("://", 1)
        url_scheme = url_scheme.lower()
        if url_scheme not in ("http", "https"):
            raise ConfigurationError(
                f"Invalid scheme {url_scheme!r} in the host from {origin['host']}: use http or https."
            )
        # https written in the host wins; http in the host holds unless its source says https.
        scheme = "https" if "https" in (url_scheme, scheme) else "http"
    host = host.split("/", 1)[0]
    if host and not _valid_host(host):
        raise ConfigurationError(
            f"Invalid host {raw_host!r} from {origin['host']}: expected a host name or address with an "
            f"optional port, like acme.retool.com or 127.0.0.1:3000, without credentials, query or "
            f"spaces ({_how_to_set('host', connection)})."
        )
    host = _bracket_ipv6(host)
    socket_path = values.get("unix_socket_path") or None
    if not host and socket_path:
        host = "localhost"  # only the Host header; the socket decides where requests go
    token = str(values.get("access_token") or "").strip()

    missing = [s for s, v in (("host", host), ("access_token", token)) if not v]
    if missing:
        what = " and ".join("host" if s == "host" else "access token" for s in missing)
        label = f"connection {connection!r}" if connection else "the Retool connection"
        raise ConfigurationError(
            f"No {what} for {label}: " + "; ".join(_how_to_set(s, connection) for s in missing) + "."
        )

    scheme = scheme or "https"
    allow_insecure = _flag(values, origin, "allow_insecure", connection)
    moved_from = []
    raw_moved = values.get("moved_from") or ""
    if isinstance(raw_moved, (list, tuple)):
        raw_moved = ",".join(str(v) for v in raw_moved)
    for text in re.split(r"[\s,]+", str(raw_moved).strip()):
        if text:
            old = normal_address(text, scheme)
            if not old or not _valid_host(old):
                raise ConfigurationError(
                    f"Invalid address {text!r} in {origin['moved_from']}: expected the host (as in "
                    f"retool:host) where the objects were made, like acme.retool.com; several "
                    f"separated by commas ({_how_to_set('moved_from', connection)})."
                )
            moved_from.append(old)
    if scheme == "http" and not socket_path and not _is_loopback(host) and not allow_insecure:
        said = origin.get("scheme") or origin.get("host", "the host")
        raise ConfigurationError(
            f"Refusing plain http to {host} (http from {said}): the access token and every secret "
            f"would cross the network unencrypted. Use https (drop the http, or set the scheme to "
            f"https); plain http is allowed silently only to a loopback host or a Unix socket. Only "
            f"on a network you trust, {_how_to_set('allow_insecure', connection)} to true."
        )
    return ConnectionSettings(
        host=host,
        access_token=token,
        scheme=scheme,
        requests_per_minute=_number(
            values, origin, "requests_per_minute", DEFAULT_REQUESTS_PER_MINUTE, connection
        ),
        unix_socket_path=str(socket_path) if socket_path else None,
        timeout=_number(values, origin, "timeout", DEFAULT_TIMEOUT, connection, positive=True),
        max_retries=int(
            _number(values, origin, "max_retries", DEFAULT_MAX_RETRIES, connection, integer=True)
        ),
        allow_insecure=allow_insecure,
        moved_from=tuple(moved_from),
        origins=dict(origin),
    )


def normal_address(host: str, scheme: str = "https") -> str:
    """A host as written in config (``https://Acme.Retool.com:443/``) in the one form addresses
    are compared in: lower case, without scheme, path, trailing dot or the scheme's default port."""
    text = host.strip()
    if "://" in text:
        url_scheme, text = text.split("://", 1)
        scheme = url_scheme.lower()
    name, port = _split_port(text.split("/", 1)[0].lower())
    name = name.rstrip(".")
    if port == {"https": "443", "http": "80"}.get(scheme):
        port = None
    name = f"[{name}]" if ":" in name else name
    return f"{name}:{port}" if port else name


def address_of(settings: ConnectionSettings) -> str:
    """The address of the Retool a connection reaches, as recorded with each object: its host
    (see :func:`normal_address`), or ``unix:<path>`` over a Unix socket."""
    if settings.unix_socket_path:
        return f"unix:{settings.unix_socket_path}"
    return normal_address(settings.host, settings.scheme)


def _valid_host(host: str) -> bool:
    """A host name or IP address with an optional port: nothing that changes where a URL goes."""
    if any(c.isspace() or c in "@?#\\/" for c in host):
        return False
    name, port = _split_port(host)
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        return False
    return bool(name)


def _split_port(host: str) -> tuple[str, str | None]:
    """(name, port) of ``name[:port]``, ``[v6][:port]`` or a bare IPv6 address."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, (rest[1:] if rest.startswith(":") else None if not rest else "?")
    if host.count(":") > 1:  # a bare IPv6 address
        return host, None
    name, sep, port = host.partition(":")
    return name, port if sep else None


def _bracket_ipv6(host: str) -> str:
    if host.count(":") > 1 and not host.startswith("["):
        return f"[{host}]"
    return host


def _is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: plain http there never leaves the machine."""
    name = _split_port(host)[0].lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _flag(values: dict[str, Any], origin: dict[str, str], setting: str, connection: str | None) -> bool:
    raw = values.get(setting)
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ConfigurationError(
        f"Invalid value {raw!r} from {origin[setting]}: expected true or false "
        f"({_how_to_set(setting, connection)})."
    )


def _number(
    values: dict[str, Any],
    origin: dict[str, str],
    setting: str,
    default: float,
    connection: str | None,
    *,
    positive: bool = False,
    integer: bool = False,
) -> float:
    raw = values.get(setting)
    if raw is None or raw == "":
        return default
    try:
        number = float(raw)
        valid = number > 0 if positive else number >= 0
        valid = valid and (not integer or number.is_integer())
    except (TypeError, ValueError):
        valid = False
    if not valid:
        kind = "a positive number" if positive else "a whole number >= 0" if integer else "a number >= 0"
        raise ConfigurationError(
            f"Invalid value {raw!r} from {origin[setting]}: expected {kind} "
            f"({_how_to_set(setting, connection)})."
        )
    return int(number) if number.is_integer() else number


def check_secret_config() -> None:
    """In a Pulumi program: raise ConfigurationError if the stack config holds an access token that
    is not a secret (``retool:accessToken``, or an ``accessToken`` in ``retool:connections``).

    The engine configures a dynamic provider with the whole stack config and saves that
    configuration in the state (the default provider's inputs), secrets encrypted and the rest as
    is: a token set without ``--secret`` would be stored there in plain text. Outside a program
    (no config to read) it does nothing."""
    try:
        from pulumi.runtime.config import get_config, is_config_secret
    except ImportError:  # an SDK without these: nothing to check with
        return
    fixes: list[str] = []
    key = f"{NAMESPACE}:{_SETTINGS['access_token'][0]}"
    if get_config(key) not in (None, "") and not is_config_secret(key):
        fixes.append(f"pulumi config set --secret {key} <token>")
    key = f"{NAMESPACE}:{_CONNECTIONS_KEY}"
    if get_config(key) not in (None, "") and not is_config_secret(key):
        try:
            named = _connections("config")
        except ConfigurationError:
            named = {}
        fixes += [
            f"pulumi config set --secret --path '{key}.{name}.accessToken' <token>"
            for name, entry in sorted(named.items())
            if entry.get("accessToken") not in (None, "")
        ]
    if fixes:
        raise ConfigurationError(
            "The Retool access token is in the stack config in plain text (set without --secret). "
            "Pulumi saves the stack config with the provider's state, so it would be stored there "
            "unencrypted; nothing was sent. Set it as a secret: "
            + "; ".join(f"`{fix}`" for fix in fixes)
            + " (or use RETOOL_ACCESS_TOKEN). If an earlier `pulumi up` ran with it in plain text, "
            "that state and its backups hold the token: rotate it in Retool (Settings > API)."
        )


def get_client(connection: str | None = None) -> RetoolClient:
    """The shared client for a connection, created on first use (thread-safe)."""
    settings = resolve_settings(connection)
    with _lock:
        client = _clients.get(settings)
        if client is None:
            if settings.scheme == "http" and settings.allow_insecure and not settings.unix_socket_path:
                if not _is_loopback(settings.host):
                    logger.warning(
                        "Sending the Retool access token to %s over plain http, unencrypted "
                        "(allowInsecure is set)",
                        settings.host,
                    )
            client = RetoolClient.from_settings(settings)
            _clients[settings] = client
        return client


def reset_clients() -> None:
    """Close and forget every shared client (for tests)."""
    with _lock:
        clients = list(_clients.values())
        _clients.clear()
    for client in clients:
        client.close()
