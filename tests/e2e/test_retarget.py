"""A stack knows which Retool its objects live in, through the real engine.

Pointing `retool:host` at another Retool used to make `pulumi up` report "unchanged" (creating
nothing there) and the next refresh drop every object from the state (not found there). Now
every operation that would touch an object recorded elsewhere fails, saying what was recorded,
what is configured and what to do; `retool:movedFrom` accepts a new address of the same Retool.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pulumi import automation as auto

import retool_pulumi as retool
from retool_pulumi.emulator import Emulator
from tests.engine import export_state, new_stack

pytestmark = pytest.mark.engine

NAMES = ("Retarget one", "Retarget two")


def _program() -> None:
    for i, name in enumerate(NAMES):
        retool.Folder(f"f{i}", name=name, folder_type="app")


def _names(em: Emulator) -> set[str]:
    return {f["name"] for f in em.store.dump()["collections"]["folders"]}


def _point(st: auto.Stack, host: str, token: str) -> None:
    st.set_config("retool:host", auto.ConfigValue(host))
    st.set_config("retool:scheme", auto.ConfigValue("http"))
    st.set_config("retool:accessToken", auto.ConfigValue(token, secret=True))


def _folders_in_state(st: auto.Stack) -> dict[str, str]:
    """id -> recorded address of each folder in the state."""
    return {
        str(r["id"]): str(r["outputs"].get("retool_host"))
        for r in export_state(st).get("resources", [])
        if str(r.get("type", "")).endswith(":Folder")
    }


def _refused(error: auto.CommandError, was: str, now: str) -> None:
    text = str(error)
    assert f"lives in the Retool at {was}" in text and f"now points at {now}" in text, text[-3000:]
    assert "retool:movedFrom" in text and "pulumi state delete" in text


def test_a_stack_refuses_to_mix_up_two_retools(tmp_path: Path) -> None:
    with Emulator(token="token-a") as a, Emulator(token="token-b") as b:
        st = new_stack(tmp_path, _program)
        _point(st, a.host, a.token)
        st.up()
        recorded = _folders_in_state(st)
        assert set(recorded.values()) == {a.host} and NAMES[0] in _names(a)

        _point(st, b.host, b.token)
        for run in (st.preview, st.up):
            with pytest.raises(auto.CommandError) as failed:
                run()
            _refused(failed.value, a.host, b.host)
        for run_program in (False, True):  # the failed up may have saved the new config
            with pytest.raises(auto.CommandError) as failed:
                st.refresh(run_program=run_program)
            _refused(failed.value, a.host, b.host)
        with pytest.raises(auto.CommandError) as failed:
            st.destroy(run_program=True)
        _refused(failed.value, a.host, b.host)
        assert _folders_in_state(st) == recorded, "objects were dropped from the state"
        assert not set(NAMES) & _names(b), "objects were made in the other Retool"
        assert set(NAMES) <= _names(a), "objects were deleted"

        # Back to where the objects are: all is well again.
        _point(st, a.host, a.token)
        st.refresh(run_program=True)
        assert not st.preview().change_summary.get("update")
        st.destroy()
        assert not set(NAMES) & _names(a)


def test_a_new_address_of_the_same_retool_is_accepted_once_said(
    tmp_path: Path, retool_emulator: Emulator
) -> None:
    em = retool_emulator
    st = new_stack(tmp_path, _program)
    _point(st, em.host, em.token)
    st.up()
    old = em.host
    new = em.host.replace("127.0.0.1", "localhost")
    _point(st, new, em.token)
    with pytest.raises(auto.CommandError) as failed:
        st.preview()
    _refused(failed.value, old, new)

    st.set_config("retool:movedFrom", auto.ConfigValue(old))
    st.refresh(run_program=True)
    assert set(_folders_in_state(st).values()) == {new}
    st.remove_config("retool:movedFrom")
    st.up()
    st.destroy()
    assert not set(NAMES) & _names(em)


def test_a_state_from_before_addresses_adopts_the_address_at_refresh(
    tmp_path: Path, retool_emulator: Emulator
) -> None:
    em = retool_emulator
    st = new_stack(tmp_path, _program)
    _point(st, em.host, em.token)
    st.up()
    exported = st.export_stack()
    deployment = exported.deployment
    for res in deployment["resources"]:
        (res.get("outputs") or {}).pop("retool_host", None)
    st.import_stack(auto.Deployment(version=exported.version, deployment=deployment))
    assert set(_folders_in_state(st).values()) == {"None"}
    assert not st.preview().change_summary.get("update")
    st.refresh()
    assert set(_folders_in_state(st).values()) == {em.host}
    assert json.dumps(export_state(st)).count(em.token) == 0
