"""ConfigurationVariable at the provider level, against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from types_support import calls, check, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import MASK, UNKNOWN

KIND = "ConfigurationVariable"


@pytest.fixture
def envs(em: Emulator, retool: RetoolClient) -> tuple[str, str]:
    """(production id, a second environment's id)."""
    production = next(e["id"] for e in em.store.environments.values() if e["name"] == "production")
    other = retool.post("/environments", json={"name": "qa", "color": "#123456"})["id"]
    em.clear_requests()
    return production, other


def secret_var(prod: str, other: str, **extra: Any) -> dict[str, Any]:
    values = [{"environment_id": prod, "value": "p-s3cr3t"}, {"environment_id": other, "value": "q-s3cr3t"}]
    return {"name": "API_KEY", "secret": True, "values": values, **extra}


def test_check_rejects_two_values_for_one_environment_without_echoing_them(
    em: Emulator, envs: tuple[str, str]
) -> None:
    prod, _ = envs
    news = {"name": "K", "secret": True, "values": [{"environment_id": prod, "value": "s3cr3t-1"}] * 2}
    result = check(KIND, news)
    assert [f.property for f in result.failures] == ["values"]
    reason = result.failures[0].reason
    assert "one value per environment" in reason and prod in reason
    assert "s3cr3t" not in reason
    assert em.requests() == []


def test_check_never_echoes_a_wrongly_typed_secret_value(em: Emulator, envs: tuple[str, str]) -> None:
    prod, _ = envs
    reasons = failures(
        KIND, {"name": "K", "secret": True, "values": [{"environment_id": prod, "value": 9.0}]}
    )
    assert "values[0].value" in reasons["values"] and "string" in reasons["values"]
    assert "9" not in reasons["values"].split("values[0].value")[1]
    plain = failures(KIND, {"name": "K", "secret": False, "values": [{"environment_id": prod, "value": 9.0}]})
    assert "(got 9)" in plain["values"]
    assert em.requests() == []


def test_check_requires_name_secret_and_values_and_rejects_unknown_keys(em: Emulator) -> None:
    assert set(failures(KIND, {})) == {"name", "secret", "values"}
    reasons = failures(KIND, {"name": "K", "secret": False, "values": [{"env": "x", "value": "v"}]})
    assert "environment_id" in reasons["values"] and "env" in reasons["values"]
    assert em.requests() == []


def test_check_sorts_values_by_environment(em: Emulator, envs: tuple[str, str]) -> None:
    prod, other = envs
    inputs = checked(KIND, secret_var(prod, other))
    ids = [v["environment_id"] for v in inputs["values"]]
    assert ids == sorted(ids)


def test_unknown_values_pass_check_and_diff_reports_a_change(em: Emulator, envs: tuple[str, str]) -> None:
    prod, other = envs
    olds = with_provider_key(checked(KIND, secret_var(prod, other)))
    news = checked(KIND, {**secret_var(prod, other), "values": [{"environment_id": prod, "value": UNKNOWN}]})
    d = RetoolProvider(KIND).diff("v", olds, news)
    assert d.changes is True and d.replaces == []
    news = checked(KIND, {**secret_var(prod, other), "values": UNKNOWN})
    assert RetoolProvider(KIND).diff("v", olds, news).changes is True
    assert em.requests() == []


def test_removing_an_environment_value_is_a_change(em: Emulator, envs: tuple[str, str]) -> None:
    prod, other = envs
    olds = with_provider_key(checked(KIND, secret_var(prod, other)))
    news = checked(
        KIND, {**secret_var(prod, other), "values": [{"environment_id": prod, "value": "p-s3cr3t"}]}
    )
    assert RetoolProvider(KIND).diff("v", olds, news).changes is True


def test_secret_values_masked_by_retool_keep_their_declared_value(
    em: Emulator, envs: tuple[str, str]
) -> None:
    prod, other = envs
    p, inputs, created = create(KIND, secret_var(prod, other, default_value="fallback"))
    assert calls(em) == ["POST /configuration_variables"]
    assert created.outs["values"] == inputs["values"]
    assert created.outs["default_value"] == "fallback"
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /configuration_variables/{created.id}"]
    assert MASK not in str(read.outs) and MASK not in str(read.inputs)
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False
    # Retool really has the values.
    stored = em.store.configuration_variables[created.id]
    assert sorted(v["value"] for v in stored["values"]) == ["p-s3cr3t", "q-s3cr3t"]


def test_refresh_reports_a_plain_value_changed_in_retool(
    em: Emulator, retool: RetoolClient, envs: tuple[str, str]
) -> None:
    prod, other = envs
    news = {"name": "REGION", "secret": False, "values": [{"environment_id": prod, "value": "eu"}]}
    p, inputs, created = create(KIND, news)
    retool.put(
        f"/configuration_variables/{created.id}",
        json={
            **news,
            "values": [{"environment_id": prod, "value": "us"}, {"environment_id": other, "value": "x"}],
        },
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert [v["value"] for v in read.inputs["values"]] == ["us", "x"] or [
        v["value"] for v in read.inputs["values"]
    ] == ["x", "us"]
    assert p.diff(created.id, read.outs, inputs).changes is True
    p.update(created.id, read.outs, inputs)
    assert em.store.configuration_variables[created.id]["values"] == [{"environment_id": prod, "value": "eu"}]


def test_update_puts_the_new_values(em: Emulator, envs: tuple[str, str]) -> None:
    prod, other = envs
    p, _inputs, created = create(KIND, secret_var(prod, other))
    em.clear_requests()
    news = checked(
        KIND, {**secret_var(prod, other), "values": [{"environment_id": prod, "value": "rotated"}]}
    )
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PUT /configuration_variables/{created.id}"]
    assert em.store.configuration_variables[created.id]["values"] == [
        {"environment_id": prod, "value": "rotated"}
    ]
    assert updated.outs["values"] == [{"environment_id": prod, "value": "rotated"}]


def test_read_of_a_deleted_variable_returns_an_empty_id_and_delete_tolerates_404(
    em: Emulator, envs: tuple[str, str]
) -> None:
    prod, other = envs
    p, _, created = create(KIND, secret_var(prod, other))
    p.delete(created.id, with_provider_key(created.outs))
    assert created.id not in em.store.configuration_variables
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))


