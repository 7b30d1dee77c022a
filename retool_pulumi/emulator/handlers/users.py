"""Users, user attribute values, logout and 2FA reset."""

from __future__ import annotations

from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    attribute_routes,
    get_or_404,
    listing,
    no_content,
    ok,
    patch_changes,
    route,
)
from retool_pulumi.emulator.store import Record, Store, now, public

USER_FIELDS = ("first_name", "last_name", "email", "active", "metadata", "is_admin", "user_type")


def get_user(store: Store, user_id: str) -> Record:
    """The user or a 404."""
    return get_or_404(store.users, user_id, "User")


def check_email_free(store: Store, email: str, exclude: str | None = None) -> None:
    """409 when another user (disabled ones included) has this address, compared case-insensitively
    (divergences: user-email-unique)."""
    wanted = email.lower()
    for user in store.users.values():
        if user["id"] != exclude and str(user["email"]).lower() == wanted:
            raise ApiError(409, f'A user with email "{email}" already exists')


def render_user(store: Store, user: Record, include_groups: bool = False) -> Record:
    """A user as the API returns it."""
    data = public(user)
    if include_groups:
        data["groups"] = [
            {"legacy_id": g["id"], "id": g["id"], "name": g["name"]}
            for g in store.groups.values()
            if any(m["id"] == user["id"] for m in g["members"])
        ]
    return data


@route("GET", "/users")
def list_users(store: Store, req: Request) -> Result:
    with store.lock:
        users = [
            u
            for u in store.users.values()
            if all(req.query.get(k) in (None, u.get(k)) for k in ("email", "first_name", "last_name"))
        ]
        return listing(req, users, lambda u: render_user(store, u))


@route("GET", "/users/{userId}")
def read_user(store: Store, req: Request) -> Result:
    with store.lock:
        user = get_user(store, req.params["userId"])
        return ok(render_user(store, user, bool(req.query.get("includeGroups"))))


@route("POST", "/users")
def create_user(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        check_email_free(store, body["email"])
        user_id = f"user_{store.hex32()}"
        user = {
            "id": user_id,
            "legacy_id": store.next_int("user"),
            "first_name": body["first_name"],
            "last_name": body["last_name"],
            "created_at": now(),
            "last_active": None,
            "email": body["email"],
            "active": body.get("active", True),
            "metadata": body.get("metadata") or {},
            "is_admin": False,
            "two_factor_auth_enabled": False,
            "user_type": body.get("user_type", "default"),
        }
        store.users[user_id] = user
        all_users = store.find("groups", name="All Users")
        if all_users is not None:
            all_users["members"].append({"id": user_id, "email": user["email"], "is_group_admin": False})
        return ok(render_user(store, user))


@route("PATCH", "/users/{userId}")
def update_user(store: Store, req: Request) -> Result:
    with store.lock:
        user = get_user(store, req.params["userId"])
        changes = patch_changes(user, req, USER_FIELDS, "user")
        if "metadata" in changes and changes["metadata"] is None:
            changes["metadata"] = {}
        for key in ("first_name", "last_name", "email", "active", "is_admin", "user_type"):
            if (
                key in changes
                and changes[key] is None
                and key in ("email", "active", "is_admin", "user_type")
            ):
                raise ApiError(400, f"{key} cannot be removed")
        if "email" in changes:
            check_email_free(store, changes["email"], exclude=user["id"])
        user.update(changes)
        if "email" in changes:
            for g in store.groups.values():
                for m in g["members"]:
                    if m["id"] == user["id"]:
                        m["email"] = user["email"]
        return ok(render_user(store, user))


@route("DELETE", "/users/{userId}")
def delete_user(store: Store, req: Request) -> Result:
    with store.lock:
        user = get_user(store, req.params["userId"])
        # Production disables rather than removes (see divergences: user-delete-disables).
        user["active"] = False
        return no_content()


@route("PUT", "/users/reset2fa/{userId}")
def reset_2fa(store: Store, req: Request) -> Result:
    with store.lock:
        get_user(store, req.params["userId"])["two_factor_auth_enabled"] = False
        return no_content()


@route("POST", "/users/{userId}/logout")
def logout(store: Store, req: Request) -> Result:
    with store.lock:
        get_user(store, req.params["userId"])
    body = req.body or {}
    data: dict[str, Any] = {"sso_logout": False}
    if body.get("sso_logout"):
        data["warning"] = "SSO is not configured for this organization; only the Retool session was ended."
    return ok(data)


set_user_attribute, delete_user_attribute = attribute_routes("/users/{userId}", get_user)
