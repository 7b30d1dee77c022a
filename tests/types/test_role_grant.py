"""RoleGrant at the provider level, against the emulator."""

from __future__ import annotations

import pytest
from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.errors import RetoolError

KIND = "RoleGrant"


def _role(retool: RetoolClient) -> str:
    body = {"name": "Auditor", "object_scopes": ["apps:read"], "organization_scopes": []}
    return str(retool.post("/role_permissions/roles", json=body)["id"])


def test_check_names_the_subject_and_the_object(em: Emulator) -> None:
    reasons = failures(KIND, {"role_id": "r", "subject_type": "team", "subject_id": "1"})
    assert set(reasons) == {"subject_type"} and "'user' or 'group'" in reasons["subject_type"]
    reasons = failures(KIND, {"role_id": "r", "subject_type": "group", "subject_id": "ops"})
    assert set(reasons) == {"subject_id"} and "a group id is a number" in reasons["subject_id"]
    reasons = failures(
        KIND, {"role_id": "r", "subject_type": "user", "subject_id": "user_ab", "object_type": "app"}
    )
    assert set(reasons) == {"object_id"} and "together" in reasons["object_id"]
    assert checked(KIND, {"role_id": "r", "subject_type": "group", "subject_id": 4.0})["subject_id"] == "4"
    assert em.requests() == []


def test_every_change_replaces(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    base = {"role_id": "r", "subject_type": "group", "subject_id": "4"}
    olds = with_provider_key(checked(KIND, base))
    assert p.diff("g", olds, checked(KIND, {**base, "role_id": "s"})).replaces == ["role_id"]
    assert p.diff("g", olds, checked(KIND, {**base, "subject_id": "5"})).replaces == ["subject_id"]
    d = p.diff("g", olds, checked(KIND, {**base, "object_type": "app", "object_id": "a"}))
    assert sorted(d.replaces) == ["object_id", "object_type"]


def test_create_read_delete(em: Emulator, retool: RetoolClient) -> None:
    role = _role(retool)
    gid = str(retool.post("/groups", json={"name": "Ops"})["id"])
    em.clear_requests()
    p, inputs, created = create(KIND, {"role_id": role, "subject_type": "group", "subject_id": gid})
    assert writes(em) == ["POST /role_permissions/role_grants"]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /role_permissions/role_grants/group/{gid}"]
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False
    p.delete(created.id, with_provider_key(created.outs))
    assert created.id not in em.store.role_grants
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))  # 404 is success


def test_grant_gone_with_its_subject_or_role(em: Emulator, retool: RetoolClient) -> None:
    role = _role(retool)
    gid = str(retool.post("/groups", json={"name": "Ops"})["id"])
    p, _, created = create(KIND, {"role_id": role, "subject_type": "group", "subject_id": gid})
    retool.delete(f"/role_permissions/roles/{role}")
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    retool.delete(f"/groups/{gid}")
    assert p.read(created.id, with_provider_key(created.outs)).id == ""  # the subject's 404


def test_adopting_a_different_grant_is_a_clear_error(em: Emulator, retool: RetoolClient) -> None:
    role = _role(retool)
    admin = em.store.admin_user_id
    body = {"role_id": role, "subject_type": "user", "subject_id": admin}
    assert retool.post("/role_permissions/role_grants", json=body) is None  # 201, no body
    grant = retool.get(f"/role_permissions/role_grants/user/{admin}")[0]
    p = RetoolProvider(KIND)
    same = checked(KIND, {"role_id": role, "subject_type": "user", "subject_id": admin})
    assert p.create({**same, "adopt_id": grant["id"]}).id == grant["id"]
    other = checked(KIND, {**same, "object_type": "app", "object_id": "a1"})
    with pytest.raises(RetoolError, match=r"cannot be changed in place.*object_id, object_type"):
        p.create({**other, "adopt_id": grant["id"]})


def test_create_finds_the_grant_retool_answers_without_a_body(em: Emulator, retool: RetoolClient) -> None:
    # Issue #11 item 5: POST /role_permissions/role_grants is a 201 without content.
    role = _role(retool)
    gid = str(retool.post("/groups", json={"name": "Ops"})["id"])
    em.clear_requests()
    on_app = {"object_type": "app", "object_id": "a1"}
    p, inputs, created = create(KIND, {"role_id": role, "subject_type": "group", "subject_id": gid, **on_app})
    assert writes(em) == ["POST /role_permissions/role_grants"]
    assert list(em.store.role_grants) == [created.id]
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False


def test_ambiguous_create_finds_the_applied_grant(em: Emulator, retool: RetoolClient) -> None:
    role = _role(retool)
    admin = em.store.admin_user_id
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        _, _, created = create(KIND, {"role_id": role, "subject_type": "user", "subject_id": admin})
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em)[1:] == ["POST /role_permissions/role_grants"]  # after the role's POST
    assert list(em.store.role_grants) == [created.id]
