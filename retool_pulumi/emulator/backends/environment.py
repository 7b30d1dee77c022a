"""Environments: unique names, hex colours, one default that cannot be deleted (deleting another
takes its resource configurations and configuration variable values with it)."""

from __future__ import annotations

import re
from typing import Any

from ..store import Record
from .base import ApiError, Collection, check_unique, stamps, touch

_COLOR = re.compile(r"^#[A-Fa-f0-9]{6}$")


class EnvironmentBackend(Collection):
    """Environments."""

    collection = "environments"
    label = "Environment"

    def create(self, name: str, description: str | None, color: str) -> Record:
        """A new (not default) environment."""
        self._check_name_free(name)
        env = {"id": self.store.new_uuid(), "name": name, "description": description, "color": color}
        return self.insert({**env, "default": False, **stamps()})

    def update(self, env: Record, changes: dict[str, Any]) -> Record:
        """Change name, description or color."""
        if "name" in changes:
            if not isinstance(changes["name"], str) or not changes["name"]:
                raise ApiError(400, "name must be a non-empty string")
            self._check_name_free(changes["name"], exclude=env["id"])
        if "color" in changes and not (isinstance(changes["color"], str) and _COLOR.match(changes["color"])):
            raise ApiError(400, "color must be a hex color such as #3C92DC")
        description = changes.get("description")
        if description is not None and not isinstance(description, str):
            raise ApiError(400, "description must be a string")
        touch(env, changes)
        return self.render(env)

    def delete(self, record_id: Any) -> None:
        if self.get(record_id)["default"]:
            raise ApiError(400, "The default environment cannot be deleted")
        super().delete(record_id)

    def _check_name_free(self, name: str, exclude: str | None = None) -> None:
        message = f'An environment named "{name}" already exists'
        check_unique(self.records.values(), "name", name, message, exclude)
