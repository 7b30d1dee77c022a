"""Environments and configuration variables."""

from __future__ import annotations

import re
from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    apply_operations,
    listing,
    no_content,
    not_found,
    ok,
    route,
)
from retool_pulumi.emulator.store import ENCRYPTED, Record, Store, now, public

_COLOR = re.compile(r"^#[A-Fa-f0-9]{6}$")


def get_environment(store: Store, env_id: str) -> Record:
    """The environment or a 404."""
    env = store.environments.get(env_id)
    if env is None:
        raise not_found(f'Environment with id "{env_id}" not found')
    return env


def _check_unique(store: Store, name: str, exclude: str | None = None) -> None:
    for e in store.environments.values():
        if e["id"] != exclude and e["name"] == name:
            raise ApiError(409, f'An environment named "{name}" already exists')


@route("GET", "/environments")
def list_environments(store: Store, req: Request) -> Result:
    with store.lock:
        return listing(req, store.environments.values())


@route("GET", "/environments/{environmentId}")
def read_environment(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(public(get_environment(store, req.params["environmentId"])))


@route("POST", "/environments")
def create_environment(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        _check_unique(store, body["name"])
        eid = store.new_uuid()
        ts = now()
        env = {
            "id": eid,
            "name": body["name"],
            "description": body.get("description"),
            "color": body["color"],
            "default": False,
            "created_at": ts,
            "updated_at": ts,
        }
        store.environments[eid] = env
        return ok(public(env))


@route("PATCH", "/environments/{environmentId}")
def update_environment(store: Store, req: Request) -> Result:
    with store.lock:
        env = get_environment(store, req.params["environmentId"])
        changes = apply_operations(
            env,
            req.body["operations"],
            ("name", "description", "color"),
            "environment",
            checks=req.field_checks,
        )
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
        env.update(changes)
        env["updated_at"] = now()
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
    var = store.configuration_variables.get(var_id)
    if var is None:
        raise not_found(f'Configuration variable with id "{var_id}" not found')
    return var


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


@route("GET", "/configuration_variables")
def list_variables(store: Store, req: Request) -> Result:
    with store.lock:
        return listing(req, store.configuration_variables.values(), render_variable, paginated=False)


@route("GET", "/configuration_variables/{id}")
def read_variable(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(render_variable(get_variable(store, req.params["id"])))


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


@route("DELETE", "/configuration_variables/{id}")
def delete_variable(store: Store, req: Request) -> Result:
    with store.lock:
        var = get_variable(store, req.params["id"])
        del store.configuration_variables[var["id"]]
        return no_content()
