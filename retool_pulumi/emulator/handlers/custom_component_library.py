"""/custom_component_libraries and their revisions."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, ok, read_route, route


@route("GET", "/custom_component_libraries")
def list_libraries(b: Backends, req: Request) -> Result:
    # `libraryId` is required (the spec): divergence custom-component-libraries-by-id.
    libraries = b.custom_component_libraries
    return ok([libraries.render(lib) for lib in libraries.by_id(req.query["libraryId"])])


read_library = read_route("/custom_component_libraries/{libraryId}", lambda b: b.custom_component_libraries)


@route("POST", "/custom_component_libraries")
def create_library(b: Backends, req: Request) -> Result:
    body = req.body
    libraries = b.custom_component_libraries
    return ok(libraries.create(body["name"], body["label"], body.get("description"), body.get("id")))


@route("POST", "/custom_component_libraries/{libraryId}/revisions")
def create_revision(b: Backends, req: Request) -> Result:
    return ok(b.custom_component_libraries.create_revision(req.params["libraryId"]))


@route("GET", "/custom_component_libraries/{libraryId}/revisions")
def list_revisions(b: Backends, req: Request) -> Result:
    libraries = b.custom_component_libraries
    return ok([libraries.render(r) for r in libraries.revisions(req.params["libraryId"])])


@route("GET", "/custom_component_libraries/{libraryId}/revisions/{revisionId}/files")
def list_revision_files(b: Backends, req: Request) -> Result:
    files = b.custom_component_libraries.revision_files(req.params["libraryId"], req.params["revisionId"])
    return ok(files)
