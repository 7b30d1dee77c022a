"""User attribute definitions (unique names) and the values users and invites hold in their
`metadata`."""

from __future__ import annotations

from typing import Any

from ..store import Record
from .base import ApiError, Collection

DATA_TYPES = ("string", "number", "json")


class UserAttributeBackend(Collection):
    """User attribute definitions."""

    collection = "user_attributes"
    label = "User attribute"

    def create(self, name: str, label: str, data_type: str, default_value: Any = None) -> Record:
        """A new definition (409 for a name in use)."""
        if self.store.find("user_attributes", name=name) is not None:
            raise ApiError(409, f'A user attribute named "{name}" already exists')
        attr = {"id": self.store.new_uuid(), "name": name, "label": label, "data_type": data_type}
        return self.insert({**attr, "default_value": default_value, "intercom_attribute_name": None})

    def update(self, attr: Record, changes: dict[str, Any]) -> Record:
        """Change label, data_type or default_value (kept as text)."""
        if "label" in changes and not isinstance(changes["label"], str):
            raise ApiError(400, "label must be a string")
        if "data_type" in changes and changes["data_type"] not in DATA_TYPES:
            raise ApiError(400, f"data_type must be one of {', '.join(DATA_TYPES)}")
        if "default_value" in changes and changes["default_value"] is not None:
            changes["default_value"] = str(changes["default_value"])
        attr.update(changes)
        return self.render(attr)

    def delete(self, record_id: Any, update_existing_users: bool = False) -> None:
        """Delete a definition; with `update_existing_users`, users lose their value of it."""
        attr = self.get(record_id)
        super().delete(attr["id"])
        if update_existing_users:
            for user in self.store.users.values():
                user["metadata"].pop(attr["name"], None)

    @staticmethod
    def set_value(holder: Record, name: str, value: Any) -> dict[str, Any]:
        """Set a user's or invite's value of an attribute; returns its metadata."""
        holder["metadata"][name] = value
        return dict(holder["metadata"])

    @staticmethod
    def remove_value(holder: Record, name: str) -> dict[str, Any]:
        """Remove a user's or invite's value of an attribute; returns its metadata."""
        holder["metadata"].pop(name, None)
        return dict(holder["metadata"])
