"""Lookups of existing Retool objects, for use in a Pulumi program (or anywhere).

Each returns the object as Retool's API describes it (a dict) and raises `ObjectNotFoundError`
naming what was searched when nothing matches. They share the process's client for the given
named connection (stack config `retool:*` or `RETOOL_*` variables).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .client import api_path
from .connection import get_client
from .errors import NotFoundError, ObjectNotFoundError
from .types._common import UUID, pick_root_folder

__all__ = [
    "get_app",
    "get_environment",
    "get_folder",
    "get_group",
    "get_resource",
    "get_root_folder",
    "get_space",
    "get_user",
    "get_workflow",
]


def _one(
    items: Iterable[dict[str, Any]], match: Callable[[dict[str, Any]], bool], what: str
) -> dict[str, Any]:
    found = [dict(item) for item in items if match(item)]
    if not found:
        raise ObjectNotFoundError(f"Retool has no {what}")
    if len(found) > 1:
        ids = ", ".join(str(f.get("id")) for f in found)
        raise ObjectNotFoundError(
            f"Retool has {len(found)} {what.replace(' named', 's named', 1)} ({ids}); use an id"
        )
    return found[0]


def get_folder(name: str, folder_type: str = "app", *, connection: str | None = None) -> dict[str, Any]:
    """The folder of `folder_type` called `name`."""
    folders = get_client(connection).paginate("/folders")
    return _one(
        folders,
        lambda f: f.get("name") == name and f.get("folder_type") == folder_type,
        f"{folder_type} folder named {name!r}",
    )


def get_root_folder(folder_type: str = "app", *, connection: str | None = None) -> dict[str, Any]:
    """The root folder of `folder_type` (where folders without a parent live)."""
    root = pick_root_folder(get_client(connection).paginate("/folders"), folder_type)
    if root is None:
        raise ObjectNotFoundError(f"Retool has no root folder of type {folder_type!r}")
    return root


def get_group(name: str, *, connection: str | None = None) -> dict[str, Any]:
    """The permission group called `name` (e.g. "admin", "All Users")."""
    return _one(
        get_client(connection).paginate("/groups"), lambda g: g.get("name") == name, f"group named {name!r}"
    )


def get_environment(name: str, *, connection: str | None = None) -> dict[str, Any]:
    """The environment called `name` (e.g. "production")."""
    envs = get_client(connection).paginate("/environments")
    return _one(envs, lambda e: e.get("name") == name, f"environment named {name!r}")


def get_user(email: str, *, connection: str | None = None) -> dict[str, Any]:
    """The user with this email address (case-insensitive)."""
    # Listed whole: Retool's `email` filter is exact, and addresses differ in case.
    users = get_client(connection).paginate("/users")
    return _one(
        users, lambda u: str(u.get("email", "")).lower() == email.lower(), f"user with email {email!r}"
    )


def get_resource(id_or_name: str, *, connection: str | None = None) -> dict[str, Any]:
    """The resource with this id (a UUID), or else with this display name.

    Only a UUID is read by id; a name is looked up in the listing, never put into a path (where
    a `/`, `?` or `#` in it would reach another endpoint)."""
    client = get_client(connection)
    if re.fullmatch(UUID, id_or_name):
        try:
            return dict(client.get(api_path("/resources/{}", id_or_name)))
        except NotFoundError:
            pass  # a display name that looks like a UUID
    resources = client.paginate("/resources")
    return _one(
        resources,
        lambda r: r.get("display_name") == id_or_name or r.get("name") == id_or_name,
        f"resource with id or name {id_or_name!r}",
    )


def get_space(name: str, *, connection: str | None = None) -> dict[str, Any]:
    """The space called `name`."""
    return _one(
        get_client(connection).paginate("/spaces"), lambda s: s.get("name") == name, f"space named {name!r}"
    )


def get_app(name: str, *, connection: str | None = None) -> dict[str, Any]:
    """The app called `name`."""
    return _one(
        get_client(connection).paginate("/apps"), lambda a: a.get("name") == name, f"app named {name!r}"
    )


def get_workflow(name: str, *, connection: str | None = None) -> dict[str, Any]:
    """The workflow called `name`."""
    workflows = get_client(connection).paginate("/workflows")
    return _one(workflows, lambda w: w.get("name") == name, f"workflow named {name!r}")
