"""A Terraform state holding every one of the twelve resource types of Retool's provider,
converted and run through the real engine against an emulated organisation holding the same
objects: the README's own commands set the secrets (from the state), `pulumi up` adopts
everything (no object-creating request, no new object), and the next preview and refresh are
clean; nothing in the organisation changed; every adopted object is retained on delete."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.terraform import convert_state
from tests.engine import TOOLS, changes, engine_env, export_state
from tests.export.export_support import counts, creating, exported_stack, methods, org_state, writes
from tests.terraform.terraform_support import (
    ORG_STATE,
    STATE_SECRETS,
    TF_TYPES,
    org_instances,
    seed_from_state,
    typed_values,
)


@pytest.mark.engine
def test_converted_state_adopts_every_object_without_a_create(
    retool_client: RetoolClient, retool_emulator: Emulator, retool_env: dict[str, str], tmp_path: Path
) -> None:
    instances = org_instances()
    assert {i.type for i in instances if i.mode == "managed"} >= set(TF_TYPES)
    qa_options = seed_from_state(retool_client, retool_emulator, instances)
    program = convert_state(ORG_STATE, project_name="migrated-org")
    assert program.kept == [], program.notes
    st = exported_stack(program, tmp_path, retool_env)
    project = tmp_path / "project"

    # The README's commands, run as they are in the project directory: each takes its value
    # from the state through `retool-pulumi from-terraform ... --secret KEY`.
    env = {
        **os.environ,
        **engine_env({**retool_env, "PULUMI_BACKEND_URL": f"file://{tmp_path / 'backend'}"}),
        "PATH": os.pathsep.join([str(TOOLS / "bin"), str(Path(sys.executable).parent), os.environ["PATH"]]),
    }
    ready = [c for c in program.config if c.value_from]
    assert len(ready) == len(program.config) - 2  # the imported resource's options, the masked ones
    for key in ready:
        assert key.command in program.readme()
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", f"{key.command} --stack adopt"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{key.command}: {done.stderr}"
    typed = typed_values(qa_options)
    assert sorted(typed) == sorted(c.key for c in program.config if not c.value_from)
    for key, value in typed.items():
        st.set_config(key, auto.ConfigValue(value, secret=True))

    before, organisation = counts(retool_emulator), comparable(org_state(retool_emulator))
    retool_emulator.clear_requests()
    up = st.up()
    print("requests during the adopting up:", methods(retool_emulator))
    print("writes:", writes(retool_emulator))
    assert creating(retool_emulator) == [], "the adopting up created objects"
    assert counts(retool_emulator) == before, "the adopting up changed the number of objects"
    # What it wrote (secrets Retool never returns, the singletons) are the values Retool held:
    # a value the conversion got wrong would show here, although the next preview is clean.
    assert comparable(org_state(retool_emulator)) == organisation, "the adopting up changed the organisation"
    assert up.summary.resource_changes.get("create", 0) == len(program.declarations) + 1

    assert changes(st.preview().change_summary) == {}, "the adopted stack must preview clean"
    assert changes(st.refresh().summary.resource_changes) == {}, "refresh must find nothing changed"
    assert changes(st.preview().change_summary) == {}

    deployment = export_state(st)
    adopted = [r for r in deployment["resources"] if ":dynamic/retool:" in r["type"]]
    assert len(adopted) == len(program.declarations)
    assert all(r.get("retainOnDelete") for r in adopted), "every object is retained on delete"
    # Named after the Terraform resources, count index and for_each key included.
    names = {r["urn"].rsplit("::", 1)[1] for r in adopted}
    assert {"analysts", 'teams["east"]', "team_folders[1]", "module.reporting.archive", "sso"} <= names
    assert 'team_access["west"]/folder/app_136' in names
    state = json.dumps(deployment)
    for secret in (*STATE_SECRETS, "pg-qa-real-password-8d7c"):
        assert secret not in state, "a secret is in plaintext in the Pulumi state"


def comparable(state: Any) -> Any:
    """The emulator's state without what changes whenever a secret is sent again, even the same
    one: SSO secrets are stored re-encrypted (with a new salt), drawing on the id generator."""
    if isinstance(state, dict):
        return {k: comparable(v) for k, v in state.items() if k != "rng"}
    if isinstance(state, list):
        return [comparable(v) for v in state]
    if isinstance(state, str) and state.startswith("enc:v1:"):
        return "enc:v1:..."
    return state
