"""Access requests: seeded pending requests to join the organisation, approved or denied once."""

from __future__ import annotations

from ..store import Record, now
from .base import ApiError, Collection

DECISIONS = ("APPROVED", "DENIED")


class AccessRequestBackend(Collection):
    """Access requests."""

    collection = "access_requests"
    label = "Access request"
    numeric_ids = True

    def with_status(self, status: str | None) -> list[Record]:
        """Requests with this status (all without one)."""
        return [r for r in self.records.values() if status in (None, r["status"])]

    def decide(self, item: Record, status: str) -> Record:
        """Approve or deny a pending request, by the admin."""
        if status not in DECISIONS:
            raise ApiError(400, f"status must be one of {', '.join(DECISIONS)}")
        if item["status"] != "PENDING":
            raise ApiError(400, f"Access request {item['id']} has already been {item['status'].lower()}")
        item.update(status=status, updated_by_id=self.store.admin_user_id, updated_at=now())
        return self.render(item)
