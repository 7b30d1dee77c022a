"""Each object records the address of the Retool it lives in (`retool_host`), and the provider
refuses, before any request, to diff, read, update or delete it through a connection that now
reaches another address (provider level, against the emulator)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from retool_pulumi import connection
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.provider import RETOOL_HOST
from retool_pulumi.errors import ConfigurationError

PICKLED = {"__provider": "pickled-provider-placeholder"}
FOLDER = {"name": "Addressed", "folder_type": "app"}


@pytest.fixture
def em(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    for name in list(os.environ):
        if name.startswith("RETOOL_"):
            monkeypatch.delenv(name)
    _configure(retool_emulator.host, retool_emulator.token)
    yield retool_emulator
    connection.set_stack_config(None)
    connection.reset_clients()


def _configure(host: str, token: str, **more: Any) -> None:
    """What `configure()` hands the provider: the stack config."""
    connection.set_stack_config(
        {"retool:host": host, "retool:accessToken": token, "retool:scheme": "http", **more}
    )


def _made(em: Emulator) -> tuple[RetoolProvider, str, dict[str, Any]]:
    provider = RetoolProvider("Folder")
    inputs = dict(provider.check({}, {**FOLDER, **PICKLED}).inputs)
    made = provider.create(inputs)
    assert made.outs is not None
    return provider, str(made.id), {**made.outs, **PICKLED}


def _api_calls(em: Emulator) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in em.requests() if r["path"].startswith("/api/v2")]


def test_objects_record_the_address_of_their_retool(em: Emulator) -> None:
    provider, id_, outs = _made(em)
    assert outs[RETOOL_HOST] == em.host
    assert provider.read(id_, outs).outs[RETOOL_HOST] == em.host
    assert RETOOL_HOST not in (provider.read(id_, outs).inputs or {})


def test_every_operation_refuses_an_object_recorded_in_another_retool(em: Emulator) -> None:
    provider, id_, outs = _made(em)
    other = "127.0.0.1:1"
    _configure(other, em.token)
    em.clear_requests()
    news = {**outs, "name": "Renamed"}
    operations = {
        "diff": lambda: provider.diff(id_, outs, news),
        "read": lambda: provider.read(id_, outs),
        "update": lambda: provider.update(id_, outs, news),
        "delete": lambda: provider.delete(id_, outs),
    }
    for name, run in operations.items():
        with pytest.raises(ConfigurationError) as refused:
            run()
        text = str(refused.value)
        assert f"lives in the Retool at {em.host}" in text, name
        assert f"retool:host now points at {other}" in text, name
        assert f"pulumi config set retool:movedFrom {em.host}" in text, name
    assert _api_calls(em) == [], "a request was sent"


def test_moved_from_accepts_an_old_address_of_the_same_retool(em: Emulator) -> None:
    provider, id_, outs = _made(em)
    old = "retool.old.example:8080"
    recorded = {**outs, RETOOL_HOST: old}
    with pytest.raises(ConfigurationError):
        provider.read(id_, recorded)
    _configure(em.host, em.token, **{"retool:movedFrom": "https://Retool.Old.Example:8080/, other.example"})
    assert provider.diff(id_, recorded, recorded).changes is False
    assert provider.read(id_, recorded).outs[RETOOL_HOST] == em.host  # the new address is recorded


def test_an_object_recorded_before_addresses_is_adopted_where_the_connection_is(em: Emulator) -> None:
    provider, id_, outs = _made(em)
    legacy = {k: v for k, v in outs.items() if k != RETOOL_HOST}
    assert provider.diff(id_, legacy, legacy).changes is False
    assert provider.read(id_, legacy).outs[RETOOL_HOST] == em.host
    updated = provider.update(id_, legacy, {**legacy, "name": "Renamed"})
    assert updated.outs is not None and updated.outs[RETOOL_HOST] == em.host


def test_a_new_connection_name_is_a_replacement_not_a_refusal(em: Emulator) -> None:
    provider, id_, outs = _made(em)
    _configure("127.0.0.1:1", em.token)
    result = provider.diff(id_, outs, {**outs, "connection": "elsewhere"})
    assert result.replaces is not None and "connection" in result.replaces


def test_named_connections_are_addressed_on_their_own(em: Emulator) -> None:
    entry = {"host": em.host, "accessToken": em.token, "scheme": "http"}
    connection.set_stack_config({"retool:connections": {"eu": entry}})
    provider = RetoolProvider("Folder")
    inputs = dict(provider.check({}, {**FOLDER, "connection": "eu", **PICKLED}).inputs)
    made = provider.create(inputs)
    outs = {**(made.outs or {}), **PICKLED}
    assert outs[RETOOL_HOST] == em.host
    connection.set_stack_config({"retool:connections": {"eu": {**entry, "host": "127.0.0.1:1"}}})
    with pytest.raises(ConfigurationError) as refused:
        provider.read(str(made.id), outs)
    text = str(refused.value)
    assert "retool:connections.eu.host now points at 127.0.0.1:1" in text
    assert "pulumi config set --path 'retool:connections.eu.movedFrom'" in text


def test_a_moved_from_that_is_no_address_is_a_configuration_error(em: Emulator) -> None:
    _configure(em.host, em.token, **{"retool:movedFrom": "not a host?"})
    with pytest.raises(ConfigurationError, match=r"retool:movedFrom"):
        connection.resolve_settings()


@pytest.mark.parametrize(
    ("written", "address"),
    [
        ("Acme.Retool.com", "acme.retool.com"),
        ("https://acme.retool.com:443/api/v2", "acme.retool.com"),
        ("http://127.0.0.1:80", "127.0.0.1"),
        ("acme.retool.com.", "acme.retool.com"),
        ("127.0.0.1:3000", "127.0.0.1:3000"),
        ("[::1]:3000", "[::1]:3000"),
    ],
)
def test_addresses_are_compared_in_one_form(written: str, address: str) -> None:
    assert connection.normal_address(written) == address
