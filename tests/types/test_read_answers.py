"""What a read makes of answers the emulator gives only when told to (`canned_answers`): an object
is read only from an answer holding that object; an answer holding nothing, something else or
another object's id is an error (reading it as "gone" would drop the object from state); a
singleton's settings may be empty, and carry no id of theirs."""

from __future__ import annotations

from typing import Any

import pytest
from types_support import create, with_provider_key

from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.errors import UnexpectedResponseError

SSO: dict[str, Any] = {
    "config_type": "google",
    "google_client_id": "cid.apps.googleusercontent.com",
    "google_client_secret": "g-s3cr3t",
    "disable_email_password_login": False,
}


def _answer(em: Emulator, path: str, data: Any) -> None:
    em.set_faults(canned_answers={f"GET {path}": {"status": 200, "body": {"success": True, "data": data}}})


@pytest.mark.parametrize(
    "data", [{}, [], [{"id": 1}], "group", None], ids=["empty", "list", "items", "text", "null"]
)
def test_an_answer_without_the_object_is_an_error(em: Emulator, data: Any) -> None:
    p, _, created = create("Group", {"name": "platform"})
    _answer(em, f"/groups/{created.id}", data)
    with pytest.raises(UnexpectedResponseError) as raised:
        p.read(created.id, with_provider_key(created.outs))
    assert raised.value.status == 200 and "Group" in str(raised.value)


def test_an_answer_holding_another_object_is_an_error(em: Emulator) -> None:
    p, _, created = create("Group", {"name": "platform"})
    _answer(em, f"/groups/{created.id}", {"id": int(created.id) + 1, "name": "platform"})
    with pytest.raises(UnexpectedResponseError) as raised:
        p.read(created.id, with_provider_key(created.outs))
    assert raised.value.status == 200 and f"the answer is Group {int(created.id) + 1}" in str(raised.value)


def test_an_answer_without_an_id_field_is_read_as_the_object_asked_for(em: Emulator) -> None:
    p, _, created = create("Group", {"name": "platform"})
    live = dict(em.store.groups[int(created.id)])
    live.pop("id")
    _answer(em, f"/groups/{created.id}", {**live, "name": "renamed"})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.id == created.id and read.inputs["name"] == "renamed"


def test_a_singleton_answering_empty_settings_is_there(em: Emulator) -> None:
    p, _, created = create("SsoConfig", SSO)
    _answer(em, "/sso/config", {})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.id == "sso"


def test_a_singleton_answer_with_an_id_of_its_own_is_the_singleton(em: Emulator) -> None:
    p, inputs, created = create("SsoConfig", SSO)
    stored = dict(em.store.sso_config or {})
    _answer(em, "/sso/config", {**stored, "id": 7})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.id == "sso"
    assert p.diff(created.id, read.outs, inputs).changes is False


@pytest.mark.parametrize("data", [[1], "sso"], ids=["list", "text"])
def test_a_singleton_answer_that_is_no_object_is_an_error(em: Emulator, data: Any) -> None:
    p, _, created = create("SsoConfig", SSO)
    _answer(em, "/sso/config", data)
    with pytest.raises(UnexpectedResponseError):
        p.read(created.id, with_provider_key(created.outs))


def test_a_read_without_recorded_fingerprints_keeps_the_declared_secret(em: Emulator) -> None:
    """State written before fingerprints were kept (or an import) has none: the declared secret
    stands, it is not reported as rotated."""
    p, inputs, created = create("SsoConfig", SSO)
    outs = {k: v for k, v in created.outs.items() if k != "server_fingerprints"}
    read = p.read(created.id, with_provider_key(outs))
    assert read.inputs["google_client_secret"] == "g-s3cr3t"
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_an_encrypted_secret_read_back_masked_keeps_the_declared_value(em: Emulator) -> None:
    p, inputs, created = create("SsoConfig", SSO)
    stored = dict(em.store.sso_config or {})
    _answer(em, "/sso/config", {**stored, "google_client_secret": "---encrypted-on-server---"})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["google_client_secret"] == "g-s3cr3t"
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_a_group_read_uses_its_own_get(em: Emulator) -> None:
    provider = RetoolProvider("Group")
    _, _, created = create("Group", {"name": "platform"})
    em.clear_requests()
    assert provider.read(created.id, with_provider_key(created.outs)).id == created.id
    assert [r["path"] for r in em.requests()] == [f"/api/v2/groups/{created.id}"]
