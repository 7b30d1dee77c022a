"""UserAttributeValue (one user's value of one attribute) at the provider level, against the emulator."""

from __future__ import annotations

from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider

KIND = "UserAttributeValue"


def _user(retool: RetoolClient) -> str:
    user = retool.post("/users", json={"email": "ada@example.com", "first_name": "Ada", "last_name": "L"})
    return str(user["id"])


def test_check_names_the_user_id_and_the_missing_value(em: Emulator) -> None:
    reasons = failures(KIND, {"user_id": "ada", "attribute_name": "department"})
    assert set(reasons) == {"user_id", "value"}
    assert "user_([a-z0-9]+)" in reasons["user_id"] and "required" in reasons["value"]
    assert em.requests() == []


def test_user_or_attribute_replaces_value_updates(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    base = {"user_id": "user_ab", "attribute_name": "department", "value": "eng"}
    olds = with_provider_key(checked(KIND, base))
    assert p.diff("i", olds, checked(KIND, {**base, "user_id": "user_cd"})).replaces == ["user_id"]
    assert p.diff("i", olds, checked(KIND, {**base, "attribute_name": "team"})).replaces == ["attribute_name"]
    d = p.diff("i", olds, checked(KIND, {**base, "value": "ops"}))
    assert d.changes is True and d.replaces == []


def test_create_read_update_drift_delete(em: Emulator, retool: RetoolClient) -> None:
    uid = _user(retool)
    em.clear_requests()
    p, inputs, created = create(KIND, {"user_id": uid, "attribute_name": "department", "value": "eng"})
    assert created.id == f"{uid}/department"
    assert writes(em) == [f"POST /users/{uid}/user_attributes"]
    assert em.store.users[uid]["metadata"] == {"department": "eng"}
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /users/{uid}"]
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False

    updated = p.update(created.id, with_provider_key(created.outs), {**inputs, "value": "ops"})
    assert updated.outs["value"] == "ops" and em.store.users[uid]["metadata"]["department"] == "ops"

    retool.post(f"/users/{uid}/user_attributes", json={"name": "department", "value": "sales"})
    read = p.read(created.id, with_provider_key(updated.outs))
    assert read.inputs["value"] == "sales" and p.diff(created.id, read.outs, updated.outs).changes is True

    p.delete(created.id, with_provider_key(updated.outs))
    assert "department" not in em.store.users[uid]["metadata"]
    assert p.read(created.id, with_provider_key(updated.outs)).id == ""  # removed: gone


def test_read_of_a_missing_user_is_gone_and_delete_tolerates_it(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    props = with_provider_key(checked(KIND, {"user_id": "user_0", "attribute_name": "x", "value": "y"}))
    assert p.read("user_0/x", props).id == ""
    p.delete("user_0/x", props)


def test_adopt_id_updates_the_existing_value(em: Emulator, retool: RetoolClient) -> None:
    uid = _user(retool)
    retool.post(f"/users/{uid}/user_attributes", json={"name": "department", "value": "eng"})
    inputs = {**checked(KIND, {"user_id": uid, "attribute_name": "department", "value": "ops"})}
    created = RetoolProvider(KIND).create({**inputs, "adopt_id": f"{uid}/department"})
    assert created.id == f"{uid}/department" and em.store.users[uid]["metadata"]["department"] == "ops"
