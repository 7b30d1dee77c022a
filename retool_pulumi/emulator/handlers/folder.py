"""/folders."""

from __future__ import annotations

from ..backends import Backends
from .base import Request, Result, list_route, no_content, ok, patch_changes, read_route, route

list_folders = list_route("/folders", lambda b: b.folders)
read_folder = read_route("/folders/{folderId}", lambda b: b.folders)


@route("POST", "/folders")
def create_folder(b: Backends, req: Request) -> Result:
    body = req.body
    return ok(b.folders.create(body["name"], body["folder_type"], body.get("parent_folder_id")))


@route("PATCH", "/folders/{folderId}")
def update_folder(b: Backends, req: Request) -> Result:
    folder = b.folders.get(req.params["folderId"])
    return ok(b.folders.update(folder, patch_changes(folder, req, ("name", "parent_folder_id"), "folder")))


@route("DELETE", "/folders/{folderId}")
def delete_folder(b: Backends, req: Request) -> Result:
    b.folders.delete(req.params["folderId"], recursive=bool(req.query.get("recursive")))
    return no_content()
