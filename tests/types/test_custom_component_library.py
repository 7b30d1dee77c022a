"""CustomComponentLibrary at the provider level, against the emulator."""

from __future__ import annotations

import logging
import uuid

import pytest
from types_support import BodySpy, calls, checked, create, failures, with_provider_key

from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.types.custom_component_library import _LIBRARY_IDS as LIBRARY_IDS

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
        {
            "id": str(uuid.uuid5(LIBRARY_IDS, "charts")),
            "name": "charts",
            "label": "Charts",
            "description": None,
        }
    ]
    assert created.id == str(uuid.uuid5(LIBRARY_IDS, "charts"))  # found by name after a lost answer
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
