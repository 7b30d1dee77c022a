"""Folder at the provider level, against the emulator."""

from __future__ import annotations

from types_support import BodySpy, calls, check, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN

KIND = "Folder"
REPORTS = {"name": "Reports", "folder_type": "app"}


def test_check_names_folder_type_and_its_allowed_values_without_calling_the_api(em: Emulator) -> None:
    reasons = failures(KIND, {"name": "Reports", "folder_type": "dashboard"})
    assert set(reasons) == {"folder_type"}
    assert "'app', 'workflow', 'resource', 'agent', 'library' or 'file'" in reasons["folder_type"]
    assert "dashboard" in reasons["folder_type"]
    assert em.requests() == []


def test_check_requires_name_and_folder_type(em: Emulator) -> None:
    reasons = failures(KIND, {})
    assert set(reasons) == {"name", "folder_type"}
    assert all("required" in r for r in reasons.values())
    assert failures(KIND, {"name": "", "folder_type": "app"}).keys() == {"name"}
    assert em.requests() == []


def test_check_rejects_a_parent_that_is_not_a_folder_id(em: Emulator) -> None:
    reasons = failures(KIND, {**REPORTS, "parent_folder_id": "12"})
    assert set(reasons) == {"parent_folder_id"}
    assert "pattern" in reasons["parent_folder_id"]
    assert em.requests() == []


def test_check_rejects_an_undeclared_property_and_lists_the_allowed_ones(em: Emulator) -> None:
    reasons = failures(KIND, {**REPORTS, "colour": "red"})
    assert set(reasons) == {"colour"}
    assert "name, folder_type, parent_folder_id" in reasons["colour"]
    assert em.requests() == []


def test_check_drops_the_provider_key_and_none_values(em: Emulator) -> None:
    assert checked(KIND, {**REPORTS, "parent_folder_id": None}) == REPORTS


def test_unknown_values_pass_check_and_diff_reports_the_change(em: Emulator) -> None:
    news = checked(KIND, {"name": UNKNOWN, "folder_type": "app"})
    assert news["name"] == UNKNOWN
    d = RetoolProvider(KIND).diff("app_9", with_provider_key(REPORTS), news)
    assert d.changes is True
    assert d.replaces == []
    news = checked(KIND, {"name": "Reports", "folder_type": UNKNOWN})
    d = RetoolProvider(KIND).diff("app_9", with_provider_key(REPORTS), news)
    assert d.changes is True and d.replaces == ["folder_type"]
    assert em.requests() == []


def test_folder_type_replaces_while_name_and_parent_update_in_place(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(REPORTS)
    assert p.diff("app_9", olds, checked(KIND, {**REPORTS, "folder_type": "workflow"})).replaces == [
        "folder_type"
    ]
    moved = p.diff("app_9", olds, checked(KIND, {**REPORTS, "name": "R", "parent_folder_id": "app_2"}))
    assert moved.changes is True and moved.replaces == []
    assert moved.delete_before_replace is False


def test_diff_ignores_the_provider_key(em: Emulator) -> None:
    d = RetoolProvider(KIND).diff("app_9", {**REPORTS, "__provider": "old"}, {**REPORTS, "__provider": "new"})
    assert d.changes is False


def test_create_posts_once_and_returns_every_output(em: Emulator) -> None:
    p, _inputs, created = create(KIND, REPORTS)
    assert writes(em) == ["POST /folders"]
    assert created.id in em.store.folders
    assert created.outs["name"] == "Reports"
    for output in ("legacy_id", "is_system_folder", "created_at", "updated_at"):
        assert output in created.outs
    # The root folder lookup is cached: a second folder costs one request.
    em.clear_requests()
    p.create(checked(KIND, {"name": "Other", "folder_type": "app"}))
    assert calls(em) == ["POST /folders"]


def test_read_of_an_untouched_folder_has_no_diff(em: Emulator) -> None:
    p, inputs, created = create(KIND, REPORTS)
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /folders/{created.id}"]
    assert read.id == created.id
    assert {k: read.outs.get(k) for k in inputs} == {k: created.outs.get(k) for k in inputs}
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_refresh_reports_a_rename_and_a_move_made_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, REPORTS)
    target = retool.post("/folders", json={"name": "Archive 2024", "folder_type": "app"})
    retool.patch(
        f"/folders/{created.id}",
        json={
            "operations": [
                {"op": "replace", "path": "/name", "value": "Renamed"},
                {"op": "replace", "path": "/parent_folder_id", "value": target["id"]},
            ]
        },
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "name": "Renamed", "parent_folder_id": target["id"]}
    assert read.outs["name"] == "Renamed"
    d = p.diff(created.id, read.outs, inputs)
    assert d.changes is True and d.replaces == []
    # `up` moves it back to the root and renames it.
    em.clear_requests()
    p.update(created.id, read.outs, inputs)
    assert writes(em) == [f"PATCH /folders/{created.id}"]
    live = em.store.folders[created.id]
    assert live["name"] == "Reports"
    assert live["parent_folder_id"] == em.backends.folders.root("app")["id"]  # type: ignore[index]


