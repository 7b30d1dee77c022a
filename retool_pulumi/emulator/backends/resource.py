"""Resources (options kept private: never answered) and their per-environment configurations
(options answered with secrets masked)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ..store import Record, Store, public
from .base import ENCRYPTED, ApiError, Collection, stamps, touch

# Option keys whose values production stores encrypted and never echoes back.
SECRET_KEYS = {
    "password",
    "secret_access_key",
    "bearer_token",
    "oauth2_client_secret",
    "private_key",
    "client_secret",
    "api_key",
    "token",
    "ssh_private_key",
    "service_account_key",
}
# Resource types whose options carry HTTP authentication settings defaulted by the server.
HTTP_TYPES = {"restapi", "graphql", "grpc", "openapi"}


def resource_exists(store: Store, id_or_name: str) -> bool:
    """Whether a resource has this id or display name (both name a resource in grants and copies)."""
    return id_or_name in store.resources or store.find("resources", display_name=id_or_name) is not None


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: ENCRYPTED if k in SECRET_KEYS and isinstance(v, str) and v else _mask(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def _with_defaults(resource_type: str, options: dict[str, Any]) -> dict[str, Any]:
    options = copy.deepcopy(options)
    if resource_type in HTTP_TYPES and "authentication_options" not in options:
        options["authentication_options"] = {"authentication_type": "none"}
    return options


def _check_options(options: Any) -> None:
    if not isinstance(options, dict):
        raise ApiError(400, "options must be an object")


class ResourceBackend(Collection):
    """Resources."""

    collection = "resources"
    label = "Resource"

    def render(self, record: Record) -> Record:
        """A resource without its options; folder_id only when set (divergence resource-folder-id-omitted)."""
        data = public(record)
        if data.get("folder_id") is None:
            data.pop("folder_id", None)
        return data

    def of_type(self, resource_type: str | None) -> list[Record]:
        """Resources of a type (all without one)."""
        return [r for r in self.records.values() if resource_type in (None, r["type"])]

    def create(
        self, resource_type: str, display_name: str, options: dict[str, Any], folder_id: Any
    ) -> Record:
        """A new resource (in a resource folder, if one is named)."""
        self._check_folder(folder_id)
        res = {
            "id": self.store.new_uuid(),
            "type": resource_type,
            "display_name": display_name,
            "folder_id": folder_id,
            "protected": False,
            **stamps(),
            "_options": copy.deepcopy(options),
        }
        return self.insert(res)

    def patchable(self, res: Record) -> Record:
        """The resource as JSON Patch operations address it (its options included)."""
        return {**res, "options": res.get("_options", {})}

    def update(self, res: Record, changes: dict[str, Any]) -> Record:
        """Change display_name, folder_id or options."""
        if "display_name" in changes and not (
            isinstance(changes["display_name"], str) and changes["display_name"]
        ):
            raise ApiError(400, "display_name must be a non-empty string")
        if "folder_id" in changes:
            self._check_folder(changes["folder_id"])
        if "options" in changes:
            _check_options(changes["options"])
            res["_options"] = changes.pop("options")
        touch(res, changes)
        return self.render(res)

    def _check_folder(self, folder_id: Any) -> None:
        if folder_id is None:
            return
        folder = self.store.folders.get(folder_id)
        if folder is None or folder["folder_type"] != "resource":
            raise ApiError(400, f'Resource folder with id "{folder_id}" does not exist')


class ResourceConfigurationBackend(Collection):
    """A resource's options for one environment (at most one per resource and environment)."""

    collection = "resource_configurations"
    label = "Resource configuration"

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.resources = ResourceBackend(store)

    def render(self, record: Record) -> Record:
        """A configuration with its resource and environment embedded, secrets masked."""
        return {
            "id": record["id"],
            "resource": self.resources.render(self.store.resources[record["_resource_id"]]),
            "environment": public(self.store.environments[record["_environment_id"]]),
            "options": _mask(record["_options"]),
            "created_at": record["created_at"],
            "updated_at": record["updated_at"],
        }

    def matching(self, filters: Mapping[str, Any]) -> list[Record]:
        """Configurations of a resource, an environment and/or a resource type."""
        resources = self.store.resources
        return [
            c
            for c in self.records.values()
            if filters.get("resource_id") in (None, c["_resource_id"])
            and filters.get("environment_id") in (None, c["_environment_id"])
            and filters.get("resource_type") in (None, resources[c["_resource_id"]]["type"])
        ]

    def create(self, resource_id: str, environment_id: str, options: dict[str, Any]) -> Record:
        """A new configuration (the server's option defaults added)."""
        res = self.store.resources.get(resource_id)
        if res is None:
            raise ApiError(400, f'Resource with id "{resource_id}" does not exist')
        if environment_id not in self.store.environments:
            raise ApiError(400, f'Environment with id "{environment_id}" does not exist')
        for c in self.records.values():
            if c["_resource_id"] == res["id"] and c["_environment_id"] == environment_id:
                raise ApiError(400, "A configuration for this resource and environment already exists")
        options = _with_defaults(res["type"], options)
        conf = {"id": self.store.new_uuid(), "_resource_id": res["id"], "_environment_id": environment_id}
        return self.insert({**conf, "_options": options, **stamps()})

    @staticmethod
    def patchable(conf: Record) -> Record:
        """The configuration as JSON Patch operations address it."""
        return {"options": conf["_options"]}

    def update(self, conf: Record, changes: dict[str, Any]) -> Record:
        """Replace the options (the resource counts as updated too)."""
        if "options" in changes:
            _check_options(changes["options"])
            res = self.store.resources[conf["_resource_id"]]
            conf["_options"] = _with_defaults(res["type"], changes["options"])
            touch(res)
        touch(conf)
        return self.render(conf)
