"""Spaces (ids `org_<32 hex>`) and copying elements between spaces."""

from __future__ import annotations

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    listing,
    no_content,
    not_found,
    ok,
    route,
)
from retool_pulumi.emulator.store import Record, Store, now, public


def get_space(store: Store, space_id: str) -> Record:
    """The space or a 404."""
    space = store.spaces.get(space_id)
    if space is None:
        raise not_found(f'Space with id "{space_id}" not found')
    return space


def _check_domain(store: Store, domain: str, exclude: str | None = None) -> None:
    for s in store.spaces.values():
        if s["id"] != exclude and s["domain"] == domain:
            raise ApiError(422, f'Domain "{domain}" is already used by another space')


@route("GET", "/spaces")
def list_spaces(store: Store, req: Request) -> Result:
    with store.lock:
        return listing(req, store.spaces.values())


@route("GET", "/spaces/{spaceId}")
def read_space(store: Store, req: Request) -> Result:
    with store.lock:
        return ok(public(get_space(store, req.params["spaceId"])))


@route("POST", "/spaces")
def create_space(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        _check_domain(store, body["domain"])
        sid = f"org_{store.hex32()}"
        ts = now()
        space = {
            "id": sid,
            "name": body["name"],
            "domain": body["domain"],
            "created_at": ts,
            "updated_at": ts,
        }
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


@route("DELETE", "/spaces/{spaceId}")
def delete_space(store: Store, req: Request) -> Result:
    with store.lock:
        space = get_space(store, req.params["spaceId"])
        del store.spaces[space["id"]]
        return no_content()


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
