"""Users: ids `user_<32 hex>`, unique email addresses, disabled rather than deleted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..store import Record, now, public
from .base import ApiError, Collection

# The fields of a user a JSON Patch may change; those a patch may not remove.
USER_FIELDS = ("first_name", "last_name", "email", "active", "metadata", "is_admin", "user_type")
REQUIRED_FIELDS = ("email", "active", "is_admin", "user_type")


class UserBackend(Collection):
    """Users (a new one joins the "All Users" group)."""

    collection = "users"
    label = "User"

    def render(self, record: Record, include_groups: bool = False) -> Record:
        """A user as the API returns it, with the groups it is a member of if asked."""
        data = public(record)
        if include_groups:
            data["groups"] = [
                {"legacy_id": g["id"], "id": g["id"], "name": g["name"]}
                for g in self.store.groups.values()
                if any(m["id"] == record["id"] for m in g["members"])
            ]
        return data

    def matching(self, filters: Mapping[str, Any]) -> list[Record]:
        """Users whose email, first_name and last_name equal those given."""
        wanted = {k: filters[k] for k in ("email", "first_name", "last_name") if filters.get(k) is not None}
        return [u for u in self.records.values() if all(u.get(k) == v for k, v in wanted.items())]

    def check_email_free(self, email: str, exclude: str | None = None) -> None:
        """409 when another user (disabled ones included) has this address, compared
        case-insensitively (divergence user-email-unique)."""
        wanted = email.lower()
        for user in self.records.values():
            if user["id"] != exclude and str(user["email"]).lower() == wanted:
                raise ApiError(409, f'A user with email "{email}" already exists')

    def create(
        self,
        email: str,
        first_name: str,
        last_name: str,
        active: bool = True,
        metadata: dict[str, Any] | None = None,
        user_type: str = "default",
    ) -> Record:
        """A new user, member of the "All Users" group."""
        self.check_email_free(email)
        user_id = f"user_{self.store.hex32()}"
        user = {
            "id": user_id,
            "legacy_id": self.store.next_int("user"),
            "first_name": first_name,
            "last_name": last_name,
            "created_at": now(),
            "last_active": None,
            "email": email,
            "active": active,
            "metadata": metadata or {},
            "is_admin": False,
            "two_factor_auth_enabled": False,
            "user_type": user_type,
        }
        self.records[user_id] = user
        all_users = self.store.find("groups", name="All Users")
        if all_users is not None:
            all_users["members"].append({"id": user_id, "email": email, "is_group_admin": False})
        return self.render(user)

    def update(self, user: Record, changes: dict[str, Any]) -> Record:
        """Apply changes (a removed `metadata` is empty); group memberships follow a new email."""
        if "metadata" in changes and changes["metadata"] is None:
            changes["metadata"] = {}
        for key in REQUIRED_FIELDS:
            if key in changes and changes[key] is None:
                raise ApiError(400, f"{key} cannot be removed")
        if "email" in changes:
            self.check_email_free(changes["email"], exclude=user["id"])
        user.update(changes)
        if "email" in changes:
            for g in self.store.groups.values():
                for m in g["members"]:
                    if m["id"] == user["id"]:
                        m["email"] = user["email"]
        return self.render(user)

    def delete(self, record_id: Any) -> None:
        """Production disables rather than removes (divergence user-delete-disables)."""
        self.get(record_id)["active"] = False

    def reset_two_factor(self, user_id: str) -> None:
        """Turn the user's two-factor authentication off."""
        self.get(user_id)["two_factor_auth_enabled"] = False

    def log_out(self, user_id: str, sso_logout: bool) -> Record:
        """End the user's sessions; SSO is never configured for a logout, so it only warns."""
        self.get(user_id)
        data: dict[str, Any] = {"sso_logout": False}
        if sso_logout:
            data["warning"] = (
                "SSO is not configured for this organization; only the Retool session was ended."
            )
        return data
