"""The organisation's settings and AI settings (singletons)."""

from __future__ import annotations

import copy
from typing import Any

from ..store import Record
from .base import ApiError, Backend

# Settings a request may set to null; the others keep the type they have.
NULLABLE_SETTINGS = {
    "cache_queries_per_user",
    "preloaded_css",
    "preloaded_javascript",
    "two_factor_auth_type",
}
TWO_FACTOR_AUTH_TYPES = ("fido2", "otp")


class OrganizationBackend(Backend):
    """Organisation settings and AI settings."""

    def settings(self) -> Record:
        """The organisation's settings."""
        return copy.deepcopy(self.store.organization)

    def editable(self) -> list[str]:
        """The settings a JSON Patch may change."""
        return [k for k in self.store.organization if k != "id"]

    def update_settings(self, changes: dict[str, Any]) -> Record:
        """Apply changes, each of the type the setting has (null only where NULLABLE_SETTINGS allows)."""
        org = self.store.organization
        for key, value in changes.items():
            current = org[key]
            if value is None:
                if key not in NULLABLE_SETTINGS:
                    raise ApiError(400, f"{key} cannot be null")
                continue
            expected: Any = bool if key in ("cache_queries_per_user",) else type(current)
            if current is None:
                expected = str
            if key == "workflow_run_retention_period_mins":
                expected = (int, float)
            if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
                raise ApiError(400, f"{key} has the wrong type")
            if key == "two_factor_auth_type" and value not in TWO_FACTOR_AUTH_TYPES:
                raise ApiError(400, f"two_factor_auth_type must be one of {', '.join(TWO_FACTOR_AUTH_TYPES)}")
            if key == "javascript_links" and not all(isinstance(v, str) for v in value):
                raise ApiError(400, "javascript_links must be a list of strings")
        org.update(changes)
        return self.settings()

    def ai_settings(self) -> Record:
        """The AI settings."""
        return dict(self.store.ai_settings)

    def set_ai_settings(self, settings: Record) -> Record:
        """Replace the AI settings."""
        self.store.ai_settings = dict(settings)
        return self.ai_settings()
