"""One lifecycle case per type beyond the core twelve, for the end-to-end tests through the real
engine (see core_cases.py for the shape). A tamper here also gets the emulator, for edits that
Retool's API cannot make but a person in Retool's UI can (revoking a token, deleting a library);
`secret_values` names plaintexts only known once the object exists (a token, an invite link)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi

import retool_pulumi as retool
from retool_pulumi.client import RetoolClient
from retool_pulumi.emulator import Emulator
from retool_pulumi.errors import NotFoundError
from tests.e2e.core_cases import Case, Live, expect_fields, get

DSN = "https://sentry-key-4c1f9e@o1.ingest.sentry.io/7"


def in_list(path: str) -> Callable[[RetoolClient, str], Live | None]:
    def read(client: RetoolClient, id_: str) -> Live | None:
        try:
            return next((dict(o) for o in client.paginate(path) if str(o.get("id")) == id_), None)
        except NotFoundError:
            return None

    return read


# ---- GroupMember ------------------------------------------------------------------------------


def _group_member(v: int) -> pulumi.CustomResource:
    group = retool.Group("gm-group", name="Reviewers")
    user = retool.User("gm-user", email="grace@example.com", first_name="Grace", last_name="Hopper")
    return retool.GroupMember("member", group_id=group.id, user_id=user.id, is_group_admin=v == 2)


def _read_member(client: RetoolClient, id_: str) -> Live | None:
    group_id, user_id = id_.split("/")
    try:
        group = client.get(f"/groups/{group_id}")
    except NotFoundError:
        return None
    return next((dict(m) for m in group["members"] if m["id"] == user_id), None)


def _demote(client: RetoolClient, id_: str, _em: Emulator) -> None:
    group_id, user_id = id_.split("/")
    client.post(f"/groups/{group_id}/members", json={"members": [{"id": user_id, "is_group_admin": False}]})


# ---- user attributes ------------------------------------------------------------------------


def _attribute(v: int) -> pulumi.CustomResource:
    return retool.UserAttribute(
        "dept", name="department", label="Department" if v == 1 else "Team", data_type="string"
    )


def _attribute_value(v: int) -> pulumi.CustomResource:
    user = retool.User("uav-user", email="alan@example.com", first_name="Alan", last_name="Turing")
    attr = retool.UserAttribute("uav-office", name="office", label="Office", data_type="string")
    return retool.UserAttributeValue(
        "alan-office", user_id=user.id, attribute_name=attr.name, value="eng" if v == 1 else "ops"
    )


def _read_value(client: RetoolClient, id_: str) -> Live | None:
    user_id, name = id_.split("/")
    metadata = client.get(f"/users/{user_id}")["metadata"]
    return {"value": metadata[name]} if name in metadata else None


def _set_value(client: RetoolClient, id_: str, _em: Emulator) -> None:
    user_id, name = id_.split("/")
    client.post(f"/users/{user_id}/user_attributes", json={"name": name, "value": "sales"})


# ---- invites, roles, themes -------------------------------------------------------------------


def _invite(v: int) -> pulumi.CustomResource:
    group = retool.Group("inv-group", name="Newcomers")
    return retool.UserInvite(
        "invite",
        email="new.hire@example.com",
        default_group_ids=[group.id],
        metadata={"team": "ops"} if v == 2 else None,
    )


def _leave_groups(client: RetoolClient, id_: str, _em: Emulator) -> None:
    for group in client.get(f"/user_invites/{id_}")["groups"]:
        client.delete(f"/groups/{group['id']}/user_invites/{id_}")


def _invite_link(em: Emulator, id_: str) -> list[str]:
    return [em.store.user_invites[int(id_)]["invite_link"]]


def _role(v: int) -> pulumi.CustomResource:
    scopes = ["apps:read"] if v == 1 else ["apps:read", "apps:write"]
    return retool.Role("role", name="App editors", object_scopes=scopes, organization_scopes=[])


def _role_grant(v: int) -> pulumi.CustomResource:
    role = retool.Role("rg-role", name="Auditors", object_scopes=["apps:read"], organization_scopes=[])
    first = retool.Group("rg-first", name="Audit team")
    second = retool.Group("rg-second", name="Security team")
    return retool.RoleGrant(
        "grant", role_id=role.id, subject_type="group", subject_id=(first if v == 1 else second).id
    )


def _theme(v: int) -> pulumi.CustomResource:
    return retool.AppTheme("theme", name="Brand", theme={"primary": "#1E88E5" if v == 1 else "#43A047"})


def _repaint(client: RetoolClient, id_: str, _em: Emulator) -> None:
    live = dict(client.get(f"/app_themes/{id_}"))
    client.put("/app_themes", json={**live, "theme": {"primary": "#000000", "extra": True}})


# ---- observability, settings -----------------------------------------------------------------


def _observability(v: int) -> pulumi.CustomResource:
    return retool.ObservabilityConfig("sentry", config={"provider": "Sentry", "dsn": DSN}, enabled=v == 1)


def _org(v: int) -> pulumi.CustomResource:
    extra: dict[str, Any] = {"preloaded_css": "body { margin: 0 }"} if v == 2 else {}
    return retool.OrganizationSettings("org", request_access_enabled=False, **extra)


def _ai(v: int) -> pulumi.CustomResource:
    return retool.AiSettings("ai", retool_vector=False, retool_ask_ai=v == 1)


# ---- tokens and libraries (no update, no delete in Retool's API) ------------------------------


def _token(v: int) -> pulumi.CustomResource:
    return retool.AccessToken("token", label=f"ci-v{v}", scopes=["apps:read"])


def _token_value(em: Emulator, id_: str) -> list[str]:
    return [em.store.access_tokens[id_]["_secret"]]


def _library(v: int) -> pulumi.CustomResource:
    return retool.CustomComponentLibrary("lib", name=f"charts_v{v}", label=f"Charts v{v}", description=None)


def _forget(collection: str) -> Callable[[RetoolClient, str, Emulator], None]:
    def tamper(_client: RetoolClient, id_: str, em: Emulator) -> None:
        with em.store.lock:
            del getattr(em.store, collection)[id_]  # done in Retool's UI: the API cannot

    return tamper


CASES: dict[str, Case] = {
    "GroupMember": Case(
        "GroupMember",
        _group_member,
        _read_member,
        expect_fields({"is_group_admin": False}, {"is_group_admin": True}),
        _demote,
    ),
    "UserAttribute": Case(
        "UserAttribute",
        _attribute,
        in_list("/user_attributes"),
        expect_fields({"label": "Department"}, {"label": "Team"}),
        lambda c, id_, em: c.patch(
            f"/user_attributes/{id_}",
            json={"operations": [{"op": "replace", "path": "/label", "value": "X"}]},
        ),
    ),
    "UserAttributeValue": Case(
        "UserAttributeValue",
        _attribute_value,
        _read_value,
        expect_fields({"value": "eng"}, {"value": "ops"}),
        _set_value,
    ),
    "UserInvite": Case(
        "UserInvite",
        _invite,
        get("/user_invites/{id}"),
        expect_fields({"metadata": {}}, {"metadata": {"team": "ops"}}),
        _leave_groups,
        secret_values=_invite_link,
    ),
    "Role": Case(
        "Role",
        _role,
        in_list("/role_permissions/roles"),
        expect_fields({"object_scopes": ["apps:read"]}, {"object_scopes": ["apps:read", "apps:write"]}),
        lambda c, id_, em: c.patch(f"/role_permissions/roles/{id_}", json={"name": "Renamed in Retool"}),
    ),
    "RoleGrant": Case(
        "RoleGrant",
        _role_grant,
        in_list("/role_permissions/role_grants"),
        lambda live, v: None,
        lambda c, id_, em: c.delete(f"/role_permissions/role_grants/{id_}"),
        replaces_on_v2=True,
    ),
    "AppTheme": Case(
        "AppTheme",
        _theme,
        get("/app_themes/{id}"),
        expect_fields({"theme": {"primary": "#1E88E5"}}, {"theme": {"primary": "#43A047"}}),
        _repaint,
    ),
    "ObservabilityConfig": Case(
        "ObservabilityConfig",
        _observability,
        in_list("/observability/config"),
        expect_fields({"enabled": True}, {"enabled": False}),
        lambda c, id_, em: c.put(f"/observability/config/{id_}", json={"enabled": True}),
        secrets=(DSN,),
    ),
    "OrganizationSettings": Case(
        "OrganizationSettings",
        _org,
        get("/organization/"),
        expect_fields({"request_access_enabled": False}, {"preloaded_css": "body { margin: 0 }"}),
        lambda c, id_, em: c.patch(
            "/organization/",
            json={"operations": [{"op": "replace", "path": "/request_access_enabled", "value": True}]},
        ),
        # Destroy leaves the settings as they are.
        gone=lambda live: live is not None and live["request_access_enabled"] is False,
    ),
    "AiSettings": Case(
        "AiSettings",
        _ai,
        get("/organization/ai_settings"),
        expect_fields(
            {"retoolVector": False, "retoolAskAI": True}, {"retoolVector": False, "retoolAskAI": False}
        ),
        lambda c, id_, em: c.put(
            "/organization/ai_settings",
            json={"retoolAI": True, "retoolAIActions": True, "retoolVector": True, "retoolAskAI": True},
        ),
        gone=lambda live: live is not None and live["retoolVector"] is False,
    ),
    "AccessToken": Case(
        "AccessToken",
        _token,
        get("/access_tokens/{id}"),
        expect_fields({"label": "ci-v1"}, {"label": "ci-v2"}),
        _forget("access_tokens"),
        secret_values=_token_value,
        replaces_on_v2=True,
        gone=lambda live: live is not None,  # Retool's API cannot revoke it: it stays (with a warning)
    ),
    "CustomComponentLibrary": Case(
        "CustomComponentLibrary",
        _library,
        get("/custom_component_libraries/{id}"),
        expect_fields({"name": "charts_v1"}, {"name": "charts_v2"}),
        _forget("custom_component_libraries"),
        replaces_on_v2=True,
        gone=lambda live: live is not None,  # Retool's API cannot delete it: it stays (with a warning)
    ),
}
