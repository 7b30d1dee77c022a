"""Folders (ids `<type>_<n>`, one system root per folder type)."""

from __future__ import annotations

from typing import Any

from retool_pulumi.emulator.handlers.base import (
    ApiError,
    Request,
    Result,
    get_or_404,
    listing,
    no_content,
    ok,
    patch_changes,
    read_route,
    route,
    touch,
)
from retool_pulumi.emulator.seed import folder_record
from retool_pulumi.emulator.store import Record, Store, now, public


def get_folder(store: Store, folder_id: str) -> Record:
    """The folder or a 404."""
    return get_or_404(store.folders, folder_id, "Folder")


def ensure_root(store: Store, folder_type: str) -> Record:
    """The root folder of a type, created on first use for types production seeds lazily."""
    root = store.root_folder(folder_type)
    if root is None:
        fid = store.new_folder_id(folder_type)
        ts = now()
        root = folder_record(fid, "root", None, True, folder_type, ts)
        store.folders[fid] = root
    return root


def _check_name_free(
    store: Store, name: str, parent: str | None, ftype: str, exclude: str | None = None
) -> None:
    for f in store.folders.values():
        if (
            f["id"] != exclude
            and f["name"] == name
            and f["parent_folder_id"] == parent
            and f["folder_type"] == ftype
        ):
            raise ApiError(409, f'A folder named "{name}" already exists in this location')


def _check_parent(store: Store, parent_id: Any, ftype: str, moving: str | None = None) -> str:
    if not isinstance(parent_id, str) or parent_id not in store.folders:
        raise ApiError(422, f'Parent folder with id "{parent_id}" does not exist')
    parent = store.folders[parent_id]
    if parent["folder_type"] != ftype:
        raise ApiError(
            422, f"Parent folder {parent_id} is a {parent['folder_type']} folder, not a {ftype} folder"
        )
    cursor: str | None = parent_id
    while cursor is not None:
        if cursor == moving:
            raise ApiError(422, "A folder cannot be moved into itself or one of its descendants")
        cursor = store.folders[cursor]["parent_folder_id"]
    return parent_id


def _contents(store: Store, folder_id: str) -> list[Record]:
    items: list[Record] = [f for f in store.folders.values() if f["parent_folder_id"] == folder_id]
    items += [a for a in store.apps.values() if a["folder_id"] == folder_id]
    items += [w for w in store.workflows.values() if w["folder_id"] == folder_id]
    items += [r for r in store.resources.values() if r.get("folder_id") == folder_id]
    return items


@route("GET", "/folders")
def list_folders(store: Store, req: Request) -> Result:
    with store.lock:
        # Production orders folders by id as a string (app_1, app_10, app_2, ...).
        return listing(req, sorted(store.folders.values(), key=lambda f: str(f["id"])))


read_folder = read_route("/folders/{folderId}", get_folder)


@route("POST", "/folders")
def create_folder(store: Store, req: Request) -> Result:
    body = req.body
    with store.lock:
        ftype = body["folder_type"]
        parent = body.get("parent_folder_id")
        parent = ensure_root(store, ftype)["id"] if parent is None else _check_parent(store, parent, ftype)
        _check_name_free(store, body["name"], parent, ftype)
        fid = store.new_folder_id(ftype)
        folder = folder_record(fid, body["name"], parent, False, ftype, now())
        store.folders[fid] = folder
        return ok(public(folder))


@route("PATCH", "/folders/{folderId}")
def update_folder(store: Store, req: Request) -> Result:
    with store.lock:
        folder = get_folder(store, req.params["folderId"])
        changes = patch_changes(folder, req, ("name", "parent_folder_id"), "folder")
        if folder["is_system_folder"]:
            raise ApiError(422, "System folders cannot be modified")
        before = public(folder)
        name = changes.get("name", folder["name"])
        if not isinstance(name, str) or not name:
            raise ApiError(422, "Folder name cannot be empty")
        parent = folder["parent_folder_id"]
        if "parent_folder_id" in changes:
            target = changes["parent_folder_id"]
            if target is None:
                target = ensure_root(store, folder["folder_type"])["id"]
            parent = _check_parent(store, target, folder["folder_type"], moving=folder["id"])
        _check_name_free(store, name, parent, folder["folder_type"], exclude=folder["id"])
        touch(folder, {"name": name, "parent_folder_id": parent})
        if set(changes) == {"parent_folder_id"}:
            # Production answers a pure move with the pre-move folder (divergence folder-patch-move-response).
            return ok(before)
        return ok(public(folder))


@route("DELETE", "/folders/{folderId}")
def delete_folder(store: Store, req: Request) -> Result:
    from retool_pulumi.emulator.handlers.permissions import drop_object

    with store.lock:
        folder = get_folder(store, req.params["folderId"])
        if folder["is_system_folder"]:
            raise ApiError(400, "System folders cannot be deleted")
        recursive = bool(req.query.get("recursive"))
        if _contents(store, folder["id"]) and not recursive:
            raise ApiError(
                400, f"Folder {folder['id']} is not empty; delete its contents or pass recursive=true"
            )
        _delete_tree(store, folder["id"])
        drop_object(store, "folder", folder["id"])
        return no_content()


def _delete_tree(store: Store, folder_id: str) -> None:
    from retool_pulumi.emulator.handlers.permissions import drop_object

    for child in [f["id"] for f in store.folders.values() if f["parent_folder_id"] == folder_id]:
        _delete_tree(store, child)
        drop_object(store, "folder", child)
    for coll in ("apps", "workflows"):
        records = getattr(store, coll)
        for rid in [k for k, v in records.items() if v["folder_id"] == folder_id]:
            del records[rid]
            drop_object(store, coll[:-1], rid)
    for res in store.resources.values():
        if res.get("folder_id") == folder_id:
            res["folder_id"] = None
    store.folders.pop(folder_id, None)
