"""Ids and names never steer a request to another path, and hostile answers never empty the state.

The attacks reported: `UserAttributeValue(attribute_name="..")` made destroy send
`DELETE /users/<id>` (which disables the user); `Folder(adopt_id="../users/<id>")` sent a GET and a
PATCH to `/users/<id>`; `get_resource("<name>")` put the name into the path unescaped. And a
redirect, a login page or a proxy's 404 answering a read made refresh drop the object.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import CheckResult

from retool_pulumi import actions, connection, lookups
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.engine import RetoolProvider
from retool_pulumi.engine.spec import all_specs, spec_for
from retool_pulumi.errors import (
    BadRequestError,
    ObjectNotFoundError,
    RedirectError,
    RetoolError,
    UnexpectedResponseError,
    UnsafePathError,
)
from tests.hostile_server import HostileServer, login_page, proxy_404, redirect_everything

PROVIDER_KEY = "__provider"


@pytest.fixture
def em(retool_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    _point_at(monkeypatch, retool_emulator.host, retool_emulator.token)
    yield retool_emulator
    connection.reset_clients()


@pytest.fixture
def hostile(em: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileServer]:
    """A server in front of the emulator (passing everything through until told otherwise)."""
    with HostileServer(upstream=em.host) as server:
        _point_at(monkeypatch, server.host, em.token)
        yield server


def _point_at(monkeypatch: pytest.MonkeyPatch, host: str, token: str) -> None:
    for name in ("RETOOL_CONNECTIONS", "RETOOL_UNIX_SOCKET_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RETOOL_HOST", host)
    monkeypatch.setenv("RETOOL_ACCESS_TOKEN", token)
    monkeypatch.setenv("RETOOL_SCHEME", "http")
    monkeypatch.setenv("RETOOL_REQUESTS_PER_MINUTE", "0")
    monkeypatch.setenv("RETOOL_MAX_RETRIES", "0")
    connection.set_stack_config(None)
    connection.reset_clients()


def _check(kind: str, news: dict[str, Any]) -> CheckResult:
    return RetoolProvider(kind).check({}, {**news, PROVIDER_KEY: "pickled"})


def _paths(em: Emulator) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in em.requests()]


def _user(em: Emulator, client: RetoolClient) -> str:
    user = client.post("/users", json={"email": "ada@example.com", "first_name": "Ada", "last_name": "L"})
    em.clear_requests()
    return str(user["id"])


# ---- the two reported attacks ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["..", ".", "../../users", "a/b", "x?y", "Department", ""])
def test_an_attribute_name_that_is_no_attribute_name_fails_check(em: Emulator, name: str) -> None:
    result = _check("UserAttributeValue", {"user_id": "user_ab12", "attribute_name": name, "value": "v"})
    reasons = {f.property: f.reason for f in result.failures}
    assert "attribute_name" in reasons, reasons
    assert "[a-z0-9" in reasons["attribute_name"] or "at least 1" in reasons["attribute_name"]
    assert em.requests() == []


def test_destroying_a_value_whose_attribute_is_dot_dot_never_reaches_the_user(
    em: Emulator, retool_client: RetoolClient
) -> None:
    """State written by an older version (check let `..` through): destroy must not disable the user."""
    uid = _user(em, retool_client)
    props = {"user_id": uid, "attribute_name": "..", "value": "v", PROVIDER_KEY: "pickled"}
    with pytest.raises(UnsafePathError, match=r"\.\."):
        RetoolProvider("UserAttributeValue").delete(f"{uid}/..", props)
    assert em.requests() == []
    assert em.store.users[uid]["active"] is True


def test_reading_a_value_whose_attribute_is_dot_dot_never_reaches_the_user(
    em: Emulator, retool_client: RetoolClient
) -> None:
    uid = _user(em, retool_client)
    props = {"user_id": uid, "attribute_name": "..", "value": "v", PROVIDER_KEY: "pickled"}
    RetoolProvider("UserAttributeValue").read(f"{uid}/..", props)  # the user's metadata has no ".."
    assert _paths(em) == [f"GET /api/v2/users/{uid}"]


def test_a_folder_adopt_id_that_walks_to_a_user_fails_check_without_requests(
    em: Emulator, retool_client: RetoolClient
) -> None:
    uid = _user(em, retool_client)
    result = _check("Folder", {"name": "x", "folder_type": "app", "adopt_id": f"../users/{uid}"})
    assert [f.property for f in result.failures] == ["adopt_id"]
    reason = result.failures[0].reason
    assert "Folder.adopt_id" in reason and "app_12" in reason and f"../users/{uid}" in reason
    assert em.requests() == []


def test_a_folder_adopt_id_unknown_at_check_is_refused_at_create_without_requests(
    em: Emulator, retool_client: RetoolClient
) -> None:
    """In a preview the id may be unknown; the create that follows checks it before any request."""
    uid = _user(em, retool_client)
    props = {"name": "x", "folder_type": "app", "adopt_id": f"../users/{uid}", PROVIDER_KEY: "pickled"}
    with pytest.raises(RetoolError, match="adopt_id"):
        RetoolProvider("Folder").create(props)
    assert em.requests() == []
    assert em.store.users[uid]["active"] is True


def test_composite_ids_from_state_with_dot_segments_are_refused(em: Emulator) -> None:
    props = {"group_id": "1", "user_id": "user_ab", "is_group_admin": False, PROVIDER_KEY: "pickled"}
    for bad in ("1/..", "../user_ab", "1/user_ab/..", "1/"):
        with pytest.raises(RetoolError):
            RetoolProvider("GroupMember").delete(bad, props)
    assert em.requests() == []


def test_ids_from_state_are_escaped_into_one_segment(em: Emulator) -> None:
    """An id a hostile server handed out at create stays one segment, or is refused outright
    when it hides a `..` step (even percent-encoded, for servers that decode before routing)."""
    props = {"name": "x", "folder_type": "app", PROVIDER_KEY: "pickled"}
    p = RetoolProvider("Folder")
    for hiding in ("../users/user_1", "..%2Fusers%2Fuser_1", "x/../../users/user_1"):
        with pytest.raises(UnsafePathError):
            p.read(hiding, props)
        with pytest.raises(UnsafePathError):
            p.delete(hiding, props)
    assert em.requests() == []
    # One segment: Retool routes it to the folder and refuses it as a folder id, as Express does.
    with pytest.raises(BadRequestError, match=r"path\.folderId"):
        p.read("users/user_1?x#y", props)
    with pytest.raises(BadRequestError, match=r"path\.folderId"):
        p.delete("users/user_1?x#y", props)
    assert _paths(em) == [
        "GET /api/v2/folders/users%2Fuser_1%3Fx%23y",
        "DELETE /api/v2/folders/users%2Fuser_1%3Fx%23y",
    ]


@pytest.mark.parametrize(
    ("kind", "id_", "props", "path"),
    [
        (
            "UserAttributeValue",
            "user_ab12/odd name?",
            {"user_id": "user_ab12", "attribute_name": "odd name?", "value": "v"},
            "/users/user_ab12/user_attributes/odd%20name%3F",
        ),
        (
            "GroupMember",
            "1/user_ab12 x",
            {"group_id": "1", "user_id": "user_ab12 x", "is_group_admin": False},
            "/groups/1/members/user_ab12%20x",
        ),
    ],
)
def test_the_types_own_paths_escape_each_segment(
    em: Emulator, kind: str, id_: str, props: dict[str, Any], path: str
) -> None:
    """Values from an older state that no check vetted still reach only their own segment."""
    RetoolProvider(kind).delete(id_, {**props, PROVIDER_KEY: "pickled"})
    assert _paths(em) == [f"DELETE /api/v2{path}"]


def test_role_grants_of_a_subject_are_listed_at_its_escaped_path(em: Emulator) -> None:
    props = {"role_id": "r", "subject_type": "user", "subject_id": "user_ab 12", PROVIDER_KEY: "pickled"}
    assert RetoolProvider("RoleGrant").read("9a1e2b3c-4d5e-4f6a-8b7c-8d9e0f1a2b3c", props).id == ""
    assert _paths(em)[0].startswith("GET /api/v2/role_permissions/role_grants/user/user_ab%2012")


# ---- adopt_id formats ------------------------------------------------------------------------------


ADOPTABLE = sorted(s.kind for s in all_specs() if s.id_pattern)


def test_every_type_that_can_be_adopted_has_an_id_format() -> None:
    singletons = {s.kind for s in all_specs() if s.singleton}
    assert set(ADOPTABLE) == {s.kind for s in all_specs()} - singletons


@pytest.mark.parametrize("kind", ADOPTABLE)
def test_the_documented_example_id_matches_the_format(kind: str) -> None:
    spec = spec_for(kind)
    assert re.fullmatch(spec.id_pattern, spec.id_example), (spec.id_pattern, spec.id_example)
    assert spec.id_problem(spec.id_example) is None


@pytest.mark.parametrize("kind", ADOPTABLE)
@pytest.mark.parametrize("bad", ["../users/user_ab12", "app_1/..", "x y", "12?x=1", "user_ab12#", "."])
def test_a_malformed_adopt_id_fails_check_naming_the_format(em: Emulator, kind: str, bad: str) -> None:
    spec = spec_for(kind)
    result = _check(kind, {"adopt_id": bad})
    reasons = {f.property: f.reason for f in result.failures}
    assert "adopt_id" in reasons, reasons
    assert spec.id_example in reasons["adopt_id"] and repr(bad) in reasons["adopt_id"]
    assert em.requests() == []


@pytest.mark.parametrize(
    ("kind", "good"),
    [
        ("Folder", "file_6"),
        ("Folder", "workflow_12"),
        ("Group", "12"),
        ("Group", 12.0),  # the engine sends numbers as floats
        ("Space", "org_df0f66ed6173458e85b339d240171487"),
        ("Space", "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
        ("User", "user_1607dcd42a484c31b56095ec5df0b125"),
        ("GroupMember", "65/user_1607dcd42a484c31b56095ec5df0b125"),
        ("Permission", "group/12/folder/app_3"),
        ("Permission", "user/user_ab12/app/3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
        ("UserAttributeValue", "user_ab12/department"),
        ("Resource", "18368cb2-21f6-40c4-9d54-5fc0a724219f"),
    ],
)
def test_real_ids_pass_the_format(kind: str, good: object) -> None:
    result = _check(kind, {"adopt_id": good})
    assert "adopt_id" not in {f.property for f in result.failures}
    assert result.inputs["adopt_id"] == str(good).removesuffix(".0")


# ---- lookups and actions ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../users/user_ab12", "a/b?c=1#d", "..", "orders db"])
def test_a_lookup_by_hostile_name_sends_exactly_one_request_the_listing(em: Emulator, name: str) -> None:
    with pytest.raises(ObjectNotFoundError):
        lookups.get_resource(name)
    assert _paths(em) == ["GET /api/v2/resources"]


def test_a_lookup_by_uuid_reads_it_and_a_uuid_name_falls_back_to_the_listing(em: Emulator) -> None:
    client = connection.get_client()
    made = client.post(
        "/resources", json={"type": "restapi", "display_name": "A", "options": {"base_url": "x"}}
    )
    em.clear_requests()
    assert lookups.get_resource(made["id"])["display_name"] == "A"
    assert _paths(em) == [f"GET /api/v2/resources/{made['id']}"]
    em.clear_requests()
    with pytest.raises(ObjectNotFoundError):
        lookups.get_resource("3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
    assert _paths(em) == [
        "GET /api/v2/resources/3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        "GET /api/v2/resources",
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda: actions.logout_user("../groups/1"),
        lambda: actions.reset_user_2fa("user_ab/../../groups/1"),
        lambda: actions.approve_access_request("1/../../users/user_ab"),
        lambda: actions.deny_access_request(".."),
        lambda: actions.logout_user("ada@example.com"),  # path-safe, but no user id
        lambda: actions.approve_access_request("abc"),
    ],
    ids=[
        "logout_user",
        "reset_user_2fa",
        "approve_access_request",
        "deny_access_request",
        "logout_user-email",
        "approve-not-a-number",
    ],
)
def test_actions_refuse_ids_that_are_not_ids_before_any_request(em: Emulator, call: Any) -> None:
    with pytest.raises(ValueError, match="id"):
        call()
    assert em.requests() == []


# ---- hostile answers to the provider's reads and deletes --------------------------------------------


def _folder(hostile: HostileServer) -> tuple[RetoolProvider, str, dict[str, Any]]:
    p = RetoolProvider("Folder")
    inputs = dict(_check("Folder", {"name": "Reports", "folder_type": "app"}).inputs)
    created = p.create(inputs)
    return p, created.id, {**created.outs, PROVIDER_KEY: "pickled"}


def test_read_through_a_redirect_fails_instead_of_dropping_the_object(
    em: Emulator, hostile: HostileServer
) -> None:
    p, id_, props = _folder(hostile)
    hostile.answer = redirect_everything("https://acme.retool.test")
    with pytest.raises(RedirectError, match=r"https://acme\.retool\.test/api/v2/folders"):
        p.read(id_, props)
    with pytest.raises(RedirectError):
        p.delete(id_, props)
    assert id_ in {f["id"] for f in em.store.dump()["collections"]["folders"]}


@pytest.mark.parametrize("answer", [login_page, proxy_404], ids=["login-page", "proxy-404"])
def test_read_and_delete_through_a_stranger_fail_instead_of_dropping_the_object(
    em: Emulator, hostile: HostileServer, answer: Any
) -> None:
    p, id_, props = _folder(hostile)
    hostile.answer = answer
    with pytest.raises(UnexpectedResponseError):
        p.read(id_, props)
    with pytest.raises(UnexpectedResponseError):
        p.delete(id_, props)
    hostile.answer = None
    assert p.read(id_, props).id == id_


def test_an_empty_success_envelope_for_an_object_is_not_gone(em: Emulator, hostile: HostileServer) -> None:
    p, id_, props = _folder(hostile)
    hostile.answer = lambda method, path, body: (
        (200, {"Content-Type": "application/json"}, b'{"success":true,"data":null}')
        if method == "GET"
        else None
    )
    with pytest.raises(UnexpectedResponseError, match="holds no Folder object"):
        p.read(id_, props)


def test_retools_own_404_still_means_gone(em: Emulator, hostile: HostileServer) -> None:
    p, id_, props = _folder(hostile)
    connection.get_client().delete(f"/folders/{id_}")
    assert p.read(id_, props).id == ""
    p.delete(id_, props)  # already gone: fine


def test_a_permission_listing_without_a_list_is_not_a_revoked_grant(
    em: Emulator, hostile: HostileServer
) -> None:
    props = {
        "subject_type": "group",
        "subject_id": "1",
        "object_type": "folder",
        "object_id": "app_1",
        "access_level": "use",
        PROVIDER_KEY: "pickled",
    }
    hostile.answer = lambda method, path, body: (
        (200, {"Content-Type": "application/json"}, b"") if path.endswith("/listObjects") else None
    )
    with pytest.raises(UnexpectedResponseError, match=r"no list|without data"):
        RetoolProvider("Permission").read("group/1/folder/app_1", props)


def test_an_answer_about_another_object_is_not_taken_into_state(em: Emulator, hostile: HostileServer) -> None:
    p, id_, props = _folder(hostile)
    root = lookups.get_root_folder("app")["id"]
    other = connection.get_client().post(
        "/folders", json={"name": "Other", "folder_type": "app", "parent_folder_id": root}
    )
    swapped = json.dumps({"success": True, "data": other}).encode()
    hostile.answer = lambda method, path, body: (
        (200, {"Content-Type": "application/json"}, swapped) if method == "GET" and id_ in path else None
    )
    with pytest.raises(UnexpectedResponseError, match=f"asked for Folder '{id_}'"):
        p.read(id_, props)
