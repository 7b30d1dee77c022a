"""Deleting an object and what goes with it: the one place where deletions cascade.

`DEPENDENTS` says, per collection, which records refer to one of its objects and what happens to
them when it is deleted; `delete` follows it, recursively for dependents that are deleted too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..store import Store


@dataclass(frozen=True)
class Dependent:
    """Records of `collection` (those with `when`'s field equal to its value, if given) whose
    `field` names the deleted object. `action`: "delete" the record (with its own dependents),
    "clear" the field to null, or "unlist" the object from the list the field holds (whose items
    name it under `item_key`, if given)."""

    collection: str
    field: str
    action: Literal["delete", "clear", "unlist"]
    when: tuple[str, str] | None = None
    item_key: str | None = None


def _grants_on(object_type: str) -> Dependent:
    return Dependent("permissions", "object_id", "delete", when=("object_type", object_type))


DEPENDENTS: dict[str, tuple[Dependent, ...]] = {
    "folders": (
        Dependent("folders", "parent_folder_id", "delete"),
        Dependent("apps", "folder_id", "delete"),
        Dependent("workflows", "folder_id", "delete"),
        Dependent("resources", "folder_id", "clear"),
        _grants_on("folder"),
    ),
    "apps": (
        Dependent("groups", "landing_page_app_id", "clear"),
        _grants_on("app"),
        Dependent("permissions", "app_id", "delete"),  # grants on the app's screens
    ),
    "workflows": (_grants_on("workflow"),),
    "resources": (Dependent("resource_configurations", "_resource_id", "delete"), _grants_on("resource")),
    "resource_configurations": (_grants_on("resource_configuration"),),
    "environments": (
        Dependent("resource_configurations", "_environment_id", "delete"),
        Dependent("configuration_variables", "values", "unlist", item_key="environment_id"),
    ),
    "groups": (
        Dependent("permissions", "subject_id", "delete", when=("subject_type", "group")),
        Dependent("role_grants", "subject_id", "delete", when=("subject_type", "group")),
    ),
    "roles": (Dependent("role_grants", "role_id", "delete"),),
    "user_invites": (Dependent("groups", "_invite_ids", "unlist"),),
}


def _names(value: Any, key: Any) -> bool:
    # Ids are compared as text: group ids are numbers, and text where grants name them.
    return value is not None and str(value) == str(key)


def _named(dep: Dependent, item: Any) -> Any:
    return item[dep.item_key] if dep.item_key is not None else item


def delete(store: Store, collection: str, key: Any) -> None:
    """Remove the record `key` of the store's `collection` and apply `DEPENDENTS` to what refers
    to it. The caller holds the store's lock."""
    records: dict[Any, Any] = getattr(store, collection)
    records.pop(key, None)
    for dep in DEPENDENTS.get(collection, ()):
        table: dict[Any, Any] = getattr(store, dep.collection)
        for dep_key, record in list(table.items()):
            if dep.when is not None and record.get(dep.when[0]) != dep.when[1]:
                continue
            value = record.get(dep.field)
            if dep.action == "unlist":
                if isinstance(value, list):
                    record[dep.field] = [item for item in value if not _names(_named(dep, item), key)]
            elif _names(value, key):
                if dep.action == "clear":
                    record[dep.field] = None
                elif dep_key in table:  # not already gone with an earlier dependent
                    delete(store, dep.collection, dep_key)
