"""The exported program through the real engine: seed an organisation with every exportable type,
export it, `pulumi up` adopts everything (no object-creating request, no new object), preview
and refresh are clean, and destroying the stack leaves the organisation exactly as it was
(everything is retained on delete; the objects that keep you in the organisation are also
protected)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from pulumi import automation as auto

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.export import export_program
from tests.engine import changes, export_state
from tests.export.export_support import (
    SECRETS,
    _create,
    changing,
    counts,
    creating,
    exported_stack,
    methods,
    org_state,
    pulumi_cli,
    secret_values,
    writes,
)


@pytest.mark.engine
def test_round_trip_adopts_everything_and_destroy_leaves_the_organisation_alone(
    seeded: dict[str, str],
    retool_client: RetoolClient,
    retool_emulator: Emulator,
    retool_env: dict[str, str],
    tmp_path: Path,
) -> None:
    # What the program cannot declare (a resource type POST /resources does not take, a user
    # without names) is left out with a note, so that check passes and the up goes through.
    nameless = _create(retool_client, "User", email="nameless@example.com", first_name="N", last_name="L")
    store = retool_emulator.store
    with store.lock:
        store.users[nameless["id"]].update(first_name=None, last_name=None)
        pg = next(r for r in store.resources.values() if r["type"] == "postgresql")
        mongo = {**copy.deepcopy(pg), "id": "11111111-2222-4333-8444-555555555555"}
        mongo.update(type="mongodb", display_name="Mongo events")
        store.resources[mongo["id"]] = mongo
    program = export_program(retool_client, project_name="exported-org")
    assert sum("not declared" in n and ("Mongo events" in n or "nameless@" in n) for n in program.notes) == 2
    st = exported_stack(program, tmp_path, retool_env, secret_values(program))

    before = counts(retool_emulator)
    retool_emulator.clear_requests()
    up = st.up()
    print("requests during the adopting up:", methods(retool_emulator))
    print("writes:", writes(retool_emulator))

    assert creating(retool_emulator) == [], "the adopting up created objects"
    assert counts(retool_emulator) == before, "the adopting up changed the number of objects"
    # Every declaration is new to the stack (plus the stack itself), yet none was created in Retool.
    assert up.summary.resource_changes.get("create", 0) == len(program.declarations) + 1
    # The only writes re-send what Retool cannot return: secrets (and singletons, which the engine
    # always re-applies on adoption).
    allowed = re.compile(
        r"^(PATCH /api/v2/resources/[^/]+|PATCH /api/v2/resource_configurations/[^/]+"
        r"|PUT /api/v2/configuration_variables/[^/]+|PUT /api/v2/source_control/config"
        r"|POST /api/v2/sso/config|PUT /api/v2/source_control/settings|PUT /api/v2/organization/ai_settings"
        r"|POST /api/v2/permissions/listObjects)$"
    )
    unexpected = [w for w in writes(retool_emulator) if not allowed.match(f"{w[0]} {w[1]}")]
    assert unexpected == [], f"unexpected writes during the adopting up: {unexpected}"

    assert changes(st.preview().change_summary) == {}, "the adopted stack must preview clean"
    assert changes(st.refresh().summary.resource_changes) == {}, "refresh must find nothing changed"
    assert changes(st.preview().change_summary) == {}
    deployment = export_state(st)
    adopted_resources = [r for r in deployment["resources"] if ":dynamic/retool:" in r["type"]]
    assert len(adopted_resources) == len(program.declarations)
    assert all(r.get("retainOnDelete") for r in adopted_resources), "every object is retained on delete"
    assert sum(bool(r.get("protect")) for r in adopted_resources) == sum(
        d.protect for d in program.declarations
    )
    state = json.dumps(deployment)
    for secret in SECRETS:
        assert secret not in state, "a secret is in plaintext in the state"

    # Destroying the stack never touches the organisation: the objects that keep the caller in it
    # (their user, their admin membership, SSO) are protected, so a plain destroy refuses...
    adopted = org_state(retool_emulator)
    retool_emulator.clear_requests()
    with pytest.raises(auto.CommandError, match="protect"):
        st.destroy()
    assert changing(retool_emulator) == []
    assert org_state(retool_emulator) == adopted
    # ...and everything is retained on delete: destroying all but the protected ones, then (after
    # `pulumi state unprotect`) the rest, only makes Pulumi forget them.
    st.destroy(exclude_protected=True)
    unprotect = pulumi_cli(st, "state", "unprotect", "--all", "--yes")
    assert unprotect.returncode == 0, unprotect.stderr
    st.destroy()
    assert changing(retool_emulator) == [], "destroying the exported stack wrote to Retool"
    assert org_state(retool_emulator) == adopted, "destroying the exported stack changed Retool"
    assert not [r for r in export_state(st).get("resources", []) if ":dynamic/retool:" in r["type"]]
