"""CustomComponentLibrary at the provider level, against the emulator."""

from __future__ import annotations

import logging

import pytest
from types_support import BodySpy, calls, checked, create, failures, with_provider_key

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.errors import BadRequestError

KIND = "CustomComponentLibrary"
CHARTS = {"name": "charts", "label": "Charts"}


def test_check_names_missing_fields(em: Emulator) -> None:
    reasons = failures(KIND, {"name": "", "description": 3})
    assert set(reasons) == {"name", "label", "description"}
    assert "at least 1" in reasons["name"] and "required" in reasons["label"]
    assert em.requests() == []


def test_every_change_replaces(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, CHARTS))
    d = p.diff("l", olds, checked(KIND, {"name": "charts2", "label": "Charts 2"}))
    assert sorted(d.replaces) == ["label", "name"]


def test_create_sends_a_null_description_and_reads_back_clean(em: Emulator, bodies: BodySpy) -> None:
    p, inputs, created = create(KIND, CHARTS)
    assert bodies.bodies("POST") == [
        {"name": "charts", "label": "Charts", "description": None, "id": created.id}
    ]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /custom_component_libraries/{created.id}"]
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False
    em.store.custom_component_libraries[created.id]["label"] = "Edited"  # no API edits it; Retool's UI might
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["label"] == "Edited" and p.diff(created.id, read.outs, inputs).replaces == ["label"]


def test_delete_leaves_the_library_and_says_so(em: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    p, _, created = create(KIND, {**CHARTS, "description": "Charts for dashboards"})
    em.clear_requests()
    with caplog.at_level(logging.WARNING, logger="retool_pulumi"):
        p.delete(created.id, with_provider_key(created.outs))
    assert em.requests() == [] and created.id in em.store.custom_component_libraries
    assert "cannot delete" in caplog.text and "'charts'" in caplog.text
    del em.store.custom_component_libraries[created.id]
    assert p.read(created.id, with_provider_key(created.outs)).id == ""


def test_ambiguous_create_finds_the_library_by_the_id_it_chose(em: Emulator) -> None:
    # Issue #11 item 7: GET /custom_component_libraries requires `libraryId`, so there is no
    # listing to look a library up by name in; the provider chooses the id (the POST takes one)
    # and looks that id up.
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        _, _, created = create(KIND, CHARTS)
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert [c for c in calls(em) if c.startswith("POST")] == ["POST /custom_component_libraries"]
    assert list(em.store.custom_component_libraries) == [created.id]
    assert em.store.custom_component_libraries[created.id]["name"] == "charts"


def test_the_chosen_id_is_the_same_for_the_same_name(em: Emulator) -> None:
    _, _, first = create(KIND, CHARTS)
    em.store.custom_component_libraries.clear()
    _, _, again = create(KIND, {**CHARTS, "label": "Other label"})
    assert again.id == first.id
    _, _, other = create(KIND, {"name": "maps", "label": "Maps"})
    assert other.id != first.id


def test_emulator_lists_libraries_only_by_id_like_production(em: Emulator, retool: RetoolClient) -> None:
    _, _, created = create(KIND, CHARTS)
    with pytest.raises(BadRequestError, match="libraryId"):
        retool.get("/custom_component_libraries")
    listed = retool.get("/custom_component_libraries", params={"libraryId": created.id})
    assert [lib["id"] for lib in listed] == [created.id]
