"""Spaces (ids `org_<32 hex>`) and copying elements between spaces."""

from __future__ import annotations

from retool_pulumi.emulator.handlers.base import (
    Request,
    Result,
    check_unique,
    delete_route,
    get_or_404,
    list_route,
    not_found,
    ok,
    read_route,
    route,
    stamps,
)
from retool_pulumi.emulator.store import Record, Store, now, public


def get_space(store: Store, space_id: str) -> Record:
    """The space or a 404."""
    return get_or_404(store.spaces, space_id, "Space")


def _check_domain(store: Store, domain: str, exclude: str | None = None) -> None:
    message = f'Domain "{domain}" is already used by another space'
    check_unique(store.spaces.values(), "domain", domain, message, exclude, status=422)


list_spaces = list_route("/spaces", "spaces")
read_space = read_route("/spaces/{spaceId}", get_space)


@route("POST", "/spaces")
def create_space(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        _check_domain(store, body["domain"])
        sid = f"org_{store.hex32()}"
        space = {"id": sid, "name": body["name"], "domain": body["domain"], **stamps()}
        store.spaces[sid] = space
        # Production answers before the domain is provisioned (divergence space-create-domain).
        return ok({**public(space), "domain": ""})


@route("PUT", "/spaces/{spaceId}")
def update_space(store: Store, req: Request) -> Result:
    with store.lock:
        space = get_space(store, req.params["spaceId"])
        _check_domain(store, req.body["domain"], exclude=space["id"])
        space.update(name=req.body["name"], domain=req.body["domain"], updated_at=now())
        return ok(public(space))


delete_space = delete_route("/spaces/{spaceId}", "spaces", get_space)


@route("POST", "/spaces/copyElements")
def copy_elements(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        get_space(store, body["destination_space_id"])
        for key, coll in (
            ("app_ids", store.apps),
            ("workflow_ids", store.workflows),
            ("resource_ids", store.resources),
        ):
            for item in body[key]:
                if item not in coll and not (
                    key == "resource_ids" and store.find("resources", display_name=item)
                ):
                    raise not_found(f'{key[:-4].capitalize()} with id "{item}" not found')
        data = {
            "resource_ids": [store.new_uuid() for _ in body["resource_ids"]],
            "query_library_query_ids": [store.new_uuid() for _ in body["query_library_query_ids"]],
            "app_ids": [store.new_uuid() for _ in body["app_ids"]],
            "workflow_ids": [store.new_uuid() for _ in body["workflow_ids"]],
        }
        return ok(data, status=201)
