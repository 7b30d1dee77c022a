"""App themes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Annotated, Any

import pulumi
from pydantic import Field

from ..client import RetoolClient
from ..engine import Inputs, ResourceSpec, RetoolResource
from ._common import NUMBER_ID


class AppThemeInputs(Inputs):
    name: Annotated[str, Field(min_length=1, description="The name of the app theme (unique).")]
    theme: Annotated[
        dict[str, Any],
        Field(description="The theme object (colours, fonts, ...): docs.retool.com/apps/web/concepts/themes"),
    ]


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class AppThemeSpec(ResourceSpec):
    kind = "AppTheme"
    inputs = AppThemeInputs
    collection = "/app_themes"
    id_pattern, id_example = NUMBER_ID, "3"
    outputs = ("legacy_id", "created_at", "updated_at")
    natural_key = ("name",)

    def create_object(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any]:
        # The spec requires the whole theme object, server-assigned fields included; Retool
        # assigns those itself, so placeholders go with the declared name and theme.
        ts = _now()
        body = {"id": 0, "legacy_id": 0, **self.body(inputs), "created_at": ts, "updated_at": ts}
        return dict(client.post(self.collection, json=body))

    def update_object(
        self, client: RetoolClient, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        # PUT /app_themes (no id in the path) creates or updates the theme named by `id`.
        live = dict(client.get(self.item_path(id_)))
        body = {**live, **self.body(news), "id": int(id_), "updated_at": _now()}
        return dict(client.put(self.collection, json=body))


class AppTheme(RetoolResource):
    """An app theme. `theme` is compared as JSON (a key removed is a change). Both fields update
    in place; destroying it deletes the theme. Adopt an existing theme with its number:
    `adopt_id="3"`."""

    name: pulumi.Output[str]
    theme: pulumi.Output[dict[str, Any]]
    legacy_id: pulumi.Output[int]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        theme: pulumi.Input[Mapping[str, Any]],
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
