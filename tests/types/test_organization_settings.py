"""OrganizationSettings (a singleton) at the provider level, against the emulator."""

from __future__ import annotations

import logging

import pytest
from types_support import BodySpy, calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator

KIND = "OrganizationSettings"
STRICT = {
    "two_factor_auth_required": True,
    "two_factor_auth_type": "otp",
    "javascript_links": ["https://cdn/x.js"],
}


def test_check_names_the_setting_and_what_is_allowed(em: Emulator) -> None:
    reasons = failures(
        KIND, {"two_factor_auth_type": "sms", "workflow_run_retention_period_mins": -5, "colour": "x"}
    )
    assert set(reasons) == {"two_factor_auth_type", "workflow_run_retention_period_mins", "colour"}
    assert "'fido2' or 'otp'" in reasons["two_factor_auth_type"]
    assert "greater than 0" in reasons["workflow_run_retention_period_mins"]
    assert "no property 'colour'" in reasons["colour"]
    assert em.requests() == []


def test_create_adopts_and_patches_only_the_declared_settings(em: Emulator, bodies: BodySpy) -> None:
    before = dict(em.store.organization)
    p, inputs, created = create(KIND, STRICT)
    assert created.id == "organization"
    assert writes(em) == ["PATCH /organization/"]
    ops = bodies.bodies("PATCH")[0]["operations"]
    assert sorted(op["path"] for op in ops) == [
        "/javascript_links",
        "/two_factor_auth_required",
        "/two_factor_auth_type",
    ]
    assert em.store.organization == {**before, **STRICT}
    assert created.outs["organization_id"] == before["id"]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["GET /organization/"]
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False


def test_drift_in_a_declared_setting_only(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, STRICT)
    ops = [
        {"op": "replace", "path": "/two_factor_auth_required", "value": False},
        {"op": "replace", "path": "/preloaded_css", "value": "body {}"},
    ]
    retool.patch("/organization/", json={"operations": ops})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "two_factor_auth_required": False}  # preloaded_css is not managed
    assert p.diff(created.id, read.outs, inputs).changes is True
    em.clear_requests()
    p.update(created.id, read.outs, inputs)
    assert writes(em) == ["PATCH /organization/"]
    assert em.store.organization["two_factor_auth_required"] is True
    assert em.store.organization["preloaded_css"] == "body {}"


def test_a_setting_no_longer_declared_is_left_as_it_is(em: Emulator, bodies: BodySpy) -> None:
    p, _, created = create(KIND, STRICT)
    news = checked(KIND, {"two_factor_auth_required": True})
    p.update(created.id, with_provider_key(created.outs), news)
    assert em.store.organization["two_factor_auth_type"] == "otp"


def test_delete_leaves_the_settings_and_says_so(em: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    p, _, created = create(KIND, STRICT)
    after = dict(em.store.organization)
    em.clear_requests()
    with caplog.at_level(logging.WARNING, logger="retool_pulumi"):
        p.delete(created.id, with_provider_key(created.outs))
    assert writes(em) == [] and em.store.organization == after
    assert "left as they are" in caplog.text
