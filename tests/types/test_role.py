"""Role at the provider level, against the emulator."""

from __future__ import annotations

from types_support import BodySpy, calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider

KIND = "Role"
AUDITOR = {"name": "Auditor", "object_scopes": ["apps:read"], "organization_scopes": ["audit_log:read"]}


def test_check_requires_name_and_scopes(em: Emulator) -> None:
    reasons = failures(KIND, {"name": "", "object_scopes": "apps:read"})
    assert set(reasons) == {"name", "object_scopes", "organization_scopes"}
    assert "at least 1" in reasons["name"] and "list" in reasons["object_scopes"]
    assert "required" in reasons["organization_scopes"]
    assert em.requests() == []


def test_scopes_are_a_set_and_nothing_replaces(em: Emulator) -> None:
    inputs = checked(KIND, {**AUDITOR, "object_scopes": ["b:read", "a:read", "b:read"]})
    assert inputs["object_scopes"] == ["a:read", "b:read"]
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, AUDITOR))
    d = p.diff("r", olds, checked(KIND, {**AUDITOR, "name": "Auditors", "object_scopes": ["apps:write"]}))
    assert d.changes is True and d.replaces == []
    assert p.diff("r", olds, checked(KIND, dict(AUDITOR))).changes is False


def test_create_read_update_delete(em: Emulator, bodies: BodySpy) -> None:
    p, inputs, created = create(KIND, {**AUDITOR, "description": "Reads everything"})
    assert writes(em) == ["POST /role_permissions/roles"]
    assert created.outs["is_default_role"] is False
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["GET /role_permissions/roles"]  # no GET of one role: the list
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False

    news = checked(KIND, {**inputs, "object_scopes": ["apps:read", "apps:write"]})
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert bodies.bodies("PATCH") == [{"object_scopes": ["apps:read", "apps:write"]}]  # changed fields only
    assert em.store.roles[created.id]["object_scopes"] == ["apps:read", "apps:write"]
    assert updated.outs["object_scopes"] == ["apps:read", "apps:write"]

    p.delete(created.id, with_provider_key(updated.outs))
    assert created.id not in em.store.roles
    assert p.read(created.id, with_provider_key(updated.outs)).id == ""
    p.delete(created.id, with_provider_key(updated.outs))


def test_drift_in_scopes_is_seen_whatever_the_order(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, {**AUDITOR, "organization_scopes": ["b", "a"]})
    retool.patch(f"/role_permissions/roles/{created.id}", json={"organization_scopes": ["b", "a"]})
    read = p.read(created.id, with_provider_key(created.outs))
    assert p.diff(created.id, read.outs, inputs).changes is False  # same set, other order
    retool.patch(f"/role_permissions/roles/{created.id}", json={"organization_scopes": ["a"]})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["organization_scopes"] == ["a"]
    assert p.diff(created.id, read.outs, inputs).changes is True
