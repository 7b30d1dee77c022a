"""Hostile or broken servers in Retool's place, through the real engine.

A redirect answering `pulumi refresh` must fail loudly and keep the state (reading it as "gone"
used to drop every object); `pulumi destroy` must fail too, not report success without deleting.
A server echoing the request body in its error must not put an `Output.secret` into the CLI
output or the state.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest
from pulumi import automation as auto

import retool_pulumi as retool
from retool_pulumi.emulator import Emulator
from tests.engine import export_state, new_stack
from tests.hostile_server import HostileServer, echo_body_on, login_page, redirect_everything

PASSWORD = "hunter2-d7c0a1f4e9b2"


@pytest.fixture
def hostile(retool_emulator: Emulator) -> Iterator[HostileServer]:
    with HostileServer(upstream=retool_emulator.host) as server:
        yield server


def _env(server: HostileServer, em: Emulator) -> dict[str, str]:
    return {
        "RETOOL_HOST": server.host,
        "RETOOL_ACCESS_TOKEN": em.token,
        "RETOOL_SCHEME": "http",
        "RETOOL_MAX_RETRIES": "0",
    }


def _kinds(st: auto.Stack) -> list[str]:
    kinds = (str(r["type"]).rsplit(":", 1)[-1] for r in export_state(st).get("resources", []))
    return sorted(k for k in kinds if k in ("Folder", "Group"))


@pytest.mark.engine
def test_refresh_and_destroy_through_a_redirect_fail_and_keep_the_state(
    tmp_path: Path, retool_emulator: Emulator, hostile: HostileServer
) -> None:
    def program() -> None:
        retool.Folder("reports", name="Reports", folder_type="app")
        retool.Group("analysts", name="Analysts")
        pulumi.export("done", True)

    st = new_stack(tmp_path, program, env=_env(hostile, retool_emulator))
    st.up()
    before = _kinds(st)
    assert before == ["Folder", "Group"]

    hostile.answer = redirect_everything("https://acme.retool.test")
    with pytest.raises(auto.CommandError) as refresh:
        st.refresh()
    text = str(refresh.value)
    assert "redirect" in text and "https://acme.retool.test/api/v2/" in text and "retool:host" in text
    assert _kinds(st) == before, "a failed refresh must not drop anything from state"

    with pytest.raises(auto.CommandError):
        st.destroy()
    assert _kinds(st) == before, "a failed destroy must not forget anything"
    folders = {f["name"] for f in retool_emulator.store.dump()["collections"]["folders"]}
    assert "Reports" in folders

    hostile.answer = login_page
    with pytest.raises(auto.CommandError, match="not JSON"):
        st.refresh()
    assert _kinds(st) == before

    hostile.answer = None
    st.destroy()
    assert _kinds(st) == []
    assert "Reports" not in {f["name"] for f in retool_emulator.store.dump()["collections"]["folders"]}


@pytest.mark.engine
def test_a_server_echoing_the_request_body_never_shows_a_secret(
    tmp_path: Path, retool_emulator: Emulator, hostile: HostileServer
) -> None:
    def program() -> None:
        retool.Resource(
            "pg",
            type="postgresql",
            display_name="Orders DB",
            options={
                "database_options": {
                    "host": "db.internal",
                    "port": "5432",
                    "name": "orders",
                    "username": "retool",
                    "password": pulumi.Output.secret(PASSWORD),
                }
            },
        )

    hostile.answer = echo_body_on("POST", "/api/v2/resources")
    st = new_stack(tmp_path, program, env=_env(hostile, retool_emulator))
    with pytest.raises(auto.CommandError) as up:
        st.up()
    text = str(up.value)
    assert "Invalid request body" in text, "the server must really have echoed the body"
    assert PASSWORD not in text
    assert "[REDACTED]" in text
    assert PASSWORD not in json.dumps(export_state(st))
