"""Roles (unique, non-empty names) and role grants to users and groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..store import Record, now
from .base import ApiError, Collection, check_unique, stamps, touch

ROLE_FIELDS = ("name", "description", "object_scopes", "organization_scopes")


class RoleBackend(Collection):
    """Roles (their grants go with them)."""

    collection = "roles"
    label = "Role"

    def create(
        self, name: str, description: str, object_scopes: list[str], organization_scopes: list[str]
    ) -> Record:
        """A new custom role."""
        self._check_name(name)
        role = {
            "id": self.store.new_uuid(),
            "organization_id": self.store.organization.get("id", ""),
            "name": name,
            "description": description,
            "is_default_role": False,
            "is_legacy_role": False,
            "object_scopes": list(object_scopes),
            "organization_scopes": list(organization_scopes),
            "added_dependent_scopes": [],
            **stamps(),
        }
        return self.insert(role)

    def update(self, role: Record, fields: Mapping[str, Any]) -> Record:
        """Set the given ROLE_FIELDS."""
        if "name" in fields:
            self._check_name(fields["name"], exclude=role["id"])
        touch(role, {k: fields[k] for k in ROLE_FIELDS if k in fields})
        return self.render(role)

    def _check_name(self, name: str, exclude: str | None = None) -> None:
        if not name.strip():
            raise ApiError(422, "Role name cannot be empty")
        check_unique(self.records.values(), "name", name, f'A role named "{name}" already exists', exclude)


class RoleGrantBackend(Collection):
    """Grants of a role to a user or a group (`subject_id` is text, a group's number too)."""

    collection = "role_grants"
    label = "Role grant"

    def render(self, record: Record) -> Record:
        return dict(record)

    def check_subject(self, subject_type: str, subject_id: str, status: int = 400) -> None:
        """`status` unless the subject exists."""
        if subject_type == "group":
            if not subject_id.isdigit() or int(subject_id) not in self.store.groups:
                raise ApiError(status, f"Group with id {subject_id} does not exist")
        elif subject_type == "user":
            if subject_id not in self.store.users:
                raise ApiError(status, f'User with id "{subject_id}" does not exist')
        else:
            raise ApiError(status, "subject_type must be one of group, user")

    def create(
        self,
        role_id: str,
        subject_type: str,
        subject_id: str,
        object_type: str | None = None,
        object_id: str | None = None,
    ) -> Record:
        """A new grant of an existing role to an existing subject."""
        if role_id not in self.store.roles:
            raise ApiError(400, f'Role with id "{role_id}" does not exist')
        self.check_subject(subject_type, subject_id)
        grant = {
            "id": self.store.new_uuid(),
            "role_id": role_id,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "object_type": object_type,
            "object_id": object_id,
            "created_at": now(),
        }
        return self.insert(grant)

    def of_subject(self, subject_type: str, subject_id: str) -> list[Record]:
        """The grants held by a subject (404 if it does not exist)."""
        self.check_subject(subject_type, subject_id, status=404)
        return [
            g
            for g in self.records.values()
            if g["subject_type"] == subject_type and g["subject_id"] == subject_id
        ]

    def remove_for_subject(self, match: Mapping[str, Any]) -> None:
        """Delete the grants of `match["role_id"]` to the subject (on the object, if one is named)."""
        for gid, g in list(self.records.items()):
            if (
                g["role_id"] == match["role_id"]
                and g["subject_type"] == match["subject_type"]
                and g["subject_id"] == match["subject_id"]
                and match.get("object_type") in (None, g["object_type"])
                and match.get("object_id") in (None, g["object_id"])
            ):
                self.delete(gid)
