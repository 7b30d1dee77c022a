"""Adopting (`adopt_id`) and updating, for the cases the type tests leave out: an id that names
nothing, a field whose None is a declaration, an update with nothing to send, and a whole-object
POST update refused once."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from types_support import checked, with_provider_key, writes

from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider, spec_for
from retool_pulumi.errors import NotFoundError
from tests.reliability.every_type import Aim

SSO: dict[str, Any] = {
    "config_type": "google",
    "google_client_id": "cid.apps.googleusercontent.com",
    "google_client_secret": "g-s3cr3t",
    "disable_email_password_login": False,
}


def test_adopting_an_id_that_names_nothing_is_an_error_and_creates_nothing(em: Emulator) -> None:
    p = RetoolProvider("Group")
    with pytest.raises(NotFoundError, match="cannot adopt Group '987654'") as raised:
        p.create({**checked("Group", {"name": "g"}), "adopt_id": "987654"})
    assert (raised.value.status, raised.value.path) == (404, "/groups/987654")
    assert writes(em) == []


def test_adopting_a_folder_declared_in_the_root_moves_it_there(em: Emulator, retool: RetoolClient) -> None:
    parent = retool.post("/folders", json={"name": "Parent", "folder_type": "app"})
    child = retool.post(
        "/folders", json={"name": "Child", "folder_type": "app", "parent_folder_id": parent["id"]}
    )
    p = RetoolProvider("Folder")
    created = p.create(
        {**checked("Folder", {"name": "Child", "folder_type": "app"}), "adopt_id": child["id"]}
    )
    assert created.id == child["id"]
    assert em.store.folders[child["id"]]["parent_folder_id"] != parent["id"]


def test_an_update_with_nothing_to_send_reads_the_object_and_fails_if_it_is_gone(
    em: Emulator, retool: RetoolClient
) -> None:
    p = RetoolProvider("Folder")
    inputs = checked("Folder", {"name": "Same", "folder_type": "app"})
    created = p.create(inputs)
    em.clear_requests()
    assert p.update(created.id, with_provider_key(created.outs), inputs).outs["name"] == "Same"
    assert writes(em) == []
    retool.delete(f"/folders/{created.id}")
    with pytest.raises(NotFoundError) as raised:
        p.update(created.id, with_provider_key(created.outs), inputs)
    assert raised.value.status == 404


def test_a_whole_object_update_refused_once_is_sent_again(
    em: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SSO's update POSTs the whole configuration: safe to repeat, so a refusal is retried."""
    p = RetoolProvider("SsoConfig")
    created = p.create(checked("SsoConfig", SSO))
    Aim(em, monkeypatch).refuse_next()
    news = checked("SsoConfig", {**SSO, "google_client_id": "other.apps.googleusercontent.com"})
    em.clear_requests()
    updated = p.update(created.id, with_provider_key(created.outs), news)
    assert updated.outs["google_client_id"] == "other.apps.googleusercontent.com"
    assert [(r["method"], r["status"]) for r in em.requests()] == [("POST", 503), ("POST", 200)]


def test_any_type_is_known_in_a_fresh_process() -> None:
    """The provider host unpickles a provider and asks for its type before importing any."""
    code = "from retool_pulumi.engine.spec import spec_for; print(spec_for('Folder').collection)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "/folders"


def test_an_unknown_type_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"unknown Retool type .Nope.; known: .*Folder"):
        spec_for("Nope")
