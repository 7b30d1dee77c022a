"""Permission at the provider level, against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN

KIND = "Permission"


@pytest.fixture
def grant(em: Emulator, retool: RetoolClient) -> dict[str, Any]:
    """A group's `use` grant on a new folder (group and folder made in Retool)."""
    group = retool.post("/groups", json={"name": "Analysts"})
    folder = retool.post("/folders", json={"name": "Reports", "folder_type": "app"})
    em.clear_requests()
    return {
        "subject_type": "group",
        "subject_id": str(group["id"]),
        "object_type": "folder",
        "object_id": folder["id"],
        "access_level": "use",
    }


def test_check_names_the_subject_id_that_does_not_fit_its_type(em: Emulator, grant: dict[str, Any]) -> None:
    reasons = failures(KIND, {**grant, "subject_id": "analysts"})
    assert set(reasons) == {"subject_id"} and "a group id is a number" in reasons["subject_id"]
    reasons = failures(KIND, {**grant, "subject_type": "user", "subject_id": "12"})
    assert set(reasons) == {"subject_id"} and "user_<hex>" in reasons["subject_id"]
    assert em.requests() == []


def test_check_names_the_enums_and_their_allowed_values(em: Emulator, grant: dict[str, Any]) -> None:
    reasons = failures(KIND, {**grant, "access_level": "admin", "subject_type": "team"})
    assert "'use', 'edit' or 'own'" in reasons["access_level"]
    assert "'user' or 'group'" in reasons["subject_type"]
    reasons = failures(KIND, {**grant, "object_type": "workflow"})
    assert "'app', 'folder', 'resource', 'resource_configuration' or 'screen'" in reasons["object_type"]
    assert em.requests() == []


def test_check_wants_app_id_exactly_for_screens(em: Emulator, grant: dict[str, Any]) -> None:
    reasons = failures(KIND, {**grant, "object_type": "screen", "object_id": "s-1"})
    assert set(reasons) == {"app_id"} and "screen" in reasons["app_id"]
    reasons = failures(KIND, {**grant, "app_id": "a-1"})
    assert set(reasons) == {"app_id"}
    reasons = failures(KIND, {**grant, "object_id": "12"})
    assert set(reasons) == {"object_id"} and "app_12" in reasons["object_id"]
    assert em.requests() == []


def test_unknown_ids_pass_check_and_replace(em: Emulator, grant: dict[str, Any]) -> None:
    news = checked(KIND, {**grant, "subject_id": UNKNOWN})
    d = RetoolProvider(KIND).diff("x", with_provider_key(grant), news)
    assert d.changes is True and d.replaces == ["subject_id"]
    assert em.requests() == []


def test_subject_and_object_replace_the_grant_while_the_level_updates_it(
    em: Emulator, grant: dict[str, Any]
) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(grant)
    assert p.diff("x", olds, {**grant, "object_id": "app_99"}).replaces == ["object_id"]
    assert p.diff("x", olds, {**grant, "subject_type": "user", "subject_id": "user_ab"}).replaces == [
        "subject_type",
        "subject_id",
    ]
    d = p.diff("x", olds, {**grant, "access_level": "own"})
    assert d.changes is True and d.replaces == []


def test_create_is_one_grant_and_read_lists_it_back_without_diff(em: Emulator, grant: dict[str, Any]) -> None:
    p, inputs, created = create(KIND, grant)
    assert calls(em) == ["POST /permissions/grant"]
    assert created.id == f"group/{grant['subject_id']}/folder/{grant['object_id']}"
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["POST /permissions/listObjects"]
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_refresh_reports_a_level_changed_in_retool(
    em: Emulator, retool: RetoolClient, grant: dict[str, Any]
) -> None:
    p, inputs, created = create(KIND, grant)
    retool.post(
        "/permissions/grant",
        json={
            "subject": {"type": "group", "id": int(grant["subject_id"])},
            "object": {"type": "folder", "id": grant["object_id"]},
            "access_level": "own",
        },
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "access_level": "own"}
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_a_grant_revoked_in_retool_reads_as_gone(
    em: Emulator, retool: RetoolClient, grant: dict[str, Any]
) -> None:
    p, _, created = create(KIND, grant)
    retool.post(
        "/permissions/revoke",
        json={
            "subject": {"type": "group", "id": int(grant["subject_id"])},
            "object": {"type": "folder", "id": grant["object_id"]},
        },
    )
    assert p.read(created.id, with_provider_key(created.outs)).id == ""


