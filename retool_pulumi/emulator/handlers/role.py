"""/role_permissions: roles and role grants."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, no_content, ok, route


@route("GET", "/role_permissions/roles")
def list_roles(b: Backends, req: Request) -> Result:
    return ok([b.roles.render(r) for r in b.roles.all()])


@route("POST", "/role_permissions/roles")
def create_role(b: Backends, req: Request) -> Result:
    body = req.body
    role = b.roles.create(
        body["name"], body.get("description", ""), body["object_scopes"], body["organization_scopes"]
    )
    # The spec documents role answers without the envelope.
    return 201, role


@route("PATCH", "/role_permissions/roles/{roleId}")
def update_role(b: Backends, req: Request) -> Result:
    return 200, b.roles.update(b.roles.get(req.params["roleId"]), req.body)


delete_role = delete_route("/role_permissions/roles/{roleId}", lambda b: b.roles)


@route("POST", "/role_permissions/role_grants")
def create_grant(b: Backends, req: Request) -> Result:
    body = req.body
    b.role_grants.create(
        body["role_id"],
        body["subject_type"],
        body["subject_id"],
        body.get("object_type"),
        body.get("object_id"),
    )
    # The spec's 201 has no content (divergence role-grants-bodies): the grant is found by GET.
    return 201, None


@route("GET", "/role_permissions/role_grants")
def list_grants(b: Backends, req: Request) -> Result:
    return ok([b.role_grants.render(g) for g in b.role_grants.all()])


@route("GET", "/role_permissions/role_grants/{subjectType}/{subjectId}")
def grants_for_subject(b: Backends, req: Request) -> Result:
    grants = b.role_grants.of_subject(req.params["subjectType"], req.params["subjectId"])
    return ok([b.role_grants.render(g) for g in grants])


delete_grant = delete_route("/role_permissions/role_grants/{roleGrantId}", lambda b: b.role_grants)


@route("POST", "/role_permissions/remove_role_grants_for_subject/")
def remove_grants_for_subject(b: Backends, req: Request) -> Result:
    b.role_grants.remove_for_subject(req.body)
    return no_content()
