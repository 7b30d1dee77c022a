"""SourceControlSettings (a singleton) at the provider level, against the emulator."""

from __future__ import annotations

from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import UNKNOWN
from retool_pulumi.types.source_control import SETTINGS_DEFAULTS

KIND = "SourceControlSettings"
LOCKED = {"version_control_locked": True, "auto_cleanup_branches_enabled": True}


def test_check_wants_a_template_when_custom_templates_are_enabled(em: Emulator) -> None:
    reasons = failures(KIND, {"custom_pull_request_template_enabled": True})
    assert set(reasons) == {"custom_pull_request_template"}
    assert "custom_pull_request_template_enabled" in reasons["custom_pull_request_template"]
    assert em.requests() == []


def test_check_names_a_wrongly_typed_setting(em: Emulator) -> None:
    reasons = failures(KIND, {"force_uuid_mapping": "sometimes"})
    assert set(reasons) == {"force_uuid_mapping"} and "boolean" in reasons["force_uuid_mapping"]
    assert em.requests() == []


def test_unknown_setting_passes_check_and_diff_reports_a_change(em: Emulator) -> None:
    news = checked(KIND, {**LOCKED, "version_control_locked": UNKNOWN})
    d = RetoolProvider(KIND).diff("source_control_settings", with_provider_key(LOCKED), news)
    assert d.changes is True and d.replaces == []
    assert em.requests() == []


def test_create_adopts_the_settings_and_manages_only_declared_ones(em: Emulator) -> None:
    before = dict(em.store.source_control_settings)
    p, inputs, created = create(KIND, LOCKED)
    assert writes(em) == ["PUT /source_control/settings"]
    assert created.id == "source_control_settings"
    settings = em.store.source_control_settings
    assert settings == {**before, **LOCKED}  # the undeclared settings are left as they were
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["GET /source_control/settings"]
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_refresh_reports_a_declared_setting_changed_in_retool(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, LOCKED)
    retool.put(
        "/source_control/settings",
        json={"settings": {"version_control_locked": False, "force_uuid_mapping": True}},
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs == {**inputs, "version_control_locked": False}  # force_uuid_mapping is not managed
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_update_puts_the_declared_settings(em: Emulator) -> None:
    p, _inputs, created = create(KIND, LOCKED)
    em.clear_requests()
    news = checked(
        KIND, {**LOCKED, "custom_pull_request_template_enabled": True, "custom_pull_request_template": "x"}
    )
    p.update(created.id, with_provider_key(created.outs), news)
    # PUT overwrites every setting (says the spec): the current ones are read and sent along.
    assert calls(em) == ["GET /source_control/settings", "PUT /source_control/settings"]
    assert em.store.source_control_settings["custom_pull_request_template"] == "x"
    assert em.store.source_control_settings["version_control_locked"] is True


def test_delete_restores_the_defaults(em: Emulator) -> None:
    p, _, created = create(KIND, LOCKED)
    p.delete(created.id, with_provider_key(created.outs))
    settings = em.store.source_control_settings
    assert {k: settings[k] for k in SETTINGS_DEFAULTS} == SETTINGS_DEFAULTS