def test_read_of_a_folder_deleted_in_retool_returns_an_empty_id(em: Emulator, retool: RetoolClient) -> None:
    p, _, created = create(KIND, REPORTS)
    retool.delete(f"/folders/{created.id}")
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.id == ""
    assert read.outs == {}


def test_update_sends_only_the_changed_name(em: Emulator) -> None:
    p, inputs, created = create(KIND, REPORTS)
    em.clear_requests()
    news = checked(KIND, {**REPORTS, "name": "Quarterly"}, inputs)
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PATCH /folders/{created.id}"]
    assert em.store.folders[created.id]["name"] == "Quarterly"
    assert updated.outs["name"] == "Quarterly"


def test_move_into_a_subfolder_and_back_to_the_root(em: Emulator) -> None:
    p, inputs, created = create(KIND, REPORTS)
    _, _, parent = create(KIND, {"name": "Parent", "folder_type": "app"})
    moved_in = checked(KIND, {**REPORTS, "parent_folder_id": parent.id})
    outs = p.update(created.id, with_provider_key(created.outs), moved_in).outs
    assert em.store.folders[created.id]["parent_folder_id"] == parent.id
    assert p.diff(created.id, p.read(created.id, outs).outs, moved_in).changes is False
    outs = p.update(created.id, outs, inputs).outs
    assert em.store.folders[created.id]["parent_folder_id"] == em.backends.folders.root("app")["id"]  # type: ignore[index]
    assert p.diff(created.id, p.read(created.id, outs).outs, inputs).changes is False


def test_delete_removes_the_folder_and_a_missing_folder_counts_as_deleted(em: Emulator) -> None:
    p, _, created = create(KIND, REPORTS)
    p.delete(created.id, with_provider_key(created.outs))
    assert created.id not in em.store.folders
    p.delete(created.id, with_provider_key(created.outs))  # 404: already gone
    assert calls(em)[-1] == f"DELETE /folders/{created.id}"


def test_adopt_id_takes_over_an_existing_folder_without_creating_one(
    em: Emulator, retool: RetoolClient
) -> None:
    existing = retool.post("/folders", json={"name": "Legacy", "folder_type": "app"})
    em.clear_requests()
    p = RetoolProvider(KIND)
    created = p.create({**checked(KIND, REPORTS), "adopt_id": existing["id"]})
    assert created.id == existing["id"]
    assert "POST /folders" not in calls(em)
    assert em.store.folders[existing["id"]]["name"] == "Reports"
    assert created.outs["adopt_id"] == existing["id"]
    read = p.read(created.id, created.outs)
    assert (
        p.diff(created.id, read.outs, {**checked(KIND, REPORTS), "adopt_id": existing["id"]}).changes is False
    )


def test_ambiguous_create_finds_the_applied_folder_instead_of_duplicating(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    inputs = checked(KIND, REPORTS)
    p.create(checked(KIND, {"name": "warm the root cache", "folder_type": "app"}))
    em.set_faults(drop_after_apply_rate=1.0)  # the POST is applied, its answer is lost
    em.clear_requests()
    try:
        created = p.create(inputs)
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /folders"]
    named = [f for f in em.store.folders.values() if f["name"] == "Reports"]
    assert [f["id"] for f in named] == [created.id]
    assert created.outs["name"] == "Reports"


def test_check_accepts_what_the_engine_sends_for_an_optional_none(em: Emulator) -> None:
    result = check(KIND, {**REPORTS, "parent_folder_id": None, "adopt_id": None, "connection": None})
    assert result.failures == []
    assert result.inputs == REPORTS


def test_update_sends_a_patch_of_only_the_changed_name(em: Emulator, bodies: BodySpy) -> None:
    p, _inputs, created = create(KIND, REPORTS)
    p.update(created.id, with_provider_key(created.outs), checked(KIND, {**REPORTS, "name": "Q"}))
    assert bodies.bodies("PATCH") == [{"operations": [{"op": "replace", "path": "/name", "value": "Q"}]}]


def test_file_folders_pass_check_like_production_has_them(em: Emulator) -> None:
    # Issue #11 item 2: production has folder type `file` with ids `file_<n>`.
    root = em.backends.folders.root("file")
    assert root is not None and root["id"].startswith("file_")
    inputs = checked(KIND, {"name": "Invoices", "folder_type": "file", "parent_folder_id": root["id"]})
    assert inputs["parent_folder_id"] == root["id"]
    p, inputs, created = create(KIND, {"name": "Invoices", "folder_type": "file"})
    assert created.id.startswith("file_")
    child = checked(KIND, {"name": "2024", "folder_type": "file", "parent_folder_id": created.id})
    p.create(child)
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False


def test_folder_types_are_the_ones_production_accepts() -> None:
    from typing import get_args

    from retool_pulumi.openapi import request_schema
    from retool_pulumi.types._common import FolderType

    body = request_schema("/folders", "post")["properties"]
    assert list(get_args(FolderType)) == body["folder_type"]["enum"]
