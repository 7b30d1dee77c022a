"""Groups: numeric ids, members (users) and user invites, universal access levels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..store import Record, Store, now, public
from .base import ApiError, Collection, get_or_404, not_found, touch
from .user_invite import UserInviteBackend

# The fields of a group a request sets directly (members and invites are checked first).
GROUP_FIELDS = (
    "name",
    "universal_app_access",
    "universal_resource_access",
    "universal_workflow_access",
    "universal_query_library_access",
    "user_list_access",
    "audit_log_access",
    "unpublished_release_access",
    "usage_analytics_access",
    "theme_access",
    "account_details_access",
    "landing_page_app_id",
)


def group_record(gid: int, name: str, ts: str, **access: Any) -> Record:
    """A group with production's field order and defaults."""
    return {
        "id": gid,
        "legacy_id": gid,
        "name": name,
        "members": [],
        "universal_app_access": access.get("universal_app_access", "none"),
        "universal_resource_access": access.get("universal_resource_access", "none"),
        "universal_workflow_access": access.get("universal_workflow_access", "none"),
        "universal_query_library_access": access.get("universal_query_library_access", "none"),
        "user_invites": [],
        "user_list_access": access.get("user_list_access", False),
        "audit_log_access": access.get("audit_log_access", False),
        "unpublished_release_access": access.get("unpublished_release_access", False),
        "usage_analytics_access": access.get("usage_analytics_access", False),
        "theme_access": access.get("theme_access", False),
        "account_details_access": access.get("account_details_access", False),
        "landing_page_app_id": access.get("landing_page_app_id"),
        "updated_at": ts,
        "created_at": ts,
    }


class GroupBackend(Collection):
    """Groups, their members and their invites."""

    collection = "groups"
    label = "Group"
    numeric_ids = True

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.invites = UserInviteBackend(store)

    def render(self, record: Record, exclude_disabled: bool = False) -> Record:
        """A group with its members (active ones only with `exclude_disabled`) and invites expanded."""
        data = public(record)
        if exclude_disabled:
            users = self.store.users
            data["members"] = [m for m in data["members"] if users.get(m["id"], {}).get("active", False)]
        data["user_invites"] = [
            self.invites.render(self.invites.records[i])
            for i in record.get("_invite_ids", [])
            if i in self.invites.records
        ]
        return data

    def create(self, fields: Mapping[str, Any]) -> Record:
        """A new group from a request's fields (name, GROUP_FIELDS, members, user_invites)."""
        self._check_landing_page(fields.get("landing_page_app_id"))
        members = self._members(fields.get("members") or [])
        invites = self.invites.existing_ids(fields.get("user_invites") or [])
        gid = self.store.next_int("group")
        access = {k: fields[k] for k in GROUP_FIELDS if k in fields and k != "name"}
        group = group_record(gid, fields["name"], now(), **access)
        group["members"] = members
        group["_invite_ids"] = invites
        self.records[gid] = group
        return self.render(group)

    def update(self, group: Record, fields: Mapping[str, Any]) -> Record:
        """Set the given fields (members and user_invites replace the lists)."""
        self._check_landing_page(fields.get("landing_page_app_id"))
        if "members" in fields:
            group["members"] = self._members(fields["members"] or [])
        if "user_invites" in fields:
            group["_invite_ids"] = self.invites.existing_ids(fields["user_invites"] or [])
        for key in GROUP_FIELDS:
            if key in fields:
                if fields[key] is None and key != "landing_page_app_id":
                    raise ApiError(400, f"{key} cannot be null")
                group[key] = fields[key]
        touch(group)
        return self.render(group)

    def patchable(self, group: Record) -> Record:
        """The group as JSON Patch operations address it (`user_invites` as ids)."""
        return {**group, "user_invites": list(group.get("_invite_ids", []))}

    def add_members(self, group: Record, items: Iterable[Mapping[str, Any]]) -> Record:
        """Add (or update the admin flag of) members."""
        added = self._members(items)
        ids = {m["id"] for m in added}
        touch(group, {"members": [m for m in group["members"] if m["id"] not in ids] + added})
        return self.render(group)

    def remove_member(self, group: Record, user_id: str) -> Record:
        """Remove a member (404 if the user is unknown or not a member)."""
        get_or_404(self.store.users, user_id, "User")
        if not any(m["id"] == user_id for m in group["members"]):
            raise not_found(f'User with id "{user_id}" is not a member of group {group["id"]}')
        touch(group, {"members": [m for m in group["members"] if m["id"] != user_id]})
        return self.render(group)

    def add_invites(self, group: Record, invite_ids: Iterable[Any]) -> Record:
        """Let invitees join the group."""
        ids = self.invites.existing_ids(invite_ids)
        current = group.setdefault("_invite_ids", [])
        current.extend(i for i in ids if i not in current)
        touch(group)
        return self.render(group)

    def remove_invite(self, group: Record, invite_id: Any) -> None:
        """Take an invite off the group (404 if it is not on it)."""
        iid = int(invite_id)
        current = group.setdefault("_invite_ids", [])
        if iid not in current:
            raise not_found(f"User invite with id {iid} is not part of group {group['id']}")
        current.remove(iid)
        touch(group)

    def _members(self, items: Iterable[Mapping[str, Any]]) -> list[Record]:
        out: list[Record] = []
        for item in items:
            user = self.store.users.get(item["id"])
            if user is None:
                raise ApiError(400, f'User with id "{item["id"]}" does not exist')
            out = [m for m in out if m["id"] != user["id"]]
            out.append(
                {"id": user["id"], "email": user["email"], "is_group_admin": bool(item["is_group_admin"])}
            )
        return out

    def _check_landing_page(self, app_id: Any) -> None:
        if app_id is not None and app_id not in self.store.apps:
            raise ApiError(400, f'App with id "{app_id}" does not exist')
