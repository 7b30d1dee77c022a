"""Lookups of existing objects: what they find, and errors that name what was searched."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from retool_pulumi import connection, lookups
from retool_pulumi.emulator import Emulator
from retool_pulumi.errors import ObjectNotFoundError


@pytest.fixture
def em(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    monkeypatch.setenv("RETOOL_HOST", retool_emulator.host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", retool_emulator.token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    connection.set_stack_config(None)
    connection.reset_clients()
    yield retool_emulator
    connection.reset_clients()


def test_get_root_folder_finds_the_root_not_the_personal_root(em: Emulator) -> None:
    root = lookups.get_root_folder("app")
    assert root["name"] == "root" and root["parent_folder_id"] is None


def test_get_group_environment_user_find_seeded_objects(em: Emulator) -> None:
    assert lookups.get_group("admin")["name"] == "admin"
    assert lookups.get_environment("production")["default"] is True
    admin = em.store.users[em.store.admin_user_id]
    assert lookups.get_user(admin["email"].upper())["id"] == admin["id"]


def test_get_app_and_workflow_by_name(em: Emulator) -> None:
    app = next(iter(em.store.apps.values()))
    workflow = next(iter(em.store.workflows.values()))
    assert lookups.get_app(app["name"])["id"] == app["id"]
    assert lookups.get_workflow(workflow["name"])["id"] == workflow["id"]


def test_get_folder_and_resource_by_name_after_creating_them(em: Emulator) -> None:
    from retool_pulumi.connection import get_client

    client = get_client()
    folder = client.post(
        "/folders", json={"name": "Reports", "folder_type": "app", "parent_folder_id": "app_1"}
    )
    resource = client.post(
        "/resources",
        json={"type": "restapi", "display_name": "Orders API", "options": {"base_url": "https://x"}},
    )
    assert lookups.get_folder("Reports", "app")["id"] == folder["id"]
    assert lookups.get_resource("Orders API")["id"] == resource["id"]
    assert lookups.get_resource(resource["id"])["display_name"] == "Orders API"


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: lookups.get_folder("Nope", "workflow"), "workflow folder named 'Nope'"),
        (lambda: lookups.get_group("Nope"), "group named 'Nope'"),
        (lambda: lookups.get_environment("Nope"), "environment named 'Nope'"),
        (lambda: lookups.get_user("nobody@example.com"), "user with email 'nobody@example.com'"),
        (lambda: lookups.get_resource("Nope"), "resource with id or name 'Nope'"),
        (lambda: lookups.get_space("Nope"), "space named 'Nope'"),
        (lambda: lookups.get_app("Nope"), "app named 'Nope'"),
        (lambda: lookups.get_workflow("Nope"), "workflow named 'Nope'"),
    ],
)
def test_a_miss_names_what_was_searched(em: Emulator, call: object, named: str) -> None:
    with pytest.raises(ObjectNotFoundError, match=named):
        call()  # type: ignore[operator]
