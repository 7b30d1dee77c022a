"""/user_invites and the invites of a group (/groups/{groupId}/user_invites)."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, listing, no_content, ok, read_route, route


@route("GET", "/user_invites")
def list_invites(b: Backends, req: Request) -> Result:
    return listing(req, b.user_invites.all(), b.user_invites.render)


read_invite = read_route("/user_invites/{userInviteId}", lambda b: b.user_invites)


@route("POST", "/user_invites")
def create_invite(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(b.user_invites.create(body["email"], body.get("metadata"), body.get("defaultGroupIds") or []))


delete_invite = delete_route("/user_invites/{userInviteId}", lambda b: b.user_invites)


@route("POST", "/groups/{groupId}/user_invites")
def add_group_invites(b: Backends, req: Request) -> Result:
    return ok(b.groups.add_invites(b.groups.get(req.params["groupId"]), req.body["userInviteIds"]))


@route("DELETE", "/groups/{groupId}/user_invites/{userInviteId}")
def remove_group_invite(b: Backends, req: Request) -> Result:
    b.groups.remove_invite(b.groups.get(req.params["groupId"]), req.params["userInviteId"])
    return no_content()
