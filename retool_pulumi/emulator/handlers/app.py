"""/apps (listing by name, clone) and /workflows."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, list_route, listing, ok, read_route, route


@route("GET", "/apps")
def list_apps(b: Backends, req: Request) -> Result:
    return listing(req, b.apps.matching(req.query.get("name_contains")), b.apps.render)


read_app = read_route("/apps/{appId}", lambda b: b.apps)
delete_app = delete_route("/apps/{appId}", lambda b: b.apps)


@route("POST", "/apps/cloneApp")
def clone_app(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(b.apps.clone(body["app_id"], body["new_app_name"], body.get("folder_id")))


list_workflows = list_route("/workflows", lambda b: b.workflows)
read_workflow = read_route("/workflows/{workflowId}", lambda b: b.workflows)
delete_workflow = delete_route("/workflows/{workflowId}", lambda b: b.workflows)
