"""One source of truth for what production accepts: the provider's check and the emulator's
request validation compile the same patched spec (`retool_pulumi.openapi.production_document`),
so neither accepts what the other rejects."""

from __future__ import annotations

from typing import Any

import pytest

from retool_pulumi import openapi
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import DIVERGENCES, Emulator
from retool_pulumi.engine import RetoolProvider, all_specs
from retool_pulumi.errors import BadRequestError
from retool_pulumi.openapi import REQUEST_DIVERGENCES, compile_schema

PROVIDER_KEY = "__provider"


def test_every_divergence_says_where_it_comes_from() -> None:
    for d in DIVERGENCES:
        assert d.source.strip(), f"divergence {d.key} cites no source"
    keys = [d.key for d in DIVERGENCES]
    assert len(keys) == len(set(keys))


def test_the_emulator_takes_production_request_patches_from_the_product() -> None:
    emulated = [d for d in DIVERGENCES if d.applies_to_requests]
    assert emulated == REQUEST_DIVERGENCES  # the same entries, not copies that could drift apart
    assert all(d.applies_to_requests for d in REQUEST_DIVERGENCES)


def _bad_values(schema: dict[str, Any]) -> list[Any]:
    """Values the schema of one top-level body field rejects."""
    out: list[Any] = []
    kind = schema.get("type")
    if "maxLength" in schema:
        out.append("x" * (schema["maxLength"] + 1))
    if schema.get("minLength", 0) > 0:
        out.append("")
    if kind == "string" and "enum" in schema:
        out.append("not-an-allowed-value")
    if "pattern" in schema:
        out.append("!! no match !!")
    if kind in ("boolean", "integer", "number", "array", "object"):
        out.append("some text")
    return out


def test_what_check_lets_through_is_what_production_accepts() -> None:
    """For every type whose create body carries its inputs as they are, a value production's
    schema rejects either fails check on that field or is normalised by check into one it
    accepts (e.g. "yes" -> true): `pulumi preview` fails where `up` would."""
    probed = 0
    doc = openapi.production_document()
    for spec in all_specs():
        op = (doc["paths"].get(spec.collection) or {}).get("post") or {}
        props = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
        props = props.get("schema", {}).get("properties", {})
        for name in (f for f in spec.fields if f in props):
            fits = compile_schema(props[name])
            for value in _bad_values(props[name]):
                probed += 1
                result = RetoolProvider(spec.kind).check({}, {name: value, PROVIDER_KEY: "p"})
                if name in {f.property for f in result.failures}:
                    continue
                sent = result.inputs.get(name)
                assert fits(sent, name) is None, (
                    f"{spec.kind}.{name}: check lets {value!r} through as {sent!r}"
                )
    assert probed > 40


# (type, inputs, the request the provider sends for them)
AGREEMENT: list[tuple[str, dict[str, Any], str, str, dict[str, Any]]] = [
    (
        "SourceControl",
        {
            "provider": "Bitbucket",
            "org": "o",
            "repo": "r",
            "default_branch": "main",
            "config": {"username": "u", "app_password": "p"},
        },
        "PUT",
        "/source_control/config",
        {
            "config": {
                "provider": "Bitbucket",
                "org": "o",
                "repo": "r",
                "default_branch": "main",
                "config": {"username": "u", "app_password": "p"},
            }
        },
    ),
    (
        "Folder",
        {"name": "Invoices", "folder_type": "file"},
        "POST",
        "/folders",
        {"name": "Invoices", "folder_type": "file"},
    ),
    (
        "Folder",
        {"name": "X", "folder_type": "dashboard"},
        "POST",
        "/folders",
        {"name": "X", "folder_type": "dashboard"},
    ),
    (
        "User",
        {"email": "ada@example.com", "first_name": "A" * 37, "last_name": "L"},
        "POST",
        "/users",
        {"email": "ada@example.com", "first_name": "A" * 37, "last_name": "L"},
    ),
    (
        "User",
        {"email": "ada@example.com", "first_name": "A" * 36, "last_name": "L"},
        "POST",
        "/users",
        {"email": "ada@example.com", "first_name": "A" * 36, "last_name": "L"},
    ),
]


@pytest.mark.parametrize(("kind", "inputs", "method", "path", "body"), AGREEMENT)
def test_check_and_the_emulator_agree(
    kind: str,
    inputs: dict[str, Any],
    method: str,
    path: str,
    body: dict[str, Any],
    retool_client: RetoolClient,
    retool_emulator: Emulator,
) -> None:
    checked = RetoolProvider(kind).check({}, {**inputs, PROVIDER_KEY: "p"})
    try:
        retool_client.request(method, path, json=body)
        accepted = True
    except BadRequestError:
        accepted = False
    assert (not checked.failures) == accepted, [(f.property, f.reason) for f in checked.failures]
