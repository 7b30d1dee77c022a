"""UserAttribute (the organisation-level definition) at the provider level, against the emulator."""

from __future__ import annotations

from types_support import BodySpy, calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider

KIND = "UserAttribute"
DEPT = {"name": "department", "label": "Department", "data_type": "string"}


def test_check_names_the_property_and_what_is_allowed(em: Emulator) -> None:
    reasons = failures(KIND, {"name": "Department Name", "label": "D", "data_type": "date"})
    assert set(reasons) == {"name", "label", "data_type"}
    assert "^[a-z0-9\\_]+$" in reasons["name"]
    assert "at least 2" in reasons["label"]
    assert "'string', 'number' or 'json'" in reasons["data_type"]
    assert em.requests() == []


def test_renaming_replaces_deleting_the_old_first_other_fields_update(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, DEPT))
    d = p.diff("x", olds, checked(KIND, {**DEPT, "name": "team"}))
    assert d.replaces == ["name"] and d.delete_before_replace is True
    d = p.diff("x", olds, checked(KIND, {**DEPT, "label": "Team", "data_type": "json"}))
    assert d.changes is True and d.replaces == []


def test_create_sends_camel_case_and_reads_back_clean(em: Emulator, bodies: BodySpy) -> None:
    p, inputs, created = create(KIND, {**DEPT, "default_value": "none"})
    assert bodies.bodies("POST") == [
        {"name": "department", "label": "Department", "dataType": "string", "defaultValue": "none"}
    ]
    assert em.store.user_attributes[created.id]["default_value"] == "none"
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["GET /user_attributes"]  # no GET of one attribute: the list
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_update_patches_the_changed_fields(em: Emulator, bodies: BodySpy) -> None:
    p, _, created = create(KIND, DEPT)
    em.clear_requests()
    news = checked(KIND, {**DEPT, "label": "Team", "default_value": "eng"})
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PATCH /user_attributes/{created.id}"]
    assert bodies.bodies("PATCH") == [
        {
            "operations": [
                {"op": "replace", "path": "/default_value", "value": "eng"},
                {"op": "replace", "path": "/label", "value": "Team"},
            ]
        }
    ]
    assert updated.outs["label"] == "Team"


def test_drift_gone_and_delete(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, DEPT)
    ops = [{"op": "replace", "path": "/label", "value": "Edited"}]
    retool.patch(f"/user_attributes/{created.id}", json={"operations": ops})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["label"] == "Edited" and p.diff(created.id, read.outs, inputs).changes is True
    p.delete(created.id, with_provider_key(created.outs))
    assert created.id not in em.store.user_attributes
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))  # 404 is success


def test_ambiguous_create_finds_the_attribute_by_name(em: Emulator) -> None:
    inputs = checked(KIND, DEPT)
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(inputs)
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert [a["id"] for a in em.store.user_attributes.values()] == [created.id]
