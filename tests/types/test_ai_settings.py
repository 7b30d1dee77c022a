"""AiSettings (a singleton) at the provider level, against the emulator."""

from __future__ import annotations

import logging

import pytest
from types_support import BodySpy, calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator

KIND = "AiSettings"


def test_check_names_the_switch(em: Emulator) -> None:
    reasons = failures(KIND, {"retool_vector": "maybe", "retoolAI": True})
    assert set(reasons) == {"retool_vector", "retoolAI"} and "boolean" in reasons["retool_vector"]
    assert em.requests() == []


def test_create_adopts_and_puts_every_switch_with_the_declared_ones(em: Emulator, bodies: BodySpy) -> None:
    p, inputs, created = create(KIND, {"retool_vector": False})
    assert created.id == "ai_settings"
    assert writes(em) == ["PUT /organization/ai_settings"]
    # PUT takes every switch: the undeclared ones are sent as they are.
    assert bodies.bodies("PUT") == [
        {"retoolAI": True, "retoolAIActions": True, "retoolVector": False, "retoolAskAI": True}
    ]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["GET /organization/ai_settings"]
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False


def test_drift_update_and_delete(
    em: Emulator, retool: RetoolClient, caplog: pytest.LogCaptureFixture
) -> None:
    p, inputs, created = create(KIND, {"retool_vector": False, "retool_ask_ai": False})
    retool.put(
        "/organization/ai_settings",
        json={"retoolAI": False, "retoolAIActions": True, "retoolVector": True, "retoolAskAI": False},
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {"retool_vector": True, "retool_ask_ai": False}  # retoolAI is not managed
    assert p.diff(created.id, read.outs, inputs).changes is True
    p.update(created.id, read.outs, checked(KIND, {"retool_vector": False, "retool_ask_ai": True}))
    assert em.store.ai_settings == {
        "retoolAI": False,
        "retoolAIActions": True,
        "retoolVector": False,
        "retoolAskAI": True,
    }
    with caplog.at_level(logging.WARNING, logger="retool_pulumi"):
        p.delete(created.id, with_provider_key(created.outs))
    assert em.store.ai_settings["retoolVector"] is False and "left as they are" in caplog.text
