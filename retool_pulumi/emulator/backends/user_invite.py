"""User invites: numeric ids, a link, and the groups the invitee will join (kept on the groups,
as `_invite_ids`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from ..store import Record, now, public
from .base import ApiError, Collection


class UserInviteBackend(Collection):
    """User invites."""

    collection = "user_invites"
    label = "User invite"
    numeric_ids = True

    def render(self, record: Record) -> Record:
        """An invite with the groups it will join."""
        data = public(record)
        data["groups"] = [
            {"legacy_id": g["id"], "id": g["id"], "name": g["name"]}
            for g in self.store.groups.values()
            if record["id"] in g.get("_invite_ids", [])
        ]
        return data

    def existing_ids(self, items: Iterable[Any]) -> list[int]:
        """The invite ids named by `items` (ids or `{"id": ...}`), without repeats; 400 for an
        unknown one."""
        ids: list[int] = []
        for item in items:
            iid = int(item["id"] if isinstance(item, dict) else item)
            if iid not in self.records:
                raise ApiError(400, f"User invite with id {iid} does not exist")
            if iid not in ids:
                ids.append(iid)
        return ids

    def create(self, email: str, metadata: dict[str, Any] | None, default_group_ids: Iterable[Any]) -> Record:
        """A new invite, valid for 7 days, that joins `default_group_ids`."""
        group_ids = [int(g) for g in default_group_ids]
        for gid in group_ids:
            if gid not in self.store.groups:
                raise ApiError(400, f"Group with id {gid} does not exist")
        iid = self.store.next_int("user_invite")
        expires = datetime.now(timezone.utc) + timedelta(days=7)
        invite = {
            "id": iid,
            "legacy_id": iid,
            "invited_by": self.store.admin_user_id,
            "invited_email": email,
            "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "claimed_by": None,
            "claimed_at": None,
            "user_type": "default",
            "metadata": dict(metadata or {}),
            "created_at": now(),
            "invite_link": f"https://retool.example.com/invite/{self.store.hex32()}",
        }
        for gid in group_ids:
            self.store.groups[gid].setdefault("_invite_ids", []).append(iid)
        return self.insert(invite)
