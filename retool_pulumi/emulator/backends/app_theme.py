"""App themes: numeric ids, unique names; PUT creates or replaces."""

from __future__ import annotations

import copy
from typing import Any

from ..store import Record
from .base import Collection, check_unique, stamps, touch


class AppThemeBackend(Collection):
    """App themes."""

    collection = "app_themes"
    label = "App theme"
    numeric_ids = True

    def create(self, name: str, theme: Record) -> Record:
        """A new theme (409 for a name in use)."""
        self._check_name_free(name)
        tid = self.store.next_int("app_theme")
        return self.insert(
            {"id": tid, "legacy_id": tid, "name": name, "theme": copy.deepcopy(theme), **stamps()}
        )

    def upsert(self, theme_id: Any, name: str, theme: Record) -> tuple[Record, bool]:
        """Replace the theme with this id, or create a new one if there is none; (answer, created)."""
        record = self.records.get(int(theme_id))
        if record is None:
            return self.create(name, theme), True
        self._check_name_free(name, exclude=record["id"])
        touch(record, {"name": name, "theme": copy.deepcopy(theme)})
        return self.render(record), False

    def _check_name_free(self, name: str, exclude: int | None = None) -> None:
        check_unique(
            self.records.values(), "name", name, f'An app theme named "{name}" already exists', exclude
        )