def test_a_grant_of_a_deleted_group_reads_as_gone_and_deletes_cleanly(
    em: Emulator, retool: RetoolClient, grant: dict[str, Any]
) -> None:
    p, _, created = create(KIND, grant)
    retool.delete(f"/groups/{grant['subject_id']}")
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))  # 404: counts as deleted


def test_update_grants_the_new_level(em: Emulator, grant: dict[str, Any]) -> None:
    p, _, created = create(KIND, grant)
    em.clear_requests()
    p.update(created.id, with_provider_key(created.outs), {**grant, "access_level": "edit"})
    assert writes(em) == ["POST /permissions/grant"]
    key = ("group", grant["subject_id"], "folder", grant["object_id"])
    assert em.store.permissions[key]["access_level"] == "edit"


def test_delete_revokes_the_grant(em: Emulator, grant: dict[str, Any]) -> None:
    p, _, created = create(KIND, grant)
    p.delete(created.id, with_provider_key(created.outs))
    assert em.store.permissions == {}
    p.delete(created.id, with_provider_key(created.outs))


def test_screen_grants_cannot_be_listed_so_the_declared_grant_stands(em: Emulator) -> None:
    app_id, app = next(iter(em.store.apps.items()))
    screen = app["_screens"][0]
    group = next(g for g in em.store.groups.values() if g["name"] == "viewer")
    news = {
        "subject_type": "group",
        "subject_id": str(group["id"]),
        "object_type": "screen",
        "object_id": screen,
        "app_id": app_id,
        "access_level": "use",
    }
    p, inputs, created = create(KIND, news)
    assert created.id.startswith("group/")
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == []
    assert read.inputs == inputs


def test_check_accepts_a_group_id_sent_as_a_float(em: Emulator, grant: dict[str, Any]) -> None:
    inputs = checked(KIND, {**grant, "subject_id": float(grant["subject_id"])})
    assert inputs["subject_id"] == grant["subject_id"]
    assert RetoolProvider(KIND).diff("x", with_provider_key(grant), inputs).changes is False


def test_a_grant_on_a_file_folder_passes_check_and_refreshes_clean(
    em: Emulator, retool: RetoolClient, grant: dict[str, Any]
) -> None:
    # Issue #11 item 2: production folder ids include `file_<n>`.
    files = retool.post("/folders", json={"name": "Invoices", "folder_type": "file"})
    assert files["id"].startswith("file_")
    p, inputs, created = create(KIND, {**grant, "object_id": files["id"]})
    assert created.id.endswith(f"/folder/{files['id']}")
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False


def test_read_follows_list_objects_pages(em: Emulator, retool: RetoolClient, grant: dict[str, Any]) -> None:
    # Issue #11 item 10: listObjects answers carry next_token/has_more; a grant on page 2 is
    # still there.
    with em.store.lock:
        for n in range(150):
            fid = em.backends.folders.new_id("app")
            em.store.folders[fid] = {**em.store.folders[grant["object_id"]], "id": fid, "name": f"f{n}"}
            key = ("group", grant["subject_id"], "folder", fid)
            em.store.permissions[key] = {
                "subject_type": "group",
                "subject_id": grant["subject_id"],
                "object_type": "folder",
                "object_id": fid,
                "access_level": "edit",
            }
    p, inputs, created = create(KIND, grant)  # granted last: on the second page
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["POST /permissions/listObjects"] * 2
    assert read.id == created.id and read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False
