"""/resources and /resource_configurations."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, listing, ok, patch_changes, read_route, route


@route("GET", "/resources")
def list_resources(b: Backends, req: Request) -> Result:
    return listing(req, b.resources.of_type(req.query.get("resource_type")), b.resources.render)


read_resource = read_route("/resources/{resourceId}", lambda b: b.resources)


@route("POST", "/resources")
def create_resource(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(b.resources.create(body["type"], body["display_name"], body["options"], body.get("folder_id")))


@route("PATCH", "/resources/{resourceId}")
def update_resource(b: Backends, req: Request) -> Result:
    res = b.resources.get(req.params["resourceId"])
    allowed = ("display_name", "folder_id", "options")
    return ok(b.resources.update(res, patch_changes(b.resources.patchable(res), req, allowed, "resource")))


delete_resource = delete_route("/resources/{resourceId}", lambda b: b.resources)


@route("GET", "/resource_configurations")
def list_configurations(b: Backends, req: Request) -> Result:
    configurations = b.resource_configurations
    return listing(req, configurations.matching(req.query), configurations.render)


# Enveloped although the spec says bare (divergence resource-configuration-envelope).
read_configuration = read_route(
    "/resource_configurations/{configurationId}", lambda b: b.resource_configurations
)


@route("POST", "/resource_configurations")
def create_configuration(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(b.resource_configurations.create(body["resource_id"], body["environment_id"], body["options"]))


@route("PATCH", "/resource_configurations/{configurationId}")
def update_configuration(b: Backends, req: Request) -> Result:
    configurations = b.resource_configurations
    conf = configurations.get(req.params["configurationId"])
    changes = patch_changes(configurations.patchable(conf), req, ("options",), "resource configuration")
    return ok(configurations.update(conf, changes))


delete_configuration = delete_route(
    "/resource_configurations/{configurationId}", lambda b: b.resource_configurations
)
