"""Observability: send app errors and logs to Sentry or Datadog."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
from pydantic import BaseModel, ConfigDict, Field

from ..client import RetoolClient
from ..engine import SECRET, Inputs, ResourceSpec, RetoolResource
from ..errors import NotFoundError, UnprocessableEntityError
from ._common import UUID

COLLECTION = "/observability/config"


class SentryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider: Literal["Sentry"]
    dsn: Annotated[str, Field(min_length=1, description="Sentry's Data Source Name (a secret).")]
    ca_certs: Annotated[
        list[str] | None, Field(description="CA certificates passed as `caCerts` to Sentry's NodeClient.")
    ] = None


class DatadogConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider: Literal["Datadog"]
    api_key: Annotated[str, Field(min_length=1, description="The Datadog API key (a secret).")]
    site: Annotated[
        Literal["US1", "US3", "US5", "EU1", "US1-FED", "AP1"],
        Field(description="The Datadog site logs go to; US1 is datadoghq.com."),
    ] = "US1"


class ObservabilityConfigInputs(Inputs):
    config: Annotated[
        SentryConfig | DatadogConfig,
        SECRET,
        Field(discriminator="provider", description="Sentry (`dsn`) or Datadog (`api_key`, `site`)."),
    ]
    enabled: Annotated[bool, Field(description="Whether apps report to this provider.")]


def _provider(value: Any) -> Any:
    return value.get("provider") if isinstance(value, Mapping) else None


class ObservabilityConfigSpec(ResourceSpec):
    kind = "ObservabilityConfig"
    inputs = ObservabilityConfigInputs
    collection = COLLECTION
    id_pattern, id_example = UUID, "0b8e1f2a-3c4d-4e5f-8a6b-7c8d9e0f1a2b"
    update_style = "put"
    natural_key = ("config",)  # its provider: one configuration per provider (see find_existing)

    def replaces(self, olds: Mapping[str, Any], news: Mapping[str, Any], changes: list[str]) -> list[str]:
        # Retool keeps one configuration per provider and cannot switch one to another provider.
        old, new = _provider(olds.get("config")), _provider(news.get("config"))
        return ["config"] if "config" in changes and old and new and old != new else []

    def read_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> dict[str, Any] | None:
        try:
            return next((dict(c) for c in client.paginate(COLLECTION) if str(c.get("id")) == id_), None)
        except NotFoundError:
            return None  # "Configuration not found": there is none at all

    def find_existing(self, client: RetoolClient, inputs: Mapping[str, Any]) -> dict[str, Any] | None:
        want = _provider(inputs.get("config"))
        try:
            return next(
                (dict(c) for c in client.paginate(COLLECTION) if _provider(c.get("config")) == want), None
            )
        except NotFoundError:
            return None

    def delete_object(self, client: RetoolClient, id_: str, props: Mapping[str, Any]) -> None:
        try:
            client.delete(self.item_path(id_))
        except (NotFoundError, UnprocessableEntityError):
            pass  # the spec answers 422 "Configuration not found" for one that is gone


class ObservabilityConfig(RetoolResource):
    """The organisation's observability configuration for one provider: Sentry
    (`config={"provider": "Sentry", "dsn": ...}`) or Datadog (`config={"provider": "Datadog",
    "api_key": ..., "site": "US1"}`). `config` is a Pulumi secret (the DSN and the API key are
    credentials). Switching the provider replaces the configuration; everything else updates in
    place. Destroying it deletes the configuration. Adopt an existing one with its UUID:
    `adopt_id="0b8e…"`."""

    config: pulumi.Output[dict[str, Any]]
    enabled: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        config: pulumi.Input[Mapping[str, Any]],
        enabled: pulumi.Input[bool],
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
