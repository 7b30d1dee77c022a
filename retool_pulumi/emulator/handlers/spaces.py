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


# store.counters key: how many reads of a new space still see it provisioning (see
# set_provisioning_reads); a counter so that reset() clears it and the state file keeps it.
_PROVISIONING_READS = "space_provisioning_reads"


def set_provisioning_reads(store: Store, reads: int) -> None:
    """Let the next `reads` reads (GETs and listings) of each space created from now on find it
    still provisioning, with `domain: ""` (divergence space-create-domain). Production's POST
    takes seconds to provision a space; a read that reaches Retool meanwhile (the lookup after a
    timed-out create) sees the empty domain. 0, the default, is the recorded case: the GET after
    the POST has the domain."""
    with store.lock:
        store.counters[_PROVISIONING_READS] = max(0, int(reads))


def render_space(space: Record) -> Record:
    """A space as a read returns it (one read of its provisioning window used up)."""
    data = public(space)
    if space.get("_provisioning_reads", 0) > 0:
        space["_provisioning_reads"] -= 1
        data["domain"] = ""
    return data


list_spaces = list_route("/spaces", "spaces", render_space)
read_space = read_route("/spaces/{spaceId}", get_space, render_space)


@route("POST", "/spaces")
def create_space(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        _check_domain(store, body["domain"])
        sid = f"org_{store.hex32()}"
        space = {"id": sid, "name": body["name"], "domain": body["domain"], **stamps()}
        if store.counters.get(_PROVISIONING_READS):
            space["_provisioning_reads"] = store.counters[_PROVISIONING_READS]
        store.spaces[sid] = space
        # Production answers before the domain is provisioned (divergence space-create-domain).
        return ok({**public(space), "domain": ""})


@route("PUT", "/spaces/{spaceId}")
def update_space(store: Store, req: Request) -> Result:
    with store.lock:
        space = get_space(store, req.params["spaceId"])
        _check_domain(store, req.body["domain"], exclude=space["id"])
        space.update(name=req.body["name"], domain=req.body["domain"], updated_at=now())
        space.pop("_provisioning_reads", None)
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
