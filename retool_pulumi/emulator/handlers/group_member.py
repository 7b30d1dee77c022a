"""/groups/{groupId}/members."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, ok, route


@route("POST", "/groups/{groupId}/members")
def add_members(b: Backends, req: Request) -> Result:
    return ok(b.groups.add_members(b.groups.get(req.params["groupId"]), req.body["members"]))


@route("DELETE", "/groups/{groupId}/members/{userId}")
def remove_member(b: Backends, req: Request) -> Result:
    return ok(b.groups.remove_member(b.groups.get(req.params["groupId"]), req.params["userId"]))
