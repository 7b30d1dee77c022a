"""Observability configurations: one per provider (Sentry, Datadog), provider fixed once set."""

from __future__ import annotations

import copy

from ..store import Record
from .base import ApiError, Collection


class ObservabilityBackend(Collection):
    """Observability configurations (an unknown id is a 422, as production answers)."""

    collection = "observability_configs"
    label = "Observability configuration"
    unknown = (422, 'Observability configuration with id "{id}" does not exist')

    def create(self, config: Record, enabled: bool) -> Record:
        """A new configuration (422 if its provider has one)."""
        provider = config["provider"]
        if any(c["config"]["provider"] == provider for c in self.records.values()):
            raise ApiError(422, f"An observability configuration for {provider} already exists")
        return self.insert({"id": self.store.new_uuid(), "config": copy.deepcopy(config), "enabled": enabled})

    def update(self, conf: Record, config: Record | None, enabled: bool | None) -> Record:
        """Replace the config (same provider) and/or enable or disable it."""
        if config is not None:
            if config["provider"] != conf["config"]["provider"]:
                raise ApiError(422, "The provider of an observability configuration cannot change")
            conf["config"] = copy.deepcopy(config)
        if enabled is not None:
            conf["enabled"] = enabled
        return self.render(conf)

    def test(self, provider: str) -> Record:
        """Whether the provider has an enabled configuration."""
        for conf in self.records.values():
            if conf["config"]["provider"] == provider and conf["enabled"]:
                return {"success": True}
        return {"success": False, "message": f"No enabled {provider} configuration"}
