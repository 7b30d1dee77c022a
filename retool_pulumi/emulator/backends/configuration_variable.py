"""Configuration variables: a value per environment, secret ones masked on every read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..store import Record, public
from .base import ENCRYPTED, ApiError, Collection


class ConfigurationVariableBackend(Collection):
    """Configuration variables."""

    collection = "configuration_variables"
    label = "Configuration variable"

    def render(self, record: Record) -> Record:
        """Secret values are masked on every read (divergence configuration-variable-secret-masking)."""
        data = public(record)
        if record["secret"]:
            data["values"] = [{**v, "value": ENCRYPTED} for v in data["values"]]
            if data.get("default_value") is not None:
                data["default_value"] = ENCRYPTED
        return data

    def create(self, fields: Mapping[str, Any]) -> Record:
        """A new variable from a request's fields (name, secret, values, description, default_value)."""
        return self.insert({"id": self.store.new_uuid(), **self._fields(fields)})

    def replace(self, var: Record, fields: Mapping[str, Any]) -> Record:
        """Replace every field of a variable but its id."""
        new = {"id": var["id"], **self._fields(fields)}
        var.clear()
        var.update(new)
        return self.render(var)

    def _fields(self, body: Mapping[str, Any]) -> dict[str, Any]:
        # Field order as production answers: name, description, secret, values, default_value.
        seen: set[str] = set()
        for v in body["values"]:
            if v["environment_id"] not in self.store.environments:
                raise ApiError(400, f'Environment with id "{v["environment_id"]}" does not exist')
            if v["environment_id"] in seen:
                raise ApiError(400, f'Duplicate value for environment "{v["environment_id"]}"')
            seen.add(v["environment_id"])
        fields: dict[str, Any] = {"name": body["name"]}
        if "description" in body:
            fields["description"] = body["description"]
        fields["secret"] = body["secret"]
        fields["values"] = [
            {"environment_id": v["environment_id"], "value": v["value"]} for v in body["values"]
        ]
        if body.get("default_value") is not None:
            fields["default_value"] = body["default_value"]
        return fields
