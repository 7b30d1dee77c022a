"""Credentials through the real engine.

A token set without `--secret` is refused before anything is registered: the engine saves the
dynamic provider's configuration (the whole stack config) in the state, so it would be stored
there in plain text. After a token rotation, `pulumi refresh` without --run-program configures
the provider with the config saved at the last `up`: the 401 says so and what to run; with
--run-program the current config is used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pulumi import automation as auto

import retool_pulumi as retool
from retool_pulumi.emulator import Emulator
from tests.engine import export_state, new_stack

pytestmark = pytest.mark.engine

TOKEN = "plain-token-5e0c9d2b7a41"


def _program() -> None:
    retool.Folder("f", name="Credentials", folder_type="app")


def _rotate(em: Emulator, token: str) -> None:
    """Retool now takes only `token` (the old one was revoked)."""
    em.token = token
    em.api.token = token


def test_a_token_set_without_secret_is_refused_and_never_stored(
    tmp_path: Path, retool_emulator: Emulator
) -> None:
    _rotate(retool_emulator, TOKEN)
    config = {
        "retool:host": auto.ConfigValue(retool_emulator.host),
        "retool:scheme": auto.ConfigValue("http"),
        "retool:accessToken": auto.ConfigValue(TOKEN),  # plain text
    }
    st = new_stack(tmp_path, _program, config=config)
    with pytest.raises(auto.CommandError) as failed:
        st.up()
    text = str(failed.value)
    assert "pulumi config set --secret retool:accessToken" in text
    assert TOKEN not in text
    assert TOKEN not in json.dumps(export_state(st))
    assert [r for r in retool_emulator.requests() if r["path"].startswith("/api/v2")] == []

    st.set_config("retool:accessToken", auto.ConfigValue(TOKEN, secret=True))
    st.up()
    assert TOKEN not in json.dumps(export_state(st))


def test_named_connections_set_without_secret_are_refused(tmp_path: Path, retool_emulator: Emulator) -> None:
    def program() -> None:
        retool.Folder("f", name="Named", folder_type="app", connection="eu")

    entry = {"host": retool_emulator.host, "scheme": "http", "accessToken": retool_emulator.token}
    config = {"retool:connections": auto.ConfigValue(json.dumps({"eu": entry}))}
    st = new_stack(tmp_path, program, config=config)
    with pytest.raises(auto.CommandError) as failed:
        st.up()
    assert "pulumi config set --secret --path 'retool:connections.eu.accessToken'" in str(failed.value)
    assert retool_emulator.token not in json.dumps(export_state(st))


def test_refresh_after_a_token_rotation_says_how_to_use_the_new_token(
    tmp_path: Path, retool_emulator: Emulator
) -> None:
    config = {
        "retool:host": auto.ConfigValue(retool_emulator.host),
        "retool:scheme": auto.ConfigValue("http"),
        "retool:accessToken": auto.ConfigValue(retool_emulator.token, secret=True),
    }
    st = new_stack(tmp_path, _program, config=config)
    st.up()
    _rotate(retool_emulator, "rotated-token")
    st.set_config("retool:accessToken", auto.ConfigValue("rotated-token", secret=True))

    # Without --run-program the provider gets the config saved at the last `up`: the old token.
    with pytest.raises(auto.CommandError) as failed:
        st.refresh()
    text = str(failed.value)
    assert "HTTP 401" in text
    assert "the one saved at the last `pulumi up`" in text and "pulumi refresh --run-program" in text
    assert "rotated-token" not in text

    # With it, the program runs and configures the provider from the current config.
    st.refresh(run_program=True)

    # Pulumi's side of it: a wrong token in config goes unnoticed by a refresh without the
    # program (the token saved by the last run is used); with the program it is a 401.
    st.set_config("retool:accessToken", auto.ConfigValue("wrong-token", secret=True))
    st.refresh()
    with pytest.raises(auto.CommandError, match="HTTP 401"):
        st.refresh(run_program=True)
