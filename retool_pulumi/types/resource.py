"""Resources (database and API connections) and their per-environment configurations."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
from pydantic import Field, model_validator

from ..engine import REPLACE, SECRET, Inputs, ResourceSpec, RetoolResource
from ..openapi import Checker, compile_schema, request_schema
from ._common import UUID

ResourceType = Literal[
    "azureBlob",
    "dbServer",
    "grpc",
    "kafka",
    "mcp",
    "mysql",
    "postgresql",
    "redshift",
    "restapi",
    "snowflake",
    "sns",
    "sqs",
]
# The spec's options variants carry titles, not types; this is the mapping.
_OPTIONS_TITLES = {
    "azureBlob": "Azure Blob Options",
    "postgresql": "Postgres Options",
    "mysql": "MySQL Options",
    "redshift": "Redshift Options",
    "snowflake": "Snowflake Options",
    "restapi": "Rest API Options",
    "grpc": "gRPC Options",
}


@functools.cache
def _options_checker(resource_type: str | None) -> Checker:
    """Checks `options` for one resource type (any known variant when the type is None)."""
    schema = request_schema("/resources", "post")["properties"]["options"]
    if resource_type is None:
        return compile_schema(schema)
    title = _OPTIONS_TITLES.get(resource_type)
    for variant in schema["anyOf"]:
        if title is not None and variant.get("title") == title:
            return compile_schema(variant)
    return lambda value, loc: None if isinstance(value, dict) else f"{loc}: must be an object"


def _check_options(options: Any, resource_type: str | None) -> None:
    problem = _options_checker(resource_type)(options, "options")
    if problem:
        hint = f" for a {resource_type} resource" if resource_type else ""
        raise ValueError(f"{problem}{hint} (see the Retool API spec, POST /resources)")


class ResourceInputs(Inputs):
    type: Annotated[ResourceType, REPLACE, Field(description="The kind of resource.")]
    display_name: Annotated[str, Field(min_length=1, description="The name shown in Retool.")]
    options: Annotated[dict[str, Any], SECRET, Field(description="Connection options for this type.")]

    @model_validator(mode="after")
    def _options_fit_type(self) -> ResourceInputs:
        _check_options(self.options, self.type)
        return self


class ResourceKindSpec(ResourceSpec):
    kind = "Resource"
    inputs = ResourceInputs
    collection = "/resources"
    id_pattern, id_example = UUID, "18368cb2-21f6-40c4-9d54-5fc0a724219f"
    outputs = ("protected", "folder_id", "created_at", "updated_at")
    natural_key = ("display_name", "type")
    batch_reads = True  # list items carry every field of the GET (neither has options)
    write_only = ("options",)  # GET /resources/{id} never returns options


class Resource(RetoolResource):
    """A Retool resource (a connection to a database or API). `options` are validated against
    the spec for the given `type` before any API call, are a Pulumi secret, and updates of them
    really reach Retool (one PATCH). Changing `type` replaces the resource."""

    type: pulumi.Output[str]
    display_name: pulumi.Output[str]
    options: pulumi.Output[dict[str, Any]]
    protected: pulumi.Output[bool]
    folder_id: pulumi.Output[str | None]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        type: pulumi.Input[str],
        display_name: pulumi.Input[str],
        options: pulumi.Input[Mapping[str, Any]],
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)


class ResourceConfigurationInputs(Inputs):
    resource_id: Annotated[str, REPLACE, Field(min_length=1, description="The resource configured.")]
    environment_id: Annotated[str, REPLACE, Field(min_length=1, description="The environment it applies in.")]
    options: Annotated[dict[str, Any], SECRET, Field(description="Connection options in that environment.")]

    @model_validator(mode="after")
    def _options_fit_some_type(self) -> ResourceConfigurationInputs:
        _check_options(self.options, None)
        return self


class ResourceConfigurationSpec(ResourceSpec):
    kind = "ResourceConfiguration"
    inputs = ResourceConfigurationInputs
    collection = "/resource_configurations"
    id_pattern, id_example = UUID, "2a7c9e1b-3d5f-4a6b-8c0d-1e2f3a4b5c6d"
    outputs = ("created_at", "updated_at")
    natural_key = ("resource_id", "environment_id")
    server_defaults = {"options.authentication_options": {"authentication_type": "none"}}

    def to_inputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        out = super().to_inputs(obj)
        if isinstance(obj.get("resource"), Mapping):
            out["resource_id"] = obj["resource"].get("id")
        if isinstance(obj.get("environment"), Mapping):
            out["environment_id"] = obj["environment"].get("id")
        return out


class ResourceConfiguration(RetoolResource):
    """The options of a resource in one environment. The resource and the environment force
    replacement; `options` are a Pulumi secret, and the defaults Retool adds on its own
    (`authentication_options: {authentication_type: none}`) cause no diff."""

    resource_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    options: pulumi.Output[dict[str, Any]]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        resource_id: pulumi.Input[str],
        environment_id: pulumi.Input[str],
        options: pulumi.Input[Mapping[str, Any]],
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
