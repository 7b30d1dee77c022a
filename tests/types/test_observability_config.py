"""ObservabilityConfig (Sentry or Datadog) at the provider level, against the emulator."""

from __future__ import annotations

from types_support import calls, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, spec_for
from retool_pulumi.engine.values import UNKNOWN

KIND = "ObservabilityConfig"
DSN = "https://secret-key@o1.ingest.sentry.io/2"
SENTRY = {"config": {"provider": "Sentry", "dsn": DSN}, "enabled": True}
DATADOG = {"config": {"provider": "Datadog", "api_key": "dd-secret-key"}, "enabled": True}


def test_check_names_the_provider_and_its_fields_without_echoing_secrets(em: Emulator) -> None:
    reasons = failures(KIND, {"config": {"provider": "NewRelic", "dsn": DSN}, "enabled": True})
    assert set(reasons) == {"config"} and "'Sentry', 'Datadog'" in reasons["config"]
    reasons = failures(
        KIND, {"config": {"provider": "Datadog", "api_key": "dd-secret-key", "site": "MARS"}, "enabled": 1.5}
    )
    assert set(reasons) == {"config", "enabled"}
    assert "config.Datadog.site" in reasons["config"] and "'US1'" in reasons["config"]
    reasons = failures(KIND, {"config": {"provider": "Sentry"}, "enabled": True})
    assert "config.Sentry.dsn" in reasons["config"] and "required" in reasons["config"]
    assert not any("dd-secret-key" in r or DSN in r for r in reasons.values())
    assert em.requests() == []


def test_config_is_a_secret_and_datadog_site_defaults_to_us1(em: Emulator) -> None:
    assert spec_for(KIND).secret_fields == ["config"]
    assert checked(KIND, DATADOG)["config"] == {
        "provider": "Datadog",
        "api_key": "dd-secret-key",
        "site": "US1",
    }


def test_switching_provider_replaces_other_changes_update(em: Emulator) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, SENTRY))
    assert p.diff("c", olds, checked(KIND, DATADOG)).replaces == ["config"]
    d = p.diff(
        "c", olds, checked(KIND, {"config": {"provider": "Sentry", "dsn": DSN + "3"}, "enabled": False})
    )
    assert d.changes is True and d.replaces == []
    d = p.diff("c", olds, checked(KIND, {"config": UNKNOWN, "enabled": True}))
    assert d.changes is True and d.replaces == []  # decided once the config is known


def test_create_read_update_delete(em: Emulator) -> None:
    p, inputs, created = create(KIND, SENTRY)
    assert writes(em) == ["POST /observability/config"]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == ["GET /observability/config"]
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False

    news = checked(KIND, {**SENTRY, "enabled": False})
    em.clear_requests()
    p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PUT /observability/config/{created.id}"]
    assert em.store.observability_configs[created.id]["enabled"] is False

    p.delete(created.id, with_provider_key(news))
    assert em.store.observability_configs == {}
    assert p.read(created.id, with_provider_key(news)).id == ""
    p.delete(created.id, with_provider_key(news))  # Retool answers 422 "not found": still a success


def test_a_key_rotated_in_retool_is_drift(em: Emulator, retool: RetoolClient) -> None:
    p, inputs, created = create(KIND, DATADOG)
    retool.put(
        f"/observability/config/{created.id}",
        json={"config": {"provider": "Datadog", "api_key": "other", "site": "EU1"}},
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["config"]["site"] == "EU1"
    assert p.diff(created.id, read.outs, inputs).changes is True
    p.update(created.id, read.outs, inputs)
    assert em.store.observability_configs[created.id]["config"]["api_key"] == "dd-secret-key"


def test_ambiguous_create_finds_the_config_of_that_provider(em: Emulator) -> None:
    inputs = checked(KIND, SENTRY)
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(inputs)
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert list(em.store.observability_configs) == [created.id]
