"""Types Retool cannot change in place (access tokens, custom component libraries): an update is
only ever an adopted object that already matches, and a token whose create answer was lost is
found by what it was made like and when."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from types_support import checked, with_provider_key

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, spec_for
from retool_pulumi.errors import NotFoundError, RetoolError

TOKEN: dict[str, Any] = {"label": "ci-bot", "scopes": ["apps:write", "apps:read"], "description": "CI"}
LIBRARY: dict[str, Any] = {"name": "charts", "label": "Charts", "description": "Chart components"}


@pytest.mark.parametrize(
    ("kind", "declared", "change"),
    [
        ("AccessToken", TOKEN, {"description": "changed"}),
        ("CustomComponentLibrary", LIBRARY, {"label": "Other"}),
    ],
)
def test_an_update_of_an_unchangeable_type_is_refused_naming_the_fields(
    em: Emulator, kind: str, declared: dict[str, Any], change: dict[str, Any]
) -> None:
    p = RetoolProvider(kind)
    inputs = checked(kind, declared)
    created = p.create(inputs)
    same = p.update(created.id, with_provider_key(created.outs), inputs)
    assert same.outs[next(iter(change))] == inputs[next(iter(change))]
    with pytest.raises(RetoolError, match=f"cannot be changed in place.*differs in {next(iter(change))}"):
        p.update(created.id, with_provider_key(created.outs), {**inputs, **change})


def test_an_update_of_a_token_gone_from_retool_says_so(em: Emulator) -> None:
    p = RetoolProvider("AccessToken")
    inputs = checked("AccessToken", TOKEN)
    created = p.create(inputs)
    del em.store.access_tokens[created.id]
    with pytest.raises(NotFoundError) as raised:
        p.update(created.id, with_provider_key(created.outs), inputs)
    assert raised.value.status == 404


def test_an_update_of_a_library_gone_from_retool_says_so(em: Emulator, retool: RetoolClient) -> None:
    p = RetoolProvider("CustomComponentLibrary")
    inputs = checked("CustomComponentLibrary", LIBRARY)
    created = p.create(inputs)
    em.store.custom_component_libraries.pop(created.id)
    with pytest.raises(NotFoundError) as raised:
        p.update(created.id, with_provider_key(created.outs), inputs)
    assert raised.value.status == 404


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_tokens_made_like_it_since_a_moment_are_found(em: Emulator, retool: RetoolClient) -> None:
    spec = spec_for("AccessToken")
    p = RetoolProvider("AccessToken")
    inputs = checked("AccessToken", TOKEN)
    made = [p.create(inputs).id for _ in range(4)]
    other = p.create(checked("AccessToken", {**TOKEN, "description": "other"})).id
    since = datetime(2030, 1, 1, tzinfo=timezone.utc)
    stamps = {
        made[0]: _stamp(since - timedelta(seconds=1)),  # before: not it
        made[1]: _stamp(since),  # at the moment itself: counts
        made[2]: "2030-01-01T00:00:05",  # no zone: read as UTC
        made[3]: "not a time",  # unreadable: counts as recent
        other: _stamp(since + timedelta(seconds=1)),  # made like something else
    }
    listed = [
        {**t, "created_at": stamps.get(t["id"], t["created_at"])} for t in retool.list_all("/access_tokens")
    ]
    body = {
        "success": True,
        "data": listed,
        "total_count": len(listed),
        "next_token": None,
        "has_more": False,
    }
    em.set_faults(canned_answers={"GET /access_tokens": {"status": 200, "body": body}})
    found = sorted(t["id"] for t in spec.find_created_since(retool, inputs, since))
    assert found == sorted(made[1:])
    everything = sorted(t["id"] for t in spec.find_created_since(retool, inputs, None))
    assert everything == sorted(made)
    # Scopes are a set: the same scopes in another order are the same token.
    reordered = {**inputs, "scopes": list(reversed(inputs["scopes"]))}
    assert sorted(t["id"] for t in spec.find_created_since(retool, reordered, None)) == sorted(made)


def test_a_role_and_a_role_grant_updated_with_nothing_to_send_must_still_exist(
    em: Emulator, retool: RetoolClient
) -> None:
    role_p = RetoolProvider("Role")
    role_inputs = checked(
        "Role", {"name": "Auditor", "object_scopes": ["apps:read"], "organization_scopes": []}
    )
    role = role_p.create(role_inputs)
    gid = str(retool.post("/groups", json={"name": "Ops"})["id"])
    grant_p = RetoolProvider("RoleGrant")
    grant_inputs = checked("RoleGrant", {"role_id": role.id, "subject_type": "group", "subject_id": gid})
    grant = grant_p.create(grant_inputs)
    assert grant_p.update(grant.id, with_provider_key(grant.outs), grant_inputs).outs["role_id"] == role.id
    assert role_p.update(role.id, with_provider_key(role.outs), role_inputs).outs["name"] == "Auditor"
    retool.delete(f"/role_permissions/roles/{role.id}")
    for p, made, inputs in ((role_p, role, role_inputs), (grant_p, grant, grant_inputs)):
        with pytest.raises(NotFoundError) as raised:
            p.update(made.id, with_provider_key(made.outs), inputs)
        assert raised.value.status == 404
