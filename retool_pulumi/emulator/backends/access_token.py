"""Access tokens: the secret is answered once, at creation; reads show its last four characters."""

from __future__ import annotations

from ..store import Record
from .base import Collection, stamps


class AccessTokenBackend(Collection):
    """Access tokens (the secret kept privately as `_secret`)."""

    collection = "access_tokens"
    label = "Access token"
    unknown = (404, "Requested access token could not be found.")

    def create(self, label: str, description: str | None, scopes: list[str]) -> Record:
        """A new token owned by the admin; the answer carries the secret as `access_token`."""
        tid = self.store.new_uuid()
        secret = f"retool_{self.store.hex32()}"
        admin = self.store.users.get(self.store.admin_user_id, {})
        token = {
            "id": tid,
            "label": label,
            "description": description,
            "last4": secret[-4:],
            "owner_legacy_id": admin.get("legacy_id", 1),
            "scopes": list(scopes),
            **stamps(),
            "_secret": secret,
        }
        return {**self.insert(token), "access_token": secret}
