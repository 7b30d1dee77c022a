"""Apps and workflows: seeded, readable, deletable; apps are clonable (screens get new ids)."""

from __future__ import annotations

from typing import Any

from ..store import Record
from .base import ApiError, Collection, get_or_404, stamps


class AppBackend(Collection):
    """Apps (their screens kept privately as `_screens`, the ids screen grants name)."""

    collection = "apps"
    label = "App"

    def matching(self, name_contains: str | None) -> list[Record]:
        """Apps whose name contains the text, ignoring case (all without one)."""
        needle = (name_contains or "").lower()
        return [a for a in self.records.values() if needle in a["name"].lower()]

    def clone(self, app_id: str, new_app_name: str, folder_id: Any = None) -> Record:
        """A copy of an app under a new name, in `folder_id` (an app folder) or the source's folder."""
        source = self.get(app_id)
        if folder_id is None:
            folder_id = source["folder_id"]
        folder = get_or_404(self.store.folders, folder_id, "Folder")
        if folder["folder_type"] != "app":
            raise ApiError(400, f"Folder {folder_id} is not an app folder")
        clone = {
            **source,
            "id": self.store.new_uuid(),
            "name": new_app_name,
            "folder_id": folder_id,
            "protected": False,
            "synced": False,
            "shortlink": None,
            **stamps(),
            "_screens": [self.store.new_uuid() for _ in source.get("_screens", [])],
        }
        return self.insert(clone)


class WorkflowBackend(Collection):
    """Workflows."""

    collection = "workflows"
    label = "Workflow"
