"""Resources and per-environment resource configurations."""

from __future__ import annotations

import copy
from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    delete_route,
    get_or_404,
    listing,
    no_content,
    ok,
    patch_changes,
    read_route,
    route,
    stamps,
    touch,
)
from retool_pulumi.emulator.store import ENCRYPTED, Record, Store, public

# Option keys whose values production stores encrypted and never echoes back.
SECRET_KEYS = {
    "password",
    "secret_access_key",
    "bearer_token",
    "oauth2_client_secret",
    "private_key",
    "client_secret",
    "api_key",
    "token",
    "ssh_private_key",
    "service_account_key",
}
# Resource types whose options carry HTTP authentication settings defaulted by the server.
HTTP_TYPES = {"restapi", "graphql", "grpc", "openapi"}


def get_resource(store: Store, resource_id: str) -> Record:
    """The resource (by id) or a 404."""
    return get_or_404(store.resources, resource_id, "Resource")


def render_resource(res: Record) -> Record:
    """A resource without its options; folder_id only when set (as production answers)."""
    data = public(res)
    if data.get("folder_id") is None:
        data.pop("folder_id", None)
    return data


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: ENCRYPTED if k in SECRET_KEYS and isinstance(v, str) and v else _mask(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def _with_defaults(resource_type: str, options: dict[str, Any]) -> dict[str, Any]:
    options = copy.deepcopy(options)
    if resource_type in HTTP_TYPES and "authentication_options" not in options:
        options["authentication_options"] = {"authentication_type": "none"}
    return options


def _check_folder(store: Store, folder_id: Any) -> None:
    if folder_id is None:
        return
    folder = store.folders.get(folder_id)
    if folder is None or folder["folder_type"] != "resource":
        raise ApiError(400, f'Resource folder with id "{folder_id}" does not exist')


@route("GET", "/resources")
def list_resources(store: Store, req: Request) -> Result:
    with store.lock:
        rtype = req.query.get("resource_type")
        items = [r for r in store.resources.values() if rtype in (None, r["type"])]
        return listing(req, items, render_resource)


read_resource = read_route("/resources/{resourceId}", get_resource, render_resource)


@route("POST", "/resources")
def create_resource(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        _check_folder(store, body.get("folder_id"))
        rid = store.new_uuid()
        res = {
            "id": rid,
            "type": body["type"],
            "display_name": body["display_name"],
            "folder_id": body.get("folder_id"),
            "protected": False,
            **stamps(),
            "_options": copy.deepcopy(body["options"]),
        }
        store.resources[rid] = res
        return ok(render_resource(res))


@route("PATCH", "/resources/{resourceId}")
def update_resource(store: Store, req: Request) -> Result:
    with store.lock:
        res = get_resource(store, req.params["resourceId"])
        view = {**res, "options": res.get("_options", {})}
        changes = patch_changes(view, req, ("display_name", "folder_id", "options"), "resource")
        if "display_name" in changes and not (
            isinstance(changes["display_name"], str) and changes["display_name"]
        ):
            raise ApiError(400, "display_name must be a non-empty string")
        if "folder_id" in changes:
            _check_folder(store, changes["folder_id"])
        if "options" in changes:
            if not isinstance(changes["options"], dict):
                raise ApiError(400, "options must be an object")
            res["_options"] = changes.pop("options")
        touch(res, changes)
        return ok(render_resource(res))


@route("DELETE", "/resources/{resourceId}")
def delete_resource(store: Store, req: Request) -> Result:
    from retool_pulumi.emulator.handlers.permissions import drop_object

    with store.lock:
        res = get_resource(store, req.params["resourceId"])
        del store.resources[res["id"]]
        drop_object(store, "resource", res["id"])
        for cid in [k for k, v in store.resource_configurations.items() if v["_resource_id"] == res["id"]]:
            del store.resource_configurations[cid]
            drop_object(store, "resource_configuration", cid)
        return no_content()


# ---- resource configurations --------------------------------------------------------------


def get_configuration(store: Store, config_id: str) -> Record:
    """The resource configuration or a 404."""
    return get_or_404(store.resource_configurations, config_id, "Resource configuration")


def render_configuration(store: Store, conf: Record) -> Record:
    """A configuration with its resource and environment embedded, secrets masked."""
    res = store.resources[conf["_resource_id"]]
    env = store.environments[conf["_environment_id"]]
    return {
        "id": conf["id"],
        "resource": render_resource(res),
        "environment": public(env),
        "options": _mask(conf["_options"]),
        "created_at": conf["created_at"],
        "updated_at": conf["updated_at"],
    }


@route("GET", "/resource_configurations")
def list_configurations(store: Store, req: Request) -> Result:
    with store.lock:
        q = req.query
        items = [
            c
            for c in store.resource_configurations.values()
            if q.get("resource_id") in (None, c["_resource_id"])
            and q.get("environment_id") in (None, c["_environment_id"])
            and q.get("resource_type") in (None, store.resources[c["_resource_id"]]["type"])
        ]
        return listing(req, items, lambda c: render_configuration(store, c))


@route("GET", "/resource_configurations/{configurationId}")
def read_configuration(store: Store, req: Request) -> Result:
    with store.lock:
        # Enveloped although the spec says bare (divergence resource-configuration-envelope).
        return ok(render_configuration(store, get_configuration(store, req.params["configurationId"])))


@route("POST", "/resource_configurations")
def create_configuration(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        res = store.resources.get(body["resource_id"])
        if res is None:
            raise ApiError(400, f'Resource with id "{body["resource_id"]}" does not exist')
        if body["environment_id"] not in store.environments:
            raise ApiError(400, f'Environment with id "{body["environment_id"]}" does not exist')
        for c in store.resource_configurations.values():
            if c["_resource_id"] == res["id"] and c["_environment_id"] == body["environment_id"]:
                raise ApiError(400, "A configuration for this resource and environment already exists")
        cid = store.new_uuid()
        conf = {
            "id": cid,
            "_resource_id": res["id"],
            "_environment_id": body["environment_id"],
            "_options": _with_defaults(res["type"], body["options"]),
            **stamps(),
        }
        store.resource_configurations[cid] = conf
        return ok(render_configuration(store, conf))


@route("PATCH", "/resource_configurations/{configurationId}")
def update_configuration(store: Store, req: Request) -> Result:
    with store.lock:
        conf = get_configuration(store, req.params["configurationId"])
        view = {"options": conf["_options"]}
        changes = patch_changes(view, req, ("options",), "resource configuration")
        if "options" in changes:
            if not isinstance(changes["options"], dict):
                raise ApiError(400, "options must be an object")
            res = store.resources[conf["_resource_id"]]
            conf["_options"] = _with_defaults(res["type"], changes["options"])
            touch(res)
        touch(conf)
        return ok(render_configuration(store, conf))


delete_configuration = delete_route(
    "/resource_configurations/{configurationId}",
    "resource_configurations",
    get_configuration,
    "resource_configuration",
)
