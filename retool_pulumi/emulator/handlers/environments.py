"""Environments and configuration variables."""

from __future__ import annotations

import re
from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    check_unique,
    delete_route,
    get_or_404,
    list_route,
    no_content,
    ok,
    patch_changes,
    read_route,
    route,
    stamps,
    touch,
)
from retool_pulumi.emulator.store import ENCRYPTED, Record, Store, public

_COLOR = re.compile(r"^#[A-Fa-f0-9]{6}$")


def get_environment(store: Store, env_id: str) -> Record:
    """The environment or a 404."""
    return get_or_404(store.environments, env_id, "Environment")


def _check_unique(store: Store, name: str, exclude: str | None = None) -> None:
    message = f'An environment named "{name}" already exists'
    check_unique(store.environments.values(), "name", name, message, exclude)


list_environments = list_route("/environments", "environments")
read_environment = read_route("/environments/{environmentId}", get_environment)


@route("POST", "/environments")
def create_environment(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        _check_unique(store, body["name"])
        eid = store.new_uuid()
        env = {
            "id": eid,
            "name": body["name"],
            "description": body.get("description"),
            "color": body["color"],
            "default": False,
            **stamps(),
        }
        store.environments[eid] = env
        return ok(public(env))


@route("PATCH", "/environments/{environmentId}")
def update_environment(store: Store, req: Request) -> Result:
    with store.lock:
        env = get_environment(store, req.params["environmentId"])
        changes = patch_changes(env, req, ("name", "description", "color"), "environment")
        if "name" in changes:
            if not isinstance(changes["name"], str) or not changes["name"]:
                raise ApiError(400, "name must be a non-empty string")
            _check_unique(store, changes["name"], exclude=env["id"])
        if "color" in changes and not (isinstance(changes["color"], str) and _COLOR.match(changes["color"])):
            raise ApiError(400, "color must be a hex color such as #3C92DC")
        if (
            "description" in changes
            and changes["description"] is not None
            and not isinstance(changes["description"], str)
        ):
            raise ApiError(400, "description must be a string")
        touch(env, changes)
        return ok(public(env))


@route("DELETE", "/environments/{environmentId}")
def delete_environment(store: Store, req: Request) -> Result:
    from retool_pulumi.emulator.handlers.permissions import drop_object

    with store.lock:
        env = get_environment(store, req.params["environmentId"])
        if env["default"]:
            raise ApiError(400, "The default environment cannot be deleted")
        del store.environments[env["id"]]
        for cid in [k for k, v in store.resource_configurations.items() if v["_environment_id"] == env["id"]]:
            del store.resource_configurations[cid]
            drop_object(store, "resource_configuration", cid)
        for var in store.configuration_variables.values():
            var["values"] = [v for v in var["values"] if v["environment_id"] != env["id"]]
        return no_content()


# ---- configuration variables -------------------------------------------------------------


def get_variable(store: Store, var_id: str) -> Record:
    """The configuration variable or a 404."""
    return get_or_404(store.configuration_variables, var_id, "Configuration variable")


def render_variable(var: Record) -> Record:
    """Secret values are masked on every read (divergence configuration-variable-secret-masking)."""
    data = public(var)
    if var["secret"]:
        data["values"] = [{**v, "value": ENCRYPTED} for v in data["values"]]
        if data.get("default_value") is not None:
            data["default_value"] = ENCRYPTED
    return data


def _variable_fields(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    seen: set[str] = set()
    for v in body["values"]:
        if v["environment_id"] not in store.environments:
            raise ApiError(400, f'Environment with id "{v["environment_id"]}" does not exist')
        if v["environment_id"] in seen:
            raise ApiError(400, f'Duplicate value for environment "{v["environment_id"]}"')
        seen.add(v["environment_id"])
    fields: dict[str, Any] = {
        "name": body["name"],
        "secret": body["secret"],
        "values": [{"environment_id": v["environment_id"], "value": v["value"]} for v in body["values"]],
    }
    if "description" in body:
        fields["description"] = body["description"]
    if body.get("default_value") is not None:
        fields["default_value"] = body["default_value"]
    return fields


list_variables = list_route(
    "/configuration_variables", "configuration_variables", render_variable, paginated=False
)
read_variable = read_route("/configuration_variables/{id}", get_variable, render_variable)


@route("POST", "/configuration_variables")
def create_variable(store: Store, req: Request) -> Result:
    with store.lock:
        fields = _variable_fields(store, req.body)
        vid = store.new_uuid()
        var = {
            "id": vid,
            "name": fields.pop("name"),
            **{k: fields[k] for k in ("description",) if k in fields},
        }
        var.update({k: v for k, v in fields.items() if k != "description"})
        store.configuration_variables[vid] = var
        return ok(render_variable(var))


@route("PUT", "/configuration_variables/{id}")
def replace_variable(store: Store, req: Request) -> Result:
    with store.lock:
        var = get_variable(store, req.params["id"])
        fields = _variable_fields(store, req.body)
        keep = {"id": var["id"], "name": fields.pop("name")}
        if "description" in fields:
            keep["description"] = fields.pop("description")
        var.clear()
        var.update(keep)
        var.update(fields)
        return ok(render_variable(var))


delete_variable = delete_route("/configuration_variables/{id}", "configuration_variables", get_variable)
