"""Value types shared by several Retool types (from the enums and patterns of what production
accepts: the spec with production's request-side patches, `retool_pulumi.openapi`)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Literal

from ..client import RetoolClient
from ..engine.cache import LISTINGS
from ..openapi import request_schema

# Production also has `file` folders (ids `file_<n>`), outside the published spec.
FolderType = Literal["app", "workflow", "resource", "agent", "library", "file"]
FOLDER_ID: str = request_schema("/folders", "post")["properties"]["parent_folder_id"]["pattern"]
USER_ID = r"^user_([a-z0-9]+)$"
NUMBER_ID = r"^\d+$"  # groups, user invites, app themes, access requests
UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
SPACE_ID = r"^(org_[0-9a-f]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
COLOR = r"^#[A-Fa-f0-9]{6}$"
AccessLevel = Literal["use", "edit", "own"]
UniversalAccess = Literal["none", "use", "edit", "own"]

_root_lock = threading.Lock()
_root_folders: dict[tuple[str, str], str] = {}


def joined_id(*patterns: str) -> str:
    """The pattern of a composite id (`12/user_ab`): the parts' patterns joined by `/`."""
    return "^" + "/".join(p.removeprefix("^").removesuffix("$") for p in patterns) + "$"


def root_folder_id(client: RetoolClient, folder_type: str) -> str:
    """The id of the root folder of `folder_type` (cached per client: root folders never move)."""
    # Keyed by the API's address, not id(client): a closed client's id can be reused by a new
    # client of another organisation.
    key = (client.base_url, folder_type)
    with _root_lock:
        if key in _root_folders:
            return _root_folders[key]
    # Through the listing cache: a refresh of folders lists them once for both purposes.
    root = pick_root_folder(LISTINGS.listing(client, "/folders"), folder_type)
    if root is None:
        raise LookupError(f"Retool has no root folder of type {folder_type!r}")
    with _root_lock:
        _root_folders[key] = str(root["id"])
    return str(root["id"])


def pick_root_folder(folders: Iterable[dict[str, Any]], folder_type: str) -> dict[str, Any] | None:
    """The root among `folders`: other top-level system folders exist (e.g. `personalRoot`);
    the root is the one named "root"."""
    tops = [f for f in folders if f.get("folder_type") == folder_type and f.get("parent_folder_id") is None]
    tops.sort(key=lambda f: f.get("name") != "root")
    return dict(tops[0]) if tops else None
