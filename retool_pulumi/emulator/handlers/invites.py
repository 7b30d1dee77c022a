"""User invites (numeric ids) and organisation user attribute definitions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    attribute_routes,
    get_or_404,
    list_route,
    listing,
    no_content,
    ok,
    patch_changes,
    route,
)
from retool_pulumi.emulator.store import Record, Store, now, public


def get_invite(store: Store, invite_id: str) -> Record:
    """The invite or a 404."""
    return get_or_404(store.user_invites, int(invite_id), "User invite", shown=invite_id)


def render_invite(store: Store, invite: Record) -> Record:
    """An invite with the groups it will join."""
    data = public(invite)
    data["groups"] = [
        {"legacy_id": g["id"], "id": g["id"], "name": g["name"]}
        for g in store.groups.values()
        if invite["id"] in g.get("_invite_ids", [])
    ]
    return data


@route("GET", "/user_invites")
def list_invites(store: Store, req: Request) -> Result:
    with store.lock:
        return listing(req, store.user_invites.values(), lambda i: render_invite(store, i))


@route("GET", "/user_invites/{userInviteId}")
def read_invite(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(render_invite(store, get_invite(store, req.params["userInviteId"])))


@route("POST", "/user_invites")
def create_invite(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        group_ids = [int(g) for g in body.get("defaultGroupIds") or []]
        for gid in group_ids:
            if gid not in store.groups:
                raise ApiError(400, f"Group with id {gid} does not exist")
        iid = store.next_int("user_invite")
        expires = (datetime.now(timezone.utc) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        invite = {
            "id": iid,
            "legacy_id": iid,
            "invited_by": store.admin_user_id,
            "invited_email": body["email"],
            "expires_at": expires,
            "claimed_by": None,
            "claimed_at": None,
            "user_type": "default",
            "metadata": dict(body.get("metadata") or {}),
            "created_at": now(),
            "invite_link": f"https://retool.example.com/invite/{store.hex32()}",
        }
        store.user_invites[iid] = invite
        for gid in group_ids:
            store.groups[gid].setdefault("_invite_ids", []).append(iid)
        return ok(render_invite(store, invite))


@route("DELETE", "/user_invites/{userInviteId}")
def delete_invite(store: Store, req: Request) -> Result:
    with store.lock:
        invite = get_invite(store, req.params["userInviteId"])
        del store.user_invites[invite["id"]]
        for g in store.groups.values():
            if invite["id"] in g.get("_invite_ids", []):
                g["_invite_ids"].remove(invite["id"])
        return no_content()


set_invite_attribute, delete_invite_attribute = attribute_routes("/user_invites/{userInviteId}", get_invite)


# ---- user attribute definitions ------------------------------------------------------------


def get_attribute(store: Store, attr_id: str) -> Record:
    """The attribute definition or a 404."""
    return get_or_404(store.user_attributes, attr_id, "User attribute")


list_attributes = list_route("/user_attributes", "user_attributes", paginated=False)


@route("POST", "/user_attributes")
def create_attribute(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        if store.find("user_attributes", name=body["name"]) is not None:
            raise ApiError(409, f'A user attribute named "{body["name"]}" already exists')
        aid = store.new_uuid()
        attr = {
            "id": aid,
            "name": body["name"],
            "label": body["label"],
            "data_type": body["dataType"],
            "default_value": body.get("defaultValue"),
            "intercom_attribute_name": None,
        }
        store.user_attributes[aid] = attr
        return ok(dict(attr))


@route("PATCH", "/user_attributes/{id}")
def update_attribute(store: Store, req: Request) -> Result:
    with store.lock:
        attr = get_attribute(store, req.params["id"])
        changes = patch_changes(attr, req, ("label", "data_type", "default_value"), "user attribute")
        if "label" in changes and not isinstance(changes["label"], str):
            raise ApiError(400, "label must be a string")
        if "data_type" in changes and changes["data_type"] not in ("string", "number", "json"):
            raise ApiError(400, "data_type must be one of string, number, json")
        if "default_value" in changes and changes["default_value"] is not None:
            changes["default_value"] = str(changes["default_value"])
        attr.update(changes)
        return ok(dict(attr))


@route("DELETE", "/user_attributes/{id}")
def delete_attribute(store: Store, req: Request) -> Result:
    with store.lock:
        attr = get_attribute(store, req.params["id"])
        del store.user_attributes[attr["id"]]
        if req.query.get("update_existing_users") == "true":
            for user in store.users.values():
                user["metadata"].pop(attr["name"], None)
        return no_content()
