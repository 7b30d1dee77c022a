"""GroupMember at the provider level, against the emulator."""

from __future__ import annotations

from typing import Any

from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN

KIND = "GroupMember"


def _setup(retool: RetoolClient) -> tuple[str, str]:
    group = retool.post("/groups", json={"name": "Ops"})
    user = retool.post("/users", json={"email": "ada@example.com", "first_name": "Ada", "last_name": "L"})
    return str(group["id"]), str(user["id"])


def _members(em: Emulator, group_id: str) -> dict[str, bool]:
    return {m["id"]: m["is_group_admin"] for m in em.store.groups[int(group_id)]["members"]}


def test_check_names_bad_ids_and_fills_the_admin_default(em: Emulator) -> None:
    reasons = failures(KIND, {"group_id": "ops", "user_id": "ada"})
    assert set(reasons) == {"group_id", "user_id"}
    assert "pattern" in reasons["group_id"] and "'ops'" in reasons["group_id"]
    inputs = checked(KIND, {"group_id": 5.0, "user_id": "user_ab12"})  # the engine sends numbers as floats
    assert inputs == {"group_id": "5", "user_id": "user_ab12", "is_group_admin": False}
    assert em.requests() == []


def test_changing_group_or_user_replaces_and_the_admin_flag_updates(em: Emulator) -> None:
    olds = with_provider_key(checked(KIND, {"group_id": "5", "user_id": "user_ab"}))
    p = RetoolProvider(KIND)
    assert p.diff("5/user_ab", olds, checked(KIND, {"group_id": "6", "user_id": "user_ab"})).replaces == [
        "group_id"
    ]
    assert p.diff("5/user_ab", olds, checked(KIND, {"group_id": "5", "user_id": "user_cd"})).replaces == [
        "user_id"
    ]
    d = p.diff(
        "5/user_ab", olds, checked(KIND, {"group_id": "5", "user_id": "user_ab", "is_group_admin": True})
    )
    assert d.changes is True and d.replaces == []
    d = p.diff("5/user_ab", olds, checked(KIND, {"group_id": UNKNOWN, "user_id": "user_ab"}))
    assert d.replaces == ["group_id"]
    assert em.requests() == []


def test_create_read_update_delete(em: Emulator, retool: RetoolClient) -> None:
    gid, uid = _setup(retool)
    em.clear_requests()
    p, inputs, created = create(KIND, {"group_id": gid, "user_id": uid})
    assert created.id == f"{gid}/{uid}"
    assert writes(em) == [f"POST /groups/{gid}/members"]
    assert _members(em, gid) == {uid: False}
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /groups/{gid}"]
    assert read.id == created.id and read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False

    news = checked(KIND, {"group_id": gid, "user_id": uid, "is_group_admin": True})
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert updated.outs["is_group_admin"] is True and _members(em, gid) == {uid: True}

    p.delete(created.id, with_provider_key(updated.outs))
    assert _members(em, gid) == {}
    p.delete(created.id, with_provider_key(updated.outs))  # already gone: still a success


def test_refresh_sees_a_removed_member_as_gone_and_an_admin_change_as_drift(
    em: Emulator, retool: RetoolClient
) -> None:
    gid, uid = _setup(retool)
    p, inputs, created = create(KIND, {"group_id": gid, "user_id": uid})
    retool.post(f"/groups/{gid}/members", json={"members": [{"id": uid, "is_group_admin": True}]})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["is_group_admin"] is True
    assert p.diff(created.id, read.outs, inputs).changes is True
    retool.delete(f"/groups/{gid}/members/{uid}")
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    retool.delete(f"/groups/{gid}")
    assert p.read(created.id, with_provider_key(created.outs)).id == ""  # the group is gone: 404
    p.delete(created.id, with_provider_key(created.outs))


def test_update_leaves_the_other_members_alone(em: Emulator, retool: RetoolClient) -> None:
    gid, uid = _setup(retool)
    admin = em.store.admin_user_id
    retool.post(f"/groups/{gid}/members", json={"members": [{"id": admin, "is_group_admin": True}]})
    p, _, created = create(KIND, {"group_id": gid, "user_id": uid})
    p.update(
        created.id, created.outs, checked(KIND, {"group_id": gid, "user_id": uid, "is_group_admin": True})
    )
    p.delete(created.id, created.outs)
    assert _members(em, gid) == {admin: True}


def test_adopt_id_reads_the_membership(em: Emulator, retool: RetoolClient) -> None:
    gid, uid = _setup(retool)
    retool.post(f"/groups/{gid}/members", json={"members": [{"id": uid, "is_group_admin": True}]})
    inputs: dict[str, Any] = {**checked(KIND, {"group_id": gid, "user_id": uid}), "adopt_id": f"{gid}/{uid}"}
    created = RetoolProvider(KIND).create(inputs)
    assert created.id == f"{gid}/{uid}" and _members(em, gid) == {uid: False}  # the declared flag applies
