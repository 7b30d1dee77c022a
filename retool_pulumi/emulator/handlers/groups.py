"""Groups, their members and their user invites."""

from __future__ import annotations

from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    get_or_404,
    int_key,
    listing,
    no_content,
    not_found,
    ok,
    patch_changes,
    route,
    touch,
)
from retool_pulumi.emulator.seed import group_record
from retool_pulumi.emulator.store import Record, Store, now, public

GROUP_FIELDS = (
    "name",
    "universal_app_access",
    "universal_resource_access",
    "universal_workflow_access",
    "universal_query_library_access",
    "user_list_access",
    "audit_log_access",
    "unpublished_release_access",
    "usage_analytics_access",
    "theme_access",
    "account_details_access",
    "landing_page_app_id",
)


def get_group(store: Store, group_id: Any) -> Record:
    """The group or a 404."""
    return get_or_404(store.groups, int_key(group_id), "Group", shown=group_id)


def render_group(store: Store, group: Record, exclude_disabled: bool = False) -> Record:
    """A group with its members and invites expanded."""
    from retool_pulumi.emulator.handlers.invites import render_invite

    data = public(group)
    members = data["members"]
    if exclude_disabled:
        members = [m for m in members if store.users.get(m["id"], {}).get("active", False)]
    data["members"] = members
    data["user_invites"] = [
        render_invite(store, store.user_invites[i])
        for i in group.get("_invite_ids", [])
        if i in store.user_invites
    ]
    return data


def _members(store: Store, items: list[dict[str, Any]]) -> list[Record]:
    out: list[Record] = []
    for item in items:
        user = store.users.get(item["id"])
        if user is None:
            raise ApiError(400, f'User with id "{item["id"]}" does not exist')
        out = [m for m in out if m["id"] != user["id"]]
        out.append({"id": user["id"], "email": user["email"], "is_group_admin": bool(item["is_group_admin"])})
    return out


def _invite_ids(store: Store, items: list[Any]) -> list[int]:
    ids: list[int] = []
    for item in items:
        iid = int(item["id"] if isinstance(item, dict) else item)
        if iid not in store.user_invites:
            raise ApiError(400, f"User invite with id {iid} does not exist")
        if iid not in ids:
            ids.append(iid)
    return ids


def _check_landing_page(store: Store, value: Any) -> None:
    if value is not None and value not in store.apps:
        raise ApiError(400, f'App with id "{value}" does not exist')


@route("GET", "/groups")
def list_groups(store: Store, req: Request) -> Result:
    with store.lock:
        return listing(req, store.groups.values(), lambda g: render_group(store, g))


@route("GET", "/groups/{groupId}")
def read_group(store: Store, req: Request) -> Result:
    with store.lock:
        group = get_group(store, req.params["groupId"])
        return ok(render_group(store, group, bool(req.query.get("excludeDisabledUsers"))))


@route("POST", "/groups")
def create_group(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        _check_landing_page(store, body.get("landing_page_app_id"))
        members = _members(store, body.get("members") or [])
        invites = _invite_ids(store, body.get("user_invites") or [])
        gid = store.next_int("group")
        fields = {k: body[k] for k in GROUP_FIELDS if k in body and k != "name"}
        group = group_record(store, gid, body["name"], now(), **fields)
        group["members"] = members
        group["_invite_ids"] = invites
        store.groups[gid] = group
        return ok(render_group(store, group))


def _replace(store: Store, group: Record, fields: dict[str, Any]) -> None:
    _check_landing_page(store, fields.get("landing_page_app_id"))
    if "members" in fields:
        group["members"] = _members(store, fields["members"] or [])
    if "user_invites" in fields:
        group["_invite_ids"] = _invite_ids(store, fields["user_invites"] or [])
    for key in GROUP_FIELDS:
        if key in fields:
            if fields[key] is None and key != "landing_page_app_id":
                raise ApiError(400, f"{key} cannot be null")
            group[key] = fields[key]
    touch(group)


@route("PUT", "/groups/{groupId}")
def replace_group(store: Store, req: Request) -> Result:
    with store.lock:
        group = get_group(store, req.params["groupId"])
        _replace(store, group, req.body)
        return ok(render_group(store, group))


@route("PATCH", "/groups/{groupId}")
def update_group(store: Store, req: Request) -> Result:
    with store.lock:
        group = get_group(store, req.params["groupId"])
        current = {**group, "user_invites": list(group.get("_invite_ids", []))}
        changes = patch_changes(current, req, (*GROUP_FIELDS, "members", "user_invites"), "group")
        _replace(store, group, changes)
        return ok(render_group(store, group))


@route("DELETE", "/groups/{groupId}")
def delete_group(store: Store, req: Request) -> Result:
    from retool_pulumi.emulator.handlers.permissions import drop_subject

    with store.lock:
        group = get_group(store, req.params["groupId"])
        del store.groups[group["id"]]
        drop_subject(store, "group", str(group["id"]))
        for rg in [k for k, v in store.role_grants.items() if v["subject_type"] == "group"]:
            if store.role_grants[rg]["subject_id"] == str(group["id"]):
                del store.role_grants[rg]
        return no_content()


@route("POST", "/groups/{groupId}/members")
def add_members(store: Store, req: Request) -> Result:
    with store.lock:
        group = get_group(store, req.params["groupId"])
        added = _members(store, req.body["members"])
        ids = {m["id"] for m in added}
        touch(group, {"members": [m for m in group["members"] if m["id"] not in ids] + added})
        return ok(render_group(store, group))


@route("DELETE", "/groups/{groupId}/members/{userId}")
def remove_member(store: Store, req: Request) -> Result:
    with store.lock:
        group = get_group(store, req.params["groupId"])
        user_id = req.params["userId"]
        get_or_404(store.users, user_id, "User")
        if not any(m["id"] == user_id for m in group["members"]):
            raise not_found(f'User with id "{user_id}" is not a member of group {group["id"]}')
        touch(group, {"members": [m for m in group["members"] if m["id"] != user_id]})
        return ok(render_group(store, group))


@route("POST", "/groups/{groupId}/user_invites")
def add_group_invites(store: Store, req: Request) -> Result:
    with store.lock:
        group = get_group(store, req.params["groupId"])
        ids = _invite_ids(store, req.body["userInviteIds"])
        current = group.setdefault("_invite_ids", [])
        current.extend(i for i in ids if i not in current)
        touch(group)
        return ok(render_group(store, group))


@route("DELETE", "/groups/{groupId}/user_invites/{userInviteId}")
def remove_group_invite(store: Store, req: Request) -> Result:
    with store.lock:
        group = get_group(store, req.params["groupId"])
        iid = int(req.params["userInviteId"])
        current = group.setdefault("_invite_ids", [])
        if iid not in current:
            raise not_found(f"User invite with id {iid} is not part of group {group['id']}")
        current.remove(iid)
        touch(group)
        return no_content()
