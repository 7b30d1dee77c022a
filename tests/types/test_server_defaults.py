"""A value the server adds on its own (a resource configuration's `authentication_options` of
`none`) is no change when the program leaves it out; declared, or changed in Retool, it is
compared like any other value."""

from __future__ import annotations

from typing import Any

import pytest
from types_support import create, with_provider_key

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator

KIND = "ResourceConfiguration"
OPTIONS: dict[str, Any] = {"base_url": "https://staging.billing.example.com"}
NONE = {"authentication_type": "none"}


@pytest.fixture
def target(em: Emulator, retool: RetoolClient) -> dict[str, str]:
    resource = retool.post(
        "/resources",
        json={"type": "restapi", "display_name": "Billing", "options": {"base_url": "https://b"}},
    )
    env = retool.post("/environments", json={"name": "stage", "color": "#FFAA00"})
    return {"resource_id": resource["id"], "environment_id": env["id"]}


def test_the_default_declared_explicitly_is_kept_and_no_change(em: Emulator, target: dict[str, str]) -> None:
    declared = {**OPTIONS, "authentication_options": NONE}
    p, inputs, created = create(KIND, {**target, "options": declared})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["options"] == declared
    assert p.diff(created.id, read.outs, inputs).changes is False


def test_another_value_set_in_retool_is_a_change(
    em: Emulator, retool: RetoolClient, target: dict[str, str]
) -> None:
    p, inputs, created = create(KIND, {**target, "options": OPTIONS})
    basic = {"authentication_type": "basic", "basic_username": "u", "basic_password": "p"}
    patch = [{"op": "replace", "path": "/options", "value": {**OPTIONS, "authentication_options": basic}}]
    retool.patch(f"/resource_configurations/{created.id}", json={"operations": patch})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["options"]["authentication_options"]["authentication_type"] == "basic"
    assert p.diff(created.id, read.outs, inputs).changes is True


def test_an_answer_without_the_default_is_no_change(
    em: Emulator, retool: RetoolClient, target: dict[str, str]
) -> None:
    p, inputs, created = create(KIND, {**target, "options": OPTIONS})
    data = dict(retool.get(f"/resource_configurations/{created.id}"))
    data["options"] = {k: v for k, v in data["options"].items() if k != "authentication_options"}
    answer = {"status": 200, "body": {"success": True, "data": data}}
    em.set_faults(canned_answers={f"GET /resource_configurations/{created.id}": answer})
    read = p.read(created.id, with_provider_key(created.outs))
    assert read.inputs["options"] == OPTIONS
    assert p.diff(created.id, read.outs, inputs).changes is False
