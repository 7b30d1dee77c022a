"""A `User` that is destroyed is disabled, not deleted (Retool's API cannot delete users): the
engine output warns about it; and declaring the same person again enables that user again,
where a new user with an address in use is refused (409).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

import retool_pulumi as retool
from retool_pulumi import connection
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.errors import ConflictError
from tests.engine import new_stack, resources_of

EMAIL = "ada@example.com"
PICKLED = {"__provider": "pickled-provider-placeholder"}


def _users(em: Emulator) -> list[dict[str, Any]]:
    return [u for u in em.store.dump()["collections"]["users"] if u["email"] == EMAIL]


@pytest.mark.engine
def test_a_destroyed_user_is_disabled_with_a_warning_and_comes_back_when_declared(
    tmp_path: Path, retool_emulator: Emulator, retool_env: dict[str, str]
) -> None:
    def program() -> None:
        retool.User("ada", email=EMAIL, first_name="Ada", last_name="Lovelace")

    st = new_stack(tmp_path, program, env=retool_env)
    st.up()
    [made] = _users(retool_emulator)
    assert made["active"] is True

    lines: list[str] = []
    st.destroy(on_output=lines.append)
    text = "\n".join(lines)
    assert f"User {made['id']} ({EMAIL}) is disabled, not deleted" in text, text
    [disabled] = _users(retool_emulator)
    assert disabled["active"] is False

    lines.clear()
    st.up(on_output=lines.append)
    [back] = _users(retool_emulator)
    assert back["id"] == made["id"] and back["active"] is True
    assert [r["id"] for r in resources_of(st, ":User")] == [made["id"]]
    assert "enabled again" in "\n".join(lines)
    assert not st.preview().change_summary.get(auto.OpType.UPDATE)


@pytest.fixture
def provider_env(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    monkeypatch.setenv("RETOOL_HOST", retool_emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", retool_emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
    connection.reset_clients()
    return retool_emulator


def _create(inputs: dict[str, Any]) -> Any:
    provider = RetoolProvider("User")
    checked = provider.check({}, {**inputs, **PICKLED})
    assert not checked.failures
    return provider.create(dict(checked.inputs))


def test_an_active_user_with_the_address_is_still_a_conflict(provider_env: Emulator) -> None:
    _create({"email": EMAIL, "first_name": "Ada", "last_name": "Lovelace"})
    with pytest.raises(ConflictError, match="adopt_id"):
        _create({"email": EMAIL, "first_name": "Someone", "last_name": "Else"})
    assert len(_users(provider_env)) == 1


def test_a_disabled_user_declared_inactive_is_adopted_as_is(provider_env: Emulator) -> None:
    made = _create({"email": EMAIL, "first_name": "Ada", "last_name": "Lovelace"})
    RetoolProvider("User").delete(str(made.id), {**(made.outs or {}), **PICKLED})
    again = _create({"email": EMAIL, "first_name": "Ada", "last_name": "King", "active": False})
    assert again.id == made.id
    [user] = _users(provider_env)
    assert user["active"] is False and user["last_name"] == "King"
