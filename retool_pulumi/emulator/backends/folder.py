"""Folders: ids `<type>_<n>` from production's sequences, one system root per folder type,
names unique within a parent, moves that keep the tree a tree."""

from __future__ import annotations

from typing import Any

from ..store import Record, now, public
from .base import ApiError, Collection, touch

# App, workflow and file folders share a sequence in production; resource folders have their own
# (divergence folder-ids-shared-counter).
FOLDER_SEQUENCE = {"app": "folder", "workflow": "folder", "file": "folder", "resource": "resource_folder"}


def folder_record(fid: str, name: str, parent: str | None, system: bool, ftype: str, ts: str) -> Record:
    """A folder with production's field order."""
    return {
        "id": fid,
        "legacy_id": fid,
        "name": name,
        "parent_folder_id": parent,
        "is_system_folder": system,
        "folder_type": ftype,
        "updated_at": ts,
        "created_at": ts,
    }


class FolderBackend(Collection):
    """Folders of every type (app, workflow, file, resource)."""

    collection = "folders"
    label = "Folder"

    def new_id(self, folder_type: str) -> str:
        """`<type>_<n>` with production's sequences."""
        sequence = FOLDER_SEQUENCE.get(folder_type, folder_type + "_folder")
        return f"{folder_type}_{self.store.next_int(sequence)}"

    def root(self, folder_type: str) -> Record | None:
        """The system root folder of a folder type, if it exists."""
        for f in self.records.values():
            if f["folder_type"] == folder_type and f["parent_folder_id"] is None and f["name"] == "root":
                return f
        return None

    def ensure_root(self, folder_type: str) -> Record:
        """The root folder of a type, created on first use for types production seeds lazily."""
        root = self.root(folder_type)
        if root is None:
            fid = self.new_id(folder_type)
            root = folder_record(fid, "root", None, True, folder_type, now())
            self.records[fid] = root
        return root

    def all(self) -> list[Record]:
        # Production orders folders by id as a string (app_1, app_10, app_2, ...).
        return sorted(self.records.values(), key=lambda f: str(f["id"]))

    def create(self, name: str, folder_type: str, parent_folder_id: Any) -> Record:
        """A new folder (in the type's root when `parent_folder_id` is None)."""
        if parent_folder_id is None:
            parent = self.ensure_root(folder_type)["id"]
        else:
            parent = self._check_parent(parent_folder_id, folder_type)
        self._check_name_free(name, parent, folder_type)
        fid = self.new_id(folder_type)
        return self.insert(folder_record(fid, name, parent, False, folder_type, now()))

    def update(self, folder: Record, changes: dict[str, Any]) -> Record:
        """Rename and/or move; answers what production answers (divergence folder-patch-move-response:
        the folder as it was before a pure move)."""
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
                target = self.ensure_root(folder["folder_type"])["id"]
            parent = self._check_parent(target, folder["folder_type"], moving=folder["id"])
        self._check_name_free(name, parent, folder["folder_type"], exclude=folder["id"])
        touch(folder, {"name": name, "parent_folder_id": parent})
        return before if set(changes) == {"parent_folder_id"} else self.render(folder)

    def delete(self, record_id: Any, recursive: bool = False) -> None:
        """Delete a folder; a folder with contents only with `recursive` (its subfolders, apps and
        workflows go too; its resources move out)."""
        folder = self.get(record_id)
        if folder["is_system_folder"]:
            raise ApiError(400, "System folders cannot be deleted")
        if self._has_contents(folder["id"]) and not recursive:
            raise ApiError(
                400, f"Folder {folder['id']} is not empty; delete its contents or pass recursive=true"
            )
        super().delete(folder["id"])

    def _has_contents(self, folder_id: str) -> bool:
        s = self.store
        return any(f["parent_folder_id"] == folder_id for f in s.folders.values()) or any(
            r.get("folder_id") == folder_id
            for r in (*s.apps.values(), *s.workflows.values(), *s.resources.values())
        )

    def _check_name_free(self, name: str, parent: str | None, ftype: str, exclude: str | None = None) -> None:
        for f in self.records.values():
            if (
                f["id"] != exclude
                and f["name"] == name
                and f["parent_folder_id"] == parent
                and f["folder_type"] == ftype
            ):
                raise ApiError(409, f'A folder named "{name}" already exists in this location')

    def _check_parent(self, parent_id: Any, ftype: str, moving: str | None = None) -> str:
        if not isinstance(parent_id, str) or parent_id not in self.records:
            raise ApiError(422, f'Parent folder with id "{parent_id}" does not exist')
        parent = self.records[parent_id]
        if parent["folder_type"] != ftype:
            raise ApiError(
                422, f"Parent folder {parent_id} is a {parent['folder_type']} folder, not a {ftype} folder"
            )
        cursor: str | None = parent_id
        while cursor is not None:
            if cursor == moving:
                raise ApiError(422, "A folder cannot be moved into itself or one of its descendants")
            cursor = self.records[cursor]["parent_folder_id"]
        return parent_id