def test_adopting_a_secret_variable_sends_the_declared_values(
    em: Emulator, retool: RetoolClient, envs: tuple[str, str]
) -> None:
    prod, other = envs
    existing = retool.post(
        "/configuration_variables",
        json={"name": "API_KEY", "secret": True, "values": [{"environment_id": prod, "value": "old"}]},
    )
    em.clear_requests()
    inputs = {
        **checked(KIND, {**secret_var(prod, other), "values": [{"environment_id": prod, "value": "new"}]})
    }
    created = RetoolProvider(KIND).create({**inputs, "adopt_id": existing["id"]})
    assert created.id == existing["id"]
    assert "POST /configuration_variables" not in calls(em)
    # Retool masks the current value, so it cannot be compared: the declared one is sent.
    assert em.store.configuration_variables[existing["id"]]["values"] == [
        {"environment_id": prod, "value": "new"}
    ]


def test_ambiguous_create_finds_the_applied_variable(em: Emulator, envs: tuple[str, str]) -> None:
    prod, other = envs
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(checked(KIND, secret_var(prod, other)))
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /configuration_variables"]
    named = [v["id"] for v in em.store.configuration_variables.values() if v["name"] == "API_KEY"]
    assert named == [created.id]


@pytest.mark.parametrize("secret", [False, True])
def test_a_declared_default_value_that_a_read_omits_is_no_diff(
    em: Emulator, envs: tuple[str, str], secret: bool
) -> None:
    # Issue #11 item 10: production omits `default_value` when it holds none; a read that omits
    # a declared one (however that happens) must not turn into a perpetual diff.
    prod, other = envs
    p, inputs, created = create(KIND, secret_var(prod, other, secret=secret, default_value="fallback"))
    del em.store.configuration_variables[created.id]["default_value"]
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["default_value"] == "fallback"
    assert read.inputs == inputs and p.diff(created.id, read.outs, inputs).changes is False
    em.store.configuration_variables[created.id]["default_value"] = "edited in Retool"
    read = p.read(created.id, with_provider_key(created.outs))
    if not secret:
        assert read.inputs["default_value"] == "edited in Retool"
