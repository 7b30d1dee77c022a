"""/users, their two-factor reset and logout (attribute values: user_attribute.py)."""

from __future__ import annotations

from ..backends import Backends
from ..backends.user import USER_FIELDS
from .base import Request, Result, delete_route, listing, no_content, ok, patch_changes, route


@route("GET", "/users")
def list_users(b: Backends, req: Request) -> Result:
    return listing(req, b.users.matching(req.query), b.users.render)


@route("GET", "/users/{userId}")
def read_user(b: Backends, req: Request) -> Result:
    user = b.users.get(req.params["userId"])
    return ok(b.users.render(user, include_groups=bool(req.query.get("includeGroups"))))


@route("POST", "/users")
def create_user(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(
        b.users.create(
            body["email"],
            body["first_name"],
            body["last_name"],
            active=body.get("active", True),
            metadata=body.get("metadata"),
            user_type=body.get("user_type", "default"),
        )
    )


@route("PATCH", "/users/{userId}")
def update_user(b: Backends, req: Request) -> Result:
    user = b.users.get(req.params["userId"])
    return ok(b.users.update(user, patch_changes(user, req, USER_FIELDS, "user")))


delete_user = delete_route("/users/{userId}", lambda b: b.users)


@route("PUT", "/users/reset2fa/{userId}")
def reset_2fa(b: Backends, req: Request) -> Result:
    b.users.reset_two_factor(req.params["userId"])
    return no_content()


@route("POST", "/users/{userId}/logout")
def logout(b: Backends, req: Request) -> Result:
    return ok(b.users.log_out(req.params["userId"], bool((req.body or {}).get("sso_logout"))))
