"""Every Retool type through the real Pulumi engine: a first preview with unknown ids, up, a clean
preview, an update, an edit in Retool behind Pulumi's back, refresh detecting it, up repairing it,
a clean preview and refresh, secrets only encrypted in the exported state, and destroy leaving
nothing the stack created (or, where Retool cannot delete, saying so)."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from tests.e2e import core_cases, extra_cases
from tests.e2e.core_cases import Case
from tests.engine import changes, export_state, new_stack

CASES: dict[str, Case] = {**core_cases.CASES, **extra_cases.CASES}


@pytest.mark.engine
@pytest.mark.parametrize("kind", sorted(CASES))
def test_type_lifecycle_through_real_engine(
    kind: str,
    tmp_path: Path,
    retool_env: dict[str, str],
    retool_client: RetoolClient,
    retool_emulator: Emulator,
) -> None:
    case = CASES[kind]
    version = {"v": 1}

    def program() -> None:
        res = case.declare(version["v"])
        pulumi.export("id", res.id)

    st = new_stack(tmp_path, program, env=retool_env)

    assert changes(st.preview().change_summary).get("create", 0) >= 2, (
        "the first preview must plan the creates"
    )

    id_ = st.up().outputs["id"].value
    live = case.read(retool_client, id_)
    assert live is not None, f"{kind} {id_} was not created in Retool"
    case.expect(live, 1)
    secrets = [*case.secrets, *case.secret_values(retool_emulator, id_)]
    assert changes(st.preview().change_summary) == {}, "a fresh stack must preview clean"

    version["v"] = 2
    up2 = st.up()
    assert up2.summary.resource_changes.get("replace" if case.replaces_on_v2 else "update") == 1
    id_ = st.outputs()["id"].value
    live = case.read(retool_client, id_)
    assert live is not None
    case.expect(live, 2)
    secrets += case.secret_values(retool_emulator, id_)

    case.tamper(retool_client, id_, retool_emulator)
    # An edited object refreshes as an update; a removed one (a revoked grant) as a delete.
    seen = st.refresh().summary.resource_changes or {}
    assert seen.get("update", 0) + seen.get("delete", 0) >= 1, f"refresh missed the edit: {seen}"
    assert changes(st.preview().change_summary), "after refresh, preview must propose repairing the edit"

    st.up()
    id_ = st.outputs()["id"].value  # a removed object comes back as a new one
    live = case.read(retool_client, id_)
    assert live is not None
    case.expect(live, 2)
    secrets += case.secret_values(retool_emulator, id_)
    assert changes(st.preview().change_summary) == {}, "after repair the stack must preview clean"
    assert changes(st.refresh().summary.resource_changes) == {}, (
        "refresh of an unchanged stack must change nothing"
    )

    state = json.dumps(export_state(st))
    for secret in secrets:
        assert secret not in state, f"{kind}: a secret appears in plaintext in the exported state"

    destroy = st.destroy()
    assert case.gone(case.read(retool_client, id_)), f"{kind} {id_}: unexpected state in Retool after destroy"
    if kind == "AccessToken":
        assert "Revoke it in Retool" in destroy.stdout + destroy.stderr
