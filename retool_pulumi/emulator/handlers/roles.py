"""Roles and role grants (`/role_permissions/...`)."""

from __future__ import annotations

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    check_unique,
    get_or_404,
    no_content,
    not_found,
    ok,
    route,
    stamps,
    touch,
)
from retool_pulumi.emulator.store import Record, Store, now, public


def get_role(store: Store, role_id: str) -> Record:
    """The role or a 404."""
    return get_or_404(store.roles, role_id, "Role")


def _check_name(store: Store, name: str, exclude: str | None = None) -> None:
    if not name.strip():
        raise ApiError(422, "Role name cannot be empty")
    check_unique(store.roles.values(), "name", name, f'A role named "{name}" already exists', exclude)


@route("GET", "/role_permissions/roles")
def list_roles(store: Store, req: Request) -> Result:
    with store.lock:
        return ok([public(r) for r in store.roles.values()])


@route("POST", "/role_permissions/roles")
def create_role(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        _check_name(store, body["name"])
        rid = store.new_uuid()
        role = {
            "id": rid,
            "organization_id": store.organization.get("id", ""),
            "name": body["name"],
            "description": body.get("description", ""),
            "is_default_role": False,
            "is_legacy_role": False,
            "object_scopes": list(body["object_scopes"]),
            "organization_scopes": list(body["organization_scopes"]),
            "added_dependent_scopes": [],
            **stamps(),
        }
        store.roles[rid] = role
        # The spec documents role answers without the envelope.
        return 201, public(role)


@route("PATCH", "/role_permissions/roles/{roleId}")
def update_role(store: Store, req: Request) -> Result:
    with store.lock:
        role = get_role(store, req.params["roleId"])
        body = req.body
        if "name" in body:
            _check_name(store, body["name"], exclude=role["id"])
        touch(
            role,
            {
                k: body[k]
                for k in ("name", "description", "object_scopes", "organization_scopes")
                if k in body
            },
        )
        return 200, public(role)


@route("DELETE", "/role_permissions/roles/{roleId}")
def delete_role(store: Store, req: Request) -> Result:
    with store.lock:
        role = get_role(store, req.params["roleId"])
        del store.roles[role["id"]]
        for gid in [k for k, v in store.role_grants.items() if v["role_id"] == role["id"]]:
            del store.role_grants[gid]
        return no_content()


def _check_subject(store: Store, subject_type: str, subject_id: str) -> None:
    if subject_type == "group":
        if not subject_id.isdigit() or int(subject_id) not in store.groups:
            raise ApiError(400, f"Group with id {subject_id} does not exist")
    elif subject_type == "user":
        if subject_id not in store.users:
            raise ApiError(400, f'User with id "{subject_id}" does not exist')
    else:
        raise ApiError(400, "subject_type must be one of group, user")


@route("POST", "/role_permissions/role_grants")
def create_grant(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        if body["role_id"] not in store.roles:
            raise ApiError(400, f'Role with id "{body["role_id"]}" does not exist')
        _check_subject(store, body["subject_type"], body["subject_id"])
        gid = store.new_uuid()
        grant = {
            "id": gid,
            "role_id": body["role_id"],
            "subject_type": body["subject_type"],
            "subject_id": body["subject_id"],
            "object_type": body.get("object_type"),
            "object_id": body.get("object_id"),
            "created_at": now(),
        }
        store.role_grants[gid] = grant
        # The spec's 201 has no content (divergence role-grants-bodies): the grant is found by GET.
        return 201, None


@route("GET", "/role_permissions/role_grants")
def list_grants(store: Store, req: Request) -> Result:
    with store.lock:
        return ok([dict(g) for g in store.role_grants.values()])


@route("GET", "/role_permissions/role_grants/{subjectType}/{subjectId}")
def grants_for_subject(store: Store, req: Request) -> Result:
    with store.lock:
        st, sid = req.params["subjectType"], req.params["subjectId"]
        try:
            _check_subject(store, st, sid)
        except ApiError as exc:
            raise not_found(exc.message) from None
        return ok(
            [
                dict(g)
                for g in store.role_grants.values()
                if g["subject_type"] == st and g["subject_id"] == sid
            ]
        )


@route("DELETE", "/role_permissions/role_grants/{roleGrantId}")
def delete_grant(store: Store, req: Request) -> Result:
    with store.lock:
        if store.role_grants.pop(req.params["roleGrantId"], None) is None:
            raise not_found(f'Role grant with id "{req.params["roleGrantId"]}" not found')
        return no_content()


@route("POST", "/role_permissions/remove_role_grants_for_subject/")
def remove_grants_for_subject(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        for gid, g in list(store.role_grants.items()):
            if (
                g["role_id"] == body["role_id"]
                and g["subject_type"] == body["subject_type"]
                and g["subject_id"] == body["subject_id"]
                and body.get("object_type") in (None, g["object_type"])
                and body.get("object_id") in (None, g["object_id"])
            ):
                del store.role_grants[gid]
        return no_content()
