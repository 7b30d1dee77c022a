"""/environments."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, list_route, ok, patch_changes, read_route, route

list_environments = list_route("/environments", lambda b: b.environments)
read_environment = read_route("/environments/{environmentId}", lambda b: b.environments)


@route("POST", "/environments")
def create_environment(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(b.environments.create(body["name"], body.get("description"), body["color"]))


@route("PATCH", "/environments/{environmentId}")
def update_environment(b: Backends, req: Request) -> Result:
    env = b.environments.get(req.params["environmentId"])
    changes = patch_changes(env, req, ("name", "description", "color"), "environment")
    return ok(b.environments.update(env, changes))


delete_environment = delete_route("/environments/{environmentId}", lambda b: b.environments)
