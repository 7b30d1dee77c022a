"""ResourceConfiguration at the provider level, against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from types_support import calls, check, checked, create, failures, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.values import MASK, UNKNOWN

KIND = "ResourceConfiguration"
OPTIONS: dict[str, Any] = {
    "base_url": "https://staging.billing.example.com",
    "headers": [["X-Env", "staging"]],
}
WITH_SECRET: dict[str, Any] = {
    "base_url": "https://staging.billing.example.com",
    "authentication_options": {"authentication_type": "bearer", "bearer_token": "b-s3cr3t"},
}


@pytest.fixture
def target(em: Emulator, retool: RetoolClient) -> dict[str, str]:
    """A REST API resource and a staging environment, made in Retool."""
    resource = retool.post(
        "/resources",
        json={"type": "restapi", "display_name": "Billing", "options": {"base_url": "https://b"}},
    )
    env = retool.post("/environments", json={"name": "stage", "color": "#FFAA00"})
    em.clear_requests()
    return {"resource_id": resource["id"], "environment_id": env["id"]}


def test_check_validates_options_without_echoing_them(em: Emulator, target: dict[str, str]) -> None:
    result = check(KIND, {**target, "options": {"password": "hunter2", "zzz": 1}})
    assert [f.property for f in result.failures] == ["options"]
    assert "does not match any allowed schema" in result.failures[0].reason
    assert "hunter2" not in result.failures[0].reason
    assert "dictionary" in failures(KIND, {**target, "options": "hunter2"})["options"]
    assert "hunter2" not in failures(KIND, {**target, "options": "hunter2"})["options"]
    assert set(failures(KIND, {"options": OPTIONS})) == {"resource_id", "environment_id"}
    assert em.requests() == []


def test_resource_and_environment_replace_while_options_update(em: Emulator, target: dict[str, str]) -> None:
    p = RetoolProvider(KIND)
    olds = with_provider_key(checked(KIND, {**target, "options": OPTIONS}))
    assert p.diff("c", olds, {**olds, "environment_id": "other"}).replaces == ["environment_id"]
    assert p.diff("c", olds, {**olds, "resource_id": UNKNOWN}).replaces == ["resource_id"]
    d = p.diff("c", olds, checked(KIND, {**target, "options": {**OPTIONS, "base_url": UNKNOWN}}))
    assert d.changes is True and d.replaces == []
    assert em.requests() == []


def test_a_removed_option_key_is_a_change(em: Emulator, target: dict[str, str]) -> None:
    olds = with_provider_key(checked(KIND, {**target, "options": OPTIONS}))
    news = checked(KIND, {**target, "options": {"base_url": OPTIONS["base_url"]}})
    assert RetoolProvider(KIND).diff("c", olds, news).changes is True


def test_create_is_one_post_and_read_back_has_no_diff_despite_masks_and_server_defaults(
    em: Emulator, target: dict[str, str]
) -> None:
    p, inputs, created = create(KIND, {**target, "options": OPTIONS})
    assert calls(em) == ["POST /resource_configurations"]
    em.clear_requests()
    read = p.read(created.id, with_provider_key(created.outs))
    assert calls(em) == [f"GET /resource_configurations/{created.id}"]
    # Retool added authentication_options {authentication_type: none} on its own: not a change.
    assert "authentication_options" in em.store.resource_configurations[created.id]["_options"]
    assert read.inputs == inputs
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_secrets_masked_by_retool_keep_their_declared_value(em: Emulator, target: dict[str, str]) -> None:
    p, inputs, created = create(KIND, {**target, "options": WITH_SECRET})
    read = p.read(created.id, with_provider_key(created.outs))
    assert MASK not in str(read.outs) and MASK not in str(read.inputs)
    assert read.inputs["options"] == WITH_SECRET
    assert p.diff(created.id, read.outs, inputs).changes is False
    stored = em.store.resource_configurations[created.id]["_options"]
    assert stored["authentication_options"]["bearer_token"] == "b-s3cr3t"


def test_refresh_reports_options_changed_in_retool(
    em: Emulator, retool: RetoolClient, target: dict[str, str]
) -> None:
    p, inputs, created = create(KIND, {**target, "options": OPTIONS})
    retool.patch(
        f"/resource_configurations/{created.id}",
        json={"operations": [{"op": "replace", "path": "/options", "value": {"base_url": "https://moved"}}]},
    )
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["options"] == {"base_url": "https://moved"}
    assert p.diff(created.id, read.outs, inputs).changes is True
    p.update(created.id, read.outs, inputs)
    assert em.store.resource_configurations[created.id]["_options"]["headers"] == OPTIONS["headers"]


def test_update_sends_the_new_options(em: Emulator, target: dict[str, str]) -> None:
    p, _inputs, created = create(KIND, {**target, "options": OPTIONS})
    em.clear_requests()
    news = checked(KIND, {**target, "options": WITH_SECRET})
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert writes(em) == [f"PATCH /resource_configurations/{created.id}"]
    assert em.store.resource_configurations[created.id]["_options"] == WITH_SECRET
    assert updated.outs["options"] == WITH_SECRET


def test_read_of_a_deleted_configuration_returns_an_empty_id_and_delete_tolerates_404(
    em: Emulator, target: dict[str, str]
) -> None:
    p, _, created = create(KIND, {**target, "options": OPTIONS})
    p.delete(created.id, with_provider_key(created.outs))
    assert created.id not in em.store.resource_configurations
    assert p.read(created.id, with_provider_key(created.outs)).id == ""
    p.delete(created.id, with_provider_key(created.outs))


def test_adopt_id_sends_the_declared_options(
    em: Emulator, retool: RetoolClient, target: dict[str, str]
) -> None:
    existing = retool.post(
        "/resource_configurations", json={**target, "options": {"base_url": "https://old"}}
    )
    em.clear_requests()
    created = RetoolProvider(KIND).create(
        {**checked(KIND, {**target, "options": WITH_SECRET}), "adopt_id": existing["id"]}
    )
    assert created.id == existing["id"]
    assert "POST /resource_configurations" not in calls(em)
    assert em.store.resource_configurations[existing["id"]]["_options"] == WITH_SECRET


def test_ambiguous_create_finds_the_applied_configuration(em: Emulator, target: dict[str, str]) -> None:
    em.set_faults(drop_after_apply_rate=1.0)
    try:
        created = RetoolProvider(KIND).create(checked(KIND, {**target, "options": OPTIONS}))
    finally:
        em.set_faults(drop_after_apply_rate=0.0)
    assert writes(em) == ["POST /resource_configurations"]
    assert list(em.store.resource_configurations) == [created.id]
