"""Group at the provider level, against the emulator."""

from __future__ import annotations

from types_support import BodySpy, calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN

KIND = "Group"
OPS = {"name": "Ops", "universal_app_access": "use"}


def test_check_names_the_access_field_and_its_allowed_levels(em: Emulator) -> None:
    reasons = failures(KIND, {"name": "Ops", "universal_app_access": "admin"})
    assert set(reasons) == {"universal_app_access"}
    assert "'none', 'use', 'edit' or 'own'" in reasons["universal_app_access"]
    # The Query Library has no `own` level.
    reasons = failures(KIND, {"name": "Ops", "universal_query_library_access": "own"})
    assert "'none', 'use' or 'edit'" in reasons["universal_query_library_access"]
    assert em.requests() == []


def test_check_requires_a_name(em: Emulator) -> None:
    assert "required" in failures(KIND, {"theme_access": True})["name"]
    assert em.requests() == []


def test_check_fills_the_defaults_so_every_access_is_managed(em: Emulator) -> None:
    inputs = checked(KIND, {"name": "Ops"})
    assert inputs["universal_resource_access"] == "none"
    assert inputs["audit_log_access"] is False
    assert "landing_page_app_id" not in inputs


def test_unknown_values_pass_check_keep_the_defaults_and_diff_reports_a_change(em: Emulator) -> None:
    olds = with_provider_key(checked(KIND, OPS))
    news = checked(KIND, {**OPS, "landing_page_app_id": UNKNOWN})
    # The defaults are filled even while a value is unknown: only the unknown field changes.
    assert {k: v for k, v in news.items() if k != "landing_page_app_id"} == {
        k: v for k, v in olds.items() if k != "__provider"
    }
    d = RetoolProvider(KIND).diff("5", olds, news)
    assert d.changes is True and d.replaces == []
    assert em.requests() == []


def test_no_field_replaces_a_group(em: Emulator) -> None:
    olds = with_provider_key(checked(KIND, OPS))
    news = checked(KIND, {"name": "Operations", "universal_app_access": "own", "theme_access": True})
    d = RetoolProvider(KIND).diff("5", olds, news)
    assert d.changes is True and d.replaces == []


def test_create_is_one_post_and_read_back_has_no_diff(em: Emulator) -> None:
    p, inputs, created = create(KIND, OPS)
    assert calls(em) == ["POST /groups"]
    assert em.store.groups[int(created.id)]["universal_app_access"] == "use"
    for output in ("legacy_id", "created_at", "updated_at"):
        assert output in created.outs
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /groups/{created.id}"]
    assert read.inputs == inputs
    assert {k: read.outs.get(k) for k in inputs} == {k: created.outs.get(k) for k in inputs}
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_refresh_reports_access_changed_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, OPS)
    retool.patch(
        f"/groups/{created.id}",
        json={"operations": [{"op": "replace", "path": "/audit_log_access", "value": True}]},
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["audit_log_access"] is True
    assert read.outs["audit_log_access"] is True
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_update_patches_only_the_changed_fields_and_keeps_the_members(
    em: Emulator, retool: RetoolClient
) -> None:
    p, _inputs, created = create(KIND, OPS)
    admin = em.store.admin_user_id
    retool.post(f"/groups/{created.id}/members", json={"members": [{"id": admin, "is_group_admin": True}]})
    em.clear_requests()
    news = checked(KIND, {**OPS, "universal_app_access": "edit", "theme_access": True})
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PATCH /groups/{created.id}"]
    group = em.store.groups[int(created.id)]
    assert group["universal_app_access"] == "edit" and group["theme_access"] is True
    assert [m["id"] for m in group["members"]] == [admin]
    assert updated.outs["universal_app_access"] == "edit"


def test_read_of_a_deleted_group_returns_an_empty_id_and_delete_tolerates_404(
    em: Emulator, retool: RetoolClient
) -> None:
    p, _, created = create(KIND, OPS)
    retool.delete(f"/groups/{created.id}")
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))


def test_delete_removes_the_group(em: Emulator) -> None:
    p, _, created = create(KIND, OPS)
    p.delete(created.id, with_provider_key(created.outs))
    assert int(created.id) not in em.store.groups


def test_adopt_id_updates_the_existing_group_instead_of_creating_one(em: Emulator) -> None:
    viewer = next(g for g in em.store.groups.values() if g["name"] == "viewer")
    p = RetoolProvider(KIND)
    inputs = {
        **checked(KIND, {"name": "viewer", "universal_app_access": "use"}),
        "adopt_id": str(viewer["id"]),
    }
    created = p.create(inputs)
    assert created.id == str(viewer["id"])
    assert "POST /groups" not in calls(em)
    assert viewer["user_list_access"] is False  # the declared default now applies
    assert viewer["universal_resource_access"] == "none"
    assert p.diff(created.id, p.read(created.id, created.outs).outs, inputs).changes is False


def test_landing_page_set_in_retool_is_drift(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, OPS)
    app_id = next(iter(em.store.apps))
    retool.patch(
        f"/groups/{created.id}",
        json={"operations": [{"op": "replace", "path": "/landing_page_app_id", "value": app_id}]},
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["landing_page_app_id"] == app_id
    assert p.diff(created.id, read.outs, inputs).changes is True
    p.update(created.id, read.outs, inputs)
    assert em.store.groups[int(created.id)]["landing_page_app_id"] is None


def test_ambiguous_create_finds_the_applied_group(em: Emulator) -> None:
    inputs = checked(KIND, OPS)
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(inputs)
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /groups"]
    assert [g["id"] for g in em.store.groups.values() if g["name"] == "Ops"] == [int(created.id)]


def test_update_sends_a_patch_of_only_the_changed_fields(em: Emulator, bodies: BodySpy) -> None:
    p, _inputs, created = create(KIND, OPS)
    news = checked(KIND, {**OPS, "theme_access": True})
    p.update(created.id, with_provider_key(created.outs), news)
    assert bodies.bodies("PATCH") == [
        {"operations": [{"op": "replace", "path": "/theme_access", "value": True}]}
    ]
