"""Environments (production, staging, ...)."""

from __future__ import annotations

from typing import Annotated

import pulumi
from pydantic import Field

from ..engine import Inputs, ResourceSpec, RetoolResource
from ._common import COLOR, UUID


class EnvironmentInputs(Inputs):
    name: Annotated[str, Field(min_length=1, description="The name of the environment.")]
    color: Annotated[str, Field(pattern=COLOR, description="Display colour, like #1E88E5.")]
    description: Annotated[str | None, Field(description="What the environment is for.")] = None


class EnvironmentSpec(ResourceSpec):
    kind = "Environment"
    inputs = EnvironmentInputs
    collection = "/environments"
    id_pattern, id_example = UUID, "8e4b5f2a-1c3d-4e5f-a6b7-c8d9e0f1a2b3"
    outputs = ("default", "created_at", "updated_at")
    natural_key = ("name",)
    batch_reads = True  # list items carry every field of the GET


class Environment(RetoolResource):
    """A Retool environment. Adopt an existing one (e.g. the default `production`) with its id."""

    name: pulumi.Output[str]
    color: pulumi.Output[str]
    description: pulumi.Output[str | None]
    default: pulumi.Output[bool]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        color: pulumi.Input[str],
        description: pulumi.Input[str] | None = None,
        adopt_id: pulumi.Input[str] | None = None,
        connection: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(resource_name, locals(), adopt_id=adopt_id, connection=connection, opts=opts)
