"""/spaces and copying elements between spaces."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, delete_route, list_route, ok, read_route, route

list_spaces = list_route("/spaces", lambda b: b.spaces)
read_space = read_route("/spaces/{spaceId}", lambda b: b.spaces)


@route("POST", "/spaces")
def create_space(b: Backends, req: Request) -> Result:
    return ok(b.spaces.create(req.body["name"], req.body["domain"]))


@route("PUT", "/spaces/{spaceId}")
def update_space(b: Backends, req: Request) -> Result:
    return ok(b.spaces.update(b.spaces.get(req.params["spaceId"]), req.body["name"], req.body["domain"]))


delete_space = delete_route("/spaces/{spaceId}", lambda b: b.spaces)


@route("POST", "/spaces/copyElements")
def copy_elements(b: Backends, req: Request) -> Result:
    return ok(b.spaces.copy_elements(req.body["destination_space_id"], req.body), status=201)
