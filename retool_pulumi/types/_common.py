"""Value types shared by several Retool types (from the spec's enums and patterns)."""

from __future__ import annotations

import threading
from typing import Literal

from ..client import RetoolClient

FolderType = Literal["app", "workflow", "resource", "agent", "library"]
FOLDER_ID = r"^(app|workflow|resource|agent|library)_([0-9]\d*)$"
USER_ID = r"^user_([a-z0-9]+)$"
COLOR = r"^#[A-Fa-f0-9]{6}$"
AccessLevel = Literal["use", "edit", "own"]
UniversalAccess = Literal["none", "use", "edit", "own"]

_root_lock = threading.Lock()
_root_folders: dict[tuple[int, str], str] = {}


def root_folder_id(client: RetoolClient, folder_type: str) -> str:
    """The id of the root folder of `folder_type` (cached per client: root folders never move)."""
    key = (id(client), folder_type)
    with _root_lock:
        if key in _root_folders:
            return _root_folders[key]
    for folder in client.paginate("/folders"):
        if folder.get("folder_type") == folder_type and folder.get("parent_folder_id") is None:
            with _root_lock:
                _root_folders[key] = str(folder["id"])
            return str(folder["id"])
    raise LookupError(f"Retool has no root folder of type {folder_type!r}")
