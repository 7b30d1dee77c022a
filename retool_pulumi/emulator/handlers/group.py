"""/groups (members: group_member.py; invites: user_invite.py)."""

from __future__ import annotations

from ..backends import Backends
from ..backends.group import GROUP_FIELDS
from .base import Request, Result, delete_route, listing, ok, patch_changes, route


@route("GET", "/groups")
def list_groups(b: Backends, req: Request) -> Result:
    return listing(req, b.groups.all(), b.groups.render)


@route("GET", "/groups/{groupId}")
def read_group(b: Backends, req: Request) -> Result:
    group = b.groups.get(req.params["groupId"])
    return ok(b.groups.render(group, exclude_disabled=bool(req.query.get("excludeDisabledUsers"))))


@route("POST", "/groups")
def create_group(b: Backends, req: Request) -> Result:
    return ok(b.groups.create(req.body))


@route("PUT", "/groups/{groupId}")
def replace_group(b: Backends, req: Request) -> Result:
    return ok(b.groups.update(b.groups.get(req.params["groupId"]), req.body))


@route("PATCH", "/groups/{groupId}")
def update_group(b: Backends, req: Request) -> Result:
    group = b.groups.get(req.params["groupId"])
    allowed = (*GROUP_FIELDS, "members", "user_invites")
    return ok(b.groups.update(group, patch_changes(b.groups.patchable(group), req, allowed, "group")))


delete_group = delete_route("/groups/{groupId}", lambda b: b.groups)
