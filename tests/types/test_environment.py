"""Environment at the provider level, against the emulator."""

from __future__ import annotations

from types_support import BodySpy, calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN

KIND = "Environment"
QA = {"name": "qa", "color": "#1E88E5"}


def test_check_names_the_colour_and_its_pattern(em: Emulator) -> None:
    reasons = failures(KIND, {"name": "qa", "color": "blue"})
    assert set(reasons) == {"color"}
    assert "#[A-Fa-f0-9]{6}" in reasons["color"] and "'blue'" in reasons["color"]
    assert em.requests() == []


def test_check_requires_name_and_colour(em: Emulator) -> None:
    assert set(failures(KIND, {"description": "x"})) == {"name", "color"}
    assert em.requests() == []


def test_unknown_colour_passes_check_and_diff_reports_a_change(em: Emulator) -> None:
    news = checked(KIND, {"name": "qa", "color": UNKNOWN})
    d = RetoolProvider(KIND).diff("e", with_provider_key(QA), news)
    assert d.changes is True and d.replaces == []
    assert em.requests() == []


def test_create_is_one_post_and_read_back_has_no_diff(em: Emulator) -> None:
    p, inputs, created = create(KIND, {**QA, "description": "Quality assurance"})
    assert calls(em) == ["POST /environments"]
    assert created.outs["default"] is False
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /environments/{created.id}"]
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_refresh_reports_a_colour_changed_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, QA)
    retool.patch(
        f"/environments/{created.id}",
        json={"operations": [{"op": "replace", "path": "/color", "value": "#000000"}]},
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "color": "#000000"}
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_update_patches_only_the_changed_field(em: Emulator) -> None:
    p, _inputs, created = create(KIND, QA)
    em.clear_requests()
    news = checked(KIND, {**QA, "description": "now described"})
    p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PATCH /environments/{created.id}"]
    env = em.store.environments[created.id]
    assert env["description"] == "now described" and env["color"] == "#1E88E5"


def test_clearing_the_description_sends_null(em: Emulator) -> None:
    p, _inputs, created = create(KIND, {**QA, "description": "temporary"})
    p.update(created.id, with_provider_key(created.outs), checked(KIND, QA))
    assert em.store.environments[created.id]["description"] is None


def test_read_of_a_deleted_environment_returns_an_empty_id_and_delete_tolerates_404(
    em: Emulator, retool: RetoolClient
) -> None:
    p, _, created = create(KIND, QA)
    p.delete(created.id, with_provider_key(created.outs))
    assert created.id not in em.store.environments
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))


def test_adopt_id_takes_over_the_default_production_environment(em: Emulator) -> None:
    production = next(e for e in em.store.environments.values() if e["name"] == "production")
    p = RetoolProvider(KIND)
    inputs = {**checked(KIND, {"name": "production", "color": "#00FF00"}), "adopt_id": production["id"]}
    created = p.create(inputs)
    assert created.id == production["id"]
    assert "POST /environments" not in calls(em)
    assert production["color"] == "#00FF00"
    assert created.outs["default"] is True


def test_ambiguous_create_finds_the_applied_environment(em: Emulator) -> None:
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(checked(KIND, QA))
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /environments"]
    assert [e["id"] for e in em.store.environments.values() if e["name"] == "qa"] == [created.id]


def test_update_sends_a_patch_of_only_the_changed_fields(em: Emulator, bodies: BodySpy) -> None:
    p, _inputs, created = create(KIND, {**QA, "description": "old"})
    p.update(
        created.id,
        with_provider_key(created.outs),
        checked(KIND, {**QA, "color": "#ABCDEF", "description": "old"}),
    )
    assert bodies.bodies("PATCH") == [
        {"operations": [{"op": "replace", "path": "/color", "value": "#ABCDEF"}]}
    ]
