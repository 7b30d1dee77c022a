"""Every core type through the real Pulumi engine: up, a clean preview, an update, an edit in
Retool behind Pulumi's back, refresh detecting it, up repairing it, secrets only encrypted in
the exported state, and destroy leaving nothing the stack created."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest
from pulumi import automation as auto

from retool_pulumi.client import RetoolClient
from tests.e2e.core_cases import CASES, Case
from tests.engine import export_state, new_stack


def _changes(summary: dict[auto.OpType, int] | dict[str, int]) -> dict[str, int]:
    return {
        str(getattr(k, "value", k)): v for k, v in summary.items() if str(getattr(k, "value", k)) != "same"
    }


@pytest.mark.parametrize("kind", sorted(CASES))
def test_type_lifecycle_through_real_engine(
    kind: str, tmp_path: Path, retool_env: dict[str, str], retool_client: RetoolClient
) -> None:
    case: Case = CASES[kind]
    version = {"v": 1}

    def program() -> None:
        res = case.declare(version["v"])
        pulumi.export("id", res.id)

    st = new_stack(tmp_path, program, env=retool_env)

    # The first preview sees unknown ids (e.g. a permission's group) and must pass check.
    first = st.preview()
    assert _changes(first.change_summary).get("create", 0) >= 2
    assert retool_client is not None

    up = st.up()
    id_ = up.outputs["id"].value
    live = case.read(retool_client, id_)
    assert live is not None, f"{kind} {id_} was not created in Retool"
    case.expect(live, 1)

    assert _changes(st.preview().change_summary) == {}, "a fresh stack must preview clean"

    version["v"] = 2
    up2 = st.up()
    assert up2.summary.resource_changes.get("update" if not case.replaces_on_v2 else "replace") == 1
    live = case.read(retool_client, id_)
    assert live is not None
    case.expect(live, 2)

    case.tamper(retool_client, id_)
    refresh = st.refresh()
    # An edited object refreshes as an update; a revoked grant disappears from state (a delete).
    seen = refresh.summary.resource_changes or {}
    assert seen.get("update", 0) + seen.get("delete", 0) >= 1, f"refresh missed the edit: {seen}"
    drift = _changes(st.preview().change_summary)
    assert drift, "after refresh, preview must propose repairing the edit"

    st.up()
    id_ = st.outputs()["id"].value  # a revoked grant comes back as a new one
    live = case.read(retool_client, id_)
    assert live is not None
    case.expect(live, 2)
    assert _changes(st.preview().change_summary) == {}, "after repair the stack must preview clean"
    assert _changes(st.refresh().summary.resource_changes) == {}, (
        "refresh of an unchanged stack must change nothing"
    )

    state = json.dumps(export_state(st))
    for secret in case.secrets:
        assert secret not in state, f"{kind}: a secret appears in plaintext in the exported state"

    st.destroy()
    assert case.gone(case.read(retool_client, id_)), f"{kind} {id_} is still in Retool after destroy"
