"""Connection settings reach the dynamic provider through the real engine: stack config
`retool:*` (token as a secret), and named connections choosing a Retool per resource."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest
from pulumi import automation as auto

import retool_pulumi as retool
from retool_pulumi.emulator import Emulator
from tests.engine import export_state, new_stack

pytestmark = pytest.mark.engine


def _folder_names(em: Emulator) -> set[str]:
    return {f["name"] for f in em.store.dump()["collections"]["folders"]}


def test_stack_config_connects_without_environment_variables(
    tmp_path: Path, retool_emulator: Emulator
) -> None:
    def program() -> None:
        retool.Folder("f", name="From stack config", folder_type="app")

    config = {
        "retool:host": auto.ConfigValue(retool_emulator.host),
        "retool:accessToken": auto.ConfigValue(retool_emulator.token, secret=True),
        "retool:scheme": auto.ConfigValue("http"),
    }
    st = new_stack(tmp_path, program, config=config)
    st.up()
    assert "From stack config" in _folder_names(retool_emulator)
    assert retool_emulator.token not in json.dumps(export_state(st))
    st.destroy()
    assert "From stack config" not in _folder_names(retool_emulator)


def test_named_connections_send_each_resource_to_its_own_retool(tmp_path: Path) -> None:
    with Emulator(token="token-eu") as eu, Emulator(token="token-us") as us:

        def program() -> None:
            retool.Folder("eu-folder", name="EU reports", folder_type="app", connection="eu")
            retool.Folder("us-folder", name="US reports", folder_type="app", connection="us")
            pulumi.export("done", True)

        connections = {
            "eu": {"host": eu.host, "accessToken": eu.token, "scheme": "http"},
            "us": {"host": us.host, "accessToken": us.token, "scheme": "http"},
        }
        config = {"retool:connections": auto.ConfigValue(json.dumps(connections), secret=True)}
        st = new_stack(tmp_path, program, config=config)
        st.up()
        assert "EU reports" in _folder_names(eu) and "EU reports" not in _folder_names(us)
        assert "US reports" in _folder_names(us) and "US reports" not in _folder_names(eu)
        state = json.dumps(export_state(st))
        assert "token-eu" not in state and "token-us" not in state
        st.destroy()
        assert "EU reports" not in _folder_names(eu) and "US reports" not in _folder_names(us)
